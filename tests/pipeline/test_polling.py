"""Polling rhythm: fast feeds often, quiet feeds rarely, failing feeds ever later."""

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.pipeline.polling import error_backoff, next_interval

NOW = datetime(2012, 1, 6, 18, 0, tzinfo=UTC)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def every(gap: timedelta, count: int = 10, last: timedelta = timedelta(0)) -> list[datetime]:
    """`count` entries `gap` apart, the newest `last` before NOW."""
    return [NOW - last - i * gap for i in range(count)]


@pytest.mark.parametrize(
    "times, expected",
    [
        (every(2 * HOUR), HOUR),  # half the gap
        (every(6 * HOUR), 3 * HOUR),
        (every(5 * MIN), 15 * MIN),  # a wire feed: clamped to the minimum
        (every(7 * DAY, last=DAY), DAY),  # weekly: clamped to the maximum
        ([], HOUR),  # nothing to read a rhythm from
        ([NOW - 10 * MIN], HOUR),  # one entry
        ([NOW - 10 * DAY], DAY),  # one old entry: quiet feed
        # hourly until three days ago, then silence: polled by its silence
        (every(HOUR, last=3 * DAY), DAY),
        # hourly, last entry 2 hours ago: still hourly (a short pause is not silence)
        (every(HOUR, last=2 * HOUR), 30 * MIN),
        # entries from the future are ignored (clock skew, scheduled posts)
        (every(2 * HOUR) + [NOW + DAY, NOW + 2 * DAY], HOUR),
    ],
)
def test_next_interval(times, expected):
    assert next_interval(times, NOW) == expected


def test_a_daily_batch_reads_as_daily():
    batch = [NOW - DAY * d - timedelta(seconds=s) for d in range(4) for s in range(0, 50, 5)]
    assert next_interval(batch, NOW) == 12 * HOUR


def test_median_ignores_one_odd_gap():
    times = every(2 * HOUR, count=9) + [NOW - 40 * DAY]
    assert next_interval(times, NOW) == HOUR


def test_only_recent_entries_count():
    old_slow = [NOW - 30 * DAY - i * 7 * DAY for i in range(50)]
    assert next_interval(every(2 * HOUR, count=20) + old_slow, NOW) == HOUR


def test_bounds_are_parameters():
    assert next_interval(every(5 * MIN), NOW, min_s=60) == timedelta(seconds=150)
    assert next_interval(every(7 * DAY), NOW, max_s=3600) == HOUR


def test_unordered_input():
    times = every(2 * HOUR)
    assert next_interval(list(reversed(times)), NOW) == next_interval(times, NOW)


@pytest.mark.parametrize(
    "errors, expected",
    [
        (0, timedelta(0)),
        (1, 15 * MIN),
        (2, 30 * MIN),
        (3, HOUR),
        (4, 2 * HOUR),
        (7, 16 * HOUR),
        (8, DAY),  # capped
        (50, DAY),
        (10_000, DAY),  # no overflow
    ],
)
def test_error_backoff(errors, expected):
    assert error_backoff(errors) == expected


@pytest.mark.parametrize(
    "errors, retry_after, expected",
    [
        (1, 3600.0, HOUR),  # the server asks for longer than our backoff
        (3, 60.0, HOUR),  # our backoff is longer already
        (1, 30 * 86400.0, 7 * DAY),  # honoured up to a week
    ],
)
def test_error_backoff_honours_retry_after(errors, retry_after, expected):
    assert error_backoff(errors, retry_after) == expected
