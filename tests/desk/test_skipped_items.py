"""Items passed over inside a file are reported, each with its reason, never dropped in
silence: a feed whose entries are all unusable, a WARC whose only page is over the cap.

`newsdesk ingest` used to print "done: nothing to do" and exit 0 for these, as if the
files had been empty. Each case is run through the CLI, in text and in `--json`.
"""

from __future__ import annotations

import io
import json

import pytest

from newsdesk.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPHS = [
    "Iraq's parliament passed the long-delayed federal budget late on Sunday, ending months "
    "of dispute between Baghdad and Erbil over oil revenue and public sector salaries.",
    "The budget sets spending at a record level and assumes an oil price well above the "
    "current market, a gap that economists in Baghdad said would have to be borrowed.",
    "Kurdish lawmakers, who had boycotted two earlier sessions, returned after a deal on "
    "the share of the Kurdistan Region, which will now export its oil through the state "
    "marketer.",
]
GOOD_ITEM = (
    "<item><title>Iraq passes delayed budget after Erbil deal</title>"
    "<link>https://gulf.example/2026/12/iraq-budget</link>"
    "<guid>https://gulf.example/2026/12/iraq-budget</guid>"
    "<pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate>"
    f"<description><![CDATA[{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}]]></description></item>"
)
# A CMS export gone wrong: the items kept their dates, authors and categories, and lost
# everything a reader needs (title, link, guid, text).
HOLLOW_ITEMS = (
    "<item><pubDate>Mon, 07 Dec 2026 09:00:00 GMT</pubDate>"
    "<author>desk@gulf.example (Gulf Desk)</author></item>"
    "<item><category>Iraq</category><description></description></item>"
    "<item><title>   </title><link></link></item>"
)


def rss(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Gulf Wire</title><link>https://gulf.example/</link>"
        f"<description>News from the Gulf</description>{items}</channel></rss>"
    ).encode()


# An Atom download cut off mid-transfer: the first entry's text never arrived, the second
# breaks off inside an element name.
TRUNCATED_ATOM = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>Levant Desk</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>"
    b"<updated>2026-12-07T08:00:00Z</updated>"
    b"<entry><updated>2026-12-07T08:00:00Z</updated><author><name>Staff</name></author></entry>"
    b"<entry><updated>2026-12-07T09:00:00Z</upd"
)

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "Kabul Notes",
    "items": [{"date_published": "2026-12-07T08:00:00Z", "tags": ["Afghanistan"]}, "oops", None],
}).encode()


def run_ingest(capsys, *targets, as_json: bool) -> tuple[int, list, str]:
    """The exit code, the JSON objects (--json) or text lines, and the closing summary.

    The text lines go through the progress console, on stderr; JSON goes to stdout."""
    code = main(["ingest", *map(str, targets), *(["--json"] if as_json else [])])
    out = capsys.readouterr()
    if as_json:
        return code, [json.loads(line) for line in out.out.splitlines() if line.strip()], out.err
    lines = [line for line in out.err.splitlines() if line.strip()]
    return code, lines[:-1], lines[-1]


@pytest.mark.parametrize(
    ("name", "content", "count", "words"),
    [
        ("hollow.rss", rss(HOLLOW_ITEMS), 3, ["only: published, author", "only: tags", "it is empty"]),
        ("cut.atom", TRUNCATED_ATOM, 2, ["not well-formed XML", "only: updated, author"]),
        ("hollow.json", JSON_FEED, 3, ["only: date_published, tags", "a JSON string", "a JSON null"]),
    ],
)
def test_a_feed_whose_entries_are_all_unusable_reports_each_one(tmp_path, capsys, name, content,
                                                                count, words):
    path = tmp_path / name
    path.write_bytes(content)

    code, items, err = run_ingest(capsys, path, as_json=True)
    assert code == 1  # every input was refused: not a success
    assert "nothing to do" not in err and f"{count} rejected" in err
    assert [i["item"] for i in items] == [f"entry {n} of {count}" for n in range(1, count + 1)]
    assert {(i["status"], i["url"]) for i in items} == {("rejected", path.as_uri())}
    assert all(i["reason"] in ("empty", "invalid_feed") for i in items)
    messages = " | ".join(i["message"] for i in items)
    for word in words:
        assert word in messages

    code, lines, err = run_ingest(capsys, path, as_json=False)
    assert code == 1 and "nothing to do" not in err
    text = " ".join(" ".join(lines).split())  # the console wraps long lines
    assert text.count("rejected") == count and f"entry {count} of {count}" in text


def test_the_usable_entries_beside_unusable_ones_are_filed_and_kept(tmp_path, capsys):
    from newsdesk.desk.models import Article, Capture

    path = tmp_path / "mixed.rss"
    path.write_bytes(rss(HOLLOW_ITEMS + GOOD_ITEM))
    code, items, err = run_ingest(capsys, path, as_json=True)
    assert code == 0
    assert sorted(i["status"] for i in items) == ["ingested", "rejected", "rejected", "rejected"]
    [good] = [i for i in items if i["status"] == "ingested"]
    assert good["title"] == "Iraq passes delayed budget after Erbil deal"
    # the accepted entry's raw capture is kept, so it can be reprocessed later
    capture = Capture.objects.get(pk=good["capture_id"])
    assert b"Kurdistan Region" in bytes(capture.content)
    assert Article.objects.count() == 1
    assert "1 ingested, 3 rejected" in err


def write_warc(path, records) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, content_type, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2026-12-07T09:00:00Z"}))


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{body}</article></body></html>").encode()


CAP = 4000
LONG_READ = page("Inside Iraq's oil budget", PARAGRAPHS * 12)  # over CAP


def test_a_warc_whose_only_page_is_over_the_cap_says_so(tmp_path, capsys, monkeypatch):
    from newsdesk.desk.models import Capture

    assert len(LONG_READ) > CAP
    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", str(CAP))
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [("https://gulf.example/long-read", "text/html; charset=utf-8", LONG_READ)])

    code, [item], err = run_ingest(capsys, path, as_json=True)
    assert code == 1 and "nothing to do" not in err and "1 rejected" in err
    assert (item["status"], item["reason"]) == ("rejected", "too_large")
    assert item["url"] == item["item"] == "https://gulf.example/long-read"
    assert item["archive"] == path.as_uri()
    assert f"over the {CAP}-byte cap" in item["message"] and "NEWSDESK_FETCH_MAX_BYTES" in item["message"]
    assert not Capture.objects.exists()  # refused by the cap, as a fetch of it would be

    code, lines, err = run_ingest(capsys, path, as_json=False)
    assert code == 1 and "nothing to do" not in err
    text = " ".join(" ".join(lines).split())  # the console wraps long lines
    assert text.startswith("rejected https://gulf.example/long-read — too_large: the WARC record")


def test_a_warc_page_under_the_cap_is_filed_beside_the_one_over_it(tmp_path, capsys, monkeypatch):
    from newsdesk.desk.models import Capture

    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", str(CAP))
    path = tmp_path / "crawl.warc.gz"
    short = page("Iraq passes delayed budget after Erbil deal", PARAGRAPHS)
    write_warc(path, [("https://gulf.example/long-read", "text/html", LONG_READ),
                      ("https://gulf.example/budget", "text/html", short)])
    code, items, err = run_ingest(capsys, path, as_json=True)
    assert code == 0
    assert [(i["status"], i["reason"]) for i in items] == [("rejected", "too_large"), ("ingested", None)]
    kept = Capture.objects.get(pk=items[1]["capture_id"])
    assert (kept.origin, kept.url, bytes(kept.content)) == ("warc", "https://gulf.example/budget", short)


def test_a_warc_with_no_page_at_all_says_so(tmp_path, capsys):
    path = tmp_path / "assets.warc.gz"
    write_warc(path, [("https://gulf.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))])
    code, [item], err = run_ingest(capsys, path, as_json=True)
    assert code == 1 and "nothing to do" not in err
    assert (item["status"], item["reason"]) == ("rejected", "empty")
    assert "no HTML page or feed" in item["message"]


def test_a_subscribed_feed_reports_its_unusable_entries_at_each_poll(http_server, capsys):
    http_server.route("/rss.xml", body=rss(HOLLOW_ITEMS), content_type="application/rss+xml")
    url = http_server.url("/rss.xml")

    code, items, err = run_ingest(capsys, url, as_json=True)
    assert [i["status"] for i in items] == ["subscribed", "rejected", "rejected", "rejected"]
    assert {i["reason"] for i in items[1:]} == {"empty"} and items[3]["item"] == "entry 3 of 3"

    main(["refresh", "--all", "--json"])
    (polled,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert polled["status"] == "ok" and polled["items"] == []
    assert [s["item"] for s in polled["skipped"]] == ["entry 1 of 3", "entry 2 of 3", "entry 3 of 3"]

    main(["refresh", "--all"])
    out = capsys.readouterr().out
    assert "0 new, 3 skipped" in out and "entry 2 of 3 has no title" in " ".join(out.split())
