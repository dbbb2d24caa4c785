"""`newsdesk bench ingest` end to end on a tiny corpus, in its own process (it picks its
scratch database before Django starts, and never the desk's)."""

from __future__ import annotations

import json
import subprocess
import sys

WORDS = ("the ministry said exports of crude oil from the southern port rose in March after "
         "repairs to the pipeline while traders in Basra expected prices to hold through the "
         "summer and officials in Baghdad promised new contracts with foreign companies").split()


def long_body(n: int) -> str:
    """About 500 words in paragraphs, different for each ``n``."""
    words = [f"{w}{n}" if i % 7 == 0 else w for i, w in enumerate(WORDS * 20)]
    sentences = [" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
    return "\n    ".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def test_the_bench_fills_a_desk_with_its_state_and_times_both_figures(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    short = [{"title": f"Cocoa harvest {w} in Bahia", "body": f"Showers helped the {w} cocoa crop "
              "in the week, the exporters' association said in its review of the season.",
              "date": "1987-02-26T15:01:01"} for w in ("improves", "slips", "recovers", "stalls")]
    long = [{"title": f"Iraq oil exports rise {n}", "body": long_body(n), "date": "1987-03-02T10:00:00"}
            for n in range(5)]
    corpus.write_text("\n".join(json.dumps(r) for r in short + long), encoding="utf-8")
    kept = tmp_path / "kept" / "desk.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "bench", "ingest", "--data", str(corpus),
         "--articles", "30", "--pages", "2", "--keep", str(kept), "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    result = json.loads(out.stdout)
    assert result["database"] == "sqlite" and result["articles"] == 30
    # The fill left what the real path leaves: bands for every signed article, stories.
    assert result["state"]["copy_bands"] == 30 * 42
    assert 0 < result["state"]["live_stories"] <= result["state"]["stories"]
    assert [run["status"] for run in result["one_file"]["runs"]] == ["ingested"] * 3
    bulk = result["throughput"]
    assert bulk["pages"] == 1 and bulk["statuses"] == {"ingested": 1}
    assert bulk["articles_per_cpu_s"] > 0
    assert bulk["dominant_stage"] in bulk["stages_cpu_s"]
    assert "entities (spaCy NER)" in bulk["stages_cpu_s"]

    # The filled desk was kept (before anything was timed): a later run starts from it.
    again = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "bench", "ingest", "--data", str(corpus),
         "--articles", "5", "--pages", "2", "--reuse", str(kept), "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )
    reused = json.loads(again.stdout)
    assert reused["reused"] == str(kept) and reused["fill_s"] == 0
    assert reused["articles"] == 30 and reused["state"] == result["state"]
    assert [run["status"] for run in reused["one_file"]["runs"]] == ["ingested"] * 3
    # A desk filled from another corpus is refused: the pages timed could be on it already.
    other = tmp_path / "other.jsonl"
    other.write_bytes(corpus.read_bytes())
    refused = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "bench", "ingest", "--data", str(other),
         "--pages", "2", "--reuse", str(kept)], capture_output=True, text=True, timeout=600)
    assert refused.returncode != 0 and f"data={corpus}" in refused.stderr
