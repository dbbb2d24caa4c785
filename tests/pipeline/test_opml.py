"""OPML: subscriptions in, subscriptions out, and hostile files refused."""

from pathlib import Path

import pytest

from newsdesk.pipeline.documents import Outline, Rejected, RejectReason
from newsdesk.pipeline.opml import parse_opml, write_opml

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def test_parse_nested_folders():
    outlines = parse_opml((FEEDS / "subscriptions.opml").read_bytes())
    assert outlines == [
        Outline(
            "https://news.example.org/feed/",
            "News On Iran",
            "https://news.example.org/",
            "Iran & Its Neighbours",
        ),
        # the nearest folder is the category
        Outline(
            "https://gulf.example.com/atom.xml", "Gulf Desk", "https://gulf.example.com/", "Gulf"
        ),
        # lower-case attribute names, a title but no text
        Outline(
            "https://kavkaz.example.ru/rss",
            "Новости Кавказа",
            "https://kavkaz.example.ru/",
            "Caucasus",
        ),
        # the repeated https://news.example.org/feed/ is subscribed once
        Outline("https://wire.example.net/rss", "Wire Headlines", "", ""),
        # OPML 2.0 category attribute, when no folder says otherwise
        Outline("https://tagged.example.com/feed", "Tagged", "", "Levant"),
    ]


def test_round_trip():
    outlines = parse_opml((FEEDS / "subscriptions.opml").read_bytes())
    written = write_opml(outlines, "newsdesk subscriptions")
    assert written.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b"<title>newsdesk subscriptions</title>" in written
    assert parse_opml(written) == outlines


def test_write_escapes_and_groups():
    outlines = [
        Outline("https://a.example/feed?x=1&y=2", 'A "quoted" <name>', category="Iraq"),
        Outline("https://b.example/feed", category=""),
        Outline("https://c.example/feed", "C", category="Iraq"),
    ]
    written = write_opml(outlines, "T & U")
    assert b"x=1&amp;y=2" in written and b"<title>T &amp; U</title>" in written
    assert written.count(b'text="Iraq"') == 1  # one folder for both
    back = parse_opml(written)
    assert [o.feed_url for o in back] == [
        "https://a.example/feed?x=1&y=2",
        "https://c.example/feed",
        "https://b.example/feed",
    ]
    assert back[0].title == 'A "quoted" <name>'
    assert back[2].title == "https://b.example/feed"  # text falls back to the URL


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "not well-formed"),
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<opml><body><outline text="&b;" xmlUrl="https://x/"/></body></opml>',
            "refused",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://x/"/></body></opml>',
            "refused",
        ),
    ],
)
def test_refused(content, words):
    with pytest.raises(Rejected) as caught:
        parse_opml(content)
    assert caught.value.reason is RejectReason.INVALID_FEED
    assert words in caught.value.message


def test_empty_body_is_an_empty_list():
    assert parse_opml(b"<opml version='1.0'><head/><body/></opml>") == []


def test_an_unknown_declared_encoding_is_refused():
    with pytest.raises(Rejected) as caught:
        parse_opml(b'<?xml version="1.0" encoding="UTC-8"?><opml version="2.0"><head/><body/></opml>')
    assert caught.value.reason is RejectReason.INVALID_FEED


def test_written_lists_read_back_even_with_control_characters_in_titles():
    outlines = [Outline(feed_url="https://a.example/feed", title="Gulf\x0b desk\x1e", category="Ne\x08ws")]
    [back] = parse_opml(write_opml(outlines, "My\x00 feeds"))
    assert back.feed_url == "https://a.example/feed"
    assert back.title.split() == ["Gulf", "desk"] and back.category == "News"
