"""`newsdesk eval textdumps`: the text-dump segmenter on real pages saved as plain text.

Data: the extraction benchmark folder (`html/<id>.html.gz`, `ground-truth.json`), e.g.
../shared/data/extraction. Each page is first rendered as a plain-text dump the way a
browser's "save as text" does it: every block element's text on its own line, blank
lines between, menus, share rows, teaser lists and footers included. Then:

- newsdesk: `textdump.segment` then `wire.apply`; the body is the kept paragraphs;
- trafilatura: the same dump, each line wrapped as an HTML paragraph, through
  `trafilatura.extract` (its boilerplate rules on the same text, no markup to lean on);
- whole dump: the dump itself as the body (the floor a segmenter has to beat).

Scored with the extraction benchmark's own metric (4-token shingles, from
`newsdesk.evals.extraction`). Speeds are CPU seconds of this process for segmenting only
(rendering the dumps is not timed). The dumps are richer in furniture than the seed-like
dumps the segmenter was built for, so read the figures as a stress test.
"""

from __future__ import annotations

import argparse
import html as htmlmod
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from newsdesk.evals.extraction import load_pages, score
from newsdesk.pipeline import textdump, wire
from newsdesk.pipeline.documents import Rejected

HELP = (
    "text-dump segmenter: body P/R/F1 and dumps/s on real pages saved as text, beside trafilatura"
)

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "extraction"
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li div td th tr blockquote figcaption pre dt dd section article "
    "header footer nav aside main ul ol table form figure br address".split()
)
DROP_XPATH = "//script|//style|//noscript|//template|//svg|//head|//iframe"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="extraction benchmark folder"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def render_dump(page_html: str) -> str:
    """Render a page as a plain-text dump: one block element per line, blank lines between."""
    tree = lxml.html.document_fromstring(page_html)
    for node in tree.xpath(DROP_XPATH):
        node.drop_tree()
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        if text:
            lines.append(text)
        buffer.clear()

    def walk(node) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                buffer.append(node.tail)
            return
        block = node.tag in BLOCK_TAGS
        if block:
            flush()
        if node.text:
            buffer.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            buffer.append(node.tail)

    body = tree.body if tree.body is not None else tree
    walk(body)
    flush()
    return "\n\n".join(lines)


def _newsdesk(dump: str) -> str:
    try:
        return wire.apply(textdump.segment(dump)).body
    except Rejected:
        return ""


def _trafilatura() -> Callable[[str], str]:
    import trafilatura

    def run(dump: str) -> str:
        paragraphs = "".join(f"<p>{htmlmod.escape(line)}</p>" for line in dump.split("\n\n"))
        return trafilatura.extract(f"<html><body>{paragraphs}</body></html>") or ""

    return run


def evaluate(data: Path, limit: int = 0) -> dict:
    pages = load_pages(data, limit)
    dumps = [render_dump(raw.decode("utf-8", errors="replace")) for _, raw, _ in pages]
    truths = [truth for _, _, truth in pages]
    runners: dict[str, Callable[[str], str]] = {
        "newsdesk": _newsdesk,
        "trafilatura (same dump)": _trafilatura(),
        "whole dump": lambda dump: dump,
    }
    for fn in runners.values():  # warm-up: imports and first-call costs
        fn(dumps[0])
    preds: dict[str, list[str]] = {name: [] for name in runners}
    cpu = dict.fromkeys(runners, 0.0)
    for dump in dumps:  # page by page, every runner in turn: load from others hits all alike
        for name, fn in runners.items():
            start = time.process_time()
            preds[name].append(fn(dump))
            cpu[name] += time.process_time() - start
    results = {}
    for name in runners:
        figures = score(truths, preds[name])
        figures["dumps_per_s"] = len(dumps) / cpu[name] if cpu[name] else float("inf")
        figures["empty"] = sum(1 for p in preds[name] if not p.strip())
        results[name] = figures
    ours, peer = results["newsdesk"], results["trafilatura (same dump)"]
    ratios = {
        "f1_vs_trafilatura": ours["f1"] / peer["f1"] if peer["f1"] else None,
        "speed_vs_trafilatura": ours["dumps_per_s"] / peer["dumps_per_s"],
        "f1_vs_whole_dump": ours["f1"] / results["whole dump"]["f1"],
    }
    return {"pages": len(pages), "segmenters": results, "ratios": ratios}


def run(args: argparse.Namespace) -> int:
    try:
        report = evaluate(args.data, args.limit)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"text dumps of {report['pages']} pages of {args.data} (4-token shingles)")
    print(
        f"{'segmenter':<26}{'precision':>10}{'recall':>9}{'F1':>8}{'dumps/s cpu':>13}{'empty':>7}"
    )
    for name, f in report["segmenters"].items():
        speed = "-" if name == "whole dump" else f"{f['dumps_per_s']:.0f}"
        print(
            f"{name:<26}{f['precision']:>10.3f}{f['recall']:>9.3f}{f['f1']:>8.3f}"
            f"{speed:>13}{f['empty']:>7d}"
        )
    r = report["ratios"]
    print(
        f"newsdesk / trafilatura: F1 ×{r['f1_vs_trafilatura']:.3f}, speed ×{r['speed_vs_trafilatura']:.1f}; "
        f"newsdesk / whole dump: F1 ×{r['f1_vs_whole_dump']:.3f}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsdesk eval textdumps", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
