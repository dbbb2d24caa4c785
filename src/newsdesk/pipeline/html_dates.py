"""Publication dates as pages state them: ISO 8601 and its common variants, made aware.

A date without a zone is taken as UTC (and so stored): a naive datetime would be read in
whatever zone the server runs in, which is worse than a known, possibly wrong, offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_RFC2822 = re.compile(r"^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")

# <meta> names and properties that carry the publication date, most trusted first.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")


def parse_date(value: str | None) -> datetime | None:
    """Parse an ISO-8601-ish date; a date without a zone is taken as UTC. None if unreadable."""
    if not value:
        return None
    text = value.strip()
    if _RFC2822.match(text):  # "Mon, 18 Nov 2019 10:00:00 GMT", as feeds and HTTP write dates
        try:
            return _aware(parsedate_to_datetime(text))
        except (TypeError, ValueError):
            return None
    if re.fullmatch(r"\d{10}(\d{3})?", text):  # epoch seconds or milliseconds
        stamp = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(stamp, tz=UTC)
    text = re.sub(r"\s*(?:Z|UTC|GMT)$", "+00:00", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0100 → +01:00
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})\s+", r"\1T", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _loose_date(text)
    return _aware(parsed)


# News archives reach back to the first dailies; a 1987 wire story is as dated as today's.
# Only the placeholders that systems write for "no date" are refused: the Unix epoch and
# the year 1 (a zero value), and anything past the end of the century.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _aware(parsed: datetime | None) -> datetime | None:
    """UTC for a date without a zone; None for a placeholder or a year no archive holds."""
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    aware = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None if aware == _EPOCH else aware


def _loose_date(text: str) -> datetime | None:
    for fmt in (
        "%a, %d %b %Y %H:%M:%S %z",
        "%a, %d %b %Y %H:%M:%S",
        "%d %B %Y",
        "%B %d, %Y",
        "%Y/%m/%d",
        "%d/%m/%Y",
        "%d-%b-%Y %H:%M:%S.%f",  # the wire's date stamp: " 8-APR-1987 00:38:26.78"
        "%d-%b-%Y %H:%M:%S",
        "%d-%b-%Y",
        "%b %d, %Y",
        "%B %d, %Y %H:%M",
        "%d %b %Y",
    ):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


_STATED_RE = re.compile(r"^(?:published|posted|date)\s*(?:on|at)?\s*:?\s*",
                        re.IGNORECASE)


def parse_stated_date(line: str) -> datetime | None:
    """A line of a text page that is nothing but a date, as printed: "Published: 5 Jan
    2024", "26-FEB-1987 15:26:54.12" (a wire's date stamp). None for any other line, and
    for "Updated: …", which says when the page changed, not when it was published."""
    text = _STATED_RE.sub("", " ".join(line.split()))
    if not text or len(text) > 40 or not re.search(r"\d{4}", text):
        return None
    return parse_date(text)


def first_date(values: list) -> datetime | None:
    for value in values:
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None
