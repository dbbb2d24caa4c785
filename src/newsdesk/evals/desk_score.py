"""The desk benchmark's figures: what a reader was shown, scored against the set's gold lines.

Pure Python, no Django: gold lines (the set's ``gold.jsonl``), prediction lines (one per gold
line, keyed by ``file``: status, article_id, story_id, copy_of, published, agency, title, body,
countries, entities) and the must-stay-apart pairs in, a flat dict of figures out. The
figures are defined by the set's README and its reference scorer (``tools/desk_score.py``
beside the data), which this module agrees with to the last decimal printed; the body metric
is the extraction benchmark's, taken from `newsdesk.evals.extraction`.

- reject: share of articles published (any status but rejected/failed), share of
  non-articles refused, accuracy over all lines;
- story: BCubed over story-labelled lines; a copy without a story takes its canonical's; a
  refused line, or one with no story, is a story of its own;
- copies: pairwise over all lines; a line's group is its canonical article (copy_of followed
  to its end, else its own id);
- fields: a ``duplicate`` line that leaves a field out is shown its canonical's value; lines
  listing a field in ``unscored`` skip it; refused lines show nothing;
- entities: each gold mention takes the ids of the line's predicted mentions of the same
  form (else the longest predicted form inside it, else the shortest one holding it).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from newsdesk.evals.extraction import match, prf, tokenize

REFUSED = frozenset({"rejected", "failed"})
AGENCY_NAMES = {
    "reuters": "Reuters", "reuter": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
}
# States that split after 1987: without the places table, each folds onto its first successor.
SUCCESSOR_STATES = {"RU": "UA BY MD EE LV LT GE AM AZ KZ UZ TM KG TJ", "RS": "HR SI BA MK ME",
                    "CZ": "SK", "CW": "SX BQ"}
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
FIELDS = ("published", "agency", "title", "body", "countries", "entities")


# --- reading the set ------------------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def places_table(set_dir: Path) -> Path | None:
    """The set's country table (``../geo/places-to-iso.tsv`` beside it), when at hand."""
    path = Path(set_dir).parent / "geo" / "places-to-iso.tsv"
    return path if path.exists() else None


def country_fold(table: Path | None) -> dict[str, str] | None:
    """ISO code -> the code it is scored as; None when there is no table (see `fold_code`)."""
    if table is None:
        return None
    from newsdesk.evals.places import load_mapping

    return load_mapping(table)[1]


def fold_code(code: str, fold: dict[str, str] | None) -> str | None:
    """The scored class of one code; None for a code the 1987 scheme cannot express."""
    if fold is None:
        for first, later in SUCCESSOR_STATES.items():
            if code in later.split():
                return first
        return code
    return fold.get(code)


# --- normalising what is compared ----------------------------------------------------------

def agency_key(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    return AGENCY_NAMES.get(text.lower().rstrip("."), text)


def day_key(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    return text[:10] if re.match(r"\d{4}-\d\d-\d\d", text) else text


def title_key(value, fold_case: bool = True) -> str | None:
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFKC", str(value)).translate(QUOTES).split())
    return text.casefold() if fold_case else text


def form_key(value) -> str:
    text = " ".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()
    return text[4:] if text.startswith("the ") else text


def n_pairs(n: int) -> int:
    return n * (n - 1) // 2


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def share(part: float, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- the predictions, joined to gold ---------------------------------------------------------

class Shown:
    """Each gold line's prediction, with its canonical article and story resolved."""

    def __init__(self, gold: list[dict], predictions: list[dict]):
        by_file = {p.get("file"): p for p in predictions}  # the last line for a file wins
        self.gold = gold
        self.missing = sum(g["file"] not in by_file for g in gold)
        self.pred = [dict(by_file.get(g["file"]) or {"status": "rejected"}) for g in gold]
        self.refused = [str(p.get("status") or "").lower() in REFUSED for p in self.pred]
        own = [None if self.refused[i] else str(p.get("article_id") or f"line-{i}")
               for i, p in enumerate(self.pred)]
        points_to: dict[str, str] = {}
        for i, p in enumerate(self.pred):
            if own[i] is not None and p.get("copy_of"):
                points_to.setdefault(own[i], str(p["copy_of"]))

        def canonical(article: str) -> str:
            seen = set()
            while article in points_to and points_to[article] != article and article not in seen:
                seen.add(article)
                article = points_to[article]
            return article

        self.group = [None if own[i] is None else canonical(str(p["copy_of"]) if p.get("copy_of") else own[i])
                      for i, p in enumerate(self.pred)]
        # the line standing for each canonical article: its own line not reported as a
        # duplicate, else its own line, else the first line grouped under it
        self.stands_for: dict[str, int] = {}
        best: dict[str, int] = {}
        for i, k in enumerate(self.group):
            if k is None:
                continue
            rank = 2 if own[i] != k else (1 if str(self.pred[i].get("status")) == "duplicate" else 0)
            if k not in best or rank < best[k]:
                best[k], self.stands_for[k] = rank, i
        self.story = []
        for i, p in enumerate(self.pred):
            story = None if self.refused[i] else p.get("story_id")
            if not self.refused[i] and story in (None, "") and self.group[i] in self.stands_for:
                story = self.pred[self.stands_for[self.group[i]]].get("story_id")
            self.story.append(("story", str(story)) if story not in (None, "") else ("alone", i))

    def value(self, i: int, name: str):
        """What line i showed for a field: a duplicate that leaves it out shows its canonical's."""
        p = self.pred[i]
        if self.refused[i]:
            return None
        if name not in p and str(p.get("status")) == "duplicate":
            c = self.stands_for.get(self.group[i])
            if c is not None and c != i:
                return self.pred[c].get(name)
        return p.get(name)


def scored(g: dict, name: str) -> bool:
    return g["expect"] == "article" and name not in (g.get("unscored") or [])


# --- figures --------------------------------------------------------------------------------

def reject_figures(s: Shown) -> dict:
    articles = [i for i, g in enumerate(s.gold) if g["expect"] == "article"]
    others = [i for i, g in enumerate(s.gold) if g["expect"] != "article"]
    published = sum(not s.refused[i] for i in articles)
    refused = sum(s.refused[i] for i in others)
    return {"articles": len(articles), "articles_published": round(published / max(1, len(articles)), 4),
            "non_articles": len(others), "non_articles_refused": round(refused / max(1, len(others)), 4),
            "reject_accuracy": round((published + refused) / max(1, len(s.gold)), 4),
            "missing_predictions": s.missing}


def story_figures(s: Shown) -> dict:
    labelled = [i for i, g in enumerate(s.gold) if g.get("story")]
    gold_size = Counter(s.gold[i]["story"] for i in labelled)
    members = defaultdict(list)
    for i, story in enumerate(s.story):
        members[story].append(i)
    p = r = 0.0
    for i in labelled:
        cluster = members[s.story[i]]
        same = sum(s.gold[m].get("story") == s.gold[i]["story"] for m in cluster)
        p += same / len(cluster)
        r += same / gold_size[s.gold[i]["story"]]
    n = max(1, len(labelled))
    p, r = p / n, r / n
    return {"story_lines": len(labelled), "gold_stories": len(gold_size),
            "predicted_stories_over_them": len({s.story[i] for i in labelled}),
            "story_bcubed_p": round(p, 4), "story_bcubed_r": round(r, 4), "story_bcubed_f1": round(f1(p, r), 4)}


def copy_figures(s: Shown) -> dict:
    gold = [("gold", g["copy_group"]) if g.get("copy_group") else ("line", i) for i, g in enumerate(s.gold)]
    pred = [("pred", k) if k is not None else ("line", i) for i, k in enumerate(s.group)]
    gold_pairs = sum(n_pairs(n) for n in Counter(gold).values())
    pred_pairs = sum(n_pairs(n) for n in Counter(pred).values())
    true_pairs = sum(n_pairs(n) for n in Counter(zip(gold, pred, strict=True)).values())
    p = true_pairs / pred_pairs if pred_pairs else (0.0 if gold_pairs else 1.0)
    r = true_pairs / gold_pairs if gold_pairs else 1.0
    return {"copy_gold_pairs": gold_pairs, "copy_pred_pairs": pred_pairs, "copy_true_pairs": true_pairs,
            "copy_pairwise_p": round(p, 4), "copy_pairwise_r": round(r, 4), "copy_pairwise_f1": round(f1(p, r), 4)}


def field_figures(s: Shown, fold: dict[str, str] | None, lines=None) -> dict:
    lines = range(len(s.gold)) if lines is None else lines
    out: dict = {}
    # date: the day shown; a dateless input is right only when no date is shown
    right = dated = dated_right = dateless = dateless_right = n = 0
    for i in lines:
        g = s.gold[i]
        if not scored(g, "published"):
            continue
        shown = day_key(s.value(i, "published"))
        n += 1
        right += shown == g["published"]
        if g["published"] is None:
            dateless += 1
            dateless_right += shown is None
        else:
            dated += 1
            dated_right += shown == g["published"]
    out.update({"date_lines": n, "date_accuracy": share(right, n), "date_accuracy_dated": share(dated_right, dated),
                "date_null_kept": share(dateless_right, dateless)})
    # agency
    n = right = 0
    for i in lines:
        if scored(s.gold[i], "agency"):
            n += 1
            right += agency_key(s.value(i, "agency")) == agency_key(s.gold[i]["agency"])
    out.update({"agency_lines": n, "agency_accuracy": share(right, n)})
    # headline
    n = right = strict = 0
    for i in lines:
        g = s.gold[i]
        if g.get("title") is not None and scored(g, "title"):
            n += 1
            shown = s.value(i, "title")
            right += title_key(shown) == title_key(g["title"])
            strict += title_key(shown, False) == title_key(g["title"], False)
    out.update({"title_lines": n, "title_exact": share(right, n), "title_exact_case_kept": share(strict, n)})
    # body: the extraction benchmark's shingle metric
    counts, exact = [], []
    for i in lines:
        g = s.gold[i]
        if g.get("body") is not None and scored(g, "body"):
            shown = s.value(i, "body") or ""
            counts.append(match(g["body"], shown))
            exact.append(tokenize(g["body"]) == tokenize(shown))
    body = prf(counts) if counts else None
    out.update({"body_lines": len(counts),
                **{f"body_{k}": round(body[name], 4) if body else None
                   for k, name in (("p", "precision"), ("r", "recall"), ("f1", "f1"))},
                "body_exact": share(sum(exact), len(exact))})
    # countries: micro over lines with gold countries
    tp = fp = fn = n = same = outside = 0
    for i in lines:
        g = s.gold[i]
        if g.get("countries") is None or not scored(g, "countries"):
            continue
        truth = {fold_code(c, fold) or c for c in g["countries"]}
        shown = set()
        for c in s.value(i, "countries") or []:
            code = fold_code(str(c.get("code", "") if isinstance(c, dict) else c).upper(), fold)
            if code is None:
                outside += 1
            else:
                shown.add(code)
        n += 1
        tp, fp, fn = tp + len(truth & shown), fp + len(shown - truth), fn + len(truth - shown)
        same += truth == shown
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    out.update({"countries_lines": n, "countries_p": round(p, 4) if n else None,
                "countries_r": round(r, 4) if n else None, "countries_f1": round(f1(p, r), 4) if n else None,
                "countries_exact": share(same, n), "countries_outside_scheme": outside})
    return out


def _bounded(form: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")


def mention_ids(form: str, shown: list[dict]) -> set[str]:
    """The predicted entity ids one gold form takes among a line's shown mentions."""
    gold = form_key(form)
    candidates = [(form_key(m.get("form") or ""), str(m["entity_id"]))
                  for m in shown if m.get("entity_id") not in (None, "")]
    same = {e for f, e in candidates if f == gold}
    if same:
        return same
    inside = [(len(f), e) for f, e in candidates if f and _bounded(f).search(gold)]
    if inside:
        longest = max(n for n, _ in inside)
        return {e for n, e in inside if n == longest}
    around = [(len(f), e) for f, e in candidates if _bounded(gold).search(f)]
    if around:
        shortest = min(n for n, _ in around)
        return {e for n, e in around if n == shortest}
    return set()


def entity_figures(s: Shown, apart: list) -> dict:
    mentions = defaultdict(list)  # gold entity -> [(form, predicted ids)]
    for i, g in enumerate(s.gold):
        if g["expect"] == "article" and g.get("entities"):
            shown = s.value(i, "entities") or []
            for m in g["entities"]:
                mentions[m["entity"]].append((m["form"], mention_ids(m["form"], shown)))
    groups = [e for e, ms in mentions.items() if len({f for f, _ in ms}) >= 2]
    whole, pair_share = 0, []
    for e in groups:
        ids = [x for _, x in mentions[e]]
        whole += all(len(x) == 1 for x in ids) and len(set().union(*ids)) == 1
        total = n_pairs(len(ids))
        pair_share.append(sum(bool(a & b) for a, b in combinations(ids, 2)) / total if total else 1.0)
    n_mentions = sum(len(ms) for ms in mentions.values())
    linked = sum(bool(x) for ms in mentions.values() for _, x in ms)
    pairs = [(a, b) for a, b in apart if a in mentions and b in mentions]
    kept = sum(not (set().union(*[x for _, x in mentions[a]]) & set().union(*[x for _, x in mentions[b]]))
               for a, b in pairs)
    return {"entity_mentions": n_mentions, "entity_mentions_linked": share(linked, n_mentions),
            "entity_groups": len(groups), "entity_group_recall": share(whole, len(groups)),
            "entity_pair_recall": round(sum(pair_share) / len(pair_share), 4) if pair_share else None,
            "apart_pairs": len(pairs), "apart_precision": share(kept, len(pairs))}


BY_SOURCE = ("lines", "published_or_refused", "date_accuracy", "agency_accuracy", "title_exact", "body_f1",
             "countries_f1")


def source_figures(s: Shown, fold: dict[str, str] | None) -> dict:
    """The field figures per kind of source (duc, reuters, syndication, extraction, reject)."""
    kinds = defaultdict(list)
    for i, g in enumerate(s.gold):
        kinds[g["source"].split(":")[0]].append(i)
    return _figures_by(s, fold, kinds)


FORMATTED = ("duc", "reuters")  # sources whose last part names the format they were given in


def format_figures(s: Shown, fold: dict[str, str] | None) -> dict:
    """The same figures per format of a source given in several (``reuters/md``,
    ``duc/html``): a figure that falls in one format only points at how that format is read.
    Not a figure of the reference scorer's, so kept apart from ``by_source``."""
    kinds = defaultdict(list)
    for i, g in enumerate(s.gold):
        kind, *rest = g["source"].split(":")
        if kind in FORMATTED and rest:
            kinds[f"{kind}/{rest[-1]}"].append(i)
    return _figures_by(s, fold, kinds)


def _figures_by(s: Shown, fold: dict[str, str] | None, kinds: dict[str, list[int]]) -> dict:
    out = {}
    for kind, lines in sorted(kinds.items()):
        right = sum((not s.refused[i]) == (s.gold[i]["expect"] == "article") for i in lines)
        figures = {**field_figures(s, fold, lines), "lines": len(lines),
                   "published_or_refused": round(right / len(lines), 4)}
        out[kind] = {key: figures[key] for key in BY_SOURCE}
    return out


def score(gold: list[dict], predictions: list[dict], apart: list, fold: dict[str, str] | None) -> dict:
    """Every figure for one set of predictions (and, under ``by_source``, per kind of source)."""
    s = Shown(gold, predictions)
    return {**reject_figures(s), **story_figures(s), **copy_figures(s), **field_figures(s, fold),
            **entity_figures(s, apart), "by_source": source_figures(s, fold),
            "by_format": format_figures(s, fold)}


def gold_shown_as_canonical(gold: list[dict]) -> list[dict]:
    """The gold itself, as a desk shows it whose reader of a copy lands on the copy group's
    first article, which lists the copy with its own headline and date: every field right
    except where a copy's text or credit differs from that first article's and where the
    set files one text under two events. What `eval desk` can reach at best, since it reads
    a copy through its canonical's page."""
    first: dict[str, int] = {}
    lines = []
    for i, g in enumerate(gold, 1):  # ids from 1: an id of 0 reads as none
        line = {"file": g["file"], "status": "ingested" if g["expect"] == "article" else "rejected",
                "article_id": i, "story_id": g.get("story") or f"own-{i}", "copy_of": None}
        group = g.get("copy_group")
        if group and group in first and g["expect"] == "article":
            line.update(status="duplicate", copy_of=first[group], story_id=None,  # filed with it too
                        published=g["published"], title=g["title"])  # listed with its own
        else:
            if group:
                first[group] = i
            line.update(published=g["published"], agency=g["agency"], title=g["title"], body=g["body"],
                        countries=g["countries"] or [],
                        entities=[{"form": m["form"], "entity_id": m["entity"]} for m in g.get("entities") or []])
        lines.append(line)
    return lines


def score_set(set_dir: Path, predictions: list[dict]) -> dict:
    set_dir = Path(set_dir)
    gold = read_jsonl(set_dir / "gold.jsonl")
    apart = json.loads((set_dir / "apart.json").read_text(encoding="utf-8"))
    return score(gold, predictions, apart, country_fold(places_table(set_dir)))
