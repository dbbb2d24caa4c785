"""A worker claims feeds a few at a time and keeps claiming until none is due, so several
workers share one long queue instead of the first one taking it all."""

from __future__ import annotations

import pytest

from newsdesk.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def _serve_feeds(http_server, n: int) -> list[str]:
    urls = []
    for k in range(n):
        link = http_server.url(f"/story-{k}")
        http_server.route(f"/story-{k}", body=(
            f"<html><head><title>Dispatch {k}</title></head><body><article><h1>Dispatch "
            f"number {k} from Baghdad</h1><p>{'The minister of Iraq met officials in Baghdad. ' * 6}"
            f"Item {k}.</p></article></body></html>").encode())
        http_server.route(f"/feed-{k}.xml", content_type="application/rss+xml", body=(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {k}</title>'
            f"<link>{http_server.url('/')}</link><item><title>Dispatch {k}</title>"
            f"<link>{link}</link><guid>{link}</guid></item></channel></rss>").encode())
        urls.append(http_server.url(f"/feed-{k}.xml"))
    return urls


def test_one_worker_round_claims_batch_after_batch_until_none_is_due(http_server, monkeypatch):
    from django.utils import timezone

    from newsdesk.desk import refresh
    from newsdesk.desk.models import Feed
    from newsdesk.serve import poll_forever

    urls = _serve_feeds(http_server, 5)
    assert main(["feeds", "add", *urls]) == 0
    Feed.objects.exclude(url__in=urls).delete()
    left_for_others = []  # feeds still claimable by another worker while one is polled
    real_refresh_feed = refresh.refresh_feed

    def polling(feed, now):
        left_for_others.append(Feed.objects.filter(next_poll_at__lte=timezone.now()).count())
        return real_refresh_feed(feed, now)

    monkeypatch.setattr(refresh, "refresh_feed", polling)
    monkeypatch.setenv("NEWSDESK_POLL_BATCH", "2")
    poll_forever(interval=0, once=True)
    assert left_for_others == [3, 3, 1, 1, 0]
    assert all(http_server.hits[f"/feed-{k}.xml"] == 1 for k in range(5)), http_server.hits
    assert set(Feed.objects.values_list("last_status", flat=True)) == {"ok"}


def test_a_feed_due_again_at_once_waits_for_the_next_round(http_server, monkeypatch):
    from newsdesk.desk.models import Feed
    from newsdesk.serve import poll_forever

    urls = _serve_feeds(http_server, 1)
    assert main(["feeds", "add", *urls]) == 0
    Feed.objects.update(interval_seconds=0)
    monkeypatch.setenv("NEWSDESK_POLL_BATCH", "1")
    poll_forever(interval=0, once=True)  # returns: the feed is not polled in a loop
    assert http_server.hits["/feed-0.xml"] == 1
