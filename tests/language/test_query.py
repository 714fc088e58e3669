"""What a search query means on every store: its words, stems and the common words left out."""

from __future__ import annotations

from lofte.language.analyze import stopwords
from lofte.language.query import (
    MAX_TERM_CHARS,
    MAX_TERMS,
    SEARCH_STOPWORDS,
    QueryNotice,
    parse_query,
)


def test_a_query_is_read_in_bounded_pieces() -> None:
    long = parse_query("simhall " * 10_000 + "norrvik")
    assert long.words == ("simhall",)  # the first MAX_QUERY_CHARS characters only
    many = parse_query(" ".join(f"ord{i}" for i in range(40)))
    assert len(many.words) == len(many.stems) == MAX_TERMS
    assert many.beyond == tuple(f"ord{i}" for i in range(MAX_TERMS, 40))  # named, not lost
    assert parse_query("a" * 5000).words == ("a" * MAX_TERM_CHARS,)
    same = parse_query("simhallen SIMHALLARNA simhall")  # one stem: one word
    assert (same.words, same.stems) == (("simhallen",), ("simhall",))
    assert parse_query("-").notice == QueryNotice.NO_WORDS
    assert parse_query("  ").notice is None and parse_query("").notice is None
    assert parse_query("simhall och").as_dict() == {
        "words": ["simhall"],
        "common": ["och"],
        "beyond": [],
        "notice": None,
    }


def test_stop_words_cover_every_word_of_a_common_phrase() -> None:
    query = parse_query("Och ATT det är")
    assert (query.words, query.common, query.notice) == (
        (),
        ("och", "att", "det", "är"),
        QueryNotice.ONLY_COMMON,
    )


def test_words_readers_search_for_are_searched_though_the_linker_ignores_them() -> None:
    """The search leaves out function words only: the linker's longer stop list holds words a
    reader looks for, and both stores index them."""
    for word in ("höger", "beslut", "år"):
        assert word in stopwords()  # the linker's list
        assert parse_query(word).words == (word,) and parse_query(word).notice is None
    assert stopwords() > SEARCH_STOPWORDS and len(SEARCH_STOPWORDS) == 114


def test_boolean_operators_in_capitals_are_separators() -> None:
    """QA: "kultur AND skola" searched "and" as a prefix too (it matches "andel"): no hit."""
    assert parse_query("kultur AND skola NEAR bad OR NOT simhall").words == (
        "kultur",
        "skola",
        "bad",
        "simhall",
    )
    assert parse_query("AND OR").notice == QueryNotice.NO_WORDS
    assert parse_query("not near").words == ("not", "near")  # lower case: words as typed


def test_definite_forms_snowball_leaves_whole_are_searched_as_their_lemma() -> None:
    """QA: "äldreboendet" found no pledge where "äldreboende" found one, and "förskolan" fewer
    than "förskola": Snowball strips "-en" and "-arna" but keeps "-an" and often "-et"."""
    for forms, stem, lemma in [
        (("äldreboendet", "äldreboendets", "äldreboendena", "äldreboende"), "äldreboend", None),
        (("förskolan", "förskolans", "förskola", "förskolorna"), "förskol", None),
        (("skolan", "skola"), "skol", "skola"),
        (("barnet", "barn"), "barn", "barn"),
        (("programmet",), "program", "program"),
        (("sjövikskolan",), "sjövikskol", "sjövikskola"),  # a compound the lemma list lacks
    ]:
        for word in forms:
            assert parse_query(word).stems == (stem,), word
        if lemma is not None:  # what PostgreSQL is given to stem: it yields the same stem
            assert parse_query(forms[0]).forms == (lemma,)
            assert parse_query(forms[0]).words == (forms[0],)  # as typed, for the page
    # words that only look definite keep their stem, and a reduction is never shorter than
    # MIN_REDUCED_CHARS ("rest" is no "res", "sjön" no "sjö"): a reduced query finds all it
    # found before
    for word in ("organ", "plan", "budget", "japan", "rest", "sjön", "simhallen"):
        query = parse_query(word)
        assert query.forms == query.words, word
    assert parse_query("skola skolan").words == ("skola",)  # one stem: one word
