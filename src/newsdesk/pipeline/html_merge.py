"""Combine two extractors' bodies: keep what both agree on, and judge what only one saw.

trafilatura (the primary) and readability-lxml (the second opinion) fail differently:
trafilatura tends to run past the article into teaser cards, newsletter boxes and captions
at its edges, and to stop early when ad rows split the body into several containers;
readability picks one container and keeps it whole. So:

1. Agreement is measured with the benchmark's own unit, 4-token shingles: a primary block
   is *supported* when most of its shingles also occur in the second opinion.
2. The body is the primary's blocks from the first supported block to the last: what lies
   outside that span was seen by one extractor only and sits at the edge, where boilerplate
   lives. Blocks inside the span are kept even if unsupported (readability drops short
   paragraphs, quotes and lists that belong to the story).
3. The first and last kept blocks are trimmed to their supported tokens, for pages whose
   whole body is one giant block with a headline in front and teasers behind it.
4. Blocks that only the second opinion has are added when they read like prose (long, ending
   a sentence): the second half of a body split by ad rows, or a lede kept out of the
   primary's container; and a list the primary skipped between two shared blocks.
5. When the two barely agree (different containers), the side with more prose wins (a menu
   or a caption strip has many lines and few sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .html_blocks import Block, plain_block

_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_OPENERS = "\"'“‘«([¿¡"


@dataclass(frozen=True)
class MergeOptions:
    """Thresholds of the merge; the defaults were tuned on the dev pages of the benchmark."""

    shingle: int = 4  # the benchmark's unit of comparison
    supported: float = 0.5  # share of a block's shingles the other side must have
    fully_supported: float = 0.9  # at or above this, an edge block is not trimmed
    min_agreement: float = 0.2  # below this share of shared shingles, keep the primary as is
    prose_min_words: int = 25  # a one-sided block must be this long to be added …
    prose_needs_sentence_end: bool = True  # … and end like a sentence
    prose_line_words: int = 10  # a line counts as prose, when sides disagree, from this long
    run_prose_share: float = 0.6  # a one-sided run this much prose (by words) is body: see below
    interior_lists: bool = True  # a one-sided list between two shared blocks is body, whole


def merge(
    primary: list[Block], second: list[Block], options: MergeOptions = MergeOptions()
) -> list[Block]:
    """Return the merged body (see the module docstring for the rules, in order)."""
    if not primary:  # trafilatura found nothing: readability's body stands as it is
        return list(second)
    if not second:
        return list(primary)
    n = options.shingle
    sh_a = [_shingles(_TOKEN.findall(b.text), n) for b in primary]
    sh_b = [_shingles(_TOKEN.findall(b.text), n) for b in second]
    set_a = {s for shingles in sh_a for s in shingles}
    set_b = {s for shingles in sh_b for s in shingles}
    if len(set_a & set_b) < options.min_agreement * min(len(set_a), len(set_b)):
        return _more_prose(primary, second, options)
    primary, sh_a, support_a = _split_doubtful(primary, sh_a, set_b, options)
    kept_idx = [i for i, s in enumerate(support_a) if s >= options.supported]
    if not kept_idx:
        return _more_prose(primary, second, options)
    first, last = kept_idx[0], kept_idx[-1]
    kept = primary[first : last + 1]
    body: list[Block] = list(kept)
    if support_a[last] < options.fully_supported:
        body[-1] = _trim(body[-1], set_b, n, head=False)
    if support_a[first] < options.fully_supported:
        body[0] = _trim(body[0], set_b, n, head=True)
    support_b = [_support(shingles, set_a) for shingles in sh_b]
    return _add_second_only(body, sh_a[first : last + 1], second, sh_b, support_b, options)


def _more_prose(primary: list[Block], second: list[Block], options: MergeOptions) -> list[Block]:
    """The two sides disagree: keep the one holding more prose (the primary on a tie)."""
    return (
        list(second)
        if _prose_words(second, options) > _prose_words(primary, options)
        else list(primary)
    )


def _add_second_only(
    body: list[Block],
    kept_sh: list[list[tuple]],
    second: list[Block],
    sh_b: list[list[tuple]],
    support_b: list[float],
    options: MergeOptions,
) -> list[Block]:
    """Insert blocks only the second opinion has, next to their shared neighbours.

    One-sided blocks come in runs (between two shared blocks, or before the first, or after
    the last). A run that is mostly prose is a piece of body the primary missed: all its
    blocks that end a sentence go in, short ones too (a one-line paragraph, a contributor
    line). A run of list items with shared blocks on both sides lies inside the span both
    extractors call the body, in the one container readability kept whole: it goes in
    whole (a list of facts or steps the primary skipped). Other short blocks there are
    mostly captions and photo credits, and stay out. Otherwise only a run's prose blocks go in.
    """
    if all(s < options.supported for s in support_b):
        return body
    shared = [j for j, s in enumerate(support_b) if s >= options.supported]
    candidates = []
    for run in _runs([j for j, s in enumerate(support_b) if s < options.supported]):
        if (
            options.interior_lists
            and shared
            and shared[0] < run[0]
            and run[-1] < shared[-1]
            and all(second[j].kind == "li" and "\n" not in second[j].text for j in run)
        ):
            candidates.extend(run)
            continue
        words = [len(second[j].text.split()) for j in run]
        prose = [_is_prose(second[j].text, options) for j in run]
        body_run = any(prose) and sum(w for w, p in zip(words, prose, strict=True)) >= (
            options.run_prose_share * sum(words)
        )
        candidates.extend(
            j
            for j, is_prose in zip(run, prose, strict=True)
            if is_prose or (body_run and _SENTENCE_END.search(second[j].text.strip()))
        )
    if not candidates:
        return body
    kept_sets = [set(shingles) for shingles in kept_sh]
    kept_all = set().union(*kept_sets)
    last_candidate = candidates[-1]
    wanted = set(candidates)
    before: list[Block] = []
    after: dict[int, list[Block]] = {}
    anchor = -1  # index into `body` of the block the next insertion follows
    for j, block in enumerate(second[: last_candidate + 1]):
        if support_b[j] >= options.supported:
            anchor = _locate(set(sh_b[j]), kept_sets, anchor)
            continue
        if j not in wanted or _support(sh_b[j], kept_all) >= options.supported:
            continue
        if anchor < 0:
            before.append(block)
        else:
            after.setdefault(anchor, []).append(block)
    if not before and not after:
        return body
    merged = list(before)
    for i, block in enumerate(body):
        merged.append(block)
        merged.extend(after.get(i, ()))
    return merged


def _runs(indexes: list[int]) -> list[list[int]]:
    """Group sorted indexes into runs of consecutive numbers."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _split_doubtful(
    blocks: list[Block], sh: list[list[tuple]], other: set, options: MergeOptions
) -> tuple[list[Block], list[list[tuple]], list[float]]:
    """Split multi-line blocks the other side does not fully support into one block per line.

    A page laid out with <br> (or a menu trafilatura took for a paragraph) arrives as one huge
    block; judged whole it is neither in nor out, judged by line its article shows.
    Returns the blocks, their shingles and their support.
    """
    out_blocks: list[Block] = []
    out_sh: list[list[tuple]] = []
    out_support: list[float] = []
    for block, shingles in zip(blocks, sh, strict=True):
        support = _support(shingles, other)
        if "\n" in block.text and support < options.fully_supported:
            for line in block.text.split("\n"):
                line_sh = _shingles(_TOKEN.findall(line), options.shingle)
                if line_sh:
                    out_blocks.append(plain_block(block.kind, line.strip()))
                    out_sh.append(line_sh)
                    out_support.append(_support(line_sh, other))
            continue
        out_blocks.append(block)
        out_sh.append(shingles)
        out_support.append(support)
    return out_blocks, out_sh, out_support


def _locate(wanted: set, kept_sets: list[set], previous: int) -> int:
    """Index of the kept primary block sharing most shingles with `wanted` (else `previous`)."""
    best, best_overlap = previous, 0
    for i, candidate in enumerate(kept_sets):
        overlap = len(wanted & candidate)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _shingles(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    if len(tokens) <= n:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _support(shingles: list[tuple], other: set) -> float:
    """Share of `shingles` found in `other`."""
    if not shingles:
        return 0.0
    return sum(1 for s in shingles if s in other) / len(shingles)


def _trim(block: Block, other: set, n: int, head: bool) -> Block:
    """Cut a block's unsupported tokens at its start (head=True) or its end."""
    spans = [m.span() for m in _TOKEN.finditer(block.text)]
    tokens = [block.text[a:b] for a, b in spans]
    if len(tokens) <= n:
        return block
    covered = [False] * len(tokens)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) in other:
            for k in range(i, i + n):
                covered[k] = True
    if not any(covered):
        return block
    text = block.text
    if head:
        start_tok = covered.index(True)
        if start_tok == 0:
            return block
        start = spans[start_tok][0]
        while start > 0 and text[start - 1] in _OPENERS:
            start -= 1
        return plain_block(block.kind, text[start:].strip())
    end_tok = len(covered) - 1 - covered[::-1].index(True)
    if end_tok == len(tokens) - 1:
        return block
    end = spans[end_tok][1]
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return plain_block(block.kind, text[:end].strip())


def _prose_words(blocks: list[Block], options: MergeOptions) -> int:
    """Words in lines that read like sentences: a measure of how much article a side holds."""
    total = 0
    for block in blocks:
        for line in block.text.split("\n"):
            words = len(line.split())
            if words >= options.prose_line_words and _SENTENCE_END.search(line.strip()):
                total += words
    return total


def _is_prose(text: str, options: MergeOptions) -> bool:
    if len(text.split()) < options.prose_min_words:
        return False
    return not options.prose_needs_sentence_end or bool(_SENTENCE_END.search(text.strip()))
