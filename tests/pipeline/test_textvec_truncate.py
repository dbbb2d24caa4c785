"""A vector's cut keeps the same terms whatever order its keys were written in: a story's
term counts read back from PostgreSQL's jsonb come in jsonb's key order, and counts tie."""

from __future__ import annotations

import random

from newsdesk.pipeline.textvec import truncate


def test_ties_are_cut_the_same_in_any_key_order():
    counts = {f"term{i:03d}": (3 if i % 7 == 0 else 1) for i in range(400)}
    keys = list(counts)
    cuts = set()
    for seed in range(5):
        random.Random(seed).shuffle(keys)
        shuffled = {k: counts[k] for k in keys}
        for n in (5, 60):  # both paths: the heap (long vector) and the sort
            cuts.add((n, tuple(sorted(truncate(shuffled, n)))))
    assert len(cuts) == 2  # one cut per length, whatever the order
    heavy = {k for k, w in counts.items() if w == 3}
    assert len(heavy) == 58
    assert set(dict(cuts)[60]) == heavy | {"term001", "term002"}  # then ties by name
