"""Feeds → `ParsedFeed`: RSS 0.9x/1.0/2.0, Atom and JSON Feed, normalised at the boundary.

One adapter per family (feedparser for the XML formats, our own for JSON Feed, which
feedparser does not read) turns a document into the same `FeedEntry` shape, so nothing
downstream knows which format an entry came from. At this boundary:

- XML that declares entities (billion laughs, external entities) is refused before
  any parser expands it;
- links are made absolute against the feed's URL;
- dates become aware UTC datetimes; a date that cannot be read becomes None — never
  "now", never a guess (a date without a zone is read as UTC, as feedparser does);
- each entry gets an identity from the fallback chain in `entry_identity`;
- a broken document is accepted when the parser still recovered entries, and refused
  with `Rejected(INVALID_FEED)` when it recovered none;
- an entry with nothing usable (no title, link, id or content) is not dropped silently:
  it goes to `ParsedFeed.skipped` with its reason, for the caller to report.

JSON Feed `content_html` is passed on as the publisher wrote it; feedparser sanitises
RSS/Atom HTML. Whoever renders `content_html` must sanitise it (the extractor does).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.parsers.expat
import xml.sax
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from newsdesk.pipeline import budgets as work
from newsdesk.pipeline.documents import FeedEntry, ParsedFeed, Rejected, RejectReason, Skipped
from newsdesk.pipeline.sniff import strip_controls

JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
SNIFF_BYTES = 4096  # how far looks_like_feed reads to find the root element

# feedparser's `version` → our `ParsedFeed.kind`. RSS 0.90 and 1.0 are RDF documents.
_KINDS = {"rss090": "rdf", "rss10": "rdf", "atom": "atom", "rss": "rss"}


class _RootReached(Exception):
    """The prolog is over: no DOCTYPE can follow, so the entity check can stop."""


class _EntitiesDeclared(Exception):
    pass


def refuse_entity_declarations(content: bytes) -> None:
    """Raise `Rejected(INVALID_FEED)` when the XML prolog declares entities.

    A feed has no business declaring entities, and declarations are what XML bombs are
    made of (billion laughs expands ten entities into gigabytes; an external entity
    reads local files). Only the prolog is parsed: the check stops at the root element.
    """

    def forbid(*_args) -> None:
        raise _EntitiesDeclared

    def stop(*_args) -> None:
        raise _RootReached

    parser = xml.parsers.expat.ParserCreate()
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.StartElementHandler = stop
    try:
        parser.Parse(content, True)
    except _RootReached:
        return
    except _EntitiesDeclared:
        raise Rejected(
            RejectReason.INVALID_FEED,
            "the document declares XML entities (the shape of an XML bomb); refused",
        ) from None
    except (xml.parsers.expat.ExpatError, LookupError, ValueError):
        # Not well-formed before the root element (an HTML page, an odd or unknown
        # declared encoding such as "UTC-8", a NUL):
        # the parsers after us cope with that, but none of them may see a declaration.
        if b"<!ENTITY" in content[: SNIFF_BYTES * 16]:
            raise Rejected(
                RejectReason.INVALID_FEED,
                "the document declares XML entities (the shape of an XML bomb); refused",
            ) from None


def entry_identity(guid: str, link: str, title: str, content: str, guid_unique: bool = True) -> str:
    """A stable id for an entry within its feed: sha256 hex of the first usable rung.

    1. guid — when the feed gives one and it is unique within the feed;
    2. guid + link — when the feed repeats a guid (broken feeds reuse "1" or the
       channel URL for every item), the link tells the items apart;
    3. link — when there is no guid;
    4. title + content — when there is neither (the hash changes if the text does:
       the best a feed without ids allows).
    Each rung is tagged, so a guid can never collide with a link of the same text.
    """
    guid, link = guid.strip(), link.strip()
    if guid and guid_unique:
        key = "guid\0" + guid
    elif guid and link:
        key = "guid+link\0" + guid + "\0" + link
    elif link:
        key = "link\0" + link
    elif guid:
        key = "guid\0" + guid
    else:
        key = "text\0" + title.strip() + "\0" + content.strip()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def looks_like_feed(content: bytes) -> bool:
    """True when `content` starts like RSS, RDF, Atom or JSON Feed (a cheap sniff)."""
    head = content[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"{"):
        return b"jsonfeed.org/version/" in head
    match = re.search(rb"<(?![?!])([A-Za-z_][\w.:-]*)", _strip_prolog(head))
    if not match:
        return False
    name = match.group(1).split(b":")[-1].lower()
    return name in (b"rss", b"feed", b"rdf")


def _strip_prolog(head: bytes) -> bytes:
    """Drop the XML declaration, comments, processing instructions and DOCTYPE."""
    head = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    head = re.sub(rb"<\?.*?\?>", b"", head, flags=re.S)
    return re.sub(rb"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", head, flags=re.S | re.I)


def parse_feed(content: bytes, url: str = "", budgets: work.Budgets = work.DEFAULT) -> ParsedFeed:
    """Parse any supported feed document; raise `Rejected` when it is not one we can use
    (TOO_LARGE when it is over a work budget: nesting, elements, attributes)."""
    if not content.strip():
        raise Rejected(RejectReason.INVALID_FEED, "the feed is empty")
    if content.removeprefix(b"\xef\xbb\xbf").lstrip().startswith((b"{", b"[")):
        work.check_json(content, budgets)
        return _parse_json_feed(content, url)
    refuse_entity_declarations(content)
    work.check_markup(content, html=False, budgets=budgets)
    return _parse_xml_feed(content, url)


# --- RSS, RDF and Atom (feedparser) --------------------------------------------------


def _parse_xml_feed(content: bytes, url: str) -> ParsedFeed:
    headers = {"content-location": url} if url else {}
    try:
        parsed = feedparser.parse(content, response_headers=headers)
    except (UnicodeDecodeError, LookupError, ValueError) as exc:  # a garbled encoding declaration
        raise Rejected(RejectReason.INVALID_FEED, f"the feed's encoding cannot be read: {exc}") from None
    version = parsed.get("version", "")
    if not version and not parsed.entries:
        detail = f" ({parsed.get('bozo_exception')})" if parsed.bozo else ""
        raise Rejected(RejectReason.INVALID_FEED, f"not an RSS, Atom or JSON feed{detail}")
    if parsed.bozo and not parsed.entries:
        raise Rejected(
            RejectReason.INVALID_FEED,
            f"the feed is broken and no entry could be read: {parsed.get('bozo_exception')}",
        )
    kind = next((k for prefix, k in _KINDS.items() if version.startswith(prefix)), "rss")
    feed = parsed.feed
    site_url = _absolute(url, feed.get("link", ""))
    guids = [e.get("id", "").strip() for e in parsed.entries]
    broken = parsed.get("bozo_exception") if parsed.bozo else None
    entries, skipped = [], []
    for n, (raw, guid) in enumerate(zip(parsed.entries, guids, strict=True), start=1):
        entry = _feedparser_entry(raw, guid, guids.count(guid) == 1, url or site_url)
        if entry is not None:
            entries.append(entry)
        else:
            skipped.append(_empty_entry(n, len(guids), _present_fields(raw), broken))
    return ParsedFeed(kind=kind, title=_title(feed), site_url=site_url, entries=entries,
                      skipped=skipped)


def _present_fields(raw) -> list[str]:
    """The fields an unusable entry did carry (its date, author, categories …), to say so."""
    derived = ("_detail", "_parsed")
    return [k for k, v in raw.items() if v and not k.endswith(derived) and k not in ("authors", "links")]


def _empty_entry(n: int, total: int, present: list[str], broken: BaseException | None) -> Skipped:
    """The report of an entry with no title, link, id or content: nothing to show, nothing
    to identify it by. A document that broke off (truncated, not well-formed) says where,
    since the break is the likely cause."""
    had = f"it has only: {', '.join(present)}" if present else "it is empty"
    message = f"entry {n} of {total} has no title, link, id or content ({had}); skipped"
    if isinstance(broken, xml.sax.SAXException):
        message += f"; the document is not well-formed XML: {broken}"
    return Skipped(where=f"entry {n} of {total}", reason=RejectReason.EMPTY, message=message)


def _feedparser_entry(raw, guid: str, guid_unique: bool, base: str) -> FeedEntry | None:
    link = _absolute(base, raw.get("link", ""))
    title = _title(raw)
    summary = raw.get("summary", "") or ""
    contents = raw.get("content") or []
    html_parts = [c.get("value", "") for c in contents if "html" in c.get("type", "")]
    content_html = (
        html_parts[0] if html_parts else (contents[0].get("value", "") if contents else "")
    )
    if not (guid or link or title or summary or content_html):
        return None  # an empty <item/>: nothing to show, nothing to identify it by
    if content_html and summary == content_html:
        summary = ""  # feedparser copies content into summary when there is none
    names = [a.get("name", "") for a in raw.get("authors", []) if a.get("name")]
    if not names and raw.get("author"):
        names = [raw["author"]]
    title, summary, content_html = strip_controls(title), strip_controls(summary), strip_controls(content_html)
    return FeedEntry(
        identity=entry_identity(guid, link, title, content_html or summary, guid_unique),
        url=link,
        title=title,
        summary=summary,
        content_html=content_html,
        # dict.get: skip FeedParserDict's deprecated published→updated key aliasing.
        published=_struct_time_utc(
            dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
        ),
        authors=tuple(dict.fromkeys(n for n in (strip_controls(n).strip() for n in names) if n)),
    )


def _struct_time_utc(value) -> datetime | None:
    """feedparser gives UTC struct_time; a date it could not read is already None."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# --- JSON Feed 1.0 / 1.1 ---------------------------------------------------------------


def _parse_json_feed(content: bytes, url: str) -> ParsedFeed:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Rejected(RejectReason.INVALID_FEED, f"not valid JSON: {exc}") from None
    except RecursionError:  # "[[[[…" nested deeper than Python's stack: no feed is
        raise Rejected(RejectReason.INVALID_FEED, "JSON nested too deeply to be a feed") from None
    if (
        not isinstance(data, dict)
        or str(data.get("version", "")).rstrip("/") not in JSON_FEED_VERSIONS
    ):
        raise Rejected(
            RejectReason.INVALID_FEED,
            "JSON, but not a JSON Feed (no version https://jsonfeed.org/version/1 or /1.1)",
        )
    items = data.get("items")
    if not isinstance(items, list):
        raise Rejected(RejectReason.INVALID_FEED, "a JSON Feed needs an `items` list")
    base = url or _str(data.get("feed_url"))
    site_url = _absolute(base, _str(data.get("home_page_url")))
    feed_authors = _json_authors(data)
    guids = [_str(item.get("id")) if isinstance(item, dict) else "" for item in items]
    entries, skipped = [], []
    for n, (item, guid) in enumerate(zip(items, guids, strict=True), start=1):
        if not isinstance(item, dict):
            skipped.append(Skipped(
                where=f"entry {n} of {len(items)}", reason=RejectReason.INVALID_FEED,
                message=f"entry {n} of {len(items)} is a JSON {_JSON_TYPES.get(type(item), 'value')}, "
                        "not an object; skipped"))
            continue
        link = _absolute(base, _str(item.get("url")) or _str(item.get("external_url")))
        title = _str(item.get("title"))
        content_html = _str(item.get("content_html"))
        text = _str(item.get("content_text"))
        if not content_html and text:
            content_html = "".join(
                f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip()
            )
        summary = _str(item.get("summary"))
        if not (guid or link or title or content_html or summary):
            present = [k for k, v in item.items() if v not in (None, "", [], {})]
            skipped.append(_empty_entry(n, len(items), present, None))
            continue
        entries.append(
            FeedEntry(
                identity=entry_identity(
                    guid, link, title, content_html or summary, guids.count(guid) == 1
                ),
                url=link,
                title=title,
                summary=summary,
                content_html=content_html,
                published=_iso_utc(item.get("date_published"))
                or _iso_utc(item.get("date_modified")),
                authors=_json_authors(item) or feed_authors,
            )
        )
    return ParsedFeed(
        kind="json", title=_str(data.get("title")), site_url=site_url, entries=entries,
        skipped=skipped,
    )


_JSON_TYPES = {str: "string", int: "number", float: "number", bool: "boolean", list: "array",
               type(None): "null"}


def _json_authors(obj: dict) -> tuple[str, ...]:
    """`authors` (1.1) or `author` (1.0) → names."""
    raw = obj.get("authors")
    if not isinstance(raw, list):
        raw = [obj.get("author")]
    names = [_str(a.get("name")) for a in raw if isinstance(a, dict)]
    return tuple(dict.fromkeys(n for n in names if n))


def _iso_utc(value) -> datetime | None:
    """RFC 3339 → aware UTC datetime; anything unreadable → None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


# --- small helpers -----------------------------------------------------------------------


def _str(value) -> str:
    """JSON values in the wild: ids are numbers, titles null; make them text."""
    if value is None or isinstance(value, dict | list):
        return ""
    return strip_controls(str(value)).strip()


def _title(obj) -> str:
    """A title as plain text: Atom's type="html" titles still carry markup and entities."""
    title = obj.get("title", "") or ""
    if "html" in (obj.get("title_detail") or {}).get("type", ""):
        title = html.unescape(re.sub(r"<[^>]*>", "", title))
    return " ".join(title.split())


def _absolute(base: str, link: str) -> str:
    link = link.strip()
    if not link:
        return ""
    try:
        return urljoin(base, link) if base else link
    except ValueError:  # not a URL at all ("http://[bad"): the entry keeps no link
        return ""
