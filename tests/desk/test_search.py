"""Full-text search in the database the desk runs on (SQLite FTS5 or PostgreSQL tsvector):
ranked, stemmed, following every edit, and never listing copies or hidden articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection

from newsdesk.desk.models import Article
from newsdesk.desk.search import search
from newsdesk.desk.search_index import ensure_index
from newsdesk.pipeline.search_query import parse

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 1, 6, 12, tzinfo=UTC)


def article(n: int, title: str, body: str = "Nothing to see.", excerpt: str = "", **kw) -> Article:
    kw.setdefault("published_at", DAY + timedelta(hours=n))
    return Article.objects.create(url=f"https://outlet.example/{n}", title=title, body=body,
                                  excerpt=excerpt, content_hash=f"h{n}", **kw)


def found(query: str, order: str = "relevance") -> list[int]:
    return [a.pk for a in search(parse(query), order)[:50]]


def test_a_word_in_the_headline_ranks_above_the_same_word_in_the_body():
    deep = article(1, "Oil exports rise", body="Traders said exports rose. " * 5 + "Sanctions were not discussed.")
    headline = article(2, "New sanctions on Tehran", body="The measures target shipping.")
    lede = article(3, "Talks in Vienna", excerpt="Sanctions relief is on the table.")
    article(4, "Football results")
    assert found("sanctions") == [headline.pk, lede.pk, deep.pk]


def test_words_are_stemmed_phrases_kept_and_exclusions_applied():
    moved = article(1, "Residents of Camp Ashraf moved to Camp Liberty")
    closed = article(2, "Ashraf camp closes its gates")
    sanction = article(3, "EU sanctioned three banks")
    assert set(found("ashraf camp")) == {moved.pk, closed.pk}
    assert found('"camp ashraf"') == [moved.pk]
    assert found("ashraf -liberty") == [closed.pk]
    assert found("sanctions") == [sanction.pk]  # sanctioned ~ sanctions


def test_newest_first_on_request():
    old = article(1, "Iraq votes", published_at=DAY - timedelta(days=3))
    new = article(2, "Iraq votes again, and Iraq counts", published_at=DAY)
    assert found("iraq", order="newest") == [new.pk, old.pk]


def test_copies_and_hidden_articles_are_not_listed():
    wire = article(1, "Rajavi warns Washington")
    article(2, "Rajavi warns Washington", duplicate_of=wire)
    article(3, "Rajavi, a draft", status=Article.Status.HIDDEN)
    assert found("rajavi") == [wire.pk]


def test_the_index_follows_edits_and_deletions():
    piece = article(1, "Ceasefire holds")
    assert found("ceasefire") == [piece.pk]
    piece.title = "Truce holds"
    piece.save()
    assert found("ceasefire") == []
    assert found("truce") == [piece.pk]
    piece.story_id = None  # an update that leaves the text alone keeps it findable
    piece.save(update_fields=["story"])
    assert found("truce") == [piece.pk]
    piece.delete()
    assert found("truce") == []


def test_other_scripts_are_searchable():
    persian = article(1, "مریم رجوی در پاریس", body="سخنرانی مریم رجوی", language="fa")
    assert found("رجوی") == [persian.pk]


def test_pages_are_cut_in_the_database_and_counted():
    for n in range(7):
        article(n, f"Budget debate, day {n}")
    results = search(parse("budget"), "newest")
    assert results.count() == 7
    pages = Paginator(results, 3)
    assert pages.num_pages == 3
    seen = [a.pk for number in pages.page_range for a in pages.page(number).object_list]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 7


def test_unknown_order_is_refused():
    with pytest.raises(ValueError, match="order must be one of"):
        search(parse("iran"), "random")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the triggers are SQLite's")
def test_a_rebuilt_article_table_gets_its_index_back():
    """SQLite's schema editor rebuilds a table to alter it; the triggers go with it."""
    before = article(1, "Kirkuk oil fields")
    with connection.cursor() as cur:
        for name in ("desk_article_search_ai", "desk_article_search_ad", "desk_article_search_au"):
            cur.execute(f"DROP TRIGGER {name}")
    after = article(2, "Kirkuk governor elected")  # written while the index was away
    assert ensure_index() is True
    assert set(found("kirkuk")) == {before.pk, after.pk}
    assert ensure_index() is False  # in place: nothing to do


def test_migrate_keeps_the_index_in_place():
    call_command("migrate", verbosity=0)
    piece = article(1, "Basra water protest")
    assert found("basra") == [piece.pk]


def test_the_bench_runs_on_a_scratch_database_and_reports_both_sides(tmp_path):
    """`newsdesk bench search` end to end on a tiny corpus (its own process: it picks its
    scratch database before Django starts, and never the desk's)."""
    import json
    import subprocess
    import sys

    corpus = tmp_path / "corpus.jsonl"
    rows = [{"title": f"Cocoa harvest {w} in Bahia", "body": f"Showers helped the {w} cocoa crop."}
            for w in ("improves", "slips", "recovers", "stalls")]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "bench", "search", "--data", str(corpus),
         "--articles", "40", "--queries", "6", "--json"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(out.stdout)
    assert result["database"] == "sqlite" and result["articles"] == 40
    assert result["newsdesk"]["mean_matches"] > 0  # every query comes from a headline
    assert result["peer"]["mean_matches"] >= result["newsdesk"]["mean_matches"] * 0.5
    assert result["ratio_median"] > 0


def test_a_known_name_finds_the_articles_that_use_its_other_names():
    """MEK = PMOI = Mujahedin-e Khalq, and Maryam Rajavi in Persian, by the alias file."""
    from newsdesk.desk.search import with_entity_names

    pmoi = article(1, "PMOI members leave Camp Ashraf")
    khalq = article(2, "Mujahedin-e Khalq says Baghdad broke its word")
    persian = article(3, "مریم رجوی در پاریس", language="fa")
    iraq = article(4, "Iraq votes")

    def named(query):
        terms, entities = with_entity_names(parse(query))
        return {a.pk for a in search(terms)[:50]}, [e.name for e in entities]

    assert named("MEK") == ({pmoi.pk, khalq.pk}, ["People's Mojahedin Organization of Iran"])
    assert named("maryam rajavi") == ({persian.pk}, ["Maryam Rajavi"])
    assert named("iraq") == ({iraq.pk}, [])  # a country: searched as the word it is
    assert named("ashraf -mek")[0] == set()  # leaving a name out leaves out all of them


def test_marked_segments_split_on_the_marks_only():
    from newsdesk.desk.search import marked_segments

    assert marked_segments("a \x02b\x03 c\n\x02d\x03") == [
        {"text": "a ", "match": False}, {"text": "b", "match": True},
        {"text": " c ", "match": False}, {"text": "d", "match": True}]
    assert marked_segments("plain <b>text</b>") == [{"text": "plain <b>text</b>", "match": False}]


def test_a_scope_narrows_to_a_region_and_a_time_span():
    from newsdesk.desk.models import ArticlePlace, Category
    from newsdesk.desk.search import SearchScope

    region = Category.objects.create(slug="neighbours", name="Neighbours")
    iraq = Category.objects.create(slug="iraq", name="Iraq", code="IQ", parent=region)
    france = Category.objects.create(slug="france", name="France", code="FR")
    filed = article(1, "Election day", category=iraq, published_at=DAY - timedelta(days=10))
    mentioned = article(2, "Election observers", category=france, published_at=DAY)
    ArticlePlace.objects.create(article=mentioned, code="IQ", salience=0.4, category=iraq)
    elsewhere = article(3, "Election in France", category=france, published_at=DAY)

    def scoped(**kw):
        return {a.pk for a in search(parse("election"), scope=SearchScope(**kw))[:50]}

    assert scoped() == {filed.pk, mentioned.pk, elsewhere.pk}
    assert scoped(category_ids=(region.pk, iraq.pk)) == {filed.pk, mentioned.pk}
    assert scoped(since=DAY - timedelta(days=1)) == {mentioned.pk, elsewhere.pk}
    assert scoped(before=DAY - timedelta(days=1)) == {filed.pk}
    assert scoped(category_ids=(iraq.pk,), before=DAY - timedelta(days=1)) == {filed.pk}
    assert search(parse("election"), scope=SearchScope(category_ids=(iraq.pk,))).count() == 2


@pytest.mark.django_db(transaction=True)
def test_upgrading_a_desk_indexes_the_articles_it_already_had():
    """A desk from before search: its articles are findable once it migrates."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "desk", "0006", verbosity=0)  # the index is dropped
    # the row as that desk's code wrote it: the model of its day, not today's
    then = MigrationExecutor(connection).loader.project_state([("desk", "0006_feed_entry_failures")])
    older = then.apps.get_model("desk", "Article").objects.create(
        url="https://outlet.example/1", title="Sulaimaniyah cement plant reopens", body="Nothing to see.",
        content_hash="h1", published_at=DAY)
    call_command("migrate", verbosity=0)
    assert found("sulaimaniyah") == [older.pk]
    assert Article.objects.get(pk=older.pk).listed_at == DAY  # the upgrade lists it too


@pytest.mark.parametrize("query", [
    "title:iran", "iran AND OR NOT", "NEAR(iran iraq)", 'iran"', "(((", "a* b* ^c", "drop table; --",
    "foo_bar", "under_score*", "the", "مجاهدین خلق", "U.S.-Iran", "it's", "ＩＲＡＮ", "x" * 120, "3,000 members",
])
def test_no_input_breaks_the_database_query(query):
    """Whatever a reader types runs on the backend in use (FTS5 or tsquery)."""
    from newsdesk.pipeline.search_query import BadQuery

    article(1, "Iran and Iraq: 3,000 members under_score it's")
    try:
        terms = parse(query)
    except BadQuery:
        return
    results = search(terms)
    assert results.count() == len(results[:50])


def test_a_broad_search_ranked_by_the_index_alone_lists_the_same(monkeypatch):
    """SQLite ranks a broad search in FTS5 alone (no article row read per match): the same
    articles, count and pages as the general path, copies and hidden ones left out."""
    from newsdesk.desk import search as search_module

    rows = [article(n, f"Budget {'budget ' * (n % 5)}day {n}") for n in range(1, 31)]
    for copy in rows[:12:3]:
        copy.duplicate_of = rows[-1]
        copy.save(update_fields=["duplicate_of"])
    for hidden in rows[1:12:4]:
        hidden.status = Article.Status.HIDDEN
        hidden.save(update_fields=["status"])

    def pages(broad_from: int):
        monkeypatch.setattr(search_module, "BROAD_MATCHES", broad_from)
        results = search(parse("budget"))
        return results.count(), [a.pk for a in results[:7]], [a.pk for a in results[7:40]]

    general, index_alone = pages(10_000), pages(0)
    # four copies, three hidden, one of them both (counted once)
    assert index_alone[0] == general[0] == 30 - 4 - 3 + 1
    assert index_alone[1] + index_alone[2] == general[1] + general[2]  # same order throughout


def test_a_broad_search_on_postgresql_lists_its_newest_matches_and_says_more_match(monkeypatch):
    """PostgreSQL lists (and ranks) the newest LISTED_MATCHES of a broad search and says that
    more match; SQLite, ranking in FTS5 at no such cost, lists every match."""
    from newsdesk.desk import search as search_module

    monkeypatch.setattr(search_module, "LISTED_MATCHES", 5)
    # The oldest article names the budget in its headline: the best match of all.
    best_but_old = article(0, "Budget budget budget", published_at=DAY - timedelta(days=30))
    rows = [article(n, f"Day {n}", body="The budget was discussed. " * (n % 3 + 1))
            for n in range(1, 11)]
    newest_five = {a.pk for a in rows[-5:]}
    results = search(parse("budget"))
    listed = [a.pk for a in results[:20]]
    if connection.vendor == "postgresql":
        assert (results.count(), results.more) == (5, True)
        assert set(listed) == newest_five  # ranked among themselves: the most mentions first
        assert listed[0] == max(rows[-5:], key=lambda a: (a.body.count("budget"), a.pk)).pk
        newest = search(parse("budget"), "newest")
        assert [a.pk for a in newest[:20]] == [a.pk for a in reversed(rows[-5:])]
        assert newest.more
    else:
        assert (results.count(), results.more) == (11, False)
        assert listed[0] == best_but_old.pk
    narrow = search(parse("budget -day"))  # fewer matches than the bound: all listed
    assert (narrow.count(), narrow.more, [a.pk for a in narrow[:20]]) == (1, False, [best_but_old.pk])
