"""A story clusterer kept as one small record per article, so any process can rebuild it.

``StoryClusterer.to_state()`` is one big document; a desk with several writer processes
needs state that grows by appending rows instead. Each clustered article keeps a record
(its stored vector, names, countries, date and whether an editor pinned it) and its
story is the article's own story column, so moving articles between stories (an
editor's merge, an automatic merge) is a plain bulk update, not a rewrite of records.

From those records:
  ``rebuild()``     builds a whole clusterer once per process (stories summed from
                    their articles, document frequencies counted over them);
  ``load_record()`` adds or replaces one article afterwards, for rows another process
                    wrote since.
Story ids are the desk's own story ids: ``DeskClusterer`` asks an ``allocate`` callback
for a fresh id whenever it opens a story, so two processes never hand out the same id.

``load_record`` reaches into the clusterer's private records (``_Article``, ``_Story``,
``_attach``): the one place outside ``stories.py`` that does, kept here on purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from itertools import chain

from .stories import StoryClusterer, StoryOptions, _Article, _Story
from .story_spans import widen
from .textvec import truncate

RECORD_FIELDS = ("vec", "entities", "countries", "published")
DEFAULT_OPTIONS = StoryOptions()


class DeskClusterer(StoryClusterer):
    """A clusterer whose new story ids come from ``allocate`` (the desk's story rows)."""

    allocate: Callable[[], int] | None = None

    def _new_story(self) -> int:
        if self.allocate is not None:
            sid = int(self.allocate())
            if sid in self.stories or sid in self.aliases:
                raise ValueError(f"allocate() returned story id {sid}, which is already in use")
            self.next_id = sid
        return super()._new_story()


def record_of(clusterer: StoryClusterer, key: str) -> dict:
    """What the desk stores for one clustered article (its story is stored apart)."""
    rec = clusterer.article_record(key)
    out = {name: rec[name] for name in RECORD_FIELDS}
    out["vec"] = {t: round(w, 6) for t, w in out["vec"].items()}
    out["pinned"] = key in clusterer.pins
    return out


def rebuild(
    records: Iterable[tuple[str, int, dict]],
    options: StoryOptions = DEFAULT_OPTIONS,
    aliases: dict[int, int] | None = None,
    editor_stories: Iterable[int] = (),
) -> DeskClusterer:
    """A clusterer from (article key, story id, record) triples, indexes included.

    Story centroids are the sums of their articles' vectors, cut to the same size the
    clusterer keeps while it runs; pins come from the records' ``pinned`` flags.
    """
    vecs: list[dict[str, float]] = []
    stories: dict[int, dict] = {}
    articles: dict[str, dict] = {}
    pins: dict[str, int] = {}
    for key, sid, rec in records:
        sid = int(sid)
        vec = dict(rec["vec"])
        vecs.append(vec)
        story = stories.setdefault(
            sid,
            {"id": sid, "keys": [], "tf": {}, "entities": {}, "countries": {},
             "first": None, "last": None},
        )
        story["keys"].append(key)
        tf = story["tf"]
        if not tf:  # the story's first article (most stories have one): a copy, in C
            tf = story["tf"] = dict(vec)
        else:
            for t, w in vec.items():
                tf[t] = tf.get(t, 0.0) + w
        if len(tf) > 2 * options.centroid_terms:
            story["tf"] = truncate(tf, options.centroid_terms)
        for name, items in (("entities", rec["entities"]), ("countries", rec["countries"])):
            counts = story[name]
            for item in set(items):
                counts[item] = counts.get(item, 0) + 1
        story["first"], story["last"] = widen(story["first"], story["last"], rec.get("published"))
        articles[key] = {"story": sid, "vec": vec, "entities": list(rec["entities"]),
                         "countries": list(rec["countries"]), "published": rec.get("published")}
        if rec.get("pinned"):
            pins[key] = sid
    # Document frequencies in one C-level count over every vector's terms: a tenth of
    # the time of adding the vectors one by one, which dominated a rebuild.
    df = Counter(chain.from_iterable(vecs))
    state = {
        "options": asdict(options),
        "dfs": {"n_docs": len(vecs), "df": dict(df)},
        "next_id": max(stories, default=0) + 1,
        "pins": pins,
        "aliases": {str(k): v for k, v in (aliases or {}).items()},
        "editor_stories": sorted(set(editor_stories)),
        # Opening order matters (the clusterer revisits its most recent stories); desk
        # story ids are handed out in that order.
        "stories": [stories[sid] for sid in sorted(stories)],
        "articles": articles,
    }
    clusterer = DeskClusterer.from_state(state, options)
    assert isinstance(clusterer, DeskClusterer)
    return clusterer


def load_record(clusterer: StoryClusterer, key: str, story_id: int, rec: dict) -> None:
    """Add (or replace) one stored article as it is, without clustering it again."""
    if key in clusterer.articles:
        clusterer.remove(key)
    sid = clusterer.resolve(int(story_id))
    if sid not in clusterer.stories:
        clusterer.stories[sid] = _Story(sid)
        clusterer.next_id = max(clusterer.next_id, sid + 1)
    article = _Article(story=sid, vec=dict(rec["vec"]), entities=list(rec["entities"]),
                       countries=list(rec["countries"]), published=rec.get("published"))
    clusterer.dfs.add(article.vec)
    clusterer.articles[key] = article
    clusterer._attach(key, article)
    if rec.get("pinned"):
        clusterer.pins[key] = sid
    else:
        clusterer.pins.pop(key, None)


def keep_pinned_story(clusterer: StoryClusterer, key: str) -> None:
    """Before re-adding a pinned article: take it out, keeping its (maybe emptied) story.

    ``StoryClusterer.add`` removes the old version first, and a story left empty by that
    disappears — so a lone article an editor split out would lose its pin on re-filing.
    """
    if key not in clusterer.pins or key not in clusterer.articles:
        return
    sid = clusterer.resolve(clusterer.pins[key])
    clusterer.remove(key)
    if sid not in clusterer.stories:
        clusterer.stories[sid] = _Story(sid)


def forget(clusterer: StoryClusterer, key: str) -> None:
    """Drop an article the desk no longer has (deleted, or moved out by a reset)."""
    if key in clusterer.articles:
        clusterer.remove(key)
    clusterer.pins.pop(key, None)
