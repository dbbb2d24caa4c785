"""readability's second opinion survives pages wrapped whole in page furniture (a whole-page
<form> of older server frameworks), while real furniture is still removed before scoring."""

from __future__ import annotations

from newsdesk.pipeline.html_readability import readability_summary

STORY = "".join(
    f"<p>Paragraph {i}: the harbour board met on Tuesday, and its members agreed, after a long "
    "debate about the cost, that the new quay would open to ships before the end of spring.</p>"
    for i in range(6)
)
MENU = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8)) + "</ul></nav>"


def _text(html: str) -> str:
    return readability_summary(html).text_content()


def test_a_page_wrapped_in_one_form_keeps_its_article():
    page = (
        "<html><body><form id='page' method='post' action='/default.aspx'>"
        f"{MENU}<div id='content'>{STORY}</div><div id='foot'>Contact us</div>"
        "</form></body></html>"
    )
    text = _text(page)
    assert "Paragraph 0: the harbour board" in text
    assert "Paragraph 5: the harbour board" in text


def test_small_forms_and_menus_are_still_removed():
    search = "<form action='/search'><input name='q'><p>Search the archive of every story</p></form>"
    page = f"<html><body>{MENU}{search}<div id='content'>{STORY}</div></body></html>"
    text = _text(page)
    assert "Paragraph 3: the harbour board" in text
    assert "Section 1" not in text
    assert "Search the archive" not in text
