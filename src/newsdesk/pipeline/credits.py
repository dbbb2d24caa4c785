"""Credits at the foot of a wire story: `(Reporting by X; Editing by Y)` and kin.

Credits name the desk's hands, not the story's subject; left in the body they would
feed people into entity extraction and near-duplicate hashing. They are cut from the
last paragraphs and kept as one string in `WireMeta.credits`.
"""

from __future__ import annotations

import re

_ROLE = (
    r"(?:(?:additional|further|extra)\s+)?"
    r"(?:reporting|writing|editing|compiled|compiling|produced|production|graphics|"
    r"research|translated|translation|fact-checking|photos?|video|design|data)"
)
# "(Reporting By John Irish; Editing by Roger Atwood)" closing a paragraph.
CREDITS_PAREN_RE = re.compile(
    rf"\s*[-–—]?\s*\((?P<credits>{_ROLE}\s+by\s+(?-i:[A-Z])[^()]*)\)\s*\.?\s*$", re.IGNORECASE
)
# A paragraph that is nothing but credits: "Reporting by X Editing by Y", "— Writing by Z".
CREDITS_LINE_RE = re.compile(
    rf"^\s*[-–—]*\s*(?P<credits>{_ROLE}\s+by\s+(?-i:[A-Z])[^\n]{{1,300}}?)\s*\.?\s*$", re.IGNORECASE
)
# AP style: "Associated Press writer Nasser Karimi in Tehran contributed to this report."
AP_CREDITS_RE = re.compile(
    r"(?:^|(?<=[.!?”\"]))\s*(?P<credits>(?:The\s+)?Associated\s+Press\s+(?:writers?|"
    r"reporters?|journalists?|correspondents?)\b.{1,300}?\bcontributed"
    r"(?:\s+(?:to\s+)?(?:this\s+)?(?:report|story|reporting))?\.)\s*$",
    re.IGNORECASE,
)
# AP separates its contributor line from the story with a row of underscores.
RULE_RE = re.compile(r"^\s*[_\-–—=*]{3,}\s*$")


def _tidy(credits: str) -> str:
    return " ".join(credits.split()).strip(" .;")


def cut_credits(paragraph: str) -> tuple[str, str | None]:
    """Split credits off one paragraph: (what is left, the credits or None).

    What is left may be empty when the paragraph was only credits.
    """
    for pattern in (CREDITS_PAREN_RE, CREDITS_LINE_RE, AP_CREDITS_RE):
        match = pattern.search(paragraph)
        if match:
            credits = match.group("credits")
            if pattern is AP_CREDITS_RE:
                credits = " ".join(credits.split())
            else:
                credits = _tidy(credits)
            return paragraph[: match.start()].rstrip(), credits
    return paragraph, None
