"""The syndication fixtures (tests/fixtures/syndication/) ingested through the real desk.

One Reuters story about Kirkuk oil exports in five outlets' pages (the agency's own page,
an agency prefix, an edited headline with a cut ending, an extended ending, a rewritten
lede), three other Iraq stories from the same day, and two follow-ups over the next
days. `ingest_wire()` feeds them to `newsdesk ingest --json` in arrival order: the
outlets first and the agency's page last, so the canonical has to move to it.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from newsdesk.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "syndication"

REUTERS = "reuters-original"
COPIES = ["gulfdailyherald-prefix", "levantpost-truncated", "tigrisnews-extended",
          "mesopotamiatoday-newlede"]
OTHERS = ["other-basra-gas-deal", "other-sinjar-court", "other-basra-water-protest"]
FIRST_CARGO = "followup-first-cargo"
ARREARS = "followup-kurdish-arrears"
ARRIVAL = [*COPIES[:2], "other-sinjar-court", *COPIES[2:], "other-basra-gas-deal", REUTERS,
           "other-basra-water-protest", FIRST_CARGO]


def ingest_path(path: Path) -> dict:
    """`newsdesk ingest PATH --json` for one page: its JSON line."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["ingest", str(path), "--json"]) == 0
    lines = [json.loads(x) for x in buffer.getvalue().splitlines() if x.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def ingest(*names: str) -> dict[str, dict]:
    """Ingest fixture pages one by one, in order; their `--json` lines by fixture name."""
    return {name: ingest_path(FIXTURES / f"{name}.html") for name in names}


def ingest_wire() -> dict[str, dict]:
    return ingest(*ARRIVAL)


def forget_process_state() -> None:
    """As a fresh worker process would start. There is nothing to forget any more: the
    copy bands and the story clusterer's state are tables, read at each decision; the
    call marks where a test means "another process from here on"."""


def flush_database() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    forget_process_state()


@pytest.fixture(scope="module")
def wire(django_db_setup, django_db_blocker):
    """The fixtures ingested once per test module (import this fixture by name); each
    test's own changes roll back with its transaction, and the module's rows are flushed
    at its end."""
    with django_db_blocker.unblock():
        forget_process_state()
        results = ingest_wire()
        yield results
        flush_database()


def article(results: dict[str, dict], name: str):
    from newsdesk.desk.models import Article

    return Article.objects.get(pk=results[name]["id"])
