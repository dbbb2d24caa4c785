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


def test_reprocess_pending_files_only_the_captures_that_never_finished(capsys):
    """A worker killed between keeping the raw bytes and filing them leaves a pending
    capture: `reprocess --pending` files it, and leaves the others alone."""
    from newsdesk.desk.ingest import ingest_capture, store_capture
    from newsdesk.desk.models import Article, Capture
    from newsdesk.pipeline import documents as doc

    def capture(name):
        return doc.Capture(content=(FIXTURES / "desk" / f"{name}.html").read_bytes(),
                           url=f"https://example.org/{name}", content_type="text/html")

    ingest_capture(capture("tehran-talks"), origin="file")
    ingest_capture(doc.Capture(content=b"", url="https://example.org/empty"), origin="file")
    stranded, _ = store_capture(capture("kabul-quake"), origin="file")  # … and the worker died
    assert stranded.status == Capture.Status.PENDING
    assert main(["reprocess", "--pending", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip().startswith("{")]
    assert [(r["capture_id"], r["status"]) for r in lines] == [(stranded.pk, "ingested")]
    assert Capture.objects.get(pk=stranded.pk).status == Capture.Status.EXTRACTED
    assert Article.objects.count() == 2
