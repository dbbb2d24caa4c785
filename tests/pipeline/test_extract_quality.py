"""Quality gate: newsdesk's extraction F1 on the benchmark's dev pages stays above the floor.

The metric is the benchmark's own (newsdesk.evals.extraction.score). The floor lives in
extraction_floor.json beside this file; raising it is welcome, lowering it needs a reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.evals.extraction import _newsdesk, load_pages, score

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DATA = SHARED / "data" / "extraction"
FLOOR = json.loads((Path(__file__).resolve().parent / "extraction_floor.json").read_text())

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def figures() -> dict:
    if not (DATA / "ground-truth.json").is_file():
        pytest.skip(f"benchmark pages not found at {DATA} (../shared/data is absent)")
    pages = load_pages(DATA)
    run = _newsdesk()
    preds = [run(raw, "") for _, raw, _ in pages]
    return score([truth for _, _, truth in pages], preds) | {
        "empty": sum(1 for p in preds if not p)
    }


def test_f1_is_not_below_the_floor(figures):
    assert figures["f1"] >= FLOOR["f1"], (
        f"F1 {figures['f1']:.4f} fell under the floor {FLOOR['f1']}"
    )


@pytest.mark.parametrize("metric", ["precision", "recall"])
def test_precision_and_recall_are_not_below_their_floors(figures, metric):
    assert figures[metric] >= FLOOR[metric], (
        f"{metric} {figures[metric]:.4f} fell under {FLOOR[metric]}"
    )


def test_no_benchmark_article_is_refused(figures):
    assert figures["empty"] == 0
