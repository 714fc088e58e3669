"""publish/numbers.py: numbers in the page's language, for the web and the printed account."""

from __future__ import annotations

from lofte.publish.numbers import decimal, percent, shares


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


def test_shares_are_whole_percents_that_add_up_to_100() -> None:
    """QA: seven statuses rounded one by one showed 5+5+5+5+10+67+5 = 102 % beside 100 %."""
    keys = ["kept", "partially_kept", "broken", "in_the_works", "stalled", "not_rated", "x"]
    counts = dict(zip(keys, [1, 1, 1, 1, 2, 14, 1], strict=True))  # 21 pledges
    share = shares(counts, keys)
    assert round(sum(share.values()) * 100) == 100
    assert all(abs(share[k] - counts[k] / 21) < 0.01 for k in keys)  # each within a percent
    # equal counts show equal percents, even when they then add up to 99 (QA: 9 % beside 8 %
    # for one pledge each of twelve)
    assert shares({"a": 1, "b": 1, "c": 1}, ["a", "b", "c"]) == {"a": 0.33, "b": 0.33, "c": 0.33}
    twelve = shares({"a": 6, "b": 1, "c": 1, "d": 1, "e": 3}, ["a", "b", "c", "d", "e"])
    assert twelve == {"a": 0.5, "b": 0.08, "c": 0.08, "d": 0.08, "e": 0.25}
    assert shares({}, ["a"]) == {"a": 0.0}
