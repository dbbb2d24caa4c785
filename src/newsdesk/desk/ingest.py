"""The one place where the pipeline meets the database.

Every entry point — the CLI, the admin, the poller — calls these functions:
  store_capture()      raw bytes first, in their own transaction (nothing accepted is lost)
  process_capture()    extract → file → store the article, all or nothing (retried
                       after a deadlock with another writer: desk.conflicts)
  ingest_capture()     both, reporting ingested / updated / duplicate / rejected
  reprocess_capture()  re-run extraction and filing over a stored capture
  ingest_target()      a path (file, folder) or URL, whatever it holds
  input_items()        what a target names, listed once (the CLI counts them for its progress)
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from newsdesk.desk import filing
from newsdesk.desk.budgets import budgets
from newsdesk.desk.columns import fit_content_type, fit_url
from newsdesk.desk.conflicts import atomic_with_retry
from newsdesk.desk.fetching import fetch_options
from newsdesk.desk.models import Article, Capture, Source
from newsdesk.desk.results import IngestResult, Status
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.documents import Rejected, RejectReason

log = logging.getLogger(__name__)

ARTICLE_URL_LENGTH = Article._meta.get_field("url").max_length
CAPTURE_URL_LENGTH = Capture._meta.get_field("url").max_length
CONTENT_TYPE_LENGTH = Capture._meta.get_field("content_type").max_length
WARC_SNIFF_BYTES = 64 * 1024  # enough to see a WARC header, even gzipped


def store_capture(capture: doc.Capture, origin: str, feed=None) -> tuple[Capture, bool]:
    """Keep the raw input; the same bytes are stored once (returns created=False then)."""
    digest = capture.sha256
    existing = Capture.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            row = Capture.objects.create(
                sha256=digest, url=fit_url(capture.url, CAPTURE_URL_LENGTH), content=capture.content,
                content_type=fit_content_type(capture.content_type, CONTENT_TYPE_LENGTH),
                headers=dict(capture.headers),
                fetched_at=capture.fetched_at or timezone.now(), origin=origin, feed=feed,
            )
        return row, True
    except IntegrityError:  # a concurrent worker stored the same bytes first …
        existing = Capture.objects.filter(sha256=digest).first()
        if existing is None:
            raise  # … or not: another constraint (its feed was deleted meanwhile)
        return existing, False


def as_pipeline_capture(row: Capture) -> doc.Capture:
    return doc.Capture(content=bytes(row.content), url=row.url, headers=row.headers,
                       fetched_at=row.fetched_at, content_type=row.content_type)


def ingest_capture(capture: doc.Capture, origin: str, feed=None) -> IngestResult:
    row, created = store_capture(capture, origin, feed)
    if not created and row.status != Capture.Status.PENDING:
        article = row.articles.first()
        return IngestResult(Status.DUPLICATE, url=capture.url, reason="same_content",
                            message="these exact bytes were ingested before",
                            article=article, capture_id=row.pk)
    return process_capture(row)


def reprocess_capture(row: Capture) -> IngestResult:
    """Run today's pipeline over a stored capture; its article is updated in place."""
    return process_capture(row, reprocess=True)


def process_capture(row: Capture, reprocess: bool = False) -> IngestResult:
    from newsdesk.pipeline.extract import ExtractOptions, extract

    try:
        draft = extract(as_pipeline_capture(row), ExtractOptions(budgets=budgets()))
    except Rejected as rejected:
        _mark(row, Capture.Status.REJECTED, rejected.reason.value, rejected.message)
        return IngestResult(Status.REJECTED, url=row.url, reason=rejected.reason.value,
                            message=rejected.message, capture_id=row.pk)
    except Exception as error:  # a page no rule foresaw: contained, the rest goes on
        return _failed(row, "extracting", error)

    def save() -> IngestResult:
        result = save_article(draft, row, reprocess=reprocess)
        status = Capture.Status.REJECTED if result.status == Status.REJECTED else Capture.Status.EXTRACTED
        _mark(row, status, result.reason, result.message)
        return result

    # all or nothing, and again after a deadlock with another writer (desk.conflicts)
    try:
        return atomic_with_retry(save, what=f"filing capture {row.pk}")
    except Exception as error:
        return _failed(row, "filing", error)


def _failed(row: Capture, step: str, error: Exception) -> IngestResult:
    """One capture that broke the pipeline: logged with its trace, reported as failed, and
    left pending with the error written on it.

    One such page must not stop a folder, a WARC file or a feed (its later entries would
    never be read, poll after poll). Its bytes are kept: pending, it is processed again
    when the same bytes come back (the feed's next poll, since the entry is not marked
    seen) or by `newsdesk reprocess`, once the bug is fixed.
    """
    log.exception("capture %s (%s): %s failed", row.pk, row.url, step)
    message = f"{step} failed: {type(error).__name__}: {error}"[:2000]
    try:
        row.reason, row.message, row.processed_at = "internal_error", message, timezone.now()
        row.save(update_fields=["reason", "message", "processed_at"])
    except Exception:  # the database itself may be what failed
        log.exception("capture %s: the failure could not be written down", row.pk)
    return IngestResult(Status.FAILED, url=row.url, reason="internal_error",
                        message=f"{message} (capture {row.pk} is kept and will be processed again)",
                        capture_id=row.pk)


def _mark(row: Capture, status: str, reason: str = "", message: str = "") -> None:
    row.status, row.reason, row.message, row.processed_at = status, reason, message, timezone.now()
    row.save(update_fields=["status", "reason", "message", "processed_at"])


def content_hash(draft: doc.Draft) -> str:
    """Identity of the article text, blind to whitespace and case."""
    text = re.sub(r"\s+", " ", f"{draft.title}\n{draft.body}").strip().lower()
    return hashlib.sha256(text.encode()).hexdigest()


def article_url(draft: doc.Draft, row: Capture) -> str:
    """The article's identity: its canonical address, else its own, else its capture's."""
    url = draft.canonical_url or draft.url or row.url or f"capture:{row.sha256}"
    return fit_url(url, ARTICLE_URL_LENGTH)


def save_article(draft: doc.Draft, row: Capture, reprocess: bool = False) -> IngestResult:
    url = article_url(draft, row)
    digest = content_hash(draft)
    article = Article.objects.filter(url=url).first()
    if article is None and reprocess:
        article = row.articles.first()
    if article is not None and article.content_hash == digest and not reprocess:
        return IngestResult(Status.DUPLICATE, url=url, reason="same_url",
                            message="this article is already on the desk, unchanged",
                            article=article, capture_id=row.pk)
    twin = None
    if article is None:
        twin = Article.objects.filter(content_hash=digest).first()
    created = article is None
    article = article or Article(url=url)
    fill_article(article, draft, row, digest)
    if created:
        filed = _insert_article(article)
        if filed is not None:  # another writer filed this address meanwhile
            if filed.content_hash == digest:
                return IngestResult(Status.DUPLICATE, url=url, reason="same_url",
                                    message="this article was filed by another writer meanwhile",
                                    article=filed, capture_id=row.pk)
            article, created, twin = filed, False, None
            fill_article(article, draft, row, digest)
            article.save()
    else:
        article.save()
    filing.file_article(article, draft)
    if twin is not None:
        # The same text at another address: another outlet's verbatim copy. It is kept (it
        # is provenance: "also published by …") but filed as a copy, never shown twice.
        # Copy detection (filing) usually decided already, perhaps making this one the
        # canonical (the agency's own page arriving late); only where it could not decide
        # (a body too short to sign) is the earlier twin's group taken.
        article.refresh_from_db(fields=["duplicate_of"])
        twin.refresh_from_db(fields=["duplicate_of"])
        decided = article.duplicate_of_id is not None or twin.duplicate_of_id == article.pk
        if not decided and article.pk != twin.pk:
            canonical_id = twin.duplicate_of_id or twin.pk
            Article.objects.filter(pk=article.pk).update(duplicate_of_id=canonical_id)
            article.duplicate_of_id = canonical_id
        return IngestResult(Status.DUPLICATE, url=url, reason="same_content",
                            message=f"same text as article {twin.pk} ({twin.url}); kept as a copy",
                            article=article, capture_id=row.pk)
    status = Status.INGESTED if created else Status.UPDATED
    return IngestResult(status, url=url, article=article, capture_id=row.pk)


def _insert_article(article: Article) -> Article | None:
    """Insert a new article; None when done, else the row another writer inserted at the
    same address first. Two writers filing one page at once (two `ingest` runs of one
    folder on PostgreSQL) both found no row; the second insert waits for the first to
    commit, then breaks the unique address. In a savepoint, that is read back as what it
    is, a duplicate, instead of failing the whole transaction."""
    try:
        with transaction.atomic():
            article.save(force_insert=True)
        return None
    except IntegrityError:
        article.pk = None
        filed = Article.objects.filter(url=article.url).first()
        if filed is None:
            raise  # another constraint
        return filed


def fill_article(article: Article, draft: doc.Draft, row: Capture, digest: str) -> None:
    wire = draft.wire
    article.capture = row
    article.title = draft.title[:500]
    article.excerpt = draft.excerpt
    article.body = draft.body
    article.body_html = draft.body_html
    article.language = draft.language or ""
    article.published_at = draft.published or article.published_at
    article.updated_at = timezone.now()
    article.authors = list(draft.authors)
    article.byline = list(wire.byline)
    article.agency = wire.agency or ""
    dl = wire.dateline
    article.dateline_place = dl.place if dl else ""
    article.dateline_month = dl.month if dl else None
    article.dateline_day = dl.day if dl else None
    article.dateline_year = dl.year if dl else None
    article.credits = wire.credits or ""
    article.breadcrumb = list(draft.breadcrumb)
    article.content_hash = digest
    article.source = source_for(draft, row)


def source_for(draft: doc.Draft, row: Capture) -> Source | None:
    """The outlet: the feed's source; else the site the page names (og:site_name, a front
    matter's site: or source:) or the host of its canonical or own address; else none. A
    file that names no site has no outlet a reader could be told of: before, such
    articles told readers they came from "Local files"."""
    if row.feed_id and row.feed.source_id:
        return row.feed.source
    address = next((u for u in (draft.canonical_url, row.url)
                    if u and u.startswith(("http://", "https://"))), "")
    host = (urlsplit(address).hostname or "").removeprefix("www.") or None
    name = draft.site_name or host
    if not name:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", (host or name).lower()).strip("-")[:200] or "source"
    source, _ = Source.objects.get_or_create(slug=slug, defaults={
        "name": name[:200], "homepage": f"https://{host}/" if host else ""})
    return source


# --- inputs at hand: files, folders, URLs -------------------------------------------

def input_items(target: str) -> list[str | Path]:
    """What one target names, listed once: a URL, a file, the visible files under a folder
    (sorted), or the target itself when nothing is there (ingesting it says so)."""
    if re.match(r"^https?://", target, re.I):
        return [target]
    path = Path(target).expanduser()
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [path] if path.is_file() else [target]


def ingest_item(item: str | Path) -> Iterator[IngestResult]:
    """Ingest one item of `input_items`; one result per article it holds.

    Whatever breaks inside (a parser no budget foresaw) ends this item only, reported as
    failed with its error: a folder's other files are still read."""
    try:
        yield from _ingest_item(item)
    except Exception as error:  # contained, and logged with its trace
        log.exception("%s: ingesting it failed", item)
        yield IngestResult(Status.FAILED, url=str(item), reason="internal_error",
                           message=f"ingesting failed: {type(error).__name__}: {error}"[:2000])


def keep_rejected(capture: doc.Capture, origin: str, rejected: Rejected) -> IngestResult:
    """A whole document refused before it held any article (a feed or OPML file over a
    budget, or broken): its bytes are kept, rejected with the reason, like any page's."""
    row, _ = store_capture(capture, origin)
    _mark(row, Capture.Status.REJECTED, rejected.reason.value, rejected.message)
    return IngestResult(Status.REJECTED, url=capture.url, reason=rejected.reason.value,
                        message=rejected.message, capture_id=row.pk)


def _ingest_item(item: str | Path) -> Iterator[IngestResult]:
    if isinstance(item, Path):
        try:
            yield from ingest_file(item)
        except OSError as error:  # gone or unreadable since it was listed (a spool folder)
            reason = "not_found" if isinstance(error, FileNotFoundError) else "unreadable"
            yield IngestResult(Status.REJECTED, url=str(item), reason=reason,
                               message=f"{item} could not be read: {error.strerror or error}")
    elif re.match(r"^https?://", item, re.I):
        yield from ingest_url(item)
    else:
        yield IngestResult(Status.REJECTED, url=item, reason="not_found",
                           message=f"no file, folder or http(s) URL at {item!r}")


def ingest_target(target: str) -> Iterator[IngestResult]:
    """Ingest whatever a path or URL holds; one result per item, never stopping early."""
    for item in input_items(target):
        yield from ingest_item(item)


# Files that document a folder rather than report news: a dump or an export often ships
# one beside its articles ("README.md" was published as a World article).
FOLDER_DOCUMENTS = re.compile(
    r"^(?:readme|licen[cs]e|copying|changelog|changes|contributing|authors|notice|todo)"
    r"(?:\.[a-z0-9]{1,8})?$", re.IGNORECASE)


def ingest_file(path: Path) -> Iterator[IngestResult]:
    """One local file. A WARC archive is read record by record from disk, whatever its size
    (each record has the fetcher's cap); any other file over the cap is refused unread."""
    from newsdesk.pipeline.sniff import sniff

    url = path.resolve().as_uri()
    if FOLDER_DOCUMENTS.match(path.name):
        yield IngestResult(Status.REJECTED, url=url, reason=RejectReason.NOT_ARTICLE.value,
                           message=f"{path.name} documents its folder; it is not an article")
        return
    limit = fetch_options().max_bytes
    stat = path.stat()
    content_type = mimetypes.guess_type(path.name)[0] or ""
    with path.open("rb") as fh:
        head = fh.read(WARC_SNIFF_BYTES)
    if sniff(head, content_type, path.name) == "warc":  # streamed from disk, never read whole
        yield from ingest_warc(path, doc.Capture(content=head, url=url, content_type=content_type))
        return
    if stat.st_size > limit:
        yield IngestResult(Status.REJECTED, url=url, reason=RejectReason.TOO_LARGE.value,
                           message=f"{stat.st_size} bytes is over the {limit}-byte cap (NEWSDESK_FETCH_MAX_BYTES)")
        return
    content = path.read_bytes()
    fetched = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
    capture = doc.Capture(content=content, url=url, content_type=content_type, fetched_at=fetched)
    yield from ingest_bytes(capture, origin="file", name=path.name, path=path)


def ingest_url(url: str) -> Iterator[IngestResult]:
    from newsdesk.pipeline.fetch import FetchError, fetch

    try:
        result = fetch(url, fetch_options())
    except (FetchError, Rejected) as error:
        reason = error.reason.value if isinstance(error, Rejected) else RejectReason.FETCH_FAILED.value
        yield IngestResult(Status.REJECTED, url=url, reason=reason, message=str(error))
        return
    yield from ingest_bytes(result.capture, origin="url", name=urlsplit(url).path)


def ingest_bytes(capture: doc.Capture, origin: str, name: str = "", path: Path | None = None
                 ) -> Iterator[IngestResult]:
    """Route raw bytes by what they are: an article, a feed, an OPML list, a WARC file."""
    from newsdesk.desk import refresh
    from newsdesk.pipeline.sniff import sniff

    kind = sniff(capture.content, capture.content_type, name)
    if kind == "opml":
        results = refresh.subscribe_opml(capture.content)
        if len(results) == 1 and results[0].status == Status.REJECTED and not results[0].url:
            refused = results[0]  # the list itself was refused: keep its bytes
            results = [keep_rejected(capture, origin, Rejected(RejectReason(refused.reason),
                                                              refused.message))]
        yield from results
    elif kind == "feed":
        if capture.url.startswith("http"):
            yield from refresh.subscribe_and_refresh(capture.url)
        else:
            yield from refresh.ingest_feed_document(capture, origin)
    elif kind == "warc":
        yield from ingest_warc(path, capture)
    else:  # html, text — and empty/binary, which extraction rejects with its reason
        yield ingest_capture(capture, origin=origin)


def ingest_warc(path: Path | None, capture: doc.Capture) -> Iterator[IngestResult]:
    import io

    from warcio.exceptions import ArchiveLoadFailed

    from newsdesk.pipeline.warc import read_warc

    source = path if path is not None else io.BytesIO(capture.content)
    taken = 0
    try:
        for record in read_warc(source, max_record_bytes=fetch_options().max_bytes):
            taken += 1
            if isinstance(record, doc.Skipped):  # over the cap: said, and the archive goes on
                yield skipped_result(record, url=record.where, hint=" (the cap is NEWSDESK_FETCH_MAX_BYTES)",
                                     archive=capture.url)
            else:
                yield ingest_capture(record, origin="warc")
    except Rejected as rejected:
        yield IngestResult(Status.REJECTED, url=capture.url, reason=rejected.reason.value,
                           message=rejected.message)
    except ArchiveLoadFailed as error:  # a truncated or corrupt record: what came before is kept
        yield IngestResult(Status.REJECTED, url=capture.url, reason=RejectReason.UNSUPPORTED.value,
                           message=f"stopped reading the WARC file at a broken record: {error}")
    else:
        if not taken:  # only requests, images, redirects …: the run must not look empty
            yield IngestResult(Status.REJECTED, url=capture.url, reason=RejectReason.EMPTY.value,
                               message="the WARC file holds no HTML page or feed response "
                                       "(HTTP 200): nothing in it to ingest")


def skipped_result(skip: doc.Skipped, url: str, hint: str = "", **where: str) -> IngestResult:
    """An item passed over inside a file (a feed's empty entry, a WARC record over the cap),
    reported like any rejected input: one line, or one JSON object naming the item."""
    return IngestResult(Status.REJECTED, url=url, reason=skip.reason.value,
                        message=skip.message + hint, extra={"item": skip.where, **where})
