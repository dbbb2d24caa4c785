"""What one ingested item came to, as the CLI, the admin and the API report it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.desk.models import Article


class Status:
    INGESTED = "ingested"
    UPDATED = "updated"  # same URL, edited content (e.g. a corrected headline)
    DUPLICATE = "duplicate"  # same URL and content, or same content elsewhere
    REJECTED = "rejected"
    SUBSCRIBED = "subscribed"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"  # a source that could not be read (feed error); the run goes on


@dataclass
class IngestResult:
    status: str
    url: str = ""
    reason: str = ""
    message: str = ""
    article: Article | None = None
    capture_id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status not in (Status.REJECTED, Status.FAILED)

    def as_dict(self) -> dict:
        """The `--json` line: the article's fields when there is one."""
        out = {"id": None, "status": self.status, "reason": self.reason or None,
               "message": self.message or None, "url": self.url or None,
               "capture_id": self.capture_id}
        a = self.article
        if a is not None:
            out.update(article_fields(a))
        out.update(self.extra)
        return out


def article_fields(a: Article) -> dict:
    date = None
    if a.dateline_month:
        date = {"year": a.dateline_year, "month": a.dateline_month, "day": a.dateline_day}
    return {
        "id": a.pk,
        "url": a.url,
        "title": a.title,
        "excerpt": a.excerpt,
        "agency": a.agency or None,
        "byline": a.byline,
        "authors": a.authors,
        "dateline_place": a.dateline_place or None,
        "dateline_date": date,
        "credits": a.credits or None,
        "category_path": [c.name for c in a.category.ancestry()] if a.category_id else [],
        "countries": [{"code": p.code, "salience": round(p.salience, 3)} for p in a.places.all()],
        "language": a.language or None,
        "published": a.published_at.isoformat() if a.published_at else None,
        "source": a.source.name if a.source_id else None,
        "duplicate_of": a.duplicate_of_id,
        "story": a.story_id,
        "body": a.body,
    }
