"""The editors' review queue: articles that came in lately and no editor has acted on yet.

An editor's act on an article (a change saved in the admin, a bulk hide or publish, a
pick, "Mark reviewed") is written to Django's admin log, so the queue needs no column of
its own: an article is reviewed once the log names it. The log also says who did what.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from newsdesk.desk.models import Article

QUEUE_DAYS = 7  # an article older than this has been read on the site already: it leaves the queue


def _logged() -> QuerySet:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Article),
                                   object_id=Cast(OuterRef("pk"), CharField()))


def to_review(articles: QuerySet, now=None) -> QuerySet:
    """The articles created within QUEUE_DAYS that no editor has acted on, newest first."""
    since = (now or timezone.now()) - timedelta(days=QUEUE_DAYS)
    return articles.filter(created_at__gte=since).exclude(Exists(_logged())).order_by("-created_at", "-pk")


def record(user, articles, message: str) -> int:
    """Write an editor's act on these articles to the admin log (one row each); returns how many."""
    rows = list(articles)
    if rows:
        LogEntry.objects.log_actions(user_id=user.pk, queryset=rows, action_flag=CHANGE,
                                     change_message=message, single_object=False)
    return len(rows)
