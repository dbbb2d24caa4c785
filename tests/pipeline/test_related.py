"""Related articles and reader profiles over the story fixtures (Iraq wire copy plus a
few unrelated pieces: football, chips, Iran's currency)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.pipeline.related import RelatedOptions, profile_vector, rank_related, term_vector
from newsdesk.pipeline.textvec import DocumentFrequencies, term_counts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def _articles() -> dict[str, tuple[str, str]]:
    out = {}
    for path in sorted((FIXTURES / "copies").glob("*.txt")):
        body = path.read_text(encoding="utf-8").partition("\n---\n")[2].strip()
        title, _, text = body.partition("\n\n")
        out[path.stem] = (title, text)
    for path in sorted((FIXTURES / "related").glob("*.txt")):
        title, _, text = path.read_text(encoding="utf-8").strip().partition("\n\n")
        out[path.stem] = (title, text)
    return out


ARTICLES = _articles()
DFS = DocumentFrequencies()
for _title, _text in ARTICLES.values():
    DFS.add(term_counts(f"{_title} {_text}"))
VECTORS = {key: term_vector(title, text, DFS) for key, (title, text) in ARTICLES.items()}


def related_to(key: str, **kwargs):
    return rank_related(VECTORS[key], [(k, v) for k, v in VECTORS.items() if k != key], **kwargs)


def test_term_vector_is_compact_json():
    vec = VECTORS["reuters_original"]
    assert 0 < len(vec) <= RelatedOptions().vector_terms
    assert json.loads(json.dumps(vec)) == vec
    assert abs(sum(w * w for w in vec.values()) - 1.0) < 1e-3
    assert "provincial" in vec and "the" not in vec


def test_title_words_weigh_more():
    plain = term_vector("", "Kirkuk council vote. Basra port traffic.", DFS)
    titled = term_vector("Kirkuk", "Kirkuk council vote. Basra port traffic.", DFS)
    assert titled["kirkuk"] > plain["kirkuk"]


ELECTION_COPIES = {
    "reuters_original",
    "gulfdaily_prefix",
    "levantpost_truncated",
    "tigrisnews_extended",
    "mesopotamia_reworked",
}


@pytest.mark.parametrize(
    ("key", "expected_first", "shared"),
    [
        ("iraq_elections_preview", ELECTION_COPIES, "provincial"),
        ("reuters_kirkuk_council", {"iraq_elections_preview"}, "kirkuk"),
        ("tigrisnews_extended", ELECTION_COPIES, "commission"),
    ],
)
def test_nearest_article_and_the_reason(key, expected_first, shared):
    found = related_to(key)
    assert found, f"nothing related to {key}"
    assert found[0].key in expected_first
    assert shared in found[0].shared_terms
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)


@pytest.mark.parametrize("key", ["football_derby", "tech_chips", "iran_sanctions"])
def test_nothing_truly_related_leaves_the_block_empty(key):
    assert related_to(key) == []


def test_the_same_text_again_is_not_a_suggestion():
    twin = dict(VECTORS["reuters_kirkuk_council"])
    keys = [r.key for r in rank_related(twin, [("twin", twin), *VECTORS.items()], k=20)]
    assert "twin" not in keys and "reuters_kirkuk_council" not in keys
    assert "iraq_elections_preview" in keys


@pytest.mark.parametrize("k", [0, 1, 3])
def test_k_caps_the_block(k):
    assert len(related_to("reuters_kirkuk_council", k=k, min_score=0.0)) <= k


def test_min_score_filters():
    everything = related_to("reuters_kirkuk_council", k=50, min_score=0.0)
    strict = related_to("reuters_kirkuk_council", k=50, min_score=0.3)
    assert len(strict) < len(everything)
    assert all(r.score >= 0.3 for r in strict)


def test_profile_follows_recent_reading():
    iraq_then_chips = profile_vector(
        [VECTORS["tech_chips"], VECTORS["reuters_kirkuk_council"], VECTORS["reuters_oil_exports"]]
    )
    assert json.loads(json.dumps(iraq_then_chips)) == iraq_then_chips
    seen = {"tech_chips", "reuters_kirkuk_council", "reuters_oil_exports"}
    candidates = [(k, v) for k, v in VECTORS.items() if k not in seen]
    recs = rank_related(
        iraq_then_chips, candidates, k=3, min_score=RelatedOptions.profile_min_score
    )
    assert [r.key for r in recs][:1] == ["iraq_elections_preview"]
    assert "kirkuk" in recs[0].shared_terms
    assert "football_derby" not in [r.key for r in recs]
    top_terms = list(iraq_then_chips)[:5]
    assert any(t in VECTORS["tech_chips"] for t in top_terms)  # newest read leads


def test_profile_of_nothing_is_empty():
    assert profile_vector([]) == {}
    assert rank_related({}, VECTORS.items()) == []


def test_versions_of_one_report_are_listed_once():
    """An AP story sent again with a new lead (most words shared) is one report: a block
    listing both showed the reader the same car bomb twice."""
    from newsdesk.pipeline.related import distinct_versions

    bomb = {"car": 0.6, "bomb": 0.6, "baghdad": 0.4, "market": 0.3, "killed": 0.2}
    bomb_update = {"car": 0.6, "bomb": 0.6, "baghdad": 0.4, "market": 0.3, "toll": 0.2}
    other = {"oil": 0.7, "kirkuk": 0.6, "pipeline": 0.4}
    open_article = {"election": 0.8, "kirkuk": 0.5}
    items = [("open", open_article), ("bomb", bomb), ("oil", other), ("bomb2", bomb_update),
             ("novec", None)]
    assert distinct_versions(items) == ["open", "bomb", "oil", "novec"]
    # the article being read drops its own versions too
    assert distinct_versions([("open", bomb), ("bomb2", bomb_update), ("oil", other)]) == ["open", "oil"]
