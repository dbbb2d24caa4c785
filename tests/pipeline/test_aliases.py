"""The alias table: normalisation, the shipped file, near spellings, editor merges/splits."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.pipeline.aliases import (
    DEFAULT_ALIAS_FILE,
    KINDS,
    AliasFileError,
    AliasTable,
    Entity,
    load_aliases,
    load_lexicon,
    normalise,
)


@pytest.mark.parametrize(
    "raw, key",
    [
        ("People\u2019s Mujahideen", "peoples mujahideen"),
        ("PEOPLE'S MUJAHIDEEN", "peoples mujahideen"),
        ("Mujahadin-e Khalq", "mujahadin e khalq"),
        ("Mujahadin\u2013e  Khalq", "mujahadin e khalq"),
        ("the United Nations", "united nations"),
        ("The U.N.", "un"),
        ("Hizbollah", "hizbollah"),
        ("Qods Forc\u00e9", "qods force"),
        ("  Camp   Ashraf ", "camp ashraf"),
        ("Theodore", "theodore"),  # only the word "the" goes
    ],
)
def test_normalise(raw, key):
    assert normalise(raw) == key


@pytest.mark.parametrize(
    "surface, canonical, kind",
    [
        ("PMOI", "People's Mojahedin Organization of Iran", "org"),
        ("MEK", "People's Mojahedin Organization of Iran", "org"),
        ("Mujahadin-e Khalq", "People's Mojahedin Organization of Iran", "org"),
        ("Mujahedin-e Khalq", "People's Mojahedin Organization of Iran", "org"),
        ("People\u2019s Mujahideen Organization of Iran", "People's Mojahedin Organization of Iran", "org"),
        ("People's Mojahedin", "People's Mojahedin Organization of Iran", "org"),
        ("NCRI", "National Council of Resistance of Iran", "org"),
        ("Revolutionary Guards", "Islamic Revolutionary Guard Corps", "org"),
        ("Sepah", "Islamic Revolutionary Guard Corps", "org"),
        ("IRGC", "Islamic Revolutionary Guard Corps", "org"),
        ("Qods Force", "Quds Force", "org"),
        ("Hizballah", "Hezbollah", "org"),
        ("Daesh", "Islamic State", "org"),
        ("ISIL", "Islamic State", "org"),
        ("U.N.", "United Nations", "org"),
        ("the EU", "European Union", "org"),
        ("Ayatollah Ali Khamenei", "Ali Khamenei", "person"),
        ("Khamenei", "Ali Khamenei", "person"),
        ("Ashraf", "Camp Ashraf", "place"),
    ],
)
def test_shipped_file_resolves(surface, canonical, kind):
    entity = load_aliases().lookup(surface)
    assert entity is not None, surface
    assert (entity.name, entity.kind) == (canonical, kind)


def test_shipped_file_is_consistent():
    """Every kind is known and no spelling names two different entities."""
    import yaml

    data = yaml.safe_load(DEFAULT_ALIAS_FILE.read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for item in data["entities"]:
        assert item["kind"] in KINDS, item
        for surface in (item["name"], *(item.get("aliases") or ())):
            key = normalise(surface)
            assert owner.setdefault(key, item["name"]) == item["name"], (surface, owner[key])


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("Condoleeza Rice", "Condoleezza Rice"),
        ("Hilary Clinton", "Hillary Clinton"),
        ("Mahmud Ahmadinejad", "Mahmoud Ahmadinejad"),
        ("Rice", None),  # too short to guess
        ("Condoleezza Price", "Condoleezza Rice"),
        ("Donald Trump", None),
    ],
)
def test_near_spelling(surface, expected):
    entity = load_aliases().near(surface)
    assert (entity.name if entity else None) == expected


def test_merges_and_splits_are_applied_on_a_copy():
    table = load_aliases()
    edited = table.with_merges(
        merges=[("Mojahedin", "PMOI"), ("Harbour Workers Alliance", "HWA"), ("Hezbollah", "Hamas")],
        splits=[("Gulf", "Persian Gulf")],
    )
    assert edited.lookup("Mojahedin").name == "People's Mojahedin Organization of Iran"
    assert table.lookup("Mojahedin") is None  # the shipped table is untouched
    new = edited.lookup("Harbour Workers Alliance")
    assert (new.name, new.kind) == ("HWA", "")  # unknown target: a new entity, kind open
    assert edited.lookup("Hizballah").name == "Hamas"  # all names of a merged entity move
    assert "Hezbollah" not in edited.entities
    assert edited.lookup("Gulf").name == "Gulf"
    assert "Gulf" not in edited.lookup("Persian Gulf").aliases
    assert "Gulf" in table.lookup("Persian Gulf").aliases
    assert table.lookup("Gulf").name == "Persian Gulf"


def test_load_from_file(tmp_path: Path):
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "entities:\n  - name: Basra Dockers Union\n    kind: org\n    aliases: [BDU]\n",
        encoding="utf-8",
    )
    table = load_aliases(path)
    assert table.lookup("bdu") == Entity("Basra Dockers Union", "org", ("BDU",))


@pytest.mark.parametrize(
    "text",
    [
        "- just a list\n",
        "entities:\n  - kind: org\n",
        "entities:\n  - name: Foo\n    kind: company\n",
    ],
)
def test_malformed_file_is_refused(tmp_path: Path, text: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AliasFileError):
        load_aliases(path)


def test_from_entities_refuses_unknown_kind():
    with pytest.raises(AliasFileError, match="kind"):
        AliasTable.from_entities([Entity("Foo", "company")])


@pytest.mark.parametrize(
    "attr, word",
    [
        ("countries", "iran"),
        ("countries", "united kingdom"),
        ("cities", "baghdad"),
        ("cities", "paris"),
        ("demonyms", "iranian"),
        ("first_names", "maryam"),
        ("person_titles", "ayatollah"),
        ("person_titles", "secretary of state"),
        ("org_words", "ministry"),
        ("sports", "soccer"),
    ],
)
def test_lexicon_has(attr, word):
    assert word in getattr(load_lexicon(), attr)
