"""Every operation of the public API, fuzzed from its OpenAPI document over real HTTP.

Schemathesis (its own command, ``schemathesis run``, as an operator would run it) reads
the document the site serves at /api/openapi.json (from its file) and draws requests from it: boundary
values first (empty strings, zero, huge numbers), then random valid and invalid ones
(wrong types, out-of-range numbers, odd strings, fields given twice, other methods). It
sends them to a live server on 127.0.0.1 over a small newsroom, on SQLite or PostgreSQL
as the suite runs. Every answer must be no server error and carry a documented status,
content type, headers and schema; an invalid request must be refused (400, 404, 405), a
valid one not (``schemathesis.toml`` beside this file says where that cannot hold). Half
the ids and slugs it sends are the newsroom's own, so requests reach real pages too.

Bounded: ``FUZZ_EXAMPLES`` random requests an operation and mode, from a fixed seed, so
a run is repeatable (raise the environment variable ``FUZZ_EXAMPLES`` for a deeper
search). A failure it finds becomes a plain regression test (``test_hostile_requests``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsdesk.site.openapi import SPEC

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def real_values(newsroom) -> str:
    """Configuration that sends the newsroom's own ids and slugs half the time, so drawn
    requests reach real pages (a category's paginator, an article with its blocks) and
    not only the 404 of an id that names nothing."""
    articles = [newsroom.seed.pk, newsroom.pensions.pk, newsroom.copy.pk, newsroom.hidden.pk]
    bound = {"articles": ("^/article/", "id", articles),
             "stories": ("^/story/", "id", [newsroom.story.pk]),
             "categories": ("^/category/", "slug", ["iraq", "iran-and-its-neighbours", "world"]),
             "entities": ("^/entity/", "slug", [newsroom.rajavi.slug, newsroom.pmoi.slug])}
    lines = []
    for name, (path, parameter, values) in bound.items():
        lines += [f"\n[dictionaries.{name}]", f"values = {json.dumps(values)}",
                  "\n[[operations]]", f'include-path-regex = "{path}"',
                  f'parameters = {{ "path.{parameter}" = {{ dictionary = "{name}", probability = 0.5 }} }}']
    return "\n".join(lines) + "\n"


def test_no_request_breaks_the_api(live_server, newsroom, monkeypatch, tmp_path):
    if not SCHEMATHESIS.exists():
        pytest.skip(f"Schemathesis is not installed beside {sys.executable} (the test extra has it)")
    # The per-client limits off: every drawn request reaches the code it aims at (the
    # limits have their own tests). The live server runs in this process and reads them.
    monkeypatch.setenv("NEWSDESK_SEARCH_LIMIT", "0")
    monkeypatch.setenv("NEWSDESK_READ_LIMIT", "0")
    # The document from its file (what /api/openapi.json serves): loaded from the URL,
    # Schemathesis leaves that operation itself out.
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.read_text() + real_values(newsroom))
    run = subprocess.run(
        [str(SCHEMATHESIS), "--no-color", "--config-file", str(config), "run",
         str(SPEC), "--url", live_server.url, "--phases", "examples,coverage,fuzzing",
         "--max-examples", str(FUZZ_EXAMPLES), "--seed", "22", "--workers", "1",
         "--suppress-health-check", "all", "--request-timeout", "30"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its crash cache lands there
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-20000:]
    operations = sum(len(methods) for methods in yaml.safe_load(SPEC.read_text())["paths"].values())
    assert f"Tested: {operations}\n" in report, report[-5000:]  # every operation, none skipped
    # Every drawn case passed (a warning, such as random ids that name no article, is no failure).
    assert re.search(r"\b(\d+) generated, \1 passed\b", report), report[-5000:]
