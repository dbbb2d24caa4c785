"""Syndicated copies on the desk: one canonical article per wire story, the rest its copies.

Called by `filing.file_article` for every saved article. The article's MinHash signature
is stored on its row (`copy_signature`); a process-level LSH index over the stored
signatures finds its near-duplicates; the group (the matches, their canonical articles
and those articles' copies) gets one canonical by `pipeline.copies.choose_canonical` —
the agency's own page when one is there, else the earliest — and every other member
points at it (`duplicate_of`) and shares its story. A newcomer that is the better
canonical (the agency's page arriving after an outlet's copy) takes the place of the
old one: the group is re-pointed at it.

The index is kept in step with the database, not trusted blindly:
  1. built lazily once per process from the stored signatures of recent articles;
  2. before each lookup, rows with a higher id than the last one seen are added (rows
     written by other worker processes), and ids skipped over by transactions still in
     flight are looked at again for a while (`InProcessState`);
  3. a lookup's matches are re-read from the database: a deleted row is dropped, a
     changed signature is re-checked;
  4. it is rebuilt when the database was reset (the highest id went down) or when a
     transaction that changed it was rolled back (`Journal`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from newsdesk import config
from newsdesk.desk.models import Article
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.copies import (
    CopyCandidate,
    CopyIndex,
    CopyOptions,
    choose_canonical,
    copy_signature,
    estimate_jaccard,
)
from newsdesk.pipeline.documents import Rejected, RejectReason

log = logging.getLogger(__name__)

REBUILD_DAYS = 30  # a fresh process indexes articles that arrived this recently
GAP_SECONDS = 600  # ids skipped by an uncommitted transaction are re-checked this long
MAX_GAP_SPAN = 500  # … and only among this many ids below the newest one seen


# Any constant naming "deciding copies and stories" as a PostgreSQL advisory lock.
LINKING_LOCK = 0x6E657773  # "news"


def hold_linking_lock() -> None:
    """Decide copies and stories one article at a time across worker processes.

    A worker cannot see a copy another worker has filed but not committed, so two copies
    of one story filed at the same moment would both become canonical (and open two
    stories). On PostgreSQL a transaction-scoped advisory lock queues the second worker
    here until the first commits; what follows is milliseconds, the extraction and NER
    before it run in parallel. SQLite needs nothing: its IMMEDIATE transactions already
    take the one write lock at BEGIN.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LINKING_LOCK])


def copy_options() -> CopyOptions:
    """The pipeline's options with the operator's threshold (NEWSDESK_COPY_THRESHOLD)."""
    raw = config.get("NEWSDESK_COPY_THRESHOLD")
    try:
        threshold = float(raw)
    except ValueError:
        raise ValueError(f"NEWSDESK_COPY_THRESHOLD must be a number in (0, 1], got {raw!r}") from None
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"NEWSDESK_COPY_THRESHOLD must be in (0, 1], got {threshold}")
    return replace(CopyOptions(), threshold=threshold)


# --- keeping a process's memory in step with the database ---------------------------


class _Marker:
    """An on_commit callback that remembers whether it ran, and on which thread's
    connection it was queued (each thread has its own connection and transactions)."""

    __slots__ = ("done", "thread")

    def __init__(self) -> None:
        self.done = False
        self.thread = threading.get_ident()

    def __call__(self) -> None:
        self.done = True


class Journal:
    """Tells whether an in-memory change outlived a rolled-back transaction.

    Each change queues a marker with `transaction.on_commit`. A marker that neither ran
    nor is still queued on the connection was thrown away with its transaction: the
    memory now holds something the database does not, and must be rebuilt.
    """

    def __init__(self) -> None:
        self._pending: list[_Marker] = []

    def touch(self) -> None:
        marker = _Marker()
        transaction.on_commit(marker)
        if not marker.done:
            self._pending.append(marker)

    def lost(self) -> bool:
        """Whether a change made on this thread was rolled back. Another thread's pending
        change is its own transaction's business: it may still commit."""
        queued = {id(entry[1]) for entry in connection.run_on_commit}
        here = threading.get_ident()
        self._pending = [m for m in self._pending if not m.done]
        return any(m.thread == here and id(m) not in queued for m in self._pending)

    def clear(self) -> None:
        self._pending = []


@dataclass
class RowTail:
    """Which article rows a process has seen: everything up to `last_pk`, minus gaps.

    Ids are handed out before commit, so a row with a lower id can become visible after
    a higher one was read; those skipped ids are asked for again until GAP_SECONDS pass.
    """

    last_pk: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id → monotonic time first missed

    def saw(self, pks: list[int]) -> None:
        now = time.monotonic()
        for pk in pks:
            self.gaps.pop(pk, None)
        top = max(pks, default=self.last_pk)
        if top > self.last_pk:
            seen = set(pks)
            # Only the newest ids can still be in flight; older holes are deleted rows.
            for pk in range(max(self.last_pk + 1, top - MAX_GAP_SPAN), top):
                if pk not in seen:
                    self.gaps.setdefault(pk, now)
            self.last_pk = top

    def restart(self, top: int) -> None:
        """After a full load: everything up to `top` is seen, no gaps."""
        self.last_pk, self.gaps = top, {}

    def open_gaps(self) -> list[int]:
        cutoff = time.monotonic() - GAP_SECONDS
        self.gaps = {pk: t for pk, t in self.gaps.items() if t >= cutoff}
        return sorted(self.gaps)

    def query(self) -> Q:
        """Rows not seen yet."""
        return Q(pk__gt=self.last_pk) | Q(pk__in=self.open_gaps())

    def reset_seen(self) -> bool:
        """Whether the table was emptied or recreated since: its highest id went down."""
        top = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return top < self.last_pk


def since_rebuild_window() -> Q:
    return Q(created_at__gte=timezone.now() - timedelta(days=REBUILD_DAYS))


# --- the copy index ---------------------------------------------------------------


class _CopyState:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: CopyIndex | None = None
        self.options: CopyOptions | None = None
        self.tail = RowTail()
        self.journal = Journal()

    def reset(self) -> None:
        self.index, self.options, self.tail = None, None, RowTail()
        self.journal.clear()

    def sync(self, options: CopyOptions) -> CopyIndex:
        rebuilt = (self.index is None or options != self.options or self.journal.lost()
                   or self.tail.reset_seen())
        if rebuilt:
            self.reset()
            self.options = options
            self.index = CopyIndex(options.threshold, options.num_perm, options.seed)
            rows = Article.objects.filter(since_rebuild_window())
        else:
            rows = Article.objects.filter(self.tail.query())
        seen = []
        for pk, sig in rows.values_list("pk", "copy_signature").iterator():
            seen.append(pk)
            self._put(pk, sig)
        if rebuilt:
            self.tail.restart(max(seen, default=0))
        else:
            self.tail.saw(seen)
        return self.index

    def _put(self, pk: int, sig: list[int] | None) -> None:
        key = str(pk)
        if sig and len(sig) == self.options.num_perm:
            self.index.add(key, sig)
        elif key in self.index:
            self.index.remove(key)


_STATE = _CopyState()


def warm_copy_index() -> None:
    """Build this process's index now if it has none: a fresh process's first build is
    seconds at scale, and must not happen while holding the linking lock. Catching up
    with other workers is left to `link_copies`, under the lock, where it must be."""
    with _STATE.lock:
        if _STATE.index is None:
            _STATE.sync(copy_options())


def reset_copy_index() -> None:
    """Forget this process's index; the next article rebuilds it from the database."""
    with _STATE.lock:
        _STATE.reset()


@dataclass
class CopyLink:
    """What `link_copies` decided for one article."""

    canonical: int
    members: list[int]  # the whole group, canonical included
    matches: list[tuple[int, float]]  # (article id, estimated Jaccard), best first
    repointed: list[int] = field(default_factory=list)  # members whose canonical changed
    story_id: int | None = None


def _candidate(row: dict) -> CopyCandidate:
    url = row["url"] or ""
    site = url if url.startswith(("http://", "https://")) else (row["source__homepage"] or "")
    return CopyCandidate(key=str(row["pk"]), published=row["published_at"] or row["created_at"],
                         agency=row["agency"] or None, site=site)


MEMBER_FIELDS = ("pk", "url", "agency", "published_at", "created_at", "duplicate_of_id",
                 "story_id", "content_hash", "source__homepage")


def link_copies(article: Article, draft: doc.Draft,
                options_for: Callable[[], CopyOptions] = copy_options) -> CopyLink | None:
    """Store the article's signature and link it with its copies; None when it has none.

    Too-short bodies (`Rejected` TOO_SHORT from the signature) are not copy-checked.
    """
    options = options_for()
    try:
        signature = copy_signature(draft.body, options)
    except Rejected as rejected:
        if rejected.reason != RejectReason.TOO_SHORT:
            raise
        signature = []
    article.copy_signature = signature
    article.save(update_fields=["copy_signature"])
    with _STATE.lock:
        index = _STATE.sync(options)
        key = str(article.pk)
        _STATE.journal.touch()
        if not signature:
            if key in index:
                index.remove(key)
            return _unlink(article)
        matches = _verified(index, [(k, s) for k, s in index.find(signature) if k != key], signature)
        index.add(key, signature)
    if not matches:
        return _unlink(article)
    return _group(article, matches)


def _verified(index: CopyIndex, found: list[tuple[str, float]], signature: list[int]
              ) -> list[tuple[int, float]]:
    """Matches re-read from the database: gone rows leave the index, changed ones re-check."""
    if not found:
        return []
    stored = dict(Article.objects.filter(pk__in=[int(k) for k, _ in found])
                  .values_list("pk", "copy_signature"))
    out = []
    for k, _ in found:
        sig = stored.get(int(k))
        if not sig or len(sig) != len(signature):
            index.remove(k)
            continue
        index.add(k, sig)  # the stored signature wins over what this process remembered
        score = estimate_jaccard(signature, sig)
        if score >= index.threshold:
            out.append((int(k), score))
    out.sort(key=lambda m: (-m[1], m[0]))
    return out


def _unlink(article: Article) -> None:
    """An article that matches nothing (any more) is nobody's copy."""
    if article.duplicate_of_id is not None:
        Article.objects.filter(pk=article.pk).update(duplicate_of=None)
        article.duplicate_of_id = None
    return None


def _group(article: Article, matches: list[tuple[int, float]]) -> CopyLink:
    rows = {r["pk"]: r for r in Article.objects.filter(pk__in=[pk for pk, _ in matches])
            .values(*MEMBER_FIELDS)}
    roots = {r["duplicate_of_id"] or r["pk"] for r in rows.values()}
    members = {r["pk"]: r for r in Article.objects.filter(
        Q(pk__in=roots) | Q(duplicate_of_id__in=roots)).exclude(pk=article.pk).values(*MEMBER_FIELDS)}
    me = {"pk": article.pk, "url": article.url, "agency": article.agency,
          "published_at": article.published_at, "created_at": article.created_at,
          "duplicate_of_id": article.duplicate_of_id, "story_id": article.story_id,
          "content_hash": article.content_hash,
          "source__homepage": article.source.homepage if article.source_id else ""}
    # A verbatim copy is judged like any other: the agency's own page leads even when an
    # outlet's word-for-word copy of it came first.
    canonical = int(choose_canonical([_candidate(r) for r in [*members.values(), me]]))
    members[article.pk] = me
    story = _group_story(members, canonical, roots)
    repointed = []
    for pk, row in members.items():
        target = None if pk == canonical else canonical
        if row["duplicate_of_id"] != target:
            repointed.append(pk)
    others = [pk for pk in repointed if pk not in (canonical, article.pk)]
    if others:
        Article.objects.filter(pk__in=others).update(duplicate_of=canonical)
    if canonical != article.pk and canonical in repointed:
        Article.objects.filter(pk=canonical).update(duplicate_of=None)
    if story is not None:
        Article.objects.filter(pk__in=[pk for pk in members if pk != article.pk]).exclude(
            story_id=story).update(story_id=story)
    article.duplicate_of_id = None if canonical == article.pk else canonical
    if story is not None:
        article.story_id = story
    article.save(update_fields=["duplicate_of", "story"])
    return CopyLink(canonical=canonical, members=sorted(members), matches=matches,
                    repointed=sorted(repointed), story_id=story)


def _group_story(members: dict[int, dict], canonical: int, roots: set[int]) -> int | None:
    """The story the group already has: its canonical's, else an old canonical's, else any."""
    for pk in [canonical, *sorted(roots), *sorted(members)]:
        story = members.get(pk, {}).get("story_id")
        if story is not None:
            return story
    return None

