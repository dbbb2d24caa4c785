"""Developing stories: online clustering of articles as they arrive.

Each story keeps a centroid of its articles' term vectors (sub-linear TF, L2-normalised,
stored *without* IDF so the centroid never goes stale); IDF is applied at scoring time
from document frequencies that grow online. An article joins the best story whose
similarity passes ``StoryOptions.threshold``; otherwise it opens a new story. Time
counts twice: a story whose span lies more than ``window_days`` from the article is not
a candidate, and within the window the score fades with the gap (``time_penalty``).

Similarity blends three signals, each a cosine in [0, 1]:
  1. text — the article's TF-IDF vector against the story centroid;
  2. entities — the article's names against the names the story has used;
  3. countries — likewise for countries.
Signals the article lacks drop out and the weights of the rest are renormalised.

Single-pass clustering decides at once, when a story's neighbours may not exist yet; so
every ``revisit_every`` arrivals the recent stories that are still tiny (one or two
articles) are scored again, as one query each, against the stories that have grown
since, and fold into the best one that clears ``revisit_threshold``. Only a bounded
window of recent stories is looked at (``revisit_span`` queries at most per pass, half a
query per arrival with the defaults), whatever the archive holds. The newest few are
left for later while a batch is still arriving; ``settle()``, at the end of a batch,
looks at them too. The knobs and the reasons for their values are in
``story_options.py``.

Candidate stories come from an inverted index on the heaviest terms of each centroid,
so assigning one article costs a few posting lists, not a scan of every story.

State is plain data (``to_state``/``from_state``): document frequencies, one record per
story and one per article, all JSON-serialisable; the indexes are rebuilt on load.
Editor overrides (``merge``, ``split``, ``pin``) are part of that state.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice

from .copies import story_paragraphs
from .documents import Rejected, RejectReason
from .story_options import (
    LEDE_BOOST,
    LEDE_WORDS,
    MIN_IDF_DOCS,
    NORM_REFRESH,
    TITLE_WEIGHT,
    StoryOptions,
)
from .story_spans import days_apart, days_outside, widen, within
from .textvec import (
    DocumentFrequencies,
    TermIndex,
    norm,
    normalise,
    sublinear,
    term_sequence,
    truncate,
    weighted_norm,
)

DEFAULT_OPTIONS = StoryOptions()
# A grown story's heaviest terms change slowly: re-post it in the candidate index while it
# is small, then every few arrivals. Its norm is kept exact in between (``_attach``).
REPOST_ALWAYS = 4
REPOST_EVERY = 4


@dataclass
class StoryDoc:
    """An article as the clusterer sees it. ``published`` may be None (undated dumps)."""

    key: str
    published: datetime | None
    title: str
    text: str
    entities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


class UnknownStory(KeyError):
    """An override named a story id that does not exist (it may have been merged)."""


class UnknownArticle(KeyError):
    """An override named an article key the clusterer has not seen."""


@dataclass
class _Story:
    id: int
    keys: list[str] = field(default_factory=list)
    tf: dict[str, float] = field(default_factory=dict)  # sum of article vectors
    entities: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    first: str | None = None  # ISO timestamps, plain data
    last: str | None = None
    # caches, not state
    norm: float = 0.0
    norm_at: int = -1


@dataclass
class _Article:
    story: int
    vec: dict[str, float]  # sub-linear TF, truncated and normalised, no IDF
    entities: list[str]
    countries: list[str]
    published: str | None


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _dot(query: dict[str, float], tf: dict[str, float]) -> float:
    """Sparse dot product over the shared terms only (the key intersection runs in C)."""
    return sum([query[t] * tf[t] for t in query.keys() & tf.keys()])


def _set_cosine(items: Iterable[str], counts: dict[str, int]) -> float:
    items = set(items)
    if not items or not counts:
        return 0.0
    hit = sum(counts.get(i, 0) for i in items)
    norm = math.sqrt(sum(c * c for c in counts.values())) * math.sqrt(len(items))
    return hit / norm if norm else 0.0


class StoryClusterer:
    """Online story clustering with editor overrides; see the module docstring."""

    def __init__(self, options: StoryOptions = DEFAULT_OPTIONS):
        self.options = options
        self.dfs = DocumentFrequencies()
        self.stories: dict[int, _Story] = {}
        self.articles: dict[str, _Article] = {}
        self.pins: dict[str, int] = {}
        self.aliases: dict[int, int] = {}  # merged-away story id → surviving id
        self.editor_stories: set[int] = set()  # shaped by an editor: no automatic merges
        self.next_id = 1
        self._index = TermIndex()
        # not state: the stories articles joined since the last ``settle`` (it checks
        # their cohesion), and what that settle split off (new id → (old id, keys))
        self.touched: set[int] = set()
        self.split_off: dict[int, tuple[int, list[str]]] = {}

    # -- scoring -------------------------------------------------------------------
    def _article_vector(self, doc: StoryDoc) -> tuple[dict[str, float], dict[str, float]]:
        """The article's stored vector (no IDF), and today's IDF of its terms."""
        # The headline and the lede name the event; the rest of the body wanders into
        # background shared with neighbouring stories, so the opening words count extra.
        # Credits, bylines and datelines are shared by unrelated stories from one desk.
        sequence = term_sequence("\n\n".join(story_paragraphs(doc.text)))
        counts = Counter(sequence)  # whole-list updates: counted in C
        lede = sequence[:LEDE_WORDS]
        for _ in range(LEDE_BOOST):
            counts.update(lede)
        if doc.title:
            title = term_sequence(doc.title)
            for _ in range(TITLE_WEIGHT):
                counts.update(title)
        counts.pop(None, None)  # the words that are no terms
        tf = sublinear(counts)
        if not tf:
            raise Rejected(RejectReason.TOO_SHORT, f"{doc.key}: no content words to cluster on")
        idf = self.dfs.idfs(tf)
        # Keep the terms that matter by today's IDF, but store them without IDF.
        keep = truncate({t: w * idf[t] for t, w in tf.items()}, self.options.doc_terms)
        return normalise({t: tf[t] for t in keep}), idf

    def _story_norm(self, story: _Story) -> float:
        n = self.dfs.n_docs
        if story.norm_at < 0 or n > story.norm_at * (1 + NORM_REFRESH):
            story.norm = weighted_norm(story.tf, self.dfs.idfs(story.tf))
            story.norm_at = n
        return story.norm

    def _score(
        self,
        query: dict[str, float],
        qnorm: float,
        entities: Iterable[str],
        countries: Iterable[str],
        story: _Story,
    ) -> float:
        o = self.options
        snorm = self._story_norm(story)
        text = 0.0
        if snorm and qnorm:
            text = _dot(query, story.tf) / (qnorm * snorm)
        if text < o.min_text:
            return text  # shared names and countries alone do not make one story
        total, weight = o.text_weight * text, o.text_weight
        if entities and story.entities:
            total += o.entity_weight * _set_cosine(entities, story.entities)
            weight += o.entity_weight
        if countries and story.countries:
            total += o.country_weight * _set_cosine(countries, story.countries)
            weight += o.country_weight
        return total / weight

    def _candidates(self, query: dict[str, float]) -> list[int]:
        n = (
            self.options.query_terms
            if self.dfs.n_docs >= MIN_IDF_DOCS
            else 4 * self.options.query_terms
        )
        return self._index.candidates(truncate(query, n), self.options.max_candidates)

    def _query(
        self, vec: dict[str, float], weights: dict[str, float] | None = None
    ) -> tuple[dict[str, float], float]:
        """The article's TF-IDF norm, and its terms weighted by IDF² — one IDF for the
        article's side, one for the centroid's — so a dot with raw centroid TF is exact.
        ``weights``: today's IDF of the terms, when the caller has it already."""
        if weights is None:
            weights = self.dfs.idfs(vec)
        return {t: w * weights[t] ** 2 for t, w in vec.items()}, weighted_norm(vec, weights)

    def _best(
        self, doc: StoryDoc, vec: dict[str, float], idf: dict[str, float] | None = None
    ) -> tuple[int | None, float]:
        query, qnorm = self._query(vec, idf)
        best, best_score = None, 0.0
        for sid in self._candidates(query):
            story = self.stories[sid]
            gap = days_outside(doc.published, story.first, story.last)
            if gap is not None and gap > self.options.window_days:
                continue
            score = self._score(query, qnorm, doc.entities, doc.countries, story)
            if gap:  # the further from the story's span, the stronger the match must be
                score *= 1.0 - self.options.time_penalty * gap / self.options.window_days
            if score > best_score or (score == best_score and best is not None and sid < best):
                best, best_score = sid, score
        return best, best_score

    # -- public API ------------------------------------------------------------------
    def assign(self, doc: StoryDoc) -> tuple[int | None, float]:
        """Where ``doc`` would go, and its score, without changing anything.

        None means "a new story"; a pinned key returns its pin with score 1.0.
        """
        if doc.key in self.pins:
            return self.resolve(self.pins[doc.key]), 1.0
        best, score = self._best(doc, *self._article_vector(doc))
        if best is None or score < self.options.threshold:
            return None, score
        return best, score

    def add(self, doc: StoryDoc) -> int:
        """File ``doc`` into a story (existing or new) and return the story id.

        Adding a key again replaces the earlier version of that article. The growth
        may fold a neighbouring story into this one (``auto_merge``), and the revisit
        pass may fold recent tiny stories into others (not only this article's): ids
        the desk stored earlier stay valid through ``resolve(story_id)``, and every
        fold shows up as a new entry in ``aliases``.
        """
        if doc.key in self.articles:
            self.remove(doc.key)
        vec, idf = self._article_vector(doc)
        if doc.key in self.pins and self.resolve(self.pins[doc.key]) in self.stories:
            sid = self.resolve(self.pins[doc.key])
        else:
            best, score = self._best(doc, vec, idf)
            sid = (
                best if best is not None and score >= self.options.threshold else self._new_story()
            )
        self.dfs.add(vec)
        article = _Article(sid, vec, list(doc.entities), list(doc.countries), _iso(doc.published))
        self.articles[doc.key] = article
        self._attach(doc.key, article)
        if self.options.auto_merge < 1.0:
            sid = self._absorb(sid)
        every = self.options.revisit_every
        if every and self.dfs.n_docs % every == 0:
            self._revisit()
            sid = self.resolve(sid)
        return sid

    def settle(self, touched: Iterable[int] | None = None) -> list[int]:
        """End of a batch: split the stories that do not hold together, revisit the newest
        tiny stories too, and return the story ids folded away (each now in ``aliases``).

        ``touched``: the stories to check for cohesion (default: those articles joined
        since the last settle, as this clusterer saw them). Stories split off are listed
        in ``split_off`` (new story id → the story it left and the keys moved), for the
        caller's rows; a split-off story may then be folded like any other (``aliases``).

        The pass that runs during a batch leaves the newest ``revisit_skip`` stories alone
        because their company may still be coming. When the batch is over (an ingest run
        or a polling round has ended) nothing more is coming for now, so a lone article
        that opened a story near the end gets the same second look as the others did.
        """
        before = set(self.aliases)
        self.split_off = {}
        checked = set(self.touched if touched is None else touched)
        self.touched = set()
        if self.options.split_below > 0:
            for sid in sorted(checked):
                self._split_incoherent(self.resolve(sid))
        if self.options.revisit_every:  # revisiting is on
            self._revisit(skip=0)
        self.touched = set()  # the moves of this settle are no new arrivals
        return [sid for sid in self.aliases if sid not in before]

    def _split_incoherent(self, sid: int) -> None:
        """Split a story holding two articles that share (next to) no words into its
        complete-link groups: the groups in which every two articles share some.

        An article joins a story through its centroid, so articles that touch two
        neighbouring events (one country, one programme, one generic subject) chain the
        events into one story; an article with no date, placed at its arrival, can glue
        stories of one moment so. Each group then holds only articles that all share
        content; the largest keeps the story, the others open stories of their own.
        Stories an editor shaped are left as they are.
        """
        o = self.options
        story = self.stories.get(sid)
        if story is None or sid in self.editor_stories:
            return
        self._present(story)
        keys = list(story.keys)
        if not 1 < len(keys) <= o.split_max_size:
            return
        groups = complete_link_groups(self._pair_scores(keys), o.split_below)
        if len(groups) < 2:
            return
        groups.sort(key=lambda g: (-len(g), g[0]))
        for group in groups[1:]:
            new = self._new_story()
            moved = [keys[i] for i in group]
            for key in moved:
                article = self.articles[key]
                self._detach(key, article)
                article.story = new
                self._attach(key, article)
            self.split_off[new] = (sid, moved)

    def _coheres(self, a: int, b: int) -> bool:
        """Whether stories ``a`` and ``b`` would hold together as one: every article of one
        shares some words with every article of the other (``split_below``), so a fold
        does not undo a split (a part matches the centroid of the story it left through
        the very articles that chained it). Stories over ``split_max_size`` are not
        checked, as they are not split."""
        o = self.options
        if o.split_below <= 0:
            return True
        first, second = self.stories[a], self.stories[b]
        self._present(first)
        self._present(second)
        keys = [*first.keys, *second.keys]
        if len(keys) > o.split_max_size:
            return True
        sim = self._pair_scores(keys)
        inside = len(first.keys)
        return all(sim[i][j] >= o.split_below for i in range(inside) for j in range(inside, len(keys)))

    def _pair_scores(self, keys: list[str]) -> list[list[float]]:
        """Each two articles scored as an article against a one-article story: the
        TF-IDF cosine of their texts, with names and countries blended in once the texts
        share enough (``min_text``), as ``_score`` blends them."""
        o = self.options
        arts = [self.articles[k] for k in keys]
        vecs = []
        for a in arts:
            idf = self.dfs.idfs(a.vec)
            vecs.append(normalise({t: w * idf[t] for t, w in a.vec.items()}))
        names = [set(a.entities) for a in arts]
        places = [set(a.countries) for a in arts]
        n = len(keys)
        sim = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                text = _dot(vecs[i], vecs[j])
                score = text
                if text >= o.min_text:
                    total, weight = o.text_weight * text, o.text_weight
                    for w, x, y in ((o.entity_weight, names[i], names[j]),
                                    (o.country_weight, places[i], places[j])):
                        if x and y:
                            total += w * len(x & y) / math.sqrt(len(x) * len(y))
                            weight += w
                    score = total / weight
                sim[i][j] = sim[j][i] = score
        return sim

    def _present(self, story: _Story) -> None:
        """Hook: make sure the story's articles can be read (the desk loads them)."""

    def _revisit(self, skip: int | None = None) -> None:
        """Fold recent tiny stories into a neighbour that has grown enough to match them.

        Stories are kept in the order they were opened (state round trips keep it), so
        the recent ones are the last entries; the newest ``revisit_skip`` are left for
        later (``skip`` overrides that; ``settle`` passes 0, keeping the same window's
        far end). A tiny story is scored like an article — its centroid as the query,
        its names and countries as the article's — against stories at least its size, and
        goes to the best one clearing ``revisit_threshold``. Stories an editor shaped
        are never touched, on either side.
        """
        o = self.options
        start = o.revisit_skip if skip is None else skip
        recent = list(islice(reversed(self.stories), start, o.revisit_skip + o.revisit_span))
        for sid in recent:
            story = self.stories.get(sid)
            if story is None or len(story.keys) > o.revisit_size or sid in self.editor_stories:
                continue
            best, score = self._best_home(story)
            if best is not None and score >= o.revisit_threshold and self._coheres(best, sid):
                self._fold(best, sid)

    def _best_home(self, story: _Story) -> tuple[int | None, float]:
        """The story (at least as large) that ``story`` matches best, with its score."""
        o = self.options
        query, qnorm = self._query(truncate(story.tf, o.doc_terms))
        best, best_score = None, 0.0
        for other in self._candidates(query):
            if other == story.id or other in self.editor_stories:
                continue
            cand = self.stories[other]
            if len(cand.keys) < len(story.keys):
                continue
            gap = days_apart((story.first, story.last), (cand.first, cand.last))
            if gap is not None and gap > o.window_days:
                continue
            score = self._score(query, qnorm, story.entities, story.countries, cand)
            if gap:
                score *= 1.0 - o.time_penalty * gap / o.window_days
            if score > best_score or (score == best_score and best is not None and other < best):
                best, best_score = other, score
        return best, best_score

    def _absorb(self, sid: int) -> int:
        """Merge a grown story with a neighbour its centroid now matches.

        Single-pass clustering splits an event when its first articles arrive from
        different angles; once the story grows, the halves meet. Stories an editor
        shaped (split, pinned) are never merged automatically.
        """
        story = self.stories[sid]
        size = len(story.keys)
        # Check when the story has doubled (2, 4, 8 … articles): the centroid has moved
        # enough to meet a neighbour only then, and the check costs a full query.
        if size < 2 or size & (size - 1) or sid in self.editor_stories:
            return sid
        query, qnorm = self._query(truncate(story.tf, self.options.doc_terms))
        best, best_score = None, 0.0
        for other in self._candidates(query):
            if other == sid or other in self.editor_stories:
                continue
            cand = self.stories[other]
            if not within((story.first, story.last), (cand.first, cand.last), self.options.window_days):
                continue
            snorm = self._story_norm(cand)
            if not snorm or not qnorm:
                continue
            score = _dot(query, cand.tf) / (qnorm * snorm)
            if score > best_score:
                best, best_score = other, score
        if best is None or best_score < self.options.auto_merge:
            return sid
        keep, gone = (best, sid) if len(self.stories[best].keys) >= len(story.keys) else (sid, best)
        self._fold(keep, gone)
        return keep

    def remove(self, key: str) -> None:
        """Forget an article (deleted or re-extracted); an emptied story disappears."""
        article = self.articles.pop(key, None)
        if article is None:
            raise UnknownArticle(key)
        self.dfs.remove(article.vec)
        self._detach(key, article)

    def article_record(self, key: str) -> dict:
        """One article's clustering data as plain data (its story and stored vector)."""
        try:
            return asdict(self.articles[key])
        except KeyError:
            raise UnknownArticle(key) from None

    def story_of(self, key: str) -> int:
        try:
            return self.articles[key].story
        except KeyError:
            raise UnknownArticle(key) from None

    def members(self, story_id: int) -> list[str]:
        return list(self._story(story_id).keys)

    def top_terms(self, story_id: int, n: int = 10) -> list[str]:
        """The heaviest terms of a story by current TF-IDF: a label an editor can read."""
        story = self._story(story_id)
        idf = self.dfs.idfs(story.tf)
        return list(truncate({t: w * idf[t] for t, w in story.tf.items()}, n))

    def merge(self, a: int, b: int) -> int:
        """Editor: fold story ``b`` into ``a``; pins to ``b`` follow to ``a``."""
        a, b = self.resolve(a), self.resolve(b)
        self._story(a)
        if a == b:
            return a
        self.editor_stories.add(a)
        self._fold(a, b)
        return a

    def _fold(self, a: int, b: int) -> None:
        """Move every article of ``b`` into ``a``; ``b`` lives on as an alias of ``a``."""
        for key in list(self.stories[b].keys):
            article = self.articles[key]
            self._detach(key, article)
            article.story = a
            self._attach(key, article)
        self.aliases[b] = a
        for key, sid in self.pins.items():
            if sid == b:
                self.pins[key] = a

    def split(self, story_id: int, keys: Iterable[str]) -> int:
        """Editor: move ``keys`` out of a story into a new one, pinned there."""
        story = self._story(story_id)
        keys = list(dict.fromkeys(keys))
        missing = [k for k in keys if k not in story.keys]
        if missing:
            raise UnknownArticle(f"not in story {story_id}: {', '.join(missing)}")
        new = self._new_story()
        self.editor_stories.update((new, story.id))
        for key in keys:
            self.pin(key, new)
        return new

    def pin(self, key: str, story_id: int) -> None:
        """Editor: keep ``key`` in ``story_id`` now and whenever it is re-added."""
        sid = self.resolve(story_id)
        if sid not in self.stories:
            raise UnknownStory(story_id)
        self.pins[key] = sid
        self.editor_stories.add(sid)
        article = self.articles.get(key)
        if article is not None and article.story != sid:
            self._detach(key, article)
            article.story = sid
            self._attach(key, article)

    # -- bookkeeping ------------------------------------------------------------------
    def resolve(self, sid: int) -> int:
        """The surviving id of a story that may since have been merged away."""
        while sid in self.aliases:
            sid = self.aliases[sid]
        return sid

    def _story(self, sid: int) -> _Story:
        try:
            return self.stories[self.resolve(sid)]
        except KeyError:
            raise UnknownStory(sid) from None

    def _new_story(self) -> int:
        sid = self.next_id
        self.next_id += 1
        self.stories[sid] = _Story(sid)
        return sid

    def _attach(self, key: str, article: _Article) -> None:
        story = self.stories[article.story]
        story.keys.append(key)
        self.touched.add(story.id)
        size = len(story.keys)
        repost = size <= REPOST_ALWAYS or size % REPOST_EVERY == 0
        tf = story.tf
        if story.norm_at >= 0 and not repost:  # a repost re-weighs the norm anyway
            # Grow the cached TF-IDF norm by this article's terms alone (today's IDF),
            # not by re-weighing the whole centroid: ~150 terms instead of ~600.
            idf = self.dfs.idfs(article.vec)
            grown = story.norm * story.norm
            for t, w in article.vec.items():
                old = tf.get(t, 0.0)
                tf[t] = old + w
                grown += (2 * old + w) * w * idf[t] * idf[t]
            story.norm = math.sqrt(max(grown, 0.0))
        else:
            for t, w in article.vec.items():
                tf[t] = tf.get(t, 0.0) + w
        if len(tf) > 2 * self.options.centroid_terms:
            story.tf = truncate(tf, self.options.centroid_terms)
            story.norm_at = -1  # re-weighed in full at the next repost or score
        for e in set(article.entities):
            story.entities[e] = story.entities.get(e, 0) + 1
        for c in set(article.countries):
            story.countries[c] = story.countries.get(c, 0) + 1
        story.first, story.last = widen(story.first, story.last, article.published)
        if repost or story.norm_at < 0:
            self._repost(story)

    def _detach(self, key: str, article: _Article) -> None:
        story = self.stories[article.story]
        story.keys.remove(key)
        if not story.keys:
            self._index.drop(story.id)
            del self.stories[story.id]
            return
        for t, w in article.vec.items():
            left = story.tf.get(t, 0.0) - w
            if left > 1e-9:
                story.tf[t] = left
            else:
                story.tf.pop(t, None)
        for field_name, items in (("entities", article.entities), ("countries", article.countries)):
            counts = getattr(story, field_name)
            for item in set(items):
                if counts.get(item, 0) > 1:
                    counts[item] -= 1
                else:
                    counts.pop(item, None)
        story.first = story.last = None  # the span shrinks with the article gone
        for other in story.keys:
            story.first, story.last = widen(story.first, story.last, self.articles[other].published)
        self._repost(story)

    def _repost(self, story: _Story) -> None:
        idf = self.dfs.idfs(story.tf)
        weighted = {t: w * idf[t] for t, w in story.tf.items()}
        # The weights are at hand: refresh the cached norm with them.
        story.norm = norm(weighted)
        story.norm_at = self.dfs.n_docs
        n = (
            self.options.index_terms
            if self.dfs.n_docs >= MIN_IDF_DOCS
            else 4 * self.options.index_terms
        )
        self._index.post(story.id, truncate(weighted, n))

    # -- state -------------------------------------------------------------------------
    def to_state(self) -> dict:
        """Everything needed to resume, as JSON-ready plain data."""
        return {
            "options": asdict(self.options),
            "dfs": self.dfs.to_state(),
            "next_id": self.next_id,
            "pins": dict(self.pins),
            "aliases": {str(k): v for k, v in self.aliases.items()},
            "editor_stories": sorted(self.editor_stories),
            "stories": [self.story_record(sid) for sid in self.stories],
            "articles": {k: asdict(a) for k, a in self.articles.items()},
        }

    def story_record(self, story_id: int) -> dict:
        """One story as plain data: what the desk stores on its Story row."""
        s = self._story(story_id)
        return {
            "id": s.id,
            "keys": list(s.keys),
            "tf": dict(s.tf),
            "entities": dict(s.entities),
            "countries": dict(s.countries),
            "first": s.first,
            "last": s.last,
        }

    @classmethod
    def from_state(cls, state: dict, options: StoryOptions | None = None) -> StoryClusterer:
        """Rebuild a clusterer (indexes included) from ``to_state()`` output."""
        self = cls(options or StoryOptions(**state.get("options", {})))
        self.dfs = DocumentFrequencies.from_state(state["dfs"])
        self.next_id = int(state["next_id"])
        self.pins = {k: int(v) for k, v in state["pins"].items()}
        self.aliases = {int(k): int(v) for k, v in state["aliases"].items()}
        self.editor_stories = {int(s) for s in state.get("editor_stories", [])}
        # Stories go in by id, i.e. in the order they were opened, whatever order the
        # records came in (the desk reads its rows newest first): the revisit pass takes
        # "recent" to mean the last stories in this dict.
        for rec in sorted(state["stories"], key=lambda r: int(r["id"])):
            story = _Story(
                id=int(rec["id"]),
                keys=list(rec["keys"]),
                tf=dict(rec["tf"]),
                entities=dict(rec["entities"]),
                countries=dict(rec["countries"]),
                first=rec["first"],
                last=rec["last"],
            )
            self.stories[story.id] = story
            self._repost(story)
        for key, rec in state["articles"].items():
            self.articles[key] = _Article(**rec)
        return self


def complete_link_groups(sim: list[list[float]], bar: float) -> list[list[int]]:
    """Indexes grouped by complete link over a symmetric score matrix: two groups join
    only while every pair across them scores at least ``bar``, the closest first. One
    group when every pair clears the bar (the common case costs one look at the pairs)."""
    n = len(sim)
    if all(s >= bar for row in sim for s in row):
        return [list(range(n))]
    groups = {i: [i] for i in range(n)}
    # link[a][b]: the lowest cosine between groups a and b (complete link)
    link = {i: {j: sim[i][j] for j in range(n) if j != i} for i in range(n)}
    while len(groups) > 1:
        best, a, b = max((s, a, b) for a, row in link.items() for b, s in row.items() if a < b)
        if best < bar:
            break
        groups[a].extend(groups.pop(b))
        row_b = link.pop(b)
        for c, row in link.items():
            if c != a:
                row[a] = link[a][c] = min(row[a], row_b[c])
                del row[b]
        del link[a][b]
    return [sorted(g) for g in groups.values()]


def story_sizes(clusterer: StoryClusterer) -> Counter[int]:
    """Articles per story, for reports."""
    return Counter({sid: len(s.keys) for sid, s in clusterer.stories.items()})
