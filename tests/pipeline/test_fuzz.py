"""Property-based tests of every parser that takes a stranger's bytes: whatever comes in,
each one answers (a result, or `Rejected` with a reason) and never raises anything else.

Bounded so the whole file runs in well under a minute: few examples each, no deadline
(the machine is shared), small inputs. A failing example Hypothesis finds is kept as a
regression test in `test_budgets.py` (see `@example` below for the ones found so far).
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdesk.pipeline import budgets
from newsdesk.pipeline.datelines import match_dateline
from newsdesk.pipeline.documents import Capture, Draft, ParsedFeed, Rejected, Skipped
from newsdesk.pipeline.extract import extract, extract_html
from newsdesk.pipeline.feeds import parse_feed
from newsdesk.pipeline.front_matter import split_front_matter
from newsdesk.pipeline.opml import parse_opml
from newsdesk.pipeline.sniff import KINDS, decode, sniff
from newsdesk.pipeline.textdump import segment
from newsdesk.pipeline.warc import read_warc

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=15)

# Markup-ish text: tags, entities, quotes and control characters in random order.
PIECES = st.sampled_from([
    "<", ">", "</", "/>", "<p>", "</p>", "<div>", "</div>", "<item>", "</item>", "<outline ",
    'xmlUrl="http://x.example/f"', "<title>", "</title>", "<![CDATA[", "]]>", "<!--", "-->",
    "&amp;", "&#x0;", "&lt;", '"', "'", "=", " ", "\n", "\x00", "\x0b", "é", "ض", "Reuters",
    "BAGHDAD, Jan 5 (Reuters) - ", "---\n", "title: x\n", "<?xml version='1.0'?>",
    "<rss version='2.0'><channel>", "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<opml version='2.0'><body>", "{", "}", "[", "]", '"version": "https://jsonfeed.org/version/1.1"',
])
markup = st.lists(PIECES, max_size=60).map("".join)
raw = st.one_of(st.binary(max_size=2000), markup.map(lambda s: s.encode("utf-8", "replace")))


@FUZZ
@given(raw, st.sampled_from(["", "text/html", "application/rss+xml", "text/plain"]),
       st.sampled_from(["", "a.html", "a.xml", "a.opml", "a.txt", "a.json", "a.warc"]))
def test_sniff_and_decode_answer_anything(content, content_type, name):
    assert sniff(content, content_type, name) in KINDS
    assert isinstance(decode(content, content_type), str)


@FUZZ
@given(raw)
@example(b"[" * 5000 + b"]" * 5000)  # deeper than Python's stack once parsed
@example(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 3000 + b"]" * 3000 + b"}")
def test_feeds_parse_or_refuse(content):
    try:
        parsed = parse_feed(content, "https://feeds.example/f")
    except Rejected as rejected:
        assert rejected.message
        return
    assert isinstance(parsed, ParsedFeed)


@FUZZ
@given(raw)
@example(b"<opml><body>" + b'<outline text="f">' * 3000 + b"</outline>" * 3000 + b"</body></opml>")
def test_opml_parses_or_refuses(content):
    try:
        outlines = parse_opml(content)
    except Rejected as rejected:
        assert rejected.message
        return
    assert all(o.feed_url for o in outlines)


WARC_HEAD = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/a\r\n"
             b"Content-Type: application/http; msgtype=response\r\n")


@FEW
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=400))
def test_warc_reads_or_refuses(tail, length):
    content = WARC_HEAD + b"Content-Length: %d\r\n\r\n" % length + tail
    try:
        for record in read_warc(io.BytesIO(content), max_record_bytes=10_000):
            assert isinstance(record, Capture | Skipped)
    except Rejected as rejected:
        assert rejected.message


@FUZZ
@given(markup)
def test_text_dumps_segment_or_refuse(text):
    try:
        draft = segment(text, url="file:///dump.txt")
    except Rejected as rejected:
        assert rejected.message
        return
    assert isinstance(draft, Draft)


@FUZZ
@given(st.one_of(markup, st.text(max_size=400)))
def test_front_matter_splits_anything(text):
    matter, rest = split_front_matter(text)
    assert isinstance(rest, str)


@FUZZ
@given(st.one_of(markup, st.text(max_size=300)))
def test_datelines_match_or_not(paragraph):
    match = match_dateline(paragraph)
    assert match is None or isinstance(match.place, str)


# Found by `bench hostile`'s garbled fixtures: a character reference without its ";" to a
# control character, which readability decoded and lxml then refused (ValueError).
CONTROL_REFERENCE = '    "Hom&#xe",'


def test_a_reference_to_a_control_character_is_refused_not_raised():
    with pytest.raises(Rejected):
        extract_html(CONTROL_REFERENCE, "https://x.example/a")


@FEW
@given(markup)
@example(CONTROL_REFERENCE)
def test_html_extraction_answers(page):
    try:
        draft = extract_html(page, "https://x.example/a")
    except Rejected as rejected:
        assert rejected.message
        return
    assert isinstance(draft, Draft)


@FEW
@given(raw)
def test_extract_answers_any_capture(content):
    try:
        extract(Capture(content=content, url="https://x.example/a"))
    except Rejected as rejected:
        assert rejected.message


# --- the budgets' own counting, against what a parser sees ------------------------------------

json_values = st.recursive(st.one_of(st.integers(), st.text(max_size=5), st.none()),
                           lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                  st.dictionaries(st.text(max_size=3), kids, max_size=3)),
                           max_leaves=30)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@FUZZ
@given(json_values)
def test_json_depth_is_the_parsed_depth(value):
    assert budgets.json_depth(json.dumps(value).encode()) == _depth(value)


@FUZZ
@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=30))
def test_markup_depth_and_attributes_are_counted(depth, attributes):
    attrs = " ".join(f'a{i}="v>{i}"' for i in range(attributes))  # '>' inside quotes
    doc = (f"<root {attrs}>" + "<x>" * depth + "</x>" * depth + "</root>").encode()
    count = budgets.count_markup(doc, html=False)
    assert (count.depth, count.elements) == (depth + 1, depth + 1)
    small = budgets.Budgets(max_attributes=1)  # counted only where a tag could be over
    assert budgets.count_markup(doc, html=False, budgets=small).attributes == attributes
