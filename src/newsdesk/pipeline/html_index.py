"""Is this page one article, or an index of many (a home, section, tag or search page)?

Extractors asked for "the body" of an index page still return something: the headlines and
teasers glued together, which then reads as one nonsense article. So an index page is
refused with a reason instead. The evidence, cheapest first:

1. the extracted body is mostly whole-paragraph links (a list of headlines), or mostly the
   text of the page's linked headlines (headings or whole-link list items) run together;
2. the page declares a list type (schema.org CollectionPage, ItemList, SearchResultsPage;
   not Blog, which blog themes declare on posts too) and no article type;
3. the page shows many linked headlines (h1-h4 around a link, or many <article> cards), does
   not declare itself an article (JSON-LD / og:type), and the body has little prose. Teaser
   excerpts cut with "…" are not prose. A short article beside a column of linked headlines
   (related stories, most read) shows the same counts, so a body with some prose but under
   the bar is an index only when it carries linked headlines itself (teaser cards: headline
   and excerpt); the article's body carries none of the column's;
4. the body is mostly such cut excerpts (search results, a tag page without links);
5. the headline is the name of a site's service page (a privacy policy, a cookie-consent
   wall, terms of use, a login, search results, "page not found"), and the page does not
   declare itself an article. Such pages are prose and pass every rule above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .html_blocks import Block
from .html_meta import ARTICLE_TYPES, PageMeta

# Page types that declare a list of other pages. Not schema.org "Blog": blog themes declare
# it around every page of a blog, single posts included (it names the site, not the page),
# so a page declaring it is judged by rule 3 like an undeclared one.
LIST_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*[\]\)»]?$")
# Whole headlines that name a page every site has besides its articles; matched on the
# headline alone, so a story that starts "Privacy policy changes …" is not one.
SERVICE_PAGE_RE = re.compile(
    r"(?:(?:our|your|we value your)\s+)?(?:privacy|cookies?|data protection|consent)"
    r"(?:\s+(?:policy|notice|statement|settings|preferences|choices|options|centre|center))?"
    r"|terms(?:\s+(?:and|&)\s+conditions)?|terms of (?:use|service)|conditions of use"
    r"|legal notice|imprint|impressum|accessibility(?: statement)?"
    r"|about|about us|contact|contact us|advertise(?: with us)?|careers|newsletters?"
    r"|subscribe|subscriptions?|sign in|sign up|log ?in|log ?out|register|my account"
    r"|search results(?:\s+for\b.*)?|search\s*:.*|search"
    r"|(?:error\s+)?404\b.*|page not found|not found|sorry,? (?:this|that) page .*",
    re.IGNORECASE,
)  # used with fullmatch: the whole headline, nothing more


@dataclass(frozen=True)
class IndexOptions:
    """Thresholds for calling a page an index; tuned so that no benchmark article trips them."""

    min_link_blocks: int = 5  # rule 1: at least this many whole-link blocks …
    link_block_share: float = 0.5  # … making up at least this share of the blocks
    min_teaser_headlines: int = 8  # rule 2: linked headlines (or <article> cards) on the page
    min_snippets: int = 5  # rule 4: at least this many cut excerpts …
    snippet_share: float = 0.6  # … making up at least this share of the blocks
    max_prose_words: int = 250  # rule 3: an index has less prose than this in its "body" …
    min_prose_alone: int = 100  # … and from this much prose on, it must also carry …
    min_carried_headlines: int = 3  # … at least this many of the page's linked headlines
    prose_line_words: int = 10  # a block counts as prose from this many words
    min_headline_chars: int = 15  # a linked heading shorter than this is navigation
    headline_text_share: float = 0.6  # rule 1b: share of the body that is linked headlines


def index_verdict(
    headlines: int,
    blocks: list[Block],
    meta: PageMeta,
    options: IndexOptions = IndexOptions(),
    linked_texts: frozenset[str] = frozenset(),
) -> str:
    """Return why the page is an index ("" when it reads as one article).

    `headlines` is `teaser_headlines(tree)` and `linked_texts` is `linked_headline_texts(tree)`,
    both taken from the page before extraction prunes it.
    """
    link_blocks = sum(1 for b in blocks if _whole_link(b))
    if link_blocks >= options.min_link_blocks and link_blocks >= options.link_block_share * len(
        blocks
    ):
        return f"the body is a list of {link_blocks} links, like a section or home page"
    if len(linked_texts) >= options.min_teaser_headlines:
        body = " ".join(" ".join(b.text for b in blocks).split())
        covered = sum(len(t) for t in linked_texts if t in body)
        if body and covered >= options.headline_text_share * len(body):
            return f"the body is {len(linked_texts)} linked headlines run together: an index page"
    snippets = sum(1 for b in blocks if _TRUNCATED.search(b.text))
    if snippets >= options.min_snippets and snippets >= options.snippet_share * len(blocks):
        return f"the body is {snippets} cut excerpts, like search results or a tag page"
    if meta.types & ARTICLE_TYPES:
        return ""
    if meta.title and SERVICE_PAGE_RE.fullmatch(" ".join(meta.title.split()).strip(" .:!")):
        return f"the page is the site's {meta.title!r} page, not an article"
    declared = meta.types & LIST_TYPES
    if declared:
        return f"the page declares itself a list ({', '.join(sorted(declared))})"
    if headlines < options.min_teaser_headlines:
        return ""
    prose = prose_words(blocks, options.prose_line_words)
    if prose >= options.max_prose_words:
        return ""
    if prose >= options.min_prose_alone:
        body = " ".join(" ".join(b.text for b in blocks).split())
        carried = sum(1 for text in linked_texts if text in body)
        if carried < options.min_carried_headlines:
            return ""  # a short article beside a column of headlines
    return f"{headlines} linked headlines and only {prose} words of prose: an index page"


def teaser_headlines(tree: etree._Element, min_chars: int) -> int:
    """Count headings that are links to other pages, or <article> cards, whichever is more."""
    linked = 0
    for heading in tree.xpath("//h1[.//a]|//h2[.//a]|//h3[.//a]|//h4[.//a]"):
        text = " ".join("".join(heading.itertext()).split())
        if len(text) >= min_chars:
            linked += 1
    cards = len(tree.xpath("//article"))
    return max(linked, cards if cards > 1 else 0)


def linked_headline_texts(tree: etree._Element, min_chars: int) -> frozenset[str]:
    """Texts of links of headline length in headings or as whole list items (not menus)."""
    texts = set()
    for node in tree.xpath("//h1[.//a]|//h2[.//a]|//h3[.//a]|//h4[.//a]|//li[a]"):
        text = " ".join("".join(node.itertext()).split())
        if len(text) >= min_chars:
            link = " ".join("".join(t for a in node.iter("a") for t in a.itertext()).split())
            if link == text:
                texts.add(text)
    return frozenset(texts)


def prose_words(blocks: list[Block], min_words: int) -> int:
    total = 0
    for block in blocks:
        text = block.text.strip()
        words = len(text.split())
        if words >= min_words and _SENTENCE_END.search(text) and not _TRUNCATED.search(text):
            total += words
    return total


def _whole_link(block: Block) -> bool:
    html = block.html.strip()
    return html.startswith("<a ") and html.endswith("</a>") and html.count("<a ") == 1
