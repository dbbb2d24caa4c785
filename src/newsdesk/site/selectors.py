"""Read-side helpers the desk's querysets do not have yet (the lead may move them there).

Everything here keeps the desk's one definition of "published", "latest" and "in a
category": the helpers only save queries (the region tree is loaded once per request
instead of one query per level) or name a filter the reader's site needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count

from newsdesk.desk.models import Article, ArticlePlace, Category, Entity, Mention


@dataclass
class Subtree:
    """A category with its descendants already known.

    `ArticleQuerySet.in_category()` only asks its argument for `descendant_ids()`;
    handing it a Subtree built from one tree query avoids `Category.descendant_ids()`'s
    query per tree level for every home-page section.
    """

    category: Category
    ids: list[int] = field(default_factory=list)

    def descendant_ids(self) -> list[int]:
        return self.ids


class Tree:
    """The whole region tree, loaded in one query (it is small: a few hundred nodes)."""

    def __init__(self, categories: list[Category] | None = None):
        nodes = categories if categories is not None else list(Category.objects.all())
        self.by_id = {c.pk: c for c in nodes}
        self.by_code = {c.code.upper(): c for c in nodes if c.code}
        self.children: dict[int | None, list[Category]] = {}
        for c in nodes:
            self.children.setdefault(c.parent_id, []).append(c)

    def roots(self) -> list[Category]:
        return self.children.get(None, [])

    def subtree(self, category: Category) -> Subtree:
        ids, frontier = [category.pk], [category.pk]
        while frontier:
            frontier = [c.pk for pk in frontier for c in self.children.get(pk, [])]
            ids += frontier
        return Subtree(category, ids)

    def ancestry(self, category: Category) -> list[Category]:
        """Root first, like `Category.ancestry()`, without a query per level."""
        chain, node = [], category
        while node is not None:
            chain.append(node)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return chain[::-1]


def mentioning(entity: Entity):
    """Published articles that mention the entity, newest first."""
    # A subquery, not a join: no DISTINCT over whole rows (see ArticleQuerySet.in_category).
    named = Mention.objects.filter(entity=entity).values("article_id")
    return Article.objects.latest().filter(pk__in=named)


def co_mentioned(article_ids: list[int], exclude: Entity | None = None, limit: int = 12):
    """Entities named most often alongside a set of articles."""
    qs = Entity.objects.filter(mentions__article_id__in=article_ids)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.annotate(n=Count("mentions__article", distinct=True)).order_by("-n", "name")[:limit]


def countries_of(article_ids: list[int], limit: int = 12) -> list[tuple[str, int]]:
    """Country codes the articles are about, with how many articles each."""
    rows = (
        ArticlePlace.objects.filter(article_id__in=article_ids)
        .values("code")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n", "code")[:limit]
    )
    return [(r["code"], r["n"]) for r in rows]


# PostgreSQL counts a country's articles by one OR over its filing and its places with a
# scan of the whole table (the OR holds a subquery, so no index serves it): 160 ms at
# 100,000 articles, where the two sides counted from their indexes and united take 15 ms.
# A region holding most of the archive counts faster by the scan, and SQLite answers the
# OR from both indexes already.
UNITED_COUNT_MAX_CATEGORIES = 3


def count_in_category(subtree: Subtree) -> int | None:
    """How many published articles the category lists, when a cheaper count than the
    listing's own ``count()`` exists; None otherwise."""
    if connection.vendor != "postgresql" or len(subtree.ids) > UNITED_COUNT_MAX_CATEGORIES:
        return None
    filed = Article.objects.published().filter(category_id__in=subtree.ids).order_by().values("pk")
    placed = (ArticlePlace.objects.filter(category_id__in=subtree.ids,
                                          article__status=Article.Status.PUBLISHED,
                                          article__duplicate_of__isnull=True)
              .order_by().values("article_id"))
    return filed.union(placed).count()


class CountedPaginator(Paginator):
    """Django's Paginator, told the count when the caller has a cheaper one."""

    def __init__(self, object_list, per_page, count: int | None = None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property
