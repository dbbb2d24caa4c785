"""News agencies: the names they go by on a page, folded to one short canonical name.

One table serves every place an agency shows up (an excerpt prefix `Reuters: …`, a
dateline `(AFP) -`, a byline `By X | AFP`, a sign-off `— AFP`), so the spellings are
declared once and `canonical("Agence France-Presse")` and `canonical("afp")` agree.
"""

from __future__ import annotations

import re

# canonical name → the spellings that mean it (matched case-insensitively, whole string)
# Persian and Arabic spellings are the agencies' own; where the short name is a common
# word (فارس is also Persia and Fars province, مهر a month) only "news agency X" counts.
AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Reuter", "Thomson Reuters", "Reuters Health", "Reuters Staff",
                "رويترز", "رویترز"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse", "أ ف ب",
            "ا ف ب", "فرانس برس", "فرانس پرس"),
    "AP": ("AP", "Associated Press", "The Associated Press", "أسوشيتد برس", "آسوشیتدپرس"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "ANI": ("ANI", "Asian News International"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS",),
    "IRNA": ("IRNA", "Islamic Republic News Agency", "ایرنا", "إرنا"),
    "ISNA": ("ISNA", "ایسنا"),
    "Fars": ("Fars", "Fars News", "Fars News Agency", "خبرگزاری فارس"),
    "Tasnim": ("Tasnim", "Tasnim News Agency", "تسنیم"),
    "Mehr": ("Mehr", "Mehr News", "Mehr News Agency", "خبرگزاری مهر"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA", "الأناضول", "آناتولی"),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "شينخوا"),
    "UPI": ("UPI", "United Press International"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "TASS": ("TASS", "ITAR-TASS"),
    "RIA Novosti": ("RIA", "RIA Novosti"),
    "Interfax": ("Interfax",),
    "KUNA": ("KUNA", "كونا"),
    "WAM": ("WAM", "وام"),
    "SPA": ("SPA", "Saudi Press Agency", "واس"),
    "INA": ("INA", "Iraqi News Agency", "واع"),
    "MENA": ("MENA",),
    "APA": ("APA",),
    "CNA": ("CNA",),
}

_BY_FOLDED = {
    spelling.casefold(): name for name, spellings in AGENCY_NAMES.items() for spelling in spellings
}

# Agency names are matched case-sensitively as printed (PRINTED is a regex alternation that
# other modules, e.g. copies, build on) (longest first, so "Agence
# France-Presse" wins over shorter spellings), except through `canonical`, so that a
# sentence starting "Ap" or "Aa" is not taken for an agency.
PRINTED = "|".join(
    re.escape(s)
    for s in sorted(
        {s for spellings in AGENCY_NAMES.values() for s in spellings} | {"AGENCE FRANCE-PRESSE"},
        key=len,
        reverse=True,
    )
)

# `Reuters: The leader …` / `AFP: Iran's …` — the standfirst style of some aggregators.
AGENCY_PREFIX_RE = re.compile(rf"^\s*(?P<agency>{PRINTED})\s*:\s+(?=\S)")
# A paragraph that is nothing but a sign-off: `Reuter`, `— AFP`, `-AP-`, `(AFP)`.
SIGN_OFF_RE = re.compile(rf"^\s*[-–—(]*\s*(?P<agency>{PRINTED})\s*[-–—)]*\s*$")


def canonical(name: str) -> str | None:
    """Return the canonical agency name for `name`, or None when it is not an agency."""
    key = " ".join(name.replace("\u00a0", " ").split()).strip(" .,;:|-–—()").casefold()
    if key.startswith("the ") and key not in _BY_FOLDED:
        key = key[4:]
    return _BY_FOLDED.get(key)


_CREDIT_LEAD_RE = re.compile(r"^\s*(?:by|from|source)\s*:?\s+", re.IGNORECASE)


def credited(text: str) -> str | None:
    """The agency an author or source field names, on its own: "Reuters", "By Reuters
    Staff", "Source: AFP". None for a person, an outlet, or an agency named in passing."""
    return canonical(_CREDIT_LEAD_RE.sub("", text or "")) if text else None


def agency_prefix(text: str) -> tuple[str, str] | None:
    """Split an agency-led text `Reuters: X` into ("Reuters", "X"); None when not agency-led."""
    match = AGENCY_PREFIX_RE.match(text)
    if not match:
        return None
    agency = canonical(match.group("agency"))
    if agency is None:
        return None
    return agency, text[match.end() :]
