"""Syndicated copies: one Reuters story in five outlets' dress, and three other Reuters
stories about Iraq from the same day that must stay apart."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.pipeline.copies import (
    CopyCandidate,
    CopyIndex,
    CopyOptions,
    choose_canonical,
    compare_copies,
    copy_fingerprint,
    copy_signature,
    estimate_jaccard,
    paragraphs,
    strip_lead,
)
from newsdesk.pipeline.documents import Rejected, RejectReason

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "copies"


def load(name: str) -> dict:
    """A fixture: `field: value` header lines, `---`, headline, blank line, body."""
    head, _, body = (FIXTURES / name).read_text(encoding="utf-8").partition("\n---\n")
    meta = dict(
        line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
        for line in head.splitlines()
    )
    headline, _, text = body.strip().partition("\n\n")
    meta.update(headline=headline.strip(), text=text, paragraphs=paragraphs(text))
    meta["published"] = datetime.fromisoformat(meta["published"])
    return meta


ALL = sorted(p.name for p in FIXTURES.glob("*.txt"))
DOCS = {name: load(name) for name in ALL}
BY_KEY = {d["key"]: d for d in DOCS.values()}
SIGS = {d["key"]: copy_signature(d["text"]) for d in DOCS.values()}
COPIES = ["gulfdaily-prefix", "levantpost-truncated", "tigrisnews-extended", "mesopotamia-reworked"]
OTHERS = ["reuters-oil-exports", "reuters-baghdad-blast", "reuters-kirkuk-council"]


def test_fixtures_are_what_the_tests_think():
    assert len(DOCS) == 8
    assert {d["group"] for d in DOCS.values()} == {"elections", "oil", "blast", "kirkuk"}


def test_signature_is_plain_json_data():
    sig = SIGS["reuters-original"]
    assert len(sig) == CopyOptions().num_perm
    assert json.loads(json.dumps(sig)) == sig
    assert copy_signature(BY_KEY["reuters-original"]["text"]) == sig  # stable across calls


@pytest.mark.parametrize("key", COPIES)
def test_each_variant_is_found_as_a_copy_of_the_original(key):
    score = estimate_jaccard(SIGS["reuters-original"], SIGS[key])
    assert score >= CopyOptions().threshold, f"{key}: {score:.2f}"


@pytest.mark.parametrize("key", OTHERS)
@pytest.mark.parametrize("against", ["reuters-original", *COPIES])
def test_same_topic_same_day_stories_stay_apart(key, against):
    assert estimate_jaccard(SIGS[against], SIGS[key]) < 0.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reuters: Iraq will hold elections", "Iraq will hold elections"),
        ("BAGHDAD, Jan 6 (Reuters) - Iraq will hold", "Iraq will hold"),
        ("KIRKUK, Iraq, Jan 6 (Reuters) – Arab parties", "Arab parties"),
        ("BAGHDAD (AFP) — Iraq will", "Iraq will"),
        ("Baghdad — Iraq will hold", "Iraq will hold"),
        ("The vote - a test for Sudani - is set", "The vote - a test for Sudani - is set"),
    ],
)
def test_strip_lead(text, expected):
    assert strip_lead(text) == expected


@pytest.mark.parametrize(
    "text", ["", "Reuters: Blast.", "Reporting by Ahmed Rasheed; Editing by Angus MacSwan"]
)
def test_too_little_text_is_refused_not_matched_to_everything(text):
    with pytest.raises(Rejected) as err:
        copy_signature(text)
    assert err.value.reason is RejectReason.TOO_SHORT


def test_boilerplate_does_not_move_the_signature():
    text = BY_KEY["reuters-original"]["text"]
    dressed = (
        "Reuters: "
        + text.split("\n\n")[0].split(" - ", 1)[1]
        + "\n\nBy Ahmed Rasheed\n\n"
        + text
        + "\n\nCopyright 2026 Example News. All rights reserved.\n\nShare this article: Facebook | X"
    )
    assert estimate_jaccard(copy_signature(text), copy_signature(dressed)) >= 0.9


def test_index_finds_copies_best_first_and_not_the_others():
    index = CopyIndex()
    for key, sig in SIGS.items():
        if key != "reuters-original":
            index.add(key, sig)
    found = index.find(SIGS["reuters-original"])
    keys = [k for k, _ in found]
    assert set(keys) == set(COPIES)
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)
    assert keys[0] == "gulfdaily-prefix"  # same body, only furniture differs


@pytest.mark.parametrize(("paragraphs_run", "found"), [(1, False), (2, True), (3, True)])
def test_truncated_copies_are_found_by_containment_when_sizes_are_stored(paragraphs_run, found):
    orig = BY_KEY["reuters-original"]
    index = CopyIndex()
    for d in DOCS.values():
        if d["key"] != "reuters-original":
            index.add(d["key"], *copy_fingerprint(d["text"]))
    short = "\n\n".join(orig["paragraphs"][:paragraphs_run])
    index.add("short", *copy_fingerprint(short))
    keys = {k for k, _ in index.find(*copy_fingerprint(orig["text"]))}
    assert ("short" in keys) is found
    assert keys.isdisjoint(OTHERS)
    # without sizes only the Jaccard check applies: a cut to 3 of 8 paragraphs is missed
    plain = CopyIndex()
    plain.add("short", copy_signature(short))
    assert plain.find(copy_signature(orig["text"])) == []


def test_index_remove_and_rebuild_from_stored_lists():
    index = CopyIndex()
    for key in ["reuters-original", *COPIES]:
        index.add(key, SIGS[key])
    index.remove("gulfdaily-prefix")
    assert "gulfdaily-prefix" not in {k for k, _ in index.find(SIGS["reuters-original"])}
    stored = json.loads(json.dumps({k: SIGS[k] for k in COPIES}))
    rebuilt = CopyIndex()
    for key, sig in stored.items():
        rebuilt.add(key, sig)
    assert {k for k, _ in rebuilt.find(SIGS["reuters-original"])} == set(COPIES)
    with pytest.raises(KeyError):
        rebuilt.remove("never-added")
    with pytest.raises(ValueError, match="index expects"):
        rebuilt.find([1, 2, 3])


@pytest.mark.parametrize(
    ("key", "headline", "changed", "added", "cut"),
    [
        ("gulfdaily-prefix", True, 0, 0, 0),
        ("levantpost-truncated", False, 0, 0, 3),
        ("tigrisnews-extended", True, 1, 2, 0),
        ("mesopotamia-reworked", True, 1, 0, 1),  # punctuation-only edits are not changes
    ],
)
def test_compare_copies(key, headline, changed, added, cut):
    orig, copy = BY_KEY["reuters-original"], BY_KEY[key]
    diff = compare_copies(
        (orig["headline"], orig["paragraphs"]), (copy["headline"], copy["paragraphs"])
    )
    assert (
        diff.headline_changed,
        diff.paragraphs_changed,
        diff.paragraphs_added,
        diff.paragraphs_cut,
    ) == (headline, changed, added, cut), diff


def test_diff_summary_reads_like_the_page():
    orig, copy = BY_KEY["reuters-original"], BY_KEY["levantpost-truncated"]
    diff = compare_copies(
        (orig["headline"], orig["paragraphs"]), (copy["headline"], copy["paragraphs"])
    )
    assert diff.summary() == "3 paragraphs cut"
    same = compare_copies(
        (orig["headline"], orig["paragraphs"]), (orig["headline"], orig["paragraphs"])
    )
    assert same.identical and same.summary() == "verbatim"


def _candidate(key: str) -> CopyCandidate:
    d = BY_KEY[key]
    return CopyCandidate(
        key=key, published=d["published"], agency=d["agency"] or None, site=d["site"]
    )


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["reuters-original", *COPIES], "reuters-original"),  # the agency's own site
        (COPIES, "gulfdaily-prefix"),  # agency-attributed, earliest
        (["mesopotamia-reworked", "levantpost-truncated"], "levantpost-truncated"),
    ],
)
def test_choose_canonical(keys, expected):
    assert choose_canonical([_candidate(k) for k in keys]) == expected


def test_choose_canonical_prefers_agency_site_even_when_later():
    early = CopyCandidate(
        "outlet", datetime(2026, 1, 6, 8, 0), agency="Reuters", site="https://outlet.example/a"
    )
    late = CopyCandidate(
        "wire", datetime(2026, 1, 6, 9, 0), agency="Reuters", site="https://www.reuters.com/x"
    )
    undated = CopyCandidate("blog", None, site="blog.example")
    assert choose_canonical([early, late, undated]) == "wire"
    assert choose_canonical([undated, CopyCandidate("b2", datetime(2026, 1, 7))]) == "b2"
    with pytest.raises(ValueError):
        choose_canonical([])


def test_signatures_are_datasketchs_minhash_value_for_value():
    """Signatures stored by earlier versions (datasketch's MinHash) stay comparable."""
    from datasketch import MinHash

    from newsdesk.pipeline.copies import SCHEME, _shingles, minhash_values, normal_words

    words = normal_words(BY_KEY["reuters-original"]["text"])
    for size in (5, 3):
        shingles = _shingles(words, size)
        theirs = MinHash(num_perm=128, seed=1, scheme=SCHEME)
        theirs.update_batch(list(shingles))
        assert minhash_values(shingles) == [int(v) for v in theirs.hashvalues]


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_lsh_bands_are_datasketchs_choice(num_perm):
    from datasketch.lsh import _optimal_param

    from newsdesk.pipeline.copies import lsh_bands

    for step in range(1, 21):
        threshold = step / 20
        assert lsh_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), threshold


def test_band_keys_find_what_the_lsh_index_finds():
    """Two signatures share a band key exactly when datasketch's index pairs them."""
    from newsdesk.pipeline.copies import band_keys

    index = CopyIndex()
    for key, sig in SIGS.items():
        index.add(key, sig)
    keys = {key: set(band_keys(sig)) for key, sig in SIGS.items()}
    for key, sig in SIGS.items():
        shared = {other for other, theirs in keys.items() if keys[key] & theirs}
        assert shared == set(index._lsh.query(index._minhash(sig))), key
    assert len(keys["reuters-original"]) == 42  # datasketch's bands at a 0.25 threshold
