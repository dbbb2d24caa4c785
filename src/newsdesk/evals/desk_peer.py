"""The desk benchmark's peer: a desk assembled from open libraries, reading the same inputs.

Each input file is read in the set's order; a feed file (RSS/Atom through feedparser, JSON
Feed through the standard library) is read item by item, each item given as the same small
page the desk makes of it (headline, authors, date, content). Then:

- headline, body and date: trafilatura (``bare_extraction`` with metadata) on the page;
  plain text and Markdown are given as paragraphs of a page, as the text-dump benchmark does;
- refused: what trafilatura extracts no text from;
- agency: trafilatura's author, when it names a wire agency;
- copies: datasketch MinHash LSH (Jaccard 0.5 over word 5-shingles, 128 permutations),
  each article a copy of the earliest article it finds;
- stories: the TF-IDF single-pass clustering of `newsdesk.evals.stories` (threshold 0.15);
- entities: plain spaCy PERSON and ORG spans, the entity id being the exact string;
- countries: every country the gazetteer hits (`newsdesk.evals.places.every_mention`).

Pure Python, no Django: it writes prediction lines in the reference scorer's format.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from dataclasses import dataclass
from pathlib import Path

from newsdesk.evals.desk_score import agency_key

COPY_JACCARD = 0.5
SHINGLE_WORDS = 5
PERMUTATIONS = 128
ENTITY_LABELS = ("PERSON", "ORG")
_WORD = re.compile(r"\w+")


@dataclass
class Item:
    """One thing the set gives a desk: a file, or one item of a feed file."""

    key: str  # the gold line's file: inputs/0001.html or inputs/0060.xml#<id>
    page: bytes | str


def feed_items(path: Path, raw: bytes) -> list[tuple[str, str]] | None:
    """(item id, page) per item of a feed file, in the feed's order; None for no feed."""
    if path.suffix == ".json":
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
            return None
        return [(str(it.get("id", "")), item_page(
            it.get("title") or "", [a.get("name", "") for a in it.get("authors") or []],
            it.get("date_published") or "", it.get("content_html") or htmlmod.escape(it.get("content_text") or "")))
            for it in data.get("items") or []]
    if path.suffix not in (".xml", ".rss", ".atom"):
        return None
    import feedparser

    parsed = feedparser.parse(raw)
    if not parsed.get("version") or not parsed.entries:
        return None
    out = []
    for e in parsed.entries:
        content = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        authors = [a.get("name", "") for a in e.get("authors") or []] or [e.get("author", "")]
        out.append((e.get("id", ""), item_page(e.get("title", ""), authors, e.get("published", "")
                                               or e.get("updated", ""), content)))
    return out


def item_page(title: str, authors: list[str], published: str, content: str) -> str:
    esc = htmlmod.escape
    meta = "".join(f'<meta name="author" content="{esc(a)}">' for a in authors if a)
    if published:
        meta += f'<meta property="article:published_time" content="{esc(published)}">'
    return (f"<html><head><title>{esc(title)}</title>{meta}</head>"
            f"<body><article><h1>{esc(title)}</h1>{content}</article></body></html>")


def text_page(text: str) -> str:
    """Plain text or Markdown as a page of paragraphs (the text-dump benchmark's peer input)."""
    paragraphs = "".join(f"<p>{htmlmod.escape(p)}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())
    return f"<html><body>{paragraphs}</body></html>"


def read_items(set_dir: Path) -> list[Item]:
    items = []
    for path in sorted((set_dir / "inputs").iterdir()):
        if path.name.startswith("."):
            continue
        raw = path.read_bytes()
        key = f"inputs/{path.name}"
        feed = feed_items(path, raw)
        if feed:
            items.extend(Item(f"{key}#{guid}", page) for guid, page in feed)
        elif path.suffix in (".txt", ".md"):
            items.append(Item(key, text_page(raw.decode("utf-8", "replace"))))
        else:
            items.append(Item(key, raw))
    return items


def read_page(page: bytes | str) -> dict | None:
    """trafilatura's headline, body, date and author; None when it extracts no text."""
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # a line per page it refuses

    try:
        found = trafilatura.bare_extraction(page, with_metadata=True)
    except Exception:  # a page trafilatura cannot parse (an image) is refused like an empty one
        return None
    if found is None or not (found.text or "").strip():
        return None
    body = "\n\n".join(line.strip() for line in found.text.split("\n") if line.strip())
    return {"title": found.title or None, "body": body, "published": found.date or None,
            "agency": _agency(found.author)}


def _agency(author: str | None) -> str | None:
    for name in re.split(r"[;,]|\band\b", author or ""):
        key = agency_key(name.strip())
        if key in ("Reuters", "AP", "AFP"):
            return key
    return None


def word_shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}


def copies(lines: list[dict]) -> None:
    """Set copy_of on each published line whose body an earlier one shares (MinHash LSH)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=PERMUTATIONS)
    canonical: dict[str, str] = {}
    for line in lines:
        if line["status"] == "rejected":
            continue
        mh = MinHash(num_perm=PERMUTATIONS, seed=1)
        for s in word_shingles(line["body"]):
            mh.update(s.encode())
        found = sorted(lsh.query(mh), key=int)
        me = str(line["article_id"])
        if found:
            line["copy_of"] = int(canonical[found[0]])
            line["status"] = "duplicate"
            canonical[me] = canonical[found[0]]
        else:
            canonical[me] = me
        lsh.insert(me, mh)


def stories(lines: list[dict]) -> None:
    from newsdesk.evals.stories import run_peer

    shown = [ln for ln in lines if ln["status"] != "rejected"]
    labels, _, _ = run_peer([{"id": ln["article_id"], "title": ln["title"] or "", "text": ln["body"]}
                             for ln in shown])
    for ln in shown:
        ln["story_id"] = labels[str(ln["article_id"])]


def entities_and_countries(lines: list[dict]) -> None:
    from newsdesk.evals.places import Doc, every_mention
    from newsdesk.pipeline.nlp import load_model

    shown = [ln for ln in lines if ln["status"] != "rejected"]
    nlp = load_model()
    for ln, parsed in zip(shown, nlp.pipe(ln["body"] for ln in shown), strict=True):
        forms = dict.fromkeys(e.text for e in parsed.ents if e.label_ in ENTITY_LABELS)
        ln["entities"] = [{"form": f, "entity_id": f} for f in forms]
        paragraphs = [p for p in ln["body"].split("\n\n") if p.strip()]
        ln["countries"] = every_mention(Doc(0, ln["title"] or "", None, paragraphs, frozenset()))


def predict(set_dir: Path, progress=None) -> list[dict]:
    """One prediction line per item, in the reference scorer's format."""
    lines = []
    items = read_items(Path(set_dir))
    for n, item in enumerate(items, 1):
        found = read_page(item.page)
        line = {"file": item.key, "status": "rejected" if found is None else "ingested",
                "article_id": None if found is None else n, "story_id": None, "copy_of": None,
                "published": None, "agency": None, "title": None, "body": None, "countries": [], "entities": []}
        if found:
            line.update(found)
        lines.append(line)
        if progress:
            progress(n, len(items))
    copies(lines)
    stories(lines)
    entities_and_countries(lines)
    return lines
