"""A verbatim copy at another outlet that arrives before the agency's own page does not keep
the lead: the agency page, same text and all, becomes the canonical when it comes."""

from __future__ import annotations

import pytest

from tests.desk.syndication import FIXTURES, forget_process_state, ingest_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_agency_page_after_its_verbatim_copy_becomes_canonical(tmp_path):
    from newsdesk.desk.models import Article

    forget_process_state()
    original = (FIXTURES / "reuters-original.html").read_text(encoding="utf-8")
    copy = original.replace("https://www.reuters.com/", "https://www.gulfwire.example/").replace(
        '<meta property="og:site_name" content="Reuters">',
        '<meta property="og:site_name" content="Gulf Wire">')
    (tmp_path / "copy.html").write_text(copy, encoding="utf-8")
    (tmp_path / "reuters.html").write_text(original, encoding="utf-8")

    first = ingest_path(tmp_path / "copy.html")
    assert first["status"] == "ingested"
    agency = ingest_path(tmp_path / "reuters.html")
    assert agency["status"] == "duplicate"  # same text as the copy already on the desk …
    assert agency["duplicate_of"] is None  # … but it is the wire original: the canonical
    assert Article.objects.get(pk=first["id"]).duplicate_of_id == agency["id"]
    assert list(Article.objects.published().values_list("pk", flat=True)) == [agency["id"]]
