"""`newsdesk eval entities`: entity F1 and tokens/s on CoNLL-2003, beside plain spaCy.

Both sides run the same model over the same pre-tokenised sentences (Docs built from the
given tokens, so spans align exactly) in the same process. The peer maps spaCy's labels
as the data README says; newsdesk runs `entities.tag_document`, the tagger that
`find_mentions` uses, one CoNLL document at a time. Nothing is trained on the data.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HELP = "entity P/R/F1 and tokens/s on CoNLL-2003 (IOB1), newsdesk vs plain spaCy"
TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass
class Sentence:
    words: list[str]
    gold: set[tuple[int, int, str]]


class ConllFormatError(ValueError):
    """A line of the CoNLL file does not have the four expected columns."""


def iob1_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans of an IOB1 tag sequence (`I-X` opens unless it continues an X)."""
    spans, start, kind = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if tag == "O" or prefix == "B" or typ != kind:
            if start is not None:
                spans.add((start, i, kind))
            start, kind = (i, typ) if tag != "O" else (None, None)
    return spans


def read_conll(path: Path) -> list[list[Sentence]]:
    """Documents of sentences; `-DOCSTART-` separates documents wherever it appears."""
    docs: list[list[Sentence]] = [[]]
    words: list[str] = []
    tags: list[str] = []

    def close():
        if words:
            docs[-1].append(Sentence(list(words), iob1_spans(tags)))
            words.clear()
            tags.clear()

    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            close()
            continue
        cols = line.split(" ")
        if cols[0] == "-DOCSTART-":
            close()
            docs.append([])
            continue
        if len(cols) != 4:
            raise ConllFormatError(f"{path}:{n}: expected 4 columns, got {len(cols)}")
        words.append(cols[0])
        tags.append(cols[3])
    close()
    return [d for d in docs if d]


def score(gold: list[set], pred: list[set]) -> dict:
    """Micro P/R/F1 (typed and untyped) and per-type F1 over parallel span sets."""
    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    c = Counter()
    for g, p in zip(gold, pred, strict=True):
        c["tp"] += len(g & p)
        c["fp"] += len(p - g)
        c["fn"] += len(g - p)
        gu, pu = {s[:2] for s in g}, {s[:2] for s in p}
        c["utp"] += len(gu & pu)
        c["ufp"] += len(pu - gu)
        c["ufn"] += len(gu - pu)
        for t in TYPES:
            gt, pt = {s for s in g if s[2] == t}, {s for s in p if s[2] == t}
            c[t, "tp"] += len(gt & pt)
            c[t, "fp"] += len(pt - gt)
            c[t, "fn"] += len(gt - pt)
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    return {
        "precision": p, "recall": r, "f1": f,
        "untyped_f1": prf(c["utp"], c["ufp"], c["ufn"])[2],
        "per_type_f1": {t: prf(c[t, "tp"], c[t, "fp"], c[t, "fn"])[2] for t in TYPES},
    }


def run_peer(nlp, docs: list[list[Sentence]]) -> tuple[list[set], float]:
    """Plain spaCy with the README's label mapping; returns spans and seconds."""
    from spacy.tokens import Doc

    from newsdesk.pipeline.ner import SPACY_LABELS

    sentences = [s for d in docs for s in d]
    started = time.perf_counter()
    inputs = [Doc(nlp.vocab, words=s.words) for s in sentences]
    pred = [
        {(e.start, e.end, SPACY_LABELS[e.label_]) for e in doc.ents if e.label_ in SPACY_LABELS}
        for doc in nlp.pipe(inputs, batch_size=256)
    ]
    return pred, time.perf_counter() - started


def run_newsdesk(nlp, docs: list[list[Sentence]], options=None) -> tuple[list[set], float]:
    """The shared tagger, one CoNLL document at a time; returns spans and seconds."""
    from newsdesk.pipeline.ner import tag_document

    started = time.perf_counter()
    pred = []
    for doc in docs:
        _, spans = tag_document(nlp, [s.words for s in doc], options=options)
        pred.extend({(sp.start, sp.end, sp.label) for sp in sent} for sent in spans)
    return pred, time.perf_counter() - started


def evaluate(path: Path, limit_docs: int | None = None) -> dict:
    """Run both sides over the file (or its first `limit_docs` documents)."""
    from newsdesk.pipeline.aliases import load_lexicon
    from newsdesk.pipeline.nlp import english_words, load_model

    docs = read_conll(path)[:limit_docs]
    nlp = load_model()
    load_lexicon(), english_words()  # one-off loading is not part of the timing
    gold = [s.gold for d in docs for s in d]
    tokens = sum(len(s.words) for d in docs for s in d)
    peer_pred, peer_s = run_peer(nlp, docs)
    ours_pred, ours_s = run_newsdesk(nlp, docs)
    out = {"data": str(path), "documents": len(docs), "sentences": len(gold), "tokens": tokens}
    for name, pred, secs in (("newsdesk", ours_pred, ours_s), ("spacy", peer_pred, peer_s)):
        out[name] = {**score(gold, pred), "tokens_per_s": tokens / secs if secs else 0.0}
    out["ratio"] = {
        k: (out["newsdesk"][k] / out["spacy"][k] if out["spacy"][k] else None)
        for k in ("f1", "untyped_f1", "tokens_per_s")
    }
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path,
                        help="CoNLL-2003 file, e.g. ../shared/data/ner/conll2003-valid.txt")
    parser.add_argument("--limit-docs", type=int, default=None,
                        help="only the first N documents (quick runs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--all-cores", action="store_true",
                        help="do not pin the process to one CPU core while timing")


def run(args) -> int:
    if not args.data.is_file():
        print(f"no such file: {args.data} (see ../shared/data/ner/README.md)")
        return 2
    cores = None
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        cores = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cores)})  # the target is stated per core
    try:
        result = evaluate(args.data, args.limit_docs)
    finally:
        if cores is not None:
            os.sched_setaffinity(0, cores)
    result["one_core"] = cores is not None
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    ours, peer, ratio = result["newsdesk"], result["spacy"], result["ratio"]
    print(f"{result['data']}: {result['documents']} documents, {result['sentences']} "
          f"sentences, {result['tokens']} tokens")
    print(f"{'':14}{'newsdesk':>10}{'spaCy':>10}{'ratio':>8}")
    for k in ("precision", "recall", "f1", "untyped_f1"):
        r = ours[k] / peer[k] if peer[k] else 0.0
        print(f"{k:14}{100 * ours[k]:10.1f}{100 * peer[k]:10.1f}{r:8.2f}")
    for t in TYPES:
        a, b = ours["per_type_f1"][t], peer["per_type_f1"][t]
        print(f"{'F1 ' + t:14}{100 * a:10.1f}{100 * b:10.1f}{(a / b if b else 0):8.2f}")
    print(f"{'tokens/s':14}{ours['tokens_per_s']:10.0f}{peer['tokens_per_s']:10.0f}"
          f"{ratio['tokens_per_s']:8.2f}" + ("  (one core)" if result["one_core"] else ""))
    return 0


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="newsdesk eval entities", description=HELP)
    add_arguments(_parser)
    raise SystemExit(run(_parser.parse_args()))
