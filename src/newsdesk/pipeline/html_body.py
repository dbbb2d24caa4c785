"""The article body of an HTML page: trafilatura's extraction, checked by readability's.

The cascade, in order (thresholds in `BodyOptions` and `html_merge.MergeOptions`):
1. trafilatura in its fast mode (its own readability/justext fallbacks off: we run a real
   second opinion below instead) gives the primary blocks.
2. The primary is trusted alone when nothing about it looks like trafilatura's known
   failures: once furniture (step 5) is dropped, its first and last blocks read as prose
   (boilerplate sits at the edges and is short or unfinished), no block is a run of <br>-separated lines, and it holds at least
   half of the page's <p> text (less means a body split by ad rows, half of it missed).
   On the benchmark's dev pages a third of the pages pass, and F1 does not drop (it moves
   by under 0.001 for edge lengths 6-12 and coverages 0.4-0.6).
3. Otherwise readability-lxml gives a second opinion, and `html_merge.merge` keeps what the
   two agree on and judges what only one of them saw.
4. When one side fails or finds nothing, the other's blocks are used as they are.
5. Furniture both extractors let through (teaser links, prompts, notices) is dropped by
   `html_furniture.drop_furniture`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, fromstring
from trafilatura.utils import HTML_PARSER, load_html

from .html_blocks import Block, blocks_from_tree
from .html_furniture import FurnitureOptions, drop_furniture
from .html_merge import MergeOptions, merge
from .html_readability import ReadabilityFailed, readability_summary

log = logging.getLogger(__name__)

# The primary alone is trusted only if it holds at least this share of the page's <p> text …
TRUST_MIN_COVERAGE = 0.5
# … and its first and last blocks have at least this many words and end a sentence.
TRUST_EDGE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


@dataclass(frozen=True)
class BodyOptions:
    merge: MergeOptions = field(default_factory=MergeOptions)
    furniture: FurnitureOptions = field(default_factory=FurnitureOptions)
    second_opinion: bool = True  # False: trafilatura alone (faster, less precise)
    always_second_opinion: bool = False  # True: ask readability even when the primary looks sound
    trust_min_coverage: float = TRUST_MIN_COVERAGE
    trust_edge_words: int = TRUST_EDGE_WORDS


def parse_page(html: str) -> HtmlElement | None:
    """Parse a page once, with trafilatura's parser, for all the readers below to share.

    trafilatura's `load_html` repairs and re-tries, which costs a third more than the parse
    itself; it is kept for the pages lxml refuses as str (an XML encoding declaration).
    """
    try:
        return fromstring(html, parser=HTML_PARSER)
    except (ValueError, etree.ParserError):
        return load_html(html)


def trafilatura_blocks(page: str | HtmlElement, url: str = "") -> list[Block]:
    """Blocks of trafilatura's fast extraction; [] when it finds no body.

    trafilatura copies a tree it is given before pruning it, so the caller's stays whole.
    The "txt" output format only spares it rendering a text we do not read: we read its
    XML body.
    """
    doc = trafilatura.bare_extraction(
        page,
        url=url or None,
        output_format="txt",
        fast=True,
        with_metadata=False,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
    )
    if doc is None or doc.body is None:
        return []
    return blocks_from_tree(doc.body)


def readability_blocks(page: str | HtmlElement, source_html: str | None = None) -> list[Block]:
    """Blocks of readability-lxml's summary; [] when it finds none (see readability_summary)."""
    try:
        return blocks_from_tree(readability_summary(page, source_html))
    except ReadabilityFailed as err:
        log.debug("readability found no body: %s", err)
        return []


def extract_body(
    page: str | HtmlElement,
    url: str = "",
    options: BodyOptions = BodyOptions(),
    source_html: str | None = None,
) -> list[Block]:
    """Return the article body of a page as blocks, possibly none.

    A parsed tree is left as it was, unless the page's text comes with it as `source_html`:
    then the tree is used up by readability (read anything else from it first).
    """
    if isinstance(page, str):
        page, source_html = parse_page(page), page
        if page is None:
            return []
    if not options.second_opinion:
        return drop_furniture(trafilatura_blocks(page, url), options.furniture)
    page_chars = paragraph_chars(page)
    primary = trafilatura_blocks(page, url)
    cleaned = drop_furniture(primary, options.furniture)
    if not options.always_second_opinion and looks_sound(cleaned, page_chars, options):
        return cleaned
    merged = merge(primary, readability_blocks(page, source_html), options.merge)
    return drop_furniture(merged, options.furniture)


def paragraph_chars(tree: HtmlElement) -> int:
    """Characters of text in the page's <p> elements (an estimate: inner whitespace counts)."""
    return sum(len(p.text_content().strip()) for p in tree.iter("p"))


def looks_sound(blocks: list[Block], page_chars: int, options: BodyOptions) -> bool:
    """True when the primary shows none of the failure signs listed in the module docstring."""
    if not blocks:
        return False
    for edge in (blocks[0], blocks[-1]):
        text = edge.text.strip()
        if len(text.split()) < options.trust_edge_words or not _SENTENCE_END.search(text):
            return False
    if any("\n" in b.text for b in blocks):
        return False
    return sum(len(b.text) for b in blocks) >= options.trust_min_coverage * page_chars
