"""HTML or plain text → Draft: the one entry point of the extract stage.

    extract(capture)            sniff → decode → (HTML extractor | text segmenter) → wire parser
    extract_html(html, url)     the HTML extractor alone: body, metadata, sanitised body HTML

Every refusal is a `Rejected` with a reason (EMPTY, BINARY, UNSUPPORTED, NOT_ARTICLE,
TOO_SHORT), never a None: the caller stores the reason on the capture and goes on.
Thresholds live in `ExtractOptions`; nothing here reads global settings.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from . import budgets as work
from . import wire
from .documents import Capture, Draft, Rejected, RejectReason
from .html_blocks import Block, plain_block, render_html
from .html_body import BodyOptions, extract_body, parse_page
from .html_index import (
    ARTICLE_TYPES,
    IndexOptions,
    index_verdict,
    linked_headline_texts,
    teaser_headlines,
)
from .html_meta import read_meta
from .language import detect_language, primary_subtag
from .sniff import decode, inflate, sniff, strip_controls
from .textdump import segment

# A web page whose body is shorter than this (characters, after the wire furniture is cut)
# is not an article: a login form, a cookie wall or an error page leaves a line or two.
MIN_BODY_CHARS = 200
# A plain-text file of prose holds only what someone chose to save: no page furniture to
# mistake for an article, and its reader already asks for a real paragraph (twelve words or
# more). A wire brief of two sentences is an article there, so the floor is lower. A text
# with section headings or list items is a document (a README, notes, a list) whose prose
# part must reach the web page's floor.
MIN_TEXT_BODY_CHARS = 100
_DOCUMENT_STRUCTURE = re.compile(r"^(?:#{2,6}\s|\s*(?:[-*+]|\d{1,3}[.)])\s+\S)", re.MULTILINE)
# A page larger than this (characters of decoded HTML) is cut before parsing; article pages
# are rarely over 2 MB, and lxml's time and memory grow with the page.
MAX_HTML_CHARS = 5_000_000


@dataclass(frozen=True)
class ExtractOptions:
    """Thresholds of the extract stage, with the reasons in the constants above."""

    min_body_chars: int = MIN_BODY_CHARS
    min_text_body_chars: int = MIN_TEXT_BODY_CHARS
    max_html_chars: int = MAX_HTML_CHARS
    body: BodyOptions = field(default_factory=BodyOptions)
    index: IndexOptions = field(default_factory=IndexOptions)
    wire: bool = True  # run the wire parser (agency, byline, dateline, credits)
    budgets: work.Budgets = work.DEFAULT  # caps on nesting, elements, paragraphs … (budgets.py)


DEFAULT_OPTIONS = ExtractOptions()

# Captures that are sources of articles rather than articles, and who reads them.
_OTHER_READERS = {
    "feed": "the feed reader (pipeline.feeds.parse_feed)",
    "opml": "the OPML importer (pipeline.opml.parse_opml)",
    "warc": "the WARC reader (pipeline.warc.read_warc), which yields its records",
}


def extract(capture: Capture, options: ExtractOptions = DEFAULT_OPTIONS) -> Draft:
    """Turn one capture into a Draft, or raise Rejected saying why not."""
    kind = sniff(capture.content, capture.content_type, capture.url)
    if kind == "empty":
        raise Rejected(RejectReason.EMPTY, "the capture has no content")
    if kind == "binary":
        raise Rejected(
            RejectReason.BINARY,
            f"binary content ({capture.content_type or 'unknown type'}) is not an article",
        )
    if kind in _OTHER_READERS:
        raise Rejected(
            RejectReason.UNSUPPORTED,
            f"this is a {kind} file, not an article page: give it to {_OTHER_READERS[kind]} instead",
        )
    if kind == "json":
        work.check_json(capture.content, options.budgets)
        raise Rejected(
            RejectReason.UNSUPPORTED,
            "this is JSON but not a JSON Feed: data (an export, JSON lines), not an article page",
        )
    content = capture.content
    if content.startswith(b"\x1f\x8b"):  # a gzipped page: inflated within the byte cap
        content = inflate(content, options.budgets.max_bytes)
    text = strip_controls(decode(content, capture.content_type))
    blocks: list[Block] = []
    if kind == "html":
        draft, blocks = _html_draft(text, capture.url, options)
    else:
        work.check_text(text, options.budgets)
        draft = segment(text, url=capture.url)
    work.check_article(draft.paragraphs, options.budgets)
    if options.wire:
        draft = _apply_wire(draft, blocks)
    prose = kind != "html" and not _DOCUMENT_STRUCTURE.search(text)
    minimum = min(options.min_body_chars, options.min_text_body_chars) if prose else options.min_body_chars
    if len(draft.body) < minimum:
        raise Rejected(
            RejectReason.TOO_SHORT,
            f"the body has {len(draft.body)} characters, under the minimum of {minimum}",
        )
    if not draft.title.strip():
        draft.title = headline_from(draft.paragraphs)
    # The page's own declaration wins; else the text says (plain-text dumps declare nothing).
    draft.language = primary_subtag(draft.language) or detect_language(f"{draft.title}\n{draft.body}")
    return draft


HEADLINE_CHARS = 90  # a made-up headline is cut here, at a word
# A full stop after these is not the end of a sentence ("Mr. Rajavi", "Jan. 6", "Gen. Soleimani").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen col lt sgt capt maj adm rep sen gov st jr sr prof rev no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"“‘'(]?[A-Z0-9])")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def headline_from(paragraphs: list[str]) -> str:
    """A headline for a page that has none (a text dump with no title line): its first
    sentence, cut at a word. Readers need something to click; the body is kept whole."""
    first = " ".join((paragraphs[0] if paragraphs else "").split())
    sentence = _first_sentence(first).rstrip(".")
    if len(sentence) <= HEADLINE_CHARS:
        return sentence
    return sentence[:HEADLINE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence: not one after an initial ("U.S.")
    or an abbreviation ("Mr.", "Jan.")."""
    for end in _SENTENCE_END.finditer(text):
        word = _LAST_WORD.search(text, 0, end.start() + 1)
        last = word.group(1) if word else ""
        if (len(last) > 1 or last.isdigit()) and last.lower() not in _ABBREVIATIONS:
            return text[: end.start() + 1]
    return text


def extract_html(html: str, url: str = "", options: ExtractOptions = DEFAULT_OPTIONS) -> Draft:
    """Extract the article of one HTML page; raise Rejected(NOT_ARTICLE) for index pages."""
    return _html_draft(html, url, options)[0]


def _html_draft(html: str, url: str, options: ExtractOptions) -> tuple[Draft, list[Block]]:
    if len(html) > options.max_html_chars:
        html = html[: options.max_html_chars]
    if not html.strip():
        raise Rejected(RejectReason.EMPTY, "the page is empty")
    work.check_markup(html, html=True, budgets=options.budgets)  # before lxml sees it
    tree = parse_page(html)
    if tree is None:
        raise Rejected(RejectReason.NOT_ARTICLE, "the page cannot be parsed as HTML")
    meta = read_meta(tree, url)
    # Counted before the body extraction uses the tree up; a declared article needs no count.
    headlines = (
        0
        if meta.types & ARTICLE_TYPES
        else teaser_headlines(tree, options.index.min_headline_chars)
    )
    linked = (
        frozenset()
        if meta.types & ARTICLE_TYPES
        else linked_headline_texts(tree, options.index.min_headline_chars)
    )
    blocks = extract_body(tree, url, options.body, source_html=html)  # uses the tree up
    verdict = index_verdict(headlines, blocks, meta, options.index, linked)
    if verdict:
        raise Rejected(RejectReason.NOT_ARTICLE, f"not an article: {verdict}")
    if not blocks:
        raise Rejected(
            RejectReason.NOT_ARTICLE, "not an article: no article body found on the page"
        )
    blocks = _drop_title_block(blocks, meta.title)
    draft = Draft(
        title=meta.title,
        paragraphs=[b.text for b in blocks],
        excerpt=meta.excerpt,
        url=url,
        canonical_url=meta.canonical_url,
        breadcrumb=meta.breadcrumb,
        authors=meta.authors,
        published=meta.published,
        language=meta.language,
        site_name=meta.site_name,
        credited_agency=meta.credited_agency,
        body_html=render_html(blocks),
    )
    return draft, blocks


def _drop_title_block(blocks: list[Block], title: str) -> list[Block]:
    """Drop a leading heading that repeats the title: the Draft carries the title apart."""
    if (
        blocks
        and title
        and blocks[0].kind in ("h2", "h3", "h4", "p")
        and _fold(blocks[0].text) == _fold(title)
    ):
        return blocks[1:]
    return blocks


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold().strip(" .")


def _apply_wire(draft: Draft, blocks: list[Block]) -> Draft:
    """Run the wire parser, then rebuild body_html from the paragraphs it kept."""
    result = wire.apply(draft)
    if not blocks:
        return result
    by_text: dict[str, list[Block]] = {}
    for block in blocks:
        by_text.setdefault(block.text, []).append(block)
    kept: list[Block] = []
    for paragraph in result.paragraphs:
        found = by_text.get(paragraph)
        kept.append(found.pop(0) if found else plain_block("p", paragraph))
    return dataclasses.replace(result, body_html=render_html(kept))
