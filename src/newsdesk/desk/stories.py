"""Developing stories on the desk: online clustering as articles arrive, and editors' say.

Called by `filing.file_article` after `copies.link_copies`. A syndicated copy is not
clustered: it takes its canonical's story. Any other article goes through the story
clusterer (content, entity names, countries and time) and lands in an existing story or
opens a new one; the clusterer's ids *are* Story ids (`DeskClusterer` asks for a new Story
row whenever it opens a story), so no mapping table is needed.

The clusterer's state lives in the database (`desk.story_store`), read as each decision
needs it and written back in the same transaction:
  - `Article.story_record`: the clusterer's record of the article (vector, names,
    countries, date, pinned by an editor) — its story is the article's `story` column;
  - `StoryCentroid`, `StoryPosting`, `StoryTerm`: each live story's summed record, its
    heaviest terms (the candidate index) and the document frequencies;
  - `Story.state`: `{"editor": true}` for a story an editor shaped (never merged
    automatically), `{"merged_into": id}` for a story folded into another.
Every decision (an article filed, a batch settled, an editor's action) builds a fresh
`StoredClusterer` under the linking lock and flushes it: no process keeps or rebuilds a
copy, so a one-file ingest into a desk of any size starts at once, workers see each
other's stories as soon as they commit, and a rolled-back transaction leaves nothing
behind.

Editor actions — `merge_stories`, `split_story`, `rename_story` — change the clusterer and
the rows together, so later articles respect them.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.desk.conflicts import atomic_with_retry
from newsdesk.desk.copies import hold_linking_lock
from newsdesk.desk.models import Article, Story
from newsdesk.desk.story_store import StoredClusterer
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.stories import StoryDoc, StoryOptions, _Story
from newsdesk.pipeline.story_state import (
    DeskClusterer,
    forget,
    keep_pinned_story,
    load_record,
    record_of,
)

DESK_STORY_OPTIONS = StoryOptions()  # the pipeline's defaults, as `eval stories` measures them
CLUSTER_SKIPS_KIND = "place"  # entity kind not used as a clustering name (see story_doc)


class _StoryState:
    """The options decisions are made with, and a lock for threads of one process."""

    def __init__(self, options: StoryOptions = DESK_STORY_OPTIONS) -> None:
        self.lock = threading.RLock()
        self.options = options
        self.filed = False  # this process clustered an article since the last settle
        self.touched: set[int] = set()  # the stories it filed into since then

    def sync(self) -> StoredClusterer:
        """A clusterer over what the database holds now (see `story_store`)."""
        return StoredClusterer(self.options)

    def touch(self, sid: int) -> None:
        """Retitle and bump a story this process changed."""
        fields = {"updated_at": timezone.now()}
        title = first_title(sid)
        if title is not None:
            fields["title"] = title[:300]
        Story.objects.filter(pk=sid).update(**fields)


# The earliest visible article of a story: dated ones first, by publication, then arrival
# and id; then the undated, by arrival. Each query is one seek in the story's partial
# index (`article_story_first_idx`, whose condition the literals here repeat so both
# databases use it): reading every row of a story cost 40 to 80 ms for one of 3,000
# articles, and ordering through the ORM lets the planner walk the published-date index.
_FIRST_SQL = (f"SELECT title FROM {Article._meta.db_table} WHERE story_id = %s "
              f"AND status = '{Article.Status.PUBLISHED.value}' AND duplicate_of_id IS NULL "
              "AND published_at IS {} NULL ORDER BY published_at, created_at, id LIMIT 1")


def first_title(sid: int) -> str | None:
    """The headline a story is named by (its earliest visible article's); None if none."""
    with connection.cursor() as cur:
        for dated in ("NOT", ""):
            cur.execute(_FIRST_SQL.format(dated), [sid])
            row = cur.fetchone()
            if row is not None:
                return row[0]
    return None


_STATE = _StoryState()


def story_doc(article: Article, draft: doc.Draft) -> StoryDoc:
    """The article as the clusterer sees it: text, the desk's entity names, its countries.

    Place names are left out of the names: the countries already carry them, and a
    capital or a region ("Baghdad", "Kurdistan") is named by every story from that
    country, so counting it twice pulls unrelated same-country stories together.

    An undated article is placed in time at its arrival. Read as timeless, it was a
    candidate for every story of every era, and an archive's undated texts joined (and
    joined together) stories from decades before; arriving now, it is news of now, as
    the listings treat it too (``listing_time``).
    """
    names = list(article.mentions.exclude(entity__kind=CLUSTER_SKIPS_KIND)
                 .values_list("entity__name", flat=True))
    countries = list(article.places.values_list("code", flat=True))
    return StoryDoc(key=str(article.pk), published=article.published_at or article.created_at,
                    title=draft.title, text=draft.body, entities=names, countries=countries)


def file_story(article: Article, draft: doc.Draft) -> int | None:
    """Put the article in its developing story; returns the story id (None: too short)."""
    with _STATE.lock:
        c = _STATE.sync()
        sid = _file(c, article, draft)
        c.flush()
        _STATE.filed = True
        _STATE.touched.update(c.touched)
        return sid


def _file(c: StoredClusterer, article: Article, draft: doc.Draft) -> int | None:
    key = str(article.pk)
    if article.duplicate_of_id is not None:
        return _follow_canonical(c, article)
    if key not in c.articles and article.story_id is not None and (
            Article.objects.filter(duplicate_of=article).exists()):
        # The new canonical of a known copy group keeps the group's story.
        _STATE.touch(article.story_id)
        return article.story_id
    try:
        sid = _add(c, article, draft)
    except Rejected as rejected:  # no content words left to cluster on
        if rejected.reason != RejectReason.TOO_SHORT:
            raise
        forget(c, key)
        _save(article, article.story_id, {})
        return article.story_id
    _save(article, sid, record_of(c, key))
    # Its copies follow it. Their ids come from the copy index alone first: SQLite's
    # planner, told by its statistics that most rows are no copy, would scan the table
    # for the combined UPDATE (0.2 s at 100,000 articles).
    copies = list(Article.objects.filter(duplicate_of=article).order_by().values_list("pk", flat=True))
    if copies:
        Article.objects.filter(pk__in=copies).exclude(story_id=sid).update(story_id=sid)
    _STATE.touch(sid)
    return sid


def _add(c: DeskClusterer, article: Article, draft: doc.Draft) -> int:
    """Cluster the article; stories the clusterer folded together are folded on the rows."""
    before = set(c.aliases)
    keep_pinned_story(c, str(article.pk))
    c.allocate = _allocator(article)
    try:
        sid = c.add(story_doc(article, draft))
    finally:
        c.allocate = None
    for gone in set(c.aliases) - before:
        _fold_rows(gone, c.resolve(gone))
    return sid


def settle_stories() -> list[int]:
    """End of a batch (an ingest run, a polling round): split the stories this process
    filed into that no longer hold together, give the newest one-article stories the
    second look the others had (`StoryClusterer.settle`), and move and fold the rows the
    same way. Returns the story ids folded away.

    Only a process that filed something since its last settle settles (a web worker
    polling feeds that brought nothing does not take the lock for this).
    """
    if not _STATE.filed:
        return []
    gone = atomic_with_retry(_settle, what="settling stories")
    _STATE.filed = False
    _STATE.touched.clear()
    return gone


def _settle() -> list[int]:
    hold_linking_lock()  # stories are decided one writer at a time, as filing decides them
    with _STATE.lock:
        c = _STATE.sync()
        c.allocate = _new_story_row
        gone = c.settle(touched=_STATE.touched)
        changed = set()
        for new, (old, keys) in c.split_off.items():
            _move_rows([int(k) for k in keys], new)
            changed.update((new, old))
        for sid in gone:
            keep = c.resolve(sid)
            _fold_rows(sid, keep)
            changed.add(keep)
        for sid in sorted({c.resolve(s) for s in changed}):
            _STATE.touch(sid)
        c.flush()
        return gone


def _new_story_row() -> int:
    """A story row for a story split off at settle; `touch` gives it its headline."""
    return Story.objects.create(title="").pk


def _move_rows(pks: list[int], sid: int) -> None:
    """Articles split off into story ``sid`` move there, their copies with them."""
    for chunk in range(0, len(pks), 500):
        part = pks[chunk:chunk + 500]
        Article.objects.filter(pk__in=part).update(story_id=sid)
        Article.objects.filter(duplicate_of_id__in=part).update(story_id=sid)


def _allocator(article: Article):
    def allocate() -> int:
        return Story.objects.create(title=article.title[:300]).pk

    return allocate


def _follow_canonical(c: DeskClusterer, article: Article) -> int | None:
    """A copy is not clustered (it would count one wire story five times): it joins the
    canonical's story."""
    forget(c, str(article.pk))
    sid = (Article.objects.filter(pk=article.duplicate_of_id)
           .values_list("story_id", flat=True).first())
    _save(article, sid, {})
    if sid is not None:
        _STATE.touch(sid)
    return sid


def _save(article: Article, sid: int | None, record: dict) -> None:
    article.story_id = sid
    article.story_record = record
    article.save(update_fields=["story", "story_record"])


def _fold_rows(gone: int, keep: int) -> None:
    """Rows follow a merge: articles (copies too) move, the emptied story redirects."""
    Article.objects.filter(story_id=gone).update(story_id=keep)
    now = timezone.now()
    Story.objects.filter(pk=gone).update(state={"merged_into": keep}, updated_at=now)


# --- editors -----------------------------------------------------------------------


def _mark_editor(story: Story) -> None:
    story.state = {**(story.state or {}), "editor": True}
    story.save(update_fields=["state"])


def _ensure_story(c: StoredClusterer, sid: int) -> None:
    """A story with no clustered article yet (only copies, or too short) still exists
    for the clusterer once an editor names it."""
    if sid not in c.stories:
        c.stories[sid] = _Story(sid)


def merge_stories(into: Story, others: list[Story]) -> Story:
    """Fold `others` into `into`; later articles of any of them land in `into`."""
    with transaction.atomic(), _STATE.lock:
        hold_linking_lock()  # the clusterer's tables change: one writer at a time, as filing
        c = _STATE.sync()
        _mark_editor(into)
        c.editor_stories.add(into.pk)
        for other in others:
            if other.pk == into.pk:
                continue
            if c.resolve(other.pk) in c.stories:  # its articles move, pins follow
                _ensure_story(c, into.pk)
                c._fold(into.pk, c.resolve(other.pk))
            c.aliases[other.pk] = into.pk
            _fold_rows(other.pk, into.pk)
        _STATE.touch(into.pk)
        c.flush()
    into.refresh_from_db()
    return into


def split_story(story: Story, articles: list[Article]) -> Story:
    """Move `articles` (with their copies) out of `story` into a new story, pinned there."""
    picked = {a.duplicate_of_id or a.pk for a in articles}
    if not picked:
        raise ValueError("choose at least one article to split out of the story")
    with transaction.atomic(), _STATE.lock:
        hold_linking_lock()
        c = _STATE.sync()
        for pk in sorted(picked):  # out of their story first, as the rows still say
            forget(c, str(pk))
        first = Article.objects.filter(pk__in=picked).order_by(
            F("published_at").asc(nulls_last=True), "pk").first()
        new = Story.objects.create(title=first.title[:300], state={"editor": True})
        _mark_editor(story)
        c.editor_stories.update({new.pk, story.pk})
        Article.objects.filter(pk__in=picked).update(story=new)
        Article.objects.filter(duplicate_of_id__in=picked).update(story=new)
        for article in Article.objects.filter(pk__in=picked).order_by("pk"):
            if article.story_record.get("vec"):
                article.story_record = {**article.story_record, "pinned": True}
                article.save(update_fields=["story_record"])
                load_record(c, str(article.pk), new.pk, article.story_record)
        _STATE.touch(new.pk)
        _STATE.touch(story.pk)
        c.flush()
    return new


def rename_story(story: Story, title: str) -> Story:
    """An editor's title; empty gives the story back its first headline."""
    story.editor_title = title.strip()[:300]
    story.updated_at = timezone.now()
    story.save(update_fields=["editor_title", "updated_at"])
    return story


def surviving(story: Story) -> Story:
    """The story a merged-away story now lives on as (itself when it was not merged)."""
    seen = {story.pk}
    while (story.state or {}).get("merged_into"):
        nxt = Story.objects.filter(pk=story.state["merged_into"]).first()
        if nxt is None or nxt.pk in seen:
            break
        seen.add(nxt.pk)
        story = nxt
    return story
