"""The sources page (`/sources/`): who the desk reads, so a reader can judge what it shows.

Each outlet with how many of its articles the desk publishes, how many more it republished
from a wire story another outlet ran first (syndicated copies), when it last had one, and
the feeds it is read through; then the wire agencies the articles credit. Three queries.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsdesk.desk.models import Article, Feed, Source
from newsdesk.site.render import Page, page_view

PUBLISHED = Q(article__status=Article.Status.PUBLISHED)


def outlets() -> list[dict]:
    """Outlets with a published article, the most published first."""
    rows = (
        Source.objects.annotate(
            articles=Count("article", filter=PUBLISHED & Q(article__duplicate_of__isnull=True)),
            copies=Count("article", filter=PUBLISHED & Q(article__duplicate_of__isnull=False)),
            latest=Max(Coalesce("article__published_at", "article__created_at"), filter=PUBLISHED),
        )
        .filter(Q(articles__gt=0) | Q(copies__gt=0))
        .order_by("-articles", "-copies", "name")
    )
    feeds: dict[int, list[dict]] = {}
    for feed in Feed.objects.filter(active=True, source__isnull=False).order_by("title", "url"):
        feeds.setdefault(feed.source_id, []).append({"title": feed.title or feed.url, "url": feed.url})
    return [
        {"name": s.name, "homepage": s.homepage or None, "agency": s.is_agency,
         "articles": s.articles, "copies": s.copies, "latest": s.latest,
         "feeds": feeds.get(s.pk, [])}
        for s in rows
    ]


def credited_agencies() -> list[dict]:
    """Wire agencies the published articles credit (`Reuters:`, `(AFP)`), most first."""
    rows = (
        Article.objects.published().exclude(agency="")
        .values("agency").annotate(n=Count("pk")).order_by("-n", "agency")
    )
    return [{"name": r["agency"], "articles": r["n"]} for r in rows]


@require_safe
@page_view
def sources(request: HttpRequest) -> Page:
    return Page("site/sources.html", {
        "page": "sources",
        "title": _("Sources"),
        "outlets": outlets(),
        "agencies": credited_agencies(),
    }, max_age=300)
