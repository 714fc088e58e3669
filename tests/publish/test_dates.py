"""Dates shown at their precision, never a made-up day (publish/dates.py, the `date` filter)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lofte.model import DatePrecision
from lofte.publish.dates import format_date, format_value
from lofte.web.templating import date_filter


def test_each_precision_in_swedish_and_english() -> None:
    day = dt.date(2024, 5, 13)
    assert format_date(day, DatePrecision.YEAR) == "2024"
    assert format_date(day.replace(day=1), DatePrecision.MONTH) == "maj 2024"
    assert format_date(day.replace(day=1), "month", "en") == "May 2024"
    assert format_date(day, DatePrecision.DAY) == "13 maj 2024"
    assert format_date(day, None, "en") == "13 May 2024"
    assert format_date(dt.date(2024, 3, 1), "season") == "våren 2024"
    assert format_date(dt.date(2023, 12, 1), "season", "en") == "winter 2023/24"


def test_records_strings_and_timestamps() -> None:
    assert format_value({"value": "2024-01-01", "precision": "year"}) == "2024"
    assert format_value({"value": "2025-10-01", "precision": "month"}, "en") == "October 2025"
    assert format_value("2026-12-01T09:30:00") == "1 december 2026"
    assert format_value(None) == "" and format_date("", "day") == ""
    assert date_filter({"value": "2024-05-01", "precision": "month"}, "sv") == "maj 2024"
    assert date_filter("2024-05-13", "en", "year") == "2024"


def test_a_stored_moment_is_shown_as_its_day_in_sweden() -> None:
    """Review: a pledge removed at 23:30 UTC read as removed the day before its Swedish day.
    Stored moments are naive UTC; summer and winter time both count."""
    assert format_date(dt.datetime(2026, 12, 7, 23, 30)) == "8 december 2026"
    assert format_date(dt.datetime(2026, 12, 7, 22, 59)) == "7 december 2026"
    assert format_date(dt.datetime(2026, 6, 30, 22, 0), None, "en") == "1 July 2026"
    assert format_date(dt.datetime(2026, 6, 30, 21, 59), None, "en") == "30 June 2026"
    assert format_value("2026-12-31T23:15:00") == "1 januari 2027"
    assert format_value("2026-12-31T23:15:00+00:00", "en") == "1 January 2027"
    assert date_filter("2026-12-31T23:15:00", "sv", "year") == "2027"
    assert format_value("2026-12-31") == "31 december 2026"  # a day is a day, not a moment


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["sv", "en"]),
)
def test_no_made_up_day(day: dt.date, lang: str) -> None:
    year = format_date(day, DatePrecision.YEAR, lang)
    month = format_date(day, DatePrecision.MONTH, lang)
    assert year == str(day.year)
    assert month.endswith(str(day.year)) and len(month.split()) == 2  # no day number
    assert format_date(day, DatePrecision.DAY, lang).split()[0] == str(day.day)
