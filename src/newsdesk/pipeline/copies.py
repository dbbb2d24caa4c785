"""Syndicated copies of one wire story: MinHash signatures, an LSH index, diffs, canon.

Outlets re-run agency copy with their own furniture: an agency prefix ("Reuters: "),
a dateline, a byline, credits, share buttons, "Read more" links, a new headline, a cut
or an extra paragraph at the end. The signature is taken over word shingles of the
body after that furniture is stripped and case, accents and punctuation are folded, so
those edits move the Jaccard estimate a little; two different stories on the same
topic share almost no five-word run and stay far apart.

A signature is a plain ``list[int]`` (the MinHash values): the desk stores it per
article as JSON, with its LSH band keys (``band_keys``) in an indexed table, so a new
article's candidate copies are one indexed lookup and no process rebuilds an index.
``CopyIndex`` is the same banding in memory (datasketch's ``MinHashLSH``), for the evals.

The signature is computed here with numpy, value for value what datasketch's ``MinHash``
(scheme "affine32", 2.0) gives (a test holds the two together): importing datasketch
pulls in scipy, over a second of every one-file ingest's start.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from . import agencies
from .documents import Rejected, RejectReason
from .textvec import fold

NUM_PERM = 128  # MinHash permutations: ±0.04 standard error on the Jaccard estimate
SHINGLE_WORDS = 5  # words per shingle: long enough that topic phrases do not collide
THRESHOLD = 0.4  # estimated Jaccard above which two bodies are copies (a 5-of-8 cut passes)
SEED = 1  # fixed so signatures stored months apart stay comparable
# datasketch ≥ 2 hashing scheme: stored signatures compare only within one scheme
SCHEME = "affine32"
CONTAINMENT = 0.85  # … or this share of the shorter text inside the longer (truncated copy)
MIN_JACCARD = 0.2  # but never below this Jaccard: a one-paragraph teaser is not a copy
RETRIEVAL_THRESHOLD = 0.25  # LSH banding threshold: looser than either check, for recall
PARAGRAPH_SAME = 0.6  # word-set Jaccard above which a paragraph counts as "changed", not new
PARAGRAPH_REWRITTEN = 0.3  # … or above this when one paragraph replaces one in the same place


@dataclass(frozen=True)
class CopyOptions:
    num_perm: int = NUM_PERM
    shingle_words: int = SHINGLE_WORDS
    threshold: float = THRESHOLD
    seed: int = SEED


_AGENCIES = agencies.PRINTED  # one list of agency spellings, kept in agencies.py
# "Reuters: …" / "AFP - …" at the very start of a paragraph.
_PREFIX = re.compile(rf"^\s*\(?(?:{_AGENCIES})\)?\s*[:\-–—]\s+")
# "BAGHDAD, Jan 6 (Reuters) - " / "KIRKUK, Iraq (AFP) — " / "Baghdad — " at a paragraph start.
_DATELINE = re.compile(
    rf"^\s*[A-Z][\w'’.\- ]{{1,40}}(?:,\s*[\w'’. ]{{1,30}}){{0,2}}\s*(?:\((?:{_AGENCIES})\))?\s*[-–—_]+\s+"
)
_AGENCY_PAREN = re.compile(rf"\((?:{_AGENCIES})\)")
# Whole paragraphs that are furniture rather than story.
_FURNITURE = re.compile(
    r"^\s*\(?\s*(?:(?:additional\s+)?reporting by|writing by|editing by|compiled by|edited by"
    r"|copyright|©|all rights reserved|read more|related:|see also|follow us|sign up"
    r"|share this|click here|subscribe|our standards|this story has been)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*By\s+[A-Z][\w'’.\-]+(?:\s+(?:and\s+)?[A-Z][\w'’.\-]+){0,5}\s*$")
_WORDS = re.compile(r"[^\W_]+")

# Hosts that are an agency's own site: copy there is the wire original.
AGENCY_SITES = {
    "reuters": ("reuters.com",),
    "ap": ("apnews.com", "ap.org"),
    "afp": ("afp.com",),
    "upi": ("upi.com",),
    "dpa": ("dpa.com", "dpa-international.com"),
    "xinhua": ("xinhuanet.com", "news.cn"),
    "anadolu": ("aa.com.tr",),
    "bloomberg": ("bloomberg.com",),
    "ansa": ("ansa.it",),
    "efe": ("efe.com",),
    "kyodo": ("kyodonews.net",),
    "irna": ("irna.ir",),
}


def paragraphs(text: str) -> list[str]:
    """Split on blank lines, or on single newlines when the text has no blank line."""
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [p.strip() for p in parts if p.strip()]


def is_furniture(paragraph: str) -> bool:
    """Credits, copyright, share bars, bylines, "Read more" links: not the story."""
    return bool(_FURNITURE.match(paragraph) or _BYLINE.match(paragraph))


def strip_lead(paragraph: str) -> str:
    """Drop an agency prefix and a dateline from the start of a paragraph."""
    paragraph = _PREFIX.sub("", paragraph, count=1)
    match = _DATELINE.match(paragraph)
    # A dateline is short and upper-case-led; do not eat a sentence that merely has a dash.
    if match and (
        _AGENCY_PAREN.search(match.group(0))
        or match.group(0).split(",")[0].strip(" -–—_").isupper()
        or len(match.group(0).split()) <= 3
    ):
        paragraph = paragraph[match.end() :]
    return paragraph


def story_paragraphs(text_or_paragraphs: str | list[str]) -> list[str]:
    """The paragraphs that carry the story, lead furniture stripped."""
    paras = (
        paragraphs(text_or_paragraphs)
        if isinstance(text_or_paragraphs, str)
        else list(text_or_paragraphs)
    )
    return [strip_lead(p) for p in paras if not is_furniture(p)]


def normal_words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _shingles(words: list[str], size: int) -> set[bytes]:
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def copy_signature(text: str, options: CopyOptions = CopyOptions()) -> list[int]:
    """MinHash of the body's word shingles after furniture is stripped.

    Raises ``Rejected(TOO_SHORT)`` when fewer words than one shingle remain.

    A wire lede is often repeated as the standfirst ("Reuters: The leader of …" then
    "PARIS (Reuters) - The leader of …"); shingles are a set, so the repeat adds nothing.
    """
    return copy_fingerprint(text, options)[0]


def copy_fingerprint(text: str, options: CopyOptions = CopyOptions()) -> tuple[list[int], int]:
    """The signature and the number of distinct shingles it summarises.

    Store the size beside the signature: with both sizes known, ``CopyIndex`` also
    catches an outlet that ran only the first few paragraphs (high containment, low
    Jaccard).
    """
    words: list[str] = []
    for para in story_paragraphs(text):
        words.extend(normal_words(para))
    if len(words) < options.shingle_words:
        # An empty MinHash equals every other empty one: refuse rather than match all briefs.
        raise Rejected(
            RejectReason.TOO_SHORT,
            f"{len(words)} words left after furniture; copy detection needs {options.shingle_words}",
        )
    shingles = _shingles(words, options.shingle_words)
    return minhash_values(shingles, options.num_perm, options.seed), len(shingles)


def minhash_values(items: Iterable[bytes], num_perm: int = NUM_PERM, seed: int = SEED) -> list[int]:
    """datasketch's ``MinHash(num_perm, seed, scheme="affine32").update_batch(items)``
    hash values: SHA-1's first four bytes of each item, pre-mixed by the 32-bit
    MurmurHash3 finalizer, then the minimum of ``a * h + b`` (mod 2^32) per permutation."""
    import numpy as np

    a, b = _permutations(num_perm, seed)
    hv = np.fromiter((struct.unpack("<I", hashlib.sha1(item).digest()[:4])[0] for item in items),
                     dtype=np.uint32)
    if not len(hv):
        return [0xFFFFFFFF] * num_perm
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    return (hv.reshape(-1, 1) * a + b).min(axis=0).tolist()


def estimate_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger, from Jaccard and the two set sizes:
    |A∩B| = J(|A|+|B|)/(1+J)."""
    if min(size_a, size_b) <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / (1.0 + jaccard) / min(size_a, size_b))


def estimate_jaccard(a: list[int], b: list[int]) -> float:
    """Share of equal MinHash values: the Jaccard estimate of two signatures."""
    if len(a) != len(b):
        raise ValueError(
            f"signatures differ in length ({len(a)} vs {len(b)}): re-sign with one CopyOptions"
        )
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else 0.0


@functools.cache
def _permutations(num_perm: int, seed: int):
    """The seed's affine permutations (a odd, b), drawn once as datasketch draws them."""
    import numpy as np

    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


@functools.cache
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's ``MinHashLSH`` picks for this threshold:
    the pair minimising the false-positive plus false-negative probability mass."""
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integrate(lambda s, b=b, r=r: 1 - (1 - s**r) ** b, 0.0, threshold)
            fn = _integrate(lambda s, b=b, r=r: (1 - s**r) ** b, threshold, 1.0)
            if 0.5 * fp + 0.5 * fn < best:
                best, opt = 0.5 * fp + 0.5 * fn, (b, r)
    return opt


def _integrate(f, lo: float, hi: float, steps: int = 80) -> float:
    """Simpson's rule: datasketch integrates with scipy's ``quad``, whose import alone
    costs a second; these smooth curves need no more."""
    h = (hi - lo) / steps
    inner = sum((4 if i % 2 else 2) * f(lo + i * h) for i in range(1, steps))
    return (f(lo) + f(hi) + inner) * h / 3


def retrieval_threshold(threshold: float) -> float:
    """The LSH banding threshold: looser than the accept threshold, for recall."""
    return min(threshold, RETRIEVAL_THRESHOLD)


def band_keys(signature: list[int], options: CopyOptions = CopyOptions()) -> list[int]:
    """The signature's LSH band keys, as signed 64-bit ints (an indexed database column).

    Two signatures are LSH candidates when they share a key: the bands are datasketch's
    (``lsh_bands`` of the retrieval threshold, consecutive slices of the values), and each
    key hashes the band's number with its values, so equal keys mean an equal band (up to
    a 64-bit hash collision, which only adds a candidate the Jaccard check then drops).
    """
    bands, rows = lsh_bands(retrieval_threshold(options.threshold), options.num_perm)
    keys = []
    for i in range(bands):
        chunk = struct.pack(f"<{rows + 3}I", bands, rows, i, *signature[i * rows:(i + 1) * rows])
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return keys


class CopyIndex:
    """An LSH index over stored signatures; rebuild it on start from the stored lists."""

    def __init__(
        self,
        threshold: float = CopyOptions.threshold,
        num_perm: int = NUM_PERM,
        seed: int = SEED,
        containment: float = CONTAINMENT,
    ):
        self.threshold = threshold
        self.containment = containment
        self.num_perm = num_perm
        self.seed = seed
        from datasketch import MinHashLSH

        # Retrieve at a lower Jaccard than we accept, so truncated copies (high
        # containment, Jaccard ~0.3) reach the containment check at all.
        self._lsh = MinHashLSH(threshold=retrieval_threshold(threshold), num_perm=num_perm)
        self._signatures: dict[str, list[int]] = {}
        self._sizes: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: str) -> bool:
        return key in self._signatures

    def _minhash(self, signature: list[int]):
        from datasketch import MinHash

        if len(signature) != self.num_perm:
            raise ValueError(
                f"signature has {len(signature)} values, index expects {self.num_perm}"
            )
        return MinHash(num_perm=self.num_perm, seed=self.seed, hashvalues=signature, scheme=SCHEME,
                       permutations=_permutations(self.num_perm, self.seed))

    def add(self, key: str, signature: list[int], size: int | None = None) -> None:
        """Index ``signature`` (and its shingle count, if known) under ``key``; re-adding a
        key replaces it."""
        if key in self._signatures:
            self.remove(key)
        self._lsh.insert(key, self._minhash(signature))
        self._signatures[key] = list(signature)
        if size is not None:
            self._sizes[key] = size

    def remove(self, key: str) -> None:
        if key not in self._signatures:
            raise KeyError(key)
        self._lsh.remove(key)
        del self._signatures[key]
        self._sizes.pop(key, None)

    def find(self, signature: list[int], size: int | None = None) -> list[tuple[str, float]]:
        """Stored copies of ``signature`` with their estimated Jaccard, best first.

        A candidate counts when the Jaccard estimate reaches ``threshold`` or, with both
        shingle counts known, when the shorter text lies ``containment`` inside the longer
        (a truncated copy). LSH false positives fail both checks and are dropped.
        """
        found = []
        for key in self._lsh.query(self._minhash(signature)):
            score = estimate_jaccard(signature, self._signatures[key])
            other = self._sizes.get(key)
            inside = (
                estimate_containment(score, size, other)
                if size is not None and other is not None
                else 0.0
            )
            if score >= self.threshold or (score >= MIN_JACCARD and inside >= self.containment):
                found.append((key, score))
        found.sort(key=lambda kv: (-kv[1], kv[0]))
        return found


@dataclass
class CopyDiff:
    """How a copy differs from its original, in the terms an editor would use."""

    headline_changed: bool
    paragraphs_kept: int = 0
    paragraphs_changed: int = 0
    paragraphs_added: int = 0
    paragraphs_cut: int = 0
    changed_at: list[int] = field(default_factory=list)  # indexes in the copy

    @property
    def identical(self) -> bool:
        return not (
            self.headline_changed
            or self.paragraphs_changed
            or self.paragraphs_added
            or self.paragraphs_cut
        )

    def summary(self) -> str:
        """ "headline edited, 2 paragraphs cut" — or "verbatim"."""
        parts = []
        if self.headline_changed:
            parts.append("headline edited")
        for n, what in (
            (self.paragraphs_changed, "changed"),
            (self.paragraphs_added, "added"),
            (self.paragraphs_cut, "cut"),
        ):
            if n:
                parts.append(f"{n} paragraph{'s' if n > 1 else ''} {what}")
        return ", ".join(parts) or "verbatim"


def _key(paragraph: str) -> str:
    return " ".join(normal_words(paragraph))


def _word_jaccard(a: str, b: str) -> float:
    sa, sb = set(a.split()), set(b.split())
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def compare_copies(original: tuple[str, list[str]], copy: tuple[str, list[str]]) -> CopyDiff:
    """Diff two (headline, paragraphs) versions of one story, furniture ignored."""
    head_a, paras_a = original
    head_b, paras_b = copy
    a = [_key(p) for p in story_paragraphs(paras_a)]
    b = [_key(p) for p in story_paragraphs(paras_b)]
    a, b = [p for p in a if p], [p for p in b if p]
    # The standfirst often repeats the lede; a copy that drops or adds it has not edited the story.
    a = [p for i, p in enumerate(a) if not (i + 1 < len(a) and a[i + 1].startswith(p))]
    b = [p for i, p in enumerate(b) if not (i + 1 < len(b) and b[i + 1].startswith(p))]
    diff = CopyDiff(headline_changed=_key(head_a) != _key(head_b))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            diff.paragraphs_kept += i2 - i1
        elif op == "delete":
            diff.paragraphs_cut += i2 - i1
        elif op == "insert":
            diff.paragraphs_added += j2 - j1
        else:  # replace: pair up paragraphs that are still recognisably the same
            used: set[int] = set()
            # One paragraph swapped for one in the same place is a rewrite if they share
            # a fair part of their words; in a longer run only a close match is.
            bar = PARAGRAPH_REWRITTEN if (i2 - i1, j2 - j1) == (1, 1) else PARAGRAPH_SAME
            for j in range(j1, j2):
                best = max(range(i1, i2), key=lambda i: (i not in used, _word_jaccard(a[i], b[j])))
                if best not in used and _word_jaccard(a[best], b[j]) >= bar:
                    used.add(best)
                    diff.paragraphs_changed += 1
                    diff.changed_at.append(j)
                else:
                    diff.paragraphs_added += 1
            diff.paragraphs_cut += (i2 - i1) - len(used)
    return diff


@dataclass(frozen=True)
class CopyCandidate:
    """One published version of a story, as far as choosing the canonical one needs."""

    key: str
    published: datetime | None = None
    agency: str | None = None  # WireMeta.agency of this version, when the parser found one
    site: str = ""  # URL or host it was published on


def _host(site: str) -> str:
    host = urlsplit(site if "//" in site else f"//{site}").hostname or ""
    return host.lower().removeprefix("www.")


def on_agency_site(candidate: CopyCandidate) -> bool:
    host = _host(candidate.site)
    if not host:
        return False
    agencies: Iterable[str] = [candidate.agency.lower()] if candidate.agency else AGENCY_SITES
    for agency in agencies:
        for domain in AGENCY_SITES.get(agency, ()):
            if host == domain or host.endswith("." + domain):
                return True
    return False


def choose_canonical(candidates: list[CopyCandidate]) -> str:
    """The wire original when it can be told, else the earliest version.

    Order: 1. published on an agency's own site; 2. carrying an agency attribution;
    3. anything. Within the first non-empty rank the earliest wins (undated last,
    then by key, so the choice is stable).
    """
    if not candidates:
        raise ValueError("choose_canonical needs at least one candidate")

    def rank(c: CopyCandidate) -> tuple:
        tier = 0 if on_agency_site(c) else 1 if c.agency else 2
        when = c.published.timestamp() if c.published is not None else float("inf")
        return (tier, when, c.key)

    return min(candidates, key=rank).key
