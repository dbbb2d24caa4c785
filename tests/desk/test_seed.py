"""The seed page — a real page of the kind of site we publish — must come out exactly right."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import main
from tests.conftest import need_seed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seed_item(capsys):
    seed = need_seed()
    assert main(["ingest", str(seed), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_seed_wire_fields(seed_item):
    item = seed_item
    assert item["status"] == "ingested"
    assert item["title"] == "Iran group say US responsible for members in Iraq"
    assert item["agency"] == "Reuters"
    assert item["byline"] == ["John Irish"]
    assert item["dateline_place"] == "Paris"
    assert item["dateline_date"] == {"year": None, "month": 1, "day": 6}
    assert item["credits"] == "Reporting By John Irish; Editing by Roger Atwood"
    assert item["excerpt"].startswith("Reuters: The leader of an Iranian dissident group")


def test_seed_body_has_lede_once_and_no_teasers(seed_item):
    body = seed_item["body"]
    lede = "The leader of an Iranian dissident group in Iraq said on Friday"
    assert body.startswith(lede)
    assert body.count(lede) == 1
    assert body.rstrip().endswith("When the U.S. makes a promise it should keep it.”")
    for kept in ("Maryam Rajavi, who heads", "Mortars hit the camp", "Bolton told Reuters",
                 "Baghdad has repeatedly said", "Mujahadin-e Khalq (MEK)"):
        assert kept in body
    for cut in ("Latest news", "Must read", "You might also like", "RELATED", "Recommended to you",
                "Iranian People’s Resistance Changed", "EU looks to take Iran group off terror list",
                "(Reporting By", "By John Irish", "PARIS, Jan 6"):
        assert cut not in body


def test_seed_filed_under_iraq_not_paris(seed_item):
    assert seed_item["category_path"] == ["Iran & Its Neighbours", "Iraq"]
    codes = [c["code"] for c in seed_item["countries"]]
    assert codes[0] == "IQ"
    assert "IR" in codes
    assert "FR" not in codes[:2]


def test_ingesting_twice_changes_nothing(seed_item, capsys):
    from newsdesk.desk.models import Article, Capture

    before = (Article.objects.count(), Capture.objects.count())
    assert main(["ingest", str(need_seed()), "--json"]) == 0
    again = json.loads(capsys.readouterr().out.strip())
    assert again["status"] == "duplicate"
    assert again["id"] == seed_item["id"]
    assert (Article.objects.count(), Capture.objects.count()) == before
