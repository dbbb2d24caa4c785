"""Which countries a story is about: gazetteer hits weighed by where and how they occur.

A country's salience is the sum of its hits, each weighed by
  * the kind of name (a country's own name counts more than a city in it), and
  * the position: headline, then lede, then the body with a slow decay.
The dateline is kept apart: it names where the reporter stood, which is often but not
always what the story is about (a speech in Paris about Camp Ashraf is about Iraq and
Iran). So it only adds `dateline_weight`, and it is filed on its own only when the text
names no country strongly enough.

A country is filed when its salience reaches `min_salience` and `relative_floor` times the
leader's; the leader is filed when it reaches `min_salience`. Thresholds live in
PlacesOptions as named constants so a caller (or the eval) can vary them without editing
code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from newsdesk.pipeline.documents import Filing, Place
from newsdesk.pipeline.gazetteer import Gazetteer, Hit, dateline_country, default_gazetteer

TITLE_WEIGHT = 3.0
LEDE_WEIGHT = 2.0
BODY_WEIGHT = 1.0
BODY_DECAY = 0.85  # each paragraph after the lede weighs this much of the one before …
BODY_FLOOR = 0.35  # … but never less than this
DATELINE_WEIGHT = 1.5  # where the reporter stood: weak evidence on its own
DATELINE_ALONE_FLOOR = 0.0  # the dateline country is filed alone when nothing else passes
MIN_SALIENCE = 2.0  # about one lede mention of a country, or two in the body
RELATIVE_FLOOR = 0.25  # a secondary country needs this share of the leader's salience
MAX_PLACES = 6

KIND_WEIGHTS = {
    "country": 1.0,
    "alias": 1.0,
    "demonym": 0.8,
    "org": 0.8,
    "state": 0.6,
    "capital": 0.6,
    "city": 0.4,
}


@dataclass(frozen=True)
class PlacesOptions:
    """Weights and thresholds for `file_countries`; defaults are the module constants."""

    title_weight: float = TITLE_WEIGHT
    lede_weight: float = LEDE_WEIGHT
    body_weight: float = BODY_WEIGHT
    body_decay: float = BODY_DECAY
    body_floor: float = BODY_FLOOR
    dateline_weight: float = DATELINE_WEIGHT
    min_salience: float = MIN_SALIENCE
    relative_floor: float = RELATIVE_FLOOR
    max_places: int = MAX_PLACES
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(KIND_WEIGHTS))


def segment_weights(n_paragraphs: int, options: PlacesOptions) -> list[float]:
    """Weight of each paragraph: the lede, then a decaying body with a floor."""
    weights = []
    for i in range(n_paragraphs):
        if i == 0:
            weights.append(options.lede_weight)
        else:
            decayed = options.body_weight * options.body_decay ** (i - 1)
            weights.append(max(decayed, options.body_floor * options.body_weight))
    return weights


def collect_hits(
    title: str, paragraphs: list[str], gazetteer: Gazetteer
) -> list[tuple[int, Hit]]:
    """Gazetteer hits tagged with their segment: -1 for the title, then paragraph index."""
    out = [(-1, hit) for hit in gazetteer.find(title)] if title else []
    for index, paragraph in enumerate(paragraphs):
        out.extend((index, hit) for hit in gazetteer.find(paragraph))
    return out


def file_countries(
    title: str,
    paragraphs: list[str],
    dateline_place: str | None = None,
    options: PlacesOptions = PlacesOptions(),
    gazetteer: Gazetteer | None = None,
) -> Filing:
    """Return the countries the story is about, most salient first; the dateline apart."""
    gazetteer = gazetteer or default_gazetteer()
    weights = segment_weights(len(paragraphs), options)
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    for segment, hit in collect_hits(title, paragraphs, gazetteer):
        where = options.title_weight if segment < 0 else weights[segment]
        scores[hit.code] += where * options.kind_weights.get(hit.kind, 0.0)
        if hit.surface not in evidence[hit.code]:
            evidence[hit.code].append(hit.surface)

    home = dateline_country(dateline_place)
    if home is not None:
        scores[home] += options.dateline_weight
        evidence[home].append(f"dateline: {dateline_place}")

    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    places: list[Place] = []
    if ranked:
        top = ranked[0][1]
        floor = max(options.min_salience, options.relative_floor * top)
        for code, score in ranked[: options.max_places]:
            if score >= floor or not places and score >= options.min_salience:
                places.append(Place(code, round(score, 3), tuple(evidence[code])))
    if not places and home is not None:
        places.append(Place(home, round(scores[home], 3), tuple(evidence[home])))
    return Filing(places=places, dateline_country=home)
