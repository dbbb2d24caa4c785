"""Which way a text runs, from the language the desk stored for it.

An article in Persian or Arabic is set right to left; the page around it may not be (the
interface is in the site's language). The written direction is a property of the script,
so this is a list of the languages whose usual script runs right to left (ISO 639 codes,
primary subtag). Django's LANG_INFO is not used: it marks Azerbaijani bidirectional,
which has been written in Latin letters since 1991. A language not known here gets no
direction of its own: the browser reads it from the text (``dir="auto"``).
"""

from __future__ import annotations

RIGHT_TO_LEFT = frozenset({
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "pnb", "prs", "ps", "sd", "syr", "ug", "ur", "yi",
})


def primary(code: str | None) -> str:
    """``fa-IR`` → ``fa``; empty for no language."""
    return (code or "").strip().split("-")[0].split("_")[0].lower()


def direction(code: str | None) -> str:
    """``rtl`` or ``ltr`` for a stored language; ``auto`` when none is stored."""
    lang = primary(code)
    if not lang:
        return "auto"
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"
