"""`newsdesk eval desk`: the whole desk on a mixed stream of real inputs, as a reader sees it.

Data: a set laid out like ``../shared/data/desk-dev`` (``inputs/NNNN.*``, ``gold.jsonl``,
``apart.json``; its README gives the format). The desk side (`newsdesk.desk.desk_eval`, the
one part of this benchmark that starts Django, in this process) ingests every input in order
into a scratch desk and reads each article back through the site's JSON twin; the peer
(`newsdesk.evals.desk_peer`: trafilatura, datasketch MinHash, TF-IDF single pass, plain
spaCy, every-mention countries) reads the same inputs in the same run. Both are scored by
`newsdesk.evals.desk_score`, which agrees with the set's reference scorer; ``--predictions``
writes the desk's lines in that scorer's format, so anyone can score the run again.

A reader who opens a copy is sent to its canonical article, so a copy is scored on what that
page shows: the canonical's text, and the copy's own headline and date as "Also published by"
lists them. Where a copy's text or credit differs from its canonical's, no desk can be right
on it this way. The ``best`` column is the gold itself read so (each copy through its group's
first article): the most this reading can give.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsdesk.evals import desk_peer, desk_score

HELP = "the whole desk on a mixed set, read back through the JSON twins, beside an open-library peer"
# (label, key, what a difference means): shares where higher is better
ROWS = (
    ("articles published", "articles_published"),
    ("non-articles refused", "non_articles_refused"),
    ("published or refused right", "reject_accuracy"),
    ("story BCubed P", "story_bcubed_p"),
    ("story BCubed R", "story_bcubed_r"),
    ("story BCubed F1", "story_bcubed_f1"),
    ("copy pairs P", "copy_pairwise_p"),
    ("copy pairs R", "copy_pairwise_r"),
    ("copy pairs F1", "copy_pairwise_f1"),
    ("date right", "date_accuracy"),
    ("  dated inputs", "date_accuracy_dated"),
    ("  undated kept undated", "date_null_kept"),
    ("agency right", "agency_accuracy"),
    ("headline exact", "title_exact"),
    ("headline exact, case kept", "title_exact_case_kept"),
    ("body P", "body_p"),
    ("body R", "body_r"),
    ("body F1", "body_f1"),
    ("body exact", "body_exact"),
    ("countries P", "countries_p"),
    ("countries R", "countries_r"),
    ("countries micro-F1", "countries_f1"),
    ("countries exact set", "countries_exact"),
    ("entity mentions linked", "entity_mentions_linked"),
    ("entity groups whole", "entity_group_recall"),
    ("entity mention pairs", "entity_pair_recall"),
    ("apart pairs kept apart", "apart_precision"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True,
                        help="a desk benchmark set: inputs/, gold.jsonl, apart.json (e.g. ../shared/data/desk-dev)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to run the desk on (a scratch database is created and "
                             "dropped there); SQLite in a temporary folder when left out")
    parser.add_argument("--predictions", type=Path,
                        help="write what the reader was shown as prediction lines (the reference scorer's format)")
    parser.add_argument("--json", action="store_true", help="one JSON object")


def differences(ours: dict, peer: dict) -> dict:
    return {key: (round(ours[key] - peer[key], 4) if isinstance(ours.get(key), float | int)
                  and isinstance(peer.get(key), float | int) else None) for _, key in ROWS}


def evaluate(set_dir: Path, database_url: str = "", progress: bool = True) -> tuple[dict, list[dict]]:
    from newsdesk.desk import desk_eval

    gold = desk_score.read_jsonl(set_dir / "gold.jsonl")
    start = time.perf_counter()
    desk = desk_eval.predict(set_dir, gold, database_url, progress=progress)
    desk_s = time.perf_counter() - start
    if progress:
        print("  the peer reads the same inputs …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    peer_lines = desk_peer.predict(set_dir)
    peer_s = time.perf_counter() - start
    ours = desk_score.score_set(set_dir, desk["lines"])
    peer = desk_score.score_set(set_dir, peer_lines)
    best = desk_score.score_set(set_dir, desk_score.gold_shown_as_canonical(gold))
    result = {
        "data": str(set_dir), "database": desk["notes"]["database"], "input_files": desk["notes"]["files"],
        "gold_lines": len(gold), "count_mismatches": desk["notes"]["count_mismatches"],
        "newsdesk": {**ours, "seconds": round(desk_s, 1)},
        "peer": {**peer, "seconds": round(peer_s, 1),
                 "name": "trafilatura + datasketch MinHash + TF-IDF single pass + plain spaCy + every mention"},
        "difference": differences(ours, peer),
        # the gold, each copy shown its group's first article: the most this reading can give
        "best_reachable": {key: best.get(key) for _, key in ROWS},
    }
    return result, desk["lines"]


def run(args) -> int:
    set_dir = args.data
    if not (set_dir / "gold.jsonl").exists() or not (set_dir / "inputs").is_dir():
        raise SystemExit(f"no desk benchmark set at {set_dir}: it needs inputs/, gold.jsonl and apart.json")
    result, lines = evaluate(set_dir, args.database_url, progress=not args.json)
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print_table(result)
    return 0


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:+.3f}" if isinstance(value, float) and value < 0 else (
        f"{value:.3f}" if isinstance(value, float) else str(value))


def print_table(result: dict) -> None:
    ours, peer, diff = result["newsdesk"], result["peer"], result["difference"]
    print(f"desk benchmark {result['data']} on {result['database']}: {result['input_files']} input files, "
          f"{result['gold_lines']} gold lines; newsdesk read back through the JSON twins")
    print(f"{'':30}{'newsdesk':>10}{'peer':>10}{'difference':>12}{'best':>8}")
    for label, key in ROWS:
        d = diff[key]
        print(f"{label:30}{_fmt(ours.get(key)):>10}{_fmt(peer.get(key)):>10}"
              f"{('-' if d is None else f'{d:+.3f}'):>12}{_fmt(result['best_reachable'][key]):>8}")
    print(f"{'seconds':30}{ours['seconds']:>10.1f}{peer['seconds']:>10.1f}")
    print(f"peer: {peer['name']}")
    print("best: the gold itself, each copy read through its group's first article, as the reader of a "
          "copy is (its own headline and date listed there; its text and credit the first article's)")
    counts = (f"story lines {ours['story_lines']} in {ours['gold_stories']} events; copy pairs gold "
              f"{ours['copy_gold_pairs']}, newsdesk {ours['copy_pred_pairs']}, peer {peer['copy_pred_pairs']}; "
              f"entity groups {ours['entity_groups']}, apart pairs {ours['apart_pairs']}")
    print(counts)
    print("by source, newsdesk / peer:")
    print(f"  {'':16}{'lines':>6}" + "".join(f"{h:>16}" for h in (
        "pub/refused", "date", "agency", "headline", "body F1", "countries F1")))
    rows = [*ours["by_source"].items(), *ours.get("by_format", {}).items()]
    for kind, row in sorted(rows):
        other = peer["by_source"].get(kind) or peer["by_format"][kind]
        cells = "".join(f"{_fmt(row[k]) + ' / ' + _fmt(other[k]):>16}" for k in (
            "published_or_refused", "date_accuracy", "agency_accuracy", "title_exact", "body_f1", "countries_f1"))
        print(f"  {kind:16}{row['lines']:>6}{cells}")
    for m in result["count_mismatches"]:
        print(f"warning: {m['file']}: {m['results']} ingest results for {m['gold_lines']} gold lines "
              "(lines without a result count as refused)")
