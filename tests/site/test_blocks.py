"""The blocks and the plain-data helpers behind the article page, one function at a time."""

from __future__ import annotations

import pytest
from django.utils import timezone

from newsdesk.desk.models import Article, Entity, Mention, Pick, ReadCount
from newsdesk.site import blocks
from newsdesk.site.cards import byline, dateline, linked_paragraphs, source_link, strip_agency
from tests.site.conftest import hour_ago, vector


@pytest.mark.parametrize("place,month,day,year,text", [
    ("PARIS", 1, 6, None, "Paris, Jan 6"),
    ("Paris", 1, 6, 2012, "Paris, Jan 6, 2012"),
    ("WASHINGTON", 12, None, None, "Washington, Dec"),
    ("", 3, 2, None, "Mar 2"),
    ("Baghdad", None, None, None, "Baghdad"),
])
def test_dateline_never_invents_a_year(place, month, day, year, text):
    a = Article(dateline_place=place, dateline_month=month, dateline_day=day, dateline_year=year)
    assert dateline(a)["text"] == text


def test_no_dateline_is_none():
    assert dateline(Article()) is None


@pytest.mark.parametrize("names,text", [
    ([], None), (["John Irish"], "By John Irish"),
    (["John Irish", "Parisa Hafezi"], "By John Irish and Parisa Hafezi"),
    (["A", "B", "C"], "By A, B and C"),
])
def test_byline(names, text):
    assert byline(Article(byline=names)) == text


@pytest.mark.parametrize("excerpt,agency,out", [
    ("Reuters: The leader said", "Reuters", "The leader said"),
    ("REUTERS - The leader said", "Reuters", "The leader said"),
    ("AFP: Iran's supreme leader", "AFP", "Iran's supreme leader"),
    ("Reuters reported that", "Reuters", "Reuters reported that"),
    ("Plain text", "", "Plain text"),
])
def test_strip_agency(excerpt, agency, out):
    assert strip_agency(excerpt, agency) == out


@pytest.mark.parametrize("url,link", [
    ("file:///work/shared/seeds/000.txt", None),
    ("seeds/000.txt", None),
    ("https://www.reuters.com/article/x", "https://www.reuters.com/article/x"),
])
def test_source_link_only_for_web_addresses(url, link):
    assert source_link(Article(url=url)) == link


def test_linked_paragraphs_link_each_entity_once_longest_form_first():
    rajavi = Entity(pk=1, slug="maryam-rajavi", name="Maryam Rajavi", kind="person")
    pmoi = Entity(pk=2, slug="pmoi", name="People’s Mujahideen Organization of Iran", kind="org")
    mentions = [Mention(entity=rajavi, surface_forms=["Rajavi"]), Mention(entity=pmoi, surface_forms=["PMOI"])]
    paras = ["Maryam Rajavi, who heads the PMOI, spoke.", "Rajavi said the PMOI would stay."]
    out = linked_paragraphs(paras, mentions)
    links = [(s["text"], s["url"]) for p in out for s in p["segments"] if s["url"]]
    assert links == [("Maryam Rajavi", "/entity/maryam-rajavi/"), ("PMOI", "/entity/pmoi/")]
    assert ["".join(s["text"] for s in p["segments"]) for p in out] == paras


def test_linked_paragraphs_ignore_words_inside_words():
    iran = Entity(pk=3, slug="iran", name="Iran", kind="place")
    out = linked_paragraphs(["Iranian exiles met."], [Mention(entity=iran)])
    assert all(s["url"] is None for s in out[0]["segments"])


@pytest.mark.django_db
def test_latest_news_empty_site_is_none():
    assert blocks.latest_news() is None
    assert blocks.must_read() is None


@pytest.mark.django_db
def test_latest_news_respects_its_count(newsroom):
    options = blocks.BlockOptions(latest_count=2)
    found = blocks.latest_news(exclude=[newsroom.seed.pk], options=options)
    assert [i["id"] for i in found["items"]] == [newsroom.terror_list.pk, newsroom.pensions.pk]


@pytest.mark.django_db
def test_must_read_ignores_reads_outside_the_window_and_hidden_articles(newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(24 * 8), count=50)
    ReadCount.objects.create(article=newsroom.hidden, hour=hour_ago(1), count=50)
    assert blocks.must_read() is None
    ReadCount.objects.create(article=newsroom.pensions, hour=hour_ago(1), count=1)
    assert [i["id"] for i in blocks.must_read()["items"]] == [newsroom.pensions.pk]


@pytest.mark.django_db
def test_must_read_picks_in_editor_order_and_skip_the_current_article(newsroom):
    Pick.objects.create(article=newsroom.rushdie, position=2)
    Pick.objects.create(article=newsroom.terror_list, position=1)
    Pick.objects.create(article=newsroom.seed, position=0)
    Pick.objects.create(article=newsroom.pensions, position=0, expires_at=timezone.now() - timezone.timedelta(minutes=1))
    found = blocks.must_read(exclude=[newsroom.seed.pk])
    assert [i["id"] for i in found["items"]] == [newsroom.terror_list.pk, newsroom.rushdie.pk]


@pytest.mark.django_db
def test_related_without_story_or_vector_is_none(newsroom):
    Article.objects.filter(pk=newsroom.rushdie.pk).update(term_vector={})
    newsroom.rushdie.refresh_from_db()
    assert blocks.related(newsroom.rushdie) is None


@pytest.mark.django_db
def test_related_same_story_skips_hidden_and_copies(newsroom):
    Article.objects.filter(pk__in=[newsroom.hidden.pk, newsroom.copy.pk]).update(story=newsroom.story)
    found = blocks.related(newsroom.seed, options=blocks.BlockOptions(related_count=1))
    assert [(i["id"], i["reason"]) for i in found["items"]] == [(newsroom.same_story.pk, "same story")]


@pytest.mark.django_db
def test_related_by_content_is_not_padded(newsroom, related_module):
    found = blocks.related(newsroom.pensions)
    assert found is None  # nothing in the newsroom is about French pensions


@pytest.mark.django_db
def test_related_by_content_orders_story_then_nearest(newsroom, related_module):
    items = blocks.related(newsroom.seed)["items"]
    assert items[0]["reason"] == "same story"
    rest = [i["id"] for i in items[1:]]
    assert rest and rest[0] == newsroom.terror_list.pk
    assert newsroom.copy.pk not in rest and newsroom.hidden.pk not in rest
    assert newsroom.rushdie.pk not in rest and newsroom.pensions.pk not in rest


@pytest.mark.django_db
def test_related_lists_one_version_of_a_report(newsroom, related_module):
    """A second version of a story already listed (a new lead on the same text) is left out,
    and the next nearest article takes its place."""
    version = Article.objects.create(
        url="https://example.org/terror-list-update", title=newsroom.terror_list.title + " (update)",
        body=newsroom.terror_list.body, status=Article.Status.PUBLISHED,
        published_at=newsroom.terror_list.published_at, category=newsroom.terror_list.category,
        term_vector={**newsroom.terror_list.term_vector, "update": 0.05})
    ids = [i["id"] for i in blocks.related(newsroom.seed)["items"]]
    assert newsroom.terror_list.pk in ids and version.pk not in ids


@pytest.mark.django_db
def test_recommended_needs_history(newsroom):
    assert blocks.recommended([]) is None
    assert blocks.recommended([999999]) is None  # unknown ids back nothing


@pytest.mark.django_db
def test_recommended_names_the_closest_read_article(newsroom, related_module):
    Article.objects.create(title="Khamenei speech on the fatwa", url="https://z.example/k", body="b",
                           content_hash="k", published_at=timezone.now(),
                           term_vector=vector(khamenei=0.7, fatwa=0.6, rushdie=0.3))
    found = blocks.recommended([newsroom.seed.pk, newsroom.rushdie.pk])
    reasons = {i["title"]: i["reason"] for i in found["items"]}
    assert reasons["Khamenei speech on the fatwa"] == f"because you read: {newsroom.rushdie.title}"
    assert reasons[newsroom.terror_list.title] == f"because you read: {newsroom.seed.title}"
    assert newsroom.seed.title not in reasons and newsroom.rushdie.title not in reasons


@pytest.mark.django_db
def test_recommended_weighs_recent_reads_more(newsroom, related_module):
    """Two reads in either order: the newer read's neighbour comes first.

    The Rushdie neighbour is about as close to its read (cosine ~0.51) as the same-story
    article is to the seed (~0.59), so only the fading of older reads can flip the order.
    """
    Article.objects.create(title="Rushdie novel returns to London shops", url="https://z.example/r", body="b",
                           content_hash="r", published_at=timezone.now(),
                           term_vector=vector(rushdie=0.7, novel=0.5, publisher=0.4, london=0.2))
    rushdie_last = blocks.recommended([newsroom.seed.pk, newsroom.rushdie.pk])["items"]
    seed_last = blocks.recommended([newsroom.rushdie.pk, newsroom.seed.pk])["items"]
    assert rushdie_last[0]["title"] == "Rushdie novel returns to London shops"
    assert seed_last[0]["id"] == newsroom.same_story.pk
