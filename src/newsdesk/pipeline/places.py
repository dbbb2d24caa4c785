"""Which countries a story is about: gazetteer hits weighed by where and how they occur.

The cascade, in order (every threshold is a named constant below, carried by PlacesOptions):
  1. Hits. The gazetteer finds every name; each hit weighs
     kind (a country's name > demonym > capital > city)
     × position (headline, lede, then a body that decays to a floor)
     × LOCATIVE_WEIGHT after "in", "at", "outside" … (where things happen)
     × IN_NAME_WEIGHT inside another name ("British Petroleum Co", "Canadian dlrs",
       "Paris accord"), and so does a headline name the lede shows inside a company's
       name (TITLE_ECHO: "CYPRUS LOWERS COPPER PRICE" over "Cyprus Minerals Co said").
     Only PER_SEGMENT_HITS hits per country and paragraph count:
     a story about a place names it across paragraphs, not five times in one.
     A table row led by a country ("SAUDI ARABIA 4.9 3.7", `table_rows`) weighs at
     least TABLE_ROW_WEIGHT, however deep in the story the table stands; so does a place
     followed by a row of figures inside a paragraph (`table_cells`: a table whose lines
     were joined into one paragraph).
  2. Text salience. A country is filed when its salience reaches MIN_SALIENCE and
     RELATIVE_FLOOR of the leader's. A survey story (SURVEY_COUNTRIES or more countries
     named: a crop report, an OPEC table) is about all it lists: the floor drops to
     SURVEY_MIN_SALIENCE, and its body is weighed again decaying less (SURVEY_BODY_DECAY,
     SURVEY_BODY_FLOOR), since it reaches some of its countries only late.
  3. The dateline, kept apart. It names where the reporter stood, which is usually but
     not always what the story is about: a speech in Paris about Camp Ashraf is about Iraq
     and Iran. So its country is filed with only its text salience plus DATELINE_WEIGHT:
     first when the text names nothing else, far below the story's countries when it does
     (FILE_DATELINE_COUNTRY=False keeps it out unless nothing else is filed).
  4. No dateline. The exchange of a headline ticker stands in for it (LISTING_STANDS_IN:
     "<BAC>" trades in New York, "<LLOY.LON>" in London), filed like a dateline but not
     reported as one; and when still nothing is filed, the leading country is, from
     UNDATED_MIN_SALIENCE up: every story happens somewhere.
The most salient country is the primary one; ties go to the first named.
Each constant was checked on both halves of the Reuters-21578 train split (ids even/odd,
`newsdesk eval places --split`): a change had to help both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from newsdesk.pipeline.documents import Filing, Place
from newsdesk.pipeline.gazetteer import (
    Gazetteer,
    Hit,
    dateline_country,
    default_gazetteer,
    listing_country,
)

TITLE_WEIGHT = 3.0
LEDE_WEIGHT = 2.0
BODY_WEIGHT = 1.0
BODY_DECAY = 0.85  # each paragraph after the lede weighs this much of the one before …
BODY_FLOOR = 0.35  # … but never less than this
DATELINE_WEIGHT = 1.5  # where the reporter stood: weak evidence on its own
FILE_DATELINE_COUNTRY = True  # file it (low) even when the text never names it
MIN_SALIENCE = 2.5  # a headline mention, or a lede mention and a little body support
RELATIVE_FLOOR = 0.25  # a secondary country needs this share of the leader's salience
MAX_PLACES = 20  # a survey story is about every country it lists (an OPEC table names 13)
LOCATIVE_WEIGHT = 1.5  # multiplier for a place after "in", "at", "outside" …
PER_SEGMENT_HITS = 1  # hits of one country that count in one paragraph
SURVEY_COUNTRIES = 6  # a story naming this many countries surveys them (crop, OPEC, EC) …
SURVEY_MENTION = 0.5  # … counting those named with at least this salience …
SURVEY_MIN_SALIENCE = 1.0  # … and files each one named about once in the body,
SURVEY_BODY_DECAY = 0.9  # … its later paragraphs weighing more than a report's: a survey
SURVEY_BODY_FLOOR = 0.6  # goes through its countries one by one, the last as much as the first
IN_NAME_WEIGHT = 0.3  # a place inside a company's name says little about the story
UNDATED_MIN_SALIENCE = 1.0  # with no dateline, the leading country is filed from here up
TITLE_ECHO = True  # a headline name the lede shows inside a company's name is that name
LISTING_STANDS_IN = True  # with no dateline, a headline ticker's exchange stands in for it
TABLE_ROW_WEIGHT = 1.0  # a table row led by a country ("SAUDI ARABIA 4.9 3.7") weighs at least this

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
    file_dateline_country: bool = FILE_DATELINE_COUNTRY
    in_name_weight: float = IN_NAME_WEIGHT
    undated_min_salience: float = UNDATED_MIN_SALIENCE
    listing_stands_in: bool = LISTING_STANDS_IN
    title_echo: bool = TITLE_ECHO
    per_segment_hits: int = PER_SEGMENT_HITS
    locative_weight: float = LOCATIVE_WEIGHT
    survey_countries: int = SURVEY_COUNTRIES
    survey_mention: float = SURVEY_MENTION
    survey_min_salience: float = SURVEY_MIN_SALIENCE
    survey_body_decay: float = SURVEY_BODY_DECAY
    survey_body_floor: float = SURVEY_BODY_FLOOR
    table_row_weight: float = TABLE_ROW_WEIGHT
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


def collect_hits(title: str, paragraphs: list[str], gazetteer: Gazetteer) -> list[tuple[int, Hit]]:
    """Gazetteer hits tagged with their segment: -1 for the title, then paragraph index."""
    out = [(-1, hit) for hit in gazetteer.find(title)] if title else []
    for index, paragraph in enumerate(paragraphs):
        out.extend((index, hit) for hit in gazetteer.find(paragraph))
    return out


def score_hits(
    hits: list[tuple[int, Hit]],
    n_paragraphs: int,
    options: PlacesOptions,
    rows: frozenset[int] = frozenset(),
    cells: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Sum each country's hits, weighed by segment and kind; keep the surface forms.

    Only the `per_segment_hits` strongest hits of a country count in each segment, so a
    paragraph that says "U.S." five times weighs about as much as one that says it once:
    spread over the story tells more than repetition in one place. The evidence dict is in
    order of first mention, which breaks ties in `select`.
    """
    weights = segment_weights(n_paragraphs, options)
    named = {
        (hit.code, hit.surface.lower()) for segment, hit in hits if segment == 0 and hit.in_name
    }
    found: dict[tuple[str, int], list[float]] = defaultdict(list)
    evidence: dict[str, list[str]] = defaultdict(list)
    for segment, hit in hits:
        where = options.title_weight if segment < 0 else weights[segment]
        weight = where * options.kind_weights.get(hit.kind, 0.0)
        if hit.locative:
            weight *= options.locative_weight
        if segment in rows or (segment, hit.start) in cells:
            weight = max(weight, options.table_row_weight)
        # a headline name the lede shows inside a company's name ("CYPRUS LOWERS COPPER
        # PRICE" over "Cyprus Minerals Co said …") is that company, not the country
        in_name = hit.in_name or (
            options.title_echo and segment < 0 and (hit.code, hit.surface.lower()) in named
        )
        found[hit.code, segment].append(weight * options.in_name_weight if in_name else weight)
        if hit.surface not in evidence[hit.code]:
            evidence[hit.code].append(hit.surface)
    scores: dict[str, float] = defaultdict(float)
    for (code, _), ws in found.items():
        scores[code] += sum(sorted(ws, reverse=True)[: options.per_segment_hits])
    return scores, evidence


def surveyed(scores: dict[str, float], options: PlacesOptions) -> bool:
    """True for a survey story: one naming `survey_countries` or more countries with
    `survey_mention` salience or more (a crop report, an OPEC output table, an EC tender)."""
    return sum(1 for s in scores.values() if s >= options.survey_mention) >= options.survey_countries


def select(
    scores: dict[str, float], home: str | None, options: PlacesOptions
) -> list[tuple[str, float]]:
    """Pick the filed countries from text salience and the dateline country.

    The dateline country is filed (Reuters' own labels include it in 98.6% of its
    1987 stories) but only with its text salience plus `dateline_weight`, so a story
    that names other countries ranks them first. Other countries must reach
    `min_salience` and `relative_floor` times the strongest text salience. A survey story
    (one naming `survey_countries` or more: a crop report, an OPEC output table, an EC
    tender) is about every country it lists, so there the floor drops to
    `survey_min_salience`.
    """
    text_top = max(scores.values(), default=0.0)
    least = options.min_salience
    if surveyed(scores, options):
        least = min(least, options.survey_min_salience)
    floor = max(least, options.relative_floor * text_top)
    chosen = {code: s for code, s in scores.items() if s >= floor}
    if home is not None and (options.file_dateline_country or not chosen):
        chosen[home] = scores.get(home, 0.0) + options.dateline_weight
    if not chosen and text_top >= options.undated_min_salience:
        # no dateline and nothing above the floor: a story is somewhere, and its
        # strongest country is the best guess (a lone "U.S." in a company story)
        leader = max(scores, key=scores.__getitem__)
        chosen[leader] = text_top
    order = {code: i for i, code in enumerate(scores)}  # first mention breaks ties
    ranked = sorted(chosen.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
    return ranked[: options.max_places]


def file_countries(
    title: str,
    paragraphs: list[str],
    dateline_place: str | None = None,
    options: PlacesOptions = PlacesOptions(),
    gazetteer: Gazetteer | None = None,
) -> Filing:
    """Return the countries the story is about, most salient first; the dateline apart."""
    gazetteer = gazetteer or default_gazetteer()
    hits = collect_hits(title, paragraphs, gazetteer)
    return file_hits(hits, title, paragraphs, dateline_place, options)


def resolve_shared(hits: list[tuple[int, Hit]], home: str | None = None) -> list[tuple[int, Hit]]:
    """Give each shared name ("Kurdish", "Georgia") the country the story means by it.

    Of the countries a shared name may mean, the one the story's own unshared names hit
    most is meant (the dateline's country breaks a tie, then the order the name lists).
    A shared name whose countries the story never names is dropped: "Kurdish" alone
    does not say which Kurds. A name with a country of its own says it then: "Turkmen"
    beside Kirkuk is Iraq's Turkmen, but "the Turkmen president" alone is Turkmenistan's.
    """
    if not any(hit.among for _, hit in hits):
        return hits
    named: dict[str, int] = defaultdict(int)
    for _, hit in hits:
        if not hit.among:
            named[hit.code] += 1
    out = []
    for segment, hit in hits:
        if not hit.among:
            out.append((segment, hit))
            continue
        known = [c for c in hit.among if named.get(c) or c == home]
        if known:
            code = max(known, key=lambda c: (named.get(c, 0), c == home, -hit.among.index(c)))
            out.append((segment, replace(hit, code=code, among=(), alone=None)))
        elif hit.alone:
            out.append((segment, replace(hit, code=hit.alone, among=(), alone=None)))
    return out


_FIGURE = re.compile(r"[-+(]?[\d.,]+%?\)?")


def table_rows(hits: list[tuple[int, Hit]], paragraphs: list[str]) -> frozenset[int]:
    """Paragraphs that are rows of a table led by a place: "SAUDI ARABIA 4.9 3.7 3.5".

    A story that tabulates countries (OPEC output, crop exports by destination) is about
    each of them however deep in the story the table stands, so a row is not weighed down
    by the body's decay.
    """
    leading: dict[int, Hit] = {}
    for segment, hit in hits:
        if segment >= 0 and segment not in leading:
            leading[segment] = hit
    rows = set()
    for segment, hit in leading.items():
        if hit.start > 2:
            continue
        rest = paragraphs[segment][hit.start + len(hit.surface) :].split()
        figures = sum(1 for word in rest if _FIGURE.fullmatch(word))
        if rest and figures * 2 >= len(rest):
            rows.add(segment)
    return frozenset(rows)


TABLE_CELL_FIGURES = 3  # a place followed by this many figures heads a table row


def table_cells(hits: list[tuple[int, Hit]], paragraphs: list[str]) -> frozenset[tuple[int, int]]:
    """(segment, start) of the hits followed by a row of figures inside a paragraph:
    "… include France 3.57 3.42 3.28 W Germany 3.08 2.88 2.64 …". A table whose lines were
    joined into one paragraph (a Markdown export, a page's flattened <table>) is still a
    table of countries, and each row weighs what `table_rows` gives a row of its own."""
    out = set()
    for segment, hit in hits:
        if segment < 0 or hit.in_name:
            continue
        after = paragraphs[segment][hit.start + len(hit.surface) :].split(None, TABLE_CELL_FIGURES)
        if len(after) >= TABLE_CELL_FIGURES and all(
            _FIGURE.fullmatch(word) for word in after[:TABLE_CELL_FIGURES]
        ):
            out.add((segment, hit.start))
    return frozenset(out)


def file_hits(
    hits: list[tuple[int, Hit]],
    title: str,
    paragraphs: list[str],
    dateline_place: str | None = None,
    options: PlacesOptions = PlacesOptions(),
) -> Filing:
    """File a story from hits already found (`collect_hits`): the steps after the gazetteer."""
    plain = {hit.code for _, hit in hits if not hit.among}
    dateline = home = dateline_country(dateline_place, named=plain)
    rows = table_rows(hits, paragraphs)
    cells = table_cells(hits, paragraphs)
    resolved = resolve_shared(hits, home)
    scores, evidence = score_hits(resolved, len(paragraphs), options, rows, cells)
    if surveyed(scores, options):
        # a survey story goes through its countries one by one: weigh it again with a
        # body that decays less, so the countries it reaches last are not lost
        survey = replace(options, body_decay=options.survey_body_decay,
                         body_floor=options.survey_body_floor)
        scores, evidence = score_hits(resolved, len(paragraphs), survey, rows, cells)
    if home is not None:
        evidence[home].append(f"dateline: {dateline_place}")
    elif options.listing_stands_in and (listed := listing_country(title)) is not None:
        # no dateline: the exchange of the headline's ticker says where the company is
        home = listed
        evidence[home].append("listed: " + title[title.index("<") : title.index(">") + 1])
    places = [
        Place(code, round(score, 3), tuple(evidence[code]))
        for code, score in select(scores, home, options)
    ]
    return Filing(places=places, dateline_country=dateline)
