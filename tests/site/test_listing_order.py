"""An undated article ranks after the dated news of the day it came in, never above it as
if it were the newest story (desk/listing_time.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from newsdesk.desk.models import Article

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.combine(datetime.now(UTC).date() - timedelta(days=1), time(), UTC)


def make(title, published_hour, created_hour, day=YESTERDAY):
    created = day + timedelta(hours=created_hour)
    published = None if published_hour is None else day + timedelta(hours=published_hour)
    return Article.objects.create(title=title, url=f"https://news.example.org/{title.lower().replace(' ', '-')}",
                                  body=f"{title}.\n\nA second paragraph.", excerpt=title,
                                  published_at=published, created_at=created, content_hash=title)


@pytest.fixture
def day_of_news():
    return {
        "earlier day": make("Dated the day before", 20, 21, day=YESTERDAY - timedelta(days=1)),
        "morning": make("Dated in the morning", 8, 8.1),
        "undated": make("Undated page added in the afternoon", None, 15),
        "afternoon": make("Dated in the early afternoon", 14, 16),
    }


def test_latest_news_lists_an_undated_article_after_its_days_dated_news(client, day_of_news):
    titles = [card["title"] for card in client.get("/index.json").json()["latest"]]
    expected = ["afternoon", "morning", "undated", "earlier day"]
    assert titles == [day_of_news[k].title for k in expected]


def test_feeds_follow_the_same_order(client, day_of_news):
    titles = [item["title"] for item in client.get("/feed/json/").json()["items"]]
    assert titles.index(day_of_news["morning"].title) < titles.index(day_of_news["undated"].title)
    assert titles.index(day_of_news["undated"].title) < titles.index(day_of_news["earlier day"].title)


def test_dating_an_article_moves_it(client, day_of_news):
    undated = day_of_news["undated"]
    undated.published_at = YESTERDAY + timedelta(hours=23)
    undated.save()
    titles = [card["title"] for card in client.get("/index.json").json()["latest"]]
    assert titles[0] == undated.title


def test_bulk_inserted_articles_get_their_listing_time(day_of_news):
    [row] = Article.objects.bulk_create([Article(
        title="Bulk", url="https://news.example.org/bulk", body="Bulk.", content_hash="bulk",
        published_at=None, created_at=YESTERDAY + timedelta(hours=9, minutes=30))])
    assert Article.objects.get(pk=row.pk).listed_at == YESTERDAY
