"""Front matter in text and Markdown exports: the headline, date and authors it states."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.pipeline.documents import Capture
from newsdesk.pipeline.extract import extract
from newsdesk.pipeline.front_matter import split_front_matter

BODY = (
    "BASRA, Iraq, Nov 20 (Reuters) - Protesters blocked roads in Basra on Thursday over salty "
    "tap water, the third week of demonstrations in Iraq's second city, where the Shatt al-Arab "
    "is turning brackish as upstream dams hold back the Tigris and Euphrates.\n\n"
    "Officials said tankers would bring drinking water to the worst-hit districts while the "
    "ministry looked for a lasting fix.\n"
)
EXPORT = (
    "---\n"
    'title: "Basra\'s water crisis deepens"\n'
    "date: 2026-11-20 09:30:00\n"
    "author: [Jane Roe, John Doe]\n"
    "description: Salty tap water sends protesters to the streets.\n"
    "canonical_url: https://example.org/basra-water\n"
    "lang: en\n"
    "---\n"
    "# Basra's water crisis deepens\n\n" + BODY
)


def test_an_export_states_its_headline_date_and_authors():
    draft = extract(Capture(content=EXPORT.encode(), content_type="text/plain", url="file:///basra.md"))
    assert draft.title == "Basra's water crisis deepens"  # not "title: …", and not repeated
    assert draft.published == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert draft.authors == ["Jane Roe", "John Doe"]
    assert draft.excerpt == "Salty tap water sends protesters to the streets."
    assert draft.canonical_url == "https://example.org/basra-water"
    assert draft.paragraphs[0].startswith("Protesters blocked roads")  # the dateline read off
    assert draft.wire.agency == "Reuters"


@pytest.mark.parametrize(
    "text",
    [
        "---\nA rule opens this text, and nothing closes it.\n\n" + BODY,
        "---\n: not yaml [\n---\n" + BODY,
        "---\n- a list\n- not a mapping\n---\n" + BODY,
        "Headline\n---\n" + BODY,  # a rule under a headline is not front matter
    ],
)
def test_anything_else_is_left_as_text(text):
    meta, rest = split_front_matter(text)
    assert meta is None and rest == text


def test_dates_in_every_shape_yaml_gives_them():
    for line, expected in [
        ("date: 2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
        ("date: '2026-11-20T09:30:00+03:00'", datetime(2026, 11, 20, 6, 30, tzinfo=UTC)),
        ("published: Thu, 20 Nov 2026 09:30:00 GMT", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("date: someday", None),
    ]:
        meta, _ = split_front_matter(f"---\ntitle: T\n{line}\n---\nBody.")
        assert meta.published == expected, line


def test_a_link_that_is_not_a_web_address_is_not_the_canonical_url():
    meta, rest = split_front_matter("---\ntitle: T\nurl: /posts/t\n---\nBody text.")
    assert meta.canonical_url == "" and rest == "Body text."


def test_a_plain_key_value_header_states_the_same():
    pelican = (
        "Title: Basra's water crisis deepens\n"
        "Date: 2026-11-20 09:30\n"
        "Authors: Jane Roe, John Doe\n"
        "Summary: Salty tap water sends protesters to the streets.\n"
        "Tags: iraq, water\n\n" + BODY
    )
    draft = extract(Capture(content=pelican.encode(), content_type="text/plain", url="file:///b.md"))
    assert draft.title == "Basra's water crisis deepens"
    assert draft.published == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert draft.authors == ["Jane Roe", "John Doe"]
    assert draft.excerpt == "Salty tap water sends protesters to the streets."
    assert draft.paragraphs[0].startswith("Protesters blocked roads")


def test_a_key_value_header_may_close_with_a_rule():
    meta, rest = split_front_matter("title: China, Iraq sign power deal\n---\n" + BODY)
    assert meta is not None and meta.title == "China, Iraq sign power deal"
    assert rest == BODY


@pytest.mark.parametrize(
    "text",
    [
        "Reuters: Iran said on Monday it would resume talks.\n\n" + BODY,  # a wire excerpt
        "Tags: iraq, water\nCategory: news\n\n" + BODY,  # keys, but no headline or date
        "Title: Basra's water crisis\nProtesters blocked roads on Thursday.\n\n" + BODY,
        "Update: the ministry has since responded.\n\n" + BODY,
    ],
)
def test_lines_that_only_look_like_a_header_stay_text(text):
    meta, rest = split_front_matter(text)
    assert meta is None and rest == text


def test_a_ruled_header_passes_over_keys_it_does_not_know():
    header = (
        "key: reuters-baghdad-blast\n"
        "site: https://www.reuters.com/world/blast-baghdad-market/\n"
        "published: 2026-01-06T12:05:00+00:00\n"
        "group: blast\n"
        "---\n"
    )
    meta, rest = split_front_matter(header + "Blast at Baghdad market kills four\n\n" + BODY)
    assert meta is not None and meta.title == ""  # the headline is the text's own first line
    assert meta.published == datetime(2026, 1, 6, 12, 5, tzinfo=UTC)
    assert meta.canonical_url == "https://www.reuters.com/world/blast-baghdad-market/"
    assert rest.startswith("Blast at Baghdad market kills four")
    unruled = header.replace("---\n", "\n")  # before a blank line, unknown keys are not metadata
    assert split_front_matter(unruled + BODY) == (None, unruled + BODY)
