"""Page furniture that both extractors let through: teaser links, prompts and notices.

trafilatura and readability agree on these lines because they sit inside the article's own
container: "READ MORE: …" links between paragraphs, "You may also like" lists under the
last one, "Follow us on Twitter", newsletter and app prompts, copyright and citation
notices. None of them is the story, and no
rule here looks at a site or a page: each is a shape that publishers share.

Only short blocks are judged (a long paragraph that happens to start with "Follow" is
prose; a copyright notice is the exception, some run to a paragraph), and a heading-like label ("Don't miss", "Related stories") takes the run of short
headline-like blocks under it along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .html_blocks import Block

# A label that introduces a list of links to other pages, alone on its line.
_LABEL = re.compile(
    r"^\W*(?:"
    r"read (?:more|also|next)|see (?:more|also)|more (?:from|on|about|stories|news)\b.*|also on\b.*"
    r"|related(?: (?:stories|articles|posts|coverage|content|news|links|reading|topics|video))?"
    r"|you (?:may|might) (?:also )?(?:like|enjoy)|recommended(?: for you| stories| reading)?"
    r"|don'?t miss|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|popular(?: now| stories)?"
    r"|explore further|further reading|top stories|latest (?:news|stories)|editor'?s picks|more stories"
    r"|tags?|topics|filed under|comments?|\d+ comments?|leave a (?:comment|reply)|share(?: this)?(?: article| story)?"
    r"|advertisement|sponsored(?: content)?"
    r"|leggi anche|lire aussi|à lire aussi|lee también|leia também|veja também|lesen sie auch|siehe auch"
    r")\W*$",
    re.I,
)
# A short block starting like this is a link or a prompt, wherever it stands.
_PROMPT = re.compile(
    r"^\W*(?:"
    r"(?:read|see|watch|listen|click|tap) (?:more|also|here|now|next)\b"
    r"|(?:related|also|more|also on|also read|don'?t miss|watch|video|pics|photos|gallery)\s*(?::|\||-)"
    r"|click here|(?:sign up|subscribe)\b.*\b(?:newsletters?|inbox|channel|here|our)\b"
    r"|get (?:our|the) (?:\w+ )?(?:newsletter|app)\b|download (?:our|the) app"
    r"|follow (?:us|@|\w+(?: \w+){0,4} on (?:twitter|facebook|instagram|youtube|linkedin|tiktok|x)\b)"
    r"|like this (?:story|article)|share (?:this|it) with|if you (?:enjoyed|liked|value) this"
    r"|write to \S.* at \S+@|citation:"
    r"|published:? \d|updated:? \d|(?:leggi|lire|lee|leia|lesen sie) (?:anche|aussi|también|também|auch)\b"
    r")",
    re.I,
)
# Copyright and reprint notices: never body, however long (some run to a paragraph).
_NOTICE = re.compile(
    r"^\W*(?:(?:©|\(c\))\s*\w|copyright\s*(?:©|\(c\)|\d{4})|all rights reserved"
    r"|this (?:document|article|material|content) (?:is (?:subject to|protected by) copyright|may not be)"
    r"|this material may not be published)",
    re.I,
)
# "… [VIDEO]" / "… [INSIGHT]": a tag that marks a teaser headline.
_TEASER_TAG = re.compile(
    r"\[(?:video|insight|watch|pics|photos|gallery|poll|news|warning|reaction|analysis|live)\]\W*$",
    re.I,
)
# A teaser's excerpt, cut short: "… the United Nations said..."
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\W*$")
# Under a label, a short block ending like this is prose again (a question is a headline).
_STATEMENT_END = re.compile(r"[.!…][\"'”’»)\]]*$")


@dataclass(frozen=True)
class FurnitureOptions:
    max_words: int = 40  # only blocks up to this long are judged as furniture …
    notice_max_words: int = 150  # … except copyright and reprint notices, judged up to this
    headline_words: int = 20  # under a label, blocks up to this long without a full stop go too


def drop_furniture(
    blocks: list[Block], options: FurnitureOptions = FurnitureOptions()
) -> list[Block]:
    """Return `blocks` without the furniture described in the module docstring."""
    kept: list[Block] = []
    under_label = False
    for block in blocks:
        text = block.text.strip()
        words = len(text.split())
        if under_label:
            if _TRUNCATED.search(text) or (
                words <= options.headline_words and not _STATEMENT_END.search(text)
            ):
                continue
            under_label = False
        if words <= options.notice_max_words and _NOTICE.match(text):
            continue
        if words <= options.max_words:
            if _LABEL.match(text):
                under_label = True
                continue
            if _PROMPT.match(text) or _TEASER_TAG.search(text):
                continue
        kept.append(block)
    return kept
