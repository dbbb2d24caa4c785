"""The merge of trafilatura's and readability's bodies, rule by rule (see html_merge)."""

from __future__ import annotations

import lxml.html
import pytest

from newsdesk.pipeline.html_blocks import blocks_from_tree, plain_block, render_html
from newsdesk.pipeline.html_body import BodyOptions, looks_sound
from newsdesk.pipeline.html_furniture import drop_furniture
from newsdesk.pipeline.html_merge import MergeOptions, merge

P1 = "The central bank capped dollar withdrawals at 300 dollars a week on Monday, as banks reopened after a strike."
P2 = "The measure formalises restrictions that banks had imposed informally since protests erupted in October."
P3 = "Depositors have queued outside branches for weeks, and some have scuffled with staff as access to savings was cut."
P4 = (
    "The pound, officially pegged at around 1,507 to the dollar, has lost more than a third of its value on the "
    "parallel market since the summer, and importers say they can no longer pay suppliers abroad on time."
)
QUOTE = "“We are not leaving,” he said."
SHARE = "Like this story? Share it with a friend!"
TEASER = "Also on our site: Protesters return to the square despite the curfew"
MENU = "Home\nNews\nPolitics\nSport\nWeather\nContact us\nAbout\nArchive 2019\nArchive 2018"


def texts(*items: str):
    return [plain_block("p", t) for t in items]


@pytest.mark.parametrize(
    "primary, second, expected",
    [
        # 1-2: the span from the first to the last agreed block; edges seen by one side only go
        ([TEASER, P1, P2, P3, SHARE], [P1, P2, P3], [P1, P2, P3]),
        ([P1, QUOTE, P2, P3], [P1, P2, P3], [P1, QUOTE, P2, P3]),  # interior kept
        # 4: prose only the second opinion saw is added where it stands (a body split by ads)
        ([P1, P2], [P1, P2, P4], [P1, P2, P4]),
        ([P2, P3], [P4, P2, P3], [P4, P2, P3]),  # a lede outside the primary's container
        ([P1, P3], [P1, P4, P3], [P1, P4, P3]),  # a paragraph between two shared ones
        ([P1, P3], [P1, P2, P3], [P1, P3]),  # P2 is under the prose length: not added
        # a run that is mostly prose is body: its short sentences come along, not its labels
        (
            [P1, P2],
            [P1, P2, P4, "Jane Doe contributed to this report.", "Tags"],
            [P1, P2, P4, "Jane Doe contributed to this report."],
        ),
        (
            [P1, P2],
            [P1, P2, "Sign in.", "Register.", "Help.", "Jane Doe contributed to this report."],
            [P1, P2],
        ),
        ([P1, P2], [P1, P2, SHARE], [P1, P2]),  # one-sided boilerplate is not added
        # 5: no agreement: the side with more prose wins
        ([MENU], [P1, P2, P3, P4], [P1, P2, P3, P4]),
        ([P1, P2, P3, P4], [MENU], [P1, P2, P3, P4]),
        # a side with nothing
        ([P1, P2], [], [P1, P2]),
        ([], [P4, SHARE], [P4, SHARE]),  # the furniture pass, not the merge, judges SHARE
        ([], [], []),
    ],
)
def test_merge_rules(primary, second, expected):
    assert [b.text for b in merge(texts(*primary), texts(*second))] == expected


def test_a_list_between_two_shared_blocks_goes_in_whole():
    specs = [plain_block("li", "Engine: 3.3 V6"), plain_block("li", "Six-speed gearbox")]
    second = [plain_block("p", P1), *specs, plain_block("p", P3)]
    merged = merge(texts(P1, P3), second)
    assert [b.text for b in merged] == [P1, "Engine: 3.3 V6", "Six-speed gearbox", P3]
    # after the last shared block it is no longer inside the body both sides agree on
    tail = merge(texts(P1, P3), [plain_block("p", P1), plain_block("p", P3), *specs])
    assert [b.text for b in tail] == [P1, P3]


def test_multi_line_block_is_judged_line_by_line():
    primary = texts(MENU + "\n" + P1 + "\n" + P2 + "\nFacebook\nTwitter")
    merged = merge(primary, texts(P1, P2))
    assert [b.text for b in merged] == [P1, P2]


def test_giant_block_is_trimmed_to_what_both_saw():
    giant = f"| Amnesty. More than 100 killed November 20, 2019 {P1} {P2} {P3} Top stories The House voted Tuesday to recognise it."
    merged = merge(texts(giant), texts(P1, P2, P3))
    assert len(merged) == 1
    assert merged[0].text.startswith("The central bank capped")
    assert merged[0].text.endswith("access to savings was cut.")


def test_thresholds_are_options():
    strict = MergeOptions(prose_min_words=1000)
    assert [b.text for b in merge(texts(P1, P2), texts(P1, P2, P3, P4), strict)] == [P1, P2]


@pytest.mark.parametrize(
    "blocks, page_chars, sound",
    [
        ([P1, P2, P3], 400, True),
        ([P1, P2, P3], 10_000, False),  # holds under half the page's paragraph text
        ([TEASER, P1, P2], 400, False),  # an edge that is no sentence
        ([P1, P2, "Tags: Lebanon, banks, protests"], 400, False),
        ([P1, "two lines\nof text", P2], 400, False),
        ([], 0, False),
    ],
)
def test_looks_sound(blocks, page_chars, sound):
    assert looks_sound(texts(*blocks), page_chars, BodyOptions()) is sound


def test_blocks_keep_structure_and_render_safely():
    tree = lxml.html.fromstring(
        "<div><h1>Title</h1><p>Text with <em>stress</em> and <a href='/x' onclick='y()'>a link</a>.</p>"
        "<ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>"
        "<p><a href='javascript:evil()'>bad</a> link<script>evil()</script></p></div>"
    )
    blocks = blocks_from_tree(tree)
    assert [(b.kind, b.text) for b in blocks] == [
        ("h2", "Title"),
        ("p", "Text with stress and a link."),
        ("li", "one"),
        ("li", "two"),
        ("blockquote", "quoted"),
        ("p", "bad link"),
    ]
    assert render_html(blocks) == (
        '<h2>Title</h2>\n<p>Text with <em>stress</em> and <a href="/x">a link</a>.</p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>quoted</blockquote>\n<p>bad link</p>"
    )


@pytest.mark.parametrize(
    "body, expected",
    [
        # prompts and teaser links inside the body go, wherever they stand
        ([P1, "READ MORE: Protesters return to the square despite the curfew", P2], [P1, P2]),
        ([P1, "Related: Possible water plumes on Europa, in images", P2], [P1, P2]),
        ([P1, P2, "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube."], [P1, P2]),
        ([P1, P2, "Like this story? Share it with a friend!"], [P1, P2]),
        ([P1, P2, "Sign up for our Politics newsletter here."], [P1, P2]),
        ([P1, P2, "Write to Jane Doe at jane.doe@example.com"], [P1, P2]),
        ([P1, P2, "© 2019 Example News. All rights reserved."], [P1, P2]),
        ([P1, "Hong Kong 'threatened with Chinese military intervention' [VIDEO]", P2], [P1, P2]),
        # a label takes the headline-like run under it, and stops at prose
        (
            [
                P1,
                "DON'T MISS",
                "China furious at Macron over protest jibe",
                "Oil steady as traders wait",
                P2,
            ],
            [P1, P2],
        ),
        (
            [
                P1,
                P2,
                "You may also like...",
                "Who will make the Hall of Fame in 2020?",
                "Band takes over fan vote",
            ],
            [P1, P2],
        ),
        (
            [
                P1,
                P2,
                "Related posts",
                "Residents begin move to a new camp",
                P4[:120] + "...",
                "Envoy urges calm",
            ],
            [P1, P2],
        ),
        # not furniture: prose that starts like a prompt, and ordinary short lines
        (
            [
                P1,
                "Follow the money, the prosecutor told the jury on Tuesday, and you will find the motive.",
                P2,
            ],
            [
                P1,
                "Follow the money, the prosecutor told the jury on Tuesday, and you will find the motive.",
                P2,
            ],
        ),
        (
            [P1, "Sign up for a streaming account for $11.99 a month", P2],
            [P1, "Sign up for a streaming account for $11.99 a month", P2],
        ),
        ([P1, QUOTE, P2], [P1, QUOTE, P2]),
        # a copyright notice goes however long; a paragraph about copyright stays
        ([P1, P2, "© 2019 AFP. All rights reserved. " + P4 + " " + P4], [P1, P2]),
        (
            [P1, "Copyright law changed in 2019, and " + P4, P2],
            [P1, "Copyright law changed in 2019, and " + P4, P2],
        ),
    ],
)
def test_furniture_is_dropped(body, expected):
    assert [b.text for b in drop_furniture(texts(*body))] == expected
