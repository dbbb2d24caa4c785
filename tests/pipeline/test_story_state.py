"""A story clusterer kept as per-article records: rebuilt or fed row by row, it must
decide exactly as the clusterer that filed the articles."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.pipeline.stories import StoryDoc
from newsdesk.pipeline.story_state import (
    DeskClusterer,
    forget,
    keep_pinned_story,
    load_record,
    rebuild,
    record_of,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
START = datetime.fromisoformat("2026-01-06T09:00:00+00:00")


def docs() -> list[StoryDoc]:
    """The copies and related fixtures as articles, a few hours apart."""
    out = []
    paths = sorted((FIXTURES / "copies").glob("*.txt")) + sorted((FIXTURES / "related").glob("*.txt"))
    for i, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        body = text.partition("\n---\n")[2] or text
        title, _, rest = body.strip().partition("\n\n")
        out.append(StoryDoc(key=path.stem, published=START + timedelta(hours=3 * i),
                            title=title.strip(), text=rest, countries=["IQ"] if "Iraq" in rest else []))
    return out


DOCS = docs()


def counter():
    ids = iter(range(100, 10_000))
    return lambda: next(ids)


def filed() -> DeskClusterer:
    c = DeskClusterer()
    c.allocate = counter()
    for d in DOCS:
        c.add(d)
    return c


def records(c: DeskClusterer):
    return [(k, c.story_of(k), record_of(c, k)) for k in c.articles]


def test_fixtures_cover_several_stories():
    c = filed()
    assert len(DOCS) >= 10
    assert 2 <= len(c.stories) < len(DOCS)


def test_new_stories_take_ids_from_allocate():
    c = filed()
    assert all(sid >= 100 for sid in c.stories)


def test_allocate_must_not_hand_out_an_id_in_use():
    c = DeskClusterer()
    c.allocate = lambda: 7
    c.add(DOCS[0])
    with pytest.raises(ValueError, match="already in use"):
        c.add(StoryDoc(key="x", published=START, title="Football derby ends level",
                       text="The derby ended one all after a late penalty in the rain."))


def test_rebuild_gives_the_same_stories_and_decisions():
    c = filed()
    again = rebuild(records(c), c.options)
    assert {k: again.story_of(k) for k in c.articles} == {k: c.story_of(k) for k in c.articles}
    assert again.dfs.n_docs == c.dfs.n_docs
    probe = DOCS[3]
    probe = StoryDoc(key="probe", published=probe.published, title=probe.title, text=probe.text,
                     countries=probe.countries)
    assert again.assign(probe)[0] == c.assign(probe)[0]


def test_records_fed_one_by_one_equal_a_rebuild():
    c = filed()
    fed = DeskClusterer()
    for key, sid, rec in records(c):
        load_record(fed, key, sid, rec)
    rebuilt = rebuild(records(c), c.options)
    assert {k: fed.story_of(k) for k in fed.articles} == {k: rebuilt.story_of(k) for k in rebuilt.articles}
    for sid in rebuilt.stories:
        assert sorted(fed.members(sid)) == sorted(rebuilt.members(sid))


def test_load_record_replaces_and_forget_drops():
    c = filed()
    key = DOCS[0].key
    rec = record_of(c, key)
    load_record(c, key, 9999, rec)  # moved to another story by another process
    assert c.story_of(key) == 9999
    forget(c, key)
    assert key not in c.articles
    forget(c, key)  # twice is fine


def test_pins_survive_records_and_an_emptied_story():
    c = filed()
    key = DOCS[0].key
    new = c.split(c.story_of(key), [key])
    rec = record_of(c, key)
    assert rec["pinned"] is True
    again = rebuild([(k, c.story_of(k), record_of(c, k)) for k in c.articles], c.options,
                    editor_stories=c.editor_stories)
    keep_pinned_story(again, key)
    assert again.add(DOCS[0]) == new  # re-filed alone, it stays where the editor put it


def test_rebuild_keeps_stories_in_opening_order():
    c = filed()
    shuffled = list(reversed(records(c)))  # rows may come back in any order
    assert list(rebuild(shuffled, c.options).stories) == sorted(c.stories)
