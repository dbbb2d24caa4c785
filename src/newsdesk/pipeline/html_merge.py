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
   primary's container.
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


def merge(primary: list[Block], second: list[Block], options: MergeOptions = MergeOptions()) -> list[Block]:
    """Return the merged body (see the module docstring for the rules, in order)."""
    if not primary:
        return [b for b in second if _is_prose(b.text, options)] if second else []
    if not second:
        return list(primary)
    n = options.shingle
    tokens_a = [_TOKEN.findall(b.text) for b in primary]
    tokens_b = [_TOKEN.findall(b.text) for b in second]
    shingles_a = {s for toks in tokens_a for s in _shingles(toks, n)}
    shingles_b = {s for toks in tokens_b for s in _shingles(toks, n)}
    shared = shingles_a & shingles_b
    if len(shared) < options.min_agreement * min(len(shingles_a), len(shingles_b)):
        if _prose_words(second, options) > _prose_words(primary, options):
            return list(second)
        return list(primary)
    primary, tokens_a = _split_doubtful(primary, tokens_a, shingles_b, options)
    support_a = [_support(toks, shingles_b, n) for toks in tokens_a]
    support_b = [_support(toks, shingles_a, n) for toks in tokens_b]
    kept_idx = [i for i, s in enumerate(support_a) if s >= options.supported]
    if not kept_idx:
        return list(second) if _prose_words(second, options) > _prose_words(primary, options) else list(primary)
    first, last = kept_idx[0], kept_idx[-1]
    body: list[Block] = list(primary[first : last + 1])
    if support_a[last] < options.fully_supported:
        body[-1] = _trim(body[-1], shingles_b, n, head=False)
    if support_a[first] < options.fully_supported:
        body[0] = _trim(body[0], shingles_b, n, head=True)
    return _add_second_only(body, primary[first : last + 1], second, support_b, options)


def _add_second_only(
    body: list[Block],
    kept_primary: list[Block],
    second: list[Block],
    support_b: list[float],
    options: MergeOptions,
) -> list[Block]:
    """Insert prose blocks only the second opinion has, next to their shared neighbours."""
    n = options.shingle
    shared_b = [j for j, s in enumerate(support_b) if s >= options.supported]
    if not shared_b:
        return body
    candidates = [
        j for j, block in enumerate(second) if support_b[j] < options.supported and _is_prose(block.text, options)
    ]
    if not candidates:
        return body
    kept_sets = [set(_shingles(_TOKEN.findall(b.text), n)) for b in kept_primary]
    kept_all = set().union(*kept_sets) if kept_sets else set()
    before: list[Block] = []
    after: dict[int, list[Block]] = {}
    anchor = -1  # index into `body` of the block the next insertion follows
    wanted = set(candidates)
    for j, block in enumerate(second):
        if support_b[j] >= options.supported:
            if any(k > j for k in candidates):  # only anchors that precede a candidate matter
                anchor = _locate(set(_shingles(_TOKEN.findall(block.text), n)), kept_sets, anchor)
            continue
        if j not in wanted:
            continue
        if _support(_TOKEN.findall(block.text), kept_all, n) >= options.supported:
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


def _split_doubtful(
    blocks: list[Block], tokens: list[list[str]], other: set, options: MergeOptions
) -> tuple[list[Block], list[list[str]]]:
    """Split multi-line blocks the other side does not fully support into one block per line.

    A page laid out with <br> (or a menu trafilatura took for a paragraph) arrives as one huge
    block; judged whole it is neither in nor out, judged by line its article shows.
    """
    out_blocks: list[Block] = []
    out_tokens: list[list[str]] = []
    for block, toks in zip(blocks, tokens):
        if "\n" in block.text and _support(toks, other, options.shingle) < options.fully_supported:
            for line in block.text.split("\n"):
                line_tokens = _TOKEN.findall(line)
                if line_tokens:
                    out_blocks.append(plain_block(block.kind, line.strip()))
                    out_tokens.append(line_tokens)
            continue
        out_blocks.append(block)
        out_tokens.append(toks)
    return out_blocks, out_tokens


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


def _support(tokens: list[str], other: set, n: int) -> float:
    shingles = _shingles(tokens, n)
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
