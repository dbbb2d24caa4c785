"""Provenance on the reader's site: the canonical shows once with its outlet count, its
page lists who else ran it and what they changed, and a copy's address leads to it."""

from __future__ import annotations

import pytest

from tests.desk import syndication
from tests.desk.syndication import COPIES, REUTERS, article
from tests.site.conftest import get_json

wire = syndication.wire  # the module fixture: the fixtures ingested once

EXPECTED_CHANGES = {
    "gulfdailyherald-prefix": ("Gulf Daily Herald", "verbatim"),
    "levantpost-truncated": ("The Levant Post", "headline edited, 2 paragraphs cut"),
    "tigrisnews-extended": ("Tigris News", "2 paragraphs added"),
    "mesopotamiatoday-newlede": ("Mesopotamia Today", "headline edited, 1 paragraph changed"),
}


def test_latest_shows_the_wire_story_once_with_five_outlets(wire, db, client):
    page = get_json(client, "/index.json")
    ids = [c["id"] for c in page["latest"]]
    reuters = article(wire, REUTERS)
    assert ids.count(reuters.pk) == 1
    assert not {article(wire, n).pk for n in COPIES} & set(ids)
    card = next(c for c in page["latest"] if c["id"] == reuters.pk)
    assert card["outlets"] == 5
    others = [c for c in page["latest"] if c["id"] != reuters.pk]
    assert others and all(c["outlets"] == 1 for c in others)
    html = client.get("/").content.decode()
    assert "5 outlets" in html


def test_category_page_and_feeds_show_it_once(wire, db, client):
    reuters = article(wire, REUTERS)
    category = reuters.category
    page = get_json(client, f"/category/{category.slug}.json")
    ids = [c["id"] for c in page["articles"]]
    assert ids.count(reuters.pk) == 1
    assert next(c for c in page["articles"] if c["id"] == reuters.pk)["outlets"] == 5
    feed = get_json(client, "/feed/json/")
    urls = [i["url"] for i in feed["items"]]
    assert sum(u.endswith(f"/article/{reuters.pk}/") for u in urls) == 1
    item = next(i for i in feed["items"] if i["url"].endswith(f"/article/{reuters.pk}/"))
    assert item["_newsdesk"]["outlets"] == 5
    rss = client.get("/feed/rss/").content.decode()
    assert rss.count(f"/article/{reuters.pk}/</link>") == 1
    assert "(5 outlets)</description>" in rss
    assert rss.count("outlets)") == 1
    for name in COPIES:
        assert f"/article/{article(wire, name).pk}/<" not in rss


@pytest.mark.parametrize("name", COPIES)
def test_article_page_lists_each_outlet_and_what_it_changed(wire, db, client, name):
    reuters = article(wire, REUTERS)
    copy = article(wire, name)
    outlet, changes = EXPECTED_CHANGES[name]
    data = get_json(client, f"/article/{reuters.pk}.json")
    listed = {c["outlet"]: c for c in data["article"]["also_published"]}
    assert set(listed) == {o for o, _ in EXPECTED_CHANGES.values()}
    assert listed[outlet]["url"] == copy.url
    assert listed[outlet]["changes"] == changes
    html = client.get(f"/article/{reuters.pk}/").content.decode()
    assert "Also published by" in html
    assert f'href="{copy.url}"' in html
    assert changes in html


def test_copies_redirect_to_the_canonical(wire, db, client):
    reuters = article(wire, REUTERS)
    for name in COPIES:
        copy = article(wire, name)
        response = client.get(f"/article/{copy.pk}/")
        assert response.status_code == 302
        assert response["Location"] == f"/article/{reuters.pk}/"
        response = client.get(f"/article/{copy.pk}.json")
        assert response["Location"] == f"/article/{reuters.pk}.json"


def test_an_article_without_copies_lists_none(wire, db, client):
    other = article(wire, "other-sinjar-court")
    data = get_json(client, f"/article/{other.pk}.json")
    assert data["article"]["also_published"] == []
    assert "Also published by" not in client.get(f"/article/{other.pk}/").content.decode()
