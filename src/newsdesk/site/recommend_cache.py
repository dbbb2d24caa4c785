"""Recommended to you, ranked once per reading history and desk state.

The answer belongs to one reader, so no HTTP cache may keep it (``Cache-Control:
private, no-store``) and the page cache, which serves public answers, passes it by. Yet
ranking the pool against a profile costs tens of milliseconds, and a reader's every page
asks again with much the same history. The server's own cache (Django's, shared through
``NEWSDESK_CACHE_URL``) keeps the ranked block under a hash of the history beside the desk
version and the time-state digest: any change on the desk ranks afresh, and no history can
be read back from a key.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from newsdesk.site import blocks, desk_version, time_state

# Housekeeping only: a key that a newer desk version replaced is never asked for again.
HELD_SECONDS = 600
_NOTHING = "none"  # "nothing to recommend" is worth keeping too


def recommended(seen: list[int], reading: int | None) -> dict | None:
    state = f"{desk_version.current()}|{time_state.current()}|{seen}|{reading}"
    key = "recommend:" + hashlib.sha256(state.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = blocks.recommended(seen, reading=reading)
        cache.set(key, found if found is not None else _NOTHING, HELD_SECONDS)
    return None if found == _NOTHING else found
