"""The stories list (`/stories/`) and the home page's "Developing stories" block: which
stories are listed, in what order, what a card says, and when they are left empty."""

from __future__ import annotations

import pytest

from newsdesk.site import time_state
from tests.site.conftest import at, get_json, vector


def make_story(title: str, *ages: float, source=None, **kw):
    """A story with one published article per age (days ago)."""
    from newsdesk.desk.models import Article, Story

    story = Story.objects.create(title=title, **kw)
    for i, days in enumerate(ages):
        Article.objects.create(
            title=f"{title}, part {i + 1}", url=f"https://news.example.org/{story.pk}/{i}",
            body="Text.", excerpt="Text.", content_hash=f"{story.pk}-{i}", story=story,
            source=source, published_at=at(days), created_at=at(days),
            term_vector=vector(word=1.0),
        )
    return story


def test_the_list_counts_visible_articles_and_outlets(newsroom, client):
    from newsdesk.desk.models import Article

    # One more outlet's article in the story; a hidden one does not count.
    Article.objects.create(title="AFP on Camp Ashraf", url="https://afp.example/ashraf", body="x",
                           content_hash="afp-ashraf", story=newsroom.story, source=newsroom.afp,
                           published_at=at(1), created_at=at(1))
    Article.objects.create(title="Withdrawn", url="https://news.example.org/withdrawn", body="x",
                           content_hash="withdrawn", story=newsroom.story,
                           status=Article.Status.HIDDEN, published_at=at(0.1), created_at=at(0.1))
    [card] = get_json(client, "/stories.json")["stories"]
    assert card["id"] == newsroom.story.pk
    assert card["title"] == "Camp Ashraf residents face move"
    assert card["url"] == f"/story/{newsroom.story.pk}/"
    assert card["articles"] == 3  # seed, same story, AFP: not the copy, not the hidden one
    assert card["outlets"] == 2  # Reuters and AFP
    assert card["latest"]["id"] == newsroom.seed.pk  # the newest visible one, not the copy
    assert card["started"] < card["updated"]
    assert [c["code"] for c in card["countries"]][:2] == ["IQ", "IR"]
    assert card["countries"][0] == {"code": "IQ", "name": "Iraq", "url": "/category/iraq/"}


def test_a_lone_article_or_one_with_only_copies_is_not_a_story(newsroom, client):
    from newsdesk.desk.models import Article

    lone = make_story("A lone report", 1)
    copied = make_story("A wire story in two outlets", 1)
    original = copied.articles.get()
    Article.objects.create(title="Its copy", url="https://other.example/copy", body="x",
                           content_hash="its-copy", story=copied, duplicate_of=original,
                           published_at=at(0.5), created_at=at(0.5))
    ids = [s["id"] for s in get_json(client, "/stories.json")["stories"]]
    assert ids == [newsroom.story.pk]
    assert lone.pk not in ids and copied.pk not in ids


def test_most_recently_covered_first_and_editor_titles(newsroom, client):
    older = make_story("Quake aftermath", 9, 6, editor_title="Herat earthquake")
    newest = make_story("Budget talks", 3, 0.1)
    stories = get_json(client, "/stories.json")["stories"]
    assert [s["id"] for s in stories] == [newest.pk, newsroom.story.pk, older.pk]
    assert stories[-1]["title"] == "Herat earthquake"
    html = client.get("/stories/").content.decode()
    assert ">Herat earthquake</a>" in html and ">Quake aftermath</a>" not in html
    assert html.index("Budget talks") < html.index("Camp Ashraf residents face move")


def test_the_home_block_shows_active_stories_only(newsroom, client):
    from newsdesk.site.developing import ACTIVE_DAYS

    stale = make_story("Last year's floods", ACTIVE_DAYS + 30, ACTIVE_DAYS + 5)
    home = get_json(client, "/index.json")
    block = home["developing"]
    assert block["title"] == "Developing stories"
    assert [s["id"] for s in block["items"]] == [newsroom.story.pk]
    # Stopped developing: off the list of stories too, but its page stays.
    assert stale.pk not in [s["id"] for s in get_json(client, "/stories.json")["stories"]]
    assert client.get(f"/story/{stale.pk}/").status_code == 200
    html = client.get("/").content.decode()
    block_html = html[html.index('id="developing"'):]
    block_html = block_html[:block_html.index("</section>")]
    assert 'href="/stories/"' in block_html  # the block's heading leads to the whole list
    assert f'href="/story/{newsroom.story.pk}/"' in block_html


def test_no_block_and_an_honest_list_without_stories(db, client):
    make_story("A lone report", 1)
    assert get_json(client, "/index.json")["developing"] is None
    assert 'id="developing"' not in client.get("/").content.decode()
    assert get_json(client, "/stories.json")["stories"] == []
    assert "No story is developing: none has had two articles in the last 14 days." in (
        client.get("/stories/").content.decode())


def test_the_list_pages_and_refuses_a_page_past_the_end(newsroom, client):
    from newsdesk.site.views import PER_PAGE

    for i in range(PER_PAGE):
        make_story(f"Story {i}", 2 + i / 100, 2 + i / 100)
    first = get_json(client, "/stories.json")
    assert len(first["stories"]) == PER_PAGE
    assert first["pagination"]["next"] == "/stories/?page=2"
    second = get_json(client, "/stories.json?page=2")
    assert len(second["stories"]) == 1
    assert client.get("/stories/?page=3").status_code == 404
    assert client.get("/stories/?page=x").status_code == 404


def test_a_page_costs_the_same_queries_for_two_stories_or_twenty(newsroom, client,
                                                                   django_assert_max_num_queries):
    make_story("Second", 1, 1)
    time_state.current()  # read once a minute per process, not per page
    with django_assert_max_num_queries(8) as few:
        client.get("/stories.json")
    for i in range(18):
        make_story(f"Story {i}", 2, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/stories.json")


def test_the_masthead_links_the_stories_list(db, client):
    html = client.get("/").content.decode()
    nav = html[html.index('<nav class="sections"'):]
    assert 'href="/stories/">Stories</a>' in nav[:nav.index("</nav>")]


@pytest.mark.parametrize("url", ["/stories/", "/stories.json"])
def test_a_merged_story_is_listed_once_under_its_survivor(newsroom, client, url):
    from newsdesk.desk.models import Article, Story

    other = make_story("Ashraf deadline", 4, 3)
    # What an editor's merge leaves: the articles moved, the old row kept as a redirect.
    Article.objects.filter(story=other).update(story=newsroom.story)
    Story.objects.filter(pk=other.pk).update(state={"merged_into": newsroom.story.pk})
    body = client.get(url).content.decode()
    assert f"/story/{other.pk}/" not in body
    assert body.count(f"/story/{newsroom.story.pk}/") == 1
