"""Swedish alphabetical order (language/collate.py)."""

from __future__ import annotations

import random

from lofte.language.collate import swedish_key


def test_a_ring_a_umlaut_and_o_umlaut_come_after_z_in_that_order() -> None:
    names = ["Örebro", "Ängelholm", "Åre", "Zinkgruvan", "Ystad", "Arboga"]
    assert sorted(names, key=swedish_key) == [
        "Arboga",
        "Ystad",
        "Zinkgruvan",
        "Åre",
        "Ängelholm",
        "Örebro",
    ]
    # what `str.casefold` gives, and why the key is needed
    assert sorted(["Åre", "Ängelholm"], key=str.casefold) == ["Ängelholm", "Åre"]


def test_case_does_not_decide_before_the_letters_do() -> None:
    assert sorted(["ärende", "Åsa", "östra", "Zon"], key=swedish_key) == [
        "Zon",
        "Åsa",
        "ärende",
        "östra",
    ]
    assert sorted(["Bo", "alfa", "Anna"], key=swedish_key) == ["alfa", "Anna", "Bo"]


def test_other_accents_sort_as_their_letter_and_u_umlaut_as_y() -> None:
    assert sorted(["Ezra", "Énergie", "Ekonomi"], key=swedish_key) == [
        "Ekonomi",
        "Énergie",
        "Ezra",
    ]
    assert sorted(["Ystad", "Übersicht", "Yxa", "Väst"], key=swedish_key) == [
        "Väst",
        "Übersicht",
        "Ystad",
        "Yxa",
    ]
    # Danish and Norwegian letters with their Swedish twins
    assert sorted(["Øst", "Ära", "Æra", "Ort"], key=swedish_key) == ["Ort", "Ära", "Æra", "Øst"]


def test_a_decomposed_letter_sorts_as_the_composed_one() -> None:
    decomposed = "A\u030are"  # A + combining ring: "Åre" as some PDFs and Macs write it
    assert sorted([decomposed, "Zorn", "Ängelholm"], key=swedish_key) == [
        "Zorn",
        decomposed,
        "Ängelholm",
    ]


def test_ties_are_broken_so_the_order_does_not_depend_on_the_input_order() -> None:
    names = ["e", "é", "E", "É", "ä", "Ä", "æ", "a"]
    expected = sorted(names, key=swedish_key)
    assert expected[:2] == ["a", "e"]  # unaccented and lower case first
    for seed in range(5):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=swedish_key) == expected
    assert len({swedish_key(n) for n in names}) == len(names)
