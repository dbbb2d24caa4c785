"""Entities on the desk: mentions stored per article under one canonical entity each.

The pipeline finds the names (spaCy + aliases); here they become Entity rows, and the
editors' merges and splits (EntityDecision) are applied to the alias table first, so a
decision holds for every later ingest and reprocess.
"""

from __future__ import annotations

from django.db import connection
from django.utils.text import slugify

from newsdesk import config
from newsdesk.desk.budgets import budgets
from newsdesk.desk.models import Article, Entity, EntityDecision, Mention
from newsdesk.pipeline import documents as doc

# The base table and editors' decisions as last read, and the table built from them.
_decided: tuple[object, tuple, object] | None = None


def alias_table():
    """The shipped aliases with every editor decision applied.

    The decisions are read on each call (one query, so an edit in the admin counts from
    the next article on), but the table is rebuilt only when they differ from the last
    read: ingest asks for it once per article.
    """
    global _decided
    from newsdesk.pipeline.aliases import load_aliases

    base = load_aliases()
    decisions = tuple(EntityDecision.objects.values_list("kind", "alias", "target"))
    if not decisions:
        return base
    if _decided is not None and _decided[0] is base and _decided[1] == decisions:
        return _decided[2]
    merges = [(a, t) for k, a, t in decisions if k == EntityDecision.Kind.MERGE]
    splits = [(a, t) for k, a, t in decisions if k == EntityDecision.Kind.SPLIT]
    table = base.with_merges(merges, splits)
    _decided = (base, decisions, table)
    return table


def find_mentions(draft: doc.Draft, table=None) -> list[doc.Mention]:
    from newsdesk.pipeline.entities import find_mentions as pipeline_find
    from newsdesk.pipeline.nlp import load_model

    nlp = load_model(config.get("NEWSDESK_SPACY_MODEL"))  # once per process, cached
    return pipeline_find(draft.title, draft.paragraphs, aliases=table or alias_table(), nlp=nlp,
                         max_chars=budgets().entity_chars)


def entity_slug(name: str) -> str:
    """An ASCII slug where the name has Latin letters; else one in the name's own script
    ("مریم رجوی" → "مریم-رجوی"): an ASCII-only slug of such a name is empty, and every
    name in Persian or Arabic would have landed on one shared row."""
    return slugify(name)[:200] or slugify(name, allow_unicode=True)[:200] or "entity"


def entity_for(mention: doc.Mention, table=None) -> Entity:
    """The entity row of a mention; its stored names follow the editors' splits."""
    slug = entity_slug(mention.name)
    # get_or_create, not get-then-create: another worker may be creating the same entity
    # ("Iraq" is in every other story); its row wins and this mention joins it.
    entity, created = Entity.objects.get_or_create(slug=slug, defaults={
        "name": mention.name[:300], "kind": mention.kind,
        "aliases": sorted(set(mention.aliases) - {mention.name})})
    if created or _names(entity, mention, table) == set(entity.aliases):
        return entity
    if connection.in_atomic_block:  # add to the names as stored now, not as read above
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
    entity.aliases = sorted(_names(entity, mention, table))
    entity.save(update_fields=["aliases"])
    return entity


def _names(entity: Entity, mention: doc.Mention, table) -> set[str]:
    """The entity's other names once this mention's are added, editors' splits applied."""
    names = (set(entity.aliases) | set(mention.aliases)) - {entity.name}
    if table is not None:
        names = {n for n in names if not table.kept_apart([n], [entity.name])}
    return names


def record_mentions(article: Article, draft: doc.Draft) -> list[Mention]:
    Mention.objects.filter(article=article).delete()
    rows = {}
    table = alias_table()
    mentions = find_mentions(draft, table)
    # Entity rows are created and locked in one order (by slug) in every worker, so two
    # workers naming the same entities cannot each hold one the other waits for.
    entities = {id(m): entity_for(m, table)
                for m in sorted(mentions, key=lambda m: entity_slug(m.name))}
    for m in mentions:
        entity = entities[id(m)]
        if entity.pk in rows:  # two canonical names that slug alike: one row, counts added
            rows[entity.pk].count += m.count
            continue
        rows[entity.pk] = Mention(article=article, entity=entity, count=m.count,
                                  first_position=m.first_position, surface_forms=list(m.aliases))
    return Mention.objects.bulk_create(rows.values())


def merge_entities(into: Entity, others: list[Entity]) -> None:
    """An editor's merge: others' mentions move to `into`, their names become its aliases,
    and the decision is kept for later ingests."""
    for other in others:
        if other.pk == into.pk:
            continue
        EntityDecision.objects.create(kind=EntityDecision.Kind.MERGE, alias=other.name, target=into.name)
        for mention in Mention.objects.filter(entity=other).select_related("article"):
            twin = Mention.objects.filter(article=mention.article, entity=into).first()
            if twin:
                twin.count += mention.count
                twin.first_position = min(twin.first_position, mention.first_position)
                twin.surface_forms = sorted(set(twin.surface_forms) | set(mention.surface_forms))
                twin.save()
                mention.delete()
            else:
                mention.entity = into
                mention.save(update_fields=["entity"])
        into.aliases = sorted((set(into.aliases) | {other.name} | set(other.aliases)) - {into.name})
        other.delete()
    into.save(update_fields=["aliases"])
