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
from newsdesk.pipeline.aliases import normalise
from newsdesk.pipeline.name_keys import (
    bare_key,
    edit_distance,
    full_key,
    is_acronym,
    keys_of,
    near_spelling,
    qualifier,
    short_keys,
    unqualified,
)


def _answering(kind: str, key: str) -> set[int]:
    return set(EntityName.objects.filter(kind=kind, key=key).values_list("entity_id", flat=True))


# The last word of "the Reagan Administration", "the Kuwait Government": whose government
# it is, named by the head word (a slip of one letter allowed: "Adminstration").
GOVERNING_WORDS = ("administration", "government")


def _governing_head(mention: doc.Mention) -> str | None:
    """The head of "<Name> Administration", as a bare key, else None."""
    words = mention.name.split()
    if len(words) != 2 or not words[0][:1].isupper():
        return None
    tail = words[1].casefold()
    if not any(edit_distance(tail, w, 1) <= 1 for w in GOVERNING_WORDS):
        return None
    return bare_key(words[0], "person")


def _candidates(mention: doc.Mention) -> list[tuple[str, str, str]]:
    """The keys a mention may be found under, in order of trust: (why, kind, key).

    - ``bare``: a bare form's key ("Reagan", "IMF");
    - ``full``: its folded full name ("Commodity Credit Corp");
    - ``suffix``: a person's compound surname of three words ("Perez de Cuellar");
    - ``country``: its full name less a leading country ("U.S. Department of Energy");
    - ``stray``: a person's name less one stray leading word the tagger took in ("Mines
      Arturo Hernandez Grisanti", after "Minister of Energy and Mines");
    - ``governs``: the person whose administration it is ("Reagan Administration");
    - ``near``: its surname or initials, for a near spelling of the entity's name.
    """
    out = []
    bare = bare_key(mention.name, mention.kind)
    if bare:
        out.append(("bare", EntityName.SHORT, bare))
    out.append(("full", EntityName.FULL, full_key(mention.name)))
    if mention.kind in ("org", "misc") and unqualified(mention.name):
        out.append(("country", EntityName.FULL, full_key(unqualified(mention.name))))
    words = mention.name.split()
    if mention.kind == "person" and len(words) == 3 and not bare:  # "Perez de Cuellar"
        out.append(("suffix", EntityName.SHORT, normalise(mention.name)))
    if mention.kind == "person" and len(words) >= 3:
        out.append(("stray", EntityName.FULL, full_key(" ".join(words[1:]))))
    head = _governing_head(mention)
    if head:  # the person's surname, or the bare name of a person (or country) itself
        out += [("governs", EntityName.SHORT, head), ("governs", EntityName.FULL, head)]
    if not bare and len(words) >= 2:  # the tagger may have read a typo as another kind
        near = short_keys(mention.name, "person") | short_keys(mention.name, "org")
        out += [("near", EntityName.SHORT, k) for k in sorted(near)]
    return [c for c in out if c[2]]


def _fits(why: str, mention: doc.Mention, entity: Entity) -> bool:
    """Whether an entity found under a looser key is this mention's after all."""
    if why == "bare" and mention.kind in ("org", "misc") and not is_acronym(mention.name):
        # a one-word name ("Pemex") joins an entity an article gave that name, not one whose
        # initials it happens to spell ("Oil": One I Love) or a word of whose name it is
        return normalise(mention.name) in {normalise(n) for n in entity.aliases}
    if why == "governs":
        return entity.kind in ("person", "place")
    if why == "country":  # "Libya National Oil Company" is not Brazil's
        mine = qualifier(mention.name)
        theirs = {q[0] for q in map(qualifier, [entity.name, *entity.aliases]) if q}
        return not theirs or (mine is not None and mine[0] in theirs)
    if why == "near":
        return any(near_spelling(mention.name, n) for n in [entity.name, *entity.aliases])
    return True


def resolve_many(mentions: list[doc.Mention], table=None) -> list[Entity | None]:
    """For each mention, the stored entity it names under another spelling or a bare
    form, or None: one query for every key of the article, one for the entities found.

    A mention's keys are tried in order (``_candidates``); the first one any entity
    answers to decides: one entity is the mention's, two or more leave it apart. A near
    spelling is the exception: among the entities that share its surname or initials, the
    one whose name is a near spelling of it is chosen, when exactly one is.
    """
    tried = [_candidates(m) for m in mentions]
    wanted = {key for cands in tried for _, _, key in cands}
    owners: dict[tuple[str, str], set[int]] = {}
    for kind, key, entity_id in EntityName.objects.filter(
            kind__in=[EntityName.SHORT, EntityName.FULL], key__in=wanted).values_list("kind", "key", "entity_id"):
        owners.setdefault((kind, key), set()).add(entity_id)
    entities = Entity.objects.in_bulk({pk for found in owners.values() for pk in found})
    result = []
    for mention, cands in zip(mentions, tried, strict=True):
        entity = _choose(mention, cands, owners, entities)
        if entity is not None and table is not None and table.kept_apart(
                list(mention.aliases) or [mention.name], [entity.name]):
            entity = None
        result.append(entity)
    return result


def _choose(mention: doc.Mention, cands, owners, entities) -> Entity | None:
    near: set[int] = set()
    for why, kind, key in cands:
        found = [entities[pk] for pk in owners.get((kind, key), ()) if pk in entities]
        if why == "near":
            near |= {e.pk for e in found if _fits(why, mention, e)}
            continue
        fitting = [e for e in found if _fits(why, mention, e)]
        if len(found) == 1 and fitting:
            return fitting[0]
        if why in ("bare", "full") and fitting:
            return None  # two entities answer to it: ambiguous, left apart
    return entities[next(iter(near))] if len(near) == 1 else None


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


def _family(kind: str) -> str:
    """People, places, and the rest (organisations and other names, which the tagger
    confuses with each other)."""
    return kind if kind in ("person", "place") else "org"


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
        if _family(bare.kind) != _family(entity.kind):
            continue  # the country Venezuela is no bare name of "Petroles de Venezuela"
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
