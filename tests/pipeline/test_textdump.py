"""The text-dump segmenter: headline, breadcrumb, standfirst, body, teaser blocks cut.

The seed page (../shared/seeds) must come out exactly right; a fixture written in the
same shape checks the same things without it. Other fixtures cover other sites' shapes
as golden pairs (NAME.txt → NAME.expected.json, through segment and then wire.apply).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsdesk.pipeline import textdump, wire
from newsdesk.pipeline.documents import Dateline, Draft, Rejected, RejectReason
from newsdesk.pipeline.teasers import is_excerpt, is_heading, split_glued_headings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "000_f18d5bfb64b68b70.txt"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "textdump"
CASES = sorted(FIXTURES.glob("*.txt"))


def ingest(text: str) -> Draft:
    return wire.apply(textdump.segment(text))


def golden(text: str) -> dict:
    """Everything a text dump turns into, as plain data for the golden files."""
    try:
        draft = textdump.segment(text)
    except Rejected as rejected:
        return {"rejected": rejected.reason.value}
    applied = wire.apply(draft)
    return {
        "title": draft.title,
        "breadcrumb": draft.breadcrumb,
        "excerpt": draft.excerpt,
        "cut_blocks": [
            {"heading": b.heading, "items": [[t.title, t.excerpt] for t in b.items]}
            for b in draft.cut_blocks
        ],
        "segmented": draft.paragraphs,
        "wire": {
            "agency": applied.wire.agency,
            "byline": applied.wire.byline,
            "dateline": asdict(applied.wire.dateline) if applied.wire.dateline else None,
            "credits": applied.wire.credits,
        },
        "paragraphs": applied.paragraphs,
    }


TEASER_WORDS = ("Latest news", "Must read", "You might also like", "RELATED", "Recommended to you")


def check_seed_shape(draft: Draft, lede_start: str) -> None:
    body = draft.body
    assert draft.paragraphs[0].startswith(lede_start)
    assert body.count(lede_start) == 1, "the lede is kept exactly once"
    for word in TEASER_WORDS:
        assert word not in body
    for block in draft.cut_blocks:
        for teaser in block.items:
            assert teaser.title not in body
            assert teaser.excerpt not in body
    assert [b.heading for b in draft.cut_blocks] == list(TEASER_WORDS)
    assert [len(b.items) for b in draft.cut_blocks][2:] == [0, 0, 0]
    assert not any(p.startswith("By ") for p in draft.paragraphs)
    assert "(Reuters)" not in body and "Reporting" not in body and "Editing by" not in body


@pytest.mark.skipif(not SEED.exists(), reason=f"seed page absent: {SEED} (../shared/seeds)")
def test_seed():
    draft = ingest(SEED.read_text(encoding="utf-8"))
    assert draft.title == "Iran group say US responsible for members in Iraq"
    assert draft.breadcrumb == ["News On Iran & Its Neighbours", "Iraq"]
    assert draft.excerpt.startswith("Reuters: The leader of")
    assert draft.wire.agency == "Reuters"
    assert draft.wire.byline == ["John Irish"]
    assert draft.authors == ["John Irish"]
    assert draft.wire.dateline == Dateline(place="Paris", month=1, day=6, year=None)
    assert draft.wire.credits == "Reporting By John Irish; Editing by Roger Atwood"
    check_seed_shape(draft, "The leader of an Iranian dissident group in Iraq said on Friday")
    assert draft.paragraphs[-1].endswith("When the U.S. makes a promise it should keep it.”")
    assert draft.paragraphs[-1].startswith("“Ashraf is not a side issue,”")
    assert len(draft.paragraphs) == 15
    assert [len(b.items) for b in draft.cut_blocks] == [6, 2, 0, 0, 0]


def test_seed_shape_without_the_seed():
    text = (FIXTURES / "seed_shape_baghdad.txt").read_text(encoding="utf-8")
    draft = ingest(text)
    assert draft.title == "Iraq and Kurdish region agree to resume oil talks"
    assert draft.breadcrumb == ["Middle East News", "Iraq"]
    assert draft.excerpt.startswith("Reuters: Iraq's central government")
    assert draft.wire.agency == "Reuters"
    assert draft.wire.byline == ["Ahmed Rasheed"]
    assert draft.wire.dateline == Dateline(place="Baghdad", month=2, day=14, year=None)
    assert draft.wire.credits == (
        "Reporting By Ahmed Rasheed; Additional reporting by Ece Toksabay in Ankara; "
        "Editing by Jan Harvey"
    )
    check_seed_shape(draft, "Iraq's central government and the Kurdish regional administration")
    assert draft.paragraphs[-1].endswith(
        "“The pipeline is technically ready,” a Turkish energy official said."
    )
    assert len(draft.paragraphs) == 6
    assert [len(b.items) for b in draft.cut_blocks] == [3, 2, 0, 0, 0]


def test_golden_files_are_there():
    assert len(CASES) >= 4
    for case in CASES:
        assert case.with_suffix(".expected.json").exists(), f"write {case.stem}.expected.json"


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_golden(path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert golden(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n", "\ufeff\r\n\r\n"])
def test_empty_is_rejected(text):
    with pytest.raises(Rejected) as caught:
        textdump.segment(text.replace("\ufeff", ""))
    assert caught.value.reason is RejectReason.EMPTY


@pytest.mark.parametrize(
    "text",
    [
        "Latest news\n\nA headline here\n\nAn excerpt that is cut short with an ellipsis...\n",
        "Iran talks resume\n\nShare this\n",  # a headline and nothing to read
        "Most popular\n\n1. One headline\n\n2. Another headline\n\nRecommended to you",
    ],
)
def test_no_body_is_not_an_article(text):
    with pytest.raises(Rejected) as caught:
        textdump.segment(text)
    assert caught.value.reason is RejectReason.NOT_ARTICLE


BODY = (
    "The talks will resume next week in Geneva, officials from both delegations said on "
    "Friday, after a pause of three months."
)


@pytest.mark.parametrize(
    "blocks, crumbs, title",
    [
        (["Home › World › Asia", "Talks resume in Geneva"], ["Home", "World", "Asia"],
         "Talks resume in Geneva"),
        (["World / Middle East", "Talks resume in Geneva"], ["World", "Middle East"],
         "Talks resume in Geneva"),
        (["HomeWorldTalks resume in Geneva", "Talks resume in Geneva"], ["Home", "World"],
         "Talks resume in Geneva"),
        (["Talks resume in Geneva", "Talks resume in Geneva"], [], "Talks resume in Geneva"),
        (["Talks resume in Geneva"], [], "Talks resume in Geneva"),
        (["Politics", "Talks resume in Geneva"], ["Politics"], "Talks resume in Geneva"),
    ],
)  # fmt: skip
def test_head_shapes(blocks, crumbs, title):
    draft = textdump.segment("\n\n".join([*blocks, BODY]))
    assert (draft.breadcrumb, draft.title) == (crumbs, title)
    assert draft.paragraphs == [BODY]


@pytest.mark.parametrize(
    "glued, crumbs",
    [
        ("News On Iran & Its NeighboursIraq", ["News On Iran & Its Neighbours", "Iraq"]),
        ("HomeWorldMiddle East", ["Home", "World", "Middle East"]),
        ("NewsMcDonald Country", ["News", "McDonald Country"]),
        ("Home > World > Middle East", ["Home", "World", "Middle East"]),
        ("Iraq", ["Iraq"]),
    ],
)
def test_split_crumbs(glued, crumbs):
    assert textdump.split_crumbs(glued) == crumbs


def test_mid_body_teaser_block_is_cut_and_body_goes_on():
    text = "\n\n".join(
        ["Talks resume in Geneva", BODY, "Related", "Iran's rial hits a low",
         "The rial fell to a new low on the open market on Wednesday as…",
         "Protests spread", "Demonstrators took to the streets in at least five cities after…",
         "Diplomats said the agenda had not been fixed, and that a date for a second round "
         "would be set later."]
    )  # fmt: skip
    draft = textdump.segment(text)
    assert [b.heading for b in draft.cut_blocks] == ["Related"]
    assert [t.title for t in draft.cut_blocks[0].items] == [
        "Iran's rial hits a low",
        "Protests spread",
    ]
    assert len(draft.paragraphs) == 2 and draft.paragraphs[1].startswith("Diplomats said")


def test_body_subheadings_and_trailing_quotes_stay():
    text = "\n\n".join(
        ["Talks resume in Geneva", BODY, "What comes next",
         "Officials said they would meet again, but one added: “We will see...”",
         "A final paragraph says the talks may last for several weeks, diplomats said."]
    )  # fmt: skip
    draft = textdump.segment(text)
    assert draft.cut_blocks == []
    assert len(draft.paragraphs) == 4


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "The talks will resume next week in Geneva, officials from both\n"
        "delegations said on Friday, after a pause of three months, and the\n"
        "agenda is expected to include prisoner exchanges."
    )
    draft = textdump.segment(f"Talks resume in Geneva\n\n{wrapped}\n")
    assert draft.paragraphs == [" ".join(wrapped.split("\n"))]


WIRE_TEXT = """ 8-APR-1987 00:38:26.78

IRAQ SAYS IRAN SHELLED BASRA OVERNIGHT
    BAGHDAD, April 8 - Iraq said Iranian artillery shelled the
southern city of Basra overnight, killing four civilians and
wounding eleven, the official news agency said.
    Iraqi officials said the shelling came after Iran rejected
a ceasefire call made by the United Nations last week.
 Reuter
"""


def test_wire_layout_with_indented_paragraphs():
    """The classic wire layout: a date stamp, an ALL-CAPS headline, paragraphs opened by an
    indented line and hard-wrapped, a sign-off. It was refused as a 61-character body."""
    draft = ingest(WIRE_TEXT)
    assert draft.title == "IRAQ SAYS IRAN SHELLED BASRA OVERNIGHT"
    assert draft.published == datetime(1987, 4, 8, 0, 38, 26, 780000, tzinfo=UTC)
    assert draft.paragraphs == [
        "Iraq said Iranian artillery shelled the southern city of Basra overnight, killing "
        "four civilians and wounding eleven, the official news agency said.",
        "Iraqi officials said the shelling came after Iran rejected a ceasefire call made by "
        "the United Nations last week.",
    ]
    assert draft.wire.agency == "Reuters"
    assert draft.wire.dateline == Dateline(place="Baghdad", month=4, day=8)


@pytest.mark.parametrize("stamp", ["Published: 5 Jan 2024", "Posted on January 5, 2024",
                                   "2024-01-05"])
def test_a_date_line_above_the_text_is_its_date(stamp):
    draft = textdump.segment(f"{stamp}\n\nTalks resume in Geneva\n\n" + " ".join(
        ["The talks will resume next week in Geneva, officials said on Friday."] * 2))
    assert draft.title == "Talks resume in Geneva"
    assert draft.published.date() == date(2024, 1, 5)


def test_an_updated_line_is_not_the_publication_date():
    draft = textdump.segment("Updated: 5 Jan 2024\n\nTalks resume in Geneva\n\n"
                             "The talks will resume next week in Geneva, officials from both "
                             "delegations said on Friday after a pause.")
    assert draft.published is None


def test_an_indented_quotation_keeps_its_lines():
    """Indentation throughout (a quoted poem, a list) is not the wire layout."""
    text = "A poem read at the rally\n\n    Line one of the verse\n    Line two of the verse\n"
    assert textdump._lines_to_blocks(text)[1:] == ["Line one of the verse", "Line two of the verse"]


def test_windows_line_endings():
    draft = textdump.segment(f"Talks resume in Geneva\r\n\r\n{BODY}\r\n")
    assert (draft.title, draft.paragraphs) == ("Talks resume in Geneva", [BODY])


@pytest.mark.parametrize(
    "text, heading",
    [("Latest news", True), ("You might also like", True), ("RELATED", True),
     ("Most popular:", True), ("By John Irish", False), ("(Editing by Roger Atwood)", False),
     ("— AFP", False), ("Baghdad has repeatedly said it does not want the group.", False),
     ("Who Will Be the Loser?", False)],
)  # fmt: skip
def test_heading_shape(text, heading):
    assert is_heading(text) is heading


@pytest.mark.parametrize(
    "text, excerpt",
    [("Soon after the new US government started its obligations, hand in hand with...", True),
     ("The rial fell to a new low on the open market on Wednesday as…", True),
     ("Baghdad has repeatedly said it does not want the group on Iraqi soil.", False),
     ("Wait...", False)],
)  # fmt: skip
def test_excerpt_shape(text, excerpt):
    assert is_excerpt(text) is excerpt


def test_glued_headings_split():
    assert split_glued_headings("You might also likeRELATED") == ["You might also like", "RELATED"]
    assert split_glued_headings("Iran's McDonald Plan") == ["Iran's McDonald Plan"]


def test_url_is_kept():
    draft = textdump.segment(f"Talks resume in Geneva\n\n{BODY}", url="file:///dumps/a.txt")
    assert draft.url == "file:///dumps/a.txt"


def test_footer_link_rows_are_left_outside_the_article():
    footer = ["About us", "Contact", "Careers", "Advertise", "Privacy Policy", "Terms of Use",
              "Local News", "Sports", "Weather", "© 2019 Example Media. All rights reserved."]  # fmt: skip
    text = "\n\n".join(
        ["Talks resume in Geneva", "Updated 2 hours ago", BODY, "He declined to comment.",
         "Officials said a second round could follow in the spring, once both sides had "
         "consulted their capitals.", *footer]
    )  # fmt: skip
    draft = textdump.segment(text)
    assert draft.paragraphs == [
        BODY,
        "He declined to comment.",
        "Officials said a second round could follow in the spring, once both sides had "
        "consulted their capitals.",
    ]


def test_a_text_that_is_one_long_paragraph_is_all_body():
    """A wire take with no headline line: its words are the body, not a 40-word headline."""
    text = ("The radical Islamic group Hamas on Monday denounced U.S. President Bill Clinton's "
            "upcoming visit to the Gaza Strip but carefully avoided making any threats against "
            "him, saying the visit would not change the facts on the ground in the territories.")
    draft = textdump.segment(text)
    assert draft.paragraphs == [text]
    assert draft.title == ""  # extraction makes one from the first sentence


def test_a_lede_led_by_its_dateline_stays_when_a_line_ending_no_sentence_follows():
    # The wire's lede carries its dateline; read as furniture only, it scored nothing,
    # and a following "… as follows -" line then cut it from the article.
    text = (
        "---\ntitle: \"Bids awarded for crude oil\"\ndate: 1987-03-20\n---\n\n"
        "LOS ANGELES, March 20 - The U.S. Department of Energy said it has awarded bids "
        "for about 90,000 barrels per day of crude oil from the Elk Hills reserve in California.\n\n"
        "Successful bidders and the price per barrel according to the department are as follows -\n\n"
        "Texaco Trading and Transport 15,000 bpd at 15.79 dlrs, Beacon Oil Co 7,000 bpd at "
        "15.66 dlrs and Golden West Refining 8,110 bpd at 15.42 dlrs.\n"
    )
    draft = ingest(text)
    assert draft.paragraphs[0].startswith("The U.S. Department of Energy said")
    assert draft.wire.dateline is not None and draft.wire.dateline.place == "Los Angeles"
