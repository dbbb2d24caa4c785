"""Sparse text vectors shared by story clustering and related-article ranking.

Vectors are plain ``dict[str, float]`` so the desk can store them as JSON and reload
them without pickles; document frequencies are a plain dict plus a count for the same
reason. Tokenisation is deliberately cheap (a regex, a stop list, a light plural fold):
the clustering step must keep up with thousands of articles a second on one core.
"""

from __future__ import annotations

import heapq
import math
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Function words plus newsroom filler ("said", "told", weekdays) that carry no topic.
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although am among an and another any
    are aren around as at be became because been before being below between both but by can
    cannot could couldn did didn do does doesn doing don down during each either else even
    ever every few for from further had has hasn have haven having he her here hers herself
    him himself his how however i if in into is isn it its itself just last least less like
    made make many may me might more most much must my myself near neither new no nor not now
    of off on once one only or other others our ours ourselves out over own per put rather
    re same says said say saying shall she should since so some still such than that the
    their theirs them themselves then there these they this those though through thus to
    told too two under until up upon us very via was wasn we were weren what when where
    whether which while who whom whose why will with within without would wouldn yet you
    your yours yourself three four five six seven eight nine ten first second third week
    weeks year years day days time today tomorrow yesterday monday tuesday wednesday
    thursday friday saturday sunday mr mrs ms dr according including get got go going went
    well back way take took people early late later next ago part told asked added just
    s t ll ve d m
    """.split()
)

_WORD_CHARS_KEPT = 20_000  # code points the tokeniser's table keeps; scripts need thousands
LONGEST_TERM = 40  # letters; English words and names stay well below


class _WordChars(dict):
    """A ``str.translate`` table: letters and digits lower-cased, anything else a space.

    Splitting the translated text on whitespace is the tokeniser: two C passes, twice as
    fast as a regex ``findall``, and letters of any script stay letters (a Persian or
    Russian article clusters on its own words). Punctuation ends a word, so "rajavi's"
    gives "rajavi" + "s" (dropped as too short) and "o'brien" keeps "brien". The table
    fills itself one code point at a time as texts bring new ones, up to a bound: a
    crafted page that lists every code point must not grow it for the process's life.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        out = char.lower() if char.isalnum() else " "
        if len(self) < _WORD_CHARS_KEPT:
            self[code] = out
        return out


_WORD_CHARS = _WordChars()

# A run of capitalised words (allowing "of", "al-", "bin" links) — a cheap stand-in for
# named entities when no recogniser ran upstream.
_NAME = re.compile(
    r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z'’\-]+(?:\s+(?:of|de|al|bin|van|von|la|le)?\s*[A-Z][a-zA-Z'’\-]+)*)"
)


def fold(text: str) -> str:
    """Lower-case and strip accents so "Rajavi’s", "RAJAVI" and "rajavi" meet."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """Fold plurals only (the tokeniser already split a possessive's "s" off); a full
    stemmer costs speed and merges too much."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of a text, folded (lower case, no accents), in reading order."""
    if not text.isascii():
        text = fold(text)
    return text.translate(_WORD_CHARS).split()  # the table lower-cases


def term_sequence(text: str) -> list[str | None]:
    """Each word's term in reading order, None for a word that is no term (a stop word,
    a number, a letter alone). Only words never seen before are stemmed in Python; the
    rest goes through the word → term memo in a C loop (``map``)."""
    cache = _TERMS
    if len(cache) > _TERM_CACHE_SIZE:
        cache.clear()
    found = words(text)
    for word in set(found).difference(cache):
        cache[word] = _term(word)
    return list(map(cache.__getitem__, found))


def _term(word: str) -> str | None:
    if not word[0].isalpha():  # "1987", "19th", "½": figures, not topics
        return None
    if len(word) > LONGEST_TERM:  # a hash, a glued URL, a CJK sentence: no topic word
        return None
    w = stem(word)
    return w if len(w) > 1 and w not in STOPWORDS else None


# word → term (None for a stop word): stemming is the tokeniser's hot spot, and news
# vocabulary repeats, so a bounded memo pays for itself many times over.
_TERMS: dict[str, str | None] = {}
_TERM_CACHE_SIZE = 500_000


def forget_terms() -> None:
    """Empty the word → term memo, as in a fresh process (benchmarks time cold passes)."""
    _TERMS.clear()


def term_counts(text: str) -> Counter[str]:
    """How often each term occurs; counted by a C loop, which is what keeps clustering
    at thousands of articles a second."""
    out = Counter(term_sequence(text))
    out.pop(None, None)
    return out


def proper_names(text: str, limit: int = 30) -> list[str]:
    """Capitalised phrases not at a sentence start: a fast proxy for entity names."""
    counts: Counter[str] = Counter()
    for match in _NAME.finditer(text):
        name = match.group(1).strip()
        if fold(name) in STOPWORDS:
            continue
        counts[fold(name)] += 1
    return [name for name, _ in counts.most_common(limit)]


@dataclass
class DocumentFrequencies:
    """Online document frequencies: updated as articles arrive, stored as plain data."""

    n_docs: int = 0
    df: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:  # a plain dict (stored state) becomes a Counter
        if not isinstance(self.df, Counter):
            self.df = Counter(self.df)

    def add(self, terms: Iterable[str]) -> None:
        """Count one document's terms (a vector's keys, or any iterable of terms). A
        Counter's update over the distinct terms runs in C: it is on every arrival."""
        self.n_docs += 1
        self.df.update(terms.keys() if isinstance(terms, Mapping) else set(terms))

    def remove(self, terms: Iterable[str]) -> None:
        self.n_docs = max(0, self.n_docs - 1)
        for term in set(terms):
            left = self.df.get(term, 0) - 1
            if left > 0:
                self.df[term] = left
            else:
                self.df.pop(term, None)

    def idf(self, term: str) -> float:
        """Smoothed IDF; a term never seen weighs as much as a term seen once."""
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """``idf`` for many terms at once: the hot loop of clustering, so logs come from a table."""
        logs = _log1p_table(self.n_docs + 1)
        top = logs[self.n_docs] + 1.0
        get = self.df.get
        return {t: top - logs[get(t, 0)] for t in terms}

    def to_state(self) -> dict:
        return {"n_docs": self.n_docs, "df": dict(self.df)}

    @classmethod
    def from_state(cls, state: Mapping) -> DocumentFrequencies:
        return cls(n_docs=int(state["n_docs"]), df={k: int(v) for k, v in state["df"].items()})


_LOG1P: list[float] = [0.0]


def _log1p_table(n: int) -> list[float]:
    """log(1 + i) for i in 0..n, grown on demand and shared."""
    table = _LOG1P
    for i in range(len(table), n + 1):
        table.append(math.log1p(i))
    return table


def sublinear(counts: Mapping[str, int]) -> dict[str, float]:
    """1 + log(tf): a word said ten times is not ten times the topic."""
    table = _SUBLINEAR
    top = len(table)
    try:
        return {
            t: table[c] if c < top else 1.0 + math.log(c) for t, c in counts.items() if c > 0
        }
    except TypeError:  # fractional counts (a caller weighing terms): no table for those
        return {t: 1.0 + math.log(c) for t, c in counts.items() if c > 0}


# 1 + log(c) for the counts words actually have: a list lookup, not a log call, per term
_SUBLINEAR = [0.0] + [1.0 + math.log(c) for c in range(1, 256)]


def weigh(tf: Mapping[str, float], idf) -> dict[str, float]:
    """TF × IDF, L2-normalised; ``idf`` is any callable term → weight."""
    vec = {t: w * idf(t) for t, w in tf.items()}
    return normalise(vec)


def norm(vec: Mapping[str, float]) -> float:
    """The vector's length (``math.hypot`` walks the values in C)."""
    return math.hypot(*vec.values())


def weighted_norm(vec: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The length of ``vec`` with each term scaled by its weight (TF by IDF), without
    building the scaled vector: products and squares are taken in C."""
    return math.hypot(*map(operator.mul, vec.values(), map(weights.__getitem__, vec)))


def normalise(vec: Mapping[str, float]) -> dict[str, float]:
    norm = math.hypot(*vec.values())
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vec.items()}


def truncate(vec: Mapping[str, float], n: int) -> dict[str, float]:
    """Keep the ``n`` heaviest terms; ties go to the term first in alphabetical order.

    Not insertion order: a vector read back from PostgreSQL's jsonb has its keys in
    jsonb's order, not the order they were written in, and counts tie often, so a cut by
    insertion order gave one desk different stories on SQLite and on PostgreSQL."""
    if len(vec) <= n:
        return dict(vec)
    # heapq walks its heap in Python; a C sort of the whole vector is faster until the
    # vector is dozens of times longer than the cut (the result is the same).
    if 64 * n < len(vec):
        keys = heapq.nsmallest(n, vec, key=lambda k: (-vec[k], k))
    else:
        keys = sorted(vec, key=lambda k: (-vec[k], k))[:n]
    return {k: vec[k] for k in keys}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    na, nb = norm(a), norm(b)
    if na == 0.0 or nb == 0.0:
        return 0.0
    return dot(a, b) / (na * nb)


class TermIndex:
    """An inverted index from a few heavy terms to the ids of the vectors that carry them.

    Each id posts only its top terms, so a lookup walks short posting lists and scores
    a bounded set of candidates, however many ids are stored.
    """

    def __init__(self) -> None:
        self._postings: dict[str, set] = {}
        self._posted: dict[object, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._posted)

    def post(self, item, terms: Iterable[str]) -> None:
        """(Re)post ``item`` under ``terms``, dropping the terms it no longer carries."""
        new = tuple(terms)
        old = set(self._posted.get(item, ()))
        for t in old.difference(new):
            self._discard(t, item)
        for t in set(new).difference(old):
            self._postings.setdefault(t, set()).add(item)
        self._posted[item] = new

    def drop(self, item) -> None:
        for t in self._posted.pop(item, ()):
            self._discard(t, item)

    def _discard(self, term: str, item) -> None:
        ids = self._postings.get(term)
        if ids is not None:
            ids.discard(item)
            if not ids:
                del self._postings[term]

    def candidates(self, query: Mapping[str, float], limit: int) -> list:
        """Ids sharing posted terms with ``query``, best ``limit`` by summed query weight."""
        partial: dict = {}
        get = self._postings.get
        for term, w in query.items():
            for item in get(term, ()):
                partial[item] = partial.get(item, 0.0) + w
        if len(partial) <= limit:
            return list(partial)
        return heapq.nlargest(limit, partial, key=partial.__getitem__)
