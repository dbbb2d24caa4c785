"""Feeds: every format into one FeedEntry shape; broken and hostile documents refused."""

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.feeds import entry_identity, looks_like_feed, parse_feed

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
FEED_URL = "https://feeds.example.com/dir/feed"


def load(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.mark.parametrize(
    "name, kind, title, site_url, count",
    [
        ("rss20.xml", "rss", "News On Iran & Its Neighbours", "https://news.example.org/", 3),
        ("atom.xml", "atom", "Gulf Desk", "https://gulf.example.com/", 2),
        ("rdf10.xml", "rdf", "Wire Headlines", "https://wire.example.net/", 2),
        ("jsonfeed11.json", "json", "Caspian Notes", "https://caspian.example.org/", 3),
        ("jsonfeed10.json", "json", "Kurdistan Brief", "https://brief.example.com", 1),
        ("rss_cp1251.xml", "rss", "Новости Кавказа", "https://kavkaz.example.ru/", 2),
        ("malformed_dates.xml", "rss", "Dates Gone Wrong", "https://dates.example.org/", 5),
        ("truncated_after_items.xml", "rss", "Half Downloaded", "https://half.example.org/", 1),
        # RSS 0.91 with the Netscape DOCTYPE (an external DTD, no entity declarations)
        ("rss091_netscape.xml", "rss", "Old Wire Service", "http://oldwire.example.com/", 1),
        # not well-formed (a bare "&", an undeclared &nbsp;), but the entries are usable
        ("bozo_usable.xml", "rss", "Sloppy Publisher", "https://sloppy.example.org/", 1),
    ],
)
def test_formats(name, kind, title, site_url, count):
    feed = parse_feed(load(name), FEED_URL)
    assert (feed.kind, feed.title, feed.site_url, len(feed.entries)) == (
        kind,
        title,
        site_url,
        count,
    )
    assert looks_like_feed(load(name))
    for entry in feed.entries:
        assert len(entry.identity) == 64
        assert entry.published is None or entry.published.tzinfo is UTC
    assert len({e.identity for e in feed.entries}) == count


# (fixture, entry index) → expected fields, one row per thing the adapters normalise.
@pytest.mark.parametrize(
    "name, index, field, expected",
    [
        ("rss20.xml", 0, "title", "Iran group say US responsible for members in Iraq"),
        ("rss20.xml", 0, "authors", ("John Irish",)),
        ("rss20.xml", 0, "published", datetime(2012, 1, 6, 16, 45, 12, tzinfo=UTC)),  # +0100
        ("rss20.xml", 2, "published", datetime(2012, 1, 6, 3, 10, tzinfo=UTC)),  # -0500
        # a relative link is resolved against the feed's URL
        ("rss20.xml", 1, "url", "https://feeds.example.com/2012/01/06/turkey-sanctions/"),
        ("atom.xml", 0, "title", "Iraq & Kuwait reopen border crossing"),  # type="html"
        ("atom.xml", 0, "url", "https://feeds.example.com/dir/stories/iraq-kuwait-border.html"),
        ("atom.xml", 0, "authors", ("Aref Mohammed", "Ahmed Rasheed")),
        ("atom.xml", 0, "published", datetime(2012, 1, 6, 11, 30, tzinfo=UTC)),
        ("atom.xml", 1, "published", datetime(2012, 1, 5, 8, 0, tzinfo=UTC)),  # updated only
        ("rdf10.xml", 0, "published", datetime(2012, 1, 6, 9, 20, tzinfo=UTC)),
        ("rdf10.xml", 0, "authors", ("Dominic Evans",)),
        ("jsonfeed11.json", 0, "url", "https://feeds.example.com/posts/azerbaijan-gas"),
        ("jsonfeed11.json", 0, "authors", ("Lada Evgrashina",)),
        ("jsonfeed11.json", 0, "published", datetime(2012, 1, 6, 6, 0, tzinfo=UTC)),
        ("jsonfeed11.json", 1, "published", datetime(2012, 1, 5, 12, 0, tzinfo=UTC)),  # modified
        ("jsonfeed11.json", 1, "authors", ("Caspian Notes desk",)),  # the feed's authors
        ("jsonfeed11.json", 2, "published", datetime(2012, 1, 4, 8, 0, tzinfo=UTC)),  # no zone
        ("jsonfeed10.json", 0, "authors", ("Brief editors",)),  # 1.0 `author`
        ("rss_cp1251.xml", 0, "title", "Грузия и Армения открыли новый пограничный переход"),
        ("rss_cp1251.xml", 0, "authors", ("Нино Хатиашвили",)),
        ("rss_cp1251.xml", 1, "published", datetime(2012, 1, 5, 14, 40, tzinfo=UTC)),
        ("rss091_netscape.xml", 0, "title", "Kuwait parliament dissolved"),
        ("bozo_usable.xml", 0, "title", "Oman & Yemen talk border trade"),
        ("bozo_usable.xml", 0, "url", "https://sloppy.example.org/oman-yemen?a=1&b=2"),
    ],
)
def test_entry_fields(name, index, field, expected):
    entry = parse_feed(load(name), FEED_URL).entries[index]
    assert getattr(entry, field) == expected


def test_content_and_summary_kept_apart():
    entry = parse_feed(load("rss20.xml"), FEED_URL).entries[0]
    assert entry.content_html.startswith("<p>PARIS, Jan 6 (Reuters)")
    assert entry.summary.startswith("Reuters: The leader")
    json_text = parse_feed(load("jsonfeed11.json"), FEED_URL).entries[1]
    assert json_text.content_html == (
        "<p>ASHGABAT - Turkmenistan will vote on February 12.</p>"
        "<p>The president is expected to win.</p>"
    )


@pytest.mark.parametrize(
    "title, published",
    [
        ("No date at all", None),
        ("Nonsense date", None),
        ("Impossible day", None),
        ("Good date with an offset", datetime(2012, 1, 7, 1, 30, tzinfo=UTC)),
        ("Empty date", None),
    ],
)
def test_malformed_dates_become_none(title, published):
    entries = {e.title: e for e in parse_feed(load("malformed_dates.xml"), FEED_URL).entries}
    assert entries[title].published == published


@pytest.mark.parametrize(
    "name, reason, words",
    [
        ("truncated.xml", RejectReason.INVALID_FEED, "no entry could be read"),
        ("billion_laughs.xml", RejectReason.INVALID_FEED, "XML entities"),
        ("external_entity.xml", RejectReason.INVALID_FEED, "XML entities"),
        ("not_a_feed.html", RejectReason.INVALID_FEED, "not an RSS, Atom or JSON feed"),
    ],
)
def test_refused_documents(name, reason, words):
    start = time.monotonic()
    with pytest.raises(Rejected) as caught:
        parse_feed(load(name), FEED_URL)
    assert caught.value.reason is reason
    assert words in caught.value.message
    assert time.monotonic() - start < 1  # a bomb is refused, not expanded


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ', "not valid JSON"),
        (b'{"name": "not a feed"}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": {}}', "items"),
        (b"[1, 2, 3]", "not a JSON Feed"),
    ],
)
def test_refused_json_and_empty(content, words):
    with pytest.raises(Rejected) as caught:
        parse_feed(content)
    assert caught.value.reason is RejectReason.INVALID_FEED
    assert words in caught.value.message


def test_entity_declaration_in_utf16_is_refused():
    bomb = load("billion_laughs.xml").replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
    with pytest.raises(Rejected, match="XML entities"):
        parse_feed(bomb.decode("utf-8").encode("utf-16"))


def test_identity_chain_on_a_feed_that_repeats_its_guid():
    entries = parse_feed(load("duplicate_guids.xml"), FEED_URL).entries
    guid = "https://lazy.example.org/"
    assert entries[0].identity == entry_identity(guid, "https://lazy.example.org/a", "", "", False)
    assert entries[1].identity == entry_identity(guid, "https://lazy.example.org/b", "", "", False)
    assert entries[2].identity == entry_identity(
        "", "", "Third, no guid, no link", "Only text here."
    )
    assert len({e.identity for e in entries}) == 3


@pytest.mark.parametrize(
    "a, b, same",
    [
        # guid wins over everything else: the link or title may change, the entry is the same
        (("g1", "https://x/1", "Old title", ""), ("g1", "https://x/2", "New title", ""), True),
        (("g1", "", "", ""), ("g2", "", "", ""), False),
        # no guid: the link
        (("", "https://x/1", "A", "a"), ("", "https://x/1", "B", "b"), True),
        # neither: title + content
        (("", "", "A", "text"), ("", "", "A", "text"), True),
        (("", "", "A", "text"), ("", "", "A", "other text"), False),
        # rungs are tagged: a guid equal to a link is not the same entry as that link
        (("https://x/1", "", "", ""), ("", "https://x/1", "", ""), False),
        # whitespace around a guid is noise
        ((" g1\n", "", "", ""), ("g1", "", "", ""), True),
    ],
)
def test_entry_identity(a, b, same):
    assert (entry_identity(*a) == entry_identity(*b)) is same


def test_a_repeated_guid_falls_back_to_guid_and_link():
    unique = entry_identity("1", "https://x/a", "", "")
    repeated = entry_identity("1", "https://x/a", "", "", guid_unique=False)
    assert unique != repeated
    assert repeated != entry_identity("1", "https://x/b", "", "", guid_unique=False)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'<?xml version="1.0"?>\n<!-- hi -->\n<rss version="2.0"><channel/></rss>', True),
        (b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom"></feed>', True),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>", True),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', True),
        ('<?xml version="1.0"?><rss/>'.encode("utf-16"), True),
        (b"<!DOCTYPE html><html><head><title>rss</title></head></html>", False),
        (b'{"version": 2, "feed": true}', False),
        (b"Reuters: The leader of an Iranian dissident group", False),
        (b"", False),
        (b'<?xml version="1.0"?><opml version="2.0"/>', False),
    ],
)
def test_looks_like_feed(content, expected):
    assert looks_like_feed(content) is expected


def test_feed_without_url_keeps_absolute_links():
    feed = parse_feed(load("rss20.xml"))
    assert (
        feed.entries[0].url == "https://news.example.org/2012/01/06/iran-group-say-us-responsible/"
    )


def test_control_characters_in_entries_are_dropped():
    """A stray "&#0;" or a pasted form feed must not turn an entry's text into "binary"."""
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b"<item><title>Talks &#0;resume in Vienna</title><link>https://e.org/a</link>"
           b"<description>Envoys met\x0c again &amp;#0; today.</description>"
           b"<author>desk@e.org (Sara&#1; Vahdat)</author></item></channel></rss>")
    [rss_entry] = parse_feed(rss, FEED_URL).entries
    feed = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1",'
            b' "title": "Talks \\u0000resume", "content_text": "Envoys\\u0007 met"}]}')
    [json_entry] = parse_feed(feed, FEED_URL).entries
    for entry in (rss_entry, json_entry):
        text = entry.title + entry.summary + entry.content_html + "".join(entry.authors)
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text), repr(text)
    assert rss_entry.title == "Talks resume in Vienna"
    assert json_entry.title == "Talks resume"


def test_an_encoding_name_with_a_typo_is_read_past():
    """expat raised LookupError ("unknown encoding: UTC-8") in the entity check."""
    feed = (b'<?xml version="1.0" encoding="UTC-8"?><rss version="2.0"><channel><title>T</title>'
            b"<item><title>a</title><guid>1</guid></item></channel></rss>")
    assert [e.title for e in parse_feed(feed, FEED_URL).entries] == ["a"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        # a garbled declaration: feedparser raised UnicodeDecodeError
        (b'<?xml version="1.0"Zencoding="UT\xe0-)"?>\n<rss version="2.0"><channel>'
         b"<title>T</title></channel></rss>", RejectReason.INVALID_FEED),
        # JSON nested past Python's stack: RecursionError; now over the nesting budget
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100000
         + b"]" * 100000 + b"}", RejectReason.TOO_LARGE),
    ],
)
def test_garbled_feeds_are_refused_not_crashed(content, reason):
    with pytest.raises(Rejected) as caught:
        parse_feed(content, FEED_URL)
    assert caught.value.reason is reason


def test_an_entry_link_that_is_no_url_is_dropped():
    feed = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "home_page_url": '
            b'"http://[bad", "items": [{"id": "1", "url": "http://[bad", "title": "Talks"}]}')
    [entry] = parse_feed(feed, FEED_URL).entries
    assert entry.url == "" and entry.title == "Talks"


def test_entries_with_nothing_usable_are_handed_back_as_skipped():
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate></item>"
        b"<item><title>Kept</title><link>https://example.org/kept</link></item>"
        b"<item></item></channel></rss>"
    )
    parsed = parse_feed(feed, "https://example.org/rss")
    assert [e.title for e in parsed.entries] == ["Kept"]
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("entry 1 of 3", RejectReason.EMPTY), ("entry 3 of 3", RejectReason.EMPTY)]
    assert "only: published" in parsed.skipped[0].message
    assert "it is empty" in parsed.skipped[1].message
