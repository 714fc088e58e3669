"""Swedish letters put back into a query typed without them."""

from __future__ import annotations

from lofte.language.spelling import fold, restored

TEXTS = [
    "Bygga fler förskolor i Kvarnby.",
    "Förskolan ska ha små barngrupper, och förskolan ska vara öppen.",
    "Ett nytt äldreboende i Ekbacken.",
    "Ett program för skolan.",
    "Sänka skatten.",
    "Taxan sänks, och avgiften sänks.",
]


def test_fold_reads_a_with_rings_and_dots_as_a_and_o_with_dots_as_o() -> None:
    assert fold("åäö förskola") == "aao forskola"


def test_a_word_the_texts_spell_with_swedish_letters_gets_them_back() -> None:
    got = restored(["forskola", "aldreboende", "sanka"], TEXTS)
    # by the same folded stem ("forskol": "förskolor"; "förskolan" is its own stem), the
    # commonest spelling ("sänks" twice, "sänka" once)
    assert got == {"forskola": "förskolor", "aldreboende": "äldreboende", "sanka": "sänks"}


def test_words_typed_as_the_texts_spell_them_or_unknown_are_left_alone() -> None:
    # "program" and "skola" occur as typed; "xyz" nowhere; "för" already has its letter
    assert restored(["program", "skola", "xyz", "för", "ab"], TEXTS) == {}
    assert restored([], TEXTS) == {}
