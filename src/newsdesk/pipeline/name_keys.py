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
  else None;
- ``unqualified``: a long name less a leading country ("U.S. Commodity Credit
  Corporation"), which a later article may leave out.
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


def _legal_initials(words: list[str]) -> str:
    """Initials with a trailing legal form kept whole: "Petroleos de Venezuela SA" is
    PDVSA, the SA (Sociedad Anonima) spelt out."""
    if len(words) >= 3 and words[-1] in LEGAL_FORMS and len(words[-1]) <= 3:
        return _initials(words[:-1]) + words[-1]
    return ""


def short_keys(name: str, kind: str) -> set[str]:
    """The bare forms a later article may use for this entity (see the module docstring)."""
    words = _words(name)
    if len(words) < 2:
        return set()
    if kind == "person":  # the surname, and a compound one ("Perez de Cuellar")
        keys = {" ".join(words[-size:]) for size in range(1, len(words))}
        return {k for k in keys if len(k) >= MIN_SURNAME_CHARS}
    if kind in ("org", "misc"):
        content = [w for w in words if w not in SMALL_WORDS]
        keys = {_initials(words), _initials(content), _legal_initials(words), _legal_initials(content)}
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
    if kind in ("org", "misc") and (is_acronym(form) or len(words) == 1):
        return "".join(words)  # "IMF", or a short name such as "Pemex"
    return None


# A long name keeps at least this many words once its country is left out: "U.S.
# Department of Energy" is the Department of Energy, "Kuwait News Agency" no "News Agency".
MIN_UNQUALIFIED_WORDS = 3


def qualifier(name: str) -> tuple[str, str] | None:
    """(country, rest) when a long name starts with a country's abbreviation ("U.S.
    Commodity Credit Corporation") and the rest is a name of its own.

    Only an abbreviation counts: it is the qualifier a writer puts before a body's name,
    while a country spelt out is part of the name ("Sudan People's Liberation Army" is
    not China's People's Liberation Army, nor "Kuwait News Agency" any news agency)."""
    from .aliases import load_lexicon

    words = name.split()
    if len(words) <= MIN_UNQUALIFIED_WORDS or not is_acronym(words[0]):
        return None
    if words[0].casefold() in load_lexicon().countries and words[1][:1].isupper():
        return normalise(words[0]), " ".join(words[1:])
    return None


def unqualified(name: str) -> str | None:
    q = qualifier(name)
    return q[1] if q else None


FULL, SHORT = "full", "short"


def keys_of(name: str, kind: str, forms) -> set[tuple[str, str]]:
    """Every (kind, key) an entity answers to, from its name and the forms it went by:
    its folded full name and short keys; a bare form an article used for it; another long
    name (and that name's initials)."""
    keys = {(FULL, full_key(name))} | {(SHORT, k) for k in short_keys(name, kind)}
    if kind in ("org", "misc") and unqualified(name):
        keys.add((FULL, full_key(unqualified(name))))  # "U.S. X" answers to "X" too
    for form in forms:
        key = bare_key(form, kind)
        if key and normalise(form) != normalise(name):
            if kind in ("org", "misc") and not is_acronym(form) and key in normalise(name).split():
                continue  # "Petroleos" is a word of several names, not a short name of one
            keys.add((SHORT, key))  # a short name an article gave it ("IMF", "Pemex")
        elif len(normalise(form).split()) >= 2:  # another long name, and its initials
            keys.add((FULL, full_key(form)))
            keys |= {(SHORT, k) for k in short_keys(form, kind)}
            if kind in ("org", "misc") and unqualified(form):
                keys.add((FULL, full_key(unqualified(form))))
    return {(k, v) for k, v in keys if v}



# Two spellings of one long name: the same number of words, at least one shared, and the
# rest apart by one typing slip ("Aturo Hernandez Grisanti", "Petroles de Venezuela").
NEAR_MIN_CHARS = 12
NEAR_MAX_EDITS = 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 once it is over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def near_spelling(a: str, b: str) -> bool:
    """True when two long names differ by one slip in one word and share another word
    exactly: a typo in the source, not another entity ("Bank of Iran" / "Bank of Iraq"
    differ in the word that names them, and are too short to count)."""
    wa, wb = full_key(a).split(), full_key(b).split()
    if len(wa) != len(wb) or len(wa) < 2 or wa == wb:
        return False
    if min(len(" ".join(wa)), len(" ".join(wb))) < NEAR_MIN_CHARS:
        return False
    differing = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return min(len(x), len(y)) >= 5 and x[0] == y[0] and edit_distance(x, y, NEAR_MAX_EDITS) <= NEAR_MAX_EDITS
