"""The end of an ingest run settles the desk's newest stories, and the rows follow."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import replace

import pytest

from newsdesk.cli import main
from tests.desk.syndication import ARRIVAL, FIRST_CARGO, FIXTURES, REUTERS, forget_process_state

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def holding_desk(monkeypatch):
    """A desk whose arrivals join only near-copies and whose in-run pass leaves every
    story alone: what is folded at the end of the run, settling folded."""
    from newsdesk.desk import stories

    forget_process_state()
    held = replace(stories.DESK_STORY_OPTIONS, threshold=0.5, auto_merge=1.0, revisit_skip=1000)
    monkeypatch.setattr(stories._STATE, "options", held)
    yield
    forget_process_state()


def ingest_run(folder) -> dict[str, dict]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["ingest", str(folder), "--json"]) == 0
    lines = [json.loads(x) for x in buffer.getvalue().splitlines() if x.strip()]
    assert len(lines) == len(ARRIVAL), lines
    return dict(zip(ARRIVAL, lines, strict=True))  # the folder is read in name order


def test_an_ingest_run_settles_its_newest_lone_story(holding_desk, tmp_path):
    from newsdesk.desk.models import Article, Story

    for n, name in enumerate(ARRIVAL):  # one folder, read in name order: one run
        shutil.copy(FIXTURES / f"{name}.html", tmp_path / f"{n:02d}-{name}.html")
    run = ingest_run(tmp_path)
    follow_up, wire = run[FIRST_CARGO], run[REUTERS]
    assert follow_up["story"] != wire["story"]  # as filed during the run: alone
    settled = Article.objects.get(pk=follow_up["id"]).story_id
    assert settled == Article.objects.get(pk=wire["id"]).story_id
    assert Story.objects.get(pk=follow_up["story"]).state == {"merged_into": settled}
