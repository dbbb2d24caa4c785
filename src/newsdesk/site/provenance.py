"""Provenance for readers: who else ran a wire story, what they changed, and where a
developing story came from.

The desk links syndicated copies to one canonical article (`desk/copies.py`); here they
become the article page's "Also published by …" list and the story page's outlets and
wire origin. Diffs are computed on view: a copy is a dozen paragraphs and a story has a
handful of copies, so this costs less than storing and invalidating them.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import F

from newsdesk.desk.models import Article, Story
from newsdesk.pipeline.copies import CopyCandidate, compare_copies, on_agency_site
from newsdesk.site.cards import source_link


def outlet_name(article: Article) -> str:
    if article.source_id:
        return article.source.name
    return source_link(article) or "an unnamed outlet"


def also_published(article: Article) -> list[dict]:
    """The article's copies, oldest first: outlet, link, headline and what changed."""
    copies = (Article.objects.filter(duplicate_of=article, status=Article.Status.PUBLISHED)
              .select_related("source")
              .order_by(F("published_at").asc(nulls_last=True), "created_at", "pk"))
    original = (article.title, article.paragraphs)
    out = []
    for copy in copies:
        diff = compare_copies(original, (copy.title, copy.paragraphs))
        out.append({
            "id": copy.pk,
            "outlet": outlet_name(copy),
            "url": source_link(copy),
            "title": copy.title,
            "published": copy.published_at,  # None: the outlet gave no date (`when` is the desk's)
            "when": copy.when,
            "changes": diff.summary(),
            "headline_changed": diff.headline_changed,
            "paragraphs_added": diff.paragraphs_added,
            "paragraphs_cut": diff.paragraphs_cut,
            "paragraphs_changed": diff.paragraphs_changed,
        })
    return out


def story_coverage(story: Story) -> list[Article]:
    """Everything filed under the story, copies included (not hidden articles)."""
    return list(Article.objects.filter(story=story, status=Article.Status.PUBLISHED)
                .select_related("source"))


def outlets(coverage: list[Article]) -> list[dict]:
    counts = Counter(outlet_name(a) for a in coverage)
    return [{"name": n, "count": c} for n, c in counts.most_common()]


def wire_origin(coverage: list[Article]) -> list[dict]:
    """Where the story's syndicated coverage came from: each canonical article that other
    outlets copied, with its agency (or the agency whose own site it is on)."""
    copied = Counter(a.duplicate_of_id for a in coverage if a.duplicate_of_id)
    out = []
    for a in coverage:
        if a.duplicate_of_id or not (copied[a.pk] or a.agency):
            continue
        on_site = on_agency_site(CopyCandidate(key=str(a.pk), agency=a.agency or None,
                                               site=a.url))
        out.append({
            "id": a.pk,
            "title": a.title,
            "url": a.get_absolute_url(),
            "agency": a.agency or (a.source.name if on_site and a.source_id else None),
            "source": outlet_name(a),
            "on_agency_site": on_site,
            "outlets": 1 + len({c.source_id or c.pk for c in coverage if c.duplicate_of_id == a.pk
                                and (c.source_id or c.pk) != a.source_id}),
        })
    out.sort(key=lambda o: (-o["outlets"], o["id"]))
    return out
