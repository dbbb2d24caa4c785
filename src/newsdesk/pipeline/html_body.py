"""The article body of an HTML page: trafilatura's extraction, checked by readability's.

The cascade, in order (thresholds in `BodyOptions` and `html_merge.MergeOptions`):
1. trafilatura in its fast mode (its own readability/justext fallbacks off: we run a real
   second opinion below instead) gives the primary blocks.
2. readability-lxml gives the second opinion.
3. `html_merge.merge` keeps what they agree on and judges what only one of them saw.
4. When one side fails or finds nothing, the other's blocks are used as they are.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .html_blocks import Block, blocks_from_tree
from .html_merge import MergeOptions, merge
from .html_readability import ReadabilityFailed, readability_summary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BodyOptions:
    merge: MergeOptions = field(default_factory=MergeOptions)
    second_opinion: bool = True  # False: trafilatura alone (faster, less precise)


def parse_page(html: str) -> HtmlElement | None:
    """Parse a page once, as trafilatura does, for all the readers below to share."""
    return load_html(html)


def trafilatura_blocks(page: str | HtmlElement, url: str = "", consume: bool = False) -> list[Block]:
    """Blocks of trafilatura's fast extraction; [] when it finds no body.

    trafilatura prunes the tree it is given: a parsed `page` is copied first unless the
    caller hands it over (`consume=True`), which saves the copy.
    """
    if not isinstance(page, str) and not consume:
        page = copy.deepcopy(page)
    doc = trafilatura.bare_extraction(
        page,
        url=url or None,
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


def readability_blocks(page: str | HtmlElement) -> list[Block]:
    """Blocks of readability-lxml's summary; [] when it finds none."""
    try:
        return blocks_from_tree(readability_summary(page))
    except ReadabilityFailed as err:
        log.debug("readability found no body: %s", err)
        return []


def extract_body(page: str | HtmlElement, url: str = "", options: BodyOptions = BodyOptions()) -> list[Block]:
    """Return the article body of a page as blocks, possibly none.

    A parsed tree is consumed (trafilatura prunes it last): read anything else from it first.
    """
    if isinstance(page, str):
        page = parse_page(page)
        if page is None:
            return []
    second = readability_blocks(page) if options.second_opinion else []  # copies the tree
    primary = trafilatura_blocks(page, url, consume=True)
    if not options.second_opinion:
        return primary
    return merge(primary, second, options.merge)
