"""ALL-CAPS headlines and results lines recased before tagging.

The model was trained on mixed case: an all-capitals line tags badly, so each word takes
the casing it has elsewhere in the document, or a casing its kind suggests.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .aliases import NameLexicon

# A line whose letters are at least this share upper case is a headline or a results
# line: the model was trained on mixed case, so such lines are recased before tagging.
ALL_CAPS_SHARE = 0.8


def in_dictionary(word: str, words: frozenset[str]) -> bool:
    """True when `word` (lowercase) or its plain form is a dictionary word ("stars")."""
    if word in words:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in words:
            return True
    return False


def is_all_caps(words: list[str]) -> bool:
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if not letters:
        return False
    return sum(w.isupper() for w in letters) / len(letters) >= ALL_CAPS_SHARE


def _capitalise(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _multiword_places(sentence: list[str], lexicon: NameLexicon) -> set[int]:
    """Indices of words inside a two- or three-word place name ("NEW YORK")."""
    inside: set[int] = set()
    for size in (3, 2):
        for i in range(len(sentence) - size + 1):
            key = " ".join(sentence[i:i + size]).casefold()
            if lexicon.is_place(key) or key in lexicon.demonyms:
                inside.update(range(i, i + size))
    return inside


def recase(sentences: list[list[str]], lexicon: NameLexicon, words: frozenset[str]):
    """Return the sentences with ALL-CAPS lines recased for the model (same tokens).

    A word keeps the casing it has elsewhere in the document; failing that, a known
    place, demonym or first name is capitalised, a dictionary word lowered, a short
    unknown word (an acronym) kept, anything else capitalised.
    """
    forms: dict[str, Counter] = defaultdict(Counter)
    caps = [is_all_caps(s) for s in sentences]
    for sentence, upper in zip(sentences, caps, strict=True):
        if upper:
            continue
        for i, w in enumerate(sentence):
            if i and w[:1].isalpha() and not w.isupper():
                forms[w.lower()][w] += 1
    out = []
    for sentence, upper in zip(sentences, caps, strict=True):
        if not upper:  # only a capitalised place name changes: "BEIRUT (AP) -"
            out.append([_capitalise(w) if len(w) > 3 and w.isupper() and w.isalpha()
                        and lexicon.is_place(w.lower()) else w for w in sentence])
            continue
        new = []
        known = _multiword_places(sentence, lexicon)
        for i, w in enumerate(sentence):
            low = w.lower()
            if not w.isupper() or not any(c.isalpha() for c in w):
                new.append(w)
            elif i in known:
                new.append(_capitalise(w))
            elif low in forms:
                new.append(forms[low].most_common(1)[0][0])
            elif "." in w:
                new.append(w)
            elif (lexicon.is_place(low) or low in lexicon.demonyms
                  or low in lexicon.first_names):
                new.append(_capitalise(w))
            elif in_dictionary(low, words) or len(w) == 1:
                new.append(low)
            elif len(w) <= 3:
                new.append(w)
            else:
                new.append(_capitalise(w))
        out.append(new)
    return out
