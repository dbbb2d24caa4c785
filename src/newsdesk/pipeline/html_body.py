"""The article body of an HTML page: trafilatura's extraction, checked by readability's.

The cascade, in order (thresholds in `BodyOptions` and `html_merge.MergeOptions`):
1. trafilatura in its fast mode (its own readability/justext fallbacks off: we run a real
   second opinion below instead) gives the primary blocks.
2. readability-lxml gives the second opinion.
3. `html_merge.merge` keeps what they agree on and judges what only one of them saw.
4. When one side fails or finds nothing, the other's blocks are used as they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import trafilatura

from .html_blocks import Block, blocks_from_tree
from .html_merge import MergeOptions, merge
from .html_readability import ReadabilityFailed, readability_summary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BodyOptions:
    merge: MergeOptions = field(default_factory=MergeOptions)
    second_opinion: bool = True  # False: trafilatura alone (faster, less precise)


def trafilatura_blocks(html: str, url: str = "") -> list[Block]:
    """Blocks of trafilatura's fast extraction; [] when it finds no body."""
    doc = trafilatura.bare_extraction(
        html,
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


def readability_blocks(html: str) -> list[Block]:
    """Blocks of readability-lxml's summary; [] when it finds none."""
    try:
        return blocks_from_tree(readability_summary(html))
    except ReadabilityFailed as err:
        log.debug("readability found no body: %s", err)
        return []


def extract_body(html: str, url: str = "", options: BodyOptions = BodyOptions()) -> list[Block]:
    """Return the article body of `html` as blocks (possibly empty: the caller decides)."""
    primary = trafilatura_blocks(html, url)
    if not options.second_opinion:
        return primary
    second = readability_blocks(html)
    return merge(primary, second, options.merge)
