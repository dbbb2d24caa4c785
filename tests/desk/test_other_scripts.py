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


def ingest_text(folder, capsys, text: str) -> dict:
    """`newsdesk ingest FILE --json` for a plain-text dump: its JSON line, ingested."""
    path = folder / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["ingest", str(path), "--json"]) == 0
    item = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert item["status"] == "ingested", item
    return item


def test_a_persian_report_is_filed_and_clustered(tmp_path, capsys):
    item = ingest_text(tmp_path, capsys, REPORT)
    assert item["category_path"][0] == "Iran & Its Neighbours"
    assert {c["code"] for c in item["countries"]} == {"IR", "IQ"}

    from newsdesk.desk.models import Article

    article = Article.objects.get()
    assert article.language == "fa"
    assert article.story_id is not None  # the tokeniser reads Persian words now


ARABIC_WIRE = """العراق والكويت يتفقان على ترسيم الحدود البحرية

بغداد (رويترز) - قال مسؤولون عراقيون يوم الثلاثاء إن العراق والكويت اتفقا على استئناف ترسيم الحدود البحرية بينهما بعد توقف دام عامين.

وقالت وزارة الخارجية العراقية في بيان إن لجنة مشتركة ستجتمع في الكويت الشهر المقبل.

وأكدت الحكومة الكويتية أن الاتفاق يحترم قرارات الأمم المتحدة.
"""


def test_an_arabic_wire_story_keeps_its_dateline_and_agency_apart(tmp_path, capsys):
    item = ingest_text(tmp_path, capsys, ARABIC_WIRE)
    assert item["agency"] == "Reuters"
    assert item["dateline_place"] == "بغداد"
    assert item["body"].startswith("قال مسؤولون عراقيون")  # the dateline is cut from the lede
    codes = [c["code"] for c in item["countries"]]
    assert codes[0] == "IQ" and "KW" in codes


def test_entities_named_in_persian_get_their_own_rows_and_pages(client):
    from newsdesk.desk.entities import entity_for
    from newsdesk.pipeline.documents import Mention

    rajavi = entity_for(Mention("مریم رجوی", "person"))
    khamenei = entity_for(Mention("علی خامنه‌ای", "person"))
    # an ASCII slug of either is empty: both once landed on one row called "entity"
    assert rajavi.pk != khamenei.pk
    assert rajavi.slug == "مریم-رجوی"
    page = client.get(rajavi.get_absolute_url())
    assert page.status_code == 200
    assert "مریم رجوی" in page.content.decode()
    assert client.get(rajavi.get_absolute_url().rstrip("/") + ".json").status_code == 200
    assert client.get(rajavi.get_absolute_url() + "feed/rss/").status_code == 200
    assert entity_for(Mention("Maryam Rajavi", "person")).slug == "maryam-rajavi"


PERSIAN_ON_RAJAVI = """مریم رجوی در پاریس از سپاه پاسداران انتقاد کرد

مریم رجوی روز شنبه در گردهمایی شورای ملی مقاومت ایران در پاریس گفت سپاه پاسداران باید در فهرست گروه‌های تروریستی قرار گیرد.

او از اتحادیه اروپا خواست در این باره تصمیم بگیرد و گفت کشورهای اروپایی نباید با تهران معامله کنند.

به گفته سازمان‌دهندگان، هزاران نفر از ایرانیان مقیم اروپا و آمریکا در این گردهمایی شرکت داشتند و شعارهایی علیه حکومت سر دادند.
"""

ENGLISH_ON_RAJAVI = """Rajavi urges EU to list the Revolutionary Guards

Maryam Rajavi, the leader of the National Council of Resistance of Iran, told a rally in Paris on Saturday that the European Union should list the IRGC as a terrorist group.

Rajavi said the Revolutionary Guards were behind the crackdown.
"""


def test_a_persian_report_and_an_english_one_share_their_entities(tmp_path, client, capsys):
    from newsdesk.desk.models import Article, Entity

    for name, text in (("fa.txt", PERSIAN_ON_RAJAVI), ("en.txt", ENGLISH_ON_RAJAVI)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["ingest", str(tmp_path), "--json"]) == 0
    persian = Article.objects.get(language="fa")
    english = Article.objects.exclude(pk=persian.pk).get()
    for canonical in ("Maryam Rajavi", "Islamic Revolutionary Guard Corps",
                      "National Council of Resistance of Iran", "European Union"):
        entity = Entity.objects.get(name=canonical)
        assert set(entity.mentions.values_list("article", flat=True)) == {persian.pk, english.pk}
    rajavi = Entity.objects.get(name="Maryam Rajavi")
    page = client.get(rajavi.get_absolute_url()).content.decode()
    assert "مریم رجوی" in page  # the entity's page lists the Persian spelling
    assert persian.get_absolute_url() in page and english.get_absolute_url() in page
