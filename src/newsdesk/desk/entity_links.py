"""One entity per real entity across the desk: bare names join the entity the desk knows.

An article that says only "Reagan", "the IMF" or "Commodity Credit Corp" names no long
form for ``pipeline.entities`` to fold into. Each entity's keys (``pipeline.name_keys``:
its folded full names, its surname or initials, the short names articles defined for it)
are stored as ``EntityName`` rows, and:

- a mention is read as the entity whose keys answer to it, when exactly one does
  (``resolve``); two entities answering to one short form ("EC": European Community and
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
from newsdesk.pipeline.aliases import normalise
from newsdesk.pipeline.name_keys import bare_key, full_key, short_keys


def _answering(kind: str, key: str) -> set[int]:
    return set(EntityName.objects.filter(kind=kind, key=key).values_list("entity_id", flat=True))


def resolve(mention: doc.Mention, table=None) -> Entity | None:
    """The stored entity this mention names under another spelling or a bare form."""
    key = bare_key(mention.name, mention.kind)
    owners = _answering(EntityName.SHORT, key) if key else set()
    if not owners:
        owners = _answering(EntityName.FULL, full_key(mention.name))
    if len(owners) != 1:
        return None
    entity = Entity.objects.get(pk=next(iter(owners)))
    if table is not None and table.kept_apart(list(mention.aliases) or [mention.name], [entity.name]):
        return None
    return entity


def register(entity: Entity, mention: doc.Mention) -> set[str]:
    """Store the keys this mention shows for the entity; return its new short keys."""
    wanted = {(EntityName.FULL, full_key(entity.name))}
    wanted |= {(EntityName.SHORT, k) for k in short_keys(entity.name, entity.kind)}
    for form in mention.aliases:
        key = bare_key(form, entity.kind)
        if key and normalise(form) != normalise(entity.name):
            wanted.add((EntityName.SHORT, key))  # a short name this article gave it
        elif len(normalise(form).split()) >= 2:  # another long name, and its initials
            wanted.add((EntityName.FULL, full_key(form)))
            wanted |= {(EntityName.SHORT, k) for k in short_keys(form, entity.kind)}
    wanted = {(kind, key) for kind, key in wanted if key}
    have = set(EntityName.objects.filter(entity=entity).values_list("kind", "key"))
    new = wanted - have
    if new:
        EntityName.objects.bulk_create([EntityName(entity=entity, kind=k, key=v) for k, v in new],
                                       ignore_conflicts=True)
    return {key for kind, key in new if kind == EntityName.SHORT}


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
