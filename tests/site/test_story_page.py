"""The story page: timeline of coverage oldest first, outlets (copies included), wire
origin, entities and countries, its feeds; and "You might also like" puts the same
story first."""

from __future__ import annotations

import json

import pytest

from tests.desk import syndication
from tests.desk.syndication import FIRST_CARGO, REUTERS, article, ingest
from tests.site.conftest import get_json

wire = syndication.wire  # the module fixture: the fixtures ingested once


@pytest.fixture
def story(wire, db):
    from newsdesk.desk.models import Story

    ingest("followup-kurdish-arrears")
    return Story.objects.get(pk=article(wire, REUTERS).story_id)


def test_timeline_is_oldest_first_without_copies(wire, story, client):
    data = get_json(client, f"/story/{story.pk}.json")
    titles = [c["title"] for c in data["timeline"]]
    assert titles[0] == article(wire, REUTERS).title
    assert titles[1] == article(wire, FIRST_CARGO).title
    assert titles[-1].startswith("Kurdistan oil firms say pipeline restart")
    whens = [c["when"] for c in data["timeline"]]
    assert whens == sorted(whens)
    assert data["timeline"][0]["outlets"] == 5
    assert data["story"]["copies"] == 4


def test_outlets_wire_origin_entities_and_countries(wire, story, client):
    data = get_json(client, f"/story/{story.pk}.json")
    outlets = {o["name"] for o in data["outlets"]}
    assert {"Reuters", "Gulf Daily Herald", "The Levant Post", "Tigris News",
            "Mesopotamia Today"} <= outlets
    [origin] = data["wire_origin"]
    assert origin["agency"] == "Reuters"
    assert origin["on_agency_site"] is True
    assert origin["outlets"] == 5
    names = {e["name"] for e in data["entities"]}
    # SOMO, under the full name the alias file gives it
    assert {"State Organization for Marketing of Oil", "Hayan Abdul-Ghani"} <= names
    codes = [c["code"] for c in data["countries"]]
    assert {"IQ", "TR"} <= set(codes)
    html = client.get(f"/story/{story.pk}/").content.decode()
    for text in ("Wire origin", "5 outlets", "Gulf Daily Herald", "Hayan Abdul-Ghani"):
        assert text in html


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_story_feeds_list_the_coverage_once(wire, story, client, kind):
    response = client.get(f"/story/{story.pk}/feed/{kind}/")
    assert response.status_code == 200
    body = response.content.decode()
    reuters = article(wire, REUTERS)
    assert body.count(f"/article/{reuters.pk}/") >= 1
    assert article(wire, FIRST_CARGO).title in body
    for name in ("levantpost-truncated", "tigrisnews-extended"):
        assert f"/article/{article(wire, name).pk}/" not in body


def test_related_puts_the_same_story_first(wire, story, client):
    cargo = article(wire, FIRST_CARGO)
    data = get_json(client, f"/article/{cargo.pk}.json")
    items = data["blocks"]["related"]["items"]
    reasons = [i["reason"] for i in items]
    assert reasons[:2] == ["same story", "same story"]
    assert article(wire, REUTERS).pk in [i["id"] for i in items[:2]]
    assert all(r != "same story" for r in reasons[2:])


def test_a_merged_story_redirects_to_the_one_it_joined(wire, story, client):
    from newsdesk.desk.models import Story
    from newsdesk.desk.stories import merge_stories

    court = Story.objects.get(pk=article(wire, "other-sinjar-court").story_id)
    merge_stories(story, [court])
    response = client.get(f"/story/{court.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/story/{story.pk}/"
    assert client.get(f"/story/{court.pk}.json")["Location"] == f"/story/{story.pk}.json"


def test_an_unknown_story_is_a_404_in_json_too(db, client):
    response = client.get("/story/999999.json")
    assert response.status_code == 404
    assert json.loads(response.content)["status"] == 404


def test_the_stories_list_counts_the_wire_story_once(wire, story):
    from newsdesk.site import developing

    # Ingested for real: five outlets ran the Reuters text, two follow-ups came later.
    # (The list itself shows recent coverage only; the fixtures' dates are fixed.)
    cards = {c["id"]: c for c in developing.story_cards(list(developing.developing()))}
    card = cards[story.pk]
    assert card["articles"] == 3  # the wire story once, and the two follow-ups
    assert card["outlets"] == 5
    assert card["latest"]["title"].startswith("Kurdistan oil firms say pipeline restart")
    assert "IQ" in [c["code"] for c in card["countries"]]
