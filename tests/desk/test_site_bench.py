"""`newsdesk bench site` end to end: a tiny scratch desk, served by a real server, loaded by
wrk, beside a real peer on 127.0.0.1. Its figures are reported, never asserted: speed
belongs in the bench's output, not in a test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from newsdesk.desk import site_bench

PAGES = {"home", "region", "category", "article", "article-json", "entity", "story", "stories",
         "search", "search-rare", "feed", "recommend"}

# Wire copy in the corpus's shape (title, body, date, dateline): countries, names, and two
# reports of one event so that a developing story forms.
RECORDS = [
    ("IRAQ SAYS ITS FORCES HOLD BASRA FRONT", "BAGHDAD, March 2",
     "Iraq said its forces held the front east of Basra on Monday after Iranian attacks.\n"
     "    Defence Minister Adnan Khairallah told reporters in Baghdad the Iranian assault had failed."),
    ("IRANIAN ATTACK ON BASRA FAILS, IRAQ SAYS", "BAGHDAD, March 3",
     "Iraq said a new Iranian attack east of Basra failed on Tuesday.\n"
     "    Defence Minister Adnan Khairallah said Iraqi forces held the front near Basra."),
    ("OPEC MINISTERS MEET IN VIENNA ON OUTPUT", "VIENNA, March 2",
     "OPEC oil ministers met in Vienna to discuss output quotas.\n"
     "    Saudi Oil Minister Hisham Nazer said the group would keep its ceiling."),
    ("JAPAN TRADE SURPLUS WIDENS IN FEBRUARY", "TOKYO, March 4",
     "Japan's trade surplus widened in February, the Finance Ministry said.\n"
     "    Exports to the United States rose, officials at the Bank of Japan said."),
    ("KUWAIT RAISES CRUDE OUTPUT", "KUWAIT, March 5",
     "Kuwait raised crude oil output this month, the Kuwait Petroleum Corporation said.\n"
     "    Oil Minister Ali al-Khalifa al-Sabah said prices were steady."),
    ("CANADA BANKS CUT PRIME RATE", "TORONTO, March 6",
     "The Royal Bank of Canada cut its prime rate by a quarter point.\n"
     "    The Bank of Montreal said it would follow on Friday."),
]


def write_corpus(path):
    rows = [{"title": t, "dateline": d, "date": f"1987-03-0{i + 2}T10:00:00", "body": b}
            for i, (t, d, b) in enumerate(RECORDS)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def bench(tmp_path, *extra) -> dict:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk): the site bench needs it")
    database = os.environ.get("NEWSDESK_DATABASE_URL", "")
    on_postgres = ["--database-url", database] if database.startswith("postgres") else []
    out = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "bench", "site", "--data", str(write_corpus(tmp_path / "c.jsonl")),
         "--articles", "24", "--duration", "1", "--warmup", "0", "--rounds", "1", "--json",
         *on_postgres, *extra],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_every_reader_page_answers_under_load_beside_the_peer(tmp_path, http_server, capsys):
    http_server.route("/", body=b"<h1>peer home</h1>")
    http_server.route("/feed/", body=b"<rss/>", content_type="application/rss+xml")
    peer = tmp_path / "urls.txt"
    peer.write_text(f"home {http_server.url('/')}\nfeed {http_server.url('/feed/')}\n"
                    f"# a comment\nguestbook {http_server.url('/guestbook')}\n")

    result = bench(tmp_path, "--server", "run", "--peer", str(peer))

    expected_db = "postgresql" if os.environ.get("NEWSDESK_DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert result["database"] == expected_db and result["server"] == "run"
    assert result["desk"]["articles"] == 24 and result["desk"]["stories"] > 0 and result["desk"]["entities"] > 0
    assert set(result["pages"]) == PAGES
    for name, page in result["pages"].items():
        assert page["status"] == 200, (name, page["path"], page["status"])
        mine = page["newsdesk"]  # a busy machine may finish no request of a page in 1 s: no count asserted
        assert mine["non_2xx_3xx"] == 0 and mine["p50_ms"] <= mine["p99_ms"], (name, mine)
        if name in ("home", "feed"):
            assert page["peer_status"] == 200 and page["peer"]["non_2xx_3xx"] == 0
            assert page["ratio"] == pytest.approx(mine["req_s"] / page["peer"]["req_s"])
        else:
            assert page["peer"] is None and page["ratio"] is None
    assert http_server.hits["/"] > 1 and http_server.hits["/feed/"] > 1  # the peer was loaded too
    assert result["peer_only"] == ["guestbook"]
    (process,) = result["memory"]["processes"]  # `newsdesk run` is one process
    assert all(process[k] > 0 for k in ("ready", "warm", "end"))
    assert 0 < result["memory"]["requests_after_warmup"] == sum(p["newsdesk"]["requests"] for p in result["pages"].values())

    site_bench.print_report(result)
    text = capsys.readouterr().out
    lines = {line.split()[0]: line for line in text.splitlines() if line.split() and line.split()[0] in PAGES}
    assert set(lines) == PAGES
    ratio = re.compile(r"\d\.\d\dx ")
    assert ratio.search(lines["home"]) and ratio.search(lines["feed"]) and not ratio.search(lines["region"])


def test_gunicorn_serves_the_same_pages_from_several_workers(tmp_path):
    pytest.importorskip("gunicorn")
    result = bench(tmp_path, "--server", "gunicorn", "--workers", "2")
    assert result["server"] == "gunicorn" and set(result["pages"]) == PAGES
    assert all(p["status"] == 200 and p["newsdesk"]["non_2xx_3xx"] == 0 for p in result["pages"].values())
    assert len(result["memory"]["processes"]) == 3  # the arbiter and its two workers


def test_a_peer_file_must_say_page_name_and_url(tmp_path):
    bad = tmp_path / "urls.txt"
    bad.write_text("home\n")
    with pytest.raises(SystemExit, match="page-name URL"):
        site_bench.read_peer(bad)
    good = tmp_path / "good.txt"
    good.write_text("\n# WordPress\nhome http://127.0.0.1:8081/\nfeed http://127.0.0.1:8081/feed/\n")
    assert site_bench.read_peer(good) == {"home": "http://127.0.0.1:8081/", "feed": "http://127.0.0.1:8081/feed/"}


def test_wire_copy_becomes_paragraphs_without_its_line_wraps_or_sign_off():
    from newsdesk.desk.bench_desk import paragraphs_of

    body = "Showers continued\nthroughout the week.\n    The dry period means\na late crop.\n Reuter\n"
    assert paragraphs_of(body) == ["Showers continued throughout the week.", "The dry period means a late crop."]
    assert paragraphs_of("One.\n\nTwo, said Reuters chief.") == ["One.", "Two, said Reuters chief."]
