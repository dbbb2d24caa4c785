"""The seed page, ingested through the desk's real path, reads back like the page it came from."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from tests.conftest import need_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_article(region_tree):
    from newsdesk.desk.ingest import ingest_file

    results = list(ingest_file(need_seed()))
    assert len(results) == 1 and results[0].article is not None, results
    return results[0].article


def test_seed_article_page(client, seed_article):
    html = client.get(f"/article/{seed_article.pk}/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    # Where it is filed is the desk's call (tests/desk/test_seed.py); the page shows that path.
    expected = [escape(c.name) for c in seed_article.category.ancestry()]
    assert re.findall(r">([^<>]+)</a>", crumbs) == expected and expected
    assert '<strong class="agency">Reuters:</strong> The leader of an Iranian dissident group' in html
    assert '<span class="byline">By John Irish</span>' in html
    assert '<span class="dateline">Paris, Jan 6 (Reuters)</span>' in html  # as the wire prints it
    assert "Reporting By John Irish; Editing by Roger Atwood" in html
    assert html.count("The leader of an Iranian dissident group in Iraq said on Friday") == 1
    assert "When the U.S. makes a promise it should keep it." in html
    assert 'href="file:' not in html
    for teaser in ("Iranian People’s Resistance Changed", "RELATED"):
        assert teaser not in html
    # Nothing else is published: every block has nothing honest to show and is left out.
    for block in ('id="latest"', 'id="must_read"', 'id="related"'):
        assert block not in html


def test_seed_article_json_twin(client, seed_article):
    data = client.get(f"/article/{seed_article.pk}.json").json()
    assert data["article"]["dateline"]["year"] is None
    assert data["blocks"] == {"latest": None, "must_read": None, "related": None}
