"""`newsdesk bench hostile` end to end, at its smallest: the nesting family (six
100,000-deep documents), two concurrent `newsdesk ingest` runs of three pages, and two
concurrent `newsdesk worker --once` processes over two feeds that share items."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newsdesk.desk import hostile_inputs


def test_bench_hostile_reports_every_item_and_the_concurrent_writers(tmp_path):
    server = os.environ.get("NEWSDESK_DATABASE_URL", "")
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("NEWSDESK_DATABASE_URL", None)  # the bench makes its own scratch database
    args = [sys.executable, "-m", "newsdesk.cli", "bench", "hostile", "--families", "nesting",
            "--pages", "3", "--concurrency", "2", "--feeds", "2", "--feed-items", "4", "--json"]
    if server.startswith("postgres"):
        args += ["--database-url", server]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    nesting = report["families"]["nesting"]
    assert nesting["items"] == len(hostile_inputs.deep_nesting(depth=2))
    assert (nesting["crashes"], nesting["hangs"], nesting["internal_errors"]) == (0, 0, 0)
    for row in nesting["rows"]:
        [result] = row["results"]
        assert (result["status"], result["reason"]) == ("rejected", "too_large"), row["item"]
        assert "NEWSDESK_MAX_NESTING" in result["message"]
    [writers] = report["concurrent"]
    assert writers["articles"] == 3
    assert (writers["internal_errors"], writers["tracebacks"], writers["duplicate_urls"]) == (0, 0, 0)
    [workers] = report["workers"]
    assert workers["articles"] == 4  # two feeds of four items, two items shared
    assert sum(workers["polls_by_worker"]) == 2  # each feed polled once, by one worker
    assert (workers["internal_errors"], workers["tracebacks"], workers["duplicate_urls"],
            workers["duplicate_captures"], workers["exit_codes"]) == (0, 0, 0, 0, [0, 0])
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("family", ["huge", "encodings"])
def test_generated_families_are_the_sizes_the_issue_names(family):
    made = dict(hostile_inputs.huge() if family == "huge" else hostile_inputs.encodings())
    if family == "huge":
        assert made["many-attributes.html"].count(b'="x"') == 300_000
        assert made["many-paragraphs.html"].count(b"<p>") == 200_000
        assert len(made["many-paragraphs.html"]) < 10 * 1024 * 1024  # under the byte cap
    assert all(made.values())
