"""The Swedish analyzer: tokens with offsets, stopwords, stems, compound parts."""

from __future__ import annotations

import pytest

from lofte.language.analyze import Analyzer, CompoundSplitter, get_analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return get_analyzer()


def test_compound_parts_let_heltid_meet_deltidsarbete(analyzer: Analyzer) -> None:
    assert set(analyzer.terms("heltid")) & set(analyzer.terms("deltidsarbete"))
    assert "tid" in analyzer.terms("deltidsarbete")


def test_compound_parts_let_avgiftsbefria_meet_avgifterna(analyzer: Analyzer) -> None:
    shared = set(analyzer.terms("Avgiftsbefria")) & set(analyzer.terms("avgifterna"))
    assert shared == {"avgift"}


def test_without_compounds_they_do_not_meet() -> None:
    plain = Analyzer(compounds=False)
    assert not set(plain.terms("heltid")) & set(plain.terms("deltidsarbete"))
    assert not set(plain.terms("avgiftsbefria")) & set(plain.terms("avgifterna"))


def test_hyphenated_words_split_and_keep_offsets(analyzer: Analyzer) -> None:
    text = "Fler IOP-avtal och barn- och ungdomspsykiatrin"
    tokens = analyzer.tokens_with_spans(text)
    assert [t.text for t in tokens] == [
        "Fler",
        "IOP",
        "avtal",
        "och",
        "barn",
        "och",
        "ungdomspsykiatrin",
    ]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert "iop" in analyzer.terms(text) and "avtal" in analyzer.terms(text)


def test_stopwords_are_dropped_for_retrieval_only(analyzer: Analyzer) -> None:
    assert len(analyzer.stopwords) >= 400
    text = "Det ska inte vara så att barnen får vänta"
    terms = analyzer.terms(text)
    assert "inte" not in terms and "det" not in terms and "ska" not in terms
    assert "barn" in terms
    words = [t.text for t in analyzer.tokens(text)]
    assert "inte" in words  # tokens keep every word: stance cues need them


def test_stems_join_inflections_and_numbers_are_not_terms(analyzer: Analyzer) -> None:
    assert analyzer.terms("skolan skolorna skolor") == ["skol"] * 3
    assert analyzer.terms("ökat") == analyzer.terms("öka")
    assert analyzer.terms("2025 års budget med 385 miljoner") == ["budget", "miljon"]


def test_word_analysis_is_cached_per_word_type() -> None:
    calls = []

    class Counting(CompoundSplitter):
        def _split(self, word: str, depth: int) -> tuple[str, ...]:
            calls.append(word)
            return super()._split(word, depth)

    a = Analyzer(Counting())
    a.terms("fritidsklubbar fritidsklubbar fritidsklubbar")
    assert calls.count("fritidsklubbar") == 1
