"""Datelines: the `PARIS, Jan 6 (Reuters) –` that opens a wire story.

A dateline says where (and sometimes when) a story was filed, not what it is about, so
it is cut from the lede and kept apart as a `Dateline`. The year is taken only when the
text prints it: a dateline without one stays `year=None` rather than borrowing a year
from anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import canonical
from .documents import Dateline

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Any case: wire desks print "Feb", "FEB" and "FEb" alike.
_MONTH = (
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_UP = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UP}](?:[\w'’.]|-(?=\w))*"
# Up to five words, lowercase particles allowed inside ("Rio de Janeiro", "DAR ES SALAAM").
_PARTICLE = r"(?:de|del|da|das|do|dos|du|des|es|la|le|les|of|on|y|van|von|den|der|al|el)"
_PLACE = rf"{_WORD}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?(?!{_MONTH}\b){_WORD}){{0,4}}"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# The longest dateline places run to about 40 characters ("SAN FRANCISCO DE MACORIS,
# Dominican Republic"); a longer run of capitals is a shouted sentence, not a place.
MAX_PLACE_CHARS = 80

DATELINE_RE = re.compile(
    rf"""^\s*
    (?P<place>{_PLACE})
    (?:\s*,\s*(?!{_MONTH}\b|{_WEEKDAY}\b)(?P<region>[{_UP}][\w'’.\-]*(?:\ (?!{_MONTH}\b)[{_UP}][\w'’.\-]*){{0,2}}))?
    (?:\s*\[(?P<bracket>[^\[\]\n]{{2,30}})\])?
    (?:\s*,?\s*{_WEEKDAY}\b)?
    (?:\s*,?\s*
        (?:(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})\.?)
        (?:\s*,?\s*(?P<year>(?:19|20)\d\d))?
    )?
    \s*(?:\((?P<agency>[^()\n]{{1,40}})\))?
    \s*(?P<sep>-{{1,2}}|[–—]|:(?=\s))?(?P<gap>\s*)
    (?=\S|\Z)""",
    re.VERBOSE,
)

# Persian and Arabic wire copy: "بغداد (رويترز) - …" or IRNA's "تهران- ایرنا- …". These
# scripts have no capitals to tell a place from a sentence, so the agency must be one
# the desk knows (agencies.AGENCY_NAMES), in brackets or between dashes.
_ARABIC_WORD = "[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff][\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff]*"
_ARABIC_DATELINE_RE = re.compile(
    rf"""^\s*
    (?P<place>{_ARABIC_WORD}(?:[ \u00a0\u200c]{_ARABIC_WORD}){{0,2}})
    \s*(?:
        \((?P<agency>[^()\n]{{1,30}})\)\s*[-–—]
      | [-–—]\s*(?P<agency2>{_ARABIC_WORD}(?:\ {_ARABIC_WORD}){{0,2}})\s*[-–—]
    )
    \s*""",
    re.VERBOSE,
)

# All-caps lead-ins that are labels, not places ("EXCLUSIVE-Iran says …").
NOT_PLACES = frozenset(
    {
        "UPDATE", "EXCLUSIVE", "BREAKING", "ANALYSIS", "FACTBOX", "WRAPUP", "REFILE",
        "CORRECTED", "INSIGHT", "COLUMN", "PREVIEW", "TIMELINE", "FEATURE", "INTERVIEW",
        "WATCH", "VIDEO", "PHOTOS", "LIVE", "OPINION", "EDITORIAL", "NOTE", "NEWS",
        "UPDATED", "URGENT", "FLASH", "SPECIAL REPORT", "QUOTEBOX", "WRAP", "POLL",
        "WARNING", "CAUTION", "Q", "A", "FAQ", "TL;DR", "TLDR", "PS", "NB", "FYI",
    }
)  # fmt: skip

# Words that stay lowercase inside a place name, unless they open it.
_PARTICLES = frozenset({"de", "del", "da", "das", "do", "dos", "du", "des", "es", "la", "le",
                        "les", "of", "on", "upon", "y", "van", "von", "den", "der"})  # fmt: skip


@dataclass(frozen=True)
class DatelineMatch:
    """A dateline found at the start of a paragraph: what it says and where the text resumes."""

    dateline: Dateline
    agency: str | None  # canonical agency from the parenthesis, None when none or unknown
    end: int  # offset in the paragraph where the story text begins


def title_place(raw: str) -> str:
    """Title-case an all-caps place (`NEW YORK` → `New York`); leave mixed case alone."""
    raw = " ".join(raw.split())
    if not raw.isupper():
        return raw
    words = []
    for index, word in enumerate(raw.split(" ")):
        lower = word.lower()
        if index and lower in _PARTICLES:
            words.append(lower)
            continue
        words.append("-".join(_cap(part) for part in word.split("-")))
    return " ".join(words)


def _cap(part: str) -> str:
    # N'DJAMENA → N'Djamena; ST. → St.; N.J. and D.C. stay as they are
    if re.fullmatch(r"(?:[A-Z]\.){2,}", part):
        return part
    out = part[:1].upper() + part[1:].lower()
    for quote in ("'", "’"):
        head, sep, tail = out.partition(quote)
        if sep and len(head) == 1 and tail:
            out = head + sep + tail[:1].upper() + tail[1:]
    return out


def match_dateline(paragraph: str) -> DatelineMatch | None:
    """Find a dateline at the start of `paragraph`; None when it does not open with one.

    An all-caps place may stand alone before its dash (`WASHINGTON — …`); a place in
    title case needs a date or an agency in parentheses (`Paris (AFP) - …`), because a
    sentence may well begin with a capitalised word and a dash.
    """
    match = DATELINE_RE.match(paragraph)
    if not match:
        return _arabic_script_dateline(paragraph)
    place, region = match.group("place"), match.group("region")
    month_name = match.group("month") or match.group("month2")
    day = match.group("day") or match.group("day2")
    agency_text = match.group("agency")
    sep = match.group("sep")
    if place.upper() in NOT_PLACES or place.split(" ")[0] in NOT_PLACES:
        return None
    if canonical(place) is not None:
        return None  # "AFP: Iran's …" is an agency-led standfirst, not a dateline
    if not sep and not agency_text:
        return None  # a bare "PARIS Jan 6 The …" is too weak to cut
    if not sep and canonical(agency_text) is None:
        # "The International Energy Agency (IEA) said …": a name and its acronym, which a
        # dateline's unknown agency would follow with a dash
        return None
    if agency_text and canonical(agency_text) is None and not agency_text.strip().isupper():
        # "(Reuters Breakingviews)" is fine; "(pictured)" is not a dateline
        if "reuters" not in agency_text.lower():
            return None
    if not place.isupper() and not (month_name or agency_text):
        return None
    if not place.isupper() and any(
        len(w) > 1 and w.isalpha() and w.isupper() for w in place.split()
    ):
        return None  # "VISIT the Pennsylvania Show, Oct. 11" mixes a shout with a name
    alone = match.end() == len(paragraph)  # an HTML page may set the dateline apart
    if alone and not (agency_text or (sep and sep != ":")):
        return None
    if sep and not match.group("gap") and not agency_text and not alone:
        return None  # "Oct. 11–21": a range, not a dateline's dash
    if sep == ":" and not (place.isupper() or agency_text):
        return None
    if len(place) < 2 or len(place) + len(region or "") > MAX_PLACE_CHARS:
        return None  # no place is named in one letter, or in a paragraph-long shout
    month = MONTHS[month_name[:3].lower()] if month_name else None
    day_number = int(day) if day else None
    if day_number is not None and not 1 <= day_number <= 31:
        return None
    year = int(match.group("year")) if match.group("year") else None
    region = region or match.group("bracket")  # ANI style "New Delhi [India]"
    full_place = title_place(place) + (f", {title_place(region)}" if region else "")
    return DatelineMatch(
        dateline=Dateline(place=full_place, month=month, day=day_number, year=year),
        agency=canonical(agency_text) if agency_text else None,
        end=match.end(),
    )


def _arabic_script_dateline(paragraph: str) -> DatelineMatch | None:
    """A Persian or Arabic dateline, when its agency is a known one (see the regex)."""
    match = _ARABIC_DATELINE_RE.match(paragraph)
    if not match or match.end() == len(paragraph):
        return None
    agency = canonical(match.group("agency") or match.group("agency2"))
    if agency is None:
        return None
    return DatelineMatch(dateline=Dateline(place=match.group("place")), agency=agency,
                         end=match.end())


def strip_dateline(paragraph: str) -> tuple[str, DatelineMatch | None]:
    """Return the paragraph without its dateline, and the dateline (None when absent)."""
    found = match_dateline(paragraph)
    if found is None:
        return paragraph, None
    return paragraph[found.end :], found
