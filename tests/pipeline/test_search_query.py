"""The search box: what a reader types becomes terms, and no input is query syntax."""

from __future__ import annotations

import sqlite3

import pytest

from newsdesk.pipeline.search_query import MAX_QUERY_CHARS, MAX_TERMS, BadQuery, Term, parse


def test_words_are_required_in_any_order_and_lower_cased():
    terms = parse("  Rajavi   Ashraf ")
    assert terms.required == (Term(("rajavi",)), Term(("ashraf",)))
    assert terms.excluded == ()
    assert terms.normalised() == "rajavi ashraf"


def test_quotes_make_a_phrase_and_minus_leaves_out():
    terms = parse('"Camp Ashraf" -Liberty -"Hurriya camp"')
    assert terms.required == (Term(("camp", "ashraf"), exact=True),)
    assert terms.excluded == (Term(("liberty",)), Term(("hurriya", "camp"), exact=True))
    assert terms.normalised() == '"camp ashraf" -liberty -"hurriya camp"'


def test_a_trailing_star_is_a_prefix_but_not_on_one_letter():
    assert parse("sanction*").required == (Term(("sanction",), prefix=True),)
    assert parse("s*").required == (Term(("s",)),)


def test_an_unclosed_quote_runs_to_the_end():
    assert parse('Iran "nuclear talks').required == (Term(("iran",)), Term(("nuclear", "talks"), exact=True))


def test_repeated_terms_count_once():
    assert parse("iran Iran IRAN").required == (Term(("iran",)),)


def test_punctuation_inside_a_word_splits_it_as_the_index_does():
    assert parse("U.S.-Iran").required == (Term(("u", "s", "iran")),)


def test_other_scripts_are_words():
    assert parse("مریم رجوی").required == (Term(("مریم",)), Term(("رجوی",)))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("-iran", "not only what to leave out"),
        ('?! "" ()', "only punctuation"),
        ("x" * (MAX_QUERY_CHARS + 1), "at most"),
        (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "at most"),
    ],
)
def test_nothing_to_look_for_is_said_plainly(query, message):
    with pytest.raises(BadQuery, match=message):
        parse(query)


HOSTILE = [
    'title:iran',
    "iran AND OR NOT",
    "NEAR(iran iraq)",
    'iran"',
    "(((",
    "iran -",
    "a* b* ^c",
    "drop table; --",
    '"""',
    "{title body}: x",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_no_input_is_fts5_syntax(query):
    """Every expression built from a reader's input runs in a real FTS5 table."""
    try:
        terms = parse(query)
    except BadQuery:
        return
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    db.execute("INSERT INTO t VALUES ('Iran and Iraq', 'near the title of a body')")
    db.execute("SELECT rowid FROM t WHERE t MATCH ?", (terms.fts5(),)).fetchall()


def test_fts5_expression_means_what_the_reader_meant():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61')")
    rows = {
        1: "Sanctions on Iran tightened",
        2: "Camp Ashraf residents moved to Camp Liberty",
        3: "Ashraf camp closed",
        4: "Iraq and Iran talks",
    }
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", rows.items())

    def hits(query):
        return {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (parse(query).fts5(),))}

    assert hits("sanction") == {1}  # stemmed by the index's tokenizer
    assert hits("sanc*") == {1}
    assert hits('"camp ashraf"') == {2}
    assert hits("ashraf camp") == {2, 3}
    assert hits("ashraf -liberty") == {3}
    assert hits("iran -sanctions") == {4}
    assert hits("AND") == {4}  # a word, not an operator: the one article that has it
    assert hits("NOT") == set()


def test_tsquery_expression_joins_quoted_free_words():
    terms = parse('rajavi "camp ashraf" sanc* -liberty')
    assert terms.tsquery() == "(rajavi) & (camp <-> ashraf) & (sanc:*) & !(liberty)"


NAMES = {
    "mek": ["People's Mojahedin Organization of Iran", "PMOI", "MEK", "Mujahedin-e Khalq"],
    "maryam rajavi": ["Maryam Rajavi", "Mrs. Rajavi", "مریم رجوی"],
}


def test_a_known_name_also_finds_the_entitys_other_names():
    [term] = parse("MEK").with_names(NAMES.get).required
    assert term.names == (("people", "s", "mojahedin", "organization", "of", "iran"), ("pmoi",),
                          ("mujahedin", "e", "khalq"))
    assert parse("mek").with_names(NAMES.get).normalised() == "mek"  # the page says what was typed


def test_a_full_name_typed_without_quotes_is_the_person():
    [term] = parse("Maryam Rajavi").with_names(NAMES.get).required
    assert term.words == ("maryam", "rajavi")
    assert ("مریم", "رجوی") in term.names
    # words that name nobody together stay separate words
    assert len(parse("Rajavi Paris").with_names(NAMES.get).required) == 2


def test_prefixes_and_unknown_words_are_left_alone():
    terms = parse("mek* camp").with_names(NAMES.get)
    assert all(t.names == () for t in terms.required)


def test_a_quoted_phrase_means_exactly_its_words():
    """Quotes are the reader saying "these words": no other name of the entity is added."""
    [term] = parse('"Maryam Rajavi"').with_names(NAMES.get).required
    assert term.words == ("maryam", "rajavi") and term.names == ()
    [term] = parse('"MEK"').with_names(NAMES.get).required
    assert term.names == () and parse('"MEK"').normalised() == '"mek"'
    assert parse('iran "MEK"').with_names(NAMES.get).required[1].names == ()


def test_other_names_match_in_fts5_and_tsquery_alike():
    terms = parse("MEK -Rajavi").with_names({**NAMES, "rajavi": NAMES["maryam rajavi"]}.get)
    assert terms.tsquery().startswith("((mek) | (people <-> s <-> mojahedin")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", [
        (1, "The PMOI said on Friday"), (2, "Mujahedin-e Khalq members moved"),
        (3, "مریم رجوی spoke for the PMOI"), (4, "The MEK is banned"), (5, "Iraq votes")])
    rows = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (terms.fts5(),))}
    assert rows == {1, 2, 4}  # 3 names the excluded person by another of her names
