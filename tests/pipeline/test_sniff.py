"""sniff() decides by content first; decode() gets legacy charsets right."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsdesk.pipeline.sniff import KINDS, charset_of, decode, sniff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"

RSS = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Feed</title></channel></rss>'
ATOM = b'<?xml version="1.0"?>\n<!-- generated -->\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'
RDF = b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
JSONFEED = (
    b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "title": "My feed",\n  "items": []\n}'
)
OPML = b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>subs</title></head><body/></opml>'
HTML = b"<!DOCTYPE html>\n<html><head><title>Page</title></head><body><p>Hello</p></body></html>"
XHTML = b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>'
TEXT = "Iran group say US responsible\n\nReuters: The leader of an Iranian dissident group said on Friday …".encode()


@pytest.mark.parametrize(
    "content, content_type, name, kind",
    [
        (b"", "", "", "empty"),
        (b"  \r\n\t", "text/html", "", "empty"),
        (HTML, "", "", "html"),
        (HTML, "text/plain", "page.txt", "html"),  # content beats a wrong header and name
        (b"\xef\xbb\xbf" + HTML, "", "", "html"),  # BOM
        (XHTML, "application/xhtml+xml", "", "html"),
        (b"<div class='post'><p>A fragment of a page</p></div>", "", "", "html"),
        (RSS, "", "", "feed"),
        (RSS, "text/html", "index.html", "feed"),  # a feed served as text/html is still a feed
        (ATOM, "", "", "feed"),
        (RDF, "", "", "feed"),
        (JSONFEED, "application/json", "", "feed"),
        (b'{"title": "not a feed", "items": []}', "application/json", "", "json"),
        (b'{"id": 1, "title": "A"}\n{"id": 2, "title": "B"}\n', "", "rows.jsonl", "json"),  # JSON lines
        (b"[1, 2, 3]", "", "", "json"),
        (b"[Editor's note] The text that follows is a story.", "", "", "text"),  # a bracket, not JSON
        (OPML, "", "", "opml"),
        (OPML.replace(b'<?xml version="1.0" encoding="UTF-8"?>\n', b""), "", "", "opml"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "", "", "warc"),
        (gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n"), "", "x.warc.gz", "warc"),
        (gzip.compress(HTML), "application/gzip", "page.html.gz", "html"),
        (gzip.compress(RSS), "", "", "feed"),
        (gzip.compress(gzip.compress(gzip.compress(HTML))), "", "", "binary"),
        (TEXT, "", "", "text"),
        (TEXT, "text/plain; charset=utf-8", "seed.txt", "text"),
        (
            "Привет, мир: это обычный текст в кодировке windows-1251.".encode("cp1251"),
            "",
            "",
            "text",
        ),
        ("Un été au café, déjà fini.".encode("latin-1"), "", "", "text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "", "", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "", "doc.docx", "binary"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", "", "binary"),
        (b"abc\x00def\x00", "text/plain", "", "binary"),
        (bytes(range(1, 32)) * 20, "", "", "binary"),
        (b"<rss-like text that is not xml", "", "notes.txt", "text"),
        (
            b"<unknown-root>data</unknown-root>",
            "application/rss+xml",
            "",
            "feed",
        ),  # hint breaks a tie
    ],
)
def test_sniff(content, content_type, name, kind):
    assert kind in KINDS
    assert sniff(content, content_type, name) == kind


@pytest.mark.parametrize(
    "content, content_type, expected",
    [
        ("Привет".encode("cp1251"), "text/html; charset=windows-1251", "Привет"),
        ('<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251"), "", "<p>Привет</p>"),
        ("café".encode("latin-1"), "text/html; charset=ISO-8859-1", "café"),
        # browsers read latin-1 labels as windows-1252: curly quotes come through
        ("“quoted”".encode("cp1252"), "text/html; charset=iso-8859-1", "“quoted”"),
        # a page labelled latin-1 that is really utf-8 is read as utf-8
        ("café".encode(), "text/html; charset=ISO-8859-1", "café"),
        ("naïve".encode(), "", "naïve"),
        (b"\xef\xbb\xbfBOM first", "text/html; charset=windows-1251", "BOM first"),
        ("utf-16 text".encode("utf-16"), "", "utf-16 text"),
        (b"broken \xff\xfe utf-8 \xc3", "text/html; charset=utf-8", "broken"),
        (gzip.compress("über".encode()), "text/html; charset=utf-8", "über"),
        (
            '<?xml version="1.0" encoding="windows-1251"?><rss>Новости</rss>'.encode("cp1251"),
            "",
            "Новости",
        ),
        (
            "Длинный русский текст без объявления кодировки, только байты windows-1251 и ничего больше.".encode(
                "cp1251"
            ),
            "",
            "Длинный русский текст",
        ),
        (b"x", "text/html; charset=no-such-charset", "x"),
    ],
)
def test_decode(content, content_type, expected):
    assert expected in decode(content, content_type)


@pytest.mark.parametrize(
    "content, content_type, charset",
    [
        (b"", "text/html; charset=UTF-8", "utf-8"),
        (b"", 'text/html; charset="windows-1251"', "cp1251"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "", "koi8-r"),
        (b"<meta charset='latin1'>", "", "cp1252"),
        (b"<p>no declaration</p>", "text/html", None),
    ],
)
def test_charset_of(content, content_type, charset):
    assert charset_of(content, content_type) == charset


@pytest.mark.parametrize(
    "fixture, content_type, needle",
    [
        ("cp1251_tehran_talks.html", "text/html", "В Тегеране прошли переговоры"),
        ("latin1_blog_cafe.html", "text/html; charset=ISO-8859-1", "Un été au café de la gare"),
    ],
)
def test_decode_fixture_pages(fixture, content_type, needle):
    content = (FIXTURES / fixture).read_bytes()
    assert sniff(content, content_type, fixture) == "html"
    text = decode(content, content_type)
    assert needle in text
    assert "\ufffd" not in text


def test_control_characters_go_and_page_breaks_stay_breaks():
    from newsdesk.pipeline.sniff import strip_controls

    assert strip_controls("Talks\x00 resume\x1e in\tVienna.\x0cPage two\x0bline\r\n") == (
        "Talks resume in\tVienna.\nPage two\nline\r\n")
