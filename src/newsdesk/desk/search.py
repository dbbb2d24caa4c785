"""Full-text search over published articles, ranked: BM25 in SQLite's FTS5,
``ts_rank_cd`` in PostgreSQL, both with the title weighing most (the index and its
weights are in ``search_index``); ties go to the newer article (to the later arrival on
SQLite's broad-search path, which ranks in the index alone). Syndicated copies and
hidden articles are never listed.

A broad search on PostgreSQL lists its newest ``LISTED_MATCHES`` matches, ranked, and says
that more match (``SearchResults.more``): counting and ranking every match of a word in a
fifth of the archive reads each match's stored tsvector, 300–450 ms at 100,000 articles,
where the newest thousand come off the date index in 5–25 ms. On a news desk the newest
matches of a broad word are what a reader wants first; older ones are a narrower search,
a region or a span of days away. SQLite ranks every match in FTS5 at no such cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from newsdesk.desk.entities import alias_table, entity_slug
from newsdesk.desk.models import Article, ArticlePlace, Entity
from newsdesk.desk.search_index import FTS_TABLE, FTS_WEIGHTS, PG_COLUMN, TABLE
from newsdesk.pipeline.aliases import normalise
from newsdesk.pipeline.search_query import SearchTerms

ORDERS = ("relevance", "newest")
PLACES = ArticlePlace._meta.db_table
# The pieces of SQL every FTS5 query here shares: its matches, and their BM25 rank.
MATCHES = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
BM25 = f"bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)})"
# Snippets: where in the body the words matched. The marks are control characters, which
# ingest strips from every text, so they cannot occur in an article and are safe to split on.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_WORDS = 28
PG_HEADLINE_CHARS = 20_000  # ts_headline re-parses the text: the opening is enough
LISTED_MATCHES = 1_000  # PostgreSQL: a broader search lists (and ranks) its newest 1,000
WHEN = "a.listed_at"  # the listing time, as the index article_listed_idx has it


@dataclass(frozen=True)
class SearchScope:
    """Where and when to look: a region's categories (the region and everything below it,
    as primary or secondary filing, like its category page), and a time span by when the
    article was published (or came in, when undated): ``since`` ≤ when < ``before``."""

    category_ids: tuple[int, ...] = ()
    since: datetime | None = None
    before: datetime | None = None


EVERYWHERE = SearchScope()


@dataclass
class SearchResults:
    """Matching articles in rank order, sliced in the database: Django's Paginator takes it
    like a queryset (``count()`` and slices), and a page costs two queries plus one."""

    terms: SearchTerms
    order: str = "relevance"
    scope: SearchScope = field(default_factory=SearchScope)

    def __post_init__(self):
        if self.order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {self.order!r}")
        self._count: int | None = None
        self._matches: int | None = None
        self._more = False

    def count(self) -> int:
        """The matches listed: all of them, but on PostgreSQL at most ``LISTED_MATCHES``."""
        if self._count is None:
            if self._index_alone():
                self._count = _fts_count(self.terms, self._fts_matches())
            else:
                sql, params = _matching(self.terms, self.scope)
                if connection.vendor == "postgresql":
                    sql, params = f"{sql} LIMIT %s", [*params, LISTED_MATCHES + 1]
                with connection.cursor() as cur:
                    cur.execute(f"SELECT count(*) FROM ({sql}) AS hits", params)
                    found = cur.fetchone()[0]
                self._more = found > LISTED_MATCHES and connection.vendor == "postgresql"
                self._count = min(found, LISTED_MATCHES) if self._more else found
        return self._count

    @property
    def more(self) -> bool:
        """More articles match than are listed (a broad search on PostgreSQL)."""
        self.count()
        return self._more

    def _index_alone(self) -> bool:
        """SQLite, best match first, no region or dates, and a broad search: FTS5 ranks and
        counts on its own instead of reading an article row per match."""
        return (connection.vendor == "sqlite" and self.order == "relevance"
                and self.scope == EVERYWHERE and self._fts_matches() > BROAD_MATCHES)

    def _fts_matches(self) -> int:
        """Matches in the index, visible or not (one cheap query, asked once)."""
        if self._matches is None:
            with connection.cursor() as cur:
                cur.execute(f"SELECT count(*) {MATCHES}",
                            [self.terms.fts5()])
                self._matches = cur.fetchone()[0]
        return self._matches

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop
        if stop is None:
            stop = self.count()
        elif connection.vendor == "postgresql":  # the listing ends where the capped count does
            stop = min(stop, self.count())
        if stop <= start:
            return []
        if self._index_alone():
            ids = _fts_ranked_ids(self.terms, stop - start, start)
        else:
            ids = _ranked_ids(self.terms, self.scope, self.order, stop - start, start)
        by_id = Article.objects.select_related("source").in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


def search(terms: SearchTerms, order: str = "relevance", scope: SearchScope = EVERYWHERE) -> SearchResults:
    return SearchResults(terms, order, scope)


@dataclass
class NamedEntity:
    """A term of the search that names a known entity: what the reader typed, the entity,
    and its entity page when the desk has one."""

    typed: str
    name: str
    names: list[str]  # the entity's other names: neither its own nor what was typed
    entity: Entity | None


def with_entity_names(terms: SearchTerms) -> tuple[SearchTerms, list[NamedEntity]]:
    """The search with every known name widened to all the entity's names (the alias file
    and the editors' merges and splits), and the entities it named."""
    table = alias_table()
    named: list[NamedEntity] = []

    def names_of(text: str) -> list[str] | None:
        entity = table.lookup(text)
        if entity is None:
            return None
        names = [entity.name, *entity.aliases]
        if all(n.name != entity.name for n in named):
            row = Entity.objects.filter(slug=entity_slug(entity.name)).first()
            others = [n for n in entity.aliases if normalise(n) != normalise(text)]
            named.append(NamedEntity(text, entity.name, others, row))
        return names

    return terms.with_names(names_of), named


def any_status_sql(terms: SearchTerms) -> tuple[str, list]:
    """SQL selecting the id of every article that matches, whatever its status (hidden,
    a copy): the editors' search in the admin, where those are exactly what one looks for."""
    if connection.vendor == "sqlite":
        return f"SELECT rowid {MATCHES}", [terms.fts5()]
    if connection.vendor == "postgresql":
        return (f"SELECT id FROM {TABLE} WHERE {PG_COLUMN} @@ to_tsquery('english', %s)",
                [terms.tsquery()])
    raise NotImplementedError(f"search is not built for the {connection.vendor} backend")


def _matching(terms: SearchTerms, scope: SearchScope = EVERYWHERE) -> tuple[str, list]:
    """SQL selecting (id, score, when) of every visible match; lower score ranks higher."""
    where, extra = _scoped(scope)
    if connection.vendor == "sqlite":
        return (
            f"SELECT a.id AS id, {BM25} AS score, {WHEN} AS at "
            f"FROM {FTS_TABLE} JOIN {TABLE} a ON a.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where}",
            [terms.fts5(), *extra],
        )
    if connection.vendor == "postgresql":
        return (
            f"SELECT a.id AS id, -ts_rank_cd(a.{PG_COLUMN}, q) AS score, {WHEN} AS at "
            f"FROM {TABLE} a, to_tsquery('english', %s) q "
            f"WHERE a.{PG_COLUMN} @@ q AND {where}",
            [terms.tsquery(), *extra],
        )
    raise NotImplementedError(f"search is not built for the {connection.vendor} backend")


def _scoped(scope: SearchScope) -> tuple[str, list]:
    """The WHERE conditions of visibility and of the scope, with their parameters."""
    where, params = ["a.status = 'published'", "a.duplicate_of_id IS NULL"], []
    if scope.category_ids:
        marks = ", ".join(["%s"] * len(scope.category_ids))
        where.append(f"(a.category_id IN ({marks}) OR EXISTS (SELECT 1 FROM {PLACES} p "
                     f"WHERE p.article_id = a.id AND p.category_id IN ({marks})))")
        params += [*scope.category_ids, *scope.category_ids]
    # Written as the backend stores datetimes (SQLite compares them as text).
    adapt = connection.ops.adapt_datetimefield_value
    if scope.since is not None:
        where.append(f"{WHEN} >= %s")
        params.append(adapt(scope.since))
    if scope.before is not None:
        where.append(f"{WHEN} < %s")
        params.append(adapt(scope.before))
    return " AND ".join(where), params


def _ranked_ids(terms: SearchTerms, scope: SearchScope, order: str, limit: int, offset: int) -> list[int]:
    sql, params = _matching(terms, scope)
    if connection.vendor == "postgresql" and order == "relevance":
        # Rank the newest LISTED_MATCHES only (read off the date index); newest first needs
        # no such bound, and the count stops the pages at the same place.
        sql = f"{sql} ORDER BY {WHEN} DESC, a.id DESC LIMIT %s"
        params = [*params, LISTED_MATCHES]
    rank = "score, at DESC, id DESC" if order == "relevance" else "at DESC, id DESC"
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM ({sql}) AS hits ORDER BY {rank} LIMIT %s OFFSET %s",
                    [*params, limit, offset])
        return [row[0] for row in cur.fetchall()]


# From this many matches on (SQLite), ranking in the index alone and leaving out the set of
# unseen articles beats reading one article row per match. Measured at 100,000 Reuters
# articles, a seventh of them copies: the row reads win below (median 4.9 ms against 8.9),
# the index wins above (p95 65 ms against 28).
BROAD_MATCHES = 2_000
# Statuses readers never see, by name: "status <> 'published'" could not use the index.
UNSEEN_STATUSES = tuple(s for s in Article.Status.values if s != Article.Status.PUBLISHED)


def _unseen_sql() -> tuple[str, list]:
    """Ids of the articles readers never see: hidden ones and syndicated copies. Two index
    lookups: joined by OR, SQLite reads the whole table instead (0.7 ms against 52 ms at
    100,000 articles, a seventh of them copies)."""
    marks = ", ".join(["%s"] * len(UNSEEN_STATUSES))
    return (f"SELECT id FROM {TABLE} WHERE status IN ({marks}) "
            f"UNION ALL SELECT id FROM {TABLE} WHERE duplicate_of_id IS NOT NULL",
            list(UNSEEN_STATUSES))


# The matches with their rank, gathered first: a rowid constraint handed to FTS5 itself
# ("rowid IN (…)") becomes one index lookup per listed id, 0.5 s for a seventh of 100,000.
_FTS_HITS = f"SELECT rowid AS r, {BM25} AS s {MATCHES}"


def _fts_count(terms: SearchTerms, matches: int) -> int:
    """The index's ``matches``, less those readers never see."""
    unseen, params = _unseen_sql()
    with connection.cursor() as cur:
        cur.execute(f"WITH m AS MATERIALIZED (SELECT rowid AS r {MATCHES}) "
                    f"SELECT count(*) FROM m WHERE r IN ({unseen})",
                    [terms.fts5(), *params])
        return matches - cur.fetchone()[0]


def _fts_ranked_ids(terms: SearchTerms, limit: int, offset: int) -> list[int]:
    """The page of visible matches in rank order, ranked by FTS5 alone; the few articles
    readers never see are one set, gathered through their indexes, that matches skip."""
    unseen, params = _unseen_sql()
    with connection.cursor() as cur:
        cur.execute(f"WITH m AS MATERIALIZED ({_FTS_HITS}) SELECT r FROM m "
                    f"WHERE r NOT IN ({unseen}) ORDER BY s, r DESC LIMIT %s OFFSET %s",
                    [terms.fts5(), *params, limit, offset])
        return [row[0] for row in cur.fetchall()]


def snippets(terms: SearchTerms, ids: list[int]) -> dict[int, list[dict]]:
    """Where each article's body matched, as segments ``{"text", "match"}`` a template can
    mark up safely (the text stays text); articles whose body did not match get none."""
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    if connection.vendor == "sqlite":
        sql = (f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, '…', {SNIPPET_WORDS}) "
               f"{MATCHES} AND rowid IN ({placeholders})")
        params = [MARK_START, MARK_END, terms.fts5(), *ids]
    else:
        options = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
                   f"MinWords={SNIPPET_WORDS // 2}, MaxFragments=1")
        sql = (f"SELECT id, ts_headline('english', left(body, {PG_HEADLINE_CHARS}), "
               f"to_tsquery('english', %s), %s) FROM {TABLE} WHERE id IN ({placeholders})")
        params = [terms.tsquery(), options, *ids]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    found = {}
    for pk, text in rows:
        segments = marked_segments(text or "")
        if any(s["match"] for s in segments):
            found[pk] = segments
    return found


def marked_segments(text: str) -> list[dict]:
    r"""'a \x02b\x03 c' → [{a, False}, {b, True}, {c, False}], newlines folded to spaces."""
    segments = []
    for i, part in enumerate(" ".join(text.split()).split(MARK_START)):
        matched, _, rest = part.partition(MARK_END) if i else ("", "", part)
        if matched:
            segments.append({"text": matched, "match": True})
        if rest:
            segments.append({"text": rest, "match": False})
    return segments
