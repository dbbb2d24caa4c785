"""Time spans of stories: the first and last publication times of their articles.

Spans are kept as ISO-8601 strings (plain data, stored as they are) and compared as
datetimes. An article or story without dates has no span; a naive and an aware timestamp
cannot be compared, and then nothing is guessed: the helpers answer "unknown" (None), or
leave a span as it was.
"""

from __future__ import annotations

from datetime import datetime

DAY_SECONDS = 86400


def _parse(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None


def widen(
    first: str | None, last: str | None, published: str | None
) -> tuple[str | None, str | None]:
    """The span (first, last) once an article published at ``published`` joins it."""
    when = _parse(published)
    if when is None:
        return first, last
    try:
        if first is None or when < _parse(first):
            first = published
        if last is None or when > _parse(last):
            last = published
    except TypeError:  # naive vs aware: keep the span as it was
        pass
    return first, last


def days_outside(when: datetime | None, first: str | None, last: str | None) -> float | None:
    """Days between ``when`` and the span (0 inside it); None when unknown."""
    if when is None or first is None or last is None:
        return None
    start, end = _parse(first), _parse(last)
    if (start.tzinfo is None) != (when.tzinfo is None):
        return None
    if when < start:
        return (start - when).total_seconds() / DAY_SECONDS
    if when > end:
        return (when - end).total_seconds() / DAY_SECONDS
    return 0.0


def days_apart(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> float | None:
    """Days between two spans (0 when they overlap); None when either is unknown."""
    if not (a[0] and a[1] and b[0] and b[1]):
        return None
    try:
        a_first, a_last, b_first, b_last = (_parse(x) for x in (*a, *b))
        if a_last < b_first:
            return (b_first - a_last).total_seconds() / DAY_SECONDS
        if b_last < a_first:
            return (a_first - b_last).total_seconds() / DAY_SECONDS
    except TypeError:
        return None
    return 0.0


def within(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], window_days: float
) -> bool:
    """Whether two spans come within ``window_days`` of each other (unknown: assume so)."""
    apart = days_apart(a, b)
    return apart is None or apart <= window_days
