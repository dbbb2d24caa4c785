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

`--data` may be given more than once; every page carries its *source set*: the `dataset`
column of the folder's `sources.tsv` where it has one (the WCEB folder), else the folder's
name. `--by-source` prints one table per source set and one for all pages together, each
with every extractor of the same run.

`--folds K` is cross-validation of newsdesk's tunable settings: the pages are cut into K
parts (within each source set, by id, in turn); for each part, the setting with the best F1
on the other K-1 parts is chosen from `VARIANTS` (thresholds of the trust test and the merge,
see pipeline/html_body.py and html_merge.py), and that choice is scored on the part left
out, beside every peer on the same pages. Pooled over the K parts, every page is scored by a
setting chosen without it. newsdesk has no learned model: the settings are what is fitted.
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
from dataclasses import replace
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
        "--data",
        type=Path,
        action="append",
        required=True,
        help="folder with html/*.html.gz and ground-truth.json (may be given more than once)",
    )
    parser.add_argument(
        "--by-source",
        action="store_true",
        help="one table per source set (sources.tsv's dataset, else the folder) and one for all",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="K: choose newsdesk's settings on K-1 parts, score the part left out (K >= 2)",
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


def _newsdesk(options=None) -> Callable[[bytes, str], str]:
    from newsdesk.pipeline.documents import Capture, Rejected
    from newsdesk.pipeline.extract import DEFAULT_OPTIONS, extract
    from newsdesk.pipeline.language import detect_language

    # The language model loads on first use (0.7 s, once per process): load it before
    # timing, as the warm-up does for every extractor's imports and caches.
    detect_language("A sentence in English that loads the language model before timing.")

    def run(raw: bytes, _text: str) -> str:
        try:
            capture = Capture(content=raw, content_type="text/html; charset=utf-8")
            return extract(capture, options or DEFAULT_OPTIONS).body
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
        # A page readability cannot summarise (lxml asserts on a summary with no body, e.g.
        # a page whose <title> is never closed) scores as an empty prediction, not a crash.
        try:
            summary = Document(text).summary(html_partial=True)
            tree = lxml.html.fragment_fromstring(summary, create_parent="div")
        except Exception:  # noqa: BLE001 - any failure of the peer is its empty answer
            return ""
        return "\n".join(b.text for b in blocks_from_tree(tree))

    return run


def variants() -> dict[str, object]:
    """newsdesk's settings that `--folds` chooses among: the defaults and a step off them for
    each threshold that decides which pages get a second opinion (always; coverage 0.4 or
    0.6) and how the two bodies are merged (support 0.4; one-sided prose from 15 words).
    Names say what changed."""
    from newsdesk.pipeline.extract import DEFAULT_OPTIONS as base

    body, merge = base.body, base.body.merge
    steps = {
        "default": body,
        "always-second-opinion": replace(body, always_second_opinion=True),
        "trust-coverage-0.4": replace(body, trust_min_coverage=0.4),
        "trust-coverage-0.6": replace(body, trust_min_coverage=0.6),
        "merge-supported-0.4": replace(body, merge=replace(merge, supported=0.4)),
        "merge-prose-15-words": replace(body, merge=replace(merge, prose_min_words=15)),
    }
    return {name: replace(base, body=options) for name, options in steps.items()}


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


def load_sources(data: Path, ids: list[str]) -> list[str]:
    """The source set of each page: `sources.tsv`'s dataset where the folder has one,
    else the folder's name."""
    table = data / "sources.tsv"
    found: dict[str, str] = {}
    if table.is_file():
        lines = table.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t") if lines else []
        if "id" in header and "dataset" in header:
            at_id, at_set = header.index("id"), header.index("dataset")
            for line in lines[1:]:
                cells = line.split("\t")
                if len(cells) > max(at_id, at_set):
                    found[cells[at_id]] = cells[at_set]
    fallback = data.resolve().name
    return [found.get(page_id, fallback) for page_id in ids]


def load_all(folders: list[Path], limit: int = 0) -> tuple[list[tuple[str, bytes, str]], list[str]]:
    """Pages of every folder (each cut to `limit`) and the source set of each."""
    pages: list[tuple[str, bytes, str]] = []
    sources: list[str] = []
    for data in folders:
        found = load_pages(data, limit)
        pages.extend(found)
        sources.extend(load_sources(data, [page_id for page_id, _, _ in found]))
    return pages, sources


def predict(pages: list[tuple[str, bytes, str]], runners: dict) -> tuple[dict, dict, dict]:
    """Every extractor's text for every page (in turn, page by page), with CPU and wall seconds."""
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
    return preds, cpu, wall


def tabulate(
    truths: list[str], preds: dict[str, list[str]], cpu: dict, wall: dict, bootstrap: int = 0
) -> dict[str, dict]:
    """Score every extractor's texts; speeds from the seconds it took (when known)."""
    results = {}
    for name, texts in preds.items():
        figures = score(truths, texts, bootstrap)
        if name in cpu:
            figures["pages_per_s"] = len(texts) / cpu[name] if cpu[name] else 0.0
            figures["pages_per_s_wall"] = len(texts) / wall[name] if wall[name] else 0.0
        figures["empty"] = sum(1 for p in texts if not p.strip())
        results[name] = figures
    return results


def by_source(
    truths: list[str], sources: list[str], preds: dict[str, list[str]], bootstrap: int = 0
) -> dict[str, dict[str, dict]]:
    """Figures per source set (sorted), then "all" for every page together."""
    groups: dict[str, list[int]] = {}
    for i, source in enumerate(sources):
        groups.setdefault(source, []).append(i)
    groups = dict(sorted(groups.items()))
    groups["all"] = list(range(len(truths)))
    return {
        name: tabulate(
            [truths[i] for i in idx],
            {ext: [texts[i] for i in idx] for ext, texts in preds.items()},
            {},
            {},
            bootstrap,
        )
        for name, idx in groups.items()
    }


def fold_of(sources: list[str], ids: list[str], k: int) -> list[int]:
    """Part (0..k-1) of each page: within each source set, pages sorted by id, dealt in turn,
    so every part holds a like share of every set."""
    part = [0] * len(ids)
    for source in set(sources):
        members = sorted((ids[i], i) for i in range(len(ids)) if sources[i] == source)
        for n, (_, i) in enumerate(members):
            part[i] = n % k
    return part


def cross_validate(
    truths: list[str],
    parts: list[int],
    k: int,
    candidates: dict[str, list[str]],
    peers: dict[str, list[str]],
) -> dict:
    """For each part: choose the candidate with the best F1 on the other parts, score it on
    this one beside the peers; then the pooled held-out texts (each page by its part's choice)."""
    folds = []
    pooled = [""] * len(truths)
    for fold in range(k):
        train = [i for i, p in enumerate(parts) if p != fold]
        test = [i for i, p in enumerate(parts) if p == fold]
        if not train or not test:
            continue
        fitted = {
            name: score([truths[i] for i in train], [texts[i] for i in train])["f1"]
            for name, texts in candidates.items()
        }
        chosen = max(fitted, key=lambda name: (fitted[name], name == "default"))
        for i in test:
            pooled[i] = candidates[chosen][i]
        held = {"newsdesk": [candidates[chosen][i] for i in test]}
        held |= {name: [texts[i] for i in test] for name, texts in peers.items()}
        folds.append(
            {
                "fold": fold + 1,
                "train_pages": len(train),
                "test_pages": len(test),
                "chosen": chosen,
                "train_f1": fitted,
                "held_out": tabulate([truths[i] for i in test], held, {}, {}),
            }
        )
    return {"folds": folds, "pooled": pooled}


def evaluate(
    pages: list[tuple[str, bytes, str]], runners: dict, bootstrap: int = 0
) -> dict[str, dict]:
    """Run every extractor on every page (in turn, page by page) and score them."""
    preds, cpu, wall = predict(pages, runners)
    return tabulate([t for _, _, t in pages], preds, cpu, wall, bootstrap)


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
        pages, sources = load_all(args.data, args.limit)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not pages:
        print(f"error: no pages under {', '.join(map(str, args.data))}", file=sys.stderr)
        return 2
    if args.folds == 1 or args.folds < 0 or args.folds > len(pages):
        print(f"error: --folds needs 2 to {len(pages)} parts", file=sys.stderr)
        return 2
    if args.memory:
        return _memory(pages, args)
    runners = extractors(args.only == "newsdesk")
    settings = variants() if args.folds else {}
    for name, options in settings.items():
        if name != "default":
            runners[f"newsdesk:{name}"] = _newsdesk(options)
    preds, cpu, wall = predict(pages, runners)
    truths = [t for _, _, t in pages]
    candidates = {"default": preds["newsdesk"]}
    candidates |= {name: preds.pop(f"newsdesk:{name}") for name in settings if name != "default"}
    results = tabulate(truths, preds, cpu, wall, args.bootstrap)
    summary = ratios(results)
    out: dict = {"pages": len(pages), "extractors": results, "ratios": summary}
    if args.by_source:
        out["by_source"] = by_source(truths, sources, preds, args.bootstrap)
    if args.folds:
        parts = fold_of(sources, [page_id for page_id, _, _ in pages], args.folds)
        peers = {name: texts for name, texts in preds.items() if name != "newsdesk"}
        cv = cross_validate(truths, parts, args.folds, candidates, peers)
        held = {"newsdesk": cv["pooled"]} | peers
        out["folds"] = {
            "k": args.folds,
            "fitted": "newsdesk's settings, chosen among: " + ", ".join(settings),
            "per_fold": cv["folds"],
            "held_out": by_source(truths, sources, held, args.bootstrap)
            if args.by_source
            else {"all": tabulate(truths, held, {}, {}, args.bootstrap)},
        }
    if args.json:
        print(json.dumps(out))
        return 0
    where = ", ".join(str(d) for d in args.data)
    print(f"extraction on {len(pages)} pages of {where} (4-token shingles, as the benchmark's evaluate.py)")
    _print_table(results)
    if summary:
        line = (
            f"newsdesk / {summary['best_peer']} (best peer by F1): F1 ×{summary['f1_vs_best']:.3f}, "
            f"speed ×{summary['speed_vs_best']:.2f}"
        )
        if "speed_vs_trafilatura" in summary:
            line += f"; speed / trafilatura ×{summary['speed_vs_trafilatura']:.2f}"
        print(line)
    for source, figures in out.get("by_source", {}).items():
        count = sum(1 for s in sources if s == source) if source != "all" else len(pages)
        print(f"\nsource set {source} ({count} pages)")
        _print_table(figures)
    if args.folds:
        _print_folds(out["folds"], sources, len(pages))
    return 0


def _memory(pages: list[tuple[str, bytes, str]], args: argparse.Namespace) -> int:
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


def _print_table(results: dict[str, dict]) -> None:
    print(
        f"{'extractor':<24}{'precision':>10}{'recall':>9}{'F1':>9}{'±':>7}{'accuracy':>10}"
        f"{'pages/s cpu':>13}{'wall':>7}{'empty':>7}"
    )
    for name, f in results.items():
        speed = f"{f['pages_per_s']:>13.1f}{f['pages_per_s_wall']:>7.1f}" if "pages_per_s" in f else f"{'-':>13}{'-':>7}"
        print(
            f"{name:<24}{f['precision']:>10.3f}{f['recall']:>9.3f}{f['f1']:>9.3f}{_std(f):>7}"
            f"{f['accuracy']:>10.3f}{speed}{f['empty']:>7d}"
        )


def _print_folds(folds: dict, sources: list[str], total: int) -> None:
    print(f"\n{folds['k']}-fold cross-validation; fitted per fold: {folds['fitted']}")
    for fold in folds["per_fold"]:
        held = "  ".join(f"{name} {f['f1']:.3f}" for name, f in fold["held_out"].items())
        print(
            f"fold {fold['fold']}: chose {fold['chosen']} on {fold['train_pages']} pages "
            f"(F1 {fold['train_f1'][fold['chosen']]:.3f}); {fold['test_pages']} held-out pages: {held}"
        )
    for source, figures in folds["held_out"].items():
        count = sum(1 for s in sources if s == source) if source != "all" else total
        print(f"\nheld-out pages of every fold, {source} ({count} pages; newsdesk as chosen without them)")
        _print_table(figures)


def _std(figures: dict) -> str:
    return f"{figures['f1_std']:.3f}" if "f1_std" in figures else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsdesk eval extraction", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
