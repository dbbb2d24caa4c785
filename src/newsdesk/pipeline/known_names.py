"""Entities in text the NER model cannot read: the alias file's names, in any script.

The English spaCy model finds people and organisations in English only. A Persian or
Arabic report names the same ones ("مریم رجوی", "سپاه پاسداران", "حزب الله"), and the
curated alias file lists those spellings beside the English ones, so such a report is
matched name by name against the file instead: the entity is one, whatever the script
(Maryam Rajavi's page lists the Persian spelling and links the Persian report).

Names are read as the gazetteer reads places: word by word, with its letter folding
(ي/ی, ك/ک, ة/ه, hamza carriers) and the clitics Arabic glues before a name ("وحزب"),
longest name first. Only names the file knows are found; nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .aliases import AliasTable
from .documents import Mention
from .gazetteer import (
    ARABIC_ARTICLE,
    CLITIC_CONJUNCTIONS,
    fold,
    name_key,
    name_tokens,
    without_clitics,
)

# Below this share of Latin letters a text is not the English model's to read.
LATIN_SHARE = 0.5
_LETTER = re.compile(r"[^\W\d_]")


def reads_latin(texts: Iterable[str], sample: int = 2000) -> bool:
    """True when most letters of the texts (their first `sample` characters) are Latin."""
    letters = latin = 0
    for ch in _LETTER.findall("".join(texts)[:sample]):
        letters += 1
        latin += ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")
    return not letters or latin >= LATIN_SHARE * letters


def _may_glue(prefix: str) -> bool:
    """Whether a one-word name may carry these glued letters: "and", "so" and the article
    may, a preposition may not ("بحماس" is "with zeal" far more often than "in Hamas")."""
    if prefix[:1] and prefix[:1] in CLITIC_CONJUNCTIONS:
        prefix = prefix[1:]
    return prefix in ("", ARABIC_ARTICLE)


@dataclass(frozen=True)
class KnownNames:
    """Every spelling of the alias file, as folded word tuples → canonical entity name."""

    names: dict[tuple[str, ...], str]
    longest: dict[str, int]  # first word → most words a name starting with it has
    kinds: dict[str, str]  # entity name → its kind ("misc" where an editor left it open)

    @classmethod
    def from_table(cls, table: AliasTable) -> KnownNames:
        names: dict[tuple[str, ...], str] = {}
        longest: dict[str, int] = {}
        kinds = {name: entity.kind or "misc" for name, entity in table.entities.items()}
        for entity in table.entities.values():
            for surface in (entity.name, *entity.aliases):
                words = tuple(name_key(surface).split())
                if words:
                    names.setdefault(words, entity.name)
                    longest[words[0]] = max(longest.get(words[0], 0), len(words))
        return cls(names, longest, kinds)

    def find(self, title: str, paragraphs: list[str]) -> list[Mention]:
        """The entities the texts name, in order of first mention, one Mention each."""
        found: dict[str, Mention] = {}
        at = 0
        for text in (title, *paragraphs):
            for start, surface, name in self._matches(text):
                seen = found.get(name)
                if seen is None:
                    found[name] = Mention(name, self.kinds[name], (surface,), 1, at + start)
                else:
                    aliases = seen.aliases if surface in seen.aliases else (*seen.aliases, surface)
                    found[name] = Mention(name, seen.kind, aliases, seen.count + 1,
                                          seen.first_position)
            at += len(text) + 2
        return sorted(found.values(), key=lambda m: m.first_position)

    def _matches(self, text: str) -> Iterable[tuple[int, str, str]]:
        tokens = list(name_tokens(text))
        keys = [fold(t.group()) for t in tokens]
        i = 0
        while i < len(tokens):
            head = keys[i]
            if head.isascii() and not tokens[i].group()[0].isupper():
                i += 1  # a Latin name starts with a capital: "us" is no "US"
                continue
            glued = ""
            if head not in self.longest:
                bare = without_clitics(head, self.longest)
                glued, head = head[: len(head) - len(bare)], bare
            size = min(self.longest.get(head, 0), len(tokens) - i)
            for n in range(size, 0, -1):
                name = self.names.get((head, *keys[i + 1 : i + n]))
                if name is not None and (n > 1 or _may_glue(glued)):
                    start = tokens[i].start()
                    cut = glued.removesuffix(ARABIC_ARTICLE)  # "الخميني" keeps its article
                    if cut and fold(text[start : start + len(cut)]) == cut:
                        start += len(cut)  # the name as written, without "و" or "ب"
                    yield start, text[start : tokens[i + n - 1].end()], name
                    i += n
                    break
            else:
                i += 1


_last: tuple[AliasTable, KnownNames] | None = None


def known_names(table: AliasTable) -> KnownNames:
    """The matcher of an alias table, rebuilt only when the table is another one (the
    desk keeps one table until an editor's decision makes a new one)."""
    global _last
    if _last is None or _last[0] is not table:
        _last = (table, KnownNames.from_table(table))
    return _last[1]
