"""Search snippets: the first occurrence of a term, bounded in how far they look."""

from __future__ import annotations

from lofte.publish import highlight


def _emphasised(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [p["text"] for p in result["pieces"] if p["term"]]


def test_a_snippet_is_cut_around_the_first_term_found_of_any() -> None:
    text = "Inledning. " + "fyllnad " * 200 + "Skolan får mer. " + "fyllnad " * 200 + "vården"
    result = highlight.snippet(text, ["vård", "skol"])
    assert _emphasised(result) == ["Skolan"]  # the earlier of the two, in any case
    assert result["cut_before"] and result["cut_after"]


def test_every_occurrence_inside_the_snippet_is_emphasised() -> None:
    result = highlight.snippet("Skolan och skolor, SKOLANS mål.", ["skol"])
    assert _emphasised(result) == ["Skolan", "skolor", "SKOLANS"]


def test_a_term_inside_a_word_is_not_a_hit() -> None:
    result = highlight.snippet("Förskolan öppnar.", ["skol"])
    assert _emphasised(result) == []


def test_a_snippet_looks_no_further_than_its_bound() -> None:
    """QA: a common word's snippet of a 45 MB document took 2.8 s (every occurrence found in
    the casefolded whole). A term first found past SNIPPET_SCAN_CHARS gives the text's start."""
    far = "ord " * (highlight.SNIPPET_SCAN_CHARS // 4 + 10) + "skolan"
    result = highlight.snippet(far, ["skol"])
    assert _emphasised(result) == [] and not result["cut_before"]
    near = "ord " * 1000 + "skolan " + "ord " * (highlight.SNIPPET_SCAN_CHARS // 4)
    assert _emphasised(highlight.snippet(near, ["skol"])) == ["skolan"]


def test_a_text_whose_casefold_changes_length_still_gets_its_terms() -> None:
    """Casefolding 'ß' to 'ss' would shift every offset after it: the offsets are the text's."""
    result = highlight.snippet("Die Straße und die Skolan", ["skol"])
    assert _emphasised(result) == ["Skolan"]
