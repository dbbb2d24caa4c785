"""One entity per real entity across the desk: bare names join the entity the desk knows.

An article that says only "Reagan", "the IMF" or "Commodity Credit Corp" names no long
form for ``pipeline.entities`` to fold into. Each entity's keys (``pipeline.name_keys``:
its folded full names, its surname or initials, the short names articles defined for it)
are stored as ``EntityName`` rows, and:

- a mention is read as the entity whose keys answer to it, when exactly one does
  (``resolve_many``); two entities answering to one short form ("EC": European Community and
  an Energy Commission) leave it apart;
- when an entity gains a key, an entity the desk had made from that bare form alone
  ("Reagan", before any article said "Ronald Reagan") is folded into it, so earlier
  articles follow (``absorb_bare``);
- editors' splits win: a pair an editor kept apart is never joined here.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from newsdesk.desk.models import Entity, EntityName, Mention
from newsdesk.pipeline import documents as doc
from newsdesk.pipeline.name_keys import bare_key, full_key, keys_of


def _answering(kind: str, key: str) -> set[int]:
    return set(EntityName.objects.filter(kind=kind, key=key).values_list("entity_id", flat=True))


def _lookup_keys(mention: doc.Mention) -> tuple[str | None, str]:
    return bare_key(mention.name, mention.kind), full_key(mention.name)


def resolve_many(mentions: list[doc.Mention], table=None) -> list[Entity | None]:
    """For each mention, the stored entity it names under another spelling or a bare
    form, or None: one query for every key of the article, one for the entities found."""
    keys = [_lookup_keys(m) for m in mentions]
    wanted = {k for short, full in keys for k in (short, full) if k}
    owners: dict[tuple[str, str], set[int]] = {}
    for kind, key, entity_id in EntityName.objects.filter(
            kind__in=[EntityName.SHORT, EntityName.FULL], key__in=wanted).values_list("kind", "key", "entity_id"):
        owners.setdefault((kind, key), set()).add(entity_id)
    chosen: list[int | None] = []
    for short, full in keys:
        found = owners.get((EntityName.SHORT, short), set()) if short else set()
        if not found:
            found = owners.get((EntityName.FULL, full), set())
        chosen.append(next(iter(found)) if len(found) == 1 else None)
    entities = Entity.objects.in_bulk({pk for pk in chosen if pk is not None})
    result = []
    for mention, pk in zip(mentions, chosen, strict=True):
        entity = entities.get(pk) if pk is not None else None
        if entity is not None and table is not None and table.kept_apart(
                list(mention.aliases) or [mention.name], [entity.name]):
            entity = None
        result.append(entity)
    return result


def register_many(pairs: list[tuple[Entity, doc.Mention]]) -> dict[int, set[str]]:
    """Store the keys these mentions show for their entities, in one read and one insert;
    return each entity's new short keys."""
    wanted: dict[int, set[tuple[str, str]]] = {}
    for entity, mention in pairs:
        wanted.setdefault(entity.pk, set()).update(keys_of(entity.name, entity.kind, mention.aliases))
    have: dict[int, set[tuple[str, str]]] = {}
    for entity_id, kind, key in EntityName.objects.filter(entity_id__in=list(wanted)).values_list(
            "entity_id", "kind", "key"):
        have.setdefault(entity_id, set()).add((kind, key))
    new = {pk: keys - have.get(pk, set()) for pk, keys in wanted.items()}
    rows = [EntityName(entity_id=pk, kind=k, key=v) for pk, keys in new.items() for k, v in sorted(keys)]
    if rows:
        EntityName.objects.bulk_create(rows, ignore_conflicts=True)
    return {pk: {key for kind, key in keys if kind == EntityName.SHORT} for pk, keys in new.items() if keys}


def absorb_bare(entity: Entity, keys: set[str], table=None) -> None:
    """Fold into ``entity`` the entities made from one of these bare forms alone, when the
    form now answers to this entity only."""
    from newsdesk.desk.entities import entity_slug

    for key in keys:
        if _answering(EntityName.SHORT, key) != {entity.pk}:
            continue
        bare = Entity.objects.filter(slug=entity_slug(key)).exclude(pk=entity.pk).first()
        if bare is None or (table is not None and table.kept_apart([bare.name], [entity.name])):
            continue
        # a bare entity is one that no long name was ever given for
        if any(len(k.split()) >= 2 for k in EntityName.objects.filter(
                entity=bare, kind=EntityName.FULL).values_list("key", flat=True)):
            continue
        fold_into(entity, bare)


def absorb_bare_many(learned: list[tuple[Entity, set[str]]], table=None) -> None:
    """``absorb_bare`` for each (entity, new short keys) of one article, screened first
    with two queries for all of them: who answers to each key, and which entities bear a
    key's bare slug. Only an entity that passes the screen (rare: once per bare entity
    the desk ever made) takes the exact path, and after one fold every later entity does,
    since the fold moved names and keys the screen read."""
    from newsdesk.desk.entities import entity_slug

    keys = {key for _entity, ks in learned for key in ks}
    if not keys:
        return
    owners: dict[str, set[int]] = {}
    for key, entity_id in EntityName.objects.filter(kind=EntityName.SHORT, key__in=keys).values_list(
            "key", "entity_id"):
        owners.setdefault(key, set()).add(entity_id)
    slugged = dict(Entity.objects.filter(slug__in={entity_slug(k) for k in keys}).values_list("slug", "pk"))
    screened = True
    for entity, ks in learned:
        if screened and not any(owners.get(k) == {entity.pk} and slugged.get(entity_slug(k)) not in (None, entity.pk)
                                for k in ks):
            continue
        if not screened and not Entity.objects.filter(pk=entity.pk).exists():
            continue  # folded into another meanwhile
        absorb_bare(entity, ks, table)
        screened = False


@transaction.atomic
def fold_into(into: Entity, other: Entity) -> None:
    """Move ``other``'s mentions to ``into`` (adding counts where an article names both),
    keep its names as ``into``'s aliases and its keys, and drop its row."""
    for mention in Mention.objects.filter(entity=other):
        twin = Mention.objects.filter(article_id=mention.article_id, entity=into).first()
        if twin is None:
            Mention.objects.filter(pk=mention.pk).update(entity=into)
            continue
        Mention.objects.filter(pk=twin.pk).update(
            count=F("count") + mention.count,
            first_position=min(twin.first_position, mention.first_position),
            surface_forms=sorted(set(twin.surface_forms) | set(mention.surface_forms)))
        mention.delete()
    for row in EntityName.objects.filter(entity=other):
        EntityName.objects.get_or_create(entity=into, kind=row.kind, key=row.key)
    into.aliases = sorted((set(into.aliases) | {other.name, *other.aliases}) - {into.name})
    into.save(update_fields=["aliases"])
    other.delete()
