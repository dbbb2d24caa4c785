"""Work budgets: how much of a hostile document the pipeline agrees to read.

Parsers' time and memory grow with things an attacker (or a broken exporter) controls
freely: nesting depth (Python's recursion, lxml's tree), element count, attributes on one
element (libxml2 checks each new attribute against the others: 300,000 on one `<p>` ran
for over ten minutes), paragraphs and characters (spaCy refuses texts over a million
characters with E088, and tags a few thousand characters a millisecond). A budget is
counted on the text itself, before any parser sees it, in linear time: a document over
one is refused at once with `Rejected(TOO_LARGE)`, its message naming the cap and the
setting that raises it. No wall-clock timer is involved: the same input is refused on a
fast machine and a slow one.

The caps are plain numbers here (the pipeline reads no settings); `desk.budgets` fills
them from the `NEWSDESK_…` settings named in `SETTING`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Rejected, RejectReason

# Real documents sit well below each cap. Over the 2,100 benchmark pages, as counted
# here (tags alone, so broken markup counts high): depth at most 664 (unclosed tags),
# 8,124 elements, 3,407 attributes on one element (an unbalanced quote); news articles
# hold a few hundred paragraphs at most. libxml2 parses 10,000 attributes on one
# element in under a second, 30,000 in seven.
MAX_DEPTH = 1_000
MAX_NODES = 50_000
MAX_ATTRIBUTES = 10_000
MAX_PARAGRAPHS = 5_000
MAX_TEXT_CHARS = 2_000_000
ENTITY_CHARS = 50_000


@dataclass(frozen=True)
class Budgets:
    """The caps of one run; each one's setting is in `SETTING`."""

    max_depth: int = MAX_DEPTH  # nesting of JSON arrays/objects, XML and HTML elements
    max_nodes: int = MAX_NODES  # elements of one page, feed or OPML file
    max_attributes: int = MAX_ATTRIBUTES  # attributes on one element
    max_paragraphs: int = MAX_PARAGRAPHS  # paragraphs of one article
    max_text_chars: int = MAX_TEXT_CHARS  # characters of one article's body
    entity_chars: int = ENTITY_CHARS  # characters of an article read for names
    max_bytes: int = 10 * 1024 * 1024  # bytes a gzip stream may inflate to


DEFAULT = Budgets()

SETTING = {
    "max_depth": "NEWSDESK_MAX_NESTING",
    "max_nodes": "NEWSDESK_MAX_ELEMENTS",
    "max_attributes": "NEWSDESK_MAX_ATTRIBUTES",
    "max_paragraphs": "NEWSDESK_MAX_PARAGRAPHS",
    "max_text_chars": "NEWSDESK_MAX_TEXT_CHARS",
    "entity_chars": "NEWSDESK_ENTITY_CHARS",
    "max_bytes": "NEWSDESK_FETCH_MAX_BYTES",
}


def over(what: str, found: int, cap: int, field: str) -> Rejected:
    """The refusal of a document over one budget, naming the setting that raises it."""
    return Rejected(
        RejectReason.TOO_LARGE,
        f"{what}: {found:,} is over the cap of {cap:,} ({SETTING[field]}); refused unread",
    )


# --- JSON ----------------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKETS = re.compile(rb"[\[\]{}]+")
_OPENERS = frozenset(b"[{")


def json_depth(content: bytes, stop_at: int | None = None) -> int:
    """The deepest nesting of arrays and objects (strings skipped), read without parsing;
    stops counting once `stop_at` is passed. Linear in the document's size."""
    depth = deepest = 0
    for run in _JSON_BRACKETS.finditer(_JSON_STRING.sub(b"", content)):
        for byte in run.group():
            depth += 1 if byte in _OPENERS else -1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    return deepest
    return deepest


def check_json(content: bytes, budgets: Budgets = DEFAULT) -> None:
    """Raise when a JSON document nests deeper than the budget (before json.loads
    recurses into it: 100,000 nested arrays overflowed Python's stack)."""
    depth = json_depth(content, stop_at=budgets.max_depth)
    if depth > budgets.max_depth:
        raise over("JSON nesting depth", depth, budgets.max_depth, "max_depth")


# --- markup: XML (feeds, OPML) and HTML ---------------------------------------------------

# One tag: its slash, its name, what follows up to '>', and a closing '/'.
# A quoted value may hold '>' (a keywords <meta>): it does not end the tag.
_TAG = re.compile(rb"<(/?)([A-Za-z][^\s/>]*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_ATTRIBUTE = re.compile(rb"[^\s\"'=<>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
# What holds no elements: comments, CDATA sections (a feed's escaped HTML, read as a page
# of its own later) and, in HTML, the bodies of scripts and style sheets.
_NOT_MARKUP = re.compile(rb"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)", re.S)
_SCRIPT_BODIES = re.compile(
    rb"(<(script|style)\b[^>]*>).*?(?:</\2\s*>|$)", re.S | re.I)
# HTML elements that never close, or whose end tag may be left out: not nesting.
_HTML_UNNESTED = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd tr td th thead tbody tfoot option optgroup colgroup rb rt rp "
    b"html head body".split()
)
# Below this many characters a tag cannot hold more attributes than the cap allows.
_CHARS_PER_ATTRIBUTE = 2


@dataclass(frozen=True)
class MarkupCount:
    elements: int
    depth: int
    attributes: int  # the most on one element


def count_markup(content: bytes, html: bool, budgets: Budgets = DEFAULT) -> MarkupCount:
    """Count elements, nesting depth and the most attributes on one element of a markup
    document, by its tags alone (comments skipped). In HTML, void elements and those
    whose end tag may be left out (`<p>`, `<li>` …) do not count as nesting."""
    content = _NOT_MARKUP.sub(b" ", content)
    if html:
        content = _SCRIPT_BODIES.sub(rb"\1", content)
    elements = depth = deepest = most = 0
    for match in _TAG.finditer(content):
        closing, name, rest = match.groups()
        if closing:
            depth = max(0, depth - 1) if not (html and name.lower() in _HTML_UNNESTED) else depth
            continue
        elements += 1
        if len(rest) > budgets.max_attributes * _CHARS_PER_ATTRIBUTE:
            most = max(most, len(_ATTRIBUTE.findall(rest)))
        if rest.endswith(b"/") or (html and name.lower() in _HTML_UNNESTED):
            continue
        depth += 1
        deepest = max(deepest, depth)
    return MarkupCount(elements, deepest, most)


def check_markup(content: bytes | str, html: bool, budgets: Budgets = DEFAULT) -> None:
    """Raise when a page, feed or OPML file is over its element, nesting or attribute
    budget; the parsers behind (libxml2, feedparser, ElementTree) never see it."""
    if isinstance(content, str):
        content = content.encode("utf-8", "replace")
    count = count_markup(content, html, budgets)
    if count.depth > budgets.max_depth:
        raise over("element nesting depth", count.depth, budgets.max_depth, "max_depth")
    if count.elements > budgets.max_nodes:
        raise over("elements in the document", count.elements, budgets.max_nodes, "max_nodes")
    if count.attributes > budgets.max_attributes:
        raise over("attributes on one element", count.attributes, budgets.max_attributes,
                   "max_attributes")


# --- an article's text -----------------------------------------------------------------------

def check_article(paragraphs: list[str], budgets: Budgets = DEFAULT) -> None:
    """Raise when an extracted article has more paragraphs or characters than the budget:
    every stage after extraction (wire, places, copies, stories) reads all of it."""
    if len(paragraphs) > budgets.max_paragraphs:
        raise over("paragraphs in the article", len(paragraphs), budgets.max_paragraphs,
                   "max_paragraphs")
    chars = sum(len(p) for p in paragraphs)
    if chars > budgets.max_text_chars:
        raise over("characters in the article", chars, budgets.max_text_chars, "max_text_chars")


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def check_text(text: str, budgets: Budgets = DEFAULT) -> None:
    """Raise when a plain-text dump has more blank-line-separated blocks than an article
    has paragraphs: the segmenter weighs every block (200,000 took it 13 s)."""
    blocks = len(_BLANK_LINE.findall(text)) + 1
    if blocks > budgets.max_paragraphs:
        raise over("blocks of text (paragraphs)", blocks, budgets.max_paragraphs, "max_paragraphs")


def bounded_texts(texts: list[str], max_chars: int) -> list[str]:
    """The leading part of `texts` holding at most `max_chars` characters (a text that
    crosses the bound is cut at a space). Names are read from this part: spaCy refuses a
    text over its max_length (E088), and its time grows with the text."""
    kept: list[str] = []
    left = max_chars
    for text in texts:
        if len(text) <= left:
            kept.append(text)
            left -= len(text)
            continue
        cut = text[:left]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        if cut:
            kept.append(cut)
        break
    return kept
