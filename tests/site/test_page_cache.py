"""Cached reader pages are never stale: each page is shown to come from the cache (its
second request costs one query, the desk version's), then an editor acts through the
admin (or the desk files an article) and the very next request shows it.
"""

from __future__ import annotations

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsdesk.desk.models import Article, Category, Story
from newsdesk.site import desk_version
from tests.site.conftest import at

pytestmark = pytest.mark.django_db


def cached(client, url: str, **headers):
    """The page, asked twice: the second answer must come from the page cache."""
    first = client.get(url, **headers)
    assert first.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, **headers)
    assert again.status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]  # the desk version, nothing else
    assert again.content == first.content
    return first


def text(response) -> str:
    return response.content.decode()


# Editor actions, each as the editor takes it in the workspace.

def admin_action(admin_client, action: str, *articles):
    response = admin_client.post(reverse("admin:desk_article_changelist"),
                                 {"action": action, "_selected_action": [a.pk for a in articles]})
    assert response.status_code == 302


def refile(admin_client, article, category):
    """The article's change form, saved with another category (its places inline untouched)."""
    from django.contrib import admin
    from django.forms.models import model_to_dict

    model_admin = admin.site._registry[Article]
    url = reverse("admin:desk_article_change", args=[article.pk])
    request = admin_client.get(url).wsgi_request
    article = Article.objects.get(pk=article.pk)
    form_class = model_admin.get_form(request, article, change=True)
    data = {k: json.dumps(v) if isinstance(v, list | dict) else v
            for k, v in model_to_dict(article, fields=form_class.base_fields).items() if v is not None}
    data["category"] = category.pk
    form = form_class(data=data, instance=article)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)


def story_form(story, **fields) -> dict:
    members = list(Article.objects.filter(story=story).order_by("published_at", "pk"))
    data = {"editor_title": story.editor_title, "articles-TOTAL_FORMS": str(len(members)),
            "articles-INITIAL_FORMS": str(len(members)), "articles-MIN_NUM_FORMS": "0",
            "articles-MAX_NUM_FORMS": "0", **fields}
    for i, a in enumerate(members):
        data[f"articles-{i}-id"] = str(a.pk)
        data[f"articles-{i}-story"] = str(story.pk)
    return data


def rename(admin_client, story, title: str):
    response = admin_client.post(reverse("admin:desk_story_change", args=[story.pk]),
                                 story_form(story, editor_title=title))
    assert response.status_code == 302, response.content[:1000]


def merge(admin_client, *stories):
    response = admin_client.post(reverse("admin:desk_story_changelist"),
                                 {"action": "merge_stories", "_selected_action": [s.pk for s in stories]})
    assert response.status_code == 302


# One test per cached page.

def test_home_shows_a_hide_and_a_pick_at_once(client, admin_client, newsroom):
    title = newsroom.terror_list.title
    assert title in text(cached(client, "/"))
    admin_action(admin_client, "hide", newsroom.terror_list)
    assert title not in text(client.get("/"))

    assert '"must_read": null' in text(cached(client, "/index.json"))
    admin_action(admin_client, "make_pick", newsroom.rushdie)
    must_read = client.get("/index.json").json()["must_read"]
    assert [i["id"] for i in must_read["items"]] == [newsroom.rushdie.pk]


def test_region_page_shows_a_refiled_article(client, admin_client, newsroom):
    url = "/category/iran-and-its-neighbours/"
    assert newsroom.pensions.title not in text(cached(client, url))
    refile(admin_client, newsroom.pensions, newsroom.iran)
    assert newsroom.pensions.title in text(client.get(url))


def test_country_page_shows_a_publish_and_a_hide(client, admin_client, newsroom):
    url = "/category/iraq.json"
    ids = [a["id"] for a in cached(client, url).json()["articles"]]
    assert newsroom.hidden.pk not in ids and newsroom.seed.pk in ids
    admin_action(admin_client, "publish", newsroom.hidden)
    admin_action(admin_client, "hide", newsroom.seed)
    ids = [a["id"] for a in client.get(url).json()["articles"]]
    assert newsroom.hidden.pk in ids and newsroom.seed.pk not in ids


@pytest.mark.parametrize("suffix", ["/", ".json"])
def test_article_page_shows_a_story_rename_and_a_hide(client, admin_client, newsroom, suffix):
    url = f"/article/{newsroom.seed.pk}{suffix}"
    assert "Ashraf talks renamed" not in text(cached(client, url))
    rename(admin_client, newsroom.story, "Ashraf talks renamed")
    assert "Ashraf talks renamed" in text(client.get(url))
    admin_action(admin_client, "hide", newsroom.seed)
    assert client.get(url).status_code == 404


def test_entity_page_shows_a_hide(client, admin_client, newsroom):
    url = "/entity/maryam-rajavi.json"
    assert newsroom.terror_list.pk in [a["id"] for a in cached(client, url).json()["articles"]]
    admin_action(admin_client, "hide", newsroom.terror_list)
    assert newsroom.terror_list.pk not in [a["id"] for a in client.get(url).json()["articles"]]


def test_story_page_shows_a_rename(client, admin_client, newsroom):
    url = f"/story/{newsroom.story.pk}/"
    assert "Camp Ashraf residents face move" in text(cached(client, url))
    rename(admin_client, newsroom.story, "Ashraf residents: the move")
    assert "Ashraf residents: the move" in text(client.get(url))


def test_stories_list_shows_a_merge_and_a_rename(client, admin_client, newsroom):
    other = Story.objects.create(title="Ashraf deadline talks")
    for n in range(2):
        Article.objects.create(title=f"Deadline talk {n}", url=f"https://x.example/d{n}", body="b",
                               content_hash=f"d{n}", story=other, category=newsroom.iraq,
                               published_at=at(0.1 * (n + 1)), created_at=at(0.1 * (n + 1)))
    assert len(cached(client, "/stories.json").json()["stories"]) == 2
    merge(admin_client, newsroom.story, other)
    [story] = client.get("/stories.json").json()["stories"]
    assert story["articles"] == 4
    rename(admin_client, Story.objects.get(pk=story["id"]), "Ashraf, all of it")
    assert client.get("/stories.json").json()["stories"][0]["title"] == "Ashraf, all of it"


@pytest.mark.parametrize("word,article", [("withdrawn", "hidden"), ("pension", "pensions")])
def test_search_shows_a_publish_and_a_hide(client, admin_client, newsroom, word, article):
    """A rare word (one match, or none) before and after."""
    target = getattr(newsroom, article)
    url = f"/search.json?q={word}"
    before = [a["id"] for a in cached(client, url).json()["articles"]]
    admin_action(admin_client, "hide" if target.pk in before else "publish", target)
    after = [a["id"] for a in client.get(url).json()["articles"]]
    assert (target.pk in after) != (target.pk in before)


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_feed_shows_a_new_article_and_a_hide(client, admin_client, newsroom, kind):
    url = f"/feed/{kind}/"
    assert "Fresh off the wire" not in text(cached(client, url))
    fresh = Article.objects.create(title="Fresh off the wire", url="https://x.example/fresh", body="b",
                                   content_hash="fresh", category=newsroom.iraq, published_at=at(0))
    assert "Fresh off the wire" in text(client.get(url))
    admin_action(admin_client, "hide", fresh)
    assert "Fresh off the wire" not in text(client.get(url))


def test_recommended_is_never_cached_and_shows_a_hide(client, admin_client, newsroom, related_module):
    """One reader's history makes the page: no cache keeps it (the page cache, a proxy),
    in a POST body or in an older client's query string alike."""
    mine = {"seen": str(newsroom.seed.pk)}
    for response in (client.post("/recommend.json", mine), client.get("/recommend.json", mine)):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"] and not response.has_header("ETag")
    assert newsroom.terror_list.pk in [i["id"] for i in client.post("/recommend.json", mine).json()["items"]]
    assert client.post("/recommend.json", {"seen": str(newsroom.pensions.pk)}).json()["seen"] == [
        newsroom.pensions.pk]
    admin_action(admin_client, "hide", newsroom.terror_list)
    assert newsroom.terror_list.pk not in [i["id"] for i in client.post("/recommend.json", mine).json()["items"]]


def test_sources_page_shows_a_hide(client, admin_client, newsroom):
    def afp():
        outlets = client.get("/sources.json").json()["outlets"]
        return next(o["articles"] for o in outlets if o["name"] == "AFP")

    before = afp()
    cached(client, "/sources.json")
    admin_action(admin_client, "hide", newsroom.rushdie)
    assert afp() == before - 1


def test_a_filed_article_shows_on_the_next_request(client, region_tree, tmp_path):
    """The desk's own ingest, not an editor: the home page and the feed show it next."""
    from newsdesk.desk.ingest import ingest_target
    from tests.conftest import FIXTURES

    home = text(cached(client, "/"))
    feed = text(cached(client, "/feed/rss/"))
    page = tmp_path / "tehran.html"
    page.write_text((FIXTURES / "desk" / "tehran-talks.html").read_text())
    [result] = list(ingest_target(str(page)))
    title = result.article.title
    assert title not in home and title not in feed
    assert title in text(client.get("/")) and title in text(client.get("/feed/rss/"))


# The cache's own rules.

def test_reads_do_not_move_the_desk_version(client, newsroom):
    before = desk_version.current()
    for _ in range(3):
        assert client.post(f"/article/{newsroom.seed.pk}/read").status_code == 200
    assert desk_version.current() == before


def test_every_watched_write_moves_the_desk_version(newsroom):
    """queryset.update() and raw SQL too: the triggers, not the code paths, keep count."""
    seen = [desk_version.current()]
    Article.objects.filter(pk=newsroom.seed.pk).update(title="Renamed by update()")
    seen.append(desk_version.current())
    with connection.cursor() as cur:
        cur.execute("UPDATE desk_category SET name = 'Irak' WHERE id = %s", [newsroom.iraq.pk])
    seen.append(desk_version.current())
    Category.objects.filter(pk=newsroom.france.pk).delete()
    seen.append(desk_version.current())
    assert seen == sorted(set(seen)), seen


def test_the_poller_timing_a_feed_leaves_the_pages_cached(newsroom):
    from newsdesk.desk.models import Feed

    feed = Feed.objects.create(url="https://x.example/feed.xml", title="X")
    before = desk_version.current()
    Feed.objects.filter(pk=feed.pk).update(last_status="ok", error_count=0)
    Feed.objects.filter(pk=feed.pk, title="").update(title="Its own title")  # no row: titled
    Feed.objects.filter(pk=feed.pk).update(title="X")  # the same title
    assert desk_version.current() == before
    Feed.objects.filter(pk=feed.pk).update(title="X news")
    assert desk_version.current() > before


@pytest.mark.parametrize("url", ["/", "/article/{seed}.json", "/feed/rss/"])
def test_revalidation_is_answered_from_the_version_alone(client, newsroom, url):
    url = url.format(seed=newsroom.seed.pk)
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 1
    admin_free_change = Article.objects.filter(pk=newsroom.rushdie.pk)
    admin_free_change.update(title="Rushdie, again")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_gzip_is_the_same_page(client, newsroom):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] != plain["ETag"]


def test_head_is_answered_like_get(client, newsroom):
    url = f"/article/{newsroom.seed.pk}/"
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"] and head["Content-Type"] == got["Content-Type"]


def test_html_and_json_of_one_address_are_cached_apart(client, newsroom):
    url = f"/article/{newsroom.seed.pk}/"
    html = client.get(url)
    as_json = client.get(url, HTTP_ACCEPT="application/json")
    assert html["Content-Type"].startswith("text/html")
    assert as_json["Content-Type"].startswith("application/json")


def test_admin_pages_are_neither_cached_nor_compressed(admin_client, newsroom):
    url = reverse("admin:desk_article_changelist")
    first = admin_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in first  # the page carries the CSRF token: BREACH
    Article.objects.filter(pk=newsroom.rushdie.pk).update(title="Rushdie, retitled")
    assert "Rushdie, retitled" in text(admin_client.get(url))


# Time-driven blocks: re-rendered when their lists change, not when a minute passes.

def _must_read(client) -> list[str]:
    block = client.get("/index.json").json().get("must_read") or {}
    return [card["title"] for card in block.get("items", [])]


def _reads(article, count):
    from newsdesk.desk.models import ReadCount
    from newsdesk.site.reads import current_hour

    ReadCount.objects.update_or_create(article=article, hour=current_hour(), defaults={"count": count})


def test_most_read_moves_with_the_time_state_and_an_unchanged_desk_stays_cached(client, newsroom):
    from newsdesk.site import time_state

    _reads(newsroom.seed, 5)
    _reads(newsroom.rushdie, 2)
    first = client.get("/")
    assert _must_read(client)[:2] == [newsroom.seed.title, newsroom.rushdie.title]
    time_state.forget()  # as a minute passing does: the lists are read again, unchanged
    assert client.get("/")["ETag"] == first["ETag"]
    _reads(newsroom.rushdie, 9)  # reads move no desk version ...
    assert client.get("/")["ETag"] == first["ETag"]
    time_state.forget()  # ... but the next reading of the time state sees them
    assert client.get("/")["ETag"] != first["ETag"]
    assert _must_read(client)[:2] == [newsroom.rushdie.title, newsroom.seed.title]

