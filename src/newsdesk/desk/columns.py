"""Values shaped to fit their database columns, the same way on SQLite and PostgreSQL.

SQLite stores a string of any length in a `varchar(2000)`; PostgreSQL refuses it and aborts
the transaction. An address is an identity (an article is found again by its URL when its
headline is edited), so cutting it would be wrong twice: two long addresses sharing a
prefix would become one article, and the cut address would no longer be the page's. An
over-long address is therefore kept as its prefix plus a digest of the whole: the same
address always gives the same key, two addresses never share one, and the prefix still
says where the page came from. Feed addresses are fetched again, so there a key will
not do: `refuse_overlong_feed_url` refuses one with a message instead.

Headers a server chose are shaped too: an ETag or Last-Modified too long to keep is not
kept (the next poll is a plain GET, not a conditional one), and a Content-Type with a
long parameter list keeps its media type and charset, all that reading it needs.
"""

from __future__ import annotations

import hashlib
import re

from newsdesk.pipeline.documents import Rejected, RejectReason

DIGEST_MARK = "#sha256="


def fit_url(url: str, limit: int) -> str:
    """`url` itself when it fits in `limit` bytes of UTF-8, else prefix + DIGEST_MARK +
    digest. Bytes, not characters: the column is indexed, and PostgreSQL's index rows
    are limited in bytes (an unescaped Persian path takes two bytes a letter)."""
    raw = url.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        return url
    digest = hashlib.sha256(raw).hexdigest()
    keep = limit - len(DIGEST_MARK) - len(digest)
    return raw[:keep].decode("utf-8", "ignore") + DIGEST_MARK + digest


def refuse_overlong_feed_url(url: str, limit: int) -> None:
    """Raise Rejected for a feed address longer than the column that holds it."""
    if len(url) > limit:
        raise Rejected(RejectReason.REFUSED,
                       f"feed address is {len(url)} characters long; newsdesk keeps feed "
                       f"addresses of up to {limit}: {url[:80]}…")


def validator_or_blank(value: str, limit: int) -> str:
    """An HTTP validator (ETag, Last-Modified) when it fits, else "": it is only an
    optimisation, and a cut one would never match again."""
    return value if len(value) <= limit else ""


_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([\w.:-]+)", re.I)


def fit_content_type(value: str, limit: int) -> str:
    """`value` when it fits, else its media type and charset ("text/html; charset=utf-8")."""
    if len(value) <= limit:
        return value
    media = value.split(";", 1)[0].strip()[:limit]
    charset = _CHARSET.search(value)
    short = f"{media}; charset={charset.group(1)}" if charset else media
    return short if len(short) <= limit else media
