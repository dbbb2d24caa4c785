"""The shared vocabulary of the pipeline: plain dataclasses passed between stages.

Every stage takes bytes or text and returns one of these; none of them knows about
Django or a database, so a stage can be tested, benchmarked and re-run alone.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Capture:
    """Raw input exactly as it was accepted: kept first, so everything after can be re-run."""

    content: bytes
    url: str = ""  # final URL after redirects, or file:///abs/path for local files
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None
    content_type: str = ""  # from the Content-Type header or guessed from the file name

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class RejectReason(enum.StrEnum):
    """Why an input produced no article; the CLI and the database store the value."""

    EMPTY = "empty"
    BINARY = "binary"
    NOT_ARTICLE = "not_article"  # an index/list page, or a page with no article body
    TOO_SHORT = "too_short"
    UNSUPPORTED = "unsupported"  # a format we do not read
    INVALID_FEED = "invalid_feed"
    TOO_LARGE = "too_large"
    FETCH_FAILED = "fetch_failed"
    REFUSED = "refused"  # the guard refused the address
    DUPLICATE = "duplicate"


class Rejected(Exception):
    """An input that is refused with a reason; callers report it and go on."""

    def __init__(self, reason: RejectReason, message: str):
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Dateline:
    """Where and when a wire story was filed. A missing year stays None: never invent one."""

    place: str
    month: int | None = None
    day: int | None = None
    year: int | None = None


@dataclass
class WireMeta:
    """Agency attribution and the furniture of a wire story."""

    agency: str | None = None  # "Reuters", "AFP", "AP" …
    byline: list[str] = field(default_factory=list)  # ["John Irish"]
    dateline: Dateline | None = None
    credits: str | None = None  # "Reporting By John Irish; Editing by Roger Atwood"


@dataclass(frozen=True)
class Teaser:
    """One item of a teaser block (Latest news, Must read …) cut away from a page."""

    title: str
    excerpt: str = ""


@dataclass(frozen=True)
class TeaserBlock:
    heading: str
    items: tuple[Teaser, ...] = ()


@dataclass
class Draft:
    """The article as extracted from one capture, before filing.

    `paragraphs` is the clean body; `excerpt` is the standfirst as the page shows it
    (agency-led for wire copy, e.g. "Reuters: The leader of …").
    """

    title: str
    paragraphs: list[str]
    excerpt: str = ""
    url: str = ""
    canonical_url: str = ""
    breadcrumb: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    # An agency the page's metadata gives as its author or source (`author: Reuters` in
    # front matter, a feed item's creator, "By Reuters Staff" above the body): a credit,
    # weaker than one printed in the text, which `wire.apply` reads first.
    credited_agency: str | None = None
    wire: WireMeta = field(default_factory=WireMeta)
    cut_blocks: list[TeaserBlock] = field(default_factory=list)
    body_html: str = ""  # sanitised HTML of the body when the source was HTML

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def lede(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of any feed format, normalised at the boundary."""

    identity: str  # guid → guid+link → link → title+content hash (see feeds.entry_identity)
    url: str
    title: str
    summary: str = ""
    content_html: str = ""
    published: datetime | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """One item inside a container (a feed's entry, a WARC record) that was passed over,
    and why. Readers hand these on beside what they could read, so the caller reports
    each one: a run whose every item was unusable must say so, not "nothing to do"."""

    where: str  # which item: "entry 2 of 3", or a WARC record's target URI
    reason: RejectReason
    message: str


@dataclass
class ParsedFeed:
    kind: str  # "rss", "atom", "json", "rdf"
    title: str
    site_url: str
    entries: list[FeedEntry]
    skipped: list[Skipped] = field(default_factory=list)  # entries with nothing usable


@dataclass(frozen=True)
class Outline:
    """One subscription in an OPML file."""

    feed_url: str
    title: str = ""
    site_url: str = ""
    category: str = ""


@dataclass(frozen=True)
class Place:
    """A country a story is about, with the weight of the evidence."""

    code: str  # ISO 3166-1 alpha-2, or a region-tree code such as "PS"
    salience: float
    evidence: tuple[str, ...] = ()  # surface forms that pointed to it


@dataclass
class Filing:
    """Countries an article is about, most salient first; the dateline is kept apart."""

    places: list[Place]
    dateline_country: str | None = None

    @property
    def primary(self) -> str | None:
        return self.places[0].code if self.places else None

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.places]


@dataclass
class Mention:
    """An entity found in an article, under its canonical name, with the names it went by."""

    name: str  # canonical name
    kind: str  # "person", "org", "place", "misc"
    aliases: tuple[str, ...] = ()  # surface forms seen in this article
    count: int = 1
    first_position: int = 0  # character offset of the first mention in title + body
