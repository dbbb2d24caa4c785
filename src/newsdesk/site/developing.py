"""Developing stories for readers: which stories to list, and what each one's card says.

A story page exists for every story, but a reader reaches it only from an article. The
stories list (`/stories/`) and the home page's "Developing stories" block are the way in
from the top, as Google News' story list is: coverage of one event gathered, newest
activity first.

A story is listed once it has two or more articles a reader can see: a lone article is
an article, not yet a story, and syndicated copies of one wire text are one article seen
in several outlets (they count as outlets, not as coverage). Both list only the stories
still taking articles, covered within the clusterer's window (after it no article joins
them): last year's event is not presented as developing, and the cost of a page follows
the recent stories, not the archive (100,000 articles: see ``active``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.desk.models import Article, ArticlePlace, Story
from newsdesk.desk.stories import DESK_STORY_OPTIONS
from newsdesk.site.cards import country_ref
from newsdesk.site.headlines import reader_title
from newsdesk.site.selectors import Tree

MIN_ARTICLES = 2  # below this a "story" is one article
HOME_STORIES = 5
STORY_COUNTRIES = 3  # countries named on a story's card
# A story untouched for the clusterer's window takes no more articles: it has stopped developing.
ACTIVE_DAYS = DESK_STORY_OPTIONS.window_days

_VISIBLE = Q(articles__status=Article.Status.PUBLISHED, articles__duplicate_of__isnull=True)
_SHOWN = Q(articles__status=Article.Status.PUBLISHED)  # copies included: they are outlets
_WHEN = Coalesce("articles__published_at", "articles__created_at")


def developing(since: datetime | None = None) -> QuerySet[Story]:
    """Stories with at least ``MIN_ARTICLES`` visible articles, most recently covered
    first; with ``since``, only those covered since then."""
    stories = (
        Story.objects.annotate(
            n_articles=Count("articles", filter=_VISIBLE, distinct=True),
            n_outlets=Count("articles__source", filter=_SHOWN, distinct=True),
            started=Min(_WHEN, filter=_VISIBLE),
            updated=Max(_WHEN, filter=_VISIBLE),
        )
        .filter(n_articles__gte=MIN_ARTICLES)
        .order_by("-updated", "-pk")
    )
    if since is not None:
        stories = stories.filter(updated__gte=since)
    return stories


def active(now: datetime | None = None) -> QuerySet[Story]:
    """The developing stories that may still take articles.

    Only stories the desk touched since then can qualify (an article published in the
    window came in after it was published), so the indexed ``updated_at`` narrows the
    aggregate to the recent stories before any article is counted.
    """
    since = (now or timezone.now()) - timedelta(days=ACTIVE_DAYS)
    return developing(since=since).filter(updated_at__gte=since)


def story_cards(stories: list[Story], tree: Tree | None = None) -> list[dict]:
    """One card per story: its title, span, size, latest headline and main countries.

    Two queries for the whole list, whatever its length and however big its stories: each
    story's newest visible headline (picked in the database), and its countries counted
    there (and one for the region tree, unless the caller has it). A story of thousands
    of articles costs no more rows than one of two.
    """
    ids = [s.pk for s in stories]
    newest = (Article.objects.published().filter(story_id=OuterRef("pk"))
              .order_by("-listed_at", "-pk").values("pk")[:1])
    latest = {row["pk"]: row for row in Article.objects.filter(
        pk__in=Story.objects.filter(pk__in=ids).annotate(newest=Subquery(newest)).values("newest"),
    ).values("pk", "title", "story_id")}
    latest_of = {row["story_id"]: row for row in latest.values()}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (ArticlePlace.objects.filter(article__story_id__in=ids,
                                        article__status=Article.Status.PUBLISHED,
                                        article__duplicate_of__isnull=True)
            .values_list("article__story_id", "code").annotate(n=Count("article_id", distinct=True)))
    for story_id, code, n in rows:
        counts[story_id][code] = n
    if counts and tree is None:
        tree = Tree()
    cards = []
    for story in stories:
        row = latest_of.get(story.pk)
        ranked = sorted(counts[story.pk].items(), key=lambda kv: (-kv[1], kv[0]))
        cards.append({
            "id": story.pk,
            "title": reader_title(str(story)),
            "url": story.get_absolute_url(),
            "started": story.started,
            "updated": story.updated,
            "articles": story.n_articles,
            "outlets": story.n_outlets,
            "latest": {"id": row["pk"], "title": reader_title(row["title"]),
                       "url": reverse("article_detail", args=[row["pk"]])} if row else None,
            "countries": [country_ref(tree, code) for code, _ in ranked[:STORY_COUNTRIES]],
        })
    return cards


def home_block(tree: Tree | None = None, limit: int = HOME_STORIES) -> dict | None:
    """The home page's "Developing stories" block, or None when no story is active."""
    stories = list(active()[:limit])
    if not stories:
        return None
    return {"key": "developing", "title": _("Developing stories"),
            "items": story_cards(stories, tree)}
