"""Syndicated copies through the real desk: one Reuters story in five outlets' pages.

The pages arrive outlets first and the agency's own page last (tests/desk/syndication.py),
so the canonical has to move to it; three other Iraq stories from the same day must not
be taken for copies.
"""

from __future__ import annotations

import pytest

from tests.desk import syndication
from tests.desk.syndication import (
    COPIES,
    FIXTURES,
    OTHERS,
    REUTERS,
    forget_process_state,
    ingest_path,
)

wire = syndication.wire  # the module fixture: the fixtures ingested once



def article(results, name):
    from newsdesk.desk.models import Article

    return Article.objects.get(pk=results[name]["id"])


def test_every_page_is_kept_and_reported(wire, db):
    assert {r["status"] for r in wire.values()} == {"ingested"}
    assert len({r["id"] for r in wire.values()}) == len(wire)


def test_the_agency_page_is_the_canonical_even_arriving_last(wire, db):
    reuters = article(wire, REUTERS)
    assert reuters.url.startswith("https://www.reuters.com/")
    assert reuters.duplicate_of_id is None
    for name in COPIES:
        assert article(wire, name).duplicate_of_id == reuters.pk, name


def test_before_the_agency_page_the_earliest_wire_version_led(wire, db):
    # When the Levant Post's copy arrived it led the group (it carries the Reuters
    # attribution; the Gulf Daily Herald's prefix-only copy does not): the later copies
    # were filed under it, and re-pointed when the agency's page came.
    assert wire["tigrisnews-extended"]["duplicate_of"] == wire["levantpost-truncated"]["id"]
    assert wire[REUTERS]["duplicate_of"] is None


@pytest.mark.parametrize("name", COPIES)
def test_copies_share_the_canonical_story(wire, db, name):
    reuters = article(wire, REUTERS)
    assert reuters.story_id is not None
    assert article(wire, name).story_id == reuters.story_id


def test_one_wire_story_is_clustered_once(wire, db):
    # Copies are not clustered (five outlets would weigh one story five times): only the
    # version that arrived first, before it had any copy, holds a clusterer record.
    clustered = [n for n in [REUTERS, *COPIES] if article(wire, n).story_record]
    assert clustered == ["gulfdailyherald-prefix"]


@pytest.mark.parametrize("name", OTHERS)
def test_same_day_iraq_stories_are_not_copies(wire, db, name):
    from newsdesk.desk.models import Article

    other = article(wire, name)
    assert other.duplicate_of_id is None
    assert not Article.objects.filter(duplicate_of=other).exists()


def test_published_shows_the_wire_story_once(wire, db):
    from newsdesk.desk.models import Article

    group = [article(wire, n).pk for n in [REUTERS, *COPIES]]
    shown = list(Article.objects.published().filter(pk__in=group).values_list("pk", flat=True))
    assert shown == [article(wire, REUTERS).pk]


def test_headline_edited_at_the_same_url_updates_the_article(wire, db, tmp_path):
    from newsdesk.desk.models import Article

    reuters = article(wire, REUTERS)
    page = (FIXTURES / f"{REUTERS}.html").read_text(encoding="utf-8")
    edited = page.replace("Iraq resumes Kirkuk oil exports to Turkey's Ceyhan after two-year halt",
                          "UPDATE 1-Iraq restarts Kirkuk oil exports to Ceyhan after two-year halt")
    assert edited != page
    path = tmp_path / "reuters-updated.html"
    path.write_text(edited, encoding="utf-8")
    item = ingest_path(path)
    assert item["status"] == "updated"
    assert item["id"] == reuters.pk
    assert Article.objects.filter(url=reuters.url).count() == 1
    reuters.refresh_from_db()
    assert reuters.title.startswith("UPDATE 1-Iraq restarts")
    assert reuters.duplicate_of_id is None
    assert Article.objects.filter(duplicate_of=reuters).count() == len(COPIES)


def test_an_outlet_copy_arriving_late_joins_the_group(wire, db, tmp_path):
    from newsdesk.desk.models import Article

    page = (FIXTURES / "gulfdailyherald-prefix.html").read_text(encoding="utf-8")
    page = page.replace("www.gulfdailyherald.com/business/oil/iraq-resumes",
                        "www.kuwaitobserver.example/economy/iraq-resumes")
    page = page.replace("Gulf Daily Herald", "Kuwait Observer")
    path = tmp_path / "kuwait.html"
    path.write_text(page, encoding="utf-8")
    item = ingest_path(path)
    reuters = article(wire, REUTERS)
    # Same text as the Gulf Daily Herald's copy: ingest reports it as a duplicate, kept.
    assert item["status"] == "duplicate"
    assert item["duplicate_of"] == reuters.pk
    assert Article.objects.get(pk=item["id"]).story_id == reuters.story_id


@pytest.mark.parametrize(("value", "expected"), [("0.6", 0.6), ("0.85", 0.85), ("1", 1.0)])
def test_threshold_comes_from_the_setting(monkeypatch, value, expected):
    from newsdesk.desk.copies import copy_options
    from newsdesk.pipeline.copies import CopyOptions

    monkeypatch.setenv("NEWSDESK_COPY_THRESHOLD", value)
    options = copy_options()
    assert options.threshold == expected
    assert (options.num_perm, options.seed) == (CopyOptions().num_perm, CopyOptions().seed)


@pytest.mark.parametrize("value", ["high", "0", "1.5"])
def test_a_bad_threshold_is_refused_with_the_setting_named(monkeypatch, value):
    from newsdesk.desk.copies import copy_options

    monkeypatch.setenv("NEWSDESK_COPY_THRESHOLD", value)
    with pytest.raises(ValueError, match="NEWSDESK_COPY_THRESHOLD"):
        copy_options()


def test_a_fresh_process_finds_the_same_copies(wire, db, tmp_path):
    """The index is rebuilt from stored signatures: a new outlet copy still finds its group."""
    from newsdesk.desk.models import Article

    forget_process_state()
    page = (FIXTURES / "levantpost-truncated.html").read_text(encoding="utf-8")
    page = page.replace("levantpost.net/region", "cedarsdaily.example/region")
    page = page.replace("The Levant Post", "Cedars Daily")
    page = page.replace("Kirkuk crude flows to Ceyhan again", "Kirkuk oil flows to Ceyhan again")
    path = tmp_path / "cedars.html"
    path.write_text(page, encoding="utf-8")
    item = ingest_path(path)
    assert item["status"] == "ingested"
    assert item["duplicate_of"] == article(wire, REUTERS).pk
    assert Article.objects.get(pk=item["id"]).story_id == article(wire, REUTERS).story_id


def test_a_rolled_back_ingest_leaves_no_bands_behind(wire, db, tmp_path):
    from django.db import transaction

    from newsdesk.desk.models import CopyBand

    page = (FIXTURES / "tigrisnews-extended.html").read_text(encoding="utf-8")
    page = page.replace("www.tigrisnews.iq/en/economy/38817", "www.basranews.example/en/1")
    page = page.replace("Tigris News", "Basra News")
    path = tmp_path / "basra.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(RuntimeError), transaction.atomic():
        item = ingest_path(path)
        assert item["duplicate_of"] == article(wire, REUTERS).pk
        assert CopyBand.objects.filter(article_id=item["id"]).exists()
        raise RuntimeError("the batch failed after this article")
    assert not CopyBand.objects.filter(article_id=item["id"]).exists()
    assert CopyBand.objects.filter(article_id=article(wire, REUTERS).pk).exists()
    again = ingest_path(path)  # the same page, this time for good, still finds its group
    assert again["duplicate_of"] == article(wire, REUTERS).pk


def test_band_keys_are_stored_for_every_signed_article(wire, db):
    from newsdesk.desk.copies import copy_options
    from newsdesk.desk.models import Article, CopyBand
    from newsdesk.pipeline.copies import band_keys

    signed = [(pk, sig) for pk, sig in Article.objects.values_list("pk", "copy_signature") if sig]
    assert signed
    for pk, sig in signed:
        stored = sorted(CopyBand.objects.filter(article_id=pk).values_list("key", flat=True))
        assert stored == sorted(band_keys(sig, copy_options()))


def test_a_too_short_body_is_not_copy_checked(wire, db):
    from newsdesk.desk.copies import link_copies
    from newsdesk.desk.models import Article
    from newsdesk.pipeline.documents import Draft

    reuters = article(wire, REUTERS)
    brief = Article.objects.create(url="https://brief.example/1", title=reuters.title,
                                   body="Oil flows.", content_hash="brief")
    draft = Draft(title=reuters.title, paragraphs=["Oil flows."])
    assert link_copies(brief, draft) is None
    brief.refresh_from_db()
    assert brief.copy_signature == []
    assert brief.duplicate_of_id is None
