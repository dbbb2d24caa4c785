"""Read counts: one row per article per hour, nothing about who read (no cookie, no profile)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.desk.models import ReadCount


def current_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def record_read(article_id: int) -> int:
    """Add one read to this hour's counter and return the new count.

    The increment is an SQL `count = count + 1`, so two readers at once never lose a read.
    """
    hour = current_hour()
    with transaction.atomic():
        row, _ = ReadCount.objects.get_or_create(article_id=article_id, hour=hour, defaults={"count": 0})
        ReadCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return ReadCount.objects.values_list("count", flat=True).get(pk=row.pk)
