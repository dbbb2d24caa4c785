"""Feeds end to end against a real HTTP server on 127.0.0.1: refresh, file, then 304."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import main
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)

DESK = FIXTURES / "desk"
PAGES = ["tehran-talks", "baghdad-budget", "kabul-quake", "ankara-rates"]
FEEDS = {"/rss.xml": ("rss20.xml", "application/rss+xml"), "/atom.xml": ("atom.xml", "application/atom+xml"),
         "/feed.json": ("feed.json", "application/feed+json")}


@pytest.fixture
def site(http_server):
    base = http_server.base_url

    def text(name):
        return (DESK / name).read_text().replace("{base}", base)

    for slug in PAGES:
        http_server.route(f"/news/{slug}", body=text(f"{slug}.html"))
    for path, (name, ctype) in FEEDS.items():
        http_server.route(path, body=text(name), content_type=ctype, etag=f'"{name}-v1"',
                          last_modified="Mon, 03 Mar 2025 09:00:00 GMT")
    return http_server


def run_json(capsys, *argv) -> list[dict]:
    assert main([*argv, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_refresh_files_articles_then_304_ingests_nothing(site, capsys):
    from newsdesk.desk.models import Article, Capture, Feed

    assert main(["feeds", "add", *(site.url(p) for p in FEEDS)]) == 0
    capsys.readouterr()
    first = run_json(capsys, "refresh")
    assert {r["status"] for r in first} == {"ok"}
    items = {i["title"]: i for r in first for i in r["items"]}
    assert len(items) == 5
    assert {i["status"] for i in items.values()} == {"ingested"}

    expected = {
        "Iran says nuclear talks with Europe to resume next week": ("IR", "AFP", "Tehran"),
        "Iraq's parliament passes delayed budget after months of wrangling": ("IQ", "AP", "Baghdad"),
        "Earthquake kills dozens in eastern Afghanistan": ("AF", "Reuters", "Kabul"),
        "Turkey's central bank holds interest rates as inflation eases": ("TR", "Reuters", "Istanbul"),
        "Lebanon reopens Beirut port terminal rebuilt after blast": ("LB", "AP", "Beirut"),
    }
    for title, (code, agency, place) in expected.items():
        item = items[title]
        assert item["countries"][0]["code"] == code, title
        assert item["category_path"][0] == "Iran & Its Neighbours", title
        assert item["agency"] == agency, title
        assert item["dateline_place"] == place, title
        assert not item["body"].startswith(place.upper()), "the dateline is cut from the body"
    # pages were fetched for teaser entries; the JSON Feed's full content was used as is
    assert all(site.hits[f"/news/{slug}"] == 1 for slug in PAGES)
    counts = (Article.objects.count(), Capture.objects.count())

    Feed.objects.update(next_poll_at=Feed.objects.earliest("pk").created_at)  # all due again
    second = run_json(capsys, "refresh")
    assert {r["status"] for r in second} == {"not_modified"}
    assert all(r["items"] == [] for r in second)
    assert (Article.objects.count(), Capture.objects.count()) == counts
    assert all(site.hits[p] == 2 for p in FEEDS)
    assert all(site.hits[f"/news/{slug}"] == 1 for slug in PAGES)


def test_feed_url_given_to_ingest_subscribes_and_ingests(site, capsys):
    from newsdesk.desk.models import Feed

    out = run_json(capsys, "ingest", site.url("/rss.xml"))
    assert out[0]["status"] == "subscribed"
    assert [o["status"] for o in out[1:]] == ["ingested", "ingested"]
    assert Feed.objects.filter(url=site.url("/rss.xml")).exists()


def test_failing_feed_is_written_on_the_feed_and_the_batch_goes_on(site, capsys):
    from newsdesk.desk.models import Feed

    site.route("/gone.xml", status=404, body=b"not here")
    site.route("/broken.xml", body=b"<rss><channel><title>cut off", content_type="application/rss+xml")
    assert main(["feeds", "add", site.url("/gone.xml"), site.url("/broken.xml"), site.url("/rss.xml")]) == 0
    capsys.readouterr()
    out = {r["url"]: r for r in run_json(capsys, "refresh")}
    assert out[site.url("/gone.xml")]["status"] == "failed"
    assert "404" in out[site.url("/gone.xml")]["error"]
    assert out[site.url("/broken.xml")]["status"] == "failed"
    assert len(out[site.url("/rss.xml")]["items"]) == 2
    gone = Feed.objects.get(url=site.url("/gone.xml"))
    assert gone.error_count == 1 and "404" in gone.last_error and gone.next_poll_at > gone.last_polled_at
    assert main(["feeds", "list"]) == 0
    listing = capsys.readouterr().out
    assert "404" in listing and "failed" in listing


def test_an_overlong_feed_address_is_refused_and_the_others_are_subscribed(site, capsys, tmp_path):
    """PostgreSQL cannot store it (SQLite would, silently): refused with its length, on
    `feeds add` and in an OPML list alike, and the good addresses beside it go in."""
    from newsdesk.desk.models import Feed

    overlong = site.url("/rss.xml") + "?utm=" + "x" * 1200
    assert main(["feeds", "add", "--json", overlong, site.url("/atom.xml")]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert [r["status"] for r in lines] == ["rejected", "subscribed"]
    assert lines[0]["reason"] == "refused" and "1000" in lines[0]["message"]

    opml = tmp_path / "list.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline type="rss" text="long" xmlUrl="{overlong}"/>'
        f'<outline type="rss" text="json" xmlUrl="{site.url("/feed.json")}"/>'
        "</body></opml>")
    results = run_json(capsys, "ingest", str(opml))
    assert [r["status"] for r in results] == ["rejected", "subscribed"]
    assert sorted(Feed.objects.values_list("url", flat=True)) == sorted(
        [site.url("/atom.xml"), site.url("/feed.json")])


def test_overlong_validators_do_not_stop_a_feed(site, capsys):
    """A server may send a 2 KB ETag or a Last-Modified that is no date. PostgreSQL refused
    to store them (and the whole polling round failed with it): the feed is polled and
    its entries filed, and the next poll is a plain GET, without validators."""
    from newsdesk.desk.models import Feed

    site.route("/long.xml", body=(DESK / "rss20.xml").read_text().replace("{base}", site.base_url),
               content_type="application/rss+xml", etag='"' + "e" * 2000 + '"',
               last_modified="Mon, 03 Mar 2025 09:00:00 GMT " + "x" * 200)
    assert main(["feeds", "add", site.url("/long.xml")]) == 0
    capsys.readouterr()
    [feed] = run_json(capsys, "refresh")
    assert feed["status"] == "ok", feed
    assert len(feed["items"]) == 2
    row = Feed.objects.get()
    assert row.last_status == "ok" and row.etag == "" and row.last_modified == ""


def test_a_page_with_a_long_content_type_keeps_its_media_type_and_charset(site, capsys):
    from newsdesk.desk.models import Capture

    params = "; ".join(f"p{i}=v{i}" for i in range(60))
    site.route("/news/long-type", body=(DESK / "tehran-talks.html").read_text(),
               content_type=f"text/html; {params}; charset=windows-1252; q=1")
    [item] = run_json(capsys, "ingest", site.url("/news/long-type"))
    assert item["status"] == "ingested", item
    assert Capture.objects.get().content_type == "text/html; charset=windows-1252"


def test_an_editors_changes_during_a_poll_are_kept(site, capsys):
    """The poll writes only what it learnt: a feed paused and renamed meanwhile stays so."""
    from newsdesk.desk.models import Feed
    from newsdesk.desk.refresh import refresh_feed

    assert main(["feeds", "add", site.url("/rss.xml")]) == 0
    polled = Feed.objects.get()  # what the worker holds while it fetches …
    Feed.objects.filter(pk=polled.pk).update(active=False, title="Editor's name")  # … meanwhile
    assert refresh_feed(polled).status == "ok"
    row = Feed.objects.get()
    assert (row.active, row.title, row.last_status) == (False, "Editor's name", "ok")


def test_a_feed_unsubscribed_during_its_poll_stays_gone_and_the_round_goes_on(site, capsys):
    """The editor deletes a feed while a worker is fetching its entries' pages: that feed
    is reported gone (not brought back by the worker's save), and the feed claimed after
    it is still polled in the same round."""
    import threading
    import time

    from django.db import connection
    from django.utils import timezone

    from newsdesk.desk.models import Feed
    from newsdesk.desk.refresh import due_feeds, refresh_feeds

    for slug in PAGES:  # the entries' pages answer slowly: the editor acts meanwhile
        site.routes[f"/news/{slug}"].delay_s = 0.4
    assert main(["feeds", "add", site.url("/rss.xml"), site.url("/atom.xml")]) == 0
    capsys.readouterr()
    now = timezone.now()
    claimed = sorted(due_feeds(now), key=lambda f: f.url != site.url("/rss.xml"))
    doomed = claimed[0]

    def editor():
        time.sleep(0.2)
        Feed.objects.filter(pk=doomed.pk).delete()
        connection.close()

    deleting = threading.Thread(target=editor)
    deleting.start()
    results = refresh_feeds(claimed, now)
    deleting.join()
    assert [r.status for r in results] == ["gone", "ok"], [(r.status, r.error) for r in results]
    assert results[1].items
    assert not Feed.objects.filter(pk=doomed.pk).exists()


def test_a_feed_deleted_before_its_poll_writes_back_is_not_brought_back(site, capsys):
    from newsdesk.desk.models import Capture, Feed
    from newsdesk.desk.refresh import refresh_feed

    assert main(["feeds", "add", site.url("/rss.xml")]) == 0
    polled = Feed.objects.get()
    Feed.objects.all().delete()
    result = refresh_feed(polled)
    assert result.status == "gone" and not result.items
    assert not Feed.objects.exists() and not Capture.objects.exists()
