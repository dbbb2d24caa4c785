"""Headlines as a reader sees them: an ALL-CAPS wire headline in sentence case.

Wire services and some feeds send headlines in capitals ("IRAN SAYS US TO BLAME FOR
DEATHS"); read in a list beside mixed-case ones, they shout. The pipeline's recaser
(``pipeline.recase``: each word takes the casing the article's own text gives it, else the
one its kind suggests: a place, a first name, a dictionary word, an acronym) gives each
word its case, and the first letter is raised. Only what is shown changes: the stored
title stays as the source sent it (the admin, search, the stored row).
"""

from __future__ import annotations

import functools
import re

from newsdesk.pipeline.recase import is_all_caps, recase

# A word (letters, with inner apostrophes or hyphens), or one other non-space character.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\S")
CONTEXT_CHARS = 4000  # of the body, read for the casing its words have there


@functools.cache
def _tables():
    """The name lexicon and the dictionary words (a few seconds, once per process; the
    dictionary is empty when the spaCy model is not installed: words then keep a capital)."""
    from newsdesk.pipeline.aliases import load_lexicon
    from newsdesk.pipeline.nlp import ModelMissing, english_words

    try:
        words = english_words()
    except ModelMissing:
        words = frozenset()
    return load_lexicon(), words


def shouts(title: str) -> bool:
    """Whether the headline is written in capitals (most of its words, as the recaser counts)."""
    return is_all_caps(_TOKEN.findall(title or ""))


def reader_title(title: str, body: str = "") -> str:
    """The headline in sentence case when it is in capitals; any other headline unchanged."""
    tokens = _TOKEN.findall(title or "")
    if not is_all_caps(tokens):
        return title
    context = [_TOKEN.findall(line) for line in (body or "")[:CONTEXT_CHARS].splitlines() if line.strip()]
    lexicon, words = _tables()
    cased = iter(recase([tokens, *context], lexicon, words)[0])
    text = _TOKEN.sub(lambda m: next(cased), title)
    first = re.search(r"[^\W\d_]", text)
    if first:
        text = text[:first.start()] + text[first.start()].upper() + text[first.start() + 1:]
    return text
