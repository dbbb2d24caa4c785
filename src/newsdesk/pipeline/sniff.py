"""Tell what a capture holds, and decode its text, before anything tries to parse it.

Content decides first (magic bytes, markup roots, NUL bytes); the Content-Type header and
the file name are only hints, because servers and file names lie far more often than the
first kilobytes of a document do.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib

KINDS = ("html", "text", "feed", "opml", "warc", "json", "empty", "binary")

# How much of the start of a document is read to recognise it.
SNIFF_BYTES = 4096
# Share of control characters (or undecodable bytes) above which text is really binary.
BINARY_RATIO = 0.05
# A gzip member is opened at most this deep (gzip inside gzip is a broken upload anyway).
MAX_GZIP_DEPTH = 2
# Bytes of a gzip stream decompressed for a look inside.
GZIP_PEEK_BYTES = 64 * 1024
# At most this much of a gzip stream is decoded to text (the fetcher's default cap).
GZIP_DECODE_BYTES = 10 * 1024 * 1024
# Deeper JSON is not parsed to tell what it is (json.loads recurses; 100,000 nested
# arrays overflowed the stack): it is JSON, and whoever reads it refuses it.
JSON_SNIFF_DEPTH = 200

_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"\x7fELF",
    b"MZ",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"wOFF",
    b"wOF2",
    b"\x00asm",
)
_FEED_ROOT = re.compile(rb"<(?:[a-z0-9_]+:)?(rss|feed|rdf:rdf)[\s>/]", re.I)
_OPML_ROOT = re.compile(rb"<opml[\s>]", re.I)
_HTML_MARK = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<div[\s>]|<p[\s>]|<article[\s>]",
    re.I,
)
_XML_PROLOG = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)
_JSONFEED_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/', re.I)
_CHARSET_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_XML = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)

_HINT_BY_TYPE = (
    ("html", "html"),
    ("xhtml", "html"),
    ("opml", "opml"),
    ("rss", "feed"),
    ("atom", "feed"),
    ("feed+json", "feed"),
    ("warc", "warc"),
    ("text/plain", "text"),
    ("xml", "feed"),
)
_HINT_BY_EXT = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".opml": "opml",
    ".warc": "warc",
}


def sniff(content: bytes, content_type: str = "", name: str = "", _depth: int = 0) -> str:
    """Return one of KINDS for `content`; `content_type` and `name` only break ties."""
    if not content or not content.strip():
        return "empty"
    head = content[:SNIFF_BYTES]
    if head.startswith(b"\x1f\x8b"):
        return _sniff_gzip(content, content_type, name, _depth)
    if head.startswith(b"WARC/1."):
        return "warc"
    if _looks_binary(head):
        return "binary"
    body = _strip_bom(head).lstrip()
    if not body:
        return "empty"
    if body[:1] in (b"{", b"[") and _JSONFEED_VERSION.search(head):
        return "feed"
    if body[:1] in (b"{", b"[") and _is_json(content):
        return "json"  # data (an export, JSON lines), not a page a reader wrote
    lowered = _XML_PROLOG.sub(b"", body, count=1).lstrip()
    if _OPML_ROOT.match(lowered) or (lowered.startswith(b"<!--") and _OPML_ROOT.search(head)):
        return "opml"
    root = _first_element(lowered)
    if root is not None:
        if _FEED_ROOT.match(root):
            return "feed"
        if _OPML_ROOT.match(root):
            return "opml"
    if _HTML_MARK.search(head):
        return "html"
    hint = _hint(content_type, name)
    if lowered.startswith(b"<") and hint in ("html", "feed", "opml"):
        return hint
    return "text"


# C0 control characters other than tab and line breaks: no text means them, XML 1.0 and
# lxml's tree refuse them (one stray "\x1e" made readability raise), and a NUL would make
# an entry's text look binary. Pages and feeds lose them as they are read; a vertical tab
# or a form feed (a page break in a text dump) still breaks the line.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
_BREAKS = re.compile(r"[\x0b\x0c]")


def strip_controls(text: str) -> str:
    """`text` without C0 control characters (tab, line feed and carriage return stay;
    vertical tab and form feed become line feeds)."""
    if not text:
        return text
    return _BREAKS.sub("\n", _CONTROLS.sub("", text))


def decode(content: bytes, content_type: str = "") -> str:
    """Decode bytes to text: BOM, then header charset, then <meta>/XML charset, then utf-8.

    A page whose declared charset is wrong for its bytes (a utf-8 page labelled latin-1 is
    common) is read as utf-8 when it is valid utf-8; anything left undecodable is replaced,
    never raised, because one bad byte must not lose an article.
    """
    if content.startswith(b"\x1f\x8b"):  # callers inflate within their cap first
        content = _gunzip(content, limit=GZIP_DECODE_BYTES)
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if content.startswith(bom):
            return content[len(bom) :].decode(codec, errors="replace")
    declared = charset_of(content, content_type)
    if declared and _is_utf8_family(declared):
        return content.decode("utf-8", errors="replace")
    if declared:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode(declared, errors="replace")
        if not content.isascii():
            # Valid utf-8 with non-ASCII bytes is almost never really a legacy charset.
            return content.decode("utf-8")
        return content.decode(declared, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return _guess_legacy(content)


def _guess_legacy(content: bytes) -> str:
    """Undeclared and not utf-8: let charset-normalizer guess (cp1251, cp1252 …)."""
    from charset_normalizer import from_bytes

    best = from_bytes(content[: SNIFF_BYTES * 16]).best()
    codec = _codec(best.encoding) if best is not None else None
    return content.decode(codec or "utf-8", errors="replace")


def charset_of(content: bytes, content_type: str = "") -> str | None:
    """Return the declared charset (header first, then <meta> or the XML prolog), normalised."""
    candidates = []
    match = _CHARSET_HEADER.search(content_type or "")
    if match:
        candidates.append(match.group(1))
    head = content[: SNIFF_BYTES * 4]
    for pattern in (_CHARSET_META, _CHARSET_XML):
        found = pattern.search(head)
        if found:
            candidates.append(found.group(1).decode("ascii", "ignore"))
    for name in candidates:
        codec = _codec(name)
        if codec:
            return codec
    return None


def _codec(name: str) -> str | None:
    name = name.strip().lower()
    # Browsers read these labels as windows-1252; so do we (the WHATWG encoding standard).
    if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"):
        name = "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_utf8_family(codec: str) -> bool:
    return codec in ("utf-8", "utf-8-sig")


def _is_json(content: bytes) -> bool:
    """The document, or its first line (JSON lines), parses as JSON."""
    from .budgets import json_depth

    if json_depth(content, stop_at=JSON_SNIFF_DEPTH) > JSON_SNIFF_DEPTH:
        return True
    text = _strip_bom(content).decode("utf-8", "replace").strip()
    for candidate in (text, text.split("\n", 1)[0]):
        try:
            json.loads(candidate)
            return True
        except (ValueError, RecursionError):
            continue
    return False


def _strip_bom(head: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != codecs.BOM_UTF8:
                head = head.decode(
                    "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be", "replace"
                ).encode("utf-8")
            return head
    return head


_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])


def _looks_binary(head: bytes) -> bool:
    """Magic bytes, a NUL, or many control characters: text in any 8-bit charset has none."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))  # C speed, no loop
    return control > BINARY_RATIO * len(head)


def _first_element(body: bytes) -> bytes | None:
    """Skip comments, doctype and processing instructions; return bytes from the first tag."""
    pos = 0
    while pos < len(body):
        while pos < len(body) and body[pos : pos + 1].isspace():
            pos += 1
        if body.startswith(b"<!--", pos):
            end = body.find(b"-->", pos)
            if end < 0:
                return None
            pos = end + 3
        elif body.startswith(b"<?", pos) or body.startswith(b"<!", pos):
            end = body.find(b">", pos)
            subset = body.find(b"[", pos)
            if body[pos : pos + 9].upper() == b"<!DOCTYPE" and 0 <= subset < end:
                end = body.find(b"]>", subset)  # an internal subset holds '>' of its own
                end = end + 1 if end >= 0 else -1
            if end < 0:
                return None
            pos = end + 1
        elif body.startswith(b"<", pos):
            return body[pos:]
        else:
            return None
    return None


def _hint(content_type: str, name: str) -> str | None:
    ctype = (content_type or "").lower()
    for needle, kind in _HINT_BY_TYPE:
        if needle in ctype:
            return kind
    lowered = (name or "").lower()
    for ext, kind in _HINT_BY_EXT.items():
        if lowered.endswith(ext) or lowered.endswith(ext + ".gz"):
            return kind
    return None


def _gunzip(content: bytes, limit: int | None) -> bytes:
    """Decompress a gzip stream, or only its first `limit` bytes; a truncated tail is kept.
    Never more than `limit` bytes come out (a gzip bomb inflates a thousandfold)."""
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        if limit is None:
            return gzip.decompress(content)
        return decomp.decompress(content, limit)
    except (OSError, EOFError, zlib.error):
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            return decomp.decompress(content[: 1 << 20], limit or (1 << 20))
        except zlib.error:
            return b""


def inflate(content: bytes, max_bytes: int) -> bytes:
    """A gzip stream's content, refused with `Rejected(TOO_LARGE)` when it inflates past
    `max_bytes` (NEWSDESK_FETCH_MAX_BYTES): a 10 MB bomb of zeros inflates to 10 GB. A
    broken or truncated stream gives what could be read."""
    from .documents import Rejected, RejectReason

    inner = _gunzip(content, max_bytes + 1)
    if len(inner) > max_bytes:
        raise Rejected(
            RejectReason.TOO_LARGE,
            f"the gzip stream inflates past the cap of {max_bytes:,} bytes "
            "(NEWSDESK_FETCH_MAX_BYTES); refused",
        )
    return inner


def _sniff_gzip(content: bytes, content_type: str, name: str, depth: int) -> str:
    if depth >= MAX_GZIP_DEPTH:
        return "binary"
    inner = _gunzip(content, GZIP_PEEK_BYTES)
    if not inner:
        return "binary"
    # A gzipped WARC is still a WARC; anything else is what is inside.
    if inner.startswith(b"WARC/1."):
        return "warc"
    inner_name = name[:-3] if name.lower().endswith(".gz") else name
    return sniff(inner, content_type, inner_name, depth + 1)
