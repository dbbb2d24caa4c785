"""The article page's teaser blocks: Latest news, Must read, You might also like, Recommended.

One function per block. Each returns a block (plain dict: key, title, items) or None when
it has nothing honest to show; the template then leaves the block out entirely, so a
reader never sees a placeholder or a padded list.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from django.utils.translation import gettext as _

from newsdesk.desk.models import Article, Pick
from newsdesk.site.cards import cards
from newsdesk.site.headlines import reader_title

log = logging.getLogger(__name__)

LATEST_COUNT = 6
MUST_READ_COUNT = 4
MOST_READ_DAYS = 7
RELATED_COUNT = 5
# Content neighbours come from this window of recent articles, capped so a page stays fast.
RELATED_POOL_DAYS = 30
RELATED_POOL_SIZE = 500
RECOMMEND_COUNT = 5
SEEN_MAX = 20
SHARED_TERMS_SHOWN = 3
RELATED_SPARE = 3  # candidates beyond the block's size, for those dropped as versions
# Naming the read article behind a suggestion needs only *some* overlap: the suggestion
# already passed rank_related's own floor against the whole profile.
BECAUSE_MIN_SCORE = 1e-6


@dataclass(frozen=True)
class BlockOptions:
    latest_count: int = LATEST_COUNT
    must_read_count: int = MUST_READ_COUNT
    most_read_days: int = MOST_READ_DAYS
    related_count: int = RELATED_COUNT
    pool_days: int = RELATED_POOL_DAYS
    pool_size: int = RELATED_POOL_SIZE
    recommend_count: int = RECOMMEND_COUNT
    seen_max: int = SEEN_MAX


DEFAULT = BlockOptions()


def block(key: str, title: str, items: list[dict]) -> dict | None:
    return {"key": key, "title": title, "items": items} if items else None


# Columns no teaser, card or feed item shows: the rendered HTML body and the desk's own
# bookkeeping, by far the widest part of a row.
NOT_IN_TEASERS = ("body_html", "term_vector", "copy_signature", "story_record")


def teasers():
    return Article.objects.latest().select_related("source").defer(*NOT_IN_TEASERS)


# The home page's sections are filled from this many of the newest articles, in one pass.
SECTIONS_WINDOW = 500


def sections(tree, size: int, roots=None) -> list[tuple]:
    """(region, its newest ``size`` articles) for each of ``roots`` (the tree's top
    regions unless given: the front page's region's countries).

    One pass over the newest articles (read off the date index with their filing and
    places) fills every section at once; a region too quiet to fill its section from
    them is asked on its own. Asking each region on its own is a query over everything
    filed under it, which for a region holding most of the archive (World) means sorting
    most of the archive.
    """
    from newsdesk.desk.models import ArticlePlace

    recent = list(Article.objects.latest().values_list("pk", "category_id")[:SECTIONS_WINDOW])
    filed: dict[int, set[int]] = {pk: {category} if category else set() for pk, category in recent}
    for pk, category in ArticlePlace.objects.filter(
            article_id__in=list(filed), category__isnull=False).values_list("article_id", "category_id"):
        filed[pk].add(category)
    chosen: list[tuple] = []
    for root in tree.roots() if roots is None else roots:
        under = set(tree.subtree(root).ids)
        ids = [pk for pk, _ in recent if filed[pk] & under][:size]
        if len(ids) < size and len(recent) == SECTIONS_WINDOW:
            chosen.append((root, list(teasers().in_category(tree.subtree(root))[:size])))
            continue
        rows = teasers().in_bulk(ids) if ids else {}
        chosen.append((root, [rows[pk] for pk in ids if pk in rows]))
    return chosen


def latest_news(exclude: Iterable[int] = (), options: BlockOptions = DEFAULT) -> dict | None:
    """The newest published articles, the one being read excluded."""
    rows = teasers().exclude(pk__in=list(exclude))[: options.latest_count]
    return block("latest", _("Latest news"), cards(rows))


def must_read(exclude: Iterable[int] = (), options: BlockOptions = DEFAULT) -> dict | None:
    """Editors' current picks; without any, the most read of the last week; else nothing."""
    exclude = set(exclude)
    # The picks first, then their articles: joined in one query, SQLite's planner (with no
    # statistics for an empty or small pick table) walks every article to find them.
    picked = [pk for pk in dict.fromkeys(Pick.objects.unexpired().values_list("article_id", flat=True))
              if pk not in exclude]
    shown = teasers().in_bulk(picked) if picked else {}
    items = cards([shown[pk] for pk in picked if pk in shown])
    if not items:
        rows = (
            Article.objects.most_read(options.most_read_days)
            .select_related("source")
            .exclude(pk__in=list(exclude))
        )
        items = cards(rows[: options.must_read_count])
    return block("must_read", _("Must read"), items[: options.must_read_count])


def related_module() -> ModuleType | None:
    """`newsdesk.pipeline.related` when it is installed; None only while it does not exist yet.

    Any other import error (a bug inside the module) propagates.
    """
    try:
        related = importlib.import_module("newsdesk.pipeline.related")
    except ModuleNotFoundError as exc:
        if exc.name != "newsdesk.pipeline.related":
            raise
        log.warning("newsdesk.pipeline.related is missing: content-based blocks are off")
        return None
    return related


def _pool(exclude: set[int], options: BlockOptions):
    """(id, term_vector) of recent published articles: the candidates for nearness."""
    rows = (
        Article.objects.latest()
        .recent(options.pool_days)
        .exclude(pk__in=list(exclude))
        .values_list("pk", "term_vector")[: options.pool_size]
    )
    return [(pk, vec) for pk, vec in rows if vec]


def _shares(terms: list[str]) -> str:
    return _("shares: %(terms)s") % {"terms": ", ".join(terms[:SHARED_TERMS_SHOWN])}


def related(article: Article, options: BlockOptions = DEFAULT) -> dict | None:
    """Same story first, then nearest by content, each with the reason it is here."""
    picked: list[tuple[Article, str]] = []
    taken = {article.pk}
    spare = options.related_count + RELATED_SPARE  # versions of one report are dropped below
    if article.story_id:
        same = teasers().in_story(article.story_id).exclude(pk=article.pk)
        for a in same[:spare]:
            picked.append((a, _("same story")))
            taken.add(a.pk)
    room = spare - len(picked)
    module = related_module() if article.term_vector else None
    if module is not None and room > 0:
        ranked = module.rank_related(article.term_vector, _pool(taken, options), k=room)
        by_pk = teasers().in_bulk([r.key for r in ranked])
        for r in ranked:
            if r.key in by_pk:
                picked.append((by_pk[r.key], _shares(list(r.shared_terms))))
    if module is not None and picked:
        vectors = dict(Article.objects.filter(pk__in=[a.pk for a, _ in picked])
                       .values_list("pk", "term_vector"))
        keep = set(module.distinct_versions(
            [(article.pk, article.term_vector)] + [(a.pk, vectors.get(a.pk)) for a, _ in picked]))
        picked = [(a, why) for a, why in picked if a.pk in keep]
    picked = picked[: options.related_count]
    items = cards([a for a, _ in picked], [why for _, why in picked])
    return block("related", _("You might also like"), items)


def recommended(seen: list[int], options: BlockOptions = DEFAULT, reading: int | None = None
                ) -> dict | None:
    """Close to what this reader read (ids kept in their browser), unread, with the reason.

    The server keeps nothing: the profile is rebuilt from `seen` on every call. ``reading``
    is the article open now: never suggested, and no part of the history (a reader who
    has read nothing else gets nothing, not "because you read" this very page).
    """
    seen = [pk for pk in seen if pk != reading][-options.seen_max:]
    module = related_module()
    if not seen or module is None:
        return None
    read = {
        pk: (title, vec)
        for pk, title, vec in Article.objects.published()
        .filter(pk__in=seen)
        .values_list("pk", "title", "term_vector")
        if vec
    }
    if not read:
        return None
    # The browser lists reads oldest first; the profile wants newest first (older ones fade).
    newest_first = [read[pk][1] for pk in dict.fromkeys(reversed(seen)) if pk in read]
    profile = module.profile_vector(newest_first)
    pool = _pool(set(seen) | ({reading} if reading is not None else set()), options)
    ranked = module.rank_related(profile, pool, k=options.recommend_count)
    by_pk = teasers().in_bulk([r.key for r in ranked])
    vectors = dict(pool)
    found = [by_pk[r.key] for r in ranked if r.key in by_pk]
    reasons = [_because(module, vectors[r.key], read, r.shared_terms)
               for r in ranked if r.key in by_pk]
    return block("recommended", _("Recommended to you"), cards(found, reasons))


def _because(module: ModuleType, vector: dict, read: dict, shared: list[str]) -> str:
    """Name the read article this one is closest to; fall back to the shared terms."""
    candidates = [(pk, vec) for pk, (_, vec) in read.items()]
    best = module.rank_related(vector, candidates, k=1, min_score=BECAUSE_MIN_SCORE)
    if best:
        return _("because you read: %(title)s") % {"title": reader_title(read[best[0].key][0])}
    return _shares(list(shared))
