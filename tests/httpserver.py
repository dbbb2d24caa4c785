"""A real HTTP server on 127.0.0.1 for tests: outbound HTTP goes here, never to a mock.

It serves a folder of fixture files and/or routes declared by the test, answers
conditional GETs (If-None-Match / If-Modified-Since) with 304, counts requests per
path, and can delay, redirect or stream an endless body. Use the `http_server` pytest
fixture (tests/conftest.py imports it: ``from tests.httpserver import http_server``)::

    def test_feed(http_server):
        http_server.serve_dir(FIXTURES)                      # GET /rss20.xml …
        http_server.route("/feed", body=b"<rss/>", content_type="application/rss+xml",
                          etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
        http_server.redirect("/old", "/feed", status=301)
        http_server.route("/slow", body=b"late", delay_s=2)
        http_server.stream("/endless", chunk=b"x" * 65536)   # never ends
        url = http_server.url("/feed")
        ...
        assert http_server.hits["/feed"] == 1

Remember that the server listens on loopback: the fetcher's guard refuses it unless
the test allows private addresses.
"""

from __future__ import annotations

import hashlib
import mimetypes
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest


@dataclass
class Route:
    """What one path answers. `body` may be a callable yielding chunks (streamed, no length)."""

    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0  # sleep before answering (for timeouts)
    etag: str | None = None  # sent, and compared with If-None-Match
    last_modified: str | None = None  # HTTP date, sent and compared with If-Modified-Since


@dataclass
class SeenRequest:
    method: str
    path: str  # with the query string
    headers: dict[str, str]


class FixtureServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with an ephemeral port."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.roots: list[tuple[str, Path]] = []
        self.hits: Counter[str] = Counter()  # path without query → request count
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- declaring what is served -------------------------------------------------
    def route(self, path: str, body: bytes | str = b"", status: int = 200, **kwargs) -> Route:
        """Answer GET `path` (exact, or without its query string) with a fixed response."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(status=status, body=body, **kwargs)
        self.routes[path] = route
        return route

    def redirect(self, path: str, to: str, status: int = 302) -> Route:
        """Redirect `path` to `to` (a path on this server or an absolute URL)."""
        return self.route(path, status=status, headers={"Location": to})

    def stream(self, path: str, chunk: bytes = b"x" * 65536, **kwargs) -> Route:
        """Answer `path` with an endless body and no Content-Length."""

        def endless() -> Iterator[bytes]:
            while True:
                yield chunk

        route = Route(body=endless, **kwargs)
        self.routes[path] = route
        return route

    def serve_dir(self, folder: Path | str, prefix: str = "/") -> None:
        """Serve the files of `folder` under `prefix`, with an ETag and Last-Modified each."""
        self.roots.append((prefix.rstrip("/") + "/", Path(folder)))

    # --- addresses ------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "start() the server first"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # --- lifecycle ------------------------------------------------------------------
    def start(self) -> FixtureServer:
        server = self

        class Handler(_Handler):
            fixture_server = server

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- lookup ---------------------------------------------------------------------
    def _find(self, raw_path: str) -> Route | None:
        path = urlsplit(raw_path).path
        route = self.routes.get(raw_path) or self.routes.get(path)
        if route is not None:
            return route
        for prefix, folder in self.roots:
            if not path.startswith(prefix):
                continue
            target = (folder / path[len(prefix) :]).resolve()
            if folder.resolve() not in target.parents or not target.is_file():
                continue
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return Route(
                body=data,
                content_type=ctype,
                etag='"' + hashlib.sha1(data).hexdigest()[:16] + '"',
                last_modified=formatdate(int(target.stat().st_mtime), usegmt=True),
            )
        return None

    def _record(self, method: str, raw_path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits[urlsplit(raw_path).path] += 1
            self.requests.append(SeenRequest(method, raw_path, headers))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow or endless route must not hang stop()

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up (a size cap or a timeout doing its job) is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _not_modified(route: Route, headers) -> bool:
    """True when the request's validators match the route (RFC 9110 §13.2.2 order)."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return route.etag is not None and ("*" in tags or route.etag in tags)
    since = headers.get("If-Modified-Since")
    if since and route.last_modified:
        try:
            return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stall
    fixture_server: FixtureServer

    def log_message(self, format, *args) -> None:  # keep pytest output clean
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        server = self.fixture_server
        server._record(self.command, self.path, dict(self.headers.items()))
        route = server._find(self.path)
        if route is None:
            route = Route(status=404, body=b"not found", content_type="text/plain")
        if route.delay_s:
            time.sleep(route.delay_s)
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        try:
            if route.status == 200 and _not_modified(route, self.headers):
                self.send_response(304)
                for name, value in validators.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for name, value in {**validators, **route.headers}.items():
                self.send_header(name, value)
            if callable(route.body):
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                if send_body:
                    for chunk in route.body():
                        self.wfile.write(chunk)
                return
            if "Content-Length" not in route.headers:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client hung up (a size cap or a timeout did its job).
            self.close_connection = True


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """A started `FixtureServer` on 127.0.0.1, stopped after the test."""
    with FixtureServer() as server:
        yield server
