"""Requests no reader sends: each one answers 400, 404 or 405 saying what is wrong,
never a server error. The first two were found by hand (issue 22); the rest by the fuzzer
(test_fuzz), kept here as plain cases."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775808"])
@pytest.mark.parametrize("path", ["/recommend", "/recommend.json"])
def test_a_seen_id_too_large_for_any_article_is_a_400(client, newsroom, path, number):
    response = client.get(path, {"seen": f"{newsroom.seed.pk},{number}"})
    assert response.status_code == 400
    assert f"seen must be article ids; {number} is larger than any id" in response.content.decode()


@pytest.mark.parametrize("number", ["9" * 5000, "0" * 5000 + "1" * 20])
def test_a_seen_id_of_thousands_of_digits_is_a_400_that_says_why(client, newsroom, number):
    response = client.get("/recommend.json", {"seen": number})
    assert response.status_code == 400
    assert response.json()["message"] == f"seen must be article ids; {number[:40]}… is larger than any id"


def test_the_largest_id_the_document_allows_is_answered(client, newsroom):
    response = client.get("/recommend.json", {"seen": f" {2**63 - 1}, ,"})
    assert response.status_code == 200 and response.json()["seen"] == [2**63 - 1]


@pytest.mark.parametrize("url,status,message", [
    ("/recommend.json?seen=18 213,", 400, "got '18 213'"),
    ("/recommend.json?seen=%D9%A1%D9%A2", 400, "got '١٢'"),  # Arabic-Indic digits are no id
    ("/recommend.json?seen=1&seen=2", 400, "seen is given 2 times; give it once."),
    ("/category/iraq.json?page=1&page=2", 400, "page is given 2 times"),
    ("/stories.json?page=0", 404, "Pages are numbered from 1; there is no page 0."),
    ("/search.json?page=0", 404, "there is no page 0"),  # no words: the page is still checked
    ("/search.json?to=null&to=null", 400, "to is given 2 times"),
    ("/search.json?to=null", 400, "Dates are written 2026-01-31; to='null' is not one."),
    ("/search.json?region=atlantis", 400, "There is no region 'atlantis'."),
    ("/search/feed/json/?q=iran&q=iraq", 400, "q is given 2 times"),
    ("/category/iraq.json?page=99999999999999999999", 404, "That page contains no results"),
    ("/stories.json?page=" + "9" * 5000, 404, "There is no page 9999999999"),
    ("/article/99999999999999999999.json", 404, "There is no published article 99999999999999999999"),
    ("/story/99999999999999999999/feed/json/", 404, "There is no story 99999999999999999999."),
])
def test_malformed_parameters_are_refused_plainly(client, newsroom, url, status, message):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    body = response.json()
    said = body["error"] if body.get("page") == "search" else body["message"]  # the form, or an error
    assert message in said


def test_a_read_of_an_id_too_large_is_a_404(client, newsroom):
    response = client.post("/article/99999999999999999999/read")
    assert response.status_code == 404 and response.json()["error"] == "Not found"


@pytest.mark.parametrize("url", ["/", "/index.json", "/search.json?q=iran", "/feed/rss/",
                                 "/search/feed/atom/?q=iran", "/api/openapi.json"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_on_a_page_are_405_not_a_csrf_403(newsroom, url, method):
    """A page only reads; CSRF has nothing to guard there, so the answer says what is true:
    the method is not allowed, and which are."""
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.parametrize("url", ["/recommend", "/recommend.json"])
def test_recommend_reads_a_post_without_a_csrf_token_and_refuses_other_writes(newsroom, url):
    """Recommended to you takes the reader's history in a POST body (no URL holds it). The
    POST only reads, so it needs no token: a page from a shared cache has none to give."""
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, {"seen": str(newsroom.seed.pk)}).status_code == 200
    for method in ("put", "delete"):
        response = getattr(strict, method)(url)
        assert response.status_code == 405
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
