"""Captures are kept; `newsdesk reprocess` rebuilds articles from them, keeping editors' choices."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import main
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


def test_reprocess_rebuilds_article_from_capture_and_keeps_editor_filing(tmp_path, capsys):
    from newsdesk.desk.models import Article, Capture, Category

    page = tmp_path / "baghdad.html"
    page.write_text((FIXTURES / "desk" / "baghdad-budget.html").read_text())
    assert main(["ingest", str(page)]) == 0
    article = Article.objects.get()
    assert article.category.code == "IQ"

    # an older extractor got it wrong, and an editor re-filed another field by hand
    Article.objects.filter(pk=article.pk).update(title="garbled", body="garbled")
    capsys.readouterr()
    assert main(["reprocess", "--json"]) == 0
    [item] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert item["status"] == "updated"
    article.refresh_from_db()
    assert article.title.startswith("Iraq's parliament passes")
    assert Capture.objects.count() == 1 and Article.objects.count() == 1

    kuwait = Category.objects.get(code="KW")
    Article.objects.filter(pk=article.pk).update(category=kuwait, category_locked=True)
    main(["reprocess"])
    article.refresh_from_db()
    assert article.category == kuwait
