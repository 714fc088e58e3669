"""publish/numbers.py: numbers in the page's language, for the web and the printed account."""

from __future__ import annotations

from lofte.publish.numbers import decimal, percent


def test_a_decimal_takes_the_languages_sign_and_rounds_when_asked() -> None:
    assert decimal(0.84, "sv") == "0,84" and decimal(0.84, "en") == "0.84"
    assert decimal(2 / 3, "sv", 2) == "0,67" and decimal(2 / 3, "en", 2) == "0.67"
    assert decimal(12, "sv") == "12"
    assert decimal(True, "sv") == "True" and decimal("0.5", "sv") == "0.5"  # not numbers


def test_a_share_is_a_whole_percentage_unless_decimals_are_asked_for() -> None:
    assert percent(0.17, "sv") == "17 %" and percent(0.17, "en") == "17%"
    assert percent(1, "sv") == "100 %" and percent(0, "en") == "0%"
    assert percent(0.123, "sv", 1) == "12,3 %" and percent(0.123, "en", 1) == "12.3%"
    assert percent(0.5, "sv", 1) == "50,0 %"
