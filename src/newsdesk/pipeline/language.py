"""The language an article is written in, when its page does not say.

py3langid carries its model inside the package (no download) and classifies a few
thousand characters in well under a millisecond once loaded.
"""

from __future__ import annotations

import functools
import re

SAMPLE_CHARS = 800  # the headline and the opening of the body decide
MIN_CHARS = 40  # below this a guess is noise: say nothing
_PRIMARY = re.compile(r"[a-z]{2,8}")


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = 0.5) -> str | None:
    """ISO 639-1 code of `text`, or None when it is too short or the model is unsure."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) < MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    return code if confidence >= min_confidence else None


def primary_subtag(declared: str | None) -> str | None:
    """'en-US' → 'en': pages declare regions the desk does not file by."""
    if not declared:
        return None
    primary = declared.replace("_", "-").split("-")[0].strip().lower()
    # BCP 47: a primary subtag is two to eight letters; anything else is no language
    return primary if _PRIMARY.fullmatch(primary) else None
