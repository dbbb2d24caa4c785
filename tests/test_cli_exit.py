"""`newsdesk …` as its own process ends at once when its command is done (`cli.leave`,
skipping the interpreter's slow teardown): its exit status, its whole output and what
it committed must all still be there."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def newsdesk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # output buffered
           "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
           "NEWSDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}"}
    return subprocess.run([sys.executable, "-m", "newsdesk.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_one_file_ingest_exits_with_its_output_and_its_article_committed(tmp_path):
    page = next(iter(sorted((FIXTURES / "extract").glob("*.html"))))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    done = newsdesk(tmp_path, "ingest", "--json", str(page), str(empty))
    assert done.returncode == 0, done.stderr  # one item refused, one ingested
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [r["status"] for r in lines] == ["ingested", "rejected"]
    with sqlite3.connect(tmp_path / "desk.sqlite3") as db:
        titles = [t for (t,) in db.execute("SELECT title FROM desk_article")]
    assert titles == [lines[0]["title"]]


def test_a_run_whose_every_item_was_refused_still_exits_1(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    done = newsdesk(tmp_path, "ingest", "--json", str(empty))
    assert done.returncode == 1
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "rejected"
