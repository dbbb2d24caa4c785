"""The editor workspace's daily tasks through Django's test client: readable fields, a
preview, a region filter by level, a review queue, bulk hide and publish, moves between
stories, merge and split from an entity's page; every act shows on the site at once
(the page cache is keyed by the desk version, so each test primes it first)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.site.conftest import newsroom  # noqa: F401  (a fixture: a small newsroom)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def filed(region_tree):
    """Articles filed in the packaged region tree (all its categories)."""
    from newsdesk.desk.models import Article, ArticlePlace, Category, Source

    iraq, france = Category.objects.get(code="IQ"), Category.objects.get(code="FR")
    reuters = Source.objects.create(name="Reuters", slug="reuters", is_agency=True)
    now = timezone.now()

    def article(title, category, hours, **kw):
        return Article.objects.create(
            title=title, url=f"https://news.example.org/{title.lower().replace(' ', '-')}",
            excerpt=f"{title}: what happened.", body=f"{title}.\n\nA second paragraph.",
            content_hash=title, category=category, source=reuters,
            published_at=now - timedelta(hours=hours), created_at=now - timedelta(hours=hours), **kw)

    baghdad = article("Baghdad passes its budget", iraq, 2, agency="Reuters", authors=["Jane Doe", "John Roe"],
                      byline=["Jane Doe"], breadcrumb=["World", "Middle East"])
    paris = article("Paris unions call a strike", france, 3)
    old = article("An older report from Paris", france, 24 * 30)
    ArticlePlace.objects.create(article=baghdad, code="IQ", salience=0.9, category=iraq)
    return type("Filed", (), {"baghdad": baghdad, "paris": paris, "old": old, "iraq": iraq, "france": france})


def act(editor, action: str, *articles):
    return editor.post("/admin/desk/article/", {"action": action, "_selected_action": [a.pk for a in articles]},
                       follow=True)


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def listed(editor, **params) -> list[int]:
    response = editor.get("/admin/desk/article/", params)
    assert response.status_code == 200
    return [a.pk for a in response.context["cl"].result_list]


# --- Must read -------------------------------------------------------------------------

def test_add_to_must_read_names_the_article(editor, filed):
    from newsdesk.desk.models import Pick

    response = act(editor, "make_pick", filed.baghdad)
    assert said(response) == [f"Added “{filed.baghdad.title}” to Must read."]
    assert "Pick object" not in response.content.decode()
    again = act(editor, "make_pick", filed.baghdad)
    assert said(again) == [f"“{filed.baghdad.title}” is already in Must read."]
    assert Pick.objects.filter(article=filed.baghdad).count() == 1
    assert str(Pick.objects.get()) == f"Must read: {filed.baghdad.title}"


def test_a_pick_shows_on_the_home_page_at_once(editor, filed, client):
    before = client.get("/").content.decode()  # cached under the desk version
    assert "Must read" not in before or filed.paris.title not in before.split("Must read", 1)[1]
    act(editor, "make_pick", filed.paris)
    after = client.get("/").content.decode()
    assert filed.paris.title in after.split("Must read", 1)[1]


# --- the change form -------------------------------------------------------------------

def test_the_change_form_has_no_raw_json_and_names_its_places(editor, filed):
    html = editor.get(reverse("admin:desk_article_change", args=[filed.baghdad.pk])).content.decode()
    authors = re.search(r'<textarea[^>]*name="authors"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert authors.strip().splitlines() == ["Jane Doe", "John Roe"]
    byline = re.search(r'<textarea[^>]*name="byline"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert byline.strip() == "Jane Doe"
    assert 'name="breadcrumb"' not in html and "World › Middle East" in html
    assert "[&quot;" not in html  # no JSON list anywhere in the form
    assert "Iraq (IQ, salience 0.90)" in html
    assert "ArticlePlace object" not in html


def test_authors_and_byline_round_trip_as_lines(editor, filed):
    from newsdesk.desk.models import Article

    form = editor.get(reverse("admin:desk_article_change", args=[filed.baghdad.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    data.update({"published_at_0": data.pop("published_at").strftime("%Y-%m-%d") if "published_at" in data else "",
                 "published_at_1": filed.baghdad.published_at.strftime("%H:%M:%S"),
                 "authors": "Jane Doe\n\n  Ali Rezaei \n", "byline": "Ali Rezaei",
                 "places-TOTAL_FORMS": "1", "places-INITIAL_FORMS": "1", "places-MIN_NUM_FORMS": "0",
                 "places-MAX_NUM_FORMS": "1000", "places-0-id": filed.baghdad.places.get().pk,
                 "places-0-article": filed.baghdad.pk})
    response = editor.post(reverse("admin:desk_article_change", args=[filed.baghdad.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    a = Article.objects.get(pk=filed.baghdad.pk)
    assert a.authors == ["Jane Doe", "Ali Rezaei"] and a.byline == ["Ali Rezaei"]
    assert a.breadcrumb == ["World", "Middle East"]  # shown, not edited: kept as it was


def test_split_date_and_time_inputs_each_have_a_label(editor, filed):
    html = editor.get(reverse("admin:desk_article_change", args=[filed.baghdad.pk])).content.decode()
    for part in ("published_at_0", "published_at_1", "created_at_0", "created_at_1"):
        if f'id="id_{part}"' in html:
            assert f'<label for="id_{part}">' in html, part
    assert 'id="id_published_at_1"' in html


# --- view on site and preview -----------------------------------------------------------

def test_view_on_site_is_the_page_or_for_a_hidden_article_its_preview(editor, filed):
    from newsdesk.desk.models import Article

    html = editor.get(reverse("admin:desk_article_change", args=[filed.baghdad.pk])).content.decode()
    assert "View on site" in html
    admin = __import__("django.contrib.admin", fromlist=["site"]).site._registry[Article]
    assert admin.view_on_site(filed.baghdad) == filed.baghdad.get_absolute_url()
    Article.objects.filter(pk=filed.paris.pk).update(status=Article.Status.HIDDEN)
    filed.paris.refresh_from_db()
    assert admin.view_on_site(filed.paris) == reverse("admin:desk_article_preview", args=[filed.paris.pk])


def test_the_preview_shows_a_hidden_article_to_editors_only(editor, filed, client):
    from newsdesk.desk.models import Article

    Article.objects.filter(pk=filed.paris.pk).update(status=Article.Status.HIDDEN)
    url = reverse("admin:desk_article_preview", args=[filed.paris.pk])
    response = editor.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="headline">{filed.paris.title}</h1>' in html
    assert "Readers do not see this article (Hidden)" in html
    assert "data-article-id" not in html  # not counted as a read
    assert "no-cache" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    editor.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_preview_renders_unsaved_changes_and_saves_nothing(editor, filed):
    from newsdesk.desk.models import Article

    change = reverse("admin:desk_article_change", args=[filed.baghdad.pk])
    form = editor.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("published_at", None)
    data.update({"title": "Baghdad passes a record budget", "category": filed.france.pk,
                 "published_at_0": "", "published_at_1": ""})
    response = editor.post(reverse("admin:desk_article_preview", args=[filed.baghdad.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="headline">Baghdad passes a record budget</h1>' in html
    assert "Preview of unsaved changes" in html
    assert filed.france.name in html  # the breadcrumb follows the new filing
    a = Article.objects.get(pk=filed.baghdad.pk)
    assert (a.title, a.category_id) == ("Baghdad passes its budget", filed.iraq.pk)


def test_the_preview_of_a_form_with_errors_says_so(editor, filed):
    response = editor.post(reverse("admin:desk_article_preview", args=[filed.baghdad.pk]), {"title": ""})
    assert response.status_code == 400
    assert "Nothing to preview yet" in response.content.decode()


# --- the list: filters and the review queue ----------------------------------------------

def test_the_region_filter_shows_one_level_at_a_time(editor, filed):
    from newsdesk.desk.models import Category

    assert Category.objects.count() > 200
    response = editor.get("/admin/desk/article/")
    region = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", None) == "region")
    roots = list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    assert [int(pk) for pk, _ in region.lookup_choices] == roots
    parent = filed.iraq.parent
    assert listed(editor, region=parent.pk) == [filed.baghdad.pk]  # everything filed under it
    response = editor.get("/admin/desk/article/", {"region": parent.pk})
    region = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", None) == "region")
    labels = [label for _, label in region.lookup_choices]
    assert f"{parent.name} › {filed.iraq.name}" in labels
    assert len(labels) == len(parent.ancestry()) + parent.children.count()


def test_no_filter_link_is_empty(editor, filed):
    html = editor.get("/admin/desk/article/").content.decode()
    sidebar = html.split('id="changelist-filter"', 1)[1]
    assert not re.search(r"<a [^>]*>\s*</a>", sidebar)
    assert listed(editor, agency="-") == [filed.paris.pk, filed.old.pk]


def test_the_review_queue_holds_new_articles_until_an_editor_acts(editor, filed):
    assert listed(editor, review="queue") == [filed.baghdad.pk, filed.paris.pk]  # not the month-old one
    act(editor, "hide", filed.baghdad)
    assert listed(editor, review="queue") == [filed.paris.pk]
    response = act(editor, "mark_reviewed", filed.paris)
    assert said(response) == ["1 article marked reviewed."]
    assert listed(editor, review="queue") == []


# --- bulk hide and publish: on the site at once ------------------------------------------

def test_bulk_hide_and_publish_show_on_the_next_request(editor, filed, client):
    from newsdesk.site import desk_version

    page = filed.baghdad.get_absolute_url()
    assert client.get(page).status_code == 200  # cached now
    version = desk_version.current()
    response = act(editor, "hide", filed.baghdad, filed.paris)
    assert said(response) == ["2 articles hidden; readers see the change now."]
    assert desk_version.current() > version
    assert client.get(page).status_code == 404
    assert filed.paris.title not in client.get("/").content.decode()
    response = act(editor, "publish", filed.baghdad)
    assert said(response) == ["1 article published; readers see the change now."]
    assert client.get(page).status_code == 200


# --- stories: move an article to another story -------------------------------------------

def inline_post(response, per_form: dict[int, dict]) -> dict:
    """The change form's data as the browser would send it, with the inline's fields set
    (per_form: {row number: {field: value}})."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None and name not in form.Meta.model._meta.get_fields():
            data[name] = value
    for formset in (f.formset for f in response.context["inline_admin_formsets"]):
        mf = formset.management_form
        for name in mf.fields:
            data[f"{formset.prefix}-{name}"] = mf[name].value()
        for i, f in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = f.instance.pk
            data[f"{formset.prefix}-{i}-{formset.fk.name}"] = formset.instance.pk
            for key, value in per_form.get(i, {}).items():
                data[f"{formset.prefix}-{i}-{key}"] = value
    return data


def test_an_article_moves_to_another_story_and_the_story_pages_follow(editor, newsroom, client):  # noqa: F811
    from newsdesk.desk.models import Article, Story

    other = Story.objects.create(title="EU weighs the group's terror listing")
    Article.objects.filter(pk=newsroom.terror_list.pk).update(story=other)
    assert newsroom.same_story.title in client.get(newsroom.story.get_absolute_url()).content.decode()
    assert newsroom.same_story.title not in client.get(other.get_absolute_url()).content.decode()

    change = reverse("admin:desk_story_change", args=[newsroom.story.pk])
    response = editor.get(change)
    rows = [f.instance.pk for f in response.context["inline_admin_formsets"][0].formset.forms]
    moved = rows.index(newsroom.same_story.pk)
    response = editor.post(change, inline_post(response, {moved: {"move_to": other.pk}}), follow=True)
    assert any("Moved 1 article(s) to story" in m for m in said(response)), said(response)
    assert Article.objects.get(pk=newsroom.same_story.pk).story_id == other.pk
    assert newsroom.same_story.title in client.get(other.get_absolute_url()).content.decode()
    assert newsroom.same_story.title not in client.get(newsroom.story.get_absolute_url()).content.decode()


# --- entities: mentions, merge and split from the entity's page ----------------------------

def test_an_entitys_page_lists_its_mentions_and_merges_from_there(editor, newsroom, client):  # noqa: F811
    from newsdesk.desk.models import Entity, EntityDecision, Mention

    change = reverse("admin:desk_entity_change", args=[newsroom.rajavi.pk])
    html = editor.get(change).content.decode()
    assert newsroom.seed.title in html and newsroom.terror_list.title in html
    assert "written Maryam Rajavi, Rajavi" in html
    listing = f"?mentions__entity__id__exact={newsroom.rajavi.pk}"
    assert sorted(listed(editor, mentions__entity__id__exact=newsroom.rajavi.pk)) == sorted(
        [newsroom.seed.pk, newsroom.terror_list.pk]) and listing in html

    gone = client.get(newsroom.rajavi.get_absolute_url())
    assert gone.status_code == 200  # cached now
    response = editor.post(change, {"name": newsroom.rajavi.name, "kind": "person", "slug": newsroom.rajavi.slug,
                                    "aliases": "Rajavi", "merge_into": newsroom.pmoi.pk, "split_off": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:desk_entity_change", args=[newsroom.pmoi.pk])
    assert not Entity.objects.filter(pk=newsroom.rajavi.pk).exists()
    assert Mention.objects.filter(entity=newsroom.pmoi, article=newsroom.seed).get().count == 5
    assert EntityDecision.objects.filter(kind="merge", alias="Maryam Rajavi").exists()
    assert client.get(newsroom.rajavi.get_absolute_url()).status_code == 404
    assert "Maryam Rajavi" in client.get(newsroom.pmoi.get_absolute_url()).content.decode()


def test_an_entity_cannot_be_merged_into_itself(editor, newsroom):  # noqa: F811
    change = reverse("admin:desk_entity_change", args=[newsroom.rajavi.pk])
    response = editor.post(change, {"name": newsroom.rajavi.name, "kind": "person", "slug": newsroom.rajavi.slug,
                                    "aliases": "Rajavi", "merge_into": newsroom.rajavi.pk})
    assert response.status_code == 200
    assert "cannot be merged into itself" in response.content.decode()


# --- under the Content-Security-Policy ------------------------------------------------------

def test_the_workspace_pages_need_no_inline_script_or_style(editor, newsroom):  # noqa: F811
    """The site's CSP refuses inline scripts, event handlers and styles: the pages this
    workspace adds or changes carry none."""
    pages = ["/admin/desk/article/", "/admin/desk/article/?review=queue",
             reverse("admin:desk_article_change", args=[newsroom.seed.pk]),
             reverse("admin:desk_article_preview", args=[newsroom.seed.pk]),
             reverse("admin:desk_story_change", args=[newsroom.story.pk]),
             reverse("admin:desk_entity_change", args=[newsroom.pmoi.pk])]
    for url in pages:
        response = editor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            assert not pattern.search(html), (url, pattern.search(html).group(0))


def test_the_article_list_links_the_review_queue_and_a_story_its_articles(editor, newsroom):  # noqa: F811
    html = editor.get("/admin/desk/article/").content.decode()
    assert re.search(r'<a href="\?review=queue">Review queue \(\d+\)</a>', html)
    stories = editor.get("/admin/desk/story/").content.decode()
    link = f"/admin/desk/article/?story__id__exact={newsroom.story.pk}"
    assert link in stories
    assert sorted(listed(editor, story__id__exact=newsroom.story.pk)) == sorted(
        a.pk for a in newsroom.story.articles.all())
