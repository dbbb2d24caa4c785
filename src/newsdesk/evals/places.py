"""`newsdesk eval places`: countries filed vs Reuters-21578 PLACES labels, beside a baseline.

The peer, measured in the same run on the same gazetteer, is the plain "every gazetteer
mention" tagger (title + dateline + body hits, no salience), the README's second baseline;
the "dateline only" tagger (the README's first) is printed beside it. Documents/s times
the tagger alone, one process, after the gazetteer is built.

Scoring follows the data's 1987 label scheme: Reuters codes map to ISO through
places-to-iso.tsv (taken from the data file's folder). A code that maps to several
successor states (ussr, yugoslavia, czechoslovakia, netherlands-antilles) is scored as one
class, named by its first successor (RU, RS, CZ, CW), and our codes are folded the same
way (Ukraine → RU). Filed codes the label scheme cannot express (e.g. PS: there was no
"palestine" label in 1987) are dropped before scoring and counted in `outside_labels`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsdesk.pipeline.datelines import match_dateline
from newsdesk.pipeline.gazetteer import dateline_country, default_gazetteer
from newsdesk.pipeline.places import PlacesOptions, collect_hits, file_countries
from newsdesk.pipeline.taxonomy import load_tree

HELP = "countries filed vs Reuters-21578 PLACES (micro P/R/F1, exact set, docs/s) beside the every-mention baseline"

_PARAGRAPH_BREAK = re.compile(r"\n(?=[ \t]{2,}\S)|\n\s*\n")
_SIGNOFF = re.compile(r"\s*\bReuter\s*$")


@dataclass
class Doc:
    id: int
    title: str
    dateline_place: str | None
    paragraphs: list[str]
    gold: frozenset[str]


def dateline_place(dateline: str, body: str) -> str | None:
    """The dateline place as the desk's wire parser reads it ("BAHIA BLANCA, Argentina,
    Feb 26" → "Bahia Blanca, Argentina"); None where it reads none (about 60 garbled
    1987 datelines such as "RENO, Nev., Mach 4"), exactly as the desk would file them."""
    found = match_dateline(f"{dateline} - {body[:60]}")
    return found.dateline.place if found else None


def paragraphs(body: str) -> list[str]:
    """Split a Reuters body on its indented paragraph starts; unwrap lines; drop 'Reuter'."""
    body = _SIGNOFF.sub("", body)
    out = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(body)]
    return [p for p in out if p]


def load_mapping(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Return (reuters code → scored class, ISO code → scored class)."""
    to_class: dict[str, str] = {}
    fold: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        codes = cols[1].split(";")
        to_class[cols[0]] = codes[0]
        for code in codes:
            fold.setdefault(code, codes[0])
    return to_class, fold


# halves by Reuters id parity: tune a constant on one, confirm it on the other
SPLITS = {"all": None, "even": 0, "odd": 1}


def load_docs(
    path: Path, mapping: dict[str, str], limit: int | None = None, split: str = "all"
) -> list[Doc]:
    """Read the documents (of one half when `split` is even/odd), at most `limit` of them."""
    parity = SPLITS[split]
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if parity is not None and row["id"] % 2 != parity:
                continue
            gold = frozenset(mapping[p] for p in row["places"])
            docs.append(
                Doc(
                    row["id"],
                    row["title"],
                    dateline_place(row["dateline"], row["body"]),
                    paragraphs(row["body"]),
                    gold,
                )
            )
            if limit and len(docs) >= limit:
                break
    return docs


def every_mention(doc: Doc) -> list[str]:
    """The baseline: every country the gazetteer hits in title, dateline and body."""
    # a shared name ("Georgia") is no one country's mention on its own
    hits = collect_hits(doc.title, doc.paragraphs, default_gazetteer())
    codes = {hit.code for _, hit in hits if not hit.among}
    home = dateline_country(doc.dateline_place)
    if home:
        codes.add(home)
    return sorted(codes)


def dateline_only(doc: Doc) -> list[str]:
    """The README's first baseline: the dateline city's country and nothing else."""
    home = dateline_country(doc.dateline_place)
    return [home] if home else []


def score(docs: list[Doc], tagger: Callable[[Doc], Iterable[str]], fold: dict[str, str]) -> dict:
    """Micro P/R/F1, exact-set accuracy, per-class F1 and documents/s for one tagger."""
    tp = fp = fn = exact = outside = 0
    per: dict[str, Counter] = {}
    started = time.perf_counter()
    predictions = [tagger(doc) for doc in docs]
    elapsed = time.perf_counter() - started
    for doc, predicted in zip(docs, predictions, strict=True):
        folded = set()
        for code in predicted:
            if code in fold:
                folded.add(fold[code])
            else:
                outside += 1
        tp += len(folded & doc.gold)
        fp += len(folded - doc.gold)
        fn += len(doc.gold - folded)
        exact += folded == doc.gold
        for code in folded | doc.gold:
            c = per.setdefault(code, Counter())
            c["tp"] += code in folded and code in doc.gold
            c["fp"] += code in folded and code not in doc.gold
            c["fn"] += code in doc.gold and code not in folded
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    per_f1 = {
        code: round(2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]), 4) for code, c in per.items()
    }
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "exact": round(exact / len(docs), 4) if docs else 0.0,
        "docs_per_s": round(len(docs) / elapsed, 1) if elapsed else 0.0,
        "outside_labels": outside,
        "per_country_f1": per_f1,
        "support": {code: c["tp"] + c["fn"] for code, c in per.items()},
    }


DEFAULT_OPTIONS = PlacesOptions()


def newsdesk_tagger(options: PlacesOptions = DEFAULT_OPTIONS) -> Callable[[Doc], list[str]]:
    def tag(doc: Doc) -> list[str]:
        return file_countries(doc.title, doc.paragraphs, doc.dateline_place, options).codes

    return tag


def evaluate(
    data: Path,
    limit: int | None = None,
    options: PlacesOptions = DEFAULT_OPTIONS,
    split: str = "all",
) -> dict:
    """Run newsdesk and the baseline over one data file; return every figure."""
    to_class, fold = load_mapping(data.parent / "places-to-iso.tsv")
    docs = load_docs(data, to_class, limit, split)
    default_gazetteer()  # build outside the timed loop: once per process
    ours = score(docs, newsdesk_tagger(options), fold)
    peer = score(docs, every_mention, fold)
    return {
        "documents": len(docs),
        "split": split,
        "newsdesk": ours,
        "every_mention": peer,
        "dateline_only": score(docs, dateline_only, fold),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        help="reuters21578-*.jsonl.gz; places-to-iso.tsv must sit beside it",
    )
    parser.add_argument("--limit", type=int, default=None, help="read only the first N documents")
    parser.add_argument(
        "--split",
        choices=sorted(SPLITS),
        default="all",
        help="score one half only (Reuters ids even or odd): tune on one, confirm on the other",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    if not args.data.is_file():
        print(
            f"no data file at {args.data}: pass --data …/shared/data/geo/reuters21578-train.jsonl.gz"
        )
        return 2
    result = evaluate(args.data, args.limit, split=args.split)
    ours, peer = result["newsdesk"], result["every_mention"]
    region = [n.code for n in load_tree().node_for_slug("iran-and-its-neighbours").children]
    result["region_f1"] = {
        code: {
            "newsdesk": ours["per_country_f1"].get(code),
            "every_mention": peer["per_country_f1"].get(code),
            "support": ours["support"].get(code, 0),
        }
        for code in region
        if ours["support"].get(code) or code in ours["per_country_f1"]
    }
    if args.json:
        print(json.dumps(result))
        return 0
    half = "" if args.split == "all" else f" ({args.split} ids)"
    print(f"{result['documents']} documents from {args.data.name}{half}")
    alone = result["dateline_only"]
    print(f"{'figure':<12}{'newsdesk':>10}{'every mention':>15}{'ratio':>7}{'dateline only':>15}")
    for key in ("precision", "recall", "f1", "exact", "docs_per_s"):
        ratio = ours[key] / peer[key] if peer[key] else float("nan")
        print(f"{key:<12}{ours[key]:>10}{peer[key]:>15}{ratio:>7.2f}{alone[key]:>15}")
    print(
        f"outside the label set (dropped): newsdesk {ours['outside_labels']}, baseline {peer['outside_labels']}"
    )
    print("per-country F1, Iran & Its Neighbours (support):")
    for code, row in result["region_f1"].items():
        print(f"  {code}  {row['newsdesk']!s:>7} {row['every_mention']!s:>7}  ({row['support']})")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="newsdesk eval places", description=HELP)
    add_arguments(parser)
    raise SystemExit(run(parser.parse_args()))
