"""Related articles ("You might also like") and reader profiles ("Recommended to you").

Each article gets a compact term vector at ingest time (``term_vector``: its heaviest
~40 TF-IDF terms, L2-normalised, a small JSON dict). Ranking is a cosine over those
dicts, and the terms that contribute most to a match are kept so the page can say why
("Kirkuk, provincial election"). Nothing under ``min_score`` is returned: a block with
nothing truly related is left out, never padded. A near-identical vector (the same text
filed twice) is not "also like" either, hence ``max_score``; syndicated copies that were
edited score lower and are the desk's to drop (``copies.py`` marks them duplicate_of).

A reader profile is the recency-weighted sum of the vectors of what they read; it needs
no account and no server-side state (the browser sends the ids it saw). Rank against a
profile with ``min_score=RelatedOptions.profile_min_score``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .textvec import DocumentFrequencies, cosine, normalise, sublinear, term_counts, truncate

VECTOR_TERMS = 40  # terms stored per article
PROFILE_TERMS = 60  # terms kept in a reader profile
# cosine below which two articles are not "related" (DUC dev: 92 % of top-5 are one event)
MIN_SCORE = 0.12
PROFILE_MIN_SCORE = 0.06  # a profile spreads over several interests, so its matches score lower
MAX_SCORE = 0.95  # cosine above which the candidate is the same text, not a suggestion
VERSION_SCORE = 0.8  # cosine above which two articles are versions of one report (a new lead)
SHARED_TERMS = 5  # reasons shown per suggestion
TITLE_WEIGHT = 2  # a headline word counts this many extra times
PROFILE_DECAY = 0.8  # each older read weighs this much of the next newer one


@dataclass(frozen=True)
class RelatedOptions:
    vector_terms: int = VECTOR_TERMS
    profile_terms: int = PROFILE_TERMS
    min_score: float = MIN_SCORE
    profile_min_score: float = PROFILE_MIN_SCORE
    max_score: float = MAX_SCORE
    shared_terms: int = SHARED_TERMS
    title_weight: int = TITLE_WEIGHT
    profile_decay: float = PROFILE_DECAY


@dataclass(frozen=True)
class Related:
    key: object
    score: float
    shared_terms: list[str]


IdfSource = DocumentFrequencies | Callable[[str], float] | None


def _idf_function(idf: IdfSource) -> Callable[[str], float]:
    if idf is None:
        return lambda term: 1.0
    if isinstance(idf, DocumentFrequencies):
        return idf.idf
    return idf


def term_vector(
    title: str, text: str, idf: IdfSource = None, options: RelatedOptions = RelatedOptions()
) -> dict[str, float]:
    """The article's heaviest terms, normalised, rounded for compact JSON.

    Pass the desk's running document frequencies (the story clusterer keeps them) as
    ``idf``; without it terms are weighed by frequency alone, which favours common words.
    """
    counts = term_counts(text)
    for term in term_counts(title).elements():
        counts[term] += options.title_weight
    weigh = _idf_function(idf)
    vec = {t: w * weigh(t) for t, w in sublinear(counts).items()}
    vec = normalise(truncate(vec, options.vector_terms))
    return {t: round(w, 4) for t, w in vec.items()}


def _norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vec.values()))


def rank_related(
    target: Mapping[str, float],
    candidates: Iterable[tuple[object, Mapping[str, float]]],
    k: int = 5,
    min_score: float = RelatedOptions.min_score,
    options: RelatedOptions = RelatedOptions(),
) -> list[Related]:
    """The ``k`` candidates closest to ``target`` by cosine, best first, each with the
    terms that made the match. Candidates at or above ``options.max_score`` are copies
    of the target and are skipped; the caller drops the target itself."""
    tnorm = _norm(target)
    if not tnorm or k <= 0:
        return []
    scored = []
    for key, vec in candidates:
        vnorm = _norm(vec)
        if not vnorm:
            continue
        if len(vec) < len(target):
            products = {t: w * target[t] for t, w in vec.items() if t in target}
        else:
            products = {t: w * vec[t] for t, w in target.items() if t in vec}
        score = sum(products.values()) / (tnorm * vnorm)
        if min_score <= score < options.max_score:
            scored.append((score, key, products))
    best = heapq.nlargest(k, scored, key=lambda s: (s[0], str(s[1])))
    return [
        Related(
            key=key,
            score=round(score, 4),
            shared_terms=[t for t, _ in sorted(products.items(), key=lambda kv: (-kv[1], kv[0]))][
                : options.shared_terms
            ],
        )
        for score, key, products in best
    ]


def profile_vector(
    vectors: list[Mapping[str, float]], options: RelatedOptions = RelatedOptions()
) -> dict[str, float]:
    """A reader's interests from their reads, newest first: older reads fade by
    ``profile_decay`` each, so one long-ago binge does not drown today's reading."""
    total: dict[str, float] = {}
    weight = 1.0
    for vec in vectors:
        norm = _norm(vec)
        if norm:
            for t, w in vec.items():
                total[t] = total.get(t, 0.0) + weight * w / norm
        weight *= options.profile_decay
    vec = normalise(truncate(total, options.profile_terms))
    return {t: round(w, 4) for t, w in vec.items()}


def distinct_versions(
    items: Iterable[tuple[object, Mapping[str, float]]], version_score: float = VERSION_SCORE
) -> list[object]:
    """The keys of ``items``, in order, less each one that is a version of an earlier one
    (cosine at or above ``version_score``): a wire story sent again with an updated lead is
    one report to a reader, and a block listing both shows the same story twice. The first
    item is the one the reader has open, so its own versions go too. Items without a
    vector are kept: nothing says they repeat anything."""
    kept: list[Mapping[str, float]] = []
    out: list[object] = []
    for key, vec in items:
        if vec and any(cosine(vec, other) >= version_score for other in kept):
            continue
        if vec:
            kept.append(vec)
        out.append(key)
    return out
