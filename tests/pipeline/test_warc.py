"""WARC: a tiny archive written with warcio's own writer, read back as Captures."""

import gzip
import io
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.pipeline.documents import Capture, Rejected, RejectReason, Skipped
from newsdesk.pipeline.warc import read_warc

PAGE = (
    "<html><head><title>Iran group say US responsible</title></head><body><p>PARIS, Jan 6 "
    "(Reuters) – The leader of an Iranian dissident group in Iraq …</p></body></html>"
).encode()
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def write_archive(gzip_records: bool = True) -> bytes:
    """A crawl of one site: a page, a feed, and everything the reader must pass over."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)

    def response(url, status, headers, body, date="2012-01-06T17:45:12Z", kind="response"):
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(record)

    response(
        "https://news.example.org/2012/01/06/iran-group/",
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ],
        PAGE,
    )
    response(
        "https://news.example.org/missing", "404 Not Found", [("Content-Type", "text/html")], b"nf"
    )
    response(
        "https://news.example.org/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG"
    )
    response(
        "https://news.example.org/old",
        "301 Moved",
        [("Location", "/new"), ("Content-Type", "text/html")],
        b"",
    )
    response(
        "https://news.example.org/feed/",
        "200 OK",
        [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")],
        gzip.compress(FEED),
        date="2012-01-06T17:46:00.250Z",
    )
    request = writer.create_warc_record(
        "https://news.example.org/feed/",
        "request",
        payload=io.BytesIO(b"GET /feed/ HTTP/1.1\r\n\r\n"),
    )
    writer.write_record(request)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example.org/",
            "metadata",
            payload=io.BytesIO(b"via: crawler"),
            warc_content_type="text/plain",
        )
    )
    return buffer.getvalue()


@pytest.mark.parametrize("gzip_records", [True, False])
def test_pages_and_feeds_only(gzip_records):
    captures = list(read_warc(io.BytesIO(write_archive(gzip_records))))
    assert [c.url for c in captures] == [
        "https://news.example.org/2012/01/06/iran-group/",
        "https://news.example.org/feed/",
    ]
    page, feed = captures
    assert page.content == PAGE
    assert page.content_type == "text/html; charset=utf-8"
    assert page.fetched_at == datetime(2012, 1, 6, 17, 45, 12, tzinfo=UTC)
    assert page.headers["set-cookie"] == "a=1, b=2"
    assert feed.content == FEED  # content encoding removed …
    assert "content-encoding" not in feed.headers  # … so the header would mislead
    assert feed.fetched_at == datetime(2012, 1, 6, 17, 46, 0, 250000, tzinfo=UTC)


def test_reads_a_path(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(write_archive())
    assert len(list(read_warc(path))) == 2
    assert len(list(read_warc(str(path)))) == 2


def test_oversized_record_skipped_and_said():
    read = list(read_warc(io.BytesIO(write_archive()), max_record_bytes=len(FEED)))
    [page, feed] = read
    assert isinstance(page, Skipped) and page.reason is RejectReason.TOO_LARGE
    assert page.where == "https://news.example.org/2012/01/06/iran-group/"
    assert f"over the {len(FEED)}-byte" in page.message
    assert isinstance(feed, Capture) and feed.url == "https://news.example.org/feed/"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>a page, not an archive</body></html>" * 5,
        b"not a warc at all\r\n\r\n",
        b"WARC/1.0\r\nWARC-Type: response\r\n",
    ],
)
def test_not_a_warc(content):
    with pytest.raises(Rejected) as caught:
        list(read_warc(io.BytesIO(content)))
    assert caught.value.reason is RejectReason.UNSUPPORTED
    assert "WARC" in caught.value.message
