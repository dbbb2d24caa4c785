"""Pages every site has besides its articles are refused, with a reason; stories that merely
talk about such things are not. (A desk fed a real mix published a privacy policy, a
cookie-consent wall and a search-results page as articles.)"""

from __future__ import annotations

import pytest

from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.extract import extract_html

PROSE = (
    "This policy explains what information the newspaper collects when you visit our "
    "websites or use our apps, why we collect it, and how you can manage it at any time. "
)


def page(title: str, h1: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title} | The Ledger</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<main><h1>{h1}</h1>{body}</main><footer>About · Privacy · Terms</footer>"
            "</body></html>")


@pytest.mark.parametrize(("title", "h1"), [
    ("Privacy policy", "Privacy policy"),
    ("Your privacy choices", "We value your privacy"),
    ("Terms of use", "Terms of use"),
    ("Contact us", "Contact us"),
    ("Page not found", "Sorry, this page is not here"),
])
def test_service_pages_are_not_articles(title, h1):
    with pytest.raises(Rejected) as refused:
        extract_html(page(title, h1, [PROSE * 2] * 4))
    assert refused.value.reason == RejectReason.NOT_ARTICLE
    assert "not an article" in refused.value.message


@pytest.mark.parametrize("title", [
    "Privacy policy changes anger Facebook users",
    "Search for survivors continues after quake",
    "About 300 protesters gather in Tehran",
    "Contact lost with tanker in the Gulf",
])
def test_stories_about_such_things_stay_articles(title):
    story = [f"{title} as officials said on Friday that talks would resume next week in Geneva."] * 4
    draft = extract_html(page(title, title, story))
    assert draft.title == title


def test_a_page_of_search_snippets_is_not_an_article():
    snippets = [f"Headline number {i} about oil prices in the Gulf region ... the opening words "
                f"of story {i} were cut here ..." for i in range(10)]
    with pytest.raises(Rejected) as refused:
        extract_html(page("Search: oil prices", "Results for “oil prices”", snippets))
    assert "cut excerpts" in refused.value.message


def test_an_article_declared_as_one_keeps_a_service_like_headline():
    head = '<meta property="og:type" content="article">'
    draft = extract_html(page("Contact", "Contact", [PROSE * 2] * 4, head))
    assert draft.title == "Contact"
