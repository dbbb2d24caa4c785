"""A reader is never shown the time the desk added an article as its publication date, and
a wire credit printed in the dateline is shown on the page."""

from __future__ import annotations

import feedparser
import pytest

from newsdesk.desk.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def undated(newsroom):
    Article.objects.filter(pk=newsroom.pensions.pk).update(published_at=None)
    return Article.objects.get(pk=newsroom.pensions.pk)


def test_an_undated_article_says_when_it_was_added(client, undated):
    html = client.get(f"/article/{undated.pk}/").content.decode()
    assert "No publication date given; added to the desk" in html
    data = client.get(f"/article/{undated.pk}.json").json()["article"]
    assert data["published"] is None and data["when"]


def test_cards_mark_undated_articles(client, undated, newsroom):
    latest = client.get("/index.json").json()["latest"]
    by_id = {c["id"]: c for c in latest}
    assert by_id[undated.pk]["dated"] is False
    assert by_id[newsroom.seed.pk]["dated"] is True
    html = client.get("/").content.decode()
    assert html.count('<span class="added">added') >= 1  # in each block that lists it


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_give_no_publication_date_for_undated_articles(client, undated, kind):
    entries = {e.title: e for e in feedparser.parse(client.get(f"/feed/{kind}/").content).entries}
    assert entries[undated.title].get("published_parsed") is None
    dated = [e for title, e in entries.items() if title != undated.title]
    assert all(e.get("published_parsed") for e in dated)


def test_json_feed_gives_no_publication_date_for_undated_articles(client, undated):
    items = {i["title"]: i for i in client.get("/feed/json/").json()["items"]}
    assert "date_published" not in items[undated.title]
    assert all("date_published" in i for t, i in items.items() if t != undated.title)


def test_a_dateline_credit_is_shown_without_an_excerpt(client, newsroom):
    Article.objects.filter(pk=newsroom.seed.pk).update(excerpt="")
    html = client.get(f"/article/{newsroom.seed.pk}/").content.decode()
    assert '<span class="dateline">Paris, Jan 6 (Reuters)</span>' in html
