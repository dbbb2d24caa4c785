"""What 'published', 'in a category', 'recent' and 'most read' mean — defined once, here."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Visible to readers: not hidden, and not a syndicated copy of another article."""
        return self.filter(status="published", duplicate_of__isnull=True)

    def latest(self):
        """Newest first by listing time: when it was published, or, for an undated page,
        the start of the day it came in (desk/listing_time.py)."""
        return self.published().order_by("-listed_at", "-pk")

    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts skip ``save()``: set each row's listing time here too."""
        from newsdesk.desk.listing_time import listing_time

        objs = list(objs)
        for obj in objs:
            if hasattr(obj, "listed_at"):
                obj.listed_at = listing_time(obj.published_at, obj.created_at)
        return super().bulk_create(objs, *args, **kwargs)

    def in_category(self, category):
        """Filed under the category or anything below it, as primary or secondary country."""
        from newsdesk.desk.models import ArticlePlace

        ids = category.descendant_ids()
        # A subquery, not a join: a join repeats an article once per place and needs a
        # DISTINCT over whole rows, which sorts the archive before the first page comes out.
        placed = ArticlePlace.objects.filter(category_id__in=ids).values("article_id")
        return self.filter(Q(category_id__in=ids) | Q(pk__in=placed))

    def in_story(self, story):
        return self.filter(story=story)

    def recent(self, days: int = 7):
        since = timezone.now() - timedelta(days=days)
        return self.filter(created_at__gte=since)

    def most_read(self, days: int = 7):
        from newsdesk.desk.models import ReadCount

        since = timezone.now() - timedelta(days=days)
        read_lately = ReadCount.objects.filter(hour__gte=since).values("article_id")
        return (
            self.published()
            # Lets the planner start from the week's read counts, not from every article.
            .filter(pk__in=read_lately)
            .filter(read_counts__hour__gte=since)
            .annotate(reads=Sum("read_counts__count"))
            .filter(reads__gt=0)
            .order_by("-reads", "-published_at")
        )


class PickQuerySet(models.QuerySet):
    def unexpired(self):
        """Picks not past their expiry, in the editors' order (their articles unchecked)."""
        now = timezone.now()
        return (self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
                .order_by("position", "-created_at"))

    def current(self):
        return (
            self.unexpired()
            .filter(article__status="published")
            .select_related("article")
            .order_by("position", "-created_at")
        )
