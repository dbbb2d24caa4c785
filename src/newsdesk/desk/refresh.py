"""Feeds: subscribe, and refresh one feed through one function (Miniflux's RefreshFeed shape).

refresh_feed(): fetch (conditional GET) → not modified? → parse → for each new entry:
fetch its page (fall back to the entry's own content) → ingest → remember the entry →
write the outcome and the next poll time on the feed. A failing feed is written on the
feed (last_error, error_count, backoff) and the batch goes on.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.desk.budgets import budgets
from newsdesk.desk.columns import refuse_overlong_feed_url, validator_or_blank
from newsdesk.desk.fetching import fetch_options
from newsdesk.desk.ingest import ingest_capture, keep_rejected, skipped_result
from newsdesk.desk.models import Feed, FeedEntry
from newsdesk.desk.planner_stats import refresh_planner_stats
from newsdesk.desk.results import IngestResult, Status
from newsdesk.desk.stories import settle_stories
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.documents import Rejected
from newsdesk.pipeline.feeds import parse_feed
from newsdesk.pipeline.fetch import FetchError, fetch
from newsdesk.pipeline.opml import parse_opml
from newsdesk.pipeline.polling import error_backoff, next_interval

log = logging.getLogger(__name__)

# An entry whose own content is shorter than this is only a teaser: fetch the page.
MIN_ENTRY_CONTENT_CHARS = 600
# Polls that try a failing entry again before it is given up. A page that was down comes
# back within a few polls; a page gone for good, or one that breaks the pipeline, would
# otherwise cost a fetch (and a logged trace) at every poll for as long as the feed lists
# it. A given-up entry's capture, if any, stays pending for `newsdesk reprocess --pending`.
ENTRY_TRIES = 5


@dataclass
class RefreshResult:
    feed: Feed
    status: str  # "ok", "not_modified", "failed", "gone" (unsubscribed while it was polled)
    error: str = ""
    items: list[IngestResult] = field(default_factory=list)
    skipped: list[IngestResult] = field(default_factory=list)  # entries with nothing usable


# What a poll writes on its feed row, and nothing else: an editor may pause, rename or
# delete the feed while it is being polled, and a whole-row save would undo that (a
# deleted feed would even be inserted again).
POLL_FIELDS = ("last_polled_at", "error_count", "last_error", "next_poll_at", "last_status",
               "interval_seconds", "etag", "last_modified")


class FeedGone(Exception):
    """The feed's row was deleted while the feed was being polled."""


GONE = "the feed was unsubscribed while it was being polled"


FEED_URL_LENGTH = Feed._meta.get_field("url").max_length
ETAG_LENGTH = Feed._meta.get_field("etag").max_length
LAST_MODIFIED_LENGTH = Feed._meta.get_field("last_modified").max_length


def subscribe(url: str, title: str = "", category_hint: str = "", site_url: str = "") -> tuple[Feed, bool]:
    """The feed row for `url`, created if new; Rejected for an address too long to keep."""
    refuse_overlong_feed_url(url, FEED_URL_LENGTH)
    feed, created = Feed.objects.get_or_create(url=url, defaults={
        "title": title[:300], "category_hint": category_hint[:200], "site_url": site_url[:1000]})
    return feed, created


def subscribe_opml(content: bytes) -> list[IngestResult]:
    try:
        outlines = parse_opml(content, budgets())
    except Rejected as rejected:
        return [IngestResult(Status.REJECTED, reason=rejected.reason.value, message=rejected.message)]
    results = []
    for o in outlines:
        try:
            feed, created = subscribe(o.feed_url, o.title, o.category, o.site_url)
        except Rejected as rejected:  # one bad outline; the rest of the list is subscribed
            results.append(IngestResult(Status.REJECTED, url=o.feed_url[:200],
                                        reason=rejected.reason.value, message=rejected.message))
            continue
        results.append(IngestResult(Status.SUBSCRIBED if created else Status.DUPLICATE, url=feed.url,
                                    reason="" if created else "already_subscribed",
                                    extra={"feed_id": feed.pk, "title": feed.title or None}))
    return results


def subscribe_and_refresh(url: str) -> Iterator[IngestResult]:
    try:
        feed, created = subscribe(url)
    except Rejected as rejected:
        yield IngestResult(Status.REJECTED, url=url[:200], reason=rejected.reason.value,
                           message=rejected.message)
        return
    yield IngestResult(Status.SUBSCRIBED if created else Status.DUPLICATE, url=url,
                       reason="" if created else "already_subscribed", extra={"feed_id": feed.pk})
    refreshed = refresh_feed(feed)
    yield from refreshed.items
    yield from refreshed.skipped


def refresh_feed(feed: Feed, now: datetime | None = None) -> RefreshResult:
    """Poll one feed: fetch, parse, file its new entries, schedule the next poll."""
    try:
        return _refresh(feed, now or timezone.now())
    except FeedGone:
        return _gone(feed)


def _gone(feed: Feed) -> RefreshResult:
    log.info("feed %s (%s) was unsubscribed while it was being polled", feed.pk, feed.url)
    return RefreshResult(feed, "gone", error=GONE)


def _refresh(feed: Feed, now: datetime) -> RefreshResult:
    feed.last_polled_at = now
    try:
        fetched = fetch(feed.url, fetch_options(), etag=feed.etag or None,
                        last_modified=feed.last_modified or None)
        if fetched.not_modified:
            _schedule(feed, now, feed.interval_seconds, status="not_modified")
            return RefreshResult(feed, "not_modified")
        parsed = parse_feed(fetched.capture.content, fetched.capture.url or feed.url, budgets())
    except (FetchError, Rejected) as error:
        feed.error_count += 1
        feed.last_error = str(error)
        feed.next_poll_at = now + error_backoff(feed.error_count)
        feed.last_status = "failed"
        _save_poll(feed)
        log.warning("feed %s (%s) failed: %s", feed.pk, feed.url, error)
        return RefreshResult(feed, "failed", error=str(error))
    # the feed's own title and site fill only what no one has set (an editor may have)
    feed.title = feed.title or parsed.title[:300]
    feed.site_url = feed.site_url or parsed.site_url[:1000]
    Feed.objects.filter(pk=feed.pk, title="").update(title=feed.title)
    Feed.objects.filter(pk=feed.pk, site_url="").update(site_url=feed.site_url)
    feed.etag = validator_or_blank(fetched.etag or "", ETAG_LENGTH)
    feed.last_modified = validator_or_blank(fetched.last_modified or "", LAST_MODIFIED_LENGTH)
    if not Feed.objects.filter(pk=feed.pk).exists():
        raise FeedGone(feed.pk)  # its entries are no longer wanted
    items = [ingest_entry(feed, entry) for entry in parsed.entries if not _seen(feed, entry)]
    interval = next_interval([e.published for e in parsed.entries if e.published], now)
    feed.error_count, feed.last_error = 0, ""
    _schedule(feed, now, int(interval.total_seconds()), status="ok")
    skipped = [skipped_result(skip, url=feed.url) for skip in parsed.skipped]
    return RefreshResult(feed, "ok", items=items, skipped=skipped)


def _schedule(feed: Feed, now: datetime, seconds: int, status: str) -> None:
    feed.interval_seconds = seconds
    feed.next_poll_at = now + timedelta(seconds=seconds)
    feed.last_status = status
    _save_poll(feed)


def _save_poll(feed: Feed) -> None:
    if not Feed.objects.filter(pk=feed.pk).update(**{f: getattr(feed, f) for f in POLL_FIELDS}):
        raise FeedGone(feed.pk)


def _seen(feed: Feed, entry: doc.FeedEntry) -> bool:
    """Done with: filed (or refused) once, or failed ``ENTRY_TRIES`` times."""
    retry = Q(failures__gt=0, failures__lt=ENTRY_TRIES)
    return FeedEntry.objects.filter(feed=feed, identity=entry.identity[:500]).exclude(retry).exists()


def _failed_try(feed: Feed, entry: doc.FeedEntry, result: IngestResult) -> IngestResult:
    """Count one more failed try on the entry; the last allowed one gives it up, and says so."""
    row, _ = FeedEntry.objects.get_or_create(feed=feed, identity=entry.identity[:500],
                                             defaults={"url": entry.url[:1000]})
    FeedEntry.objects.filter(pk=row.pk).update(failures=F("failures") + 1,
                                               last_error=result.message[:2000])
    tries = row.failures + 1
    if tries >= ENTRY_TRIES:
        log.warning("feed %s: entry %s given up after %d failed tries: %s",
                    feed.pk, entry.url or entry.identity, tries, result.message)
        result.message = f"{result.message} (given up after {tries} tries)"
    else:
        result.message = f"{result.message} (try {tries} of {ENTRY_TRIES}: the next poll tries again)"
    return result


def ingest_entry(feed: Feed, entry: doc.FeedEntry) -> IngestResult:
    """The entry's page when it can be had, else the entry's own content."""
    result, fetch_error = None, None
    if entry.url.startswith(("http://", "https://")) and len(entry.content_html) < MIN_ENTRY_CONTENT_CHARS:
        try:
            page = fetch(entry.url, fetch_options())
            result = ingest_capture(page.capture, origin="feed", feed=feed)
        except (FetchError, Rejected) as error:
            fetch_error = error
            log.info("entry page %s not fetched (%s); using the feed's content", entry.url, error)
    if result is None or (result.status == Status.REJECTED and entry.content_html):
        if fetch_error is not None and not (entry.content_html or entry.summary):
            # Nothing to fall back on: the next poll tries again.
            failed = IngestResult(Status.FAILED, url=entry.url, reason="fetch_failed", message=str(fetch_error))
            return _failed_try(feed, entry, failed)
        result = ingest_capture(entry_capture(entry), origin="feed", feed=feed)
    if result.status == Status.FAILED:
        return _failed_try(feed, entry, result)  # tried again next poll (its bytes are kept)
    FeedEntry.objects.update_or_create(feed=feed, identity=entry.identity[:500], defaults={
        "url": entry.url[:1000], "article": result.article, "failures": 0, "last_error": ""})
    return result


def entry_capture(entry: doc.FeedEntry) -> doc.Capture:
    """An entry's own content as a small HTML page, so extraction and reprocessing treat it alike."""
    esc = html.escape
    meta = "".join(f'<meta name="author" content="{esc(a)}">' for a in entry.authors)
    if entry.published:
        meta += f'<meta property="article:published_time" content="{entry.published.isoformat()}">'
    body = entry.content_html or f"<p>{esc(entry.summary)}</p>"
    page = (f'<!doctype html><html><head><title>{esc(entry.title)}</title>'
            f'<link rel="canonical" href="{esc(entry.url)}">{meta}</head>'
            f'<body><article><h1>{esc(entry.title)}</h1>{body}</article></body></html>')
    return doc.Capture(content=page.encode(), url=entry.url, content_type="text/html; charset=utf-8",
                       fetched_at=timezone.now(), headers={"x-newsdesk-from": "feed-entry"})


def ingest_feed_document(capture: doc.Capture, origin: str = "file") -> Iterator[IngestResult]:
    """A feed file at hand (not subscribed): ingest each entry's content once. A file
    refused whole is kept, rejected with its reason."""
    try:
        parsed = parse_feed(capture.content, capture.url, budgets())
    except Rejected as rejected:
        yield keep_rejected(capture, origin, rejected)
        return
    for entry in parsed.entries:
        yield ingest_capture(entry_capture(entry), origin="file")
    for skip in parsed.skipped:
        yield skipped_result(skip, url=capture.url)


def due_feeds(now: datetime, limit: int | None = None) -> list[Feed]:
    """Claim the feeds that are due. On PostgreSQL, rows another worker holds are skipped
    (SELECT … FOR UPDATE SKIP LOCKED) and claimed feeds are pushed back at once, so any
    number of workers can share the queue without polling one feed twice."""
    with transaction.atomic():
        qs = Feed.objects.filter(active=True, next_poll_at__lte=now).order_by("next_poll_at")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        feeds = list(qs[:limit] if limit else qs)
        lease = now + timedelta(minutes=10)
        Feed.objects.filter(pk__in=[f.pk for f in feeds]).update(next_poll_at=lease)
    return feeds


def refresh_due_feeds(now: datetime | None = None, limit: int | None = None) -> list[RefreshResult]:
    now = now or timezone.now()
    return refresh_feeds(due_feeds(now, limit), now)


def refresh_feeds(feeds: list[Feed], now: datetime) -> list[RefreshResult]:
    """Poll each claimed feed; one that fails in a way no one foresaw (a bug, a database
    error) is written down as failed with its error and backed off, and the rest of the
    round goes on: a poison feed must not starve the feeds claimed after it."""
    results = []
    for feed in feeds:
        try:
            results.append(refresh_feed(feed, now))
        except Exception as error:  # contained, and logged with its trace
            if not Feed.objects.filter(pk=feed.pk).exists():  # deleted while being polled
                results.append(_gone(feed))
                continue
            log.exception("feed %s (%s): the poll failed", feed.pk, feed.url)
            message = f"internal error: {type(error).__name__}: {error}"[:2000]
            count = feed.error_count + 1
            Feed.objects.filter(pk=feed.pk).update(
                error_count=count, last_error=message, last_status="failed",
                last_polled_at=now, next_poll_at=now + error_backoff(count))
            results.append(RefreshResult(feed, "failed", error=message))
    settle_stories()  # the round is one batch: its last lone articles get their second look
    refresh_planner_stats()
    return results
