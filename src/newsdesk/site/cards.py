"""Model objects → plain data: the one shape both the HTML templates and the JSON twin render.

Only dicts, lists, strings, numbers, None and datetimes leave this module, so a page's
context can go through `json.dumps` unchanged (Datasette-style: one context, two renderers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext, gettext_lazy

from newsdesk.desk.models import Article, Category, Entity, Mention, Source, Story
from newsdesk.site.headlines import reader_title

MONTHS = (gettext_lazy("Jan"), gettext_lazy("Feb"), gettext_lazy("Mar"), gettext_lazy("Apr"),
          gettext_lazy("May"), gettext_lazy("Jun"), gettext_lazy("Jul"), gettext_lazy("Aug"),
          gettext_lazy("Sep"), gettext_lazy("Oct"), gettext_lazy("Nov"), gettext_lazy("Dec"))


def category_ref(category: Category | None) -> dict | None:
    if category is None:
        return None
    return {"name": category.name, "slug": category.slug, "code": category.code or None,
            "url": category.get_absolute_url()}


def breadcrumb(chain: list[Category]) -> list[dict]:
    return [category_ref(c) for c in chain]


def source_ref(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {"name": source.name, "slug": source.slug, "homepage": source.homepage or None}


def source_link(article: Article) -> str | None:
    """The original's address, when a reader can follow it (not file:// or a bare path)."""
    url = article.url or ""
    return url if url.startswith(("http://", "https://")) else None


def card(article: Article, reason: str | None = None, outlets: int | None = None) -> dict:
    """A teaser: what a list, a block or a feed needs to show one article.

    `outlets` is how many outlets ran the story (the article's own and its syndicated
    copies'); `cards()` fills it for a whole list in one query.
    """
    return {
        "id": article.pk,
        "title": reader_title(article.title, article.body),
        "url": article.get_absolute_url(),
        "excerpt": strip_agency(article.excerpt, article.agency) or teaser(article),
        "agency": article.agency or None,
        "language": article.language or None,
        "when": article.when,
        # False: `when` is the time the desk added it (the source gave no date), never to be
        # shown as a publication date
        "dated": article.published_at is not None,
        "source": article.source.name if article.source_id else None,
        "reason": reason,
        "outlets": outlets,
    }


TEASER_CHARS = 280


def teaser(article: Article) -> str:
    """A line from the lede when the source gave no excerpt: the body's first paragraph
    that is more than the headline again, cut at a word near ``TEASER_CHARS``."""
    title = " ".join(article.title.split()).rstrip(".").casefold()
    for paragraph in article.paragraphs:
        text = " ".join(strip_agency(paragraph, article.agency).split())
        if text and text.rstrip(".").casefold() != title:
            if len(text) <= TEASER_CHARS:
                return text
            cut = text[:TEASER_CHARS].rsplit(" ", 1)[0]
            return cut.rstrip(",;:–—-") + "…"
    return ""


def outlet_counts(articles: Iterable[Article]) -> dict[int, int]:
    """Outlets that ran each article: its own source plus its published copies' (one query)."""
    outlets: dict[int, set] = {a.pk: {a.source_id or ("article", a.pk)} for a in articles}
    if not outlets:
        return {}
    rows = Article.objects.filter(
        duplicate_of_id__in=list(outlets), status=Article.Status.PUBLISHED
    ).values_list("duplicate_of_id", "source_id", "pk")
    for canonical, source, pk in rows:
        outlets[canonical].add(source or ("article", pk))
    return {pk: len(found) for pk, found in outlets.items()}


def cards(articles: Iterable[Article], reasons: Iterable[str | None] | str | None = None
          ) -> list[dict]:
    """`card()` for a list, with the outlet count of each; `reasons` one per article or one for all."""
    articles = list(articles)
    counts = outlet_counts(articles)
    if reasons is None or isinstance(reasons, str):
        reasons = [reasons] * len(articles)
    return [card(a, reason, counts.get(a.pk)) for a, reason in zip(articles, reasons, strict=True)]


def strip_agency(text: str, agency: str) -> str:
    """Drop a leading "Reuters:" from an excerpt: the page prints the agency itself."""
    if agency:
        m = re.match(rf"\s*{re.escape(agency)}\s*[:\-–—]\s*", text or "", re.IGNORECASE)
        if m:
            return text[m.end():]
    return text or ""


def dateline(article: Article) -> dict | None:
    """'Paris, Jan 6' — the year only when the dateline carried one, never an invented year."""
    place = (article.dateline_place or "").strip()
    if place.isupper():
        place = place.title()
    parts = []
    if article.dateline_month and article.dateline_day:
        parts.append(f"{MONTHS[article.dateline_month - 1]} {article.dateline_day}")
    elif article.dateline_month:
        parts.append(str(MONTHS[article.dateline_month - 1]))
    if parts and article.dateline_year:
        parts[0] += f", {article.dateline_year}"
    if not place and not parts:
        return None
    text = ", ".join([p for p in [place] if p] + parts)
    return {"place": place or None, "month": article.dateline_month, "day": article.dateline_day,
            "year": article.dateline_year, "text": text}


def byline(article: Article) -> str | None:
    names = [n for n in (article.byline or []) if n]
    if not names:
        return None
    if len(names) == 1:
        return gettext("By %(name)s") % {"name": names[0]}
    return gettext("By %(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def entity_ref(entity: Entity, count: int | None = None) -> dict:
    return {"name": entity.name, "slug": entity.slug, "kind": entity.kind,
            "url": entity.get_absolute_url(), "count": count}


def linked_paragraphs(paragraphs: list[str], mentions: list[Mention]) -> list[dict]:
    """Paragraphs cut into segments; the first time each entity is named, it links to its page."""
    forms: dict[str, Entity] = {}
    for m in mentions:
        for form in [m.entity.name, *(m.surface_forms or [])]:
            if form and len(form) > 1:
                forms.setdefault(form, m.entity)
    if not forms:
        return [{"text": p, "segments": [{"text": p, "url": None}]} for p in paragraphs]
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
    linked: set[int] = set()
    out = []
    for p in paragraphs:
        segments, pos = [], 0
        for match in pattern.finditer(p):
            entity = forms[match.group(1)]
            if entity.pk in linked:
                continue
            linked.add(entity.pk)
            if match.start() > pos:
                segments.append({"text": p[pos:match.start()], "url": None})
            segments.append({"text": match.group(1), "url": entity.get_absolute_url()})
            pos = match.end()
        if pos < len(p):
            segments.append({"text": p[pos:], "url": None})
        out.append({"text": p, "segments": segments})
    return out


def country_ref(tree, code: str) -> dict:
    """A country code as readers see it: its region-tree name and page (``tree``: a
    ``selectors.Tree``); a code the tree lacks stays a bare code, unlinked."""
    category = tree.by_code.get(code.upper())
    return {"code": code, "name": category.name if category else code,
            "url": category.get_absolute_url() if category else None}


def story_ref(story: Story | None) -> dict | None:
    if story is None:
        return None
    return {"id": story.pk, "title": reader_title(str(story)), "url": story.get_absolute_url()}


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
