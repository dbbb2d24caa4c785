"""Teaser blocks of a plain-text page ("Latest news", "Must read", "Related" …), by shape.

A site wraps every article in blocks that point at other articles. In a text dump they
keep one shape whatever the site calls them: a short heading line, then runs of
headline + excerpt pairs whose excerpt is cut with an ellipsis — or, at the foot of the
page, headings with bare headlines or with nothing at all after them. Shape is the
evidence; a short list of usual heading words only settles ties (a bare headline list
under a heading, or a heading inside the body).

`find_blocks(blocks)` returns the teaser blocks and the indices they cover, so the
segmenter can keep everything else as the article.
"""

from __future__ import annotations

import re

from .agencies import SIGN_OFF_RE
from .bylines import parse_byline
from .documents import Teaser, TeaserBlock

MAX_HEADING_WORDS = 6
MAX_HEADING_CHARS = 60
MAX_HEADLINE_CHARS = 220
MAX_HEADLINE_WORDS = 32
MIN_EXCERPT_CHARS = 15
MAX_EXCERPT_CHARS = 450
MAX_ITEMS = 40  # a longer run is a menu or an index; it also bounds the work per heading

# Usual heading words: a supporting signal only, never enough on its own mid-body
# (except for a one-line "Read more: <headline>").
HEADING_WORDS_RE = re.compile(
    r"^(?:latest(?:\s+news|\s+stories|\s+articles)?|must[\s-]+reads?|related(?:\s+\w+){0,2}|"
    r"recommended(?:\s+for\s+you|\s+to\s+you|\s+stories|\s+reading)?|read\s+more|more\s+(?:news|"
    r"stories|from|on|in|like\s+this)\b.*|most\s+(?:popular|read|viewed|shared|commented)|"
    r"popular(?:\s+now|\s+stories)?|trending(?:\s+now|\s+stories)?|top\s+stories|"
    r"(?:you\s+(?:might|may)\s+also\s+(?:like|enjoy)|also\s+read|see\s+also|read\s+next|"
    r"up\s+next|editor'?s?’?s?\s+picks?|don'?’?t\s+miss|in\s+case\s+you\s+missed\s+it|"
    r"featured(?:\s+stories)?|tags?|topics|share(?:\s+this)?(?:\s+article)?|advertisement|"
    r"sponsored(?:\s+content)?|from\s+around\s+the\s+web|what\s+to\s+read\s+next|"
    r"news\s+in\s+brief|headlines|recent\s+posts|sign\s+up\b.*|subscribe\b.*|newsletters?))\s*:?$",
    re.IGNORECASE,
)
# "Read more: Iran says …" as one line inside a body.
INLINE_TEASER_RE = re.compile(
    r"^(?P<heading>read\s+more|related|see\s+also|also\s+read|read\s+also|more|recommended"
    r"|watch|listen|don'?’?t\s+miss)\s*[:|»›>\-–—]\s*(?P<title>\S.{3,200})$",
    re.IGNORECASE,
)
_ELLIPSIS_RE = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*(?:»|›|>>)?\s*$")
_NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}[.)]?|[•·*\-–])\s+")
_NOT_HEADING_START_RE = re.compile(
    r"^(?:[(\-–—\"“‘']|by\s|(?:additional\s+)?(?:reporting|writing|editing|compiled)\b)",
    re.IGNORECASE,
)
_GLUE_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def is_excerpt(text: str) -> bool:
    """A teaser excerpt: a run of text cut short with an ellipsis."""
    return MIN_EXCERPT_CHARS <= len(text) <= MAX_EXCERPT_CHARS and bool(_ELLIPSIS_RE.search(text))


def is_headline(text: str) -> bool:
    """A line that may title a teaser: short, one line, not itself cut with an ellipsis."""
    return (
        3 <= len(text) <= MAX_HEADLINE_CHARS
        and len(text.split()) <= MAX_HEADLINE_WORDS
        and not _ELLIPSIS_RE.search(text)
        and SIGN_OFF_RE.match(text) is None
        and parse_byline(text) is None  # "By Sara Haddad" under a "Share" row is the byline
    )


def is_bare_headline(text: str) -> bool:
    """A headline standing alone in a list: no full stop, as a sentence would have."""
    return is_headline(text) and not text.rstrip().endswith((".", ",", ";", ":", ")"))


def is_heading(text: str) -> bool:
    """A block heading by shape: a few words, no sentence punctuation, no byline or credits."""
    text = text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text[-1] in '.,;!?"”’)…' or _ELLIPSIS_RE.search(text):
        return False
    if _NOT_HEADING_START_RE.match(text) or SIGN_OFF_RE.match(text):
        return False
    return any(ch.isalpha() for ch in text)


def is_heading_word(text: str) -> bool:
    return bool(HEADING_WORDS_RE.match(text.strip()))


def split_glued_headings(text: str) -> list[str]:
    """Split headings a dump glued together: "You might also likeRELATED" → two headings."""
    parts = [p.strip() for p in _GLUE_RE.split(text) if p.strip()]
    if (
        len(parts) > 1
        and all(is_heading(p) for p in parts)
        and (any(is_heading_word(p) for p in parts))
    ):
        return parts
    return [text.strip()]


def _headline_title(text: str) -> str:
    return _NUMBERED_RE.sub("", text).strip()


class _Shapes:
    """The shape of every block, computed once: the parsers below only look them up."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.n = len(blocks)
        self.word = [is_heading_word(b) for b in blocks]
        self.heading = [w or is_heading(b) for w, b in zip(self.word, blocks, strict=True)]
        self.headline = [is_headline(b) for b in blocks]
        self.bare = [h and is_bare_headline(b) for h, b in zip(self.headline, blocks, strict=True)]
        self.excerpt = [is_excerpt(b) for b in blocks]

    def pair_at(self, i: int, stop: int) -> bool:
        return i + 1 < stop and self.headline[i] and self.excerpt[i + 1]

    def scan(self, i: int, bare_ok: bool, stop: int) -> tuple[int, list[tuple[int, bool]]]:
        """Items after the heading at `i`: (end, [(index, is_pair)]); all pairs or all bare."""
        items: list[tuple[int, bool]] = []
        j = i + 1
        paired: bool | None = None
        while j < stop and len(items) < MAX_ITEMS:
            if paired is not False and self.pair_at(j, stop):
                items.append((j, True))
                paired, j = True, j + 2
            elif (
                bare_ok
                and paired is not True
                and self.bare[j]
                and not self.word[j]
                and not self.pair_at(j + 1, stop)
            ):
                items.append((j, False))
                paired, j = False, j + 1
            else:
                break
        return j, items

    def build(self, i: int, items: list[tuple[int, bool]]) -> list[TeaserBlock]:
        headings = split_glued_headings(self.blocks[i])
        teasers = tuple(
            Teaser(_headline_title(self.blocks[j]), self.blocks[j + 1].strip() if pair else "")
            for j, pair in items
        )
        out = [TeaserBlock(heading=h) for h in headings[:-1]]
        out.append(TeaserBlock(heading=headings[-1].rstrip(" :"), items=teasers))
        return out


def _tail_start(sh: _Shapes, start: int) -> tuple[int, list[TeaserBlock]]:
    """The earliest index from which the blocks are nothing but teaser blocks.

    One backward pass: a heading at i opens a block ending at e, and blocks[i:] is all
    teasers when blocks[e:] is. Returns (len(blocks), []) when the page ends in prose.
    """
    items_at: dict[int, list[tuple[int, bool]]] = {}
    next_at: dict[int, int] = {sh.n: sh.n}
    best = sh.n
    for i in range(sh.n - 1, start - 1, -1):
        if sh.heading[i]:
            end, items = sh.scan(i, bare_ok=True, stop=sh.n)
            if end in next_at:
                items_at[i], next_at[i], best = items, end, i
    out: list[TeaserBlock] = []
    i = best
    while i < sh.n:
        out.extend(sh.build(i, items_at[i]))
        i = next_at[i]
    return best, out


def find_blocks(blocks: list[str], start: int = 0) -> tuple[list[TeaserBlock], set[int]]:
    """Find teaser blocks in blocks[start:]: (the blocks, in page order; indices they cover).

    The foot of the page is the earliest heading from which everything parses as teaser
    blocks. Inside the page a heading counts only when teaser pairs follow it (or, for a
    usual heading word, bare headlines), and a "Read more: …" line is one teaser.
    """
    found: list[tuple[int, list[TeaserBlock]]] = []
    covered: set[int] = set()
    sh = _Shapes(blocks)
    tail_at, tail = _tail_start(sh, start)
    if tail:
        found.append((tail_at, tail))
        covered.update(range(tail_at, len(blocks)))
    i = start
    while i < tail_at:
        text = blocks[i]
        inline = INLINE_TEASER_RE.match(text)
        if inline and not _ELLIPSIS_RE.search(text) and len(text.split()) <= MAX_HEADLINE_WORDS:
            heading = " ".join(inline.group("heading").split()).capitalize()
            found.append((i, [TeaserBlock(heading, (Teaser(inline.group("title").strip()),))]))
            covered.add(i)
            i += 1
            continue
        if sh.heading[i]:
            end, items = sh.scan(i, bare_ok=sh.word[i], stop=tail_at)
            if items:
                found.append((i, sh.build(i, items)))
                covered.update(range(i, end))
                i = end
                continue
        i += 1
    found.sort(key=lambda pair: pair[0])
    return [block for _, parsed in found for block in parsed], covered
