"""WARC files → `Capture`s: pages and feeds someone else already crawled.

Only what the pipeline can use is yielded: `response` records of HTTP 200 whose
Content-Type is HTML or a feed. Requests, metadata, revisits, redirects, images and
scripts are passed over. The body comes back decoded (chunked transfer and gzip/br
content encoding removed, as warcio's content stream does), so the headers that
describe the wire encoding are dropped from the capture. A page or feed record over the
size cap is not dropped silently: a `Skipped` in its place says which and why.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from os import PathLike
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsdesk.pipeline.documents import Capture, Rejected, RejectReason, Skipped

DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024  # the fetcher's cap, for the same reason
CAPTURED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def read_warc(
    path_or_file: str | PathLike | BinaryIO, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[Capture | Skipped]:
    """Yield one `Capture` per usable response record (plain or gzipped WARC).

    A page or feed record larger than `max_record_bytes` yields a `Skipped(TOO_LARGE)`
    instead (the archive goes on); an archive that cannot be read raises
    `Rejected(UNSUPPORTED)`.
    """
    if isinstance(path_or_file, str | PathLike):
        with open(path_or_file, "rb") as stream:
            yield from _read(stream, max_record_bytes)
    else:
        yield from _read(path_or_file, max_record_bytes)


def _read(stream: BinaryIO, max_record_bytes: int) -> Iterator[Capture | Skipped]:
    records = ArchiveIterator(stream)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, AttributeError, ValueError, EOFError, zlib.error) as exc:
            # warcio reports a broken or foreign file with whatever its parser hit.
            raise Rejected(
                RejectReason.UNSUPPORTED, f"not a readable WARC file: {type(exc).__name__}: {exc}"
            ) from None
        if not record.format.startswith("warc"):
            raise Rejected(
                RejectReason.UNSUPPORTED,
                f"not a WARC file (warcio read it as {record.format!r}); newsdesk reads WARC only",
            )
        capture = _capture(record, max_record_bytes)
        if capture is not None:
            yield capture


def _capture(record, max_record_bytes: int) -> Capture | Skipped | None:
    """The record as a Capture; None when it is not a page or feed (passed over by design);
    Skipped when it is one but too large to take."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in CAPTURED_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    content = record.content_stream().read(max_record_bytes + 1)
    if len(content) > max_record_bytes:
        return Skipped(where=url, reason=RejectReason.TOO_LARGE, message=(
            f"the WARC record of {url or 'a page with no WARC-Target-URI'} is over the "
            f"{max_record_bytes}-byte cap; skipped, the archive goes on"))
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers:
        name = name.lower()
        if name not in _WIRE_HEADERS:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return Capture(
        content=content,
        url=url,
        headers=headers,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        content_type=content_type,
    )


def _warc_date(value: str | None) -> datetime | None:
    """WARC-Date is W3C-DTF in UTC ("2012-01-06T17:45:12Z", maybe with fractions)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
