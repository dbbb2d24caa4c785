"""Read counts no single client can stuff: one client moves most-read by one at most,
many clients still count, and nothing kept says who read what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from newsdesk.desk.models import Article, ReadCount
from newsdesk.site import clients, page_cache
from newsdesk.site.models import ReadMark, ReadSalt
from tests.site.conftest import get_json, hour_ago

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    """The read limit off, so what is shown is the counting itself (the limit has its
    own tests in test_limits)."""
    monkeypatch.setenv("NEWSDESK_READ_LIMIT", "0")


def reads(article) -> int:
    return ReadCount.objects.filter(article=article).aggregate(n=Sum("count"))["n"] or 0


def read(client, article, address="198.51.100.1", agent=BROWSER, **headers):
    response = client.post(f"/article/{article.pk}/read", REMOTE_ADDR=address, HTTP_USER_AGENT=agent,
                           **headers)
    assert response.status_code == 200, response.content
    return response.json()


def must_read(client) -> list[int]:
    return [item["id"] for item in get_json(client, "/index.json")["must_read"]["items"]]


def test_a_thousand_reads_from_one_client_count_once(client, newsroom):
    answers = [read(client, newsroom.pensions) for _ in range(1000)]
    assert reads(newsroom.pensions) == 1
    assert [a["counted"] for a in answers].count(True) == 1
    assert answers[0]["counted"] and answers[-1]["count_this_hour"] == 1


def test_one_client_cannot_lift_an_article_into_must_read_and_many_clients_can(client, newsroom):
    # Three readers read the Rushdie article; a loop from one client hammers the pensions one.
    for n in range(3):
        read(client, newsroom.rushdie, address=f"203.0.113.{n + 1}")
    for _ in range(1000):
        read(client, newsroom.pensions, address="198.51.100.66")
    assert reads(newsroom.pensions) == 1
    assert must_read(client)[0] == newsroom.rushdie.pk
    # Five real readers on five addresses put it on top.
    for n in range(5):
        read(client, newsroom.pensions, address=f"192.0.2.{n + 10}")
    assert reads(newsroom.pensions) == 6
    page_cache.clear()  # reads move no desk version: most read shows within the minute
    assert must_read(client)[0] == newsroom.pensions.pk


def test_a_loop_that_changes_its_browser_counts_at_most_the_readers_of_one_address(client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_READERS_PER_ADDRESS", "3")
    for n in range(200):
        read(client, newsroom.pensions, agent=f"{BROWSER} build/{n}")
    assert reads(newsroom.pensions) == 3
    # The room is per article: the same address still counts for another one.
    read(client, newsroom.rushdie, agent=f"{BROWSER} build/7")
    assert reads(newsroom.rushdie) == 1


def test_an_ipv6_client_is_its_64_however_many_addresses_it_holds(client, newsroom):
    for n in range(50):
        read(client, newsroom.pensions, address=f"2001:db8:1:2::{n + 1:x}")
    assert reads(newsroom.pensions) == 1
    read(client, newsroom.pensions, address="2001:db8:1:3::1")  # another /64, another client
    assert reads(newsroom.pensions) == 2


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, newsroom, monkeypatch):
    for n in range(20):  # anyone can write the header: it is no new client
        read(client, newsroom.pensions, address="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert reads(newsroom.pensions) == 1
    monkeypatch.setenv("NEWSDESK_TRUSTED_PROXIES", "10.0.0.0/8")
    for n in range(20):  # behind the site's own proxy, the readers' addresses are told apart
        read(client, newsroom.rushdie, address="10.1.2.3",
             HTTP_X_FORWARDED_FOR=f"198.51.100.250, 203.0.113.{n}, 10.9.9.9")
    assert reads(newsroom.rushdie) == 20


def test_a_reader_counts_again_when_the_window_is_over(client, newsroom):
    read(client, newsroom.pensions)
    read(client, newsroom.pensions)
    assert reads(newsroom.pensions) == 1
    ReadMark.objects.update(expires_at=timezone.now() - timedelta(seconds=1))  # a day went by
    assert read(client, newsroom.pensions)["counted"] is True
    assert reads(newsroom.pensions) == 2


def test_a_read_counted_before_midnight_is_still_known_after_it(client, newsroom):
    """The salt changes each day; a mark made under yesterday's is looked for too."""
    yesterday = timezone.now().date() - timedelta(days=1)
    salt = ReadSalt.objects.create(day=yesterday, salt="ab" * 32).salt
    network = "198.51.100.1"
    ReadMark.objects.create(key=clients.digest(salt, "reader", network, BROWSER, str(newsroom.pensions.pk)),
                            expires_at=timezone.now() + timedelta(hours=2))
    assert read(client, newsroom.pensions, address=network)["counted"] is False
    assert read(client, newsroom.pensions, address="198.51.100.2")["counted"] is True


def test_the_desk_keeps_no_address_no_browser_and_no_reading_list(client, newsroom):
    for article in (newsroom.pensions, newsroom.rushdie, newsroom.seed):
        read(client, article, address="198.51.100.77")
    marks = list(ReadMark.objects.values_list("key", flat=True))
    assert len(marks) == 6  # a reader mark and an address mark per article
    stored = " ".join(marks)
    assert "198.51.100.77" not in stored and "Firefox" not in stored
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in marks)  # hashes, nothing else
    # No column names an article or a reader: three reads leave six unrelated keys.
    assert {f.name for f in ReadMark._meta.get_fields()} == {"key", "uses", "expires_at"}
    assert not client.cookies


def test_salts_older_than_yesterday_are_deleted(client, newsroom):
    today = timezone.now().date()
    for days in (2, 3, 9):
        ReadSalt.objects.create(day=today - timedelta(days=days), salt="cd" * 32)
    read(client, newsroom.pensions)
    assert sorted(ReadSalt.objects.values_list("day", flat=True)) == [today]


def test_most_read_is_counted_from_the_hourly_counts(client, newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(30), count=2)
    read(client, newsroom.rushdie)
    assert Article.objects.most_read().get(pk=newsroom.rushdie.pk).reads == 3


def test_editors_see_read_counts_and_reset_them(admin_client, client, newsroom):
    ReadCount.objects.create(article=newsroom.rushdie, hour=hour_ago(2), count=41)
    ReadCount.objects.create(article=newsroom.pensions, hour=hour_ago(1), count=7)
    ReadCount.objects.create(article=newsroom.pensions, hour=hour_ago(24 * 9), count=500)  # not this week
    page = admin_client.get("/admin/desk/article/?o=-7").content.decode()  # most read first
    assert "Reads (7 days)" in page
    rows = page[page.index('id="result_list"'):]
    assert rows.index(newsroom.rushdie.title) < rows.index(newsroom.pensions.title)
    assert '<td class="field-reads">41</td>' in rows and '<td class="field-reads">7</td>' in rows
    change = admin_client.get(f"/admin/desk/article/{newsroom.rushdie.pk}/change/").content.decode()
    assert "41" in change
    response = admin_client.post("/admin/desk/article/", {
        "action": "reset_reads", "_selected_action": [newsroom.rushdie.pk]}, follow=True)
    assert "Read counts reset" in response.content.decode()
    assert reads(newsroom.rushdie) == 0 and reads(newsroom.pensions) == 507
    assert newsroom.rushdie.pk not in [a.pk for a in Article.objects.most_read()]
