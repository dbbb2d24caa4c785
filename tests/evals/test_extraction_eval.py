"""`newsdesk eval extraction`'s per-source tables and its cross-validation (`--folds K`),
on small folders of real HTML pages written here (no shared data needed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsdesk.evals import extraction

ARTICLE = (
    "<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
    "<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us. All rights reserved.</footer>"
    "</body></html>"
)


def _body(n: int) -> str:
    return "\n".join(
        f"Paragraph {k} of story {n} tells how the council met on Tuesday and agreed a plan "
        f"for the harbour, which the mayor said would open to ships by the spring of next year."
        for k in range(4)
    )


def _folder(root: Path, name: str, count: int, datasets: list[str] | None = None) -> Path:
    folder = root / name
    (folder / "html").mkdir(parents=True)
    truth = {}
    rows = ["id\tdataset\toriginal_name\tlanguage\tsite\tid_matches_wceb"]
    for n in range(count):
        page_id = f"{name}{n:03d}"
        body = _body(n)
        html = ARTICLE.format(
            title=f"Story {n}", paragraphs="".join(f"<p>{line}</p>" for line in body.split("\n"))
        )
        (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": body}
        if datasets:
            rows.append(f"{page_id}\t{datasets[n % len(datasets)]}\tx\ten\t-\tTrue")
    (folder / "ground-truth.json").write_text(json.dumps(truth))
    if datasets:
        (folder / "sources.tsv").write_text("\n".join(rows) + "\n")
    return folder


def test_source_set_comes_from_sources_tsv_else_the_folder_name(tmp_path):
    wceb = _folder(tmp_path, "wceb", 4, ["alpha", "beta"])
    plain = _folder(tmp_path, "plain", 2)
    pages, sources = extraction.load_all([wceb, plain])
    assert [p[0] for p in pages] == ["wceb000", "wceb001", "wceb002", "wceb003", "plain000", "plain001"]
    assert sources == ["alpha", "beta", "alpha", "beta", "plain", "plain"]


def test_by_source_scores_each_set_and_all_pages_together():
    truths = ["one two three four five", "six seven eight nine ten", "alpha beta gamma delta"]
    preds = {"a": ["one two three four five", "", "alpha beta gamma delta"], "b": truths}
    tables = extraction.by_source(truths, ["x", "x", "y"], preds)
    assert list(tables) == ["x", "y", "all"]
    assert tables["x"]["a"]["recall"] == 0.5  # one page of two found
    assert tables["y"]["a"]["f1"] == 1.0
    assert tables["all"]["b"]["f1"] == 1.0
    assert tables["all"]["a"] == extraction.score(truths, preds["a"]) | {"empty": 1}


def test_folds_deal_every_source_set_across_the_parts():
    sources = ["x"] * 6 + ["y"] * 3
    ids = [f"p{n}" for n in range(9)]
    parts = extraction.fold_of(sources, ids, 3)
    for source in ("x", "y"):
        counts = [sum(1 for s, p in zip(sources, parts, strict=True) if s == source and p == k) for k in range(3)]
        assert max(counts) - min(counts) <= 1
    assert parts == extraction.fold_of(sources, ids, 3)  # the same split every run


def test_cross_validation_chooses_on_the_other_parts_only():
    truths = [f"word{n} alpha beta gamma delta" for n in range(6)]
    parts = [0, 0, 1, 1, 2, 2]
    # "leaky" is right exactly on part 0 and wrong elsewhere (F1 0.5 on parts 0+k);
    # "steady" finds every word but adds five (precision 2/7, F1 0.44 everywhere).
    leaky = [t if p == 0 else "nothing like it at all" for t, p in zip(truths, parts, strict=True)]
    steady = [t + " zeta eta theta iota kappa" for t in truths]
    result = extraction.cross_validate(
        truths, parts, 3, {"default": steady, "leaky": leaky}, {"peer": truths}
    )
    chosen = {fold["fold"]: fold["chosen"] for fold in result["folds"]}
    # Scoring part 0, "leaky" has F1 0 on the other parts, so it is not chosen there …
    assert chosen[1] == "default"
    assert result["folds"][0]["held_out"]["newsdesk"]["f1"] < 1.0
    # … while for parts 1 and 2 its perfect part 0 is among the training pages, and it fails
    # on the part left out.
    assert chosen[2] == chosen[3] == "leaky"
    assert result["folds"][1]["held_out"]["newsdesk"]["f1"] == 0.0
    assert result["folds"][0]["held_out"]["peer"]["f1"] == 1.0
    assert result["pooled"][:2] == steady[:2]
    for fold in result["folds"]:
        assert fold["train_pages"] + fold["test_pages"] == 6


def test_cli_prints_source_tables_and_held_out_folds(tmp_path, capsys):
    wceb = _folder(tmp_path, "wceb", 4, ["alpha", "beta"])
    plain = _folder(tmp_path, "plain", 2)
    code = extraction.main(
        ["--data", str(wceb), "--data", str(plain), "--only", "newsdesk", "--bootstrap", "0",
         "--by-source", "--folds", "2", "--json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pages"] == 6
    assert set(out["by_source"]) == {"alpha", "beta", "plain", "all"}
    assert out["by_source"]["all"]["newsdesk"]["f1"] == out["extractors"]["newsdesk"]["f1"]
    folds = out["folds"]
    assert folds["k"] == 2 and len(folds["per_fold"]) == 2
    assert all(f["chosen"] in extraction.variants() for f in folds["per_fold"])
    assert set(folds["held_out"]) == {"alpha", "beta", "plain", "all"}
    assert folds["held_out"]["all"]["newsdesk"]["f1"] > 0.9


def test_cli_refuses_a_single_fold(tmp_path, capsys):
    plain = _folder(tmp_path, "plain", 2)
    assert extraction.main(["--data", str(plain), "--only", "newsdesk", "--folds", "1"]) == 2
    assert "--folds" in capsys.readouterr().err
