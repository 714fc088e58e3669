"""The one key areas and parties are matched by (publish/matching.py)."""

from __future__ import annotations

import pytest

from lofte.publish.matching import match_key, same_name, spelled


@pytest.mark.parametrize(
    "typed",
    [
        "Idrott och fritid",
        "idrott  och\tFRITID",  # QA: /api/v1 refused two spaces the pages took
        " Idrott\u00a0och fritid ",
        "Idrott och\u200e fritid",  # a bidi mark, as a page's form value loses it
        "\u202eIdrott och fritid\u202c",
        "Idrott och fri\u00adtid",  # a soft hyphen: a format character too
    ],
)
def test_case_spacing_and_format_characters_do_not_count(typed: str) -> None:
    assert match_key(typed) == "idrott och fritid"
    assert same_name(typed, "Idrott och fritid")


def test_letters_and_their_composition_still_count() -> None:
    assert match_key("Miljo\u0308") == match_key("Miljö")  # NFD as NFC
    assert not same_name("Miljö", "Miljo")
    assert not same_name("Skola", "Skol")
    assert match_key(None) == match_key("\u200f ") == ""


def test_spelled_gives_the_stored_name() -> None:
    names = ["S", 'Jobb & "arbete" \u202eRTL', None]
    assert spelled('jobb & "ARBETE" RTL', names) == 'Jobb & "arbete" \u202eRTL'
    assert spelled("s", names) == "S"
    assert spelled("M", names) is None
    assert spelled("\u200e", names) is None
