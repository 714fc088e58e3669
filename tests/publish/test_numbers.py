"""publish/numbers.py: numbers in the page's language, for the web and the printed account."""

from __future__ import annotations

from lofte.publish.numbers import decimal, percent, shares, shares_total


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


def test_each_share_is_its_nearest_whole_percent_and_the_sum_says_so() -> None:
    keys = ["kept", "partially_kept", "broken", "in_the_works", "stalled", "not_rated", "x"]
    counts = dict(zip(keys, [1, 1, 1, 1, 2, 14, 1], strict=True))  # 21 pledges
    share = shares(counts, keys)
    assert all(abs(share[k] - counts[k] / 21) <= 0.005 for k in keys)  # the nearest percent
    assert shares_total(share) == 102  # 5+5+5+5+10+67+5: the page says so (QA: unsaid)
    # equal counts show equal percents (QA: 9 % beside 8 % for one pledge each of twelve)
    assert shares({"a": 1, "b": 1, "c": 1}, ["a", "b", "c"]) == {"a": 0.33, "b": 0.33, "c": 0.33}
    twelve = shares({"a": 6, "b": 1, "c": 1, "d": 1, "e": 3}, ["a", "b", "c", "d", "e"])
    assert twelve == {"a": 0.5, "b": 0.08, "c": 0.08, "d": 0.08, "e": 0.25}
    # QA: 2 of 6 read 34 % when the rule kept the sum at 100; 17 % is 1 of 6's nearest
    six = shares({"a": 2, "b": 1, "c": 1, "d": 1, "e": 1}, ["a", "b", "c", "d", "e"])
    assert six == {"a": 0.33, "b": 0.17, "c": 0.17, "d": 0.17, "e": 0.17}
    assert shares_total(six) == 101
    assert shares({"a": 1, "b": 7}, ["a", "b"]) == {"a": 0.13, "b": 0.88}  # halves up, exactly
    assert shares({}, ["a"]) == {"a": 0.0} and shares_total(shares({}, ["a"])) == 0


def test_counts_are_grouped_as_each_language_writes_them() -> None:
    # QA: "documents (8942)", "4332 suggestions" at national scale
    from lofte.publish.numbers import grouped
    from lofte.web.i18n import format_text

    assert [grouped(n, "en") for n in (7, 8942, 12345)] == ["7", "8,942", "12,345"]
    # Swedish groups from five digits, with a no-break space (never split over two lines)
    assert [grouped(n, "sv") for n in (7, 8942, 12345)] == ["7", "8942", "12\u00a0345"]
    assert grouped(True, "en") == "True" and grouped("x", "sv") == "x"
    assert format_text("n_suggestions", "en", n=4332) == "4,332 suggestions"
    assert format_text("attach_search_title", "en", id=4332).count("4332") == 1  # ids as is
