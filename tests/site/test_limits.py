"""Per-client limits on the read signal and on search: 429 with Retry-After over them,
counted in Django's cache (in-process memory by default, Redis when configured)."""

from __future__ import annotations

import os
import re

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from newsdesk.site import limits

REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def search(client, words: str, address: str = "198.51.100.1", path: str = "/search.json"):
    return client.get(path, {"q": words}, REMOTE_ADDR=address)


def assert_over_the_limit(response, within: int):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= within
    assert "public" not in response["Cache-Control"]  # never kept by the page cache or a proxy


def test_searches_over_the_limit_get_429_with_retry_after(client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "3/60")
    for word in ("iran", "iraq", "camp"):
        assert search(client, word).status_code == 200
    over = search(client, "rushdie")
    assert_over_the_limit(over, 60)
    body = over.json()
    assert body["error"] == f"Too many searches from your address; try again in {over['Retry-After']} s."
    assert body["page"] == "search" and body["articles"] == []
    html = search(client, "pensions", path="/search/")
    assert_over_the_limit(html, 60)
    assert "Too many searches" in html.content.decode()
    feed = client.get("/search/feed/rss/", {"q": "tehran"}, REMOTE_ADDR="198.51.100.1")
    assert_over_the_limit(feed, 60)
    assert client.get("/search/feed/json/", {"q": "x"}, REMOTE_ADDR="198.51.100.1").json()["status"] == 429
    # Another client is not held back by this one.
    assert search(client, "rushdie", address="198.51.100.2").status_code == 200


def test_a_search_answered_from_the_page_cache_costs_nothing(client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "2/60")
    assert all(search(client, "iran").status_code == 200 for _ in range(10))
    assert search(client, "iraq").status_code == 200
    assert search(client, "camp").status_code == 429


def test_the_read_signal_over_the_limit_gets_429(client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_READ_LIMIT", "5/60")
    url = f"/article/{newsroom.pensions.pk}/read"
    answers = [client.post(url, REMOTE_ADDR="198.51.100.3") for _ in range(8)]
    assert [r.status_code for r in answers] == [200] * 5 + [429] * 3
    assert_over_the_limit(answers[-1], 60)
    assert answers[-1].json()["message"].startswith("Too many reads from your address")
    assert client.post(url, REMOTE_ADDR="198.51.100.4").status_code == 200


def test_a_limit_of_zero_is_no_limit(client, newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "0")
    assert all(search(client, f"word{n}").status_code == 200 for n in range(30))


def test_the_count_starts_again_in_the_next_window(newsroom, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "2/60")
    request = RequestFactory().get("/search.json", REMOTE_ADDR="198.51.100.5")
    start = 60 * 1_000_000 + 10.5  # 10.5 s into a window
    assert limits.wait("search", request, now=start) is None
    assert limits.wait("search", request, now=start + 1) is None
    assert limits.wait("search", request, now=start + 2) == 48  # the rest of the window
    assert limits.wait("search", request, now=start + 50) is None  # the next one


@pytest.mark.parametrize("text,rate", [("60/60", limits.Rate(60, 60)), (" 5/1 ", limits.Rate(5, 1)),
                                       ("0", None), ("", None)])
def test_a_limit_is_written_n_per_seconds(text, rate):
    assert limits.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["60", "60/0", "-1/60", "ten/60", "60/minute"])
def test_a_limit_written_otherwise_is_refused_with_its_form(text):
    with pytest.raises(ValueError, match=r"N/SECONDS"):
        limits.parse_rate(text)


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one where the machine has it)")


def test_limits_are_shared_through_redis(client, newsroom, monkeypatch):
    """With NEWSDESK_CACHE_URL on Redis every server process shares one count per client:
    here, the same counter is seen through a second, separate connection to Redis."""
    _redis_or_skip()
    monkeypatch.setenv("NEWSDESK_READ_LIMIT", "2/60")
    prefix = f"newsdesk-test-limits-{os.getpid()}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                   "KEY_PREFIX": prefix}
    url = f"/article/{newsroom.pensions.pk}/read"
    with override_settings(CACHES={"default": redis_cache, "other": redis_cache}):
        assert client.post(url, REMOTE_ADDR="198.51.100.6").status_code == 200
        assert client.post(url, REMOTE_ADDR="198.51.100.6").status_code == 200
        assert_over_the_limit(client.post(url, REMOTE_ADDR="198.51.100.6"), 60)
        other = caches["other"]  # another connection, as another process would have
        keys = other._cache.get_client().keys(f"{prefix}:*limit:read:*")
        assert keys and all(b"198.51.100.6" not in k for k in keys)
        assert other.get(keys[0].decode().split(":", 2)[2]) == 3
        other._cache.get_client().delete(*keys)


@pytest.mark.parametrize("name,value,said", [
    ("NEWSDESK_READ_LIMIT", "ten", "NEWSDESK_READ_LIMIT: a limit is N/SECONDS"),
    ("NEWSDESK_SEARCH_LIMIT", "60/0", "NEWSDESK_SEARCH_LIMIT: a limit is N/SECONDS"),
    ("NEWSDESK_READERS_PER_ADDRESS", "0", "NEWSDESK_READERS_PER_ADDRESS is a whole number, 1 or more"),
    ("NEWSDESK_TRUSTED_PROXIES", "10.0.0.0/8,proxy.lan", "'proxy.lan' is not an address or network"),
])
def test_a_setting_that_cannot_be_read_stops_the_start(monkeypatch, name, value, said):
    """Read on each request, a bad value would make every read or search a server error:
    the site refuses to start instead, saying which setting and why."""
    from django.core.exceptions import ImproperlyConfigured

    from newsdesk.site.apps import _check_reader_settings

    _check_reader_settings()  # the defaults are fine
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(said)):
        _check_reader_settings()
