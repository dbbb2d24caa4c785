"""Front matter: the metadata block that opens Markdown and text exports. It says the
headline, the date and the author outright; read as text, its `title: …` line became the
headline, key and all. Two shapes are read:

  - YAML between `---` lines (Jekyll, Hugo, Obsidian, many CMS exports): a block that
    opens the text, closes within ``MAX_LINES`` lines and parses as a YAML mapping;
  - plain `Key: value` lines with no opening rule (Pelican, MultiMarkdown, hand-made
    dumps), ended by a blank line or a `---` rule: one key must be a headline or a
    date, and before a blank line every key must be one of ``HEADER_KEYS``. A wire
    excerpt such as "Reuters: Iran said…" names no such key, so it stays text.

Anything else is left to the text-dump segmenter as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import yaml

from .agencies import credited as canonical_agency
from .html_dates import parse_date

MAX_LINES = 60  # a header, not a document
MAX_CHARS = 8_000
_OPEN = "---"
_CLOSE = ("---", "...")
# Keys a delimiter-less header may hold (compared lower-cased): what Pelican and
# MultiMarkdown documents and CMS dumps write, and nothing a sentence would open with.
HEADER_KEYS = frozenset(
    """title headline date published pubdate published_at publishdate modified updated
    author authors byline description summary excerpt subtitle tags tag category categories
    keywords slug lang language url link canonical canonical_url source site site_name status agency
    credit
    template id
    """.split()
)
_ANCHOR_KEYS = frozenset({"title", "headline", "date", "published", "pubdate"})
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z_-]{0,20})[ \t]*:[ \t]*(.*?)\s*$")


@dataclass
class FrontMatter:
    title: str = ""
    published: datetime | None = None
    authors: list[str] = field(default_factory=list)
    excerpt: str = ""
    canonical_url: str = ""
    language: str | None = None
    credited_agency: str | None = None  # `agency:`, `source:` or `author:` naming a wire agency
    site_name: str | None = None  # `site:` or `source:` when it names the outlet, not its address


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """The front matter and the text after it; (None, text) when there is none."""
    stripped = text.lstrip("\ufeff \t\r\n")
    lines = stripped.split("\n")
    if not lines or lines[0].strip() != _OPEN:
        return _key_value_header(lines, text)
    for i, line in enumerate(lines[1:MAX_LINES + 1], start=1):
        if line.strip() in _CLOSE:
            block = "\n".join(lines[1:i])
            if len(block) > MAX_CHARS:
                return None, text
            try:
                data = yaml.safe_load(block)
            except yaml.YAMLError:
                return None, text
            if not isinstance(data, dict):
                return None, text
            return _read(data), "\n".join(lines[i + 1:])
    return None, text


def _key_value_header(lines: list[str], text: str) -> tuple[FrontMatter | None, str]:
    """A `Key: value` block opening the text; (None, text) unless one key is a headline or
    a date. Closed by a `---` rule, the block says it is metadata, so keys it does not
    know are passed over; ended by a mere blank line, every key must be known."""
    data: dict[str, str] = {}
    unknown = False
    for i, line in enumerate(lines[: MAX_LINES + 1]):
        ruled = line.strip() in _CLOSE
        if ruled or not line.strip():
            if not _ANCHOR_KEYS & data.keys() or (unknown and not ruled):
                return None, text
            return _read(data), "\n".join(lines[i + 1 :])
        match = _HEADER_LINE.match(line)
        if match is None:
            return None, text
        key = match.group(1).lower()
        if key in HEADER_KEYS:
            data[key] = match.group(2)
        else:
            unknown = True
    return None, text


def _read(data: dict) -> FrontMatter:
    keys = {str(k).lower(): v for k, v in data.items()}

    def first(*names):
        return next((keys[n] for n in names if keys.get(n) not in (None, "", [])), None)

    authors = first("authors", "author", "byline")
    if isinstance(authors, str):  # a plain header lists them on one line
        authors = [a for a in re.split(r"\s*[,;]\s*|\s+and\s+", authors) if a]
    url = first("canonical_url", "canonical", "url", "link", "source", "site")
    language = first("lang", "language")
    credits = [first("agency", "credit", "source"), *(authors or [])]
    return FrontMatter(
        title=_text(first("title", "headline")),
        published=_when(first("date", "published", "pubdate", "published_at", "publishdate")),
        authors=[_text(a) for a in authors or [] if _text(a)],
        excerpt=_text(first("description", "summary", "excerpt", "subtitle")),
        canonical_url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else "",
        language=_text(language) or None,
        site_name=next((_text(v) for v in (first("site_name", "site"), first("source"))
                        if _text(v) and "://" not in _text(v)), None),
        credited_agency=next((a for a in map(canonical_agency, map(_text, credits)) if a), None),
    )


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _when(value) -> datetime | None:
    """YAML reads `2026-01-06` as a date and `2026-01-06 10:00` as a datetime; a quoted
    date stays a string."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return parse_date(value) if isinstance(value, str) else None
