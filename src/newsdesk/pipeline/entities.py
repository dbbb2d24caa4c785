"""People, organisations and places in an article, one canonical name each.

`find_mentions(title, paragraphs)` runs the shared tagger (`ner.tag_document`) and groups
the tagged spans of one article into `Mention`s: acronyms defined in the text, "also
known as", titles stripped, surnames folded into the full name, the alias file and
near-spellings.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .aliases import AliasTable, NameLexicon, load_aliases, load_lexicon, normalise
from .budgets import ENTITY_CHARS, bounded_texts
from .documents import Mention
from .known_names import known_names, reads_latin
from .name_keys import LEGAL_FORMS
from .ner import (  # noqa: F401  (EntityOptions and KIND_OF_LABEL are part of this API)
    KIND_OF_LABEL,
    EntityOptions,
    _is_compound_adjective,
    _name_like,
    _strip_title,
    tag_document,
)
from .nlp import load_model

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{1,7}$")
_AKA = (("also", "known", "as"), ("known", "as"), ("a.k.a.",), ("aka",), ("formerly",))


def _initials(words: list[str]) -> str:
    parts = [p for w in words for p in re.split(r"[-\s]", w) if p]
    return "".join(p[0].upper() for p in parts if p[0].isalpha())


def _acronym_fits(acronym: str, words: list[str]) -> bool:
    """True when the acronym's letters follow the initials of the long form in order, or
    the acronym is made of the heads of its words ("Pemex", "PDVSA")."""
    initials = _initials(words)
    if not initials or initials[0] != acronym[0].upper():
        return False
    pos = 0
    for ch in acronym.upper():
        pos = initials.find(ch, pos) + 1
        if pos == 0:
            return _heads_fit(acronym, words)
    return True


def _heads_fit(short: str, words: list[str]) -> bool:
    """True when `short` is the first letters of at least two of the long form's words,
    in order, each word giving one or more ("Pe-mex" of Petroleos Mexicanos, "PDV-SA" of
    Petroleos de Venezuela SA): a short name made of syllables, in any language."""
    parts = [p.casefold() for w in words for p in re.split(r"[-\s]", w) if p and p[0].isalpha()]
    target = short.casefold()
    if not parts or not target or target[0] != parts[0][0]:
        return False

    def fit(at: int, word: int, used: int) -> bool:
        if at == len(target):
            return used >= 2
        for k in range(word, len(parts)):
            part = parts[k]
            n = 0
            while n < len(part) and at + n < len(target) and part[n] == target[at + n]:
                n += 1
                if fit(at + n, k + 1, used + 1):
                    return True
            if k == word == 0:
                return False  # the first word always gives the first letters
        return False

    return fit(0, 0, 0)


# Tokens allowed between a name and "also known as": ", which is", "(", "( or".
AKA_GAP = 4


def _aka_antecedent(words: list[str], start: int) -> int | None:
    """End token of where X may sit in "X, (which is) also known as (the) Y", else None."""
    i = start
    if i and words[i - 1].lower() in ("the", "a", "an"):
        i -= 1
    for pattern in _AKA:
        k = len(pattern)
        if [w.lower() for w in words[max(0, i - k):i]] == list(pattern):
            j = i - k
            gap = 0
            while j > 0 and gap < AKA_GAP and not _name_like(words[j - 1]):
                if words[j - 1].lower() not in (",", "(", ")", "which", "who", "is", "was", "or"):
                    return None
                j -= 1
                gap += 1
            return j
    return None


@dataclass
class _Found:
    surface: str
    words: list[str]
    label: str
    position: int
    strong: str | None = None  # a kind from the alias file
    sentence: int = 0
    end_token: int = 0
    form: str = ""  # the spelling to name it by (an ALL-CAPS surface recased)
    canonical: str | None = None  # the alias file's (or an editor's) name for it


def find_mentions(title: str, paragraphs: list[str], aliases: AliasTable | None = None,
                  nlp=None, options: EntityOptions | None = None,
                  max_chars: int = ENTITY_CHARS) -> list[Mention]:
    """Return the people, organisations, places and other names of one article.

    Each entity appears once, under its canonical name (the alias file's, else its
    longest spelling in the text), with the surface forms it went by, how often it was
    named and the character offset of its first mention in `title + "\\n\\n" + body`.
    A text mostly in another script is matched against the alias file's names only
    (`known_names`): the English model would read nothing there.
    """
    aliases = aliases if aliases is not None else load_aliases()
    # Names are read from the article's first `max_chars` characters (NEWSDESK_ENTITY_CHARS):
    # spaCy refuses a text over a million (E088), and its time grows with the text.
    title, *paragraphs = bounded_texts([title, *paragraphs], max_chars) or [""]
    if not reads_latin([title, *paragraphs]):
        # Persian, Arabic …: the English model reads no names there; the alias file does
        return known_names(aliases).find(title, paragraphs)
    nlp = nlp if nlp is not None else load_model()
    lexicon = load_lexicon()
    texts = [title, *paragraphs]
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 2
    raw = [nlp.make_doc(t) for t in texts]
    words = [[t.text for t in d] for d in raw]
    spaces = [[bool(t.whitespace_) for t in d] for d in raw]
    tagged, spans = tag_document(nlp, words, spaces, aliases, options)

    found: list[_Found] = []
    acronyms: dict[str, list[int]] = defaultdict(list)  # acronym key → indices of its long forms
    defined_at: dict[tuple[int, int], int] = {}  # (sentence, token) of "(LF)" → its long form
    same_as: dict[int, int] = {}  # index in found → index it is another name of
    for n, sent in enumerate(spans):
        ws, doc = words[n], raw[n]
        for sp in sent:
            s, e = sp.start, sp.end
            while e > s and ws[e - 1].replace("\u2019", "'") in ("'s", "'"):
                e -= 1
            if sp.label == "PER":
                s += _strip_title(ws[s:e], lexicon)
            if s >= e or _is_compound_adjective(doc[s:e].text):
                continue  # "U.S.-backed", "ex-Soviet": adjectives, not names
            while e - s >= 2 and ws[e - 1].isalpha() and ws[e - 1].islower():
                e -= 1  # "the Reagan administration": a name ends on a capital, not a common noun
            while e - s >= 2 and len(ws[s]) > 1 and ws[s].endswith("-"):
                s += 1  # "a Japan- European Community axis": the name starts after the modifier
            tail = _trailing_acronym(ws, s, e, aliases)
            if tail is not None:
                e = tail  # "Kuwait News Agency KUNA": the name, then its acronym
            surface = doc[s:e].text
            if surface.isupper():  # an ALL-CAPS headline: the recased form names it
                form = tagged[n][s:e].text
                item_form = form if not form.islower() else surface
            else:
                item_form = surface
            entity = aliases.lookup(surface) or (
                aliases.near(surface) if e - s >= 2 else None)
            item = _Found(surface, ws[s:e], sp.label, starts[n] + doc[s].idx,
                          (entity.kind or None) if entity else None, n, e)
            item.form = item_form
            if entity is not None:
                item.words, item.canonical = [entity.name], entity.name
            found.append(item)
            here = len(found) - 1
            # "Long Form (LF)": the acronym names the span just before the bracket
            if e + 2 < len(ws) and ws[e] == "(" and ws[e + 2] == ")" and _ACRONYM.match(ws[e + 1]):
                if (ws[e + 1].isupper() and _acronym_fits(ws[e + 1], ws[s:e])) or _heads_fit(ws[e + 1], ws[s:e]):
                    acronyms[normalise(ws[e + 1])].append(here)
                    defined_at[n, e + 1] = here
                    if not any(o.start == e + 1 for o in sent):  # the model missed it
                        found.append(_Found(ws[e + 1], [ws[e + 1]], sp.label,
                                            starts[n] + doc[e + 1].idx, None, n, e + 2))
            _parent_org(ws, s, e, doc, starts[n] + doc[s].idx, n, item, found, aliases)
            if tail is not None:
                acronyms[normalise(ws[tail])].append(here)
                defined_at[n, tail] = here
                found.append(_Found(ws[tail], [ws[tail]], sp.label, starts[n] + doc[tail].idx, None, n, tail + 1))
            # "X, (which is) also known as (the) Y": Y is another name of X
            before = _aka_antecedent(ws, s)
            if before is not None:
                for prev in range(here - 1, -1, -1):
                    if found[prev].position < starts[n]:
                        break
                    if found[prev].end_token == before and found[prev].sentence == n:
                        same_as[here] = prev
                        break
        _agency_appositions(n, ws, doc, starts[n], found, same_as, aliases)
    meaning = _acronym_meanings(found, acronyms)
    ambiguous = {key for key in acronyms if key not in meaning}
    _untagged_acronyms(words, raw, starts, spans, found, meaning, ambiguous, same_as, aliases)
    for i, f in enumerate(found):  # "… (IEA)": this one names the long form just before it
        if len(f.words) == 1 and (f.sentence, f.end_token - 1) in defined_at:
            same_as.setdefault(i, defined_at[f.sentence, f.end_token - 1])
    return _group(found, meaning, same_as, aliases, lexicon, ambiguous)


def _acronym_meanings(found: list[_Found], acronyms: dict[str, list[int]]) -> dict[str, int]:
    """Each acronym defined in the article → its long form, when every definition names the
    same one; an article that defines two different "(IEA)"s leaves a bare IEA to neither."""
    meaning = {}
    for key, longs in acronyms.items():
        if len({normalise(" ".join(found[j].words)) for j in longs}) == 1:
            meaning[key] = longs[0]
    return meaning


def _parent_org(ws: list[str], s: int, e: int, doc, position: int, n: int, item: _Found,
                found: list[_Found], aliases: AliasTable) -> None:
    """"United Nations Conference on Trade and Development", "European Community
    Commission": a body named after the organisation it belongs to names that one too.

    The longest leading part of an organisation's name that the alias file knows as an
    organisation of its own is found as a second, nested mention; the body keeps its own.
    """
    if item.canonical is not None or item.label != "ORG" or e - s < 3:
        return
    for k in range(e - s - 1, 0, -1):
        rest = ws[s + k]
        if not (rest[:1].isupper() or rest.replace("\u2019", "'") == "'s"):
            continue
        known = aliases.lookup(doc[s:s + k].text)
        if known is not None and known.kind == "org":
            parent = _Found(doc[s:s + k].text, [known.name], "ORG", position, "org", n, s + k)
            parent.canonical = known.name
            found.append(parent)
            return


def _untagged_acronyms(words: list[list[str]], raw: list, starts: list[int], spans, found: list[_Found],
                       acronyms: dict[str, int], ambiguous: set[str], same_as: dict[int, int],
                       aliases: AliasTable) -> None:
    """An acronym the model left untagged ("draw from the IMF", "EC" in a table) is a
    mention when this article names its long form (defined, or by initials) or the alias
    file knows it as an organisation. ALL-CAPS lines (headlines) are not read here."""
    long_forms: dict[str, set[str]] = defaultdict(set)
    first: dict[str, int] = {}
    for i, f in enumerate(found):
        if f.label == "ORG" and f.canonical is None and len(f.words) >= 2:
            content = [w for w in f.words if w.casefold() not in ("of", "the", "for", "and", "on", "in")]
            for initials in (_initials(f.words), _initials(content)):
                long_forms[initials].add(normalise(" ".join(f.words)))
                first.setdefault(initials, i)
    for n, ws in enumerate(words):
        letters = [w for w in ws if w[:1].isalpha()]
        if not letters or sum(w.isupper() for w in letters) * 2 > len(letters):
            continue
        covered = {t for sp in spans[n] for t in range(sp.start, sp.end)}
        covered |= {f.end_token - 1 for f in found if f.sentence == n}
        for t, w in enumerate(ws):
            if t in covered or not _is_acronym_token(w) or len(w) < 2:
                continue
            key = normalise(w)
            known = aliases.lookup(w)
            if key in ambiguous:
                continue
            if key in acronyms:
                target = acronyms[key]
            elif len(long_forms.get(w, ())) == 1:  # one long form of the article has these initials
                target = first[w]
            elif known is not None and known.kind == "org":
                target = None
            else:
                continue
            item = _Found(w, [w], "ORG", starts[n] + raw[n][t].idx, "org" if known else None, n, t + 1)
            if known is not None:
                item.words, item.canonical = [known.name], known.name
            found.append(item)
            if target is not None:
                same_as[len(found) - 1] = target


def _with_bare_name(surface: str, kind: str) -> tuple[str, ...]:
    """A company's name as printed, and without its legal form when it has one
    ("Petroleos de Venezuela S.A" goes by "Petroleos de Venezuela" too)."""
    words = surface.split()
    if kind == "org" and len(words) >= 3 and normalise(words[-1]) in LEGAL_FORMS:
        return surface, " ".join(words[:-1]).rstrip(",")
    return (surface,)


def _is_acronym_token(word: str) -> bool:
    return word.isupper() and bool(_ACRONYM.match(word))


def _trailing_acronym(ws: list[str], s: int, e: int, aliases: AliasTable) -> int | None:
    """Where a span "Long Form ACR" splits: the acronym's token, when it follows a name
    it abbreviates (its initials fit, or the alias file gives both one entity); else None."""
    if e - s < 3 or not _is_acronym_token(ws[e - 1]) or ws[e - 2].isupper():
        return None
    head = ws[s:e - 1]
    if _acronym_fits(ws[e - 1], head):
        return e - 1
    short, long = aliases.lookup(ws[e - 1]), aliases.lookup(" ".join(head))
    if short is not None and long is not None and short.name == long.name:
        return e - 1
    return None


def _agency_appositions(n: int, ws: list[str], doc, start: int, found: list[_Found],
                        same_as: dict[int, int], aliases: AliasTable) -> None:
    """"the Iranian news agency IRNA": the descriptor and the acronym name one agency.

    Wire copy names an agency by a lower-case descriptor in apposition to its acronym;
    the model tags the demonym and the acronym apart, so the phrase is found here and
    grouped with the acronym. Without an acronym, the phrase counts when the alias file
    knows it ("the Iraqi news agency said").
    """
    for i in range(3, len(ws) + 1):
        if not (ws[i - 2].lower() == "news" and ws[i - 1].lower() == "agency" and ws[i - 3][:1].isupper()):
            continue
        phrase = doc[i - 3:i].text
        known = aliases.lookup(phrase)
        if i < len(ws) and _is_acronym_token(ws[i]):
            acronym = next((k for k, f in enumerate(found)
                            if f.sentence == n and f.end_token == i + 1 and f.surface == ws[i]), None)
            if acronym is None:
                found.append(_Found(ws[i], [ws[i]], "ORG", start + doc[i].idx, None, n, i + 1))
                acronym = len(found) - 1
        elif known is not None:  # "the Iraqi news agency said": the one the alias file knows
            acronym = None
        else:
            continue
        item = _Found(phrase, ws[i - 3:i], "ORG", start + doc[i - 3].idx, "org" if known else None, n, i)
        if known is not None:
            item.words, item.canonical = [known.name], known.name
        found.append(item)
        if acronym is not None:
            same_as[len(found) - 1] = acronym


def _group(found: list[_Found], acronyms: dict[str, int], same_as: dict[int, int],
           aliases: AliasTable, lexicon: NameLexicon, ambiguous: frozenset[str] | set[str] = frozenset()
           ) -> list[Mention]:
    """Fold the found names into one Mention per entity."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    def names(i: int) -> list[str]:
        f = found[i]
        return [f.surface, " ".join(f.words), *([f.canonical] if f.canonical else [])]

    def join(a: int, b: int) -> None:
        """Union by textual evidence, unless an editor split those names."""
        if not aliases.kept_apart(names(a), names(b)):
            union(a, b)

    by_key: dict[str, int] = {}
    surnames: dict[str, dict[str, int]] = defaultdict(dict)  # surname → full name → index
    for i, f in enumerate(found):
        key = normalise(" ".join(f.words))
        if key in ambiguous:
            pass  # an acronym defined twice over: each keeps to its own definition
        elif key in by_key:
            union(i, by_key[key])
        else:
            by_key[key] = i
        person = f.strong == "person" or (f.strong is None and f.label == "PER")
        full = f.canonical.split() if f.canonical else f.words
        if person and len(full) >= 2:
            surnames[normalise(full[-1])].setdefault(key, i)
        for size in range(2, len(full)) if person else ():  # "Hernandez Grisanti", "Perez de Cuellar"
            surnames[normalise(" ".join(full[-size:]))].setdefault(key, i)
    for i, f in enumerate(found):
        key = normalise(" ".join(f.words))
        if key in acronyms:
            join(i, acronyms[key])
        elif len(f.words) <= 3 and f.canonical is None and len(surnames.get(key, ())) == 1 and (
                len(f.words) == 1 or f.label == "PER") and not (f.label == "LOC" and key in lexicon.countries):
            # one full name has this surname; a country read as a place is none ("Petroles
            # de Venezuela", a company the model took for a person, and "Venezuela")
            join(i, next(iter(surnames[key].values())))
    for a, b in same_as.items():
        join(a, b)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(found)):
        groups[root(i)].append(i)
    mentions = []
    for members in groups.values():
        items = [found[i] for i in members]
        best = max(items, key=lambda f: (f.canonical is not None, len(f.words),
                                         not (f.form or f.surface).isupper(), -f.position))
        name = best.canonical or best.form or best.surface
        kinds = [f.strong for f in items if f.strong]
        if kinds:
            kind = kinds[0]  # the alias file's kind wins
        else:
            label = Counter(f.label for f in items).most_common(1)[0][0]
            if len(best.words) >= 2 and best.words[0].casefold() in lexicon.first_names:
                label = "PER"  # a person-name pattern beats the model's ORG
            kind = KIND_OF_LABEL[label]
        surfaces = tuple(dict.fromkeys(n for f in sorted(items, key=lambda f: f.position)
                                       for n in _with_bare_name(f.surface, kind)))
        mentions.append(Mention(name=name, kind=kind, aliases=surfaces, count=len(items),
                                first_position=min(f.position for f in items)))
    return sorted(mentions, key=lambda m: m.first_position)
