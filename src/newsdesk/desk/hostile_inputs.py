"""Hostile inputs for `newsdesk bench hostile`, generated in memory from a seed.

Each family is a list of (name, bytes): what a stranger's feed, upload or web server
can hand the desk. Sizes are the ones that stopped or stalled the desk before its work
budgets (issue 21): 100,000-deep nesting, 1.1 million characters in one item, 200,000
paragraphs, 300,000 attributes on one element, gzip bombs, and a few hundred truncated,
bit-flipped and garbled copies of the test fixtures.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from pathlib import Path

DEEP = 100_000
SENTENCE = ("The minister of Iraq met officials of Iran in Baghdad on Monday to discuss the "
            "border, trade and the water of the Tigris, officials said. ")
FIXTURE_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".md", ".json", ".opml", ".rss", ".atom")


def _page(body: str, title: str = "A page") -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{body}</article></body></html>").encode()


def _rss(item: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
            f'<link>https://hostile.example/</link><item>{item}</item></channel></rss>').encode()


def deep_nesting(depth: int = DEEP) -> list[tuple[str, bytes]]:
    item = "<title>Deep</title><link>https://hostile.example/deep</link>"
    return [
        ("deep.json", ("[" * depth + "]" * depth).encode()),
        ("deep-feed.json", (json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                        "title": "Deep"})[:-1]
                            + ', "items": ' + "[" * depth + "]" * depth + "}").encode()),
        ("deep-rss.xml", _rss(item + "<description>" + "<x>" * depth + "</x>" * depth
                              + "</description>")),
        ("deep-atom.xml", ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                           "<title>Deep</title><entry><title>Deep</title><id>d</id>"
                           + "<x>" * depth + "</x>" * depth + "</entry></feed>").encode()),
        ("deep.opml", ('<?xml version="1.0"?><opml version="2.0"><head><title>Deep</title></head>'
                       "<body>" + '<outline text="folder">' * depth + "</outline>" * depth
                       + "</body></opml>").encode()),
        ("deep.html", _page(f"<p>{SENTENCE * 3}</p>" + "<div>" * depth + "x" + "</div>" * depth)),
    ]


def huge(chars: int = 1_100_000, paragraphs: int = 200_000,
         attributes: int = 300_000) -> list[tuple[str, bytes]]:
    text = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    attrs = " ".join(f'a{i}="x"' for i in range(attributes))
    return [
        ("huge-item.rss", _rss("<title>Huge item</title><link>https://hostile.example/huge</link>"
                               f"<description><![CDATA[<p>{text}</p>]]></description>")),
        ("huge-text.txt", ("A huge text dump\n\n" + text).encode()),
        # short paragraphs: 200,000 of them in a few MB, under the byte cap
        ("many-paragraphs.html", _page("".join(f"<p>Line {i}.</p>" for i in range(paragraphs)),
                                       "Many paragraphs")),
        ("many-paragraphs.txt", ("Many paragraphs\n\n" + "".join(
            f"Line {i} of the text.\n\n" for i in range(paragraphs))).encode()),
        ("many-attributes.html", _page(f"<p {attrs}>{SENTENCE * 4}</p>", "Many attributes")),
    ]


def bombs(inflated: int = 1 << 30) -> list[tuple[str, bytes]]:
    """gzip and deflate streams that inflate a thousandfold (1 GiB of zeros by default)."""
    chunk = bytes(1 << 20)
    gz, zz = zlib.compressobj(9, zlib.DEFLATED, 16 + 15), zlib.compressobj(9)
    gz_parts, zz_parts = [], []
    for _ in range(inflated // len(chunk)):
        gz_parts.append(gz.compress(chunk))
        zz_parts.append(zz.compress(chunk))
    gz_parts.append(gz.flush())
    zz_parts.append(zz.flush())
    gz_bytes, zz_bytes = b"".join(gz_parts), b"".join(zz_parts)
    html_head = gzip.compress(b"<html><body><p>" + b"a" * (20 << 20))
    return [("bomb.html.gz", gz_bytes), ("bomb.xml.gz", gz_bytes), ("bomb.deflate", zz_bytes),
            ("bomb-page.html.gz", html_head)]


def encodings() -> list[tuple[str, bytes]]:
    body = "".join(f"<p>{SENTENCE} Ünïcödé «quotes» — ضمیر, привет, 東京.</p>" for _ in range(4))
    page = _page(body, "Encodings")
    text = page.decode()
    return [
        ("latin1-undeclared.html", text.encode("latin-1", "replace")),
        ("cp1251-declared-utf8.html", text.replace("<head>", '<head><meta charset="utf-8">')
         .encode("cp1251", "replace")),
        ("utf16-no-bom.html", text.encode("utf-16-le")),
        ("utf16-bom.html", text.encode("utf-16")),
        ("mixed.html", page[: len(page) // 2] + text[len(text) // 2:].encode("cp1252", "replace")),
        ("bogus-charset.html", text.replace("<head>", '<head><meta charset="UTC-8">').encode()),
        ("utf8-declared-latin1.xml", _rss("<title>Ünïcödé</title><link>https://hostile.example/e</link>"
                                          f"<description>{SENTENCE * 5} é à ü</description>")
         .replace(b'version="1.0"?>', b'version="1.0" encoding="utf-8"?>')
         .decode().encode("latin-1", "replace")),
        ("utf32.txt", ("Encodings\n\n" + SENTENCE * 5).encode("utf-32")),
        ("invalid-utf8.txt", b"Bad bytes\n\n" + SENTENCE.encode() * 3 + b"\xff\xfe\xc3\x28\xa0\xa1"),
    ]


def mutations(fixtures: Path, count: int, seed: int = 21) -> list[tuple[str, bytes]]:
    """`count` truncated, bit-flipped or garbled copies of the fixture files."""
    sources = sorted(p for p in fixtures.rglob("*") if p.is_file() and p.suffix in FIXTURE_SUFFIXES)
    if not sources:
        return []
    rng = random.Random(seed)
    out = []
    for n in range(count):
        path = rng.choice(sources)
        data = bytearray(path.read_bytes())
        how = ("truncate", "flip", "garble", "splice")[n % 4]
        if how == "truncate" and data:
            data = data[: rng.randrange(len(data))]
        elif how == "flip":
            for _ in range(rng.randint(1, 64)):
                if data:
                    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif how == "garble":
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(data) + 1)
                data[at:at] = rng.choice([b"<", b">", b"<![CDATA[", b"<!--", b"&#x", b'"', b"\x00",
                                          b"<div>" * rng.randint(1, 500), b"\xff\xfe",
                                          bytes(rng.randrange(256) for _ in range(32))])
        else:  # a piece of one fixture repeated inside another
            if data:
                at, size = rng.randrange(len(data)), rng.randint(1, 4096)
                piece = data[at: at + size]
                data[at:at] = piece * rng.randint(2, 50)
        out.append((f"{n:03d}-{how}-{path.name}", bytes(data)))
    return out
