"""Body blocks: the paragraphs, headings, list items and quotes of an article, with safe HTML.

Both extractors' outputs (trafilatura's XML, readability's HTML) are flattened into the same
list of `Block`s, so they can be compared paragraph by paragraph, and the body HTML we store
is rebuilt from an allow-list (p, h2-h4, ul/ol/li, blockquote, a[href], em/strong) instead of
being cleaned: what we never copy cannot carry a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from lxml import etree

# Tag (HTML or trafilatura XML) → the block kind it opens.
_BLOCK_KIND = {
    "p": "p",
    "div": "p",
    "section": "p",
    "article": "p",
    "main": "p",
    "td": "p",
    "th": "p",
    "tr": "p",
    "cell": "p",
    "row": "p",
    "pre": "p",
    "code": "p",
    "dd": "p",
    "dt": "p",
    "figure": "p",
    "figcaption": "p",
    "center": "p",
    "address": "p",
    "h1": "h2",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "h5": "h4",
    "h6": "h4",
    "head": "h2",
    "li": "li",
    "item": "li",
    "blockquote": "blockquote",
    "quote": "blockquote",
}
_LIST_TAGS = {"ul": "ul", "ol": "ol", "list": "ul", "dl": "ul"}
_BREAKS = {"br", "lb", "hr"}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "button",
    "select",
    "option",
    "svg",
    "graphic",
    "img",
}
_EMPHASIS = {"em": "em", "i": "em", "strong": "strong", "b": "strong"}
_HI_REND = {"#i": "em", "#u": "em", "#b": "strong", "#t": None}
_SAFE_HREF = re.compile(r"^(https?:|mailto:|/|#|\.|[\w-]+(?:[/?#.]|$))", re.I)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Block:
    """One paragraph-level unit of a body: `kind` is p, h2, h3, h4, li or blockquote."""

    kind: str
    text: str
    html: str  # inline HTML of the block, allow-listed; no enclosing tag
    group: int = 0  # list items of one list share a group (rendered in one <ul>/<ol>)
    list_tag: str = "ul"


def blocks_from_tree(root: etree._Element) -> list[Block]:
    """Flatten an HTML or trafilatura-XML element into blocks, in document order."""
    builder = _Builder()
    builder.walk(root, kind="p", group=0, list_tag="ul")
    builder.flush()
    return builder.blocks


def render_html(blocks: list[Block]) -> str:
    """Render blocks as sanitised HTML; consecutive list items of one group share a list."""
    out: list[str] = []
    open_group: tuple[int, str] | None = None
    for block in blocks:
        if block.kind == "li":
            key = (block.group, block.list_tag)
            if open_group != key:
                if open_group:
                    out.append(f"</{open_group[1]}>")
                out.append(f"<{block.list_tag}>")
                open_group = key
            out.append(f"<li>{block.html}</li>")
            continue
        if open_group:
            out.append(f"</{open_group[1]}>")
            open_group = None
        out.append(f"<{block.kind}>{block.html}</{block.kind}>")
    if open_group:
        out.append(f"</{open_group[1]}>")
    return "\n".join(out)


def plain_block(kind: str, text: str) -> Block:
    """A block made from plain text (after trimming, when the inline markup is lost)."""
    return Block(kind=kind, text=text, html=escape(text, quote=False))


def clean_text(text: str) -> str:
    if "\n" not in text:  # most blocks: one line, so plain splitting does the same job
        return " ".join(text.replace("\u200b", " ").split())
    text = _SPACE.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


class _Builder:
    """Accumulate inline text and HTML; every block-level boundary flushes one Block."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.html: list[str] = []
        self.kind = "p"
        self.group = 0
        self.list_tag = "ul"
        self.groups = 0
        self.inline: list[tuple[str, str]] = []  # open inline tags: (opening markup, name)
        self.broken = False  # a line break with nothing written since

    def flush(self) -> None:
        """End the current block; inline tags still open are closed here and reopened after."""
        if self.text:
            raw = "".join(self.text)
            text = "" if raw.isspace() else clean_text(raw)
            if text:
                closing = "".join(f"</{name}>" for _, name in reversed(self.inline))
                html = clean_text("".join(self.html) + closing).replace("\n", " ")
                self.blocks.append(Block(self.kind, text, html, self.group, self.list_tag))
            self.text = []
        self.html = [opening for opening, _ in self.inline] if self.inline else []
        self.broken = False

    def add(self, text: str | None) -> None:
        if text:
            if not text.isspace():
                self.broken = False
            self.text.append(text)
            self.html.append(escape(text, quote=False))

    def walk(self, el: etree._Element, kind: str, group: int, list_tag: str) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in _SKIP:
            return
        if tag in _LIST_TAGS:
            self.flush()
            self.groups += 1
            group = self.groups
            list_tag = "ol" if tag == "ol" or el.get("rend") == "ol" else "ul"
            self.add(el.text)
            for child in el:
                self.walk(child, kind, group, list_tag)
                self.add(child.tail)
            self.flush()
            return
        if tag in _BLOCK_KIND:
            self.flush()
            new_kind = _BLOCK_KIND[tag]
            if tag == "head":
                rend = (el.get("rend") or "h2").lower()
                new_kind = _BLOCK_KIND.get(rend, "h2")
            # A paragraph inside a quote or list item stays a quote or an item.
            if kind in ("blockquote", "li") and new_kind == "p":
                new_kind = kind
            self.kind, self.group, self.list_tag = (
                new_kind,
                (group if new_kind == "li" else 0),
                list_tag,
            )
            self.add(el.text)
            for child in el:
                self.walk(child, new_kind, group, list_tag)
                self.add(child.tail)
            self.flush()
            self.kind = kind
            return
        if tag in _BREAKS:
            if self.broken:
                # A blank line (<br><br>): the paragraph break of pages that write no <p>.
                # Kept as one block, such a body made one 2,500-character paragraph.
                self.flush()
                return
            self.text.append("\n")
            self.html.append(" ")
            self.broken = True
            return
        wrap = _EMPHASIS.get(tag)
        if tag == "hi":
            wrap = _HI_REND.get(el.get("rend") or "", None)
        href = None
        if tag in ("a", "ref"):
            href = (el.get("href") or el.get("target") or "").strip()
            if not _SAFE_HREF.match(href):
                href = None
        opened = None
        if href:
            opened = (f'<a href="{escape(href)}">', "a")
        elif wrap:
            opened = (f"<{wrap}>", wrap)
        if opened:
            self.html.append(opened[0])
            self.inline.append(opened)
        self.add(el.text)
        for child in el:
            self.walk(child, kind, group, list_tag)
            self.add(child.tail)
        if opened:
            self.inline.pop()
            self.html.append(f"</{opened[1]}>")
