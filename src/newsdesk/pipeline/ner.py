"""The shared entity tagger: spaCy's NER with its spans and kinds refined by general rules.

`tag_document(nlp, sentences)` is run by `find_mentions` (one article) and by
`newsdesk eval entities` (CoNLL) alike. It recases ALL-CAPS lines, runs the model's NER,
then `refine()` fixes span edges and kinds (the steps are numbered in its docstring) and
makes names consistent across the document.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .aliases import AliasTable, NameLexicon, load_lexicon
from .nlp import english_words
from .recase import in_dictionary, recase

KIND_OF_LABEL = {"PER": "person", "ORG": "org", "LOC": "place", "MISC": "misc"}
LABEL_OF_KIND = {v: k for k, v in KIND_OF_LABEL.items()}
SPACY_LABELS = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
    "LAW": "MISC", "LANGUAGE": "MISC",
}

# Lower-case words allowed inside a name ("Bank of England", "Charles de Gaulle").
CONNECTORS = frozenset(
    "of de du da das dos del della di la le les van von der den al el bin ibn bint y "
    "and & for on upon 's ' e".split()
)
LEADING_NOISE = frozenset("the a an ex former".split())
# Suffixes that make a capitalised compound an adjective: "Bergamo-based", "ex-Soviet".
MISC_SUFFIXES = ("-based", "-born", "-backed", "-led", "-owned", "-made", "-registered",
                 "-flagged", "-listed", "-bound", "-style", "-era", "-run", "-sponsored")
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday".split()
)
# English and Scottish counties are named "…shire"; their cricket clubs share the name.
COUNTY_SUFFIXES = ("shire",)
# In a sports story a city is its team, unless it follows one of these ("played in Leeds").
VENUE_WORDS = frozenset(("in", "near", "at"))
_DATE_TOKEN = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}(/\d{2,4})?$")
_INITIAL = re.compile(r"^[A-Z]\.$|^[A-Z]\.[A-Z]\.$")
_NUMERIC = re.compile(r"^[\d.,:/%+\-]+$")


@dataclass(frozen=True)
class EntityOptions:
    """Switches of the shared tagger; every rule can be turned off for an ablation."""

    recase_all_caps: bool = True
    sports_city_is_team: bool = True
    propagate: bool = True
    gazetteer_fill: bool = True
    use_aliases: bool = True


# How far a kind decision reaches in step 5 of `refine`.
WEAK = 0  # a vote: the document's majority may overrule it
STRONG = 1  # the name's kind everywhere in the document (alias file, country, demonym)
LOCAL = 2  # this occurrence only, from its context (a venue, a dateline)


@dataclass(frozen=True)
class EntitySpan:
    """A typed name in one sentence: token indices [start, end) and a CoNLL-style label."""

    sent: int
    start: int
    end: int
    label: str  # PER, ORG, LOC, MISC


@dataclass
class _Context:
    lexicon: NameLexicon
    aliases: AliasTable | None
    words: frozenset[str]
    sports: bool = False


def tag_document(nlp, sentences: list[list[str]], spaces: list[list[bool]] | None = None,
                 aliases: AliasTable | None = None, options: EntityOptions | None = None,
                 batch_size: int = 256):
    """Tag pre-tokenised sentences of one document; return (docs, spans per sentence)."""
    from spacy.tokens import Doc

    options = options or EntityOptions()
    lexicon = load_lexicon()
    words = english_words()
    tagged = recase(sentences, lexicon, words) if options.recase_all_caps else sentences
    docs = [
        Doc(nlp.vocab, words=ws, spaces=(spaces[i] if spaces else None))
        for i, ws in enumerate(tagged)
    ]
    docs = list(nlp.pipe(docs, batch_size=batch_size))
    return docs, refine(docs, lexicon, aliases, options, words)

def _name_like(word: str) -> bool:
    return any(c.isupper() for c in word) and any(c.isalpha() for c in word)


def _connector(word: str) -> bool:
    return word.lower().replace("\u2019", "'") in CONNECTORS


def _glued(doc) -> frozenset[int]:
    """Hyphens and apostrophes written inside a word ("Mujahadin-e", "O'Neill")."""
    return frozenset(
        i for i in range(1, len(doc))
        if doc[i].text in ("-", "'", "\u2019") and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def _cut(words: list[str], start: int, end: int,
         glued: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Split a model span at tokens that cannot be inside a name; trim its edges."""
    pieces, s = [], None
    for i in range(start, end + 1):
        w = words[i] if i < end else ""
        inner = s is not None and (_connector(w) or i in glued)
        ok = i < end and (_name_like(w) or inner)
        if ok and s is None:
            s = i
        elif not ok and s is not None:
            pieces.append((s, i))
            s = None
    out = []
    for s, e in pieces:
        while s < e and (_connector(words[s]) or words[s].lower() in LEADING_NOISE):
            s += 1
        while e > s and (_connector(words[e - 1]) or e - 1 in glued):
            e -= 1
        if s < e and not (e - s == 1 and words[s].lower() in MONTHS_DAYS):
            out.append((s, e))
    return out


_PREFIXES = ("ex", "pro", "anti", "non", "post", "pre", "all")


def _is_compound_adjective(key: str) -> bool:
    """"Vienna-based", "ex-Soviet", "pro-Moscow": a name inside an adjective."""
    key = key.casefold()
    if key.endswith(MISC_SUFFIXES):
        return True
    head, _, rest = key.partition("-")
    return head in _PREFIXES and bool(rest)


def _is_misc_form(key: str, lexicon: NameLexicon) -> bool:
    """A nationality, a people, or a capitalised adjective compound ("Vienna-based")."""
    if key in lexicon.demonyms:
        return True
    if key.endswith("s") and (key[:-1] in lexicon.demonyms or key[:-2] in lexicon.demonyms):
        return True
    return _is_compound_adjective(key)


def _decide(words: list[str], s: int, e: int, label: str | None, ctx: _Context):
    """Return (label, evidence) for the name words[s:e]; `label` is the model's, if any."""
    toks = words[s:e]
    text = " ".join(toks)
    key = text.casefold()
    first, last = toks[0].casefold(), toks[-1].casefold()
    lex = ctx.lexicon
    if ctx.aliases is not None:
        entity = ctx.aliases.lookup(text)
        if entity is not None and entity.kind:
            return LABEL_OF_KIND[entity.kind], STRONG
    if _inside_title(words, s, e, lex) or key in lex.not_names:
        return None, WEAK
    if s == 0 and e == 1 and label == "MISC" and in_dictionary(key, ctx.words):
        return None, WEAK  # "Mortars hit …": a capitalised first word, not a name
    if _is_misc_form(key, lex):
        return "MISC", STRONG
    if key in lex.countries or key in lex.regions:
        return "LOC", STRONG
    many = e - s >= 2
    if many and last in lex.org_words:
        return "ORG", WEAK
    if many and first in lex.place_words and label != "ORG":
        return "LOC", WEAK
    if many and (first in lex.first_names or _INITIAL.match(toks[0])):
        if all(_name_like(t) for t in toks[1:]):
            return "PER", WEAK
    if many and first in lex.person_titles and label in (None, "PER"):
        return "PER", WEAK
    if (many and label in ("ORG", "PER") and key not in lex.cities and e + 2 < len(words)
            and words[e] == "(" and words[e + 2] == ")"
            and words[e + 1].casefold() in lex.countries):
        return "PER", WEAK  # results style: "Jan Berg ( Sweden )" names an athlete
    if len(words) > 1 and _DATE_TOKEN.match(words[-1]) and e < len(words):
        if all(_name_like(w) or w == "," for w in words[:-1]):
            return "LOC", LOCAL  # the place of a wire dateline: "LONDON 1996-08-30"
    before = words[s - 1].lower() if s else ""
    town = _is_town(words, s, e, ctx)
    if ctx.sports and town and (before in VENUE_WORDS or (
            before in (",", "(") and e < len(words) and words[e] == ")")):
        return "LOC", LOCAL  # a venue: "at Leeds", "( Edgbaston , Birmingham )"
    if ctx.sports and (label != "PER" or town):
        if town or label == "LOC":
            return "ORG", WEAK
    if town and label in (None, "ORG", "LOC"):
        return "LOC", WEAK
    return label, WEAK


def _inside_title(words: list[str], s: int, e: int, lex: NameLexicon) -> bool:
    """True for "State" in "Secretary of State Hillary Clinton", or a bare "President".

    The span must lie inside a title phrase of at most three words, and the phrase must
    be longer than the span unless the span is one word ("Supreme" of "Supreme Leader").
    """
    for back in range(0, 3):
        for ahead in range(0, 3 - back):
            if s - back < 0 or e + ahead > len(words):
                continue
            head = " ".join(words[s - back:e + ahead]).casefold().replace(".", "")
            if head in lex.person_titles and (back or ahead or e - s == 1):
                return True
    return False


def _titled_person(words: list[str], s: int, e: int, ctx: _Context) -> bool:
    """A person's title ("Premier", "Prime Minister") and then at least two words of a
    name, hyphen-joined parts allowed, that the model left untagged."""
    lex = ctx.lexicon
    for size in (3, 2, 1):
        head = " ".join(words[s:s + size]).casefold().replace(".", "")
        if s + size < e and head in lex.person_titles:
            rest = range(s + size, e)
            names = [i for i in rest if words[i] not in HYPHENS]
            return len(names) >= 2 and all(_plain_name(words, i, ctx) for i in names)
    return False


HYPHENS = ("-", "\u2010", "\u2011")


def _fill_candidate(words: list[str], s: int, e: int, ctx: _Context):
    """Label for a capitalised run the model left untagged, or None."""
    toks = words[s:e]
    key = " ".join(toks).casefold()
    lex = ctx.lexicon
    if ctx.aliases is not None and ctx.aliases.lookup(" ".join(toks)) is not None:
        return _decide(words, s, e, None, ctx)
    if _is_misc_form(key, lex) or key in lex.countries or key in lex.regions:
        return _decide(words, s, e, None, ctx)
    if (key in lex.cities or key.endswith(COUNTY_SUFFIXES)) and (
            e - s > 1 or s > 0 or key not in ctx.words):
        return _decide(words, s, e, None, ctx)
    if e - s >= 2 and toks[-1].casefold() in lex.event_words and toks[-1][:1].isupper():
        return "MISC", WEAK  # "World Cup", "Hong Kong Open"
    if e - s >= 2 and (toks[0].casefold() in lex.first_names or _INITIAL.match(toks[0])):
        return _decide(words, s, e, None, ctx)
    if e - s == 2 and all(_plain_name(words, i, ctx) for i in range(s, e)):
        if not in_dictionary(key.split()[-1], ctx.words):
            return "PER", WEAK  # two unknown capitalised words: most often a person
    return None


def _runs(words: list[str], taken: list[bool], glued: frozenset[int]):
    """Maximal runs of name-like tokens not covered by a span, a leading "The" trimmed."""
    i = 0
    while i < len(words):
        if taken[i] or not _name_like(words[i]):
            i += 1
            continue
        j = i
        while j < len(words) and not taken[j] and (_name_like(words[j]) or j in glued):
            j += 1
        s = i + 1 if words[i].lower() in LEADING_NOISE and j - i > 1 else i
        while j > s and j - 1 in glued:
            j -= 1
        yield s, j
        i = max(j, i + 1)


# The longest alias-file name, in tokens, looked for in untagged text.
ALIAS_SCAN_TOKENS = 8


_SCORE = re.compile(r"^\d+$|^\d*\.\d+$")


def _is_table_line(words: list[str]) -> bool:
    """A results or standings line: names and bare numbers only ("Hull 0 Barnet 0")."""
    numbers = sum(1 for w in words if _SCORE.match(w))
    return numbers > 0 and all(_SCORE.match(w) or _name_like(w) or w in "-.," for w in words)


def _fill(words: list[str], taken: list[bool], glued: frozenset[int], ctx: _Context):
    """Step 4 of `refine`: names the model left untagged, as (start, end, label, evidence)."""
    out = []
    if ctx.aliases is not None:  # alias-file names, longest first, over untagged tokens
        i = 0
        while i < len(words):
            hit = None
            if not taken[i] and _name_like(words[i]) and words[i].lower() not in LEADING_NOISE:
                top = min(len(words), i + ALIAS_SCAN_TOKENS)
                for j in range(top, i, -1):
                    if any(taken[i:j]) or not _name_like(words[j - 1]):
                        continue
                    if ctx.aliases.lookup(_joined(words[i:j])) is not None:
                        hit = j
                        break
            if hit:
                label, evidence = _decide(words, i, hit, None, ctx)
                if label:
                    out.append((i, hit, label, evidence))
                    taken[i:hit] = [True] * (hit - i)
                i = hit
            else:
                i += 1
    table = ctx.sports and _is_table_line(words)
    for s, e in _runs(words, taken, glued):
        if table and (e - s == 1 or _is_town(words, s, e, ctx)):
            label, evidence = _decide(words, s, e, None, ctx)
            out.append((s, e, label or "ORG", evidence))  # "Hull 0 Barnet 0": teams
            continue
        decided = _fill_candidate(words, s, e, ctx)
        if decided and decided[0]:
            out.append((s, e, *decided))
            continue
        # "(Iranian) Premier Mir-Hossein Mousavi": a title, then a name the model missed;
        # the words before the title are read one by one, as any other run's
        titled = next((k for k in range(s, min(e, s + 2)) if _titled_person(words, k, e, ctx)), None)
        if titled is not None:
            out.append((titled, e, "PER", WEAK))
        for i in range(s, e if titled is None else titled):
            decided = _fill_candidate(words, i, i + 1, ctx)
            if decided and decided[0]:
                out.append((i, i + 1, *decided))
    return out


def _plain_name(words: list[str], i: int, ctx: _Context) -> bool:
    """A capitalised word that could be part of a person's name (not a place or title)."""
    w = words[i]
    key = w.casefold()
    if not _name_like(w) or not w[:1].isupper() or not any(c.islower() for c in w):
        return False
    if key in STOP_WORDS or (i == 0 and in_dictionary(key, ctx.words)):
        return False
    lex = ctx.lexicon
    if _inside_title(words, i, i + 1, lex):
        return False  # "State" of "Secretary of State Hillary Clinton"
    return not (lex.is_place(key) or key in lex.demonyms or key in lex.person_titles
                or key in MONTHS_DAYS or key in lex.org_words or key in lex.place_words)


def _is_town(words: list[str], s: int, e: int, ctx: _Context) -> bool:
    key = " ".join(words[s:e]).casefold()
    return key in ctx.lexicon.cities or key.endswith(COUNTY_SUFFIXES)


def _join_people(words: list[str], found: list[EntitySpan], evidence, ctx: _Context):
    """Join a person span and a one-word span touching it ("Upul" + "Chandana")."""
    found = sorted(found, key=lambda sp: sp.start)
    out: list[EntitySpan] = []
    for sp in found:
        prev = out[-1] if out else None
        if prev is not None and prev.end == sp.start and "PER" in (prev.label, sp.label):
            other = sp if prev.label == "PER" else prev
            if (other.end - other.start == 1
                    and evidence.get((other.sent, other.start, other.end)) == WEAK
                    and _plain_name(words, other.start, ctx)):
                out[-1] = EntitySpan(sp.sent, prev.start, sp.end, "PER")
                evidence[sp.sent, prev.start, sp.end] = WEAK
                continue
        out.append(sp)
    return out


def _widen_events(words: list[str], found: list[EntitySpan], evidence, ctx: _Context):
    """A name followed by an event word is the event: "British" + "Masters", "U.S. Open"."""
    starts = {sp.start for sp in found}
    out = []
    for sp in found:
        e = sp.end
        while (e < len(words) and e not in starts and words[e][:1].isupper()
               and words[e].casefold() in ctx.lexicon.event_words):
            e += 1
        if e > sp.end:
            sp = EntitySpan(sp.sent, sp.start, e, "MISC")
            evidence[sp.sent, sp.start, e] = WEAK
        out.append(sp)
    return out


def _joined(tokens: list[str]) -> str:
    """Tokens as the name they spell: the tokeniser splits a possessive off ("People", "'s"),
    which joined with a space would read "People s", not the file's "People's"."""
    return " ".join(tokens).replace(" 's", "'s").replace(" \u2019s", "\u2019s")


def _widen_to_known_names(words: list[str], found: list[EntitySpan], evidence, ctx: _Context):
    """A name the alias file knows wins over the shorter spans the model cut from it:
    "the Islamic State group" tags "Islamic" (a demonym to the model), and the file's
    "Islamic State" replaces it; "People's Mojahedin Organization" + "Iran" become the
    file's "People's Mojahedin Organization of Iran". A known name may take in untagged
    name words and whole spans, never part of one."""
    if ctx.aliases is None or not found:
        return found
    taken = [-1] * len(words)
    for n, sp in enumerate(found):
        taken[sp.start:sp.end] = [n] * (sp.end - sp.start)
    covered: set[int] = set()
    widened = []
    for n, sp in enumerate(found):
        if n in covered:
            continue
        known = _longest_known_name(words, sp, taken, found, ctx)
        if known is None or known[2] & covered:
            continue
        i, j, inside = known
        covered |= inside
        label, weight = _decide(words, i, j, sp.label, ctx)
        widened.append(EntitySpan(sp.sent, i, j, label or sp.label))
        evidence[sp.sent, i, j] = weight
    kept = [sp for n, sp in enumerate(found) if n not in covered]
    return sorted(kept + widened, key=lambda sp: sp.start)


def _longest_known_name(words: list[str], sp: EntitySpan, taken: list[int],
                        found: list[EntitySpan], ctx: _Context) -> tuple[int, int, set[int]] | None:
    """The longest alias-file name around ``sp`` (start, end, the spans it takes in), if it
    is longer than ``sp`` and cuts no span in two."""
    best = None
    for i in range(max(0, sp.start - ALIAS_SCAN_TOKENS + 1), sp.start + 1):
        if not _name_like(words[i]) or words[i].lower() in LEADING_NOISE:
            continue
        for j in range(min(len(words), i + ALIAS_SCAN_TOKENS), sp.end - 1, -1):
            if j - i <= sp.end - sp.start or (best is not None and j - i <= best[1] - best[0]):
                break
            if not _name_like(words[j - 1]):
                continue
            inside = {taken[k] for k in range(i, j) if taken[k] >= 0}
            if any(found[m].start < i or found[m].end > j for m in inside):
                continue  # it would cut another span in two
            if ctx.aliases.lookup(_joined(words[i:j])) is not None:
                best = (i, j, inside)
                break
    return best


def _widen_people(words: list[str], found: list[EntitySpan], ctx: _Context):
    """Grow a person span over untagged name words beside it ("Amra" + "Kevic")."""
    taken = [False] * len(words)
    for sp in found:
        taken[sp.start:sp.end] = [True] * (sp.end - sp.start)
    out = []
    for sp in found:
        s, e = sp.start, sp.end
        if ctx.sports and sp.label == "ORG" and _is_town(words, s, e, ctx):
            while e < len(words) and not taken[e] and _plain_name(words, e, ctx):
                e += 1  # "Cambridge United", "Minnesota Twins"
            while s > 0 and not taken[s - 1] and _plain_name(words, s - 1, ctx):
                s -= 1  # "Hansa Rostock"
            taken[s:e] = [True] * (e - s)
        if sp.label == "PER":
            while s > 0 and not taken[s - 1] and _plain_name(words, s - 1, ctx):
                s -= 1
            while e < len(words) and not taken[e] and _plain_name(words, e, ctx):
                e += 1
            taken[s:e] = [True] * (e - s)
        out.append(EntitySpan(sp.sent, s, e, sp.label) if (s, e) != (sp.start, sp.end) else sp)
    return out


def _is_sports(sentences: list[list[str]], lexicon: NameLexicon) -> bool:
    for words in sentences[:2]:
        if "-" in words[:4]:
            head = " ".join(words[: words.index("-")]).casefold()
            if head in lexicon.sports:
                return True
    return False


def refine(docs, lexicon: NameLexicon, aliases: AliasTable | None,
           options: EntityOptions, words: frozenset[str]) -> list[list[EntitySpan]]:
    """Turn the model's entities of one document into clean typed spans.

    1. Map the model's labels to PER/ORG/LOC/MISC; numbers, dates and money go.
    2. Cut spans at tokens that cannot be inside a name (numbers, dashes, lower-case
       words other than "of", "de" …) and trim a leading "the".
    3. Decide each span's kind: alias file > demonym or "X-based" > country/region >
       organisation word > first name or initial > title > city (a team in a sports
       story) > the model.
    4. Tag what the model missed: alias-file names, places, demonyms, first names + a
       capitalised word, and the place of a wire dateline ("LONDON 1996-08-30").
    5. Make the document consistent: one kind per name (strong evidence, then the
       majority), a surname takes its full name's kind, untagged repeats are tagged.
    """
    sentences = [[t.text for t in doc] for doc in docs]
    ctx = _Context(lexicon, aliases if options.use_aliases else None, words)
    ctx.sports = options.sports_city_is_team and _is_sports(sentences, lexicon)
    spans: list[list[EntitySpan]] = []
    evidence: dict[tuple[int, int, int], int] = {}
    for n, (doc, ws) in enumerate(zip(docs, sentences, strict=True)):
        found = []
        glued = _glued(doc)
        for ent in doc.ents:
            label = SPACY_LABELS.get(ent.label_)
            if label is None:
                continue
            for s, e in _cut(ws, ent.start, ent.end, glued):
                new, weight = _decide(ws, s, e, label, ctx)
                if new == "PER":
                    s += _strip_title(ws[s:e], lexicon)
                if new:
                    found.append(EntitySpan(n, s, e, new))
                    evidence[n, s, e] = weight
        found = _widen_to_known_names(ws, sorted(found, key=lambda sp: sp.start), evidence, ctx)
        found = _widen_people(ws, _join_people(ws, found, evidence, ctx), ctx)
        found = _widen_events(ws, found, evidence, ctx)
        if options.gazetteer_fill:
            taken = [False] * len(ws)
            for sp in found:
                taken[sp.start:sp.end] = [True] * (sp.end - sp.start)
            if len(ws) > 1 and _DATE_TOKEN.match(ws[-1]) and not any(taken[:-1]):
                for s, e in _runs(ws[:-1], taken, glued):  # "WIGAN , England 1996-08-30"
                    if all(_name_like(w) or w == "," for w in ws[:-1]):
                        found.append(EntitySpan(n, s, e, "LOC"))
                        evidence[n, s, e] = LOCAL
                taken = [True] * len(ws)
            for s, e, label, weight in _fill(ws, taken, glued, ctx):
                found.append(EntitySpan(n, s, e, label))
                evidence[n, s, e] = weight
        spans.append(sorted(found, key=lambda sp: sp.start))
    if options.propagate:
        spans = _propagate(sentences, spans, evidence, ctx)
    return spans


def _key(words: list[str], sp: EntitySpan) -> tuple[str, ...]:
    return tuple(w.casefold() for w in words[sp.start:sp.end])


def _propagate(sentences, spans, evidence, ctx: _Context) -> list[list[EntitySpan]]:
    """Step 5 of `refine`: one kind per name across the document."""
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    fixed: dict[tuple[str, ...], str] = {}
    surnames: set[str] = set()
    for sent in spans:
        for sp in sent:
            k = _key(sentences[sp.sent], sp)
            weight = evidence.get((sp.sent, sp.start, sp.end), WEAK)
            if weight == LOCAL:
                continue
            votes[k][sp.label] += 1
            if weight == STRONG:
                fixed[k] = sp.label
            if sp.label == "PER" and len(k) >= 2:
                surnames.add(k[-1])
    for s in surnames:
        if (s,) not in fixed:
            fixed[(s,)] = "PER"
    best = {k: fixed.get(k) or c.most_common(1)[0][0] for k, c in votes.items()}
    for s in surnames:
        best[(s,)] = fixed[(s,)]
    longest = max((len(k) for k in best), default=0)
    out = []
    for n, (ws, sent) in enumerate(zip(sentences, spans, strict=True)):
        new = [sp if evidence.get((n, sp.start, sp.end)) == LOCAL
               else EntitySpan(n, sp.start, sp.end, best.get(_key(ws, sp), sp.label))
               for sp in sent]
        taken = [False] * len(ws)
        for sp in new:
            taken[sp.start:sp.end] = [True] * (sp.end - sp.start)
        i = 0
        while i < len(ws):
            if taken[i] or not _name_like(ws[i]):
                i += 1
                continue
            hit = None
            for size in range(min(longest, len(ws) - i), 0, -1):
                if any(taken[i:i + size]):
                    continue
                k = tuple(w.casefold() for w in ws[i:i + size])
                if k in best and all(_name_like(w) for w in ws[i:i + size]):
                    if size == 1 and i == 0 and k[0] in ctx.words:
                        continue  # a sentence-initial dictionary word is no evidence
                    hit = (size, best[k])
                    break
            if hit:
                new.append(EntitySpan(n, i, i + hit[0], hit[1]))
                i += hit[0]
            else:
                i += 1
        out.append(sorted(new, key=lambda sp: sp.start))
    return out


# --- one article → its mentions -------------------------------------------------------


def _strip_title(words: list[str], lexicon: NameLexicon) -> int:
    """Number of leading words that are a title ("Secretary of State", "Gen.")."""
    cut = 0
    while len(words) - cut >= 2:
        for size in (3, 2, 1):
            head = " ".join(words[cut:cut + size]).casefold().replace(".", "")
            if len(words) - cut - size >= 1 and head in lexicon.person_titles:
                cut += size
                break
        else:
            return cut
    return cut
