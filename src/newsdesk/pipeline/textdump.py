"""Plain-text page dumps → Draft: breadcrumb, headline, standfirst, body, teaser blocks cut.

A text dump (a page saved as text, like the seed) has no markup to lean on, only
lines. Its shape is regular enough to read in four steps:

1. blocks: blank-line separated chunks; a chunk of hard-wrapped lines is joined, a chunk
   of short lines (headings glued by the dump) is kept line by line;
2. teaser blocks ("Latest news", "Must read" …) are found by shape (see `teasers`) and
   set aside first, so a page that is nothing else is refused as not an article;
3. the head: the headline is the line the dump repeats (the first line glues breadcrumb
   and headline, the next line is the headline alone), or a breadcrumb trail then a
   headline, or the first line; an agency-led standfirst (`Reuters: …`), or a sentence
   just above the byline, is the excerpt;
4. the body: the run of blocks below the headline that reads as prose (page furniture —
   date stamps, share rows, menus, footers — is left outside it), in order, still with
   byline, dateline and credits: `wire.apply` reads and cuts those for text and HTML
   drafts alike.
"""

from __future__ import annotations

import re
from datetime import datetime

from .agencies import SIGN_OFF_RE, agency_prefix
from .bylines import parse_byline
from .credits import RULE_RE, cut_credits
from .datelines import match_dateline
from .documents import Draft, Rejected, RejectReason
from .front_matter import split_front_matter
from .html_dates import parse_stated_date
from .teasers import find_blocks, is_heading, is_heading_word

WRAP_MIN_CHARS = 40  # lines of a hard-wrapped paragraph are at least this long …
WRAP_MAX_CHARS = 100  # … and at most this long (typical wrap widths are 65–80)
WRAP_SPREAD_CHARS = 25  # … and about equally long
MAX_TITLE_CHARS = 250
MAX_CRUMB_WORDS = 6
MAX_STANDFIRST_CHARS = 600
MIN_BODY_WORDS = 12  # the body needs at least one paragraph this long
MIN_SENTENCE_WORDS = 3  # "He declined to comment." counts as prose
FURNITURE_PENALTY = 8.0  # what a line that ends no sentence costs the article span
HEAD_LOOKBACK = 4  # page furniture above the article: look this far up for the headline
MIN_TITLE_WORDS = 2
MAX_TITLE_WORDS = 30

_CRUMB_SEP_RE = re.compile(r"\s*(?:›|»|>|/|\||·|•|→|::)\s*")
_GLUE_RE = re.compile(r"(?<=[a-z)])(?=[A-Z])")
_GLUE_KEEP = frozenset({"Mc", "Mac", "De", "Di", "Da", "La", "Le", "Du", "Van", "Von", "O"})
_DATE_LINE_RE = re.compile(
    r"^(?:(?:published|updated|posted|last updated)\b.*|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s.*\d.*|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}.*|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}.*|"
    r"\d{4}-\d\d-\d\d.*|.*\b\d+\s+(?:min|minute|hour|day)s?\s+(?:ago|read)\b.*)$",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", "”", '"', "’", "'", ")", "。", "！", "？", "」", "»")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _lines_to_blocks(text: str) -> list[str]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text):
        raw = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        indented = _indented_paragraphs(raw)
        if indented is not None:
            blocks.extend(indented)
            continue
        lines = [" ".join(line.split()) for line in raw]
        if not lines:
            continue
        if _hard_wrapped(lines):
            blocks.append(" ".join(lines))
        else:
            blocks.extend(lines)
    return blocks


def _indented_paragraphs(raw: list[str]) -> list[str] | None:
    """Paragraphs marked by an indented first line instead of a blank line, as typewritten
    wire copy and many plain-text archives are laid out: an indented line opens a
    paragraph and the flush lines after it carry it on. Lines above the first indented
    one (a headline) stay lines of their own. None when the chunk is not laid out so: it
    needs two indented lines and a flush line carrying one of them on (a chunk indented
    throughout, a quotation or a list, keeps the other rules)."""
    starts = [bool(line[:1].isspace()) for line in raw]
    carried = any(starts[i - 1] and not starts[i] for i in range(1, len(raw)))
    if sum(starts) < 2 or not carried:
        return None
    out: list[str] = []
    current: list[str] | None = None
    for line, start in zip(raw, starts, strict=True):
        if start or current is None:
            if current:
                out.append(" ".join(current))
            current = line.split()
            if not start:  # above the first indented line: a line of its own
                out.append(" ".join(current))
                current = None
        else:
            current.extend(line.split())
    if current:
        out.append(" ".join(current))
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """True when the lines are one paragraph wrapped at a fixed width.

    Two lines join only when the second carries on a sentence (starts in lower case),
    so a headline over its ellipsis excerpt stays two blocks.
    """
    if len(lines) < 2:
        return False
    body = [len(line) for line in lines[:-1]]
    if min(body) < WRAP_MIN_CHARS or max(body) > WRAP_MAX_CHARS:
        return False
    if len(lines) == 2:
        return lines[1][:1].islower() or lines[1][:1].isdigit()
    return max(body) - min(body) <= WRAP_SPREAD_CHARS


def split_crumbs(text: str) -> list[str]:
    """Split a breadcrumb trail: on separators (`Home › World`) or where a dump glued the
    crumbs (`News On Iran & Its NeighboursIraq` → two crumbs)."""
    text = text.strip()
    if not text:
        return []
    parts = [p for p in _CRUMB_SEP_RE.split(text) if p.strip()]
    if len(parts) > 1:
        return [" ".join(p.split()) for p in parts]
    crumbs: list[str] = []
    last = 0
    for match in _GLUE_RE.finditer(text):
        left = text[last : match.start()]
        word = left.split()[-1] if left.split() else ""
        if len(word) < 3 or word in _GLUE_KEEP:
            continue
        crumbs.append(left.strip())
        last = match.start()
    crumbs.append(text[last:].strip())
    return [c for c in crumbs if c]


def _title_like(text: str) -> bool:
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and not text.endswith(("...", "…"))
        and parse_byline(text) is None
        and agency_prefix(text) is None
    )


def _crumb_like(text: str) -> bool:
    if len(_CRUMB_SEP_RE.split(text)) > 1 and len(text) <= MAX_TITLE_CHARS:
        return all(len(p.split()) <= MAX_CRUMB_WORDS for p in _CRUMB_SEP_RE.split(text))
    return len(text.split()) <= 4 and is_heading(text)


def _words(text: str) -> int:
    """Words in `text`; for scripts written without spaces (CJK), two characters a word."""
    spaced = len(text.split())
    return max(spaced, len(_CJK_RE.findall(text)) // 2)


def _body_like(text: str) -> bool:
    """A paragraph of prose: long enough, and ending as a sentence does."""
    return _words(text) >= MIN_BODY_WORDS and text.rstrip().endswith(_SENTENCE_END)


def _furniture(text: str) -> bool:
    """A wire line the body keeps for `wire.apply`: byline, dateline, credits, sign-off."""
    found = match_dateline(text)
    return (
        parse_byline(text) is not None
        or agency_prefix(text) is not None
        or (found is not None and bool(found.agency or found.dateline.month))
        or cut_credits(text)[1] is not None
        or SIGN_OFF_RE.match(text) is not None
        or RULE_RE.match(text) is not None
    )


def _anchor(blocks: list[str]) -> int:
    """Index of the first block that belongs to the article: wire furniture or prose."""
    for index, text in enumerate(blocks):
        if _body_like(text) or _furniture(text):
            return index
    return len(blocks)


def _head(blocks: list[str]) -> tuple[list[str], str, int]:
    """Find (breadcrumb, title, index of the first block after the title).

    The seed's shapes first (the headline repeated, glued to its breadcrumb or not;
    a breadcrumb line then the headline). When page furniture (menus, banners) stands
    above the article, the headline is the last title-like line above its first
    paragraph, byline or dateline, and everything above the headline is dropped.
    """
    b = blocks
    if len(b) > 1 and b[0] == b[1]:
        return [], b[0], 2
    if len(b) > 1 and b[0].endswith(b[1]) and _title_like(b[1]):
        return split_crumbs(b[0][: -len(b[1])]), b[1], 2
    if len(b) > 2 and b[1] == b[2] and _crumb_like(b[0]):
        return split_crumbs(b[0]), b[1], 3
    anchor = _anchor(b)
    if anchor > HEAD_LOOKBACK:
        for k in range(anchor - 1, max(-1, anchor - 1 - HEAD_LOOKBACK), -1):
            if _headline_like(b[k]):
                crumbs = split_crumbs(b[k - 1]) if k and _crumb_trail(b[k - 1]) else []
                return crumbs, b[k], k + 1
        return [], "", anchor
    if (
        len(b) > 2
        and _crumb_like(b[0])
        and _title_like(b[1])
        and not b[1].endswith(".")
        and len(b[1]) > len(b[0])
        and not is_heading_word(b[0])
    ):
        return split_crumbs(b[0]), b[1], 2
    if _title_like(b[0]) and (len(b) > 1 or _words(b[0]) <= MAX_TITLE_WORDS):
        return [], b[0], 1
    return [], "", 0  # a text that is one long paragraph has no headline line: all body


def _headline_like(text: str) -> bool:
    words = len(text.split())
    return (
        _title_like(text)
        and MIN_TITLE_WORDS <= words <= MAX_TITLE_WORDS
        and not text.endswith((".", ":", "|"))
        and not is_heading_word(text)
        and not _DATE_LINE_RE.match(text)
    )


def _crumb_trail(text: str) -> bool:
    return len(_CRUMB_SEP_RE.split(text)) > 1 and _crumb_like(text)


def _article_span(blocks: list[str]) -> tuple[int, int]:
    """The run of blocks that is the article: (start, end), end exclusive.

    Each block scores its words when it ends as a sentence does, nothing when it is wire
    furniture, and a penalty otherwise (menu items, share rows, link lists); the article
    is the run with the highest total (a maximum-sum subarray, as in body-text
    extraction). Wire furniture at either edge (byline, credits) is kept with it.
    """
    best, best_span = 0.0, (0, len(blocks))
    total, start = 0.0, 0
    furniture = [_furniture(b) for b in blocks]
    for index, text in enumerate(blocks):
        if furniture[index] and not _body_like(text):
            score = 0.0
        elif text.rstrip().endswith(_SENTENCE_END) and _words(text) >= MIN_SENTENCE_WORDS:
            # prose, even led by a dateline ("LOS ANGELES, March 20 - The U.S. Department
            # of Energy said …"): scored 0 as furniture, the lede was lost whenever the
            # next line ended no sentence ("… are as follows -")
            score = float(_words(text))
        elif (_words(text) >= MIN_BODY_WORDS and index + 1 < len(blocks)
              and furniture[index + 1]):
            # a paragraph whose end was lost just above the sign-off or credits (a wire
            # take cut short) is still prose, at half weight
            score = _words(text) / 2
        else:
            score = -FURNITURE_PENALTY
        if total <= 0:
            total, start = 0.0, index
        total += score
        if total > best:
            best, best_span = total, (start, index + 1)
    start, end = best_span
    while start > 0 and furniture[start - 1]:
        start -= 1
    while end < len(blocks) and furniture[end]:
        end += 1
    return start, end


def _standfirst(blocks: list[str], at: int) -> bool:
    """True when blocks[at] is the page's standfirst rather than the first body paragraph."""
    if at >= len(blocks) - 1:
        return False
    text = blocks[at]
    if agency_prefix(text) is not None:
        return True
    return (
        len(text) <= MAX_STANDFIRST_CHARS
        and text.endswith(_SENTENCE_END)
        and parse_byline(blocks[at + 1]) is not None
    )


def segment(text: str, url: str = "") -> Draft:
    """Segment a plain-text page dump into a Draft (body still carries the wire furniture).

    Raises Rejected(EMPTY) for blank text and Rejected(NOT_ARTICLE) when no body is left
    once teaser blocks are set aside.
    """
    if not text or not text.strip():
        raise Rejected(RejectReason.EMPTY, "the text is empty; nothing to segment")
    meta, text = split_front_matter(text)
    stated, blocks = _take_date_lines(_lines_to_blocks(text))
    cut_blocks, covered = find_blocks(blocks)
    kept = [block for index, block in enumerate(blocks) if index not in covered]
    if not kept:
        raise Rejected(
            RejectReason.NOT_ARTICLE, "the page holds only teaser blocks (a list or index page)"
        )
    if meta is not None and meta.title:
        # The front matter says the headline; a first line repeating it ("# Title") goes.
        breadcrumb, title = [], meta.title
        at = 1 if _folded(kept[0].lstrip("#")) == _folded(title) else 0
    else:
        breadcrumb, title, at = _head(kept)
    excerpt = ""
    if at < len(kept) and _standfirst(kept, at):
        excerpt, at = kept[at], at + 1
    # page furniture around the article (date stamps, share rows, menus, footers) goes
    start, end = _article_span(kept[at:])
    paragraphs = kept[at + start : at + end]
    if not any(_words(p) >= MIN_BODY_WORDS for p in paragraphs):
        raise Rejected(
            RejectReason.NOT_ARTICLE,
            f"no paragraph of {MIN_BODY_WORDS}+ words after the headline; "
            "is this a list page or a stub?",
        )
    draft = Draft(
        title=title,
        paragraphs=paragraphs,
        excerpt=excerpt,
        url=url,
        breadcrumb=breadcrumb,
        cut_blocks=cut_blocks,
    )
    if meta is not None:
        draft.excerpt = draft.excerpt or meta.excerpt
        draft.authors = meta.authors
        draft.published = meta.published
        draft.canonical_url = meta.canonical_url
        draft.language = meta.language
        draft.credited_agency = meta.credited_agency
        draft.site_name = meta.site_name
    draft.published = draft.published or stated
    return draft


def _take_date_lines(blocks: list[str]) -> tuple[datetime | None, list[str]]:
    """The date a page states on a line of its own above its first paragraph (a wire's
    date stamp, "Published: 5 Jan 2024"), and the blocks without those lines, which are
    no headline. Lower down a date line is page furniture and stays for `_article_span`."""
    stated = None
    kept: list[str] = []
    for index, block in enumerate(blocks):
        if index <= HEAD_LOOKBACK + 1 and not any(_body_like(b) for b in kept):
            found = parse_stated_date(block)
            if found is not None:
                stated = stated or found
                continue
        kept.append(block)
    return stated, kept


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
