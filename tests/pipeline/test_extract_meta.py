"""Page metadata: dates made aware, authors that are people, titles without the site name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import lxml.html
import pytest

from newsdesk.pipeline.html_dates import parse_date
from newsdesk.pipeline.html_meta import clean_authors, read_meta


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "2019-11-21T17:04:11-05:00",
            datetime(2019, 11, 21, 17, 4, 11, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("2019-11-21T22:04:11Z", datetime(2019, 11, 21, 22, 4, 11, tzinfo=UTC)),
        (
            "2019-11-21T22:04:11.123+0100",
            datetime(2019, 11, 21, 22, 4, 11, 123000, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2012-01-02 10:15:00", datetime(2012, 1, 2, 10, 15, tzinfo=UTC)),  # no zone: UTC
        ("2012-01-02", datetime(2012, 1, 2, tzinfo=UTC)),
        ("Mon, 18 Nov 2019 10:00:00 GMT", datetime(2019, 11, 18, 10, tzinfo=UTC)),
        ("1574168580", datetime(2019, 11, 19, 13, 3, tzinfo=UTC)),
        ("November 19, 2019", datetime(2019, 11, 19, tzinfo=UTC)),
        ("2019-11-19T08:00:00 some junk", datetime(2019, 11, 19, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        ("1066-10-14", None),  # out of any news archive's range
        # An archive's wire story keeps its date: 1987 is old, not implausible.
        ("1987-03-02T10:00:00Z", datetime(1987, 3, 2, 10, tzinfo=UTC)),
        ("Mon, 02 Mar 1987 10:00:00 GMT", datetime(1987, 3, 2, 10, tzinfo=UTC)),
        ("26-FEB-1987 15:26:54.12", datetime(1987, 2, 26, 15, 26, 54, 120000, tzinfo=UTC)),
        ("1970-01-01T00:00:00Z", None),  # the Unix epoch: a system's "no date"
        ("0", None),
    ],
)
def test_parse_date(value, expected):
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.parametrize(
    "raw, expected",
    [
        (["By John Irish"], ["John Irish"]),
        (["Lisa Mascaro and Alan Fram, Associated Press"], ["Lisa Mascaro", "Alan Fram"]),
        (["CNN Wire Staff"], []),
        (["CNN Wire"], []),
        (["Email the author"], []),
        (["Reuters"], []),
        (["https://www.facebook.com/someone"], []),
        (["jane@example.com"], []),
        (["Анна Петрова"], ["Анна Петрова"]),
        (["Jane Doe", "jane doe"], ["Jane Doe"]),
    ],
)
def test_clean_authors(raw, expected):
    assert clean_authors(raw) == expected


@pytest.mark.parametrize(
    "head, body, title, site",
    [
        ("<title>Big story | The Courier</title>", "", "Big story", None),
        (
            '<title>Big story - The Courier</title><meta property="og:site_name" content="The Courier">',
            "",
            "Big story",
            "The Courier",
        ),
        (
            '<meta property="og:title" content="Declared title">',
            "<h1>Visible title</h1>",
            "Declared title",
            None,
        ),
        ("<title>Site</title>", "<h1>The only headline</h1>", "The only headline", None),
        (
            "<title>A title: with a subtitle that is long</title>",
            "",
            "A title: with a subtitle that is long",
            None,
        ),
    ],
)
def test_title_and_site(head, body, title, site):
    tree = lxml.html.document_fromstring(
        f"<html><head>{head}</head><body>{body}<p>x</p></body></html>"
    )
    meta = read_meta(tree)
    assert meta.title == title
    assert meta.site_name == site


def test_json_ld_graph_and_language():
    tree = lxml.html.document_fromstring(
        '<html lang="pt-BR"><head><script type="application/ld+json">{"@graph": ['
        '{"@type": "WebSite", "name": "Portal"}, {"@type": ["NewsArticle"], "headline": "Manchete",'
        '"datePublished": "2018-10-05T09:00:00-03:00", "author": {"@type": "Person", "name": "Clarissa Borba"},'
        '"publisher": {"@type": "Organization", "name": "Portal"}}]}</script>'
        '<link rel="canonical" href="/noticia/1"></head><body><p>x</p></body></html>'
    )
    meta = read_meta(tree, "https://portal.example/noticia/1?utm=x")
    assert meta.title == "Manchete"
    assert meta.authors == ["Clarissa Borba"]
    assert meta.published == datetime(2018, 10, 5, 9, tzinfo=timezone(timedelta(hours=-3)))
    assert meta.language == "pt"
    assert meta.site_name == "Portal"
    assert meta.canonical_url == "https://portal.example/noticia/1"
    assert "newsarticle" in meta.types
