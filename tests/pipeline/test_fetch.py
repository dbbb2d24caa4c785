"""The fetcher against a real HTTP server on 127.0.0.1 (tests/httpserver.py)."""

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.fetch import (
    FetchError,
    FetchOptions,
    HostThrottle,
    RobotsCache,
    fetch,
    parse_retry_after,
)
from newsdesk.pipeline.guard import Refused

# `http_server` (tests/httpserver.py, via tests/conftest.py): a real server on 127.0.0.1.

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
LOCAL = FetchOptions(allow_private=True, host_delay_s=0)
LAST_MODIFIED = "Fri, 06 Jan 2012 18:30:00 GMT"


def get(url, options=LOCAL, **kwargs):
    """Fetch with a fresh throttle and robots cache, so tests do not share state."""
    return fetch(url, options, throttle=HostThrottle(0), robots=RobotsCache(), **kwargs)


def test_200_capture(http_server):
    http_server.serve_dir(FEEDS, "/feeds/")
    result = get(http_server.url("/feeds/rss20.xml"))
    capture = result.capture
    assert result.status == 200 and not result.not_modified
    assert capture.content == (FEEDS / "rss20.xml").read_bytes()
    assert capture.url == http_server.url("/feeds/rss20.xml")
    assert capture.content_type == "application/xml"
    assert capture.headers["etag"] == result.etag
    assert "content-length" not in capture.headers  # describes the wire, not the bytes kept
    assert capture.fetched_at.tzinfo is UTC
    assert abs((datetime.now(UTC) - capture.fetched_at).total_seconds()) < 60
    request = http_server.requests[-1]
    assert request.headers["User-Agent"] == "newsdesk/0.1 (+self-hosted)"


@pytest.mark.parametrize(
    "validators",
    [
        {"etag": '"v7"'},
        {"last_modified": LAST_MODIFIED},
        {"etag": '"v7"', "last_modified": LAST_MODIFIED},
    ],
)
def test_conditional_get_304(http_server, validators):
    http_server.route(
        "/feed", body=b"<rss/>", etag='"v7"', last_modified=LAST_MODIFIED, content_type="text/xml"
    )
    first = get(http_server.url("/feed"))
    assert (first.etag, first.last_modified) == ('"v7"', LAST_MODIFIED)
    again = get(http_server.url("/feed"), **validators)
    assert again.status == 304 and again.not_modified and again.capture is None
    assert again.etag == '"v7"' and again.last_modified == LAST_MODIFIED
    sent = http_server.requests[-1].headers
    if "etag" in validators:
        assert sent["If-None-Match"] == '"v7"'
    if "last_modified" in validators:
        assert sent["If-Modified-Since"] == LAST_MODIFIED


def test_changed_etag_gets_the_new_body(http_server):
    http_server.route("/feed", body=b"<rss>new</rss>", etag='"v8"')
    result = get(http_server.url("/feed"), etag='"v7"')
    assert result.status == 200 and result.capture.content == b"<rss>new</rss>"
    assert result.etag == '"v8"'


@pytest.mark.parametrize(
    "status, retry_after, expect_retry, hint",
    [
        (404, None, None, "check the URL"),
        (410, None, None, "remove this source"),
        (403, None, None, "refuses us"),
        (429, "120", 120.0, "rate limited"),
        (500, "30", 30.0, "server error"),
        (503, None, None, "server error"),
    ],
)
def test_http_errors(http_server, status, retry_after, expect_retry, hint):
    headers = {"Retry-After": retry_after} if retry_after else {}
    http_server.route("/x", body=b"nope", status=status, headers=headers)
    with pytest.raises(FetchError) as caught:
        get(http_server.url("/x"))
    error = caught.value
    assert error.status == status
    assert error.retry_after == expect_retry
    assert hint in error.message and str(status) in error.message


def test_retry_after_http_date():
    now = datetime(2012, 1, 6, 18, 0, tzinfo=UTC)
    assert parse_retry_after("Fri, 06 Jan 2012 18:02:00 GMT", now) == 120.0
    assert parse_retry_after("Fri, 06 Jan 2012 17:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_slow_route_times_out(http_server):
    http_server.route("/slow", body=b"late", delay_s=2)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s") as caught:
        get(http_server.url("/slow"), FetchOptions(allow_private=True, host_delay_s=0, timeout=0.5))
    assert time.monotonic() - start < 1.5
    assert caught.value.status is None


def test_redirects_followed_to_the_final_url(http_server):
    http_server.route("/final", body=b"here")
    http_server.redirect("/a", "/b", status=301)
    http_server.redirect("/b", http_server.url("/final"), status=307)
    result = get(http_server.url("/a"))
    assert result.capture.content == b"here"
    assert result.capture.url == http_server.url("/final")


def test_redirect_chain_past_the_cap(http_server):
    for i in range(8):
        http_server.redirect(f"/hop{i}", f"/hop{i + 1}")
    http_server.route("/hop8", body=b"never reached")
    options = FetchOptions(allow_private=True, host_delay_s=0, max_redirects=5)
    with pytest.raises(FetchError, match="too many redirects") as caught:
        get(http_server.url("/hop0"), options)
    assert caught.value.status == 302
    assert http_server.hits["/hop5"] == 1 and http_server.hits["/hop6"] == 0


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://[::1]/admin", "http://10.0.0.5/"],
)
def test_redirect_to_a_private_address_is_refused(http_server, target):
    """Only the test server's own address is allowed; a hop elsewhere is checked and refused."""
    http_server.redirect("/go", target)
    options = FetchOptions(allowed_networks=("127.0.0.1/32",), host_delay_s=0)
    with pytest.raises(Refused):
        get(http_server.url("/go"), options)


def test_loopback_refused_without_allow_private(http_server):
    http_server.route("/", body=b"secret admin page")
    with pytest.raises(Refused, match="loopback") as caught:
        get(http_server.url("/"), FetchOptions(host_delay_s=0))
    assert caught.value.reason is RejectReason.REFUSED
    assert http_server.hits["/"] == 0  # refused before a byte was sent


def test_endless_body_capped(http_server):
    http_server.stream("/endless")
    start = time.monotonic()
    with pytest.raises(Rejected) as caught:
        get(
            http_server.url("/endless"),
            FetchOptions(allow_private=True, host_delay_s=0, max_bytes=1_000_000),
        )
    assert caught.value.reason is RejectReason.TOO_LARGE
    assert "1,000,000" in caught.value.message
    assert time.monotonic() - start < 5


def test_gzip_bomb_capped_on_decoded_bytes(http_server):
    bomb = gzip.compress(b"\0" * 20_000_000)  # about 20 KB on the wire
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    options = FetchOptions(allow_private=True, host_delay_s=0, max_bytes=1_000_000)
    with pytest.raises(Rejected) as caught:
        get(http_server.url("/bomb"), options)
    assert caught.value.reason is RejectReason.TOO_LARGE


def test_redirect_without_location_is_an_error(http_server):
    http_server.route("/odd", status=302, body=b"")
    with pytest.raises(FetchError, match="neither content nor a redirect") as caught:
        get(http_server.url("/odd"))
    assert caught.value.status == 302


def test_declared_huge_body_refused_before_reading(http_server):
    http_server.route("/huge", body=b"x" * 10, headers={"Content-Length": str(5 * 1024**3)})
    with pytest.raises(Rejected) as caught:
        get(http_server.url("/huge"))
    assert caught.value.reason is RejectReason.TOO_LARGE
    assert "5,368,709,120" in caught.value.message


@pytest.mark.parametrize(
    "robots, path, allowed",
    [
        (b"User-agent: *\nDisallow: /private/\n", "/private/page", False),
        (b"User-agent: *\nDisallow: /private/\n", "/public/page", True),
        (b"User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "/any", False),
        (b"User-agent: otherbot\nDisallow: /\n", "/any", True),
    ],
)
def test_robots_txt(http_server, robots, path, allowed):
    http_server.route("/robots.txt", body=robots, content_type="text/plain")
    http_server.route(path, body=b"page")
    respectful = FetchOptions(allow_private=True, host_delay_s=0, respect_robots=True)
    if allowed:
        assert get(http_server.url(path), respectful).capture.content == b"page"
    else:
        with pytest.raises(Refused, match="robots.txt") as caught:
            get(http_server.url(path), respectful)
        assert "respect_robots=False" in caught.value.message
        assert http_server.hits[path] == 0


def test_robots_txt_lost_in_redirects_allows_all(http_server):
    http_server.redirect("/robots.txt", "/robots.txt")  # a loop
    http_server.route("/page", body=b"page")
    assert get(http_server.url("/page")).capture.content == b"page"


def test_robots_txt_read_once_per_host(http_server):
    http_server.route("/robots.txt", body=b"User-agent: *\nDisallow: /no\n")
    http_server.route("/a", body=b"a")
    http_server.route("/b", body=b"b")
    robots = RobotsCache()
    for path in ("/a", "/b", "/a"):
        fetch(http_server.url(path), LOCAL, throttle=HostThrottle(0), robots=robots)
    assert http_server.hits["/robots.txt"] == 1


@pytest.mark.parametrize(
    "status, allowed", [(404, True), (410, True), (403, True), (429, False), (503, False)]
)
def test_robots_txt_missing_or_unreachable(http_server, status, allowed):
    """RFC 9309: a 4xx robots.txt allows all; a 5xx (or 429) one means wait, fetch nothing."""
    http_server.route("/robots.txt", body=b"", status=status)
    http_server.route("/page", body=b"page")
    if allowed:
        assert get(http_server.url("/page")).capture.content == b"page"
    else:
        with pytest.raises(FetchError, match="robots.txt"):
            get(http_server.url("/page"))
        assert http_server.hits["/page"] == 0


def test_connection_refused_says_so(http_server):
    port = http_server.port
    http_server.stop()  # nothing listens there now
    with pytest.raises(FetchError, match="could not connect") as caught:
        get(f"http://127.0.0.1:{port}/", FetchOptions(allow_private=True, respect_robots=False))
    assert caught.value.status is None


def test_host_throttle_spaces_requests_to_one_host():
    throttle = HostThrottle(0.2)
    start = time.monotonic()
    assert throttle.wait("a.example") == 0
    throttle.wait("b.example")  # another host: no wait
    assert time.monotonic() - start < 0.1
    waited = throttle.wait("a.example")
    assert 0.1 < waited <= 0.2
    assert time.monotonic() - start >= 0.15


def test_crawl_delay_slows_the_throttle(http_server):
    http_server.route("/robots.txt", body=b"User-agent: *\nCrawl-delay: 1\n")
    http_server.route("/a", body=b"a")
    throttle, robots = HostThrottle(0), RobotsCache()
    start = time.monotonic()
    for _ in range(2):
        fetch(http_server.url("/a"), LOCAL, throttle=throttle, robots=robots)
    assert time.monotonic() - start >= 0.9


def test_served_files_answer_conditional_gets(http_server):
    http_server.serve_dir(FEEDS, "/feeds/")
    first = get(http_server.url("/feeds/atom.xml"))
    assert first.etag and first.last_modified
    assert get(http_server.url("/feeds/atom.xml"), etag=first.etag).not_modified
    assert get(http_server.url("/feeds/atom.xml"), last_modified=first.last_modified).not_modified
    with pytest.raises(FetchError, match="HTTP 404"):
        get(http_server.url("/feeds/no-such-file.xml"))
    assert http_server.hits["/feeds/atom.xml"] == 3
