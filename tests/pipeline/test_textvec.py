"""The tokeniser and vector helpers that story clustering and related articles share."""

import math

from newsdesk.pipeline.textvec import (
    forget_terms,
    norm,
    sublinear,
    term_counts,
    term_sequence,
    weighted_norm,
    words,
)


def test_words_fold_case_and_accents_and_split_on_punctuation():
    assert words("Rajavi’s PMOI—in “Paris”, Théâtre 3rd-rate") == [
        "rajavi", "s", "pmoi", "in", "paris", "theatre", "3rd", "rate"
    ]


def test_words_of_any_script_stay_words():
    # a Persian or Russian article clusters on its own words, not on nothing
    assert words("Тегеран, Иран") == ["тегеран", "иран"]
    assert term_sequence("سپاه پاسداران") == ["سپاه", "پاسداران"]


def test_figures_stop_words_and_single_letters_are_no_terms():
    assert term_sequence("In 1987 the U.S. fleet sailed 19th") == [
        None, None, None, None, None, "fleet", "sailed", None
    ]


def test_plural_and_possessive_fold_to_one_term():
    forget_terms()
    assert term_counts("Sanctions on Iran's banks; a sanction, a bank") == {
        "sanction": 2, "iran": 1, "bank": 2
    }


def test_sublinear_uses_the_log_for_whole_and_fractional_counts():
    assert sublinear({"a": 1, "b": 10, "c": 1000, "d": 0}) == {
        "a": 1.0, "b": 1.0 + math.log(10), "c": 1.0 + math.log(1000)
    }
    assert sublinear({"a": 2.5}) == {"a": 1.0 + math.log(2.5)}


def test_norms_match_the_plain_formula():
    vec = {"a": 3.0, "b": 4.0}
    assert norm(vec) == 5.0
    assert math.isclose(weighted_norm(vec, {"a": 2.0, "b": 0.5, "c": 9.0}), math.sqrt(36 + 4))


def test_a_text_of_every_code_point_does_not_grow_the_table_without_bound():
    from newsdesk.pipeline import textvec

    crafted = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 30_000))  # one long CJK "word"
    assert words(crafted + " end")[-1] == "end"
    assert len(textvec._WORD_CHARS) <= textvec._WORD_CHARS_KEPT


def test_overlong_words_are_no_terms():
    assert term_sequence("token " + "a" * 41 + " " + "b" * 40) == ["token", None, "b" * 40]
