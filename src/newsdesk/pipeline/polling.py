"""When to poll a feed next: follow its rhythm, back off when it fails.

A wire feed that publishes every few minutes and a blog that posts once a month should
not be polled alike. `next_interval` reads the rhythm from the entries' dates: half the
median gap between recent entries (so, on average, an entry waits at most a quarter of
its feed's gap before we see it), clamped to [min_s, max_s]. A feed that has gone quiet
for much longer than its usual gap is polled by its silence instead, so dead feeds drift
to the slow end. `error_backoff` doubles the wait after each consecutive failure and
honours a server's Retry-After.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

MIN_INTERVAL_S = 900  # 15 minutes: no feed is worth polling more often than this
MAX_INTERVAL_S = 86400  # a day: even a quiet feed is looked at daily
DEFAULT_INTERVAL_S = 3600  # too few dated entries to read a rhythm from
RECENT_ENTRIES = 20  # the rhythm is read from this many newest entries
RHYTHM_FRACTION = 0.5  # poll at this fraction of the typical gap
SILENCE_FACTOR = 4  # quiet for this many typical gaps: the feed has slowed down
BATCH_S = 60  # entries this close together were published as one batch

BACKOFF_BASE_S = 900  # the first retry after a failure
BACKOFF_MAX_S = 86400  # consecutive failures never push a retry past a day
RETRY_AFTER_MAX_S = 7 * 86400  # a server's Retry-After is honoured up to a week


def next_interval(
    entry_times: list[datetime],
    now: datetime,
    min_s: int = MIN_INTERVAL_S,
    max_s: int = MAX_INTERVAL_S,
) -> timedelta:
    """How long to wait before polling a feed whose entries carry `entry_times`.

    Times after `now` (clock skew, scheduled posts) are ignored. Entries published
    within `BATCH_S` of each other count once, so a feed that posts ten items at
    midnight reads as daily, not as "every few seconds".
    """
    past = sorted((t for t in entry_times if t <= now), reverse=True)[:RECENT_ENTRIES]
    batches: list[datetime] = []
    for t in past:
        if not batches or (batches[-1] - t).total_seconds() > BATCH_S:
            batches.append(t)
    if len(batches) < 2:
        seconds = float(DEFAULT_INTERVAL_S)
        if batches:  # one entry only: at least do not poll a long-silent feed hourly
            seconds = max(seconds, RHYTHM_FRACTION * (now - batches[0]).total_seconds())
    else:
        gaps = [(a - b).total_seconds() for a, b in zip(batches, batches[1:], strict=False)]
        typical = statistics.median(gaps)
        silence = (now - batches[0]).total_seconds()
        if silence > SILENCE_FACTOR * typical:
            typical = silence
        seconds = RHYTHM_FRACTION * typical
    return timedelta(seconds=int(min(max(seconds, min_s), max_s)))


def error_backoff(error_count: int, retry_after: float | None = None) -> timedelta:
    """Wait after `error_count` consecutive failures: 15 min, 30 min, 1 h … capped at a day.

    A server's Retry-After (seconds) wins when it asks for longer, up to a week.
    """
    if error_count <= 0:
        seconds = 0.0
    else:
        seconds = min(BACKOFF_BASE_S * 2 ** min(error_count - 1, 32), BACKOFF_MAX_S)
    if retry_after is not None:
        seconds = max(seconds, min(retry_after, RETRY_AFTER_MAX_S))
    return timedelta(seconds=int(seconds))
