"""OPML subscription lists: read (any feed reader's export) and write (ours).

An outline with an `xmlUrl` is a subscription; an outline without one is a folder, and
its text becomes the category of the subscriptions nested in it (the nearest folder
wins). Parsing goes through defusedxml: an OPML file comes from a stranger's upload.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from newsdesk.pipeline import budgets as work
from newsdesk.pipeline.documents import Outline, Rejected, RejectReason
from newsdesk.pipeline.sniff import strip_controls


def _attr(element: ET.Element, name: str) -> str:
    """Attribute by name, any case: exporters write xmlUrl, xmlurl or XMLURL."""
    lowered = name.lower()
    for key, value in element.attrib.items():
        if key.lower() == lowered:
            return value.strip()
    return ""


def parse_opml(content: bytes, budgets: work.Budgets = work.DEFAULT) -> list[Outline]:
    """Subscriptions in document order, each feed URL once (the first occurrence wins).
    A list over a work budget (nesting, outlines, attributes) is refused before parsing:
    the walk below recurses once per level."""
    work.check_markup(content, html=False, budgets=budgets)
    try:
        root = DET.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Rejected(RejectReason.INVALID_FEED, f"OPML refused: {exc}") from None
    except ET.ParseError as exc:
        raise Rejected(RejectReason.INVALID_FEED, f"OPML is not well-formed XML: {exc}") from None
    except (LookupError, ValueError) as exc:  # an unknown declared encoding ("UTC-8"), a NUL
        raise Rejected(RejectReason.INVALID_FEED, f"OPML cannot be read: {exc}") from None
    if root.tag.lower() != "opml":
        raise Rejected(
            RejectReason.INVALID_FEED, f"not an OPML file: the root element is <{root.tag}>"
        )
    body = root.find("body")
    if body is None:
        raise Rejected(RejectReason.INVALID_FEED, "OPML has no <body>")
    outlines: list[Outline] = []
    seen: set[str] = set()

    def walk(parent: ET.Element, category: str) -> None:
        for node in parent.findall("outline"):
            feed_url = _attr(node, "xmlUrl")
            text = _attr(node, "text") or _attr(node, "title")
            if feed_url:
                if feed_url not in seen:
                    seen.add(feed_url)
                    outlines.append(
                        Outline(
                            feed_url=feed_url,
                            title=text,
                            site_url=_attr(node, "htmlUrl"),
                            category=category or _category_attribute(node),
                        )
                    )
                walk(node, category)  # a feed outline with children is rare; keep them
            else:
                walk(node, text or category)

    walk(body, "")
    return outlines


def _category_attribute(node: ET.Element) -> str:
    """OPML 2.0's `category="/News/Gulf,/Tags/x"`: the last part of the first path."""
    value = _attr(node, "category").split(",")[0].strip().strip("/")
    return value.rsplit("/", 1)[-1] if value else ""


def write_opml(outlines: list[Outline], title: str) -> bytes:
    """OPML 2.0: one folder per category (in first-seen order); uncategorised feeds sit in <body>."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for outline in outlines:
        parent = body
        if outline.category:
            if outline.category not in folders:
                folders[outline.category] = ET.SubElement(
                    body, "outline", text=outline.category, title=outline.category
                )
            parent = folders[outline.category]
        attrs = {"type": "rss", "text": outline.title or outline.feed_url}
        if outline.title:
            attrs["title"] = outline.title
        attrs["xmlUrl"] = outline.feed_url
        if outline.site_url:
            attrs["htmlUrl"] = outline.site_url
        ET.SubElement(parent, "outline", attrs)
    for element in root.iter():  # an editor's pasted "\x0b" would make the file unreadable
        element.attrib.update({k: strip_controls(v) for k, v in element.attrib.items()})
        if element.text:
            element.text = strip_controls(element.text)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
