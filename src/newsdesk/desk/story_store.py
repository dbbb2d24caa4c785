"""The story clusterer's state in the database: read as an article needs it, written as
it changes.

A `StoredClusterer` is the pipeline's `StoryClusterer` (through `DeskClusterer`) whose
containers are backed by tables instead of memory:
  stories        `StoryCentroid`, one record per live story, loaded when scored;
  articles       `Article.story_record` and `Article.story`, loaded when moved;
  dfs            `StoryTerm`, document frequencies of the terms asked about;
  the index      `StoryPosting`, each story's heaviest centroid terms, indexed by term;
  aliases, editor stories and pins: the few `Story.state` and pinned records there are.
Filing one article reads a few dozen rows, whatever the desk holds: no process rebuilds
anything, a fresh one (a one-file ingest, a worker starting) is as ready as an old one.

One clusterer serves one decision (an article filed, a settle, an editor's action) inside
the caller's transaction and under the linking lock, then `flush()` writes what changed
and it is dropped: the next decision reads what every worker committed, and a rolled-back
transaction takes its changes with it. The clustering code is the pipeline's own, step
for step, so the decisions are those one long-running process holding every story in
memory makes.

`write_state` stores a whole in-memory clusterer (a migration's first build from the
article rows, a bench's bulk fill).
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, MutableSet

from django.db import connection

from newsdesk.desk.models import Article, Story, StoryCentroid, StoryPosting, StoryTerm
from newsdesk.pipeline.stories import StoryOptions, _Article, _Story
from newsdesk.pipeline.story_state import DeskClusterer
from newsdesk.pipeline.textvec import DocumentFrequencies, TermIndex

ARTICLE_COUNT = ""  # the StoryTerm row that counts the clustered articles
CHUNK = 500  # terms or ids per IN (…) list
BATCH = 2_000


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# --- document frequencies -------------------------------------------------------------


class StoredFrequencies(DocumentFrequencies):
    """Document frequencies read term by term as they are asked for."""

    def __init__(self) -> None:
        row = StoryTerm.objects.filter(term=ARTICLE_COUNT).values_list("df", flat=True).first()
        super().__init__(n_docs=row or 0, df=Counter())
        self._known: set[str] = set()
        self._dirty: set[str] = set()
        self._count_dirty = False

    def _ensure(self, terms: Iterable[str]) -> None:
        missing = [t for t in dict.fromkeys(terms) if t not in self._known]
        if not missing:
            return
        with connection.cursor() as cur:  # plain SQL: the ORM tripled the cost of these reads
            for chunk in _chunks(missing):
                cur.execute(f"SELECT term, df FROM {StoryTerm._meta.db_table} WHERE term IN "
                            f"({', '.join(['%s'] * len(chunk))})", chunk)
                self.df.update(dict(cur.fetchall()))
        self._known.update(missing)

    def idf(self, term: str) -> float:
        self._ensure([term])
        return super().idf(term)

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        terms = list(terms)
        self._ensure(terms)
        return super().idfs(terms)

    def add(self, terms: Iterable[str]) -> None:
        terms = list(terms.keys() if isinstance(terms, Mapping) else set(terms))
        self._ensure(terms)
        super().add(terms)
        self._dirty.update(terms)
        self._count_dirty = True

    def remove(self, terms: Iterable[str]) -> None:
        terms = list(set(terms))
        self._ensure(terms)
        super().remove(terms)
        self._dirty.update(terms)
        self._count_dirty = True

    def flush(self) -> None:
        dirty = sorted(self._dirty)
        gone = [t for t in dirty if not self.df.get(t)]
        for chunk in _chunks(gone):
            StoryTerm.objects.filter(term__in=chunk).delete()
        rows = [(t, self.df[t]) for t in dirty if self.df.get(t)]
        if self._count_dirty:
            rows.append((ARTICLE_COUNT, self.n_docs))
        # One upsert in plain SQL (both databases speak ON CONFLICT): a fifth of the
        # ORM's bulk_create for the hundred-odd terms an article changes.
        with connection.cursor() as cur:
            for chunk in _chunks(rows):
                cur.execute(f"INSERT INTO {StoryTerm._meta.db_table} (term, df) VALUES "
                            f"{', '.join(['(%s, %s)'] * len(chunk))} "
                            "ON CONFLICT (term) DO UPDATE SET df = EXCLUDED.df",
                            [x for row in chunk for x in row])
        self._dirty.clear()
        self._count_dirty = False


# --- the inverted index ---------------------------------------------------------------


class StoredTermIndex(TermIndex):
    """`TermIndex` over `StoryPosting`: posts and drops go straight to the table."""

    def __len__(self) -> int:
        return StoryPosting.objects.values("story_id").distinct().count()

    def post(self, item, terms: Iterable[str]) -> None:
        new = set(terms)
        old = set(StoryPosting.objects.filter(story_id=item).values_list("term", flat=True))
        gone = sorted(old - new)
        for chunk in _chunks(gone):
            StoryPosting.objects.filter(story_id=item, term__in=chunk).delete()
        StoryPosting.objects.bulk_create([StoryPosting(story_id=item, term=t) for t in sorted(new - old)])

    def drop(self, item) -> None:
        StoryPosting.objects.filter(story_id=item).delete()

    def candidates(self, query: Mapping[str, float], limit: int) -> list:
        """As `TermIndex.candidates`: the stories posting the query's terms, the best
        ``limit`` by summed query weight (exact ties to the lower id).

        The postings of the query's terms are read through the term index and summed
        here, term by term in the query's order as the in-memory index sums them. A
        weighted sum in SQL (a CASE over the query's terms for each posting, built by
        the ORM) cost ten times as much: 6 ms a query on a 20,000-article desk."""
        if not query:
            return []
        terms = list(query)
        table = StoryPosting._meta.db_table
        by_term: dict[str, list[int]] = {}
        with connection.cursor() as cur:
            for chunk in _chunks(terms):
                cur.execute(f"SELECT term, story_id FROM {table} WHERE term IN "
                            f"({', '.join(['%s'] * len(chunk))})", chunk)
                for term, sid in cur.fetchall():
                    by_term.setdefault(term, []).append(sid)
        partial: dict[int, float] = {}
        for term in terms:
            w = query[term]
            for sid in by_term.get(term, ()):
                partial[sid] = partial.get(sid, 0.0) + w
        return heapq.nsmallest(limit, partial, key=lambda sid: (-partial[sid], sid))


# --- stories and articles ---------------------------------------------------------------


def story_record(story: _Story) -> dict:
    return {"keys": list(story.keys), "tf": story.tf, "entities": story.entities,
            "countries": story.countries, "first": story.first, "last": story.last,
            "norm": story.norm, "norm_at": story.norm_at}


def _story(sid: int, rec: dict) -> _Story:
    return _Story(id=sid, keys=list(rec["keys"]), tf=dict(rec["tf"]), entities=dict(rec["entities"]),
                  countries=dict(rec["countries"]), first=rec["first"], last=rec["last"],
                  norm=float(rec.get("norm", 0.0)), norm_at=int(rec.get("norm_at", -1)))


class _LoadedMapping(MutableMapping):
    """A mapping read from the database when used: ``load(keys)`` fills the cache; keys
    deleted here stay gone, keys a subclass found nothing for stay missing (not asked again)."""

    def __init__(self) -> None:
        self._cache: dict = {}
        self._gone: set = set()
        self._missing: set = set()

    def load(self, keys: Iterable) -> None:
        raise NotImplementedError

    def _wanted(self, keys: Iterable) -> list:
        return [k for k in keys if k not in self._cache and k not in self._gone and k not in self._missing]

    def __getitem__(self, key):
        if key in self._gone:
            raise KeyError(key)
        if key not in self._cache:
            self.load([key])
        return self._cache[key]

    def __contains__(self, key) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __setitem__(self, key, value) -> None:
        self._gone.discard(key)
        self._missing.discard(key)
        self._cache[key] = value

    def __delitem__(self, key) -> None:
        self[key]  # KeyError when there is none
        del self._cache[key]
        self._gone.add(key)


class StoredStories(_LoadedMapping):
    """Live stories by id, in opening (id) order, loaded from `StoryCentroid` when used."""

    def __init__(self, states: StoryStates | None = None) -> None:
        super().__init__()
        self._states = states  # read beside the records: scoring asks who shaped them
        self._read: dict[int, dict] = {}  # id → the record as read, to write back only changes

    def load(self, ids: Iterable[int]) -> None:
        """Read these stories' records in one query (the candidates of one scoring)."""
        want = self._wanted(ids)
        for chunk in _chunks(want):
            for sid, rec in StoryCentroid.objects.filter(story_id__in=chunk).values_list("story_id", "record"):
                self._cache[sid] = _story(sid, rec)
                self._read[sid] = rec
        self._missing.update(i for i in want if i not in self._cache)
        if self._states is not None:
            self._states.load(want)

    def _stored_ids(self, descending: bool, page: int = 16) -> Iterator[int]:
        """Stored ids page by page (the revisit pass reads only the newest dozen)."""
        order, after = ("-story_id", "story_id__lt") if descending else ("story_id", "story_id__gt")
        rows = StoryCentroid.objects.order_by(order).values_list("story_id", flat=True)
        ids = list(rows[:page])
        while ids:
            if descending:
                self.load(ids)  # the revisit pass scores them all
            yield from ids
            ids = list(rows.filter(**{after: ids[-1]})[:page])

    def _live_ids(self, descending: bool) -> Iterator[int]:
        """Stored and new ids merged in order, the removed ones left out."""
        new = sorted((i for i in self._cache if i not in self._read), reverse=descending)
        stored = self._stored_ids(descending)
        merged = heapq.merge(new, stored, reverse=descending)
        last = None
        for sid in merged:
            if sid != last and sid not in self._gone:
                yield sid
            last = sid

    def __iter__(self) -> Iterator[int]:
        return self._live_ids(descending=False)

    def __reversed__(self) -> Iterator[int]:
        return self._live_ids(descending=True)

    def __len__(self) -> int:
        return sum(1 for _ in self._live_ids(descending=False))

    def flush(self) -> None:
        gone = sorted(self._gone)
        for chunk in _chunks(gone):
            StoryCentroid.objects.filter(story_id__in=chunk).delete()
        rows = []
        for sid, story in self._cache.items():
            rec = story_record(story)
            if self._read.get(sid) != rec:
                rows.append(StoryCentroid(story_id=sid, record=rec))
        StoryCentroid.objects.bulk_create(rows, batch_size=CHUNK, update_conflicts=True,
                                          unique_fields=["story"], update_fields=["record"])
        self._read.update({r.story_id: json.loads(json.dumps(r.record)) for r in rows})
        self._gone.clear()


class StoredArticles(_LoadedMapping):
    """Clustered articles by key (their id as text), loaded from their rows when used.

    The rows themselves are written by the desk (`desk.stories`): the record when an
    article is filed or forgotten, the story column when stories fold together.
    """

    def __init__(self, resolve) -> None:
        super().__init__()
        self._resolve = resolve

    def load(self, keys: Iterable[str]) -> None:
        # nothing is marked missing here: the desk writes article records beside this map
        want = [k for k in self._wanted(keys) if k.isdigit()]
        for chunk in _chunks(want):
            rows = Article.objects.filter(pk__in=[int(k) for k in chunk]).values_list(
                "pk", "story_id", "story_record")
            for pk, sid, rec in rows:
                if sid is not None and rec.get("vec"):
                    self._cache[str(pk)] = _Article(
                        story=self._resolve(sid), vec=dict(rec["vec"]), entities=list(rec["entities"]),
                        countries=list(rec["countries"]), published=rec.get("published"))

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for pk, rec in Article.objects.filter(story__isnull=False).values_list(
                "pk", "story_record").iterator():
            key = str(pk)
            if key in self._gone or not rec.get("vec"):
                continue
            seen.add(key)
            yield key
        yield from (k for k in list(self._cache) if k not in seen)

    def __len__(self) -> int:
        return sum(1 for _ in self)


# --- the clusterer ------------------------------------------------------------------------


class StoryStates:
    """`Story.state` of the stories a decision asks about, read by id (in bulk for the
    candidates of one scoring): whether an editor shaped it, what it was merged into."""

    def __init__(self) -> None:
        self._state: dict[int, dict] = {}

    def load(self, ids: Iterable[int]) -> None:
        want = [i for i in ids if i not in self._state]
        for chunk in _chunks(want):
            self._state.update(Story.objects.filter(pk__in=chunk).values_list("pk", "state"))
        self._state.update({i: {} for i in want if i not in self._state})

    def get(self, sid: int) -> dict:
        self.load([sid])
        return self._state[sid] or {}


class StoredAliases(MutableMapping):
    """Merged-away story → the story it was merged into, read from `Story.state` as
    asked. Iterating lists only the folds made during this decision (what the clusterer
    and the desk compare before and after a step to find its new folds)."""

    def __init__(self, states: StoryStates) -> None:
        self._states = states
        self._added: dict[int, int] = {}

    def __getitem__(self, sid: int) -> int:
        if sid in self._added:
            return self._added[sid]
        into = self._states.get(sid).get("merged_into")
        if not into:
            raise KeyError(sid)
        return int(into)

    def __contains__(self, sid) -> bool:
        try:
            self[sid]
        except KeyError:
            return False
        return True

    def __setitem__(self, sid: int, into: int) -> None:
        self._added[sid] = into

    def __delitem__(self, sid: int) -> None:
        del self._added[sid]

    def __iter__(self) -> Iterator[int]:
        return iter(list(self._added))

    def __len__(self) -> int:
        return len(self._added)


class StoredEditorStories(MutableSet):
    """Stories an editor shaped, read from `Story.state` as asked; iterating lists those
    marked during this decision."""

    def __init__(self, states: StoryStates) -> None:
        self._states = states
        self._added: set[int] = set()

    def __contains__(self, sid) -> bool:
        return sid in self._added or bool(self._states.get(sid).get("editor"))

    def add(self, sid: int) -> None:
        self._added.add(sid)

    def update(self, ids: Iterable[int]) -> None:
        self._added.update(ids)

    def discard(self, sid: int) -> None:
        self._added.discard(sid)

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._added))

    def __len__(self) -> int:
        return len(self._added)


class StoredPins(MutableMapping):
    """Article key → the story an editor pinned it to: its record's `pinned` flag and its
    story column, read as asked; iterating lists the pins set during this decision."""

    def __init__(self) -> None:
        self._set: dict[str, int] = {}
        self._read: dict[str, int | None] = {}

    def __getitem__(self, key: str) -> int:
        if key in self._set:
            return self._set[key]
        if key not in self._read:
            row = (Article.objects.filter(pk=int(key)).values_list("story_id", "story_record").first()
                   if key.isdigit() else None)
            pinned = row is not None and row[0] is not None and row[1].get("pinned") and row[1].get("vec")
            self._read[key] = row[0] if pinned else None
        if self._read[key] is None:
            raise KeyError(key)
        return self._read[key]

    def __contains__(self, key) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __setitem__(self, key: str, sid: int) -> None:
        self._set[key] = sid

    def __delitem__(self, key: str) -> None:
        self[key]
        self._set.pop(key, None)
        self._read[key] = None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._set))

    def __len__(self) -> int:
        return len(self._set)


class StoredClusterer(DeskClusterer):
    """A `DeskClusterer` reading and writing its state through the tables above."""

    def __init__(self, options: StoryOptions) -> None:
        super().__init__(options)
        self.dfs = StoredFrequencies()
        self._index = StoredTermIndex()
        self.states = StoryStates()
        self.stories = StoredStories(self.states)
        self.aliases = StoredAliases(self.states)
        self.editor_stories = StoredEditorStories(self.states)
        self.pins = StoredPins()
        self.articles = StoredArticles(self.resolve)
        self.next_id = 1  # unused: the desk allocates story ids (`DeskClusterer.allocate`)

    def _candidates(self, query: dict[str, float]) -> list[int]:
        found = super()._candidates(query)
        self.stories.load(found)  # scored next: one query for all of them
        return found

    def _present(self, story: _Story) -> None:
        """Read the story's articles in one query; keys whose row was deleted (in the
        admin) leave the story, as they would have left a rebuilt clusterer."""
        self.articles.load(story.keys)
        story.keys = [k for k in story.keys if k in self.articles]

    def _fold(self, a: int, b: int) -> None:
        self._present(self.stories[b])
        super()._fold(a, b)

    def _detach(self, key: str, article: _Article) -> None:
        self._present(self.stories[article.story])
        if key not in self.stories[article.story].keys:  # a removed key is still listed
            self.stories[article.story].keys.append(key)
        super()._detach(key, article)

    def flush(self) -> None:
        """Write what this decision changed (inside the caller's transaction)."""
        self.dfs.flush()
        self.stories.flush()


def write_state(clusterer: DeskClusterer) -> None:
    """Store a whole in-memory clusterer, replacing what the tables held. The articles'
    records and stories are the caller's (they are the article rows)."""
    StoryPosting.objects.all().delete()
    StoryCentroid.objects.all().delete()
    StoryTerm.objects.all().delete()
    StoryCentroid.objects.bulk_create(
        [StoryCentroid(story_id=sid, record=story_record(s)) for sid, s in clusterer.stories.items()],
        batch_size=BATCH)
    StoryPosting.objects.bulk_create(
        [StoryPosting(story_id=sid, term=t) for sid, terms in clusterer._index._posted.items()
         for t in terms], batch_size=BATCH)
    StoryTerm.objects.bulk_create(
        [StoryTerm(term=t, df=n) for t, n in clusterer.dfs.df.items() if n > 0 and t != ARTICLE_COUNT]
        + [StoryTerm(term=ARTICLE_COUNT, df=clusterer.dfs.n_docs)], batch_size=BATCH)
