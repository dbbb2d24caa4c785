"""The reader's search page (`/search/?q=`), its JSON twin and its feeds."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.site.conftest import get_json


def test_results_rank_the_headline_match_first_and_skip_copies(newsroom, client):
    data = get_json(client, "/search.json?q=camp+ashraf")
    ids = [a["id"] for a in data["articles"]]
    # Both mention it in the headline or the body; the copy and the hidden report do not show.
    assert ids[0] == newsroom.same_story.pk  # "… to close Camp Ashraf" in the headline
    assert set(ids) == {newsroom.same_story.pk, newsroom.seed.pk}
    assert data["count"] == 2
    assert data["searched"] == "camp ashraf"
    assert data["error"] is None


def test_the_page_says_what_it_found(newsroom, client):
    html = client.get("/search/?q=Rushdie").content.decode()
    assert "1 article matches <q><bdi>rushdie</bdi></q>" in html
    assert f'href="/article/{newsroom.rushdie.pk}/"' in html
    assert 'href="/search/feed/rss/?q=Rushdie"' in html  # follow this search
    assert 'href="/search.json?q=Rushdie"' in html  # the same results as data


def test_nothing_found_is_said(newsroom, client):
    html = client.get("/search/?q=tsunami").content.decode()
    assert "No article matches <q><bdi>tsunami</bdi></q>." in html


def test_an_empty_box_is_the_form_alone(newsroom, client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and "search-count" not in html and "cards" not in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/search.json?q=-iran", "not only what to leave out"),
        ("/search.json?q=%22%22%28%29", "only punctuation"),
        ("/search.json?q=" + "x" * 301, "at most 300 characters"),
        ("/search.json?q=iran&order=random", "not 'random'"),
    ],
)
def test_a_search_that_is_not_one_is_a_clear_400(newsroom, client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in json.loads(response.content)["error"]


def test_newest_first_and_pages_keep_the_query(newsroom, client, monkeypatch):
    from newsdesk.site import search_views

    monkeypatch.setattr(search_views, "PER_PAGE", 1)
    data = get_json(client, "/search.json?q=iran&order=newest")
    assert data["pagination"]["next"] == "/search/?q=iran&order=newest&page=2"
    assert data["pagination"]["count"] == data["count"] >= 2


def test_the_search_feed_lists_matches_newest_first(newsroom, client):
    feed = json.loads(client.get("/search/feed/json/?q=iran").content)
    titles = [item["title"] for item in feed["items"]]
    assert "EU looks to take Iran group off terror list" in titles
    assert all("copy" not in t for t in titles)
    dates = [item["date_published"] for item in feed["items"]]
    assert dates == sorted(dates, reverse=True)
    assert feed["feed_url"].endswith("/search/feed/json/?q=iran")
    rss = client.get("/search/feed/rss/?q=iran")
    assert rss.status_code == 200 and b"terror list" in rss.content


def test_a_feed_of_no_search_is_a_400(newsroom, client):
    assert client.get("/search/feed/rss/?q=").status_code == 400
    response = client.get("/search/feed/json/?q=")
    assert response.status_code == 400
    assert "Type a word" in json.loads(response.content)["message"]


def test_every_page_has_the_search_box(newsroom, client):
    html = client.get("/").content.decode()
    assert 'class="masthead-search"' in html and 'action="/search/"' in html


def test_a_known_name_is_searched_under_all_its_names(newsroom, client):
    from newsdesk.desk.models import Entity

    Entity.objects.create(slug="peoples-mojahedin-organization-of-iran", kind="org",
                          name="People's Mojahedin Organization of Iran")
    data = get_json(client, "/search.json?q=MEK")
    assert data["searched"] == "mek"
    [named] = data["also_names"]
    assert named["entity"]["url"] == "/entity/peoples-mojahedin-organization-of-iran/"
    assert "PMOI" in named["names"]
    # The seed says "(PMOI)" and "People’s Mujahideen Organization of Iran", never MEK.
    assert newsroom.seed.pk in [a["id"] for a in data["articles"]]
    html = client.get("/search/?q=MEK").content.decode()
    assert 'also searched for' in html and 'href="/entity/peoples-mojahedin-organization-of-iran/"' in html


def test_each_result_shows_where_its_body_matched(newsroom, client):
    data = get_json(client, "/search.json?q=mortars")
    [seed] = data["articles"]
    assert seed["id"] == newsroom.seed.pk
    marked = [s["text"] for s in seed["snippet"] if s["match"]]
    assert [m.lower() for m in marked] == ["mortars"]
    html = client.get("/search/?q=mortars").content.decode()
    assert "<mark>Mortars</mark> hit the camp" in html


def test_a_headline_only_match_keeps_its_excerpt(newsroom, client):
    from newsdesk.desk.models import Article

    Article.objects.create(title="Hormuz tanker seized", url="https://x.example/h", content_hash="h",
                           excerpt="A tanker was boarded at dawn.", body="A tanker was boarded at dawn.")
    [card] = get_json(client, "/search.json?q=hormuz")["articles"]
    assert card["snippet"] is None  # the body never says it: the excerpt shows instead
    assert "A tanker was boarded at dawn." in client.get("/search/?q=hormuz").content.decode()


def test_snippets_stay_text(newsroom, client):
    from newsdesk.desk.models import Article

    Article.objects.create(title="Markup in a body", url="https://x.example/m", content_hash="m",
                           body="Officials said <script>alert(1)</script> the kirkuk vote was delayed.")
    html = client.get("/search/?q=kirkuk").content.decode()
    assert "<mark>kirkuk</mark>" in html
    assert "<script>alert" not in html  # escaped (SQLite) or read as a tag and left out (PostgreSQL)


def test_a_region_and_a_span_of_days_narrow_the_search(newsroom, client):
    everywhere = {a["id"] for a in get_json(client, "/search.json?q=iran")["articles"]}
    in_iraq = {a["id"] for a in get_json(client, "/search.json?q=iran&region=iraq")["articles"]}
    assert newsroom.seed.pk in in_iraq and newsroom.rushdie.pk not in in_iraq
    assert in_iraq < everywhere
    # A region takes in everything below it: Iran & Its Neighbours holds Iraq and Iran.
    region = {a["id"] for a in get_json(client, "/search.json?q=iran&region=iran-and-its-neighbours")["articles"]}
    assert in_iraq | {newsroom.rushdie.pk} <= region
    # Rushdie is the only "Iran" article three days old; the others are two days or less.
    day = newsroom.rushdie.published_at.date()
    that_day = get_json(client, f"/search.json?q=iran&from={day}&to={day}")
    assert [a["id"] for a in that_day["articles"]] == [newsroom.rushdie.pk]
    assert that_day["pagination"]["count"] == that_day["count"] == 1
    after = {a["id"] for a in get_json(client, f"/search.json?q=iran&from={day + timedelta(days=1)}")["articles"]}
    assert after == everywhere - {newsroom.rushdie.pk}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=atlantis", "There is no region 'atlantis'"),
        ("from=31-01-2026", "Dates are written 2026-01-31"),
        ("from=2026-02-01&to=2026-01-01", "ends (2026-01-01) before it starts"),
    ],
)
def test_a_region_or_a_date_that_is_not_one_is_a_clear_400(newsroom, client, query, message):
    response = client.get(f"/search.json?q=iran&{query}")
    assert response.status_code == 400
    assert message in json.loads(response.content)["error"]
    assert client.get(f"/search/feed/rss/?q=iran&{query}").status_code == 400


def test_the_ends_of_the_calendar_are_dates_too(newsroom, client):
    assert client.get("/search.json?q=iran&from=0001-01-01&to=9999-12-31").status_code == 200


def test_the_form_offers_every_region_and_keeps_what_was_asked(newsroom, client):
    html = client.get("/search/?q=iran&region=iraq&from=2026-01-01").content.decode()
    assert '<option value="iraq" selected>' in html.replace("&nbsp;", "")
    assert 'name="from" value="2026-01-01"' in html
    assert 'href="/search/feed/rss/?q=iran&amp;region=iraq&amp;from=2026-01-01"' in html
    assert "regions" not in get_json(client, "/search.json?q=iran")  # the form's choices are HTML's


def test_a_search_broader_than_the_listing_says_so(newsroom, client, monkeypatch):
    """On PostgreSQL a search with more matches than LISTED_MATCHES lists the newest of them
    and says more match; SQLite lists every match, so it never says so."""
    from django.db import connection

    from newsdesk.desk import search as search_module

    monkeypatch.setattr(search_module, "LISTED_MATCHES", 1)
    data = get_json(client, "/search.json?q=camp+ashraf")  # two articles match
    html = client.get("/search/?q=camp+ashraf").content.decode()
    if connection.vendor == "postgresql":
        assert (data["count"], data["more"], len(data["articles"])) == (1, True, 1)
        assert "More than 1 articles match <q><bdi>camp ashraf</bdi></q>" in html
        assert "the newest 1 are listed, best match first" in html
    else:
        assert (data["count"], data["more"]) == (2, False)
        assert "2 articles match" in html
