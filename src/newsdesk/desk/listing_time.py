"""When an article stands in the desk's listings: its publication time, or, for an
undated article, the start of the day it came in.

A reader scanning Latest news reads the order as "newest published first". An undated
page (an archive dump, a DUC text, a page that prints no date) has no publication time;
listing it at the moment it was ingested would put it above every story published that
day, as if it were the freshest news. Listing it at the start of its arrival day keeps
it with that day's news, after every dated article of the same day, and before the days
before it. The value is stored (``Article.listed_at``) and indexed, because every
listing, search and feed orders by it and must stop at its page instead of sorting the
archive; a computed expression over the day could not be indexed on PostgreSQL
(``date_trunc`` on a timestamp with time zone is not immutable).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def listing_time(published_at: datetime | None, created_at: datetime) -> datetime:
    """The time an article is listed at (see the module's docstring)."""
    if published_at is not None:
        return published_at
    local = timezone.localtime(created_at) if timezone.is_aware(created_at) else created_at
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
