"""The outlet a reader is told of comes from what the input says about itself: its site
name, its canonical address, its front matter; a file that says nothing has no outlet.
Before, every local file was credited to an outlet called "Local files"."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

STORY = ("Iraq's oil ministry said on Tuesday that exports through the northern pipeline "
         "would resume next week after repairs to a pumping station near Kirkuk were done. "
         "Officials said the repairs had taken longer than planned because of winter storms.")


def html(head: str) -> str:
    body = "".join(f"<p>{STORY} Paragraph {i}.</p>" for i in range(4))
    return (f"<html><head><title>Iraq to resume pipeline exports</title>{head}</head><body>"
            f"<article><h1>Iraq to resume pipeline exports</h1>{body}</article></body></html>")


def ingest_one(tmp_path, name: str, content: str):
    from newsdesk.desk.ingest import ingest_target

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [result] = list(ingest_target(str(path)))
    assert result.article is not None, result.message
    return result.article


@pytest.mark.parametrize(("name", "content", "outlet"), [
    ("a.html", html('<meta property="og:site_name" content="The Northern Ledger">'),
     "The Northern Ledger"),
    ("b.html", html('<link rel="canonical" href="https://www.gulf-chronicle.example/iraq/1">'),
     "gulf-chronicle.example"),
    ("c.md", f"---\ntitle: Iraq to resume pipeline exports\nsite: Tigris Times\n---\n\n{STORY}\n",
     "Tigris Times"),
])
def test_the_outlet_is_what_the_file_names(tmp_path, client, name, content, outlet):
    article = ingest_one(tmp_path, name, content)
    assert article.source is not None and article.source.name == outlet
    data = client.get(f"/article/{article.pk}.json").json()
    assert data["article"]["source"]["name"] == outlet


def test_a_file_that_names_no_outlet_has_none(tmp_path, client):
    article = ingest_one(tmp_path, "plain.txt", f"Iraq to resume pipeline exports\n\n{STORY}\n")
    assert article.source is None
    page = client.get(f"/article/{article.pk}/").content.decode()
    assert "Local files" not in page
    assert client.get(f"/article/{article.pk}.json").json()["article"]["source"] is None
    assert "Local files" not in client.get("/sources/").content.decode()
