"""A reader's search box, read once into words, phrases and exclusions.

Readers type what they type: `Rajavi "camp ashraf" -Liberty`, a pasted headline with
quotes and colons, `AND`, a stray `(`. Both databases have a query language of their own
(FTS5's MATCH, PostgreSQL's tsquery) in which such input is either a syntax error or an
operator the reader never meant. So the box is parsed here, by one set of rules for both
backends, and each backend gets an expression built only from quoted terms:

- words are all required (AND), in any order;
- `"…"` is a phrase: its words in that order;
- `-word` or `-"…"` leaves out the articles that have it;
- `word*` matches words that start so (`sanction*`);
- anything else (punctuation, operators, unbalanced quotes) is plain text.

A word, or words typed without quotes, that name a known entity also find the entity's
other names (``with_names``): MEK finds the articles that say PMOI or Mujahedin-e Khalq,
and Maryam Rajavi the ones that write مریم رجوی. Quotes mean exactly these words:
"Camp Ashraf" is not widened (to "Ashraf", which would also find Ashraf Ghani).

No Django here: the desk's search module turns `SearchTerms` into SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 300  # longer is a pasted article, not a search
MAX_TERMS = 12  # each term is an index lookup: a bound keeps one query cheap
MIN_PREFIX_CHARS = 2  # "a*" would expand to most of the index
MAX_NAMES = 24  # other names one term may also match (the PMOI has 15 in English alone)

# A quoted phrase, or a run of anything but spaces and quotes; either may carry a leading "-".
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")


class BadQuery(ValueError):
    """The search box held nothing to look for, or far too much; the message says which."""


@dataclass(frozen=True)
class Term:
    """One word or phrase, as the words the index holds (lower case, punctuation gone)."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a longer one
    # Other names of the entity these words name, each matched as a phrase.
    names: tuple[tuple[str, ...], ...] = ()
    exact: bool = False  # typed in quotes: these words only, never the entity's other names

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class SearchTerms:
    required: tuple[Term, ...]
    excluded: tuple[Term, ...] = field(default_factory=tuple)

    def with_names(self, names_of: Callable[[str], Iterable[str] | None]) -> SearchTerms:
        """The same search, each term also matching the other names of the entity it names.

        ``names_of(text)`` gives every name of the entity ``text`` names, or None. A term
        is looked up whole (a word, a quoted phrase); so is the run of all the required
        words, so `Maryam Rajavi` typed without quotes is the person too.
        """
        required = list(self.required)
        plain = [t for t in required if len(t.words) == 1 and not t.prefix and not t.exact]
        if len(plain) == len(required) > 1:
            run = Term(tuple(w for t in required for w in t.words))
            named = _named(run, names_of)
            if named.names:
                required = [named]
        return SearchTerms(tuple(_named(t, names_of) for t in required),
                           tuple(_named(t, names_of) for t in self.excluded))

    def normalised(self) -> str:
        """The query as the reader could have typed it: what the page says it searched."""
        parts = [_as_typed(t) for t in self.required] + ["-" + _as_typed(t) for t in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every term a quoted string, so no input is syntax."""
        expression = " ".join(_fts5_term(t) for t in self.required)
        for term in self.excluded:
            expression += " NOT " + _fts5_term(term)
        return expression

    def tsquery(self) -> str:
        """Input for PostgreSQL's ``to_tsquery``: words joined by operators it reads, each
        word a run of letters and digits (no quote, colon or operator can be in one)."""
        expression = " & ".join(_tsquery_term(t) for t in self.required)
        for term in self.excluded:
            expression += " & !" + _tsquery_term(term)
        return expression


def _named(term: Term, names_of: Callable[[str], Iterable[str] | None]) -> Term:
    if term.prefix or term.names or term.exact:
        return term
    others: list[tuple[str, ...]] = []
    for name in names_of(" ".join(term.words)) or ():
        words = tuple(w.lower() for w in _WORD.findall(name))
        if words and words != term.words and words not in others:
            others.append(words)
    return Term(term.words, names=tuple(others[:MAX_NAMES])) if others else term


def _as_typed(term: Term) -> str:
    return f'"{term.text}"' if len(term.words) > 1 or term.exact else term.text


def _fts5_term(term: Term) -> str:
    # Words are \w runs, so they hold no double quote; quoting makes AND, OR, NEAR and
    # column names ("title:") plain words.
    quoted = '"' + " ".join(term.words) + '"'
    if term.prefix:
        return quoted + " *"
    if not term.names:
        return quoted
    return "(" + " OR ".join([quoted, *('"' + " ".join(n) + '"' for n in term.names)]) + ")"


def _tsquery_term(term: Term) -> str:
    words = list(term.words)
    if term.prefix:
        words[-1] += ":*"
    phrases = [" <-> ".join(w) for w in (words, *term.names)]
    if len(phrases) == 1:
        return f"({phrases[0]})"
    return "(" + " | ".join(f"({p})" for p in phrases) + ")"


def _term(raw: str, allow_prefix: bool, exact: bool = False) -> Term | None:
    words = tuple(w.lower() for w in _WORD.findall(raw))
    if not words:
        return None
    prefix = allow_prefix and raw.rstrip().endswith("*") and len(words[-1]) >= MIN_PREFIX_CHARS
    return Term(words, prefix, exact=exact)


def parse(query: str) -> SearchTerms:
    """The reader's input as terms; BadQuery when nothing is left to look for."""
    query = " ".join(query.split())
    if not query:
        raise BadQuery("Type a word to search for.")
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(f"A search can be at most {MAX_QUERY_CHARS} characters long; this one has {len(query)}.")
    required: list[Term] = []
    excluded: list[Term] = []
    for match in _PART.finditer(query):
        minus_phrase, phrase, minus_word, word = match.groups()
        if phrase is not None:
            term, minus = _term(phrase, allow_prefix=False, exact=True), minus_phrase
        else:
            term, minus = _term(word, allow_prefix=True), minus_word
        if term is None:
            continue
        target = excluded if minus else required
        if term not in target:
            target.append(term)
    if not required:
        if excluded:
            raise BadQuery("Say what to look for, not only what to leave out.")
        raise BadQuery("The search holds no words, only punctuation.")
    if len(required) + len(excluded) > MAX_TERMS:
        raise BadQuery(f"A search can hold at most {MAX_TERMS} words and phrases.")
    return SearchTerms(tuple(required), tuple(excluded))
