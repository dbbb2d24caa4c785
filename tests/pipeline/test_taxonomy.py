"""The region tree: the packaged file, lookups, and errors that name the line to fix."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from newsdesk.pipeline.taxonomy import TaxonomyError, load_tree, parse_tree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "places"

REGION = [
    "IR", "IQ", "AF", "PK", "TR", "SY", "LB", "IL", "PS", "JO",
    "SA", "KW", "BH", "QA", "AE", "OM", "YE", "AZ", "AM", "TM",
]  # fmt: skip


@pytest.fixture(scope="module")
def tree():
    return load_tree()


def test_every_iso_country_lands_once(tree):
    codes = [n.code for n in tree.walk() if n.code]
    assert len(codes) == len(set(codes))
    assert set(codes) == {c.alpha_2 for c in pycountry.countries}


@pytest.mark.parametrize("code", REGION)
def test_region_countries_sit_under_iran_and_its_neighbours(tree, code):
    path = tree.path(tree.node_for_code(code))
    assert [n.slug for n in path][0] == "iran-and-its-neighbours"
    assert len(path) == 2 and path[-1].code == code


@pytest.mark.parametrize(
    "code, slugs",
    [
        ("IQ", ["iran-and-its-neighbours", "iraq"]),
        ("PS", ["iran-and-its-neighbours", "palestinian-territories"]),
        ("FR", ["world", "europe", "france"]),
        ("US", ["world", "north-america", "united-states"]),
        ("NO", ["world", "europe", "norway"]),
    ],
)
def test_path_is_root_first(tree, code, slugs):
    assert [n.slug for n in tree.path(tree.node_for_code(code))] == slugs


def test_names_are_reader_facing(tree):
    assert tree.node_for_code("PS").name == "Palestinian territories"
    assert tree.node_for_code("IR").name == "Iran"
    assert tree.node_for_code("TR").name == "Turkey"
    assert tree.node_for_code("CD").name == "Democratic Republic of the Congo"
    assert all("(" not in n.name and ", The" not in n.name for n in tree.walk())
    assert tree.roots[0].name == "Iran & Its Neighbours"


def test_walk_is_depth_first_parents_first(tree):
    seen = set()
    for node in tree.walk():
        assert node.parent is None or node.parent.slug in seen
        seen.add(node.slug)


def test_lookup_is_case_blind_and_unknown_code_is_a_key_error(tree):
    assert tree.node_for_code("iq").code == "IQ"
    with pytest.raises(KeyError, match="ZZ"):
        tree.node_for_code("ZZ")


def test_small_file_with_rest_and_norway(tmp_path):
    tree = load_tree(FIXTURES / "regions_small.yaml")
    assert tree.node_for_code("NO").parent.slug == "gulf"
    assert tree.node_for_code("AE").name == "Emirates"
    assert [n.slug for n in tree.path(tree.node_for_code("LB"))] == [
        "everywhere-else", "levant", "lebanon"]  # fmt: skip
    assert tree.node_for_code("FR").parent.slug == "everywhere-else"  # filled by rest: true


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("regions_unknown_code.yaml", r"line 6: unknown country code 'XQ'"),
        ("regions_duplicate_slug.yaml", r"line 10: duplicate slug 'gulf' \(first used on line 3\)"),
        ("regions_duplicate_country.yaml", r"line 8: country QA listed twice \(first on line 4\)"),
        ("regions_no_rest.yaml", r"are in no region; list them or mark one region `rest: true`"),
    ],
)
def test_invalid_files_name_the_line(fixture, message):
    with pytest.raises(TaxonomyError, match=message) as info:
        load_tree(FIXTURES / fixture)
    assert fixture in str(info.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("- just a list", "expected a mapping"),
        ("regions: {a: 1}", "`regions` must be a list"),
        ("regions:\n  - slug: x\n", "line 2: a region needs a `name`"),
        ("regions:\n  - name: X\n    colour: red\n", "unknown key"),
        ("regions:\n  - name: X\n    slug: Not A Slug\n", "lowercase letters"),
        ("regions: [", "not valid YAML"),
    ],
)
def test_malformed_text(text, message):
    with pytest.raises(TaxonomyError, match=message):
        parse_tree(text, "inline")
