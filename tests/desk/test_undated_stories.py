"""An undated article is news of the time it came in: it joins a current story on the same
event, and never a story from another era, however alike their words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

DATED = """---
title: Iraq resumes crude exports through the Kirkuk-Ceyhan pipeline to Turkey
date: {date}
---

Iraq resumed crude oil exports through the Kirkuk-Ceyhan pipeline to the Turkish port of Ceyhan on Tuesday, the oil ministry in Baghdad said, after a halt of three weeks caused by a pumping station fire near Kirkuk.

The pipeline carries about 400,000 barrels per day of Kirkuk crude to Ceyhan, where tankers load for Mediterranean refiners, ministry officials said.

Engineers repaired the damaged pumping station near Kirkuk over the weekend and flows were rising steadily, a ministry spokesman told reporters in Baghdad.
"""

UNDATED = """Kirkuk crude flows to Ceyhan again after pumping station repair

Crude oil from Kirkuk is flowing again through the pipeline to the Turkish port of Ceyhan, Iraqi oil ministry officials said, after engineers repaired a pumping station near Kirkuk that a fire had shut for three weeks.

Flows through the Kirkuk-Ceyhan pipeline were rising toward the usual 400,000 barrels per day, and tankers were expected to load Kirkuk crude at Ceyhan for Mediterranean refiners within days, the officials said in Baghdad.
"""


def stories(tmp_path, dated_at: datetime) -> tuple[int, int]:
    from newsdesk.desk.models import Article

    dated, undated = tmp_path / "dated.md", tmp_path / "undated.txt"
    dated.write_text(DATED.format(date=dated_at.strftime("%Y-%m-%d")), encoding="utf-8")
    undated.write_text(UNDATED, encoding="utf-8")
    assert main(["ingest", str(dated)]) == 0
    assert main(["ingest", str(undated)]) == 0
    first = Article.objects.get(url=dated.resolve().as_uri())
    second = Article.objects.get(url=undated.resolve().as_uri())
    assert second.published_at is None and second.duplicate_of_id is None
    return first.story_id, second.story_id


def test_an_undated_report_joins_the_current_story_on_its_event(tmp_path):
    first, second = stories(tmp_path, datetime.now(UTC) - timedelta(days=1))
    assert first == second


def test_an_undated_report_never_joins_a_story_from_another_era(tmp_path):
    first, second = stories(tmp_path, datetime(1987, 4, 8, tzinfo=UTC))
    assert first != second
