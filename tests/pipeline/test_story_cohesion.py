"""Cohesion at the end of a batch: a story whose articles came together through a chain
(each joining the centroid its predecessors made) is split where two of its articles
share no words, so an undated roundup cannot glue two events and a story grown by
generic words lets go of the article that shares nothing with the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.pipeline.stories import StoryClusterer, StoryDoc, StoryOptions, complete_link_groups

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NO_SPLIT = StoryOptions(split_below=0.0)

# Two events in one country on the same day, sharing no words, and a roundup that
# reports both (undated, as many text dumps are).
QUAKE = StoryDoc(
    "quake", NOW, "Earthquake shakes Tabriz",
    "A strong earthquake shook Tabriz before dawn, collapsing brick houses in the old "
    "bazaar quarter. Rescue teams pulled survivors from rubble while aftershocks rattled "
    "the city. Seismologists measured the tremor at magnitude six near Tabriz.",
    entities=["Tabriz"], countries=["IR"])
QUAKE_2 = StoryDoc(
    "quake-2", NOW + timedelta(hours=3), "Tabriz earthquake survivors sheltered in tents",
    "Survivors of the Tabriz earthquake spent the night in tents as aftershocks continued. "
    "Rescue teams searched collapsed houses in the bazaar quarter, and seismologists warned "
    "of further tremors around Tabriz.",
    entities=["Tabriz"], countries=["IR"])
ROUNDUP = StoryDoc(
    "roundup", None, "Iran news in brief",
    "An earthquake shook Tabriz, collapsing houses in the bazaar quarter as rescue teams "
    "searched the rubble. Separately the central bank in Tehran raised its benchmark "
    "interest rate to curb inflation, and the rial weakened against the dollar.",
    entities=["Tabriz", "Tehran"], countries=["IR"])
RATES = StoryDoc(
    "rates", NOW + timedelta(hours=5), "Iran central bank raises interest rate",
    "The central bank in Tehran raised its benchmark interest rate to curb inflation, "
    "the governor said. The rial weakened against the dollar on the open market as "
    "traders doubted the rate rise would slow inflation.",
    entities=["Tehran"], countries=["IR"])
RATES_2 = StoryDoc(
    "rates-2", NOW + timedelta(hours=8), "Rial slides after Iran rate rise",
    "The rial slid further against the dollar after the central bank rate rise, as "
    "inflation expectations stayed high, currency traders in Tehran said. The governor "
    "defended the benchmark interest rate decision.",
    entities=["Tehran"], countries=["IR"])
STREAM = [QUAKE, ROUNDUP, RATES, QUAKE_2, RATES_2]


def clustered(options: StoryOptions, docs=STREAM) -> StoryClusterer:
    c = StoryClusterer(options)
    for doc in docs:
        c.add(doc)
    return c


def test_without_the_check_the_roundup_chains_two_events():
    # the premise: single-pass clustering glues the events through the roundup
    c = clustered(NO_SPLIT)
    c.settle()
    assert c.story_of("quake") == c.story_of("rates")


def test_an_undated_roundup_does_not_glue_two_events():
    c = clustered(StoryOptions())
    c.settle()
    assert c.story_of("quake") == c.story_of("quake-2")
    assert c.story_of("rates") == c.story_of("rates-2")
    assert c.story_of("quake") != c.story_of("rates")
    moved = {key for _, keys in c.split_off.values() for key in keys}
    assert moved and moved < {"quake", "quake-2", "roundup", "rates", "rates-2"}
    for new, (old, keys) in c.split_off.items():
        assert all(c.story_of(k) == c.resolve(new) for k in keys)
        assert c.resolve(old) != c.resolve(new)


def test_a_lone_article_sharing_only_generic_words_leaves_the_big_story():
    # A story grown on one event, and a lone report that reached it through the roundup's
    # words: at the end of the batch it shares nothing with most of the story.
    c = clustered(StoryOptions(), [QUAKE, QUAKE_2, ROUNDUP, RATES])
    c.settle()
    assert c.story_of("rates") != c.story_of("quake")
    assert c.story_of("quake") == c.story_of("quake-2")


def test_settle_checks_only_the_stories_touched_since_the_last_settle():
    c = clustered(StoryOptions())
    glued = c.story_of("quake")
    assert c.story_of("rates") == glued  # still glued: nothing is split before settle
    assert c.touched
    c.settle(touched=[])
    assert c.story_of("rates") == glued
    c.settle(touched=[glued])
    assert c.story_of("rates") != c.story_of("quake")
    assert not c.touched


def test_editor_shaped_stories_are_never_split():
    c = clustered(StoryOptions())
    glued = c.story_of("quake")
    c.pin("rates", glued)
    c.settle()
    assert c.story_of("rates") == c.story_of("quake") == glued
    assert c.split_off == {}


@pytest.mark.parametrize("size_cap", [1, 4])
def test_stories_over_the_size_cap_are_left_alone(size_cap):
    c = clustered(replace(StoryOptions(), split_max_size=size_cap))
    c.settle()
    assert c.story_of("quake") == c.story_of("rates")


def test_state_round_trip_after_a_split():
    c = clustered(StoryOptions())
    c.settle()
    again = StoryClusterer.from_state(c.to_state())
    assert {k: again.story_of(k) for k in c.articles} == {k: c.story_of(k) for k in c.articles}


def test_complete_link_groups():
    sim = [[1.0, 0.5, 0.0, 0.0],
           [0.5, 1.0, 0.3, 0.0],
           [0.0, 0.3, 1.0, 0.6],
           [0.0, 0.0, 0.6, 1.0]]
    assert complete_link_groups(sim, 0.1) == [[0, 1], [2, 3]]
    assert complete_link_groups(sim, 0.0) == [[0, 1, 2, 3]]
    assert sorted(complete_link_groups(sim, 0.7)) == [[0], [1], [2], [3]]
