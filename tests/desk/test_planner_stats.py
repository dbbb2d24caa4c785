"""SQLite gets planner statistics once the articles have grown, and then reads a story's
articles through the story index; PostgreSQL is left to its autovacuum."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from newsdesk.desk import planner_stats
from newsdesk.desk.planner_stats import GROWTH, MIN_ARTICLES, analysed_rows, refresh_planner_stats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "desk"
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="ANALYZE is run for SQLite only; PostgreSQL analyses itself")


def add_articles(n: int, start: int = 0) -> None:
    from newsdesk.desk.models import Article, Story

    stories = Story.objects.bulk_create([Story(title=f"s{i}") for i in range(start, start + n // 2)])
    Article.objects.bulk_create([
        Article(title=f"a{i}", url=f"https://x.example/{i}", body="b", content_hash=str(i),
                story=stories[(i - start) // 2])
        for i in range(start, start + n)
    ])


def story_articles_plan() -> str:
    """How SQLite would read the published articles of a few stories (as the stories list does)."""
    from newsdesk.desk.models import Article

    query = Article.objects.published().filter(story_id__in=[1, 2, 3]).values_list("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@sqlite_only
def test_a_small_desk_is_not_analysed(db):
    add_articles(MIN_ARTICLES - 2)
    assert refresh_planner_stats() is False
    assert analysed_rows() is None


@sqlite_only
def test_analysed_once_grown_then_again_after_a_quarter_more(db):
    add_articles(MIN_ARTICLES)
    assert "story_id" not in story_articles_plan()  # guessing: through the status index
    assert refresh_planner_stats() is True
    assert analysed_rows() == MIN_ARTICLES
    assert "story_id" in story_articles_plan()
    assert refresh_planner_stats() is False  # nothing new
    add_articles(int(MIN_ARTICLES * GROWTH) + 2, start=MIN_ARTICLES)
    assert refresh_planner_stats() is True
    assert analysed_rows() > MIN_ARTICLES


@sqlite_only
def test_an_ingest_run_ends_with_fresh_statistics(db, monkeypatch):
    from newsdesk.cli import main

    monkeypatch.setattr(planner_stats, "MIN_ARTICLES", 1)
    assert main(["ingest", str(FIXTURES / "baghdad-budget.html")]) == 0
    assert analysed_rows() == 1


def test_postgresql_is_left_to_its_autovacuum(db):
    if connection.vendor == "sqlite":
        pytest.skip("the SQLite path is tested above")
    add_articles(MIN_ARTICLES)
    assert refresh_planner_stats() is False
