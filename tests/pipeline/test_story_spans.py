"""Story spans: widened by each article's date, compared in days, unknown when undatable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.pipeline.story_spans import days_apart, days_outside, widen, within

D1, D3, D10 = "2026-01-01T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "2026-01-10T00:00:00+00:00"
NAIVE = "2026-01-05T00:00:00"


def test_widen_takes_the_earliest_and_latest():
    span = widen(None, None, D3)
    assert span == (D3, D3)
    span = widen(*span, D1)
    assert span == (D1, D3)
    assert widen(*span, D10) == (D1, D10)
    assert widen(*span, None) == (D1, D3)  # an undated article leaves it alone


def test_widen_keeps_the_span_when_timestamps_cannot_be_compared():
    assert widen(D1, D3, NAIVE) == (D1, D3)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 1, 2, tzinfo=UTC), 0.0),
        (datetime(2025, 12, 31, tzinfo=UTC), 1.0),
        (datetime(2026, 1, 5, 12, tzinfo=UTC), 2.5),
        (datetime(2026, 1, 5), None),  # naive against an aware span
        (None, None),
    ],
)
def test_days_outside_a_span(when, expected):
    assert days_outside(when, D1, D3) == expected


def test_days_apart_and_within_a_window():
    assert days_apart((D1, D3), (D10, D10)) == 7.0
    assert days_apart((D10, D10), (D1, D3)) == 7.0
    assert days_apart((D1, D10), (D3, D3)) == 0.0
    assert days_apart((D1, D3), (NAIVE, NAIVE)) is None
    assert days_apart((None, None), (D1, D3)) is None
    assert within((D1, D3), (D10, D10), 7.0)
    assert not within((D1, D3), (D10, D10), 6.9)
    assert within((None, None), (D10, D10), 0.0)  # undated: assume they may meet
