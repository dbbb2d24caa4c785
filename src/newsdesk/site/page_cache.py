"""The reader pages' cache: a page is rendered once per desk version, then served as bytes.

Every change to what a page shows moves the desk version (``desk_version``: database
triggers), so a page cached under the version read at the start of a request is never
stale: the very next request after an editor's action reads the new version and renders
afresh. A page's time-bound parts (most read, an expiring pick, the developing stories'
window) change with no write; they are bounded by ``BUCKET_SECONDS``, a time bucket in
the key.

What is cached: answers to GET and HEAD that the view marked ``Cache-Control: public``
(the reader pages and feeds), with status 200, no cookie set and no ``Vary: Cookie``
(those depend on who asks). The admin, the editors' settings and the read counter are
never public. The key is the version, the bucket, the path with its query string, and the
format asked (a page negotiates HTML or JSON on ``Accept``). Recommended to you depends
only on its URL (the reads a browser lists in ``seen``), so it caches like any page and
no reader's page is ever served for another's reads.

The bytes live in Django's cache (``NEWSDESK_CACHE_URL``: Redis shares them between
processes; in-process memory by default), gzip-compressed once when stored. The ETag is
the key itself, so a revalidation answers 304 from the version alone, with no cache read
and nothing rendered. In one process, a page missing from the cache is rendered by one
thread while the others asking for it wait for its bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from newsdesk.site import desk_version
from newsdesk.site.render import wants_json

BUCKET_SECONDS = 60
# Not built from the desk: the admin (per editor), static files, the API description, settings.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/api/", "/-/")
MIN_GZIP_BYTES = 200
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

    def __init__(self, request: HttpRequest, version: int, now: float | None = None):
        bucket = int((now if now is not None else time.time()) // BUCKET_SECONDS)
        variant = "j" if wants_json(request) else "h"
        path = request.get_full_path()
        digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
        self.tag = f"{version:x}-{bucket:x}-{variant}{digest}"
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


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        key = PageKey(request, desk_version.current())
        answer = not_modified(request, key)
        if answer is not None:
            return answer
        entry = cache.get(key.cache_key)
        if entry is None:
            try:
                with _renders.lock(key.cache_key):
                    entry = cache.get(key.cache_key)
                    if entry is None:
                        response = self.get_response(request)
                        if not cacheable_response(response):
                            return response
                        entry = Entry(response)
                        cache.set(key.cache_key, entry, BUCKET_SECONDS)
            finally:
                _renders.done(key.cache_key)
        return entry.response(key, request)
