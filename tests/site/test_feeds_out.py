"""Feeds out parse back with feedparser: RSS 2.0, Atom 1.0 and JSON Feed 1.1, for every scope."""

from __future__ import annotations

from datetime import datetime

import feedparser
import pytest

pytestmark = pytest.mark.django_db

SCOPES = [
    ("home", "/feed/{kind}/"),
    ("category", "/category/iran-and-its-neighbours/feed/{kind}/"),
    ("entity", "/entity/pmoi/feed/{kind}/"),
    ("story", "/story/{story}/feed/{kind}/"),
]
KINDS = [("rss", "rss20", "application/rss+xml"), ("atom", "atom10", "application/atom+xml"),
         ("json", "json11", "application/feed+json")]


def parse(response):
    """feedparser for RSS and Atom; JSON Feed (which feedparser 6.0 cannot read) by its spec."""
    if not response["Content-Type"].startswith("application/feed+json"):
        return feedparser.parse(response.content)
    data = response.json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and isinstance(data["items"], list)
    entries = []
    for item in data["items"]:
        assert isinstance(item["id"], str) and ("content_text" in item or "content_html" in item)
        entries.append(feedparser.FeedParserDict(
            title=item["title"], link=item["url"], summary=item["summary"],
            published_parsed=datetime.fromisoformat(item["date_published"]).timetuple(),
        ))
    return feedparser.FeedParserDict(bozo=0, version="json11", entries=entries, feed=data)


def expected_titles(scope: str, room) -> list[str]:
    """Newest first; hidden articles and syndicated copies never appear."""
    return {
        "home": [room.seed.title, room.terror_list.title, room.pensions.title,
                 room.same_story.title, room.rushdie.title],
        "category": [room.seed.title, room.terror_list.title, room.same_story.title, room.rushdie.title],
        "entity": [room.seed.title, room.terror_list.title],
        "story": [room.seed.title, room.same_story.title],
    }[scope]


@pytest.mark.parametrize("scope,pattern", SCOPES, ids=[s[0] for s in SCOPES])
@pytest.mark.parametrize("kind,version,content_type", KINDS, ids=[k[0] for k in KINDS])
def test_feed_parses_back(client, newsroom, scope, pattern, kind, version, content_type):
    response = client.get(pattern.format(kind=kind, story=newsroom.story.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    parsed = parse(response)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert [e.title for e in parsed.entries] == expected_titles(scope, newsroom)
    first = parsed.entries[0]
    assert first.link.endswith(f"/article/{newsroom.seed.pk}/")
    assert first.summary.startswith("The leader of an Iranian dissident group")  # agency prefix dropped
    assert first.get("published_parsed") is not None


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_names_the_author(client, newsroom, kind):
    parsed = feedparser.parse(client.get(f"/feed/{kind}/").content)
    assert parsed.entries[0].get("author") == "John Irish"
    assert parsed.entries[1].get("author") == "Reuters"  # no byline: the agency


def test_json_feed_is_version_1_1(client, newsroom):
    data = client.get("/category/iraq/feed/json/").json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "http://testserver/category/iraq/feed/json/"
    assert data["home_page_url"] == "http://testserver/category/iraq/"
    item = data["items"][0]
    assert item["authors"] == [{"name": "John Irish"}]
    assert "external_url" not in item  # file:// originals are not links
    assert {"id", "url", "title", "content_text", "date_published"} <= item.keys()


@pytest.mark.parametrize("url,json_error", [
    ("/category/atlantis/feed/rss/", False),
    ("/entity/nobody/feed/atom/", False),
    ("/story/999999/feed/json/", True),
    ("/feed/xml/", False),
])
def test_unknown_feed_is_not_found(client, newsroom, url, json_error):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") == json_error


def test_pages_advertise_their_feeds(client, newsroom):
    html = client.get("/category/iraq/").content.decode()
    for kind, mime in [("rss", "application/rss+xml"), ("atom", "application/atom+xml"), ("json", "application/feed+json")]:
        assert f'type="{mime}"' in html and f'href="/category/iraq/feed/{kind}/"' in html


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_a_stored_control_character_does_not_take_a_feed_down(client, newsroom, kind):
    """Django refuses to write "\\x0b" into XML; one such title made the feed a 500."""
    from newsdesk.desk.models import Article

    Article.objects.filter(pk=newsroom.seed.pk).update(
        title="Iran group\x0b say US responsible", excerpt="The leader\x1e said")
    response = client.get(f"/feed/{kind}/")
    assert response.status_code == 200
    titles = [" ".join(e.title.split()) for e in parse(response).entries]
    assert "Iran group say US responsible" in titles or kind == "json"
    assert b"\x0b" not in response.content and b"\x1e" not in response.content
