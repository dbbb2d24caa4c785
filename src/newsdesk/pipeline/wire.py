"""The wire parser: agency, byline, dateline and credits of a draft, and the body cleaned.

It runs on every draft, whichever extractor made it (plain-text dump or HTML), in one
fixed order, because each step leans on the one before:

1. the excerpt: an agency-led standfirst (`Reuters: …`) names the agency;
2. the byline: the first `By …` paragraph near the top is parsed and removed;
3. the repeated lede: a paragraph near the top that repeats the dated lede after it
   (the standfirst printed again in the body) is dropped, so the lede stays once;
4. the dateline: `PARIS, Jan 6 (Reuters) – ` is cut from the lede; its agency counts
   when the excerpt named none;
5. the foot: credits `(Reporting by …; Editing by …)`, AP contributor lines, lone
   sign-offs (`— AFP`) and agency trailers are cut from the last paragraphs;
6. the authors: persons from the byline fill `authors` when the page gave none, and
   non-persons ("Reuters", "CNN Wire", "Email the author") are dropped from both.

Pure string work on a few paragraphs at each end, so it costs microseconds per draft.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .agencies import SIGN_OFF_RE, agency_prefix, canonical
from .bylines import clean_authors, parse_byline
from .credits import RULE_RE, cut_credits
from .datelines import DatelineMatch, match_dateline
from .documents import Draft, WireMeta

HEAD_WINDOW = 4  # paragraphs from the top searched for byline, repeated lede, dateline
TAIL_WINDOW = 4  # paragraphs from the foot searched for credits and trailers
MIN_REPEAT_CHARS = 40  # a shorter shared prefix is not evidence of a repeated lede


@dataclass(frozen=True)
class WireOptions:
    """Thresholds of the wire parser, passed explicitly (no global settings)."""

    head_window: int = HEAD_WINDOW
    tail_window: int = TAIL_WINDOW
    min_repeat_chars: int = MIN_REPEAT_CHARS


DEFAULT_OPTIONS = WireOptions()

# Boilerplate that agencies append below the story; cut only from the foot.
TRAILER_RES = (
    re.compile(r"^\s*Our Standards\s*:.*Trust Principles\.?\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?(?:Thomson\s+)?Reuters\b.*$", re.I),
    re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*\d{4}\s+(?:The\s+)?Associated Press\b.*$", re.I),
    re.compile(r"^\s*This material may not be published, broadcast, rewritten.*$", re.I),
    re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?(?:AFP|Agence France-Presse)\b.*$", re.I),
)
# "… said. Reuter" (the 1987 sign-off) or "… said. — AFP" glued to the last sentence.
_GLUED_SIGN_OFF_RE = re.compile(
    r"(?<=[.!?”\"])\s+(?:[-–—]+\s*(?P<a>AFP|AP|Reuters|IANS|PTI|ANI|dpa)|(?P<b>Reuter))\s*$"
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def _norm(text: str) -> str:
    """Fold a paragraph for comparison: case, quotes, dashes, spaces, trailing ellipsis."""
    text = " ".join(text.translate(_QUOTES).split()).casefold()
    return text.rstrip(" .…").rstrip()


def _repeats(candidate: str, lede: str, min_chars: int) -> bool:
    """True when `candidate` is the lede printed again (whole, or cut short with an ellipsis)."""
    a, b = _norm(candidate), _norm(lede)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) >= min_chars and longer.startswith(shorter)


def _unled(paragraph: str) -> str:
    """The paragraph without an agency prefix (`Reuters: `) or dateline."""
    led = agency_prefix(paragraph)
    if led:
        return led[1]
    found = match_dateline(paragraph)
    return paragraph[found.end :] if found else paragraph


def apply(draft: Draft, options: WireOptions = DEFAULT_OPTIONS) -> Draft:
    """Return a copy of `draft` with `wire` filled and the wire furniture cut from the body."""
    paragraphs = [p.strip() for p in draft.paragraphs if p and p.strip()]
    excerpt = draft.excerpt.strip()
    agency: str | None = None

    # 1. an agency-led standfirst
    led = agency_prefix(excerpt) if excerpt else None
    if led:
        agency = led[0]

    # 2. the byline
    people: list[str] = []
    for index, paragraph in enumerate(paragraphs[: options.head_window]):
        byline = parse_byline(paragraph)
        if byline is not None:
            people = byline.people
            agency = agency or byline.agency
            del paragraphs[index]
            break

    # 3 and 4. the dated lede, and any repeat of it above
    dated: DatelineMatch | None = None
    dated_at = 0
    for index, paragraph in enumerate(paragraphs[: options.head_window]):
        found = match_dateline(paragraph)
        # below the first paragraph only a strong dateline counts (a date or an agency)
        if found and (index == 0 or found.agency or found.dateline.month):
            dated, dated_at = found, index
            break
    lede_at = dated_at if dated else min(1, len(paragraphs) - 1)
    if paragraphs:
        lede_text = _unled(paragraphs[lede_at])
        kept: list[str] = []
        for paragraph in paragraphs[:lede_at]:
            if _repeats(_unled(paragraph), lede_text, options.min_repeat_chars):
                repeated = agency_prefix(paragraph)
                agency = agency or (repeated[0] if repeated else None)
                excerpt = excerpt or paragraph
            else:
                kept.append(paragraph)
        paragraphs = kept + paragraphs[lede_at:]
        lede_at = len(kept)
    if dated:
        paragraphs[lede_at] = paragraphs[lede_at][dated.end :].lstrip()
        agency = agency or dated.agency

    # 5. the foot
    credits: list[str] = []
    paragraphs, agency = _cut_foot(paragraphs, credits, agency, options)

    # 6. the authors; an agency the metadata gives as author or source is the weakest
    # credit ("author: Reuters" in front matter, a feed item's creator, "By Reuters Staff"),
    # read by the extractors into `credited_agency`
    agency = agency or draft.credited_agency
    authors = clean_authors(draft.authors, draft.site_name) if draft.authors else []
    if not authors:
        authors = list(people)

    wire = WireMeta(
        agency=agency,
        byline=people,
        dateline=dated.dateline if dated else None,
        credits="; ".join(credits) if credits else None,
    )
    return dataclasses.replace(
        draft, paragraphs=[p for p in paragraphs if p], excerpt=excerpt, authors=authors, wire=wire
    )


def _cut_foot(
    paragraphs: list[str], credits: list[str], agency: str | None, options: WireOptions
) -> tuple[list[str], str | None]:
    """Cut credits, rules, sign-offs and trailers from the last paragraphs.

    Walks up from the foot while it finds furniture; credits are kept in reading order.
    """
    paragraphs = list(paragraphs)
    floor = max(1, len(paragraphs) - options.tail_window)  # never eat the whole body
    index = len(paragraphs) - 1
    while index >= floor:
        paragraph = paragraphs[index]
        sign_off = SIGN_OFF_RE.match(paragraph)
        if sign_off:
            agency = agency or canonical(sign_off.group("agency"))
            del paragraphs[index]
        elif RULE_RE.match(paragraph) or any(t.match(paragraph) for t in TRAILER_RES):
            del paragraphs[index]
        else:
            rest, found = cut_credits(paragraph)
            if found is None:
                glued = _GLUED_SIGN_OFF_RE.search(paragraph)
                if glued:
                    agency = agency or canonical(glued.group("a") or glued.group("b"))
                    paragraphs[index] = paragraph[: glued.start()]
                    rest, found = cut_credits(paragraphs[index])
                    if found is None:
                        break
            if found is not None:
                credits.insert(0, found)
                if rest:
                    paragraphs[index] = rest
                    # a paragraph ending in credits closes the story; look no higher
                    break
                del paragraphs[index]
        index -= 1
    return paragraphs, agency
