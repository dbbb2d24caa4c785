"""Syndicated copies on the desk: one canonical article per wire story, the rest its copies.

Called by `filing.file_article` for every saved article. The article's MinHash signature
is stored on its row (`copy_signature`) and its LSH band keys in `CopyBand`, an indexed
table; the articles sharing a band key with it, created within the last REBUILD_DAYS,
are its candidates, and those whose estimated Jaccard reaches the threshold are its
copies. The group (the matches, their canonical articles and those articles' copies)
gets one canonical by `pipeline.copies.choose_canonical` — the agency's own page when one
is there, else the earliest — and every other member points at it (`duplicate_of`) and
shares its story. A newcomer that is the better canonical (the agency's page arriving
after an outlet's copy) takes the place of the old one: the group is re-pointed at it.

Nothing is held in a process's memory: the database is the index, so a fresh process
(a one-file ingest, a worker starting) has nothing to build, another worker's copies are
seen as soon as they commit (the linking lock orders the writers), and a rolled-back
transaction takes its bands with it. The bands are datasketch's `MinHashLSH` banding, so
the candidates, and the decisions, are the ones an in-memory index of the same articles
gave.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from newsdesk import config
from newsdesk.desk.models import Article, CopyBand
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.copies import (
    CopyCandidate,
    CopyOptions,
    band_keys,
    choose_canonical,
    copy_signature,
    estimate_jaccard,
)
from newsdesk.pipeline.documents import Rejected, RejectReason

log = logging.getLogger(__name__)

REBUILD_DAYS = 30  # copies are looked for among articles created this recently


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


def since_rebuild_window() -> Q:
    return Q(created_at__gte=timezone.now() - timedelta(days=REBUILD_DAYS))


# --- the copy bands -------------------------------------------------------------


def store_bands(signed: list[tuple[int, list[int]]], options: CopyOptions) -> None:
    """Write the band keys of (article id, signature) pairs; unsigned ones have none."""
    CopyBand.objects.bulk_create(
        [CopyBand(article_id=pk, key=key) for pk, sig in signed
         if sig and len(sig) == options.num_perm for key in band_keys(sig, options)],
        batch_size=2_000)


def find_copies(article: Article, signature: list[int], options: CopyOptions
                ) -> list[tuple[int, float]]:
    """(article id, estimated Jaccard) of the recent articles whose signature matches,
    best first: those sharing a band key with it, checked against the threshold."""
    candidates = (CopyBand.objects.filter(key__in=band_keys(signature, options))
                  .exclude(article_id=article.pk).values("article_id"))
    stored = (Article.objects.filter(since_rebuild_window(), pk__in=candidates)
              .values_list("pk", "copy_signature"))
    out = []
    for pk, sig in stored:
        if not sig or len(sig) != len(signature):
            continue
        score = estimate_jaccard(signature, sig)
        if score >= options.threshold:
            out.append((pk, score))
    out.sort(key=lambda m: (-m[1], m[0]))
    return out


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
    """Store the article's signature and bands and link it with its copies; None when it
    has none.

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
    CopyBand.objects.filter(article_id=article.pk).delete()  # a re-filed article is re-signed
    if not signature:
        return _unlink(article)
    store_bands([(article.pk, signature)], options)
    matches = find_copies(article, signature, options)
    if not matches:
        return _unlink(article)
    return _group(article, matches)


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

