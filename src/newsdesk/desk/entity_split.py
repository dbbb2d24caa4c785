"""An editor says one of an entity's names belongs to another entity ("split").

The decision is kept as an ``EntityDecision`` (split: the name is not the entity), which
the alias table applies to every later ingest (``desk.entities.alias_table``). The name
leaves the entity's aliases now, and the articles whose mentions of the entity were
written that way are run through the pipeline again (``reprocess_capture``), so their
mentions land on the entity the name now answers to: the site shows the split at once.
"""

from __future__ import annotations

from newsdesk.desk.ingest import reprocess_capture
from newsdesk.desk.models import Article, Entity, EntityDecision, Mention
from newsdesk.pipeline.aliases import normalise


def split_name(entity: Entity, name: str) -> list[Article]:
    """Split `name` off `entity`; returns the articles that were read again."""
    if normalise(name) == normalise(entity.name):
        raise ValueError("an entity cannot be split from its own name")
    EntityDecision.objects.create(kind=EntityDecision.Kind.SPLIT, alias=name, target=entity.name)
    key = normalise(name)
    entity.aliases = [a for a in entity.aliases if normalise(a) != key]
    entity.save(update_fields=["aliases"])
    written = [m.article_id for m in Mention.objects.filter(entity=entity)
               if any(normalise(f) == key for f in m.surface_forms)]
    articles = list(Article.objects.filter(pk__in=written, capture__isnull=False).select_related("capture"))
    for article in articles:
        reprocess_capture(article.capture)
    return articles
