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
    story alone: what is folded at the end of the run, settling folded. (The follow-up
    scores between 0.5 and 0.6 against the wire story since "0700 GMT" stopped being a
    name only it had; the bar sits well above that.)"""
    from newsdesk.desk import stories

    forget_process_state()
    held = replace(stories.DESK_STORY_OPTIONS, threshold=0.7, auto_merge=1.0, revisit_skip=1000)
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


def test_a_polling_round_settles_its_newest_lone_story(holding_desk, http_server):
    from newsdesk.desk.models import Article, Feed
    from newsdesk.desk.refresh import refresh_due_feeds

    items = []
    for name in ARRIVAL:
        http_server.route(f"/news/{name}", body=(FIXTURES / f"{name}.html").read_bytes())
        link = http_server.url(f"/news/{name}")
        items.append(f"<item><title>{name}</title><link>{link}</link><guid>{link}</guid></item>")
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
           f"<link>{http_server.url('/')}</link>{''.join(items)}</channel></rss>")
    http_server.route("/rss.xml", body=rss, content_type="application/rss+xml")
    assert main(["feeds", "add", http_server.url("/rss.xml")]) == 0

    [result] = refresh_due_feeds()
    assert result.status == "ok", result
    assert {item.status for item in result.items} == {"ingested"}
    follow_up = Article.objects.get(url__contains="first-kirkuk-crude-cargo")
    wire = Article.objects.get(url__startswith="https://www.reuters.com/")
    assert follow_up.story_id == wire.story_id
    assert Feed.objects.get().last_status == "ok"
