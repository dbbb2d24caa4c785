"""A Persian report on the desk: filed in the region tree and given a story, like any other."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = """ایران عراق را به حمله پهپادی به پالایشگاه تهران متهم کرد

سخنگوی وزارت خارجه ایران روز شنبه گفت پهپادهایی که به پالایشگاه تهران حمله کردند از خاک عراق پرواز کرده بودند.

دولت عراق این اتهام را رد کرد و گفت بغداد اجازه نمی‌دهد خاکش علیه همسایگانش به کار رود.

آتش‌سوزی در پالایشگاه پس از چند ساعت مهار شد.
"""


def test_a_persian_report_is_filed_and_clustered(tmp_path, capsys):
    path = tmp_path / "report-fa.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["ingest", str(path), "--json"]) == 0
    item = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert item["status"] == "ingested", item
    assert item["category_path"][0] == "Iran & Its Neighbours"
    assert {c["code"] for c in item["countries"]} == {"IR", "IQ"}

    from newsdesk.desk.models import Article

    article = Article.objects.get()
    assert article.language == "fa"
    assert article.story_id is not None  # the tokeniser reads Persian words now

