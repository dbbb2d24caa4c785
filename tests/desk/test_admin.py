"""The editor workspace: login required; editors hide, re-file and pick articles."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(region_tree, tmp_path):
    from newsdesk.desk.ingest import ingest_target

    page = tmp_path / "tehran.html"
    page.write_text((FIXTURES / "desk" / "tehran-talks.html").read_text())
    [result] = list(ingest_target(str(page)))
    return result.article


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    return client


def test_workspace_needs_a_login(client):
    response = client.get("/admin/desk/article/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", ["article", "feed", "source", "pick", "category", "capture", "entity",
                                   "entitydecision", "story"])
def test_every_desk_list_renders(editor, article, model):
    response = editor.get(f"/admin/desk/{model}/")
    assert response.status_code == 200


def test_article_change_page_renders(editor, article):
    assert editor.get(reverse("admin:desk_article_change", args=[article.pk])).status_code == 200


def test_hide_action_removes_it_from_the_site(editor, article, client):
    from newsdesk.desk.models import Article

    editor.post("/admin/desk/article/", {"action": "hide", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == "hidden"
    assert client.get(article.get_absolute_url()).status_code == 404


def test_refile_locks_the_category(editor, article, rf, django_user_model):
    """An editor re-files through the admin's own change form; reprocessing keeps it."""
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from newsdesk.desk.ingest import reprocess_capture
    from newsdesk.desk.models import Article, Category

    iraq = Category.objects.get(code="IQ")
    model_admin = admin.site._registry[Article]
    request = rf.post("/admin/desk/article/")
    request.user = django_user_model.objects.get(username="editor")
    a = Article.objects.get(pk=article.pk)
    form_class = model_admin.get_form(request, a, change=True)
    data = {k: "\n".join(v) if isinstance(v, list) else json.dumps(v) if isinstance(v, dict) else v
            for k, v in model_to_dict(a, fields=form_class.base_fields).items() if v is not None}
    data["category"] = iraq.pk
    form = form_class(data=data, instance=a)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    reprocess_capture(a.capture)
    a.refresh_from_db()
    assert a.category == iraq and a.category_locked


def test_pick_action_fills_must_read(editor, article):
    from newsdesk.desk.models import Pick

    editor.post("/admin/desk/article/", {"action": "make_pick", "_selected_action": [article.pk]})
    assert list(Pick.objects.current().values_list("article_id", flat=True)) == [article.pk]


def test_the_article_search_uses_the_full_text_index_over_every_status(editor, article):
    """Stemmed words and known names, hidden articles and copies included; a pasted
    address still finds its article."""
    from newsdesk.desk.models import Article

    hidden = Article.objects.create(title="PMOI statement withdrawn", url="https://x.example/w",
                                    body="A draft.", content_hash="w", status=Article.Status.HIDDEN)

    def listed(term):
        response = editor.get("/admin/desk/article/", {"q": term})
        assert response.status_code == 200
        return {a.pk for a in response.context["cl"].result_list}

    assert listed("MEK") == {hidden.pk}  # the alias file's name, a hidden article
    word = article.title.split()[0]
    assert article.pk in listed(word.lower())
    assert listed(article.url) == {article.pk}
    assert listed('"" ()') == set()  # nothing to look for: Django's own search, no crash
