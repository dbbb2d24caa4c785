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
