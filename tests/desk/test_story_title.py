"""A story is named by its earliest visible article's headline (`desk.stories.first_title`,
read through the story's partial index): dated articles by publication first, then the
undated by arrival; hidden articles and copies never name it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db


def _article(story, n: int, published, created, **extra):
    from newsdesk.desk.models import Article

    return Article.objects.create(url=f"https://example.org/{n}", title=f"headline {n}", body="text",
                                  story=story, published_at=published, created_at=created, **extra)


def test_the_earliest_visible_dated_article_names_the_story():
    from newsdesk.desk.models import Article, Story
    from newsdesk.desk.stories import first_title

    story = Story.objects.create(title="")
    day = lambda d, h=12: datetime(2026, 3, d, h, tzinfo=UTC)  # noqa: E731
    _article(story, 1, None, day(1))  # undated, arrived first: dated ones come first
    _article(story, 2, day(5), day(5))
    canonical = _article(story, 3, day(4, 9), day(6))
    _article(story, 4, day(4, 9), day(7))  # same time, arrived later
    _article(story, 5, day(2), day(2), status=Article.Status.HIDDEN)
    _article(story, 6, day(3), day(3), duplicate_of=canonical)
    assert first_title(story.pk) == "headline 3"
    Article.objects.filter(url__in=["https://example.org/3", "https://example.org/4",
                                    "https://example.org/2"]).update(status=Article.Status.HIDDEN)
    assert first_title(story.pk) == "headline 1"  # only the undated one is left visible


def test_undated_articles_go_by_arrival_and_a_story_with_none_shown_has_no_title():
    from newsdesk.desk.models import Article, Story
    from newsdesk.desk.stories import first_title

    story = Story.objects.create(title="")
    assert first_title(story.pk) is None
    _article(story, 7, None, datetime(2026, 3, 9, tzinfo=UTC))
    _article(story, 8, None, datetime(2026, 3, 8, tzinfo=UTC))
    assert first_title(story.pk) == "headline 8"
    Article.objects.filter(story=story).update(status=Article.Status.HIDDEN)
    assert first_title(story.pk) is None
