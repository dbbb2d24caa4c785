"""What the reader pages show that changes with time alone, as one short digest.

Three blocks change with no write to the tables the desk version watches: an editor's
pick expires, the most-read list moves with reads (a read must not throw every cached
page away), and a story stops developing when its last article leaves the window. The
page cache keys each page by the desk version and by this digest, so a page is rendered
again when one of those lists has really changed, and never just because a minute passed.

An earlier key held a 60-second time bucket instead. Every process then rendered every
page again each minute, all at the same moment, and under load those synchronised
renders were the slowest requests of a run. Here each process recomputes the digest at
most once per ``MAX_AGE_SECONDS`` (three small indexed queries), so a time-driven change
shows within that bound, as before, and an unchanged desk is never rendered twice.
"""

from __future__ import annotations

import hashlib
import threading
import time

MAX_AGE_SECONDS = 60


def compute() -> str:
    """The digest of the time-driven lists as they stand now."""
    from newsdesk.desk.models import Article, Pick
    from newsdesk.site import blocks, developing

    picks = list(Pick.objects.unexpired().values_list("article_id", flat=True))
    # one more than a block shows: the article being read is left out of its own page's block
    most_read = list(Article.objects.most_read(blocks.MOST_READ_DAYS)
                     .values_list("pk", flat=True)[: blocks.MUST_READ_COUNT + 1])
    stories = list(developing.active().values_list("pk", flat=True))
    state = repr((picks, most_read, stories)).encode()
    return hashlib.blake2b(state, digest_size=6).hexdigest()


class _Held:
    """This process's digest and when it was computed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._digest: str | None = None
        self._at = 0.0

    def current(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._digest is None or now - self._at >= MAX_AGE_SECONDS:
                self._digest = compute()
                self._at = now
            return self._digest

    def forget(self) -> None:
        with self._lock:
            self._digest = None


_held = _Held()
current = _held.current
forget = _held.forget
