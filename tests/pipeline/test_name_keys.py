"""The keys one entity's names meet under across articles (pipeline/name_keys.py)."""

from __future__ import annotations

import pytest

from newsdesk.pipeline.name_keys import bare_key, full_key, short_keys


@pytest.mark.parametrize("a,b", [
    ("Commodity Credit Corporation", "Commodity Credit Corp"),
    ("Organisation for Economic Cooperation and Development", "Organization for Economic Cooperation and Development"),
    ("Organization of the Petroleum Exporting Countries", "Organization of Petroleum Exporting Countries"),
    ("Energy Department", "Department of Energy"),
    ("Petroleos de Venezuela SA", "Petroleos de Venezuela"),
])
def test_spellings_of_one_name_share_a_full_key(a, b):
    assert full_key(a) == full_key(b)


def test_different_names_keep_different_keys():
    assert full_key("Department of Energy") != full_key("Department of Agriculture")
    assert full_key("Bank of England") != full_key("Bank of Israel")


def test_short_keys_are_surnames_and_initials():
    assert short_keys("Ronald Reagan", "person") == {"reagan"}
    assert short_keys("Arturo Hernandez Grisanti", "person") == {"grisanti", "hernandez grisanti"}
    assert "oecd" in short_keys("Organisation for Economic Cooperation and Development", "org")
    assert "imf" in short_keys("International Monetary Fund", "org")
    assert short_keys("Reagan", "person") == set()  # a bare name is no full name


def test_bare_keys():
    assert bare_key("Reagan", "person") == "reagan"
    assert bare_key("IMF", "org") == "imf" and bare_key("U.N.", "org") == "un"
    assert bare_key("International Monetary Fund", "org") is None
    assert bare_key("Pemex", "org") == "pemex"  # a short name made of syllables


def test_a_word_of_the_name_is_no_short_name_of_it():
    from newsdesk.pipeline.name_keys import SHORT, keys_of

    keys = keys_of("Petroleos Mexicanos", "org", ["Petroleos Mexicanos", "Pemex", "Petroleos"])
    assert (SHORT, "pemex") in keys
    assert (SHORT, "petroleos") not in keys  # a word of several names, not a short name of one


def test_keys_of_an_entity_cover_its_names_and_the_forms_it_went_by():
    from newsdesk.pipeline.name_keys import FULL, SHORT, keys_of

    keys = keys_of("International Monetary Fund", "org", ["IMF", "International Monetary Fund"])
    assert (FULL, full_key("International Monetary Fund")) in keys and (SHORT, "imf") in keys
    other = keys_of("Petroleos de Venezuela", "org", ["Petroleos de Venezuela SA"])
    assert (SHORT, "pdvs") in other  # another long name gives its initials too


def test_a_country_abbreviation_qualifies_a_name_a_country_spelt_out_is_part_of_it():
    from newsdesk.pipeline.name_keys import FULL, keys_of, qualifier

    assert qualifier("U.S. Commodity Credit Corporation") == ("us", "Commodity Credit Corporation")
    assert (FULL, full_key("Department of Energy")) in keys_of("U.S. Department of Energy", "org", [])
    assert qualifier("Sudan People's Liberation Army") is None
    assert qualifier("Kuwait News Agency") is None and qualifier("U.S. House") is None


@pytest.mark.parametrize("a,b,near", [
    ("Aturo Hernandez Grisanti", "Arturo Hernandez Grisanti", True),
    ("Petroles de Venezuela", "Petroleos de Venezuela", True),
    ("Bank of Iran", "Bank of Iraq", False),  # too short, and the naming word differs
    ("Nancy Reagan", "Ronald Reagan", False),
    ("Saudi Arabian Monetary Agency", "Bahrain Monetary Agency", False),
    ("Petroleos Mexicanos", "Petroleos de Venezuela", False),
])
def test_near_spellings_are_one_slip_in_one_word(a, b, near):
    from newsdesk.pipeline.name_keys import near_spelling

    assert near_spelling(a, b) is near


def test_an_acronym_may_spell_out_a_legal_form():
    assert "pdvsa" in short_keys("Petroleos de Venezuela SA", "org")
