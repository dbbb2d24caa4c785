"""Bylines (`By John Irish`, `By X and Y | AFP`) and the people in them.

A byline names people; pages also put agencies, desks and links in the author slot
("Reuters", "CNN Wire", "Email the author"). This module keeps the people and hands
the agency back separately, so `Draft.authors` lists only persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import canonical

MAX_BYLINE_CHARS = 140  # a longer "By …" paragraph is a sentence, not a byline
MIN_NAME_WORDS = 2  # a lone capitalised word ("Friday", "Iran") is too easily not a person
MAX_NAME_WORDS = 5

BYLINE_RE = re.compile(r"^\s*(?:By|BY|by)\s*:?\s+(?P<rest>\S.*?)\s*$", re.DOTALL)
# Split points between the names part and trailing furniture: "| AFP", " - Reuters", " / AP".
_FURNITURE_SPLIT = re.compile(r"\s*(?:\||\s[-–—/]\s|\u2022|·)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bAND\b)\s*")
_DATE_TAIL = re.compile(
    r"\s*(?:,|\s)\s*(?:(?:Published|Updated|Posted)\b.*|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b.*|"
    r"\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b.*|"
    r"\d+\s+min(?:ute)?s?\s+read\b.*)$",
    re.IGNORECASE,
)
# Words that make an author slot a role, desk or link rather than a person.
NON_PERSON_WORDS = frozenset(
    {
        "writer", "writers", "correspondent", "correspondents", "reporter", "reporters",
        "editor", "editors", "staff", "bureau", "desk", "contributor", "columnist", "wire",
        "wires", "newsroom", "team", "service", "services", "agency", "agencies", "news",
        "email", "e-mail", "author", "follow", "twitter", "online", "web", "digital",
        "contributors", "press", "media", "report", "reports", "more", "view", "profile",
        "admin", "administrator", "guest", "anonymous", "unknown", "editorial", "board",
    }
)  # fmt: skip
_PARTICLES = frozenset({"de", "da", "del", "der", "van", "von", "bin", "ibn", "al", "el",
                        "la", "le", "du", "dos", "das", "do", "y", "ter", "den", "st."})  # fmt: skip
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.\-]*|[a-z]{1,3}-[A-Z][\w'’\-]*|Mc[A-Z]\w*)$")


@dataclass
class Byline:
    """What a byline paragraph says: the people, and an agency when one is named."""

    people: list[str] = field(default_factory=list)
    agency: str | None = None


def _title_name(name: str) -> str:
    # "JOHN IRISH" → "John Irish"; mixed case is left as printed ("McCarthy", "al-Assad")
    if not name.isupper():
        return name
    return " ".join("-".join(p[:1] + p[1:].lower() for p in w.split("-")) for w in name.split())


def is_person(name: str) -> bool:
    """True when `name` reads as a person's name: capitalised words, no agency, no role."""
    words = name.split()
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS:
        return False
    if canonical(name) is not None:
        return False
    if any(p.strip(".,") in NON_PERSON_WORDS for w in words for p in w.lower().split("-")):
        return False
    if any(ch.isdigit() or ch in "@/:#" for ch in name):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words) and any(
        _NAME_WORD.match(w) for w in words
    )


def _is_role(piece: str) -> bool:
    """A desk or job title in a byline ("Staff Writer", "Middle East Correspondent")."""
    words = piece.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and all(w[:1].isupper() for w in words)
        and any(p.strip(".,") in NON_PERSON_WORDS for w in words for p in w.lower().split("-"))
    )


def _piece_agency(piece: str) -> str | None:
    """An agency named by a furniture piece: "Reuters", "AP Diplomatic Writer"."""
    found = canonical(piece)
    if found:
        return found
    words = piece.split()
    for size in (3, 2, 1):
        if len(words) > size and canonical(" ".join(words[:size])):
            return canonical(" ".join(words[:size]))
    return None


def parse_byline(paragraph: str) -> Byline | None:
    """Parse a `By …` paragraph; None when it is not a byline (e.g. "By the end of …")."""
    if len(paragraph) > MAX_BYLINE_CHARS or "\n" in paragraph.strip():
        return None
    match = BYLINE_RE.match(paragraph)
    if not match:
        return None
    parts = [p for p in _FURNITURE_SPLIT.split(match.group("rest")) if p]
    if not parts:
        return None
    byline = Byline()
    names_part, furniture = parts[0], parts[1:]
    names_part = _DATE_TAIL.sub("", names_part)
    for piece in _NAME_SPLIT.split(names_part):
        piece = piece.strip(" .")
        if not piece:
            continue
        if is_person(piece):
            byline.people.append(_title_name(piece))
        elif (agency := _piece_agency(piece)) is not None:
            byline.agency = byline.agency or agency
        elif not _is_role(piece):
            return None  # "By Friday, the group had …": a sentence, not a byline
    for piece in furniture:
        if byline.agency is None:
            byline.agency = _piece_agency(piece.strip(" ."))
    if not byline.people and byline.agency is None:
        return None
    return byline


# Letters after a name in an author slot ("Rachael Link, MS, RD"), not names themselves.
CREDENTIALS = frozenset({"ms", "ma", "mba", "md", "phd", "ph.d", "rd", "rdn", "rn", "mph", "jd",
                         "cpt", "cscs", "do", "dds", "msc", "bsc", "ld", "cdn", "esq"})  # fmt: skip
# "Analysis by Chris Cillizza", "Words by X": the person follows a lead-in.
_LEAD_IN_RE = re.compile(r"^\s*(?:[A-Za-z]+\s+)?by\s+(?=\S)", re.IGNORECASE)


def is_non_person(name: str, site_name: str | None = None) -> bool:
    """True when an author slot from page metadata is clearly not a person.

    Lenient on purpose: a pen name ("Regan") or a name in another script stays; an
    agency, a desk or role, a link text, a credential or the site's own name goes.
    """
    folded = " ".join(name.split()).casefold()
    if not folded or canonical(name) is not None:
        return True
    if site_name and folded == " ".join(site_name.split()).casefold():
        return True
    if folded.replace(".", "") in CREDENTIALS or any(ch in name for ch in "@/:#"):
        return True
    if " " not in folded and re.search(r"\w\.[a-z]{2,}$", folded):
        return True  # a domain ("Cleveland.com")
    words = re.split(r"[\s\-]+", folded)
    if any(w.strip(".,") in NON_PERSON_WORDS or "admin" in w for w in words):
        return True
    return _piece_agency(name) is not None


def clean_authors(authors: list[str], site_name: str | None = None) -> list[str]:
    """Keep the persons among author strings from page metadata, each once, in order."""
    people: list[str] = []
    for entry in authors:
        entry = _LEAD_IN_RE.sub("", entry.strip())
        for piece in re.split(r"\s*[|;]\s*|\s*,\s*|\s+(?:and|&)\s+", entry):
            piece = _DATE_TAIL.sub("", piece).strip(" .,")
            if piece and not is_non_person(piece, site_name):
                name = _title_name(piece)
                if name not in people:
                    people.append(name)
    return people
