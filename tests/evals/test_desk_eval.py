"""`newsdesk eval desk` end to end on a tiny hand-made set, on SQLite and on PostgreSQL.

The set has the benchmark's format: two outlet pages carrying one wire story word for word
(a known copy pair), another outlet page, a wire story in the classic text layout, an RSS
file of two items (gold keyed by guid) and an empty file (a known reject). The command runs
as its own process (it picks its scratch database before Django starts, never the desk's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newsdesk.evals import desk_score

STORY = [
    "Iraq's oil minister said on Tuesday that exports through the northern pipeline to Turkey "
    "would resume next week after repairs to a pumping station damaged by a fire last month.",
    "The pipeline carries about a quarter of the country's crude exports and its closure had cut "
    "shipments from the Mediterranean port of Ceyhan to their lowest level in two years.",
    "Engineers from the state oil company finished welding the damaged section on Sunday and "
    "pressure tests were under way, the minister told reporters in Baghdad.",
]
OTHER = [
    "Farmers in southern France blocked roads with tractors on Monday to protest against falling "
    "milk prices and cheap imports, the regional farmers' union said.",
    "The union said several hundred farmers took part and that more protests were planned for the "
    "coming weeks unless the government agreed to meet their leaders.",
    "Police said traffic on the motorway between Toulouse and Bordeaux had been diverted for most "
    "of the afternoon while the tractors stood across the road.",
]
FEED_ITEMS = [
    ("urn:uuid:1b0c5b1e-0000-4000-8000-000000000001", "Kuwait raises crude output ceiling",
     "Mon, 09 Mar 2026 08:00:00 GMT",
     ["Kuwait raised the ceiling on its crude oil output on Monday, the oil ministry said in a "
      "statement carried by the state news agency, citing stronger demand from Asian refiners.",
      "The ministry gave no figure for the new ceiling but said the change would take effect at "
      "the start of next month and would be reviewed at the end of the quarter."]),
    ("urn:uuid:1b0c5b1e-0000-4000-8000-000000000002", "Qatar signs gas supply deal with Japan",
     "Sun, 08 Mar 2026 08:00:00 GMT",
     ["Qatar signed a long-term agreement on Sunday to supply liquefied natural gas to a group of "
      "Japanese utilities, the state energy company said in Doha.",
      "Deliveries under the agreement are due to begin in two years and to run for fifteen years, "
      "the company said, without giving the value of the contract."]),
]
WIRE = """ 9-MAR-1987 10:15:02.11

GULF STATES MEET ON OIL PRICES
    ABU DHABI, March 9 - Oil ministers from six Gulf states met
in Abu Dhabi on Monday to discuss oil prices and production
levels, officials said.
    The ministers were expected to reaffirm their support for the
official prices set by the Organisation of Petroleum Exporting
Countries in December, the officials said.
 Reuter
"""


def page(outlet: str, title: str, paragraphs: list[str], when: str, nav: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title} | {outlet}</title>"
            f'<meta property="og:site_name" content="{outlet}"></head><body>'
            f"<nav>{nav}</nav><article><h1>{title}</h1><time datetime=\"{when}\">{when}</time>{body}</article>"
            f"<footer>© {outlet}. All rights reserved.</footer></body></html>")


def rss() -> str:
    items = "".join(
        f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
        f"<link>https://wire.example/{n}</link><pubDate>{date}</pubDate>"
        f"<description>{paras[0]}</description>"
        f"<content:encoded><![CDATA[{''.join(f'<p>{p}</p>' for p in paras)}]]></content:encoded></item>"
        for n, (guid, title, date, paras) in enumerate(FEED_ITEMS))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
            f"<link>https://wire.example/</link><description>Wire stories</description>{items}</channel></rss>")


def gold(file, expect="article", copy_group=None, published=None, title=None, body=None, countries=None):
    return {"file": file, "expect": expect, "story": None, "copy_group": copy_group, "published": published,
            "agency": None, "title": title, "body": body, "countries": countries, "entities": None,
            "source": "reject:empty" if expect == "reject" else "hand:made", "unscored": ["agency"]}


@pytest.fixture
def tiny_set(tmp_path):
    inputs = tmp_path / "set" / "inputs"
    inputs.mkdir(parents=True)
    title = "Iraq to resume northern oil exports next week"
    (inputs / "0001.txt").write_text(WIRE, encoding="utf-8")
    (inputs / "0002.html").write_text(page("The Gulf Ledger", title, STORY, "2026-03-10",
                                           "<a href='/'>Home</a> <a href='/world'>World</a>"), encoding="utf-8")
    (inputs / "0003.html").write_text(page("Basra Daily", title, STORY, "2026-03-10",
                                           "<ul><li><a href='/'>Front page</a></li></ul>"), encoding="utf-8")
    (inputs / "0004.xml").write_text(rss(), encoding="utf-8")
    (inputs / "0005.txt").write_bytes(b"")
    (inputs / "0006.html").write_text(page("Midi Today", "Farmers block roads in protest over milk prices",
                                           OTHER, "2026-03-09", "<a href='/'>Home</a>"), encoding="utf-8")
    lines = [
        gold("inputs/0001.txt", published="1987-03-09", title="GULF STATES MEET ON OIL PRICES"),
        gold("inputs/0002.html", copy_group="cg-1", published="2026-03-10", title=title,
             body="\n\n".join(STORY), countries=["IQ", "TR"]),
        gold("inputs/0003.html", copy_group="cg-1", published="2026-03-10", title=title,
             body="\n\n".join(STORY), countries=["IQ", "TR"]),
        *[gold(f"inputs/0004.xml#{guid}", published=day, title=t, body="\n\n".join(paras))
          for (guid, t, _, paras), day in zip(FEED_ITEMS, ("2026-03-09", "2026-03-08"), strict=True)],
        gold("inputs/0005.txt", expect="reject"),
        gold("inputs/0006.html", published="2026-03-09", title="Farmers block roads in protest over milk prices",
             body="\n\n".join(OTHER), countries=["FR"]),
    ]
    (tmp_path / "set" / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in lines), encoding="utf-8")
    (tmp_path / "set" / "apart.json").write_text("[]", encoding="utf-8")
    return tmp_path / "set"


def server_url(database: str) -> str:
    if database == "sqlite":
        return ""
    url = os.environ.get("NEWSDESK_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL run: set NEWSDESK_DATABASE_URL to a PostgreSQL server (make test-postgres)")
    return url


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_eval_desk_scores_what_the_reader_sees_beside_the_peer(tiny_set, tmp_path, database):
    url = server_url(database)
    predictions = tmp_path / "pred.jsonl"
    command = [sys.executable, "-m", "newsdesk.cli", "eval", "desk", "--data", str(tiny_set), "--json",
               "--predictions", str(predictions)]
    out = subprocess.run(command + (["--database-url", url] if url else []),
                         capture_output=True, text=True, timeout=600, check=True)
    result = json.loads(out.stdout)
    assert result["database"] == database and result["input_files"] == 6 and result["gold_lines"] == 7
    assert result["count_mismatches"] == []  # the feed's two items are two results
    ours, peer = result["newsdesk"], result["peer"]

    lines = {p["file"]: p for p in desk_score.read_jsonl(predictions)}
    assert list(lines) == [g["file"] for g in desk_score.read_jsonl(tiny_set / "gold.jsonl")]
    # the empty file is refused, by the desk and by the peer (trafilatura finds no text)
    assert lines["inputs/0005.txt"]["status"] == "rejected"
    assert ours["non_articles_refused"] == 1.0 and peer["non_articles_refused"] == 1.0
    # the two outlets' word-for-word pages are one wire story: the reader of either lands on one
    first, second = lines["inputs/0002.html"], lines["inputs/0003.html"]
    assert {first["copy_of"] or first["article_id"], second["copy_of"] or second["article_id"]} == {
        first["article_id"]} or second["copy_of"] is None and first["copy_of"] == second["article_id"]
    assert ours["copy_true_pairs"] == 1 and ours["copy_pairwise_r"] == 1.0
    # what the reader was shown of an ordinary page, read back through its JSON twin
    farmers = lines["inputs/0006.html"]
    assert farmers["status"] == "ingested" and farmers["title"].startswith("Farmers block roads")
    assert farmers["published"] == "2026-03-09" and "FR" in farmers["countries"]
    assert ours["body_r"] > 0.5
    # the figures printed are the scorer's on the predictions file, and the peer ran beside them
    again = desk_score.score_set(tiny_set, desk_score.read_jsonl(predictions))
    assert {k: again[k] for k in again if k != "by_source"} == {
        k: ours[k] for k in again if k != "by_source"}
    assert peer["copy_true_pairs"] == 1  # MinHash finds the verbatim copy too
    assert result["difference"]["body_f1"] == round(ours["body_f1"] - peer["body_f1"], 4)


def test_the_body_read_back_is_the_paragraphs_with_a_lede_the_page_printed_instead():
    from newsdesk.desk.desk_eval import shown_body

    first, rest = STORY[0], STORY[1:]

    def twin(excerpt, paragraphs):
        return {"excerpt": excerpt, "paragraphs": [{"text": p, "segments": []} for p in paragraphs]}

    # the page left out the first paragraph because the lede above it repeats it
    assert shown_body(twin(first, rest)) == "\n\n".join(STORY)
    # the lede is the first paragraph with its dateline: its words are not read twice
    assert shown_body(twin(f"BAGHDAD, March 10 (Reuters) - {first}", STORY)) == "\n\n".join(STORY)
    assert shown_body(twin("", STORY)) == "\n\n".join(STORY)


def test_a_feed_whose_results_do_not_match_its_gold_lines_is_named_not_guessed(tmp_path, region_tree):
    """Gold lists three items, the feed holds two: no line gets another item's result."""
    from newsdesk.desk.desk_eval import Reader, ingest_set

    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "0001.xml").write_text(rss(), encoding="utf-8")
    keys = [f"inputs/0001.xml#{guid}" for guid, *_ in FEED_ITEMS] + ["inputs/0001.xml#urn:uuid:gone"]
    results, notes = ingest_set(tmp_path, [{"file": k} for k in keys], progress=False)
    assert notes["count_mismatches"] == [{"file": "inputs/0001.xml", "gold_lines": 3, "results": 2}]
    assert results == {}
    assert Reader().line(keys[0], results.get(keys[0]))["status"] == "rejected"
