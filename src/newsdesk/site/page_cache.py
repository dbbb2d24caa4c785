"""The reader pages' cache: a page is rendered once per desk version, then served as bytes.

Every change to what a page shows moves the desk version (``desk_version``: database
triggers), so a page cached under the version read at the start of a request is never
stale: the very next request after an editor's action reads the new version and renders
afresh. A page's time-bound parts (most read, an expiring pick, the developing stories'
window) change with no write; a digest of them (``time_state``), recomputed at most once
a minute in each process, is in the key too, so a page is rendered again only when one of
them has changed.

What is cached: answers to GET and HEAD that the view marked ``Cache-Control: public``
(the reader pages and feeds), with status 200, no cookie set and no ``Vary: Cookie``
(those depend on who asks). The admin, the editors' settings and the read counter are
never public. The key is the version, the bucket, the path with its query string, and the
format asked (a page negotiates HTML or JSON on ``Accept``), beside the time-state digest. Recommended to you depends
only on its URL (the reads a browser lists in ``seen``), so it caches like any page and
no reader's page is ever served for another's reads.

Each process holds the pages it served lately (bounded in bytes), gzip-compressed once
when stored; with ``NEWSDESK_CACHE_URL`` pointing at Redis, processes also share them
there, so a page rendered by one gunicorn worker is fetched, not rendered, by the others.
A key names one rendering, so a copy held in a process is never out of date. The ETag is
the key itself, so a revalidation answers 304 from the version alone, with no cache read
and nothing rendered. In one process, a page missing from the cache is rendered by one
thread while the others asking for it wait for its bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from newsdesk.site import desk_version, time_state
from newsdesk.site.render import wants_json

# How long the shared cache keeps a page: housekeeping only, since a key that a newer
# version or time state replaced is never asked for again.
SHARED_SECONDS = 3600
# Not built from the desk: the admin (per editor), static files, the API description, settings.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/api/", "/-/")
MIN_GZIP_BYTES = 200
HELD_BYTES = 64 * 1024 * 1024  # pages this process keeps at hand, compressed copies included
# Headers that belong to one answer, not to the page.
NOT_STORED = {"content-length", "etag", "content-encoding", "set-cookie"}


def cacheable_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(SKIPPED_PREFIXES)


def cacheable_response(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and "public" in cache_control
        and "no-store" not in cache_control
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


class PageKey:
    """Where a page's bytes are kept, and the ETag that names them."""

    def __init__(self, request: HttpRequest, version: int, state: str):
        variant = "j" if wants_json(request) else "h"
        path = request.get_full_path()
        digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
        self.tag = f"{version:x}-{state}-{variant}{digest}"
        self.cache_key = f"page:{self.tag}"

    def etag(self, gzipped: bool) -> str:
        return f'"{self.tag}{"-gz" if gzipped else ""}"'


class Entry:
    """A rendered page as stored: its headers and its body, plain and gzip-compressed."""

    def __init__(self, response: HttpResponse):
        self.status = response.status_code
        self.headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
        self.body = response.content
        self.gzipped = (gzip.compress(self.body, compresslevel=6, mtime=0)
                        if len(self.body) >= MIN_GZIP_BYTES else None)
        self.nbytes = len(self.body) + len(self.gzipped or b"")

    def response(self, key: PageKey, request: HttpRequest) -> HttpResponse:
        gzipped = self.gzipped is not None and accepts_gzip(request)
        response = HttpResponse(self.gzipped if gzipped else self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["ETag"] = key.etag(gzipped)
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ("Accept", "Accept-Encoding"))
        return response


def not_modified(request: HttpRequest, key: PageKey) -> HttpResponse | None:
    """A 304 when the reader already holds this page (either encoding) at this version."""
    asked = request.headers.get("If-None-Match")
    if not asked:
        return None
    tags = parse_etags(asked)
    if "*" in tags or key.etag(False) in tags or key.etag(True) in tags:
        response = HttpResponseNotModified()
        response["ETag"] = key.etag(key.etag(True) in tags)
        patch_vary_headers(response, ("Accept", "Accept-Encoding"))
        return response
    return None


class _Renders:
    """One lock per page being rendered in this process, so a burst renders it once."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def done(self, key: str) -> None:
        with self._guard:
            self._locks.pop(key, None)


_renders = _Renders()


class _Held:
    """This process's copy of the pages it served lately, newest last, bounded in bytes.

    A cached page's key names one rendering (the version and the time state are in it), so a
    copy held here can never be out of date: the shared cache (Redis) is asked once per
    page and process, and no request pays for a network round trip or unpickling.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self.size += entry.nbytes
            while self.size > self.max_bytes and len(self._entries) > 1:
                _, dropped = self._entries.popitem(last=False)
                self.size -= dropped.nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


_held = _Held(HELD_BYTES)


def shared() -> bool:
    """Whether Django's cache is shared between processes (Redis). In-process memory
    (the default) would only hold a second, pickled copy of what this process holds."""
    return not isinstance(caches["default"], LocMemCache)


def clear() -> None:
    """Forget every cached page, here and in the shared cache, and the time state."""
    _held.clear()
    cache.clear()
    time_state.forget()


def find(key: str) -> Entry | None:
    entry = _held.get(key)
    if entry is None and shared():
        entry = cache.get(key)
        if entry is not None:
            _held.put(key, entry)
    return entry


def keep(key: str, entry: Entry) -> None:
    _held.put(key, entry)
    if shared():
        cache.set(key, entry, SHARED_SECONDS)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        key = PageKey(request, desk_version.current(), time_state.current())
        answer = not_modified(request, key)
        if answer is not None:
            return answer
        entry = find(key.cache_key)
        if entry is None:
            try:
                with _renders.lock(key.cache_key):
                    entry = find(key.cache_key)
                    if entry is None:
                        response = self.get_response(request)
                        if not cacheable_response(response):
                            return response
                        entry = Entry(response)
                        keep(key.cache_key, entry)
            finally:
                _renders.done(key.cache_key)
        return entry.response(key, request)
