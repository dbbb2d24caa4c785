"""The keys under which the desk knows one entity's names across articles.

Inside one article, "Ronald Reagan … Reagan" and "International Monetary Fund (IMF) …
IMF" are folded by ``entities.find_mentions``. Across articles they are not: a story that
says only "Reagan" or "the IMF" names no long form to fold into. The desk keeps, for each
entity, the short forms a reader would use for it, and a bare name joins the one entity
that answers to it; a short form two entities answer to stays apart.

- ``full_key``: the name with spelling variants folded (Corporation = Corp, Organisation =
  Organization, "Energy Department" = "Department of Energy") and the small words dropped,
  so two spellings of one long name meet;
- ``short_keys``: what a bare mention of the entity looks like: a person's surname (and
  a compound surname's last two words), an organisation's initials (of every word, and of
  its content words: OECD for "Organisation for Economic Cooperation and Development");
- ``bare_key``: the key of a mention that is itself a bare form (one word, or an acronym),
  else None.
"""

from __future__ import annotations

import re

from .aliases import normalise

# Spellings of one word: folded to one key.
VARIANTS = {
    "corporation": "corp", "organisation": "organization", "organisations": "organizations",
    "company": "co", "incorporated": "inc", "limited": "ltd", "centre": "center",
    "programme": "program", "defence": "defense", "labour": "labor",
}
# Words a name keeps or drops between spellings ("Organization of the Petroleum …").
SMALL_WORDS = frozenset("the of for and on in at to a an".split())
_ACRONYM = re.compile(r"^[A-Z](?:[A-Z&]|\.[A-Z]){1,6}\.?$")
MIN_SURNAME_CHARS = 3


def _words(name: str) -> list[str]:
    return [VARIANTS.get(w, w) for w in normalise(name).split()]


# A company's legal form, dropped at the end of a full name ("Petroleos de Venezuela SA").
LEGAL_FORMS = frozenset("sa inc corp co ltd plc ag nv bv spa llc gmbh".split())


def full_key(name: str) -> str:
    """Spelling variants folded, small words and a trailing legal form dropped; "X
    Department" read as "Department of X"."""
    words = _words(name)
    if len(words) >= 3 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    if len(words) == 2 and words[1] in ("department", "ministry"):
        words = [words[1], words[0]]
    return " ".join(w for w in words if w not in SMALL_WORDS)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


def short_keys(name: str, kind: str) -> set[str]:
    """The bare forms a later article may use for this entity (see the module docstring)."""
    words = _words(name)
    if len(words) < 2:
        return set()
    if kind == "person":
        keys = {words[-1]}
        if len(words) >= 3:
            keys.add(" ".join(words[-2:]))
        return {k for k in keys if len(k) >= MIN_SURNAME_CHARS}
    if kind in ("org", "misc"):
        content = [w for w in words if w not in SMALL_WORDS]
        keys = {_initials(words), _initials(content)}
        return {k for k in keys if len(k) >= 2}
    return set()


def is_acronym(form: str) -> bool:
    return bool(_ACRONYM.match(form.strip()))


def bare_key(form: str, kind: str) -> str | None:
    """The key of a bare mention: a one-word person name (or a compound surname of two
    words), or an organisation's acronym; None for a full name."""
    words = normalise(form).split()
    if not words:
        return None
    if kind == "person" and len(words) <= 2 and len(words[-1]) >= MIN_SURNAME_CHARS:
        return " ".join(words)
    if kind in ("org", "misc") and is_acronym(form):
        return "".join(words)
    return None


FULL, SHORT = "full", "short"


def keys_of(name: str, kind: str, forms) -> set[tuple[str, str]]:
    """Every (kind, key) an entity answers to, from its name and the forms it went by:
    its folded full name and short keys; a bare form an article used for it; another long
    name (and that name's initials)."""
    keys = {(FULL, full_key(name))} | {(SHORT, k) for k in short_keys(name, kind)}
    for form in forms:
        key = bare_key(form, kind)
        if key and normalise(form) != normalise(name):
            keys.add((SHORT, key))  # a short name an article gave it
        elif len(normalise(form).split()) >= 2:  # another long name, and its initials
            keys.add((FULL, full_key(form)))
            keys |= {(SHORT, k) for k in short_keys(form, kind)}
    return {(k, v) for k, v in keys if v}

