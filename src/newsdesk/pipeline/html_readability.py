"""readability-lxml as a second opinion on where the article body is.

readability-lxml spends about 40 % of its time in lxml's general-purpose `Cleaner` (rewriting
every link to neutralise `javascript:` URLs), which matters for HTML it would serve but not
for us: we only read its choice of container and rebuild the body HTML ourselves from an
allow-list. So `_parse` is replaced with a removal of scripts, styles, comments and hidden
elements, which is what the scoring needs. The scoring itself is readability's, untouched.
"""

from __future__ import annotations

import copy

import lxml.html
from lxml import etree
from readability import Document
from readability.readability import REGEXES, Unparseable

_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
# Removed before scoring: what holds no prose at all, and figures, which hold captions we do
# not want in the body. Removing them first makes readability's per-element regex scoring
# about 20 % cheaper.
_DROP_TAGS = ("script", "style", "noscript", "link", "template", "iframe", "svg", "button", "select", "figure")
# Page furniture (header, nav, footer, aside, forms) usually holds no body either, and is
# removed too, but only where it holds less than this share of the page's text: some pages
# wrap everything in one of them (a whole-page <form> of older server frameworks, a
# <header> left open), and removing it would leave readability nothing to find.
_FURNITURE_TAGS = ("header", "footer", "nav", "aside", "form")
FURNITURE_MAX_SHARE = 0.5


class ReadabilityFailed(Exception):
    """readability-lxml could not make a summary of this page."""


class _FastDocument(Document):
    def __init__(self, input, source_html: str | None = None, **kwargs):  # noqa: A002
        super().__init__(input, **kwargs)
        # With the page's text at hand, a given tree is used up by the first pass and the
        # (rare) second pass parses the text again; without it, every pass works on a copy.
        self._source_html = source_html
        self._tree_unused = source_html is not None and not isinstance(input, str)

    def _parse(self, input):  # noqa: A002 - the name readability uses
        # summary() parses again for its second, lenient pass, which must start from the
        # whole page: a shared tree is copied, or the page's text parsed again.
        if self._tree_unused:
            doc, self._tree_unused = input, False
        elif isinstance(input, str) or self._source_html is not None:
            text = input if isinstance(input, str) else self._source_html
            doc = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
        else:
            doc = copy.deepcopy(input)
        self.encoding = "utf-8"
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in doc.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(elem.get("style")):
                elem.drop_tree()
        body = doc.find("body")
        root = body if body is not None else doc
        etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
        _drop_furniture(root)
        return doc


def _drop_furniture(root: lxml.html.HtmlElement) -> None:
    """Remove the outermost furniture elements that hold under FURNITURE_MAX_SHARE of the text."""
    found = list(root.iter(*_FURNITURE_TAGS))
    if not found:
        return
    limit = FURNITURE_MAX_SHARE * len(root.text_content())
    for elem in found:
        if elem.getparent() is None or any(a.tag in _FURNITURE_TAGS for a in elem.iterancestors()):
            continue  # already removed with an ancestor, or inside one that was kept
        if len(elem.text_content()) < limit:
            elem.drop_tree()


def readability_summary(
    html: str | lxml.html.HtmlElement, source_html: str | None = None
) -> lxml.html.HtmlElement:
    """Return readability's article element (a `<div>`), or raise ReadabilityFailed.

    `html` is the page's text or its parsed tree. A tree is left unchanged, unless the
    page's text is given as `source_html`: then the tree is used up (saving a copy).
    """
    if isinstance(html, str) and not html.strip():
        raise ReadabilityFailed("empty page")
    try:
        summary = _FastDocument(html, source_html=source_html).summary(html_partial=True)
    except Unparseable as err:
        raise ReadabilityFailed(str(err)) from err
    if not summary or not summary.strip():
        raise ReadabilityFailed("readability returned nothing")
    try:
        return lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, AssertionError, ValueError) as err:
        # lxml asserts (rather than raising) on a summary with no body: what readability
        # returns for a page cut off inside its <head>; and it refuses a control character
        # that readability decoded from a character reference ("Hom&#xe" → "Hom\x0e")
        raise ReadabilityFailed(str(err)[:200] or "readability returned no body") from err
