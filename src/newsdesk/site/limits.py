"""Per-client limits on what costs the desk work: the read signal and searches.

A limit is ``N/SECONDS`` (``NEWSDESK_READ_LIMIT``, ``NEWSDESK_SEARCH_LIMIT``): at most N
requests from one network address (``clients.network``) in each window of that many
seconds; one more is answered 429 with ``Retry-After`` (the seconds left in the window).
The counters live in Django's cache: the in-process memory by default (each server
process counts its own requests) or Redis with ``NEWSDESK_CACHE_URL``, where every
process shares them. A counter's key is a keyed hash of the address, gone with its window.

The limit sits in the view, behind the page cache: a search answered from the cache
costs nothing and counts nothing, so readers sharing one popular search never meet it.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from newsdesk import config
from newsdesk.site import clients

SETTINGS = {"read": "NEWSDESK_READ_LIMIT", "search": "NEWSDESK_SEARCH_LIMIT"}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@functools.cache
def parse_rate(text: str) -> Rate | None:
    """``"60/60"`` → Rate(60, 60); ``"0"`` or empty → None (no limit)."""
    text = text.strip()
    if text in ("", "0"):
        return None
    count, _, seconds = text.partition("/")
    try:
        rate = Rate(int(count), int(seconds))
    except ValueError:
        rate = None
    if rate is None or rate.count < 1 or rate.seconds < 1:
        raise ValueError(f"a limit is N/SECONDS (60/60), or 0 for none; got {text!r}")
    return rate


def rate(name: str) -> Rate | None:
    try:
        return parse_rate(config.get(SETTINGS[name]))
    except ValueError as exc:
        raise ValueError(f"{SETTINGS[name]}: {exc}") from None


def wait(name: str, request: HttpRequest, now: float | None = None) -> int | None:
    """Count this request against the client's limit; the seconds to wait when it is over
    the limit, None when it may go on."""
    limit = rate(name)
    if limit is None:
        return None
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    key = f"limit:{name}:{clients.digest(clients.salts()[0], name, clients.network(request))}:{window}"
    cache.add(key, 0, limit.seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # gone between add and incr (its window ended, or it was culled)
        cache.set(key, 1, limit.seconds + 1)
        used = 1
    if used <= limit.count:
        return None
    return max(1, math.ceil((window + 1) * limit.seconds - now))


def too_many(seconds: int, what: str) -> dict:
    """The error body (the site's `{status, error, message}`)."""
    return {"status": 429, "error": "Too many requests",
            "message": gettext("Too many %(what)s from your address; try again in %(seconds)s s.")
            % {"what": what, "seconds": seconds}}


def with_retry_after(response: HttpResponse, seconds: int) -> HttpResponse:
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
