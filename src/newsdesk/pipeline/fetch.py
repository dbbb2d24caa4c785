"""Fetch one URL safely: guarded, capped, polite, conditional.

`fetch()` is the only way the pipeline reads the network. In order, for each request:

1. the guard checks the URL (scheme, every resolved address); the connection itself
   goes through `guard.GuardedBackend`, which checks again at connect time;
2. robots.txt of the host is read once (cached per host) and a disallowed path is
   refused (`respect_robots`);
3. the per-host throttle waits until the host's last request is `host_delay_s` old;
4. the request is sent with If-None-Match / If-Modified-Since when validators are
   known; 304 → `FetchResult(not_modified=True, capture=None)`;
5. redirects are followed by hand, at most `max_redirects`, each hop back to step 1;
6. the body is streamed and abandoned past `max_bytes` (a declared Content-Length over
   the cap is refused before reading), and the whole exchange past `timeout`.

Failures are typed: `guard.Refused` (a `Rejected`, reason REFUSED) for addresses and
robots.txt, `Rejected(TOO_LARGE)` for the cap, and `FetchError` (with `.status` and
`.retry_after`) for HTTP errors, timeouts and connection errors.
"""

from __future__ import annotations

import functools
import ssl
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.pipeline.documents import Capture, Rejected, RejectReason
from newsdesk.pipeline.guard import GuardedBackend, HostNotFound, Refused, check_url

DEFAULT_TIMEOUT_S = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_HOST_DELAY_S = 1.0
DEFAULT_USER_AGENT = "newsdesk/0.1 (+self-hosted)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB
ROBOTS_TTL_S = 24 * 3600  # RFC 9309 §2.4: do not use a cached copy past 24 hours
ROBOTS_RETRY_S = 600  # after robots.txt could not be read, ask again in 10 minutes
MAX_CRAWL_DELAY_S = 60.0  # a Crawl-delay above this is read as this
# Headers that describe the bytes on the wire; the capture keeps decoded bytes.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class FetchOptions:
    """Everything `fetch` may be told; the defaults are safe for the open web."""

    timeout: float = DEFAULT_TIMEOUT_S  # for the whole fetch, redirects included
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()  # CIDRs exempted from the guard, e.g. a LAN
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    host_delay_s: float = DEFAULT_HOST_DELAY_S  # politeness: min gap between hits on a host
    accept: str = "*/*"


@dataclass(frozen=True)
class FetchResult:
    status: int
    capture: Capture | None  # None on 304
    not_modified: bool
    etag: str | None = None
    last_modified: str | None = None


class FetchError(Exception):
    """The fetch failed; `status` is the HTTP status (None for network errors)."""

    def __init__(
        self, message: str, url: str, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait, if it did


class HostThrottle:
    """Keep at least `min_delay_s` between two requests to one host (thread-safe)."""

    def __init__(self, min_delay_s: float = DEFAULT_HOST_DELAY_S):
        self.min_delay_s = min_delay_s
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, min_delay_s: float | None = None) -> float:
        """Block until `host` may be hit again; return the seconds waited."""
        delay = self.min_delay_s if min_delay_s is None else min_delay_s
        with self._lock:  # reserve a slot, then sleep outside the lock
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + delay
        waited = slot - now
        if waited > 0:
            time.sleep(waited)
        return waited


class RobotsCache:
    """robots.txt per host (scheme://host:port), read once and kept `ROBOTS_TTL_S`.

    As RFC 9309 says: a robots.txt that is missing (4xx but 429, or a redirect loop)
    allows everything; one that cannot be read (5xx, 429, network error) means nothing
    may be fetched for now —
    `check` raises `FetchError` then, and asks again after `ROBOTS_RETRY_S`.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, urllib.robotparser.RobotFileParser | FetchError]] = {}
        self._lock = threading.Lock()

    def check(self, url: str, options: FetchOptions, throttle: HostThrottle) -> float | None:
        """Raise `Refused` if robots.txt disallows `url`; return its Crawl-delay, if any."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            cached = self._entries.get(key)
        if cached is None or cached[0] < time.monotonic():
            cached = self._load(key, options, throttle)
            with self._lock:
                self._entries[key] = cached
        rules = cached[1]
        if isinstance(rules, FetchError):
            raise FetchError(
                f"robots.txt of {parts.netloc} could not be read ({rules.message}); until "
                "it can, nothing there is fetched (RFC 9309). Newsdesk asks again in "
                f"{ROBOTS_RETRY_S // 60} minutes",
                url,
                rules.status,
                rules.retry_after,
            )
        if not rules.can_fetch(options.user_agent, url):
            raise Refused(
                f"robots.txt of {parts.netloc} disallows {parts.path or '/'} for "
                f"{options.user_agent!r}. Set respect_robots=False only for a source "
                "that has given you permission"
            )
        delay = rules.crawl_delay(options.user_agent)
        return min(float(delay), MAX_CRAWL_DELAY_S) if delay is not None else None

    def _load(self, key: str, options: FetchOptions, throttle: HostThrottle):
        rules = urllib.robotparser.RobotFileParser(key + "/robots.txt")
        robots_options = replace(options, respect_robots=False, max_bytes=ROBOTS_MAX_BYTES)
        try:
            result = fetch(key + "/robots.txt", robots_options, throttle=throttle)
        except FetchError as exc:
            if exc.status is not None and exc.status < 500 and exc.status != 429:
                # "Unavailable" (4xx, or lost in redirects): everything is allowed. A 429
                # is a server asking us to slow down, so it counts as unreachable.
                rules.parse([])
                return time.monotonic() + ROBOTS_TTL_S, rules
            return time.monotonic() + ROBOTS_RETRY_S, exc
        except Rejected as exc:
            if exc.reason is not RejectReason.TOO_LARGE:
                raise
            rules.parse([])  # a robots.txt this large is not a real one
            return time.monotonic() + ROBOTS_TTL_S, rules
        assert result.capture is not None  # no validators were sent, so no 304
        rules.parse(result.capture.content.decode("utf-8", "replace").splitlines())
        return time.monotonic() + ROBOTS_TTL_S, rules


# Shared by every fetch in the process unless a caller passes its own.
DEFAULT_THROTTLE = HostThrottle()
DEFAULT_ROBOTS = RobotsCache()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _http_error(url: str, status: int, headers: httpx.Headers) -> FetchError:
    retry_after = parse_retry_after(headers.get("retry-after"))
    hint = {
        401: "the server wants credentials; newsdesk fetches public pages only",
        403: "the server refuses us (it may block unknown user agents); check the URL "
        "in a browser, or drop this source",
        404: "not found; check the URL, or remove this source if it moved for good",
        410: "gone for good; remove this source",
        429: "rate limited; newsdesk will wait before trying again",
    }.get(status)
    if hint is None and status >= 500:
        hint = "server error; newsdesk will retry later"
    elif hint is None and status < 400:
        hint = "an answer that is neither content nor a redirect with a Location"
    elif hint is None:
        hint = "request refused"
    if retry_after is not None:
        hint += f" (the server asks to wait {retry_after:g} s)"
    return FetchError(f"HTTP {status} for {url}: {hint}", url, status, retry_after)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs tens of milliseconds: do it once per process."""
    return httpx.create_ssl_context(trust_env=False)


def guarded_client(options: FetchOptions, timeout_s: float) -> httpx.Client:
    """An httpx client that never follows redirects and checks every socket it opens."""
    transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)
    # httpx builds its own connection pool; swap in one whose sockets go through the
    # guard, so every connection (redirect hops included) is checked when it opens.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=GuardedBackend(options.allow_private, options.allowed_networks),
    )
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": options.user_agent, "Accept": options.accept},
    )


def _header_dict(headers: httpx.Headers) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in headers.multi_items():
        name = name.lower()
        if name in _WIRE_HEADERS:
            continue
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return merged


def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, deadline: float, timeout_s: float
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Rejected(
            RejectReason.TOO_LARGE,
            f"{url} declares {int(declared):,} bytes, over the cap of {max_bytes:,}; "
            "raise max_bytes if this source is trusted",
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decoded bytes: a gzip bomb is capped too
        size += len(chunk)
        if size > max_bytes:
            raise Rejected(
                RejectReason.TOO_LARGE,
                f"{url} sent more than {max_bytes:,} bytes; stopped reading. Raise "
                "max_bytes if this source is trusted",
            )
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout_s:g} s reading {url}", url)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    options: FetchOptions = FetchOptions(),
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    throttle: HostThrottle | None = None,
    robots: RobotsCache | None = None,
) -> FetchResult:
    """Fetch `url` under `options`; raise `Rejected`/`Refused` or `FetchError` on failure."""
    throttle = throttle or DEFAULT_THROTTLE
    robots = robots or DEFAULT_ROBOTS
    deadline = time.monotonic() + options.timeout
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(options.max_redirects + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {options.timeout:g} s fetching {url}", url)
        try:
            check_url(current, options.allow_private, options.allowed_networks)
        except HostNotFound as exc:
            raise FetchError(str(exc), current) from None
        delay = options.host_delay_s
        if options.respect_robots:
            left = replace(options, timeout=max(0.001, deadline - time.monotonic()))
            crawl_delay = robots.check(current, left, throttle)
            delay = max(delay, crawl_delay or 0.0)
        response, body = _get(current, options, conditional, throttle, deadline, delay)
        if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
            current = urljoin(current, response.headers["location"])
            continue
        if response.status_code == 304:
            return FetchResult(
                status=304,
                capture=None,
                not_modified=True,
                etag=response.headers.get("etag") or etag,
                last_modified=response.headers.get("last-modified") or last_modified,
            )
        if not 200 <= response.status_code < 300:
            raise _http_error(current, response.status_code, response.headers)
        capture = Capture(
            content=body,
            url=current,
            headers=_header_dict(response.headers),
            fetched_at=datetime.now(UTC),
            content_type=response.headers.get("content-type", ""),
        )
        return FetchResult(
            status=response.status_code,
            capture=capture,
            not_modified=False,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
    raise FetchError(
        f"too many redirects (more than {options.max_redirects}) starting at {url}; "
        f"the last hop pointed to {current}. Subscribe to the final URL instead",
        url,
        status=response.status_code,
    )


def _get(
    url: str,
    options: FetchOptions,
    extra_headers: dict[str, str],
    throttle: HostThrottle,
    deadline: float,
    host_delay_s: float,
) -> tuple[httpx.Response, bytes]:
    """One GET, no redirects; the body is read (capped) only for 2xx answers."""
    throttle.wait(urlsplit(url).netloc.lower(), host_delay_s)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out after {options.timeout:g} s fetching {url}", url)
    try:
        with guarded_client(options, remaining) as client:
            with client.stream("GET", url, headers=extra_headers) as response:
                body = b""
                if 200 <= response.status_code < 300:
                    body = _read_capped(response, url, options.max_bytes, deadline, options.timeout)
                return response, body
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {options.timeout:g} s fetching {url}", url) from None
    except httpx.ConnectError as exc:
        raise FetchError(
            f"could not connect to {urlsplit(url).netloc}: {exc}; check the URL, or "
            "whether the site is down",
            url,
        ) from None
    except httpx.TransportError as exc:
        raise FetchError(f"network error fetching {url}: {exc}", url) from None
