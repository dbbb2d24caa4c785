"""Recommended to you, answered once per reading history and desk state.

The answer belongs to one reader, so no HTTP cache may keep it (``Cache-Control:
private, no-store``) and the page cache, which serves public answers, passes it by. Yet
ranking the pool against a profile costs tens of milliseconds, rendering the page a few
more, and a reader's every page asks again with much the same history. The server's own
cache (Django's, shared through ``NEWSDESK_CACHE_URL``) keeps the finished answer under a
hash of the history, the format and address asked, the desk version and the time-state
digest: any change on the desk answers afresh, and no history can be read back from a key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from newsdesk.site import desk_version, time_state
from newsdesk.site.render import wants_json

# Housekeeping only: a key that a newer desk version replaced is never asked for again.
HELD_SECONDS = 600


def answered(request: HttpRequest, seen: list[int], reading: int | None,
             build: Callable[[], HttpResponse]) -> HttpResponse:
    """The stored answer for this history and desk state, else ``build()``'s (kept when 200)."""
    state = (f"{desk_version.current()}|{time_state.current()}|{seen}|{reading}|"
             f"{wants_json(request)}|{request.get_full_path()}")
    key = "recommend:" + hashlib.sha256(state.encode()).hexdigest()
    held = cache.get(key)
    if held is None:
        response = build()
        if response.status_code == 200:
            cache.set(key, (response["Content-Type"], response.content), HELD_SECONDS)
        return response
    content_type, body = held
    response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ("Accept",))
    patch_cache_control(response, private=True, no_store=True)
    return response
