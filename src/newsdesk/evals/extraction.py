"""`newsdesk eval extraction`: article-body extraction against labelled pages, beside its peers.

Data: a folder laid out like the scrapinghub article-extraction-benchmark (`html/<id>.html.gz`
and `ground-truth.json` with `articleBody` per id), e.g. ../shared/data/extraction.

The metric is the benchmark's own `evaluate.py`, reproduced exactly: text → `\\w+` tokens →
multiset of 4-token shingles (a text of 1-3 tokens is one shingle); per page tp/fp/fn;
precision = mean of per-page precision over pages with a non-empty prediction, recall = mean
of per-page recall over pages with a non-empty truth (an empty prediction counts 0), F1 = the
harmonic mean of the two means; accuracy = share of pages whose token sequence equals the
truth's exactly. Std by bootstrap over pages (seeded, so a rerun prints the same figures).

Every extractor reads the same pages in the same process, page by page in turn, so load from
other processes hits them alike. pages/s counts extraction only (not reading the files), in
CPU seconds of this process (`time.process_time`), which a busy machine disturbs far less
than wall time; the wall-clock figure is printed beside it.
newsdesk runs its full path (`extract(Capture)`: sniff, decode, extract, wire parser) from the
page's bytes; the peers get the decoded text, as in the benchmark's runner scripts. No extractor
is given the page URL (the benchmark's runners give none).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HELP = "article-body extraction: precision/recall/F1 and pages/s, newsdesk beside trafilatura and readability"

SHINGLE = 4
BOOTSTRAP = 200
MEMORY_PAGES = 5000
MEMORY_WARMUP = 500
MEMORY_LIMIT_MB = 50.0
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with html/*.html.gz and ground-truth.json"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with all figures"
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="use only the first N pages (sorted by id)"
    )
    parser.add_argument("--only", choices=("newsdesk",), help="run newsdesk alone (no peers)")
    parser.add_argument(
        "--bootstrap", type=int, default=BOOTSTRAP, help="bootstrap samples for the std (0: none)"
    )
    parser.add_argument(
        "--memory",
        action="store_true",
        help=f"instead: extract {MEMORY_PAGES} pages cycling the data and report RSS growth after the first {MEMORY_WARMUP}",
    )
    parser.add_argument("--memory-pages", type=int, default=MEMORY_PAGES, help="pages for --memory")


# --- the metric (the benchmark's evaluate.py) ------------------------------------------


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = SHINGLE) -> Counter:
    tokens = tokenize(text)
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def match(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over shingle multisets; (0, 0, 0) when both are empty."""
    t, p = shingles(true), shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def prf(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(truths: list[str], preds: list[str], bootstrap: int = 0) -> dict[str, float]:
    """The benchmark's figures for one extractor over aligned lists of texts."""
    counts = [match(t, p) for t, p in zip(truths, preds, strict=True)]
    exact = [float(tokenize(t) == tokenize(p)) for t, p in zip(truths, preds, strict=True)]
    figures = prf(counts)
    figures["accuracy"] = statistics.mean(exact) if exact else 0.0
    if bootstrap > 1 and counts:
        rng = random.Random(0)
        samples: dict[str, list[float]] = {}
        for _ in range(bootstrap):
            idx = [rng.randrange(len(counts)) for _ in counts]
            for key, value in prf([counts[i] for i in idx]).items():
                samples.setdefault(key, []).append(value)
            samples.setdefault("accuracy", []).append(statistics.mean(exact[i] for i in idx))
        for key, values in samples.items():
            figures[f"{key}_std"] = statistics.stdev(values)
    return figures


# --- the extractors -------------------------------------------------------------------


def _newsdesk() -> Callable[[bytes, str], str]:
    from newsdesk.pipeline.documents import Capture, Rejected
    from newsdesk.pipeline.extract import extract
    from newsdesk.pipeline.language import detect_language

    # The language model loads on first use (0.7 s, once per process): load it before
    # timing, as the warm-up does for every extractor's imports and caches.
    detect_language("A sentence in English that loads the language model before timing.")

    def run(raw: bytes, _text: str) -> str:
        try:
            return extract(Capture(content=raw, content_type="text/html; charset=utf-8")).body
        except Rejected:
            return ""

    return run


def _trafilatura(**kwargs) -> Callable[[bytes, str], str]:
    import trafilatura

    def run(_raw: bytes, text: str) -> str:
        return trafilatura.extract(text, include_comments=False, **kwargs) or ""

    return run


def _readability() -> Callable[[bytes, str], str]:
    import lxml.html
    from readability import Document

    from newsdesk.pipeline.html_blocks import blocks_from_tree

    def run(_raw: bytes, text: str) -> str:
        summary = Document(text).summary(html_partial=True)
        return "\n".join(
            b.text
            for b in blocks_from_tree(lxml.html.fragment_fromstring(summary, create_parent="div"))
        )

    return run


def extractors(only_newsdesk: bool = False) -> dict[str, Callable[[bytes, str], str]]:
    found = {"newsdesk": _newsdesk()}
    if not only_newsdesk:
        found["trafilatura"] = _trafilatura()
        found["trafilatura-precision"] = _trafilatura(favor_precision=True)
        found["readability-lxml"] = _readability()
    return found


# --- running ---------------------------------------------------------------------------


def load_pages(data: Path, limit: int = 0) -> list[tuple[str, bytes, str]]:
    """(id, raw bytes, true body) of each page, sorted by id."""
    truth_file = data / "ground-truth.json"
    if not truth_file.is_file():
        raise FileNotFoundError(
            f"{truth_file} not found: give --data the folder holding ground-truth.json and html/"
        )
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    ids = sorted(truth)
    if limit:
        ids = ids[:limit]
    pages = []
    for page_id in ids:
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, raw, truth[page_id].get("articleBody", "") or ""))
    return pages


def evaluate(
    pages: list[tuple[str, bytes, str]], runners: dict, bootstrap: int = 0
) -> dict[str, dict]:
    """Run every extractor on every page (in turn, page by page) and score them."""
    texts = [raw.decode("utf-8", errors="replace") for _, raw, _ in pages]
    for fn in runners.values():  # warm-up: imports, caches, first-call costs
        fn(pages[0][1], texts[0])
    preds: dict[str, list[str]] = {name: [] for name in runners}
    cpu = dict.fromkeys(runners, 0.0)
    wall = dict.fromkeys(runners, 0.0)
    for (_, raw, _), text in zip(pages, texts, strict=True):
        for name, fn in runners.items():
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            preds[name].append(fn(raw, text))
            cpu[name] += time.process_time() - start_cpu
            wall[name] += time.perf_counter() - start_wall
    truths = [t for _, _, t in pages]
    results = {}
    for name in runners:
        figures = score(truths, preds[name], bootstrap)
        figures["pages_per_s"] = len(pages) / cpu[name] if cpu[name] else 0.0
        figures["pages_per_s_wall"] = len(pages) / wall[name] if wall[name] else 0.0
        figures["empty"] = sum(1 for p in preds[name] if not p.strip())
        results[name] = figures
    return results


def ratios(results: dict[str, dict]) -> dict[str, float | str]:
    peers = {k: v for k, v in results.items() if k != "newsdesk"}
    if not peers or "newsdesk" not in results:
        return {}
    ours = results["newsdesk"]
    best = max(peers, key=lambda k: peers[k]["f1"])
    out: dict[str, float | str] = {
        "best_peer": best,
        "f1_vs_best": ours["f1"] / peers[best]["f1"],
        "speed_vs_best": ours["pages_per_s"] / peers[best]["pages_per_s"],
    }
    if "trafilatura" in peers:
        out["speed_vs_trafilatura"] = ours["pages_per_s"] / peers["trafilatura"]["pages_per_s"]
    return out


def rss_mb() -> float:
    """Resident set size now (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_check(pages: list[tuple[str, bytes, str]], total: int) -> dict[str, float]:
    import gc

    run = _newsdesk()
    warmup = min(MEMORY_WARMUP, total)
    for i in range(warmup):
        run(pages[i % len(pages)][1], "")
    gc.collect()
    after_warmup = rss_mb()
    start = time.perf_counter()
    for i in range(warmup, total):
        run(pages[i % len(pages)][1], "")
    gc.collect()
    end = rss_mb()
    return {
        "pages": total,
        "rss_after_warmup_mb": after_warmup,
        "rss_end_mb": end,
        "growth_mb": end - after_warmup,
        "limit_mb": MEMORY_LIMIT_MB,
        "pages_per_s": (total - warmup) / (time.perf_counter() - start),
    }


def run(args: argparse.Namespace) -> int:
    try:
        pages = load_pages(args.data, args.limit)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not pages:
        print(f"error: no pages under {args.data}", file=sys.stderr)
        return 2
    if args.memory:
        figures = memory_check(pages, args.memory_pages)
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"newsdesk memory: {figures['pages']} pages, RSS {figures['rss_after_warmup_mb']:.1f} MB after "
                f"{MEMORY_WARMUP} → {figures['rss_end_mb']:.1f} MB at the end: growth {figures['growth_mb']:+.1f} MB "
                f"(limit {MEMORY_LIMIT_MB:.0f} MB), {figures['pages_per_s']:.1f} pages/s"
            )
        return 0 if figures["growth_mb"] <= MEMORY_LIMIT_MB else 1
    results = evaluate(pages, extractors(args.only == "newsdesk"), args.bootstrap)
    summary = ratios(results)
    if args.json:
        print(json.dumps({"pages": len(pages), "extractors": results, "ratios": summary}))
        return 0
    print(
        f"extraction on {len(pages)} pages of {args.data} (4-token shingles, as the benchmark's evaluate.py)"
    )
    print(
        f"{'extractor':<24}{'precision':>10}{'recall':>9}{'F1':>9}{'±':>7}{'accuracy':>10}"
        f"{'pages/s cpu':>13}{'wall':>7}{'empty':>7}"
    )
    for name, f in results.items():
        print(
            f"{name:<24}{f['precision']:>10.3f}{f['recall']:>9.3f}{f['f1']:>9.3f}{_std(f):>7}"
            f"{f['accuracy']:>10.3f}{f['pages_per_s']:>13.1f}{f['pages_per_s_wall']:>7.1f}{f['empty']:>7d}"
        )
    if summary:
        line = (
            f"newsdesk / {summary['best_peer']} (best peer by F1): F1 ×{summary['f1_vs_best']:.3f}, "
            f"speed ×{summary['speed_vs_best']:.2f}"
        )
        if "speed_vs_trafilatura" in summary:
            line += f"; speed / trafilatura ×{summary['speed_vs_trafilatura']:.2f}"
        print(line)
    return 0


def _std(figures: dict) -> str:
    return f"{figures['f1_std']:.3f}" if "f1_std" in figures else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsdesk eval extraction", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
