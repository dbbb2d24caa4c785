"""Article metadata from an HTML page: title, authors, dates, language, site, canonical URL.

Publishers state these for machines (JSON-LD, Open Graph, <meta>) far more reliably than
their layout shows them, so the machine-readable forms are read first, in a fixed order of
trust, and the visible page (<h1>, <title>, <time>, rel=author) only fills what is missing.
Everything here is xpath over one parsed tree: no second parse, no date guessing over the
whole text (htmldate's extensive search costs more than the body extraction).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from .agencies import credited
from .html_dates import DATE_META, MODIFIED_META, first_date

# schema.org types that declare one article (html_index reads them too).
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "liveblogposting",
        "scholarlyarticle",
        "techarticle",
    }
)
_NOT_PERSON = re.compile(
    r"^(?:e-?mail|contact|follow|view|read|more|all|see|about)\b.*|.*\b(?:the author|staff|wire|"
    r"news ?desk|editorial|editors?|team|reporters?|correspondents?|newsroom|agency|agencies|"
    r"press|associated press|reuters|afp|bloomberg|contributors?)\s*$|.*@.*|^https?:.*",
    re.I,
)
_BY = re.compile(r"^\s*(?:by|por|par|von|di|door|av)\s+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\||/|\bund\b|\by\b|\bet\b)\s*", re.I)
_TITLE_SEP = re.compile(r"\s+(?:\||[-–—:·•»])\s+")


@dataclass
class PageMeta:
    """What the page says about itself; every field may be empty."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str = ""
    excerpt: str = ""
    types: set[str] = field(default_factory=set)  # schema.org/og types the page declares
    breadcrumb: list[str] = field(default_factory=list)  # home → section → …, as the page shows
    credited_agency: str | None = None  # an agency the author fields or the byline name


def read_meta(tree: etree._Element, url: str = "") -> PageMeta:
    """Read the metadata of a parsed page (see the module docstring for the order of trust)."""
    metas = _meta_map(tree)
    items = _json_ld_items(tree)
    ld = _json_ld_article(items)
    meta = PageMeta()
    meta.types = {t.lower() for item in items for t in _ld_types(item)} | (
        {metas["og:type"].lower()} if metas.get("og:type") else set()
    )
    site = _first(
        metas.get("og:site_name"), _ld_name(ld.get("publisher")), metas.get("application-name")
    )
    meta.site_name = site or None
    meta.title = _title(tree, metas, ld, meta.site_name)
    meta.authors = clean_authors(_raw_authors(tree, metas, ld))
    meta.credited_agency = next(filter(None, map(credited, _credit_strings(tree, metas, ld))), None)
    meta.published = first_date(
        [ld.get("datePublished"), ld.get("dateCreated")] + [metas.get(k) for k in DATE_META]
    ) or first_date(
        _xpath_strs(
            tree, "//*[@itemprop='datePublished']/@content|//*[@itemprop='datePublished']/@datetime"
        )
        + _xpath_strs(tree, "(//time[@datetime])[1]/@datetime")
    )
    meta.modified = first_date([ld.get("dateModified")] + [metas.get(k) for k in MODIFIED_META])
    meta.language = _language(tree, metas, ld)
    canonical = _first(
        next(
            (
                el.get("href")
                for el in tree.iter("link")
                if (el.get("rel") or "").lower() == "canonical"
            ),
            None,
        ),
        metas.get("og:url"),
    )
    meta.canonical_url = _absolute_url(url, canonical) if canonical else ""
    title_key = meta.title.casefold()
    meta.breadcrumb = [b for b in _breadcrumb(items) if b.casefold() != title_key]
    meta.excerpt = _clean(
        _first(
            metas.get("og:description"),
            metas.get("description"),
            metas.get("twitter:description"),
            ld.get("description"),
        )
    )
    return meta


def clean_authors(names: list[str]) -> list[str]:
    """Split, strip "By", and drop what is not a person ("Email the author", "CNN Wire")."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in names:
        raw = _BY.sub("", _clean(raw))
        if "://" in raw or raw.startswith("www."):
            continue
        for part in _AUTHOR_SPLIT.split(raw):
            name = _BY.sub("", part).strip(" .,-–—:")
            if not name or len(name) > 60 or not any(c.isalpha() for c in name):
                continue
            if _NOT_PERSON.match(name) or len(name.split()) > 5:
                continue
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out


def _meta_map(tree: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (
            (
                el.get("property")
                or el.get("name")
                or el.get("itemprop")
                or el.get("http-equiv")
                or ""
            )
            .strip()
            .lower()
        )
        value = el.get("content")
        if key and value and value.strip() and key not in out:
            out[key] = value.strip()
    return out


def _absolute_url(base: str, link: str) -> str:
    """`link` resolved against `base`; "" for one that is no URL ("http://[bad")."""
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return ""


def _json_ld_items(tree: etree._Element) -> list[dict]:
    """Every JSON-LD object of the page, @graph and lists flattened, in page order."""
    candidates: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):  # malformed, or nested past Python's stack
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(
                        item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]]
                    )
                candidates.append(item)
    return candidates


def _json_ld_article(candidates: list[dict]) -> dict:
    """The first JSON-LD object of an article type (or one with a headline), else {}."""
    for item in candidates:
        if any(t.lower() in ARTICLE_TYPES for t in _ld_types(item)):
            return item
    for item in candidates:
        if "headline" in item or "datePublished" in item:
            return item
    return {}


def _breadcrumb(items: list[dict]) -> list[str]:
    """Section path from a JSON-LD BreadcrumbList (a page scan for a breadcrumb element
    would cost as much as the rest of the metadata)."""
    for item in items:
        if "BreadcrumbList" in _ld_types(item):
            elements = item.get("itemListElement")
            if isinstance(elements, list):
                ordered = sorted(
                    (e for e in elements if isinstance(e, dict)),
                    key=lambda e: e.get("position") if isinstance(e.get("position"), int) else 0,
                )
                names = [
                    _ld_name(e) or (_ld_name(e["item"]) if isinstance(e.get("item"), dict) else "")
                    for e in ordered
                ]
                return [n for n in names if n]
    return []


def _ld_types(item: dict) -> list[str]:
    kind = item.get("@type") if item else None
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def _ld_name(value) -> str:
    if isinstance(value, dict):
        return _clean(str(value.get("name") or ""))
    if isinstance(value, list) and value:
        return _ld_name(value[0])
    return _clean(value) if isinstance(value, str) else ""


def _raw_authors(tree: etree._Element, metas: dict[str, str], ld: dict) -> list[str]:
    found = ld.get("author") or ld.get("creator")
    names: list[str] = []
    for item in found if isinstance(found, list) else [found] if found else []:
        if isinstance(item, dict):
            if any(t.lower() == "organization" for t in _ld_types(item)):
                continue
            names.append(_ld_name(item))
        elif isinstance(item, str):
            names.append(item)
    if names:
        return names
    for key in (
        "author",
        "article:author",
        "parsely-author",
        "sailthru.author",
        "dc.creator",
        "byl",
    ):
        value = metas.get(key)
        if value and not value.startswith("http"):
            return [value]
    visible = _xpath_strs(
        tree,
        "//*[@rel='author']//text()|//*[@itemprop='author']//*[@itemprop='name']//text()"
        "|//*[@itemprop='author' and not(*)]//text()",
    )
    return [" ".join(visible)] if visible else []


# Where a page states who wrote it, beyond its metadata: the HTML element made for it
# (<address>: "contact information for its nearest article") and the class names bylines
# carry across CMSes.
_BYLINE_XPATH = (
    "//address|//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]"
    "|//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
)


def _credit_strings(tree: etree._Element, metas: dict[str, str], ld: dict) -> Iterator[str]:
    """Every author or source statement of the page, organisations included: an agency is
    credited there as often as a person ("Reuters", "By Reuters Staff"). The metadata
    first; the page's byline elements are searched only when it names no agency."""
    found = ld.get("author") or ld.get("creator")
    declared = [_ld_name(i) if isinstance(i, dict) else i
                for i in (found if isinstance(found, list) else [found] if found else [])]
    declared += [metas.get(k, "") for k in ("author", "article:author", "dc.creator", "byl")]
    visible = (" ".join(_clean("".join(el.itertext())).split())
               for el in tree.xpath(_BYLINE_XPATH)[:5] if isinstance(el.tag, str))
    for text in itertools.chain(declared, visible):
        if isinstance(text, str) and text.strip() and len(text) <= 80:
            yield text


def _title(tree: etree._Element, metas: dict[str, str], ld: dict, site: str | None) -> str:
    h1 = [_clean("".join(el.itertext())) for el in tree.iter("h1")]
    h1 = [t for t in h1 if t]
    declared = _clean(
        _first(
            ld.get("headline") if isinstance(ld.get("headline"), str) else "",
            metas.get("og:title"),
            metas.get("twitter:title"),
        )
    )
    for candidate in (declared, h1[0] if len(h1) == 1 else ""):
        if candidate:
            return _strip_site(candidate, site)
    title_el = next(tree.iter("title"), None)
    page_title = _clean("".join(title_el.itertext())) if title_el is not None else ""
    if page_title:
        return _strip_site(page_title, site)
    return h1[0] if h1 else ""


def _strip_site(title: str, site: str | None) -> str:
    """Cut the site's name from the start or end of a title ("Story | Site", "Site - Story").

    Without a known site name only a short segment after a last " | " goes: a " - " or ":"
    more often introduces a subtitle, which is part of the headline.
    """
    cuts = list(_TITLE_SEP.finditer(title))
    if not cuts:
        return title
    first, last = cuts[0], cuts[-1]
    head, tail = title[: first.start()], title[last.end() :]
    if site:
        folded = site.casefold()
        if _same_site(tail, folded):
            return title[: last.start()].strip()
        if _same_site(head, folded):
            return title[first.end() :].strip()
    before = title[: last.start()]
    if last.group().strip() == "|" and len(tail.split()) <= 4 and len(before.split()) >= 2:
        return before.strip()
    return title


def _same_site(part: str, folded_site: str) -> bool:
    part = part.strip().casefold()
    return bool(part) and (part in folded_site or folded_site in part)


def _language(tree: etree._Element, metas: dict[str, str], ld: dict) -> str | None:
    for value in (
        tree.get("lang") if hasattr(tree, "get") else None,
        (tree.xpath("string(/html/@lang)") or None) if hasattr(tree, "xpath") else None,
        ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None,
        metas.get("content-language"),
        metas.get("og:locale"),
        metas.get("language"),
    ):
        if value:
            code = re.split(r"[-_,;\s]", value.strip().lower())[0]
            if re.fullmatch(r"[a-z]{2,3}", code):
                return code
    return None


def _xpath_strs(tree: etree._Element, path: str) -> list[str]:
    return [s.strip() for s in tree.xpath(path) if isinstance(s, str) and s.strip()]


def _first(*values) -> str:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _clean(text) -> str:
    return " ".join(str(text or "").split())
