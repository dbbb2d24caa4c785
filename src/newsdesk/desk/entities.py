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
    return entities_for([mention], table)[0]


def entities_for(mentions: list[doc.Mention], table=None) -> list[Entity]:
    """The entity row of each mention (in their order), read and created in bulk.

    One query reads the rows an article's names already have and one INSERT adds the
    missing ones, instead of a get-or-create (two to four statements) per name. The
    insert skips a slug another worker has just created ("Iraq" is in every other
    story): its row wins and the mention joins it. Rows are created and locked in one
    order (by slug) in every worker, so two workers naming the same entities cannot each
    hold one the other waits for.
    """
    slugs = [entity_slug(m.name) for m in mentions]
    rows = {e.slug: e for e in Entity.objects.filter(slug__in=set(slugs))}
    first: dict[str, doc.Mention] = {}
    for slug, m in sorted(zip(slugs, mentions, strict=True), key=lambda sm: sm[0]):
        if slug not in rows:
            first.setdefault(slug, m)
    created: set[str] = set()
    if first:
        new = [Entity(slug=slug, name=m.name[:300], kind=m.kind,
                      aliases=sorted(set(m.aliases) - {m.name}))
               for slug, m in first.items()]
        Entity.objects.bulk_create(new, ignore_conflicts=True)
        wanted = {e.slug: e for e in new}
        for e in Entity.objects.filter(slug__in=list(first)):
            rows[e.slug] = e
            mine = wanted[e.slug]
            if (e.name, e.kind, e.aliases) == (mine.name, mine.kind, mine.aliases):
                created.add(e.slug)  # as this mention made it: its names are all there
    for slug, m in sorted(zip(slugs, mentions, strict=True), key=lambda sm: sm[0]):
        if first.get(slug) is m and slug in created:
            continue
        entity = rows[slug]
        names = _names(entity, m, table)
        if names == set(entity.aliases):
            continue
        if connection.in_atomic_block:  # add to the names as stored now, not as read above
            entity = rows[slug] = Entity.objects.select_for_update().get(pk=entity.pk)
            names = _names(entity, m, table)
        entity.aliases = sorted(names)
        entity.save(update_fields=["aliases"])
    return [rows[slug] for slug in slugs]


def _names(entity: Entity, mention: doc.Mention, table) -> set[str]:
    """The entity's other names once this mention's are added, editors' splits applied."""
    names = (set(entity.aliases) | set(mention.aliases)) - {entity.name}
    if table is not None:
        names = {n for n in names if not table.kept_apart([n], [entity.name])}
    return names


def known_entities(mentions: list[doc.Mention], table=None) -> list[Entity]:
    """The entity each mention names: one the desk knows under this bare form or spelling
    (``entity_links.resolve_many``), else its own row by canonical name (``entities_for``)."""
    from newsdesk.desk.entity_links import resolve_many

    known = resolve_many(mentions, table)
    unknown = [m for m, entity in zip(mentions, known, strict=True) if entity is None]
    made = iter(entities_for(unknown, table)) if unknown else iter(())
    result = []
    for mention, entity in zip(mentions, known, strict=True):
        if entity is None:
            result.append(next(made))
            continue
        names = _names(entity, mention, table)
        if names != set(entity.aliases):
            if connection.in_atomic_block:
                entity = Entity.objects.select_for_update().get(pk=entity.pk)
            entity.aliases = sorted(_names(entity, mention, table))
            entity.save(update_fields=["aliases"])
        result.append(entity)
    return result


def is_demonym(mention: doc.Mention) -> bool:
    """"Iranian", "Iraqis": a people's name, not an entity of its own."""
    from newsdesk.pipeline.aliases import load_lexicon, normalise

    key = normalise(mention.name)
    demonyms = load_lexicon().demonyms
    return mention.kind == "misc" and (key in demonyms or (key.endswith("s") and key[:-1] in demonyms))


def is_common_adjective(mention: doc.Mention) -> bool:
    """"Democratic" (senators), "Islamic" (law): one capitalised word of the dictionary
    that the tagger read as a miscellaneous name, like a demonym. No reader looks for its
    page. A name the alias file knows stays, and so do people, organisations, places and
    every name of two words or more."""
    from newsdesk.pipeline.aliases import load_aliases
    from newsdesk.pipeline.nlp import english_words

    name = mention.name
    if mention.kind != "misc" or " " in name or not name[:1].isupper() or name.isupper():
        return False
    if load_aliases().lookup(name) is not None:
        return False
    return name.casefold() in english_words()


def record_mentions(article: Article, draft: doc.Draft) -> list[Mention]:
    from newsdesk.desk.entity_links import absorb_bare_many, register_many

    Mention.objects.filter(article=article).delete()
    rows = {}
    table = alias_table()
    mentions = [m for m in find_mentions(draft, table) if not is_demonym(m) and not is_common_adjective(m)]
    entities = known_entities(mentions, table)
    for m, entity in zip(mentions, entities, strict=True):
        if entity.pk in rows:  # two names of one entity (a bare form the desk knew): one row
            row = rows[entity.pk]
            row.count += m.count
            row.first_position = min(row.first_position, m.first_position)
            row.surface_forms = list(dict.fromkeys([*row.surface_forms, *m.aliases]))
            continue
        rows[entity.pk] = Mention(article=article, entity=entity, count=m.count,
                                  first_position=m.first_position, surface_forms=list(m.aliases))
    Mention.objects.bulk_create(rows.values())
    # Then the desk learns the keys these names showed; an entity made earlier from a bare
    # form that now answers to one of them is folded in (this article's mention with it).
    # One read and one insert for the keys, two reads to screen them for bare entities to
    # fold; an absorption (rare: once per bare entity) costs its own queries.
    learned = register_many(list(zip(entities, mentions, strict=True)))
    if learned:
        by_pk = {e.pk: e for e in entities}
        absorb_bare_many([(by_pk[pk], learned[pk]) for pk in sorted(learned, key=lambda pk: by_pk[pk].slug)],
                         table)
    return list(Mention.objects.filter(article=article))


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
