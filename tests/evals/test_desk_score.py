"""The desk benchmark's scorer on a small hand-made set, every figure worked out by hand,
and (where the set's reference scorer is at hand) the same figures as the reference's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.evals import desk_score

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "desk_score.py"

GOLD = [
    {"file": "inputs/0001.txt", "expect": "article", "story": "e1", "copy_group": "cg-1",
     "published": "1987-03-02", "agency": "Reuters", "title": "Oil prices rise",
     "body": "Oil prices rose on Monday in London trading.", "countries": ["GB"],
     "entities": [{"form": "OPEC", "entity": "opec"},
                  {"form": "Organization of Petroleum Exporting Countries", "entity": "opec"}],
     "source": "reuters:1:text"},
    {"file": "inputs/0002.html", "expect": "article", "story": "e1", "copy_group": "cg-1",
     "published": "1987-03-03", "agency": "Reuters", "title": "Oil prices rise",
     "body": "Oil prices rose on Monday in London trading.", "countries": ["GB"],
     "entities": [{"form": "OPEC", "entity": "opec"}], "source": "syndication:p:s:reuters 1"},
    {"file": "inputs/0003.xml#urn:uuid:a", "expect": "article", "story": "e1", "copy_group": None,
     "published": None, "agency": None, "title": None,
     "body": "Tehran said on Sunday that talks would resume next week.", "countries": ["IR"],
     "entities": [{"form": "Rafsanjani", "entity": "rafsanjani"},
                  {"form": "Hashemi Rafsanjani", "entity": "rafsanjani"}], "source": "reuters:2:rss"},
    {"file": "inputs/0003.xml#urn:uuid:b", "expect": "article", "story": "e2", "copy_group": None,
     "published": None, "agency": "AP", "title": None, "body": "Moscow reported grain output.",
     "countries": ["RU"], "entities": [{"form": "OPEC Fund", "entity": "opec-fund"}], "source": "reuters:3:rss"},
    {"file": "inputs/0004.html", "expect": "reject", "story": None, "copy_group": None, "published": None,
     "agency": None, "title": None, "body": None, "countries": None, "entities": None, "source": "reject:login"},
    {"file": "inputs/0005.txt", "expect": "reject", "story": None, "copy_group": None, "published": None,
     "agency": None, "title": None, "body": None, "countries": None, "entities": None, "source": "reject:empty"},
    {"file": "inputs/0006.html", "expect": "article", "story": None, "copy_group": None, "published": None,
     "agency": None, "title": "A page", "body": "Some text here for the page.", "countries": None,
     "entities": None, "source": "extraction:x", "unscored": ["title", "published"]},
]
APART = [["opec", "rafsanjani"], ["opec", "opec-fund"]]
PREDICTIONS = [
    {"file": "inputs/0001.txt", "status": "ingested", "article_id": 10, "story_id": 100, "copy_of": None,
     "published": "1987-03-02T10:00:00+00:00", "agency": "Reuter", "title": "OIL PRICES RISE",
     "body": "Oil prices rose on Monday in London trading.", "countries": ["GB", "US"],
     "entities": [{"form": "OPEC", "entity_id": "opec"},
                  {"form": "Organization of Petroleum Exporting Countries", "entity_id": "opec-org"}]},
    # a copy that leaves its fields out: it shows its canonical's
    {"file": "inputs/0002.html", "status": "duplicate", "article_id": 11, "copy_of": 10},
    {"file": "inputs/0003.xml#urn:uuid:a", "status": "ingested", "article_id": 12, "story_id": 100,
     "copy_of": None, "published": "2026-12-07", "agency": "AFP", "title": None,
     "body": "Tehran said on Sunday that talks would stop.", "countries": ["IR"],
     "entities": [{"form": "Hashemi Rafsanjani", "entity_id": "r"}]},
    {"file": "inputs/0003.xml#urn:uuid:b", "status": "ingested", "article_id": 13, "story_id": 101,
     "copy_of": 12, "agency": "Associated Press", "countries": [{"code": "UA"}],
     "entities": [{"form": "OPEC Fund", "entity_id": "opec"}]},
    {"file": "inputs/0004.html", "status": "rejected"},
    {"file": "inputs/0005.txt", "status": "ingested", "article_id": 14, "story_id": 100},
    # inputs/0006.html has no line: it counts as refused
]


def test_every_figure_on_a_hand_made_set():
    got = desk_score.score(GOLD, PREDICTIONS, APART, fold=None)
    # refused: 4 of 5 articles published (0006 has no line); 1 of 2 non-articles refused
    assert (got["articles_published"], got["non_articles_refused"], got["reject_accuracy"]) == (0.8, 0.5, 0.7143)
    assert got["missing_predictions"] == 1
    # story 100 holds lines 1, 2 (its canonical's story), 3 and the published non-article:
    # P = (3 × 3/4 + 1) / 4, R = 1
    assert (got["story_bcubed_p"], got["story_bcubed_r"], got["story_bcubed_f1"]) == (0.8125, 1.0, 0.8966)
    # copies: {1, 2} right, {3, 4} wrong
    assert (got["copy_gold_pairs"], got["copy_pred_pairs"], got["copy_true_pairs"]) == (1, 2, 1)
    assert (got["copy_pairwise_p"], got["copy_pairwise_r"], got["copy_pairwise_f1"]) == (0.5, 1.0, 0.6667)
    # dates: 1 right; 2 shows its canonical's day; 3 invents one; 4 stays undated (0006 unscored)
    assert (got["date_lines"], got["date_accuracy"], got["date_accuracy_dated"], got["date_null_kept"]) == (
        4, 0.5, 0.5, 0.5)
    # agency: Reuter = Reuters, Associated Press = AP, AFP on an uncredited line is wrong
    assert (got["agency_lines"], got["agency_accuracy"]) == (5, 0.8)
    assert (got["title_lines"], got["title_exact"], got["title_exact_case_kept"]) == (2, 1.0, 0.0)
    # body: lines 1, 2 exact; 3 shares 4 of its shingles (tp .5, fp .125, fn .375); 4 and 6 empty
    p, r = (1 + 1 + 0.8) / 3, (1 + 1 + 0.5 / 0.875 + 0 + 0) / 5
    assert got["body_p"] == round(p, 4) and got["body_r"] == round(r, 4)
    assert got["body_f1"] == round(2 * p * r / (p + r), 4) and got["body_exact"] == 0.4
    # countries: US twice too many; UA folds onto RU
    assert (got["countries_p"], got["countries_r"], got["countries_f1"], got["countries_exact"]) == (
        0.6667, 1.0, 0.8, 0.5)
    # entities: OPEC split over two ids (1 of 3 mention pairs), Rafsanjani whole through the
    # longer predicted form holding it; "OPEC Fund" merged with OPEC breaks one apart pair
    assert (got["entity_groups"], got["entity_group_recall"], got["entity_pair_recall"]) == (2, 0.5, 0.6667)
    assert (got["entity_mentions"], got["entity_mentions_linked"]) == (6, 1.0)
    assert (got["apart_pairs"], got["apart_precision"]) == (2, 0.5)
    assert got["by_source"]["reject"]["published_or_refused"] == 0.5
    # a source given in several formats is broken down by format too, apart
    assert set(got["by_format"]) == {"reuters/text", "reuters/rss"}
    assert (got["by_format"]["reuters/text"]["lines"], got["by_format"]["reuters/rss"]["lines"]) == (1, 2)


def test_perfect_predictions_score_one_everywhere():
    perfect = [{"file": g["file"], "status": "ingested" if g["expect"] == "article" else "rejected",
                "article_id": g["copy_group"] or i, "story_id": g["story"] or f"own-{i}",
                "published": g["published"], "agency": g["agency"], "title": g["title"], "body": g["body"],
                "countries": g["countries"] or [],
                "entities": [{"form": m["form"], "entity_id": m["entity"]} for m in g["entities"] or []]}
               for i, g in enumerate(GOLD)]
    got = desk_score.score(GOLD, perfect, APART, fold=None)
    for key in ("articles_published", "non_articles_refused", "story_bcubed_f1", "copy_pairwise_f1",
                "date_accuracy", "agency_accuracy", "title_exact", "body_f1", "countries_f1",
                "entity_group_recall", "apart_precision"):
        assert got[key] == 1.0, key


def test_the_reference_scorer_gives_the_same_figures(tmp_path):
    if not REFERENCE.exists():
        pytest.skip(f"the set's reference scorer is not at {REFERENCE}")
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    (tmp_path / "apart.json").write_text(json.dumps(APART), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in PREDICTIONS), encoding="utf-8")
    out = subprocess.run([sys.executable, str(REFERENCE), str(tmp_path), str(pred), "--json-only"],
                         capture_output=True, text=True, timeout=60, check=True)
    reference = json.loads(out.stdout.strip().splitlines()[-1])
    ours = desk_score.score_set(tmp_path, desk_score.read_jsonl(pred))
    shared = set(reference) & set(ours)
    assert len(shared) > 40
    assert {k: ours[k] for k in shared} == {k: reference[k] for k in shared}


def test_the_best_a_reading_through_the_canonical_page_can_give():
    """The copy 0002 carries its own day (03-03): the canonical page lists it with that day."""
    best = desk_score.score(GOLD, desk_score.gold_shown_as_canonical(GOLD), APART, fold=None)
    assert best["date_accuracy"] == 1.0 and best["date_accuracy_dated"] == 1.0
    assert best["title_exact"] == 1.0 and best["body_f1"] == 1.0 and best["copy_pairwise_f1"] == 1.0
    assert best["story_bcubed_f1"] == 1.0 and best["non_articles_refused"] == 1.0
