"""Every reader URL through the real test client, as HTML and as its JSON twin."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from newsdesk.desk.models import Article, Pick, ReadCount
from newsdesk.site import time_state
from tests.site.conftest import hour_ago

pytestmark = pytest.mark.django_db

# (name, HTML URL, JSON twin) — URLs use the fixture's objects, filled in by `resolve`.
PAGES = [
    ("home", "/", "/index.json"),
    ("home-dot", "/", "/.json"),
    ("category", "/category/iraq/", "/category/iraq.json"),
    ("region", "/category/iran-and-its-neighbours/", "/category/iran-and-its-neighbours.json"),
    ("article", "/article/{seed}/", "/article/{seed}.json"),
    ("entity", "/entity/maryam-rajavi/", "/entity/maryam-rajavi.json"),
    ("story", "/story/{story}/", "/story/{story}.json"),
    ("recommend", "/recommend?seen={seed}", "/recommend.json?seen={seed}"),
]


def resolve(url: str, room) -> str:
    return url.format(seed=room.seed.pk, story=room.story.pk)


@pytest.mark.parametrize("name,html_url,json_url", PAGES, ids=[p[0] for p in PAGES])
def test_page_answers_html_and_json(client, newsroom, name, html_url, json_url):
    html = client.get(resolve(html_url, newsroom))
    assert html.status_code == 200
    assert html["Content-Type"].startswith("text/html")
    assert "<!doctype html>" in html.content.decode()[:50]
    assert "Accept" in html["Vary"]

    twin = client.get(resolve(json_url, newsroom))
    assert twin.status_code == 200
    assert twin["Content-Type"].startswith("application/json")
    data = twin.json()

    negotiated = client.get(resolve(html_url, newsroom), HTTP_ACCEPT="application/json")
    assert negotiated["Content-Type"].startswith("application/json")
    assert negotiated.json() == data
    assert data["page"] in name or name.startswith(data["page"]) or data["page"] == "category"


NOT_FOUND = [
    ("/article/999999.json", {}),
    ("/article/999999/", {"HTTP_ACCEPT": "application/json"}),
    ("/category/atlantis.json", {}),
    ("/entity/nobody.json", {}),
    ("/story/999999.json", {}),
    ("/no/such/page.json", {}),
    ("/no/such/page/", {"HTTP_ACCEPT": "application/json"}),
    ("/category/iraq.json?page=99", {}),
    ("/category/iraq.json?page=x", {}),
]


@pytest.mark.parametrize("url,headers", NOT_FOUND)
def test_not_found_comes_back_as_json_when_json_was_asked(client, newsroom, url, headers):
    response = client.get(url, **headers)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 404


def test_not_found_is_html_for_a_browser(client, newsroom):
    response = client.get("/article/999999/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Not found" in response.content.decode()


def test_hidden_article_is_not_found(client, newsroom):
    assert client.get(f"/article/{newsroom.hidden.pk}/").status_code == 404


@pytest.mark.parametrize("suffix,target", [("/", "/article/{seed}/"), (".json", "/article/{seed}.json")])
def test_syndicated_copy_redirects_to_its_original(client, newsroom, suffix, target):
    response = client.get(f"/article/{newsroom.copy.pk}{suffix}")
    assert response.status_code == 302
    assert response["Location"] == target.format(seed=newsroom.seed.pk)


def test_article_page_has_the_seed_anatomy(client, newsroom):
    html = client.get(f"/article/{newsroom.seed.pk}/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert crumbs.index("Iran &amp; Its Neighbours") < crumbs.index("Iraq")
    assert '<h1 class="headline">Iran group say US responsible for members in Iraq</h1>' in html
    assert '<strong class="agency">Reuters:</strong> The leader of an Iranian' in html
    assert "Reuters: Reuters:" not in html
    assert "By John Irish" in html
    assert '<span class="dateline">Paris, Jan 6 (Reuters)</span>' in html  # no invented year
    assert "Reporting By John Irish; Editing by Roger Atwood" in html
    assert "Source: Reuters" in html and 'href="file:' not in html
    assert html.count("<p>") == 3  # body paragraphs; the one repeating the excerpt is not printed twice
    assert html.count("who could be forcefully moved") == 1
    assert '<a class="entity" href="/entity/maryam-rajavi/">Maryam Rajavi</a>' in html
    assert '<a class="entity" href="/entity/pmoi/">' in html
    assert 'src="/static/site/site.js" defer' in html


def test_article_json_has_the_same_facts(client, newsroom):
    data = client.get(f"/article/{newsroom.seed.pk}.json").json()
    art = data["article"]
    assert [c["name"] for c in data["breadcrumb"]] == ["Iran & Its Neighbours", "Iraq"]
    assert art["dateline"] == {"place": "Paris", "month": 1, "day": 6, "year": None, "text": "Paris, Jan 6"}
    assert art["byline"] == "By John Irish"
    assert art["source_url"] is None and art["source"]["name"] == "Reuters"
    assert {e["slug"] for e in art["entities"]} == {"maryam-rajavi", "pmoi", "camp-ashraf"}
    forms = {e["slug"]: e["forms"] for e in art["entities"]}
    assert forms["maryam-rajavi"] == ["Maryam Rajavi", "Rajavi"] and forms["pmoi"] == ["PMOI"]
    assert art["story"]["id"] == newsroom.story.pk


def test_dateline_year_shown_when_known_and_http_source_linked(client, newsroom):
    a = newsroom.same_story
    Article.objects.filter(pk=a.pk).update(dateline_place="Baghdad", dateline_month=12, dateline_day=31, dateline_year=2011)
    html = client.get(f"/article/{a.pk}/").content.decode()
    assert "Baghdad, Dec 31, 2011" in html
    assert f'href="{a.url}"' in html


def block_keys(client, pk) -> dict:
    return client.get(f"/article/{pk}.json").json()["blocks"]


def test_latest_news_leaves_out_the_current_article(client, newsroom):
    blocks = block_keys(client, newsroom.seed.pk)
    ids = [i["id"] for i in blocks["latest"]["items"]]
    assert newsroom.seed.pk not in ids
    assert newsroom.hidden.pk not in ids and newsroom.copy.pk not in ids
    assert ids[0] == newsroom.terror_list.pk  # newest first


def test_must_read_left_out_when_no_picks_and_no_reads(client, newsroom):
    assert block_keys(client, newsroom.seed.pk)["must_read"] is None
    html = client.get(f"/article/{newsroom.seed.pk}/").content.decode()
    assert 'id="must_read"' not in html and "Must read" not in html


def test_must_read_falls_back_to_most_read(client, newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(3), count=9)
    ReadCount.objects.create(article=newsroom.pensions, hour=hour_ago(2), count=4)
    ReadCount.objects.create(article=newsroom.terror_list, hour=hour_ago(24 * 30), count=99)  # too old
    items = block_keys(client, newsroom.seed.pk)["must_read"]["items"]
    assert [i["id"] for i in items] == [newsroom.rushdie.pk, newsroom.pensions.pk]


def test_must_read_prefers_current_picks(client, newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(1), count=9)
    Pick.objects.create(article=newsroom.terror_list, position=1)
    Pick.objects.create(article=newsroom.pensions, position=2, expires_at=timezone.now() - timezone.timedelta(hours=1))
    items = block_keys(client, newsroom.seed.pk)["must_read"]["items"]
    assert [i["id"] for i in items] == [newsroom.terror_list.pk]


def test_related_starts_with_the_same_story(client, newsroom):
    items = block_keys(client, newsroom.seed.pk)["related"]["items"]
    assert items[0]["id"] == newsroom.same_story.pk
    assert items[0]["reason"] == "same story"


def test_related_left_out_when_nothing_is_related(client, newsroom):
    Article.objects.filter(pk=newsroom.pensions.pk).update(term_vector={})
    assert block_keys(client, newsroom.pensions.pk)["related"] is None
    html = client.get(f"/article/{newsroom.pensions.pk}/").content.decode()
    assert "You might also like" not in html


def test_related_by_content_says_what_is_shared(client, newsroom, related_module):
    items = block_keys(client, newsroom.seed.pk)["related"]["items"]
    by_id = {i["id"]: i for i in items}
    assert newsroom.terror_list.pk in by_id
    assert by_id[newsroom.terror_list.pk]["reason"].startswith("shares: ")
    assert "pmoi" in by_id[newsroom.terror_list.pk]["reason"]
    assert newsroom.pensions.pk not in by_id and newsroom.hidden.pk not in by_id


def test_recommended_block_is_hidden_in_html_until_script_fills_it(client, newsroom):
    html = client.get(f"/article/{newsroom.seed.pk}/").content.decode()
    assert re.search(r'<section class="block block-recommended" id="recommended" hidden>', html)


@pytest.mark.parametrize("seen", ["", "abc", "1,2,x"])
def test_recommend_without_history_or_with_junk(client, newsroom, seen):
    response = client.get(f"/recommend.json?seen={seen}")
    if seen:
        assert response.status_code == 400
        assert "comma-separated" in response.json()["message"]
    else:
        assert response.json()["items"] == []


def test_recommend_ranks_unread_by_closeness_and_says_why(client, newsroom, related_module):
    data = client.get(f"/recommend.json?seen={newsroom.seed.pk}").json()
    ids = [i["id"] for i in data["items"]]
    assert newsroom.seed.pk not in ids
    assert newsroom.terror_list.pk in ids and newsroom.pensions.pk not in ids
    assert all(i["reason"] == f"because you read: {newsroom.seed.title}" for i in data["items"])


def test_category_page_has_breadcrumb_children_and_descendants(client, newsroom):
    data = client.get("/category/iran-and-its-neighbours.json").json()
    assert [c["slug"] for c in data["children"]] == ["iran", "iraq"]
    ids = [a["id"] for a in data["articles"]]
    assert newsroom.seed.pk in ids and newsroom.rushdie.pk in ids
    assert newsroom.pensions.pk not in ids and newsroom.hidden.pk not in ids
    deep = client.get("/category/france.json").json()
    assert [c["name"] for c in deep["breadcrumb"]] == ["World", "Europe", "France"]


def test_secondary_country_files_the_article_there_too(client, newsroom):
    ids = [a["id"] for a in client.get("/category/iran.json").json()["articles"]]
    assert newsroom.seed.pk in ids  # primary Iraq, secondary Iran


def test_category_pagination(client, newsroom):
    for n in range(45):
        Article.objects.create(title=f"Baghdad bulletin {n}", url=f"https://x.example/{n}", body="b",
                               content_hash=str(n), category=newsroom.iraq,
                               published_at=timezone.now() - timezone.timedelta(days=10, minutes=n))
    first = client.get("/category/iraq.json").json()
    assert len(first["articles"]) == 20
    assert first["pagination"]["num_pages"] == 3 and first["pagination"]["count"] == 47
    assert first["pagination"]["next"] == "/category/iraq/?page=2"
    last = client.get("/category/iraq.json?page=3").json()
    assert len(last["articles"]) == 7 and last["pagination"]["next"] is None
    assert last["articles"][-1]["title"] == "Baghdad bulletin 44"  # oldest last
    html = client.get("/category/iraq/?page=2").content.decode()
    assert 'rel="next" href="/category/iraq/?page=3"' in html and "Page 2 of 3" in html


def test_home_has_latest_must_read_and_sections(client, newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(1), count=3)
    data = client.get("/index.json").json()
    assert data["latest"][0]["id"] == newsroom.terror_list.pk or data["latest"][0]["id"] == newsroom.seed.pk
    assert data["must_read"]["items"][0]["id"] == newsroom.rushdie.pk
    assert [s["category"]["slug"] for s in data["sections"]] == ["iran-and-its-neighbours", "world"]
    world = data["sections"][1]["items"]
    assert [i["id"] for i in world] == [newsroom.pensions.pk]


def test_entity_page_lists_articles_aliases_and_neighbours(client, newsroom):
    data = client.get("/entity/pmoi.json").json()
    assert "MEK" in data["entity"]["aliases"]
    assert [a["id"] for a in data["articles"]] == [newsroom.seed.pk, newsroom.terror_list.pk]
    assert data["entities"][0]["slug"] == "maryam-rajavi"
    assert {c["code"] for c in data["countries"]} == {"IQ", "IR"}
    assert data["feeds"]["rss"] == "/entity/pmoi/feed/rss/"


def test_story_page_is_a_timeline_oldest_first(client, newsroom):
    data = client.get(f"/story/{newsroom.story.pk}.json").json()
    assert [a["id"] for a in data["timeline"]] == [newsroom.same_story.pk, newsroom.seed.pk]
    assert data["outlets"] == [{"name": "Reuters", "count": 2}]
    assert {e["slug"] for e in data["entities"]} >= {"camp-ashraf", "maryam-rajavi"}
    html = client.get(f"/story/{newsroom.story.pk}/").content.decode()
    assert html.index(newsroom.same_story.title) < html.index(newsroom.seed.title)


def test_read_counter_counts_this_hour(client, newsroom):
    url = f"/article/{newsroom.seed.pk}/read"
    assert client.post(url).json() == {"article": newsroom.seed.pk, "counted": True, "count_this_hour": 1}
    assert client.post(url).json()["counted"] is False  # the same reader again
    assert client.post(url, REMOTE_ADDR="192.0.2.7").json()["count_this_hour"] == 2
    row = ReadCount.objects.get(article=newsroom.seed)
    assert row.count == 2 and row.hour.minute == 0
    assert client.get(url).status_code == 405
    assert client.post(f"/article/{newsroom.hidden.pk}/read").status_code == 404
    assert not client.cookies  # no cookie handed out


def test_read_counter_needs_no_csrf_token(newsroom):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/article/{newsroom.seed.pk}/read").status_code == 200


def test_settings_json_masks_secrets(admin_client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "very-secret")
    data = admin_client.get("/-/settings.json").json()
    assert data["NEWSDESK_SECRET_KEY"] == "********"
    assert "NEWSDESK_DATABASE_URL" in data


def test_settings_are_for_editors_only(client, newsroom):
    response = client.get("/-/settings.json")
    assert response.status_code == 403
    body = response.json()
    assert "sign in at /admin/" in body["message"] and "NEWSDESK_DATABASE_URL" not in body


@pytest.mark.parametrize("url,max_age", [("/", 60), ("/article/{seed}/", 300), ("/feed/rss/", 300)])
def test_cache_headers(client, newsroom, url, max_age):
    response = client.get(resolve(url, newsroom))
    assert f"max-age={max_age}" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_article_page_query_count(client, newsroom, django_assert_max_num_queries):
    for e in (newsroom.rajavi, newsroom.pmoi):
        e.mentions.update(count=5)
    # one more read: the desk version, for the page cache (the time state is read once a
    # minute per process, not per page: read here first)
    time_state.current()
    with django_assert_max_num_queries(15):
        assert client.get(f"/article/{newsroom.seed.pk}/").status_code == 200


def test_home_query_count_does_not_grow_with_articles(client, newsroom, django_assert_max_num_queries):
    for n in range(30):
        Article.objects.create(title=f"More {n}", url=f"https://y.example/{n}", body="b", content_hash=f"m{n}",
                               category=newsroom.france, source=newsroom.afp, published_at=timezone.now())
    # 12 for the page and its blocks (the sections: one pass over the newest articles and
    # their places, then each section's cards), 3 for the developing stories (the list, its
    # articles, their countries), 1 for the desk version (the page cache's key); the time
    # state, read once a minute per process, is read first
    time_state.current()
    with django_assert_max_num_queries(16):
        assert client.get("/").status_code == 200


def test_json_twin_is_plain_data(client, newsroom):
    raw = client.get(f"/article/{newsroom.seed.pk}.json").content
    data = json.loads(raw)
    assert isinstance(data["article"]["when"], str)
    assert "nav" not in data  # chrome is HTML-only


@pytest.mark.parametrize("path,accept,json_body", [
    ("/article/1.json", "", True),
    ("/article/1/", "application/json", True),
    ("/article/1/", "text/html", False),
])
def test_server_error_answers_in_the_asked_format(rf, path, accept, json_body):
    from newsdesk.site.views import server_error

    response = server_error(rf.get(path, HTTP_ACCEPT=accept))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json") == json_body
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/article/{seed}/", "/article/{seed}.json", "/feed/atom/"])
def test_unchanged_page_revalidates_with_304(client, newsroom, url):
    first = client.get(resolve(url, newsroom))
    assert first["ETag"]
    again = client.get(resolve(url, newsroom), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    Article.objects.filter(pk=newsroom.seed.pk).update(title="Iran group says US is responsible")
    changed = client.get(resolve(url, newsroom), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_entity_page_lists_each_other_name_once(client, newsroom):
    from newsdesk.desk.models import Entity

    entity = Entity.objects.get(slug="pmoi")
    entity.aliases = [*entity.aliases, "People\u2019s Mujahideen Organization",
                      "People's Mujahideen Organization", "M.E.K.", entity.name.upper()]
    entity.save(update_fields=["aliases"])
    shown = client.get("/entity/pmoi.json").json()["entity"]["aliases"]
    assert shown.count("People\u2019s Mujahideen Organization") == 1
    assert "People's Mujahideen Organization" not in shown  # the same name, another apostrophe
    assert "M.E.K." not in shown and "MEK" in shown
    assert entity.name.upper() not in shown


def test_entity_page_says_what_kind_of_thing_it_is(client, newsroom):
    html = client.get("/entity/pmoi/").content.decode()
    assert '<p class="kicker">Organisation</p>' in html
    assert '<p class="kicker">Person</p>' in client.get("/entity/maryam-rajavi/").content.decode()


def test_category_count_is_each_listed_article_once(client, newsroom):
    """Filed there, placed there, or both: counted once; hidden articles and copies never
    (PostgreSQL counts a country apart from its listing: the two must agree)."""
    from newsdesk.desk.models import ArticlePlace

    ArticlePlace.objects.create(article=newsroom.terror_list, code="IQ", salience=0.3, category=newsroom.iraq)
    ArticlePlace.objects.create(article=newsroom.hidden, code="IQ", salience=0.3, category=newsroom.iraq)
    ArticlePlace.objects.create(article=newsroom.copy, code="IQ", salience=0.3, category=newsroom.iraq)
    data = client.get("/category/iraq.json").json()
    listed = [a["id"] for a in data["articles"]]
    assert sorted(listed) == sorted([newsroom.seed.pk, newsroom.same_story.pk, newsroom.terror_list.pk])
    assert data["pagination"]["count"] == 3
