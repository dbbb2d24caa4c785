"""Entities in Persian and Arabic text: the alias file's names in other scripts."""

from __future__ import annotations

import pytest

from newsdesk.pipeline.aliases import AliasFileError, Entity, load_aliases
from newsdesk.pipeline.entities import find_mentions
from newsdesk.pipeline.gazetteer import name_key
from newsdesk.pipeline.known_names import KnownNames, known_names, reads_latin


def names(title: str, *paragraphs: str) -> dict[str, tuple[str, ...]]:
    return {m.name: m.aliases for m in find_mentions(title, list(paragraphs))}


def test_a_persian_report_names_the_entities_of_the_english_ones():
    found = names(
        "رهبر حزب‌الله با آیت‌الله علی خامنه‌ای دیدار کرد",
        "سخنگوی سپاه پاسداران گفت فرمانده سپاه قدس نیز حضور داشت.",
        "سازمان مجاهدین خلق و مریم رجوی این دیدار را محکوم کردند.",
    )
    assert found == {
        "Hezbollah": ("حزب‌الله",),
        "Ali Khamenei": ("آیت‌الله علی خامنه‌ای",),
        "Islamic Revolutionary Guard Corps": ("سپاه پاسداران",),
        "Quds Force": ("سپاه قدس",),  # the longer name wins over "سپاه"
        "People's Mojahedin Organization of Iran": ("سازمان مجاهدین خلق",),
        "Maryam Rajavi": ("مریم رجوی",),
    }


def test_arabic_spellings_meet_the_persian_ones():
    # Arabic yeh and kaf, a space for the non-joiner, glued "and": one entity each
    found = names("", "قال الحرس الثوري الإيراني إن حزب الله وحماس وكتائب حزب الله في بغداد")
    assert found == {
        "Islamic Revolutionary Guard Corps": ("الحرس الثوري الإيراني",),
        "Hezbollah": ("حزب الله",),
        "Hamas": ("حماس",),
        "Kata'ib Hezbollah": ("كتائب حزب الله",),
    }


def test_a_preposition_glued_to_a_one_word_name_is_another_word():
    # "بحماس" is "with zeal"; "الخميني" keeps the article it is written with
    assert names("", "تحدث بحماس عن الخميني") == {"Ruhollah Khomeini": ("الخميني",)}


def test_counts_and_positions_follow_the_text():
    title, body = "خامنه‌ای سخنرانی کرد", ["خامنه‌ای گفت", "و باز خامنه‌ای"]
    (mention,) = find_mentions(title, body)
    assert mention.count == 3 and mention.first_position == 0
    (mention,) = find_mentions("سخنرانی", body)
    assert mention.first_position == len("سخنرانی") + 2


def test_latin_names_in_such_text_need_their_capital():
    assert names("", "گزارش us درباره ایران") == {}
    assert "NATO" in names("", "گزارش NATO و ناتو درباره ایران")


def test_the_script_decides_which_reader_runs():
    assert reads_latin(["Iran said on Monday"]) and reads_latin([""])
    assert not reads_latin(["ایران روز دوشنبه گفت", "Iran"])
    # English text still goes through the model: a name the file does not know is found
    assert "Jane Doerfler" in names("Jane Doerfler visits Tehran", "Jane Doerfler said so.")


def test_every_spelling_in_the_file_names_its_own_entity():
    table = load_aliases()
    matcher = KnownNames.from_table(table)
    for entity in table.entities.values():
        for surface in (entity.name, *entity.aliases):
            words = tuple(name_key(surface).split())
            assert matcher.names[words] == entity.name, (surface, matcher.names[words])


def test_the_matcher_is_rebuilt_for_a_new_table():
    table = load_aliases()
    assert known_names(table) is known_names(table)
    merged = table.with_merges([("رهبر انقلاب", "Ali Khamenei")], [])
    assert names_in(merged, "رهبر انقلاب گفت") == {"Ali Khamenei"}
    assert names_in(table, "رهبر انقلاب گفت") == set()


def names_in(table, text: str) -> set[str]:
    return {m.name for m in find_mentions("", [text], aliases=table)}


def test_other_scripts_must_name_an_entity(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("entities:\n  - {name: Hamas, kind: org}\nother_scripts:\n  Hizbollah: [حزب الله]\n",
                    encoding="utf-8")
    with pytest.raises(AliasFileError, match="Hizbollah"):
        load_aliases(path)
    path.write_text("entities:\n  - {name: Hamas, kind: org}\nother_scripts:\n  Hamas: [حماس]\n",
                    encoding="utf-8")
    assert load_aliases(path).entities["Hamas"] == Entity("Hamas", "org", ("حماس",))
