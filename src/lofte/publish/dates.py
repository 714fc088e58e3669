"""Dates as people read them, at the precision they are known: "2024", "maj 2024",
"våren 2024", "13 maj 2024" (Swedish) or "2024", "May 2024", "spring 2024", "13 May 2024"
(English). Never a made-up day: a date known to the month is shown as the month.

`format_date` is the one formatting function; the web's templates use it through the `date`
filter (web/templating.py), which also accepts the records' JSON shapes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from ..model import DatePrecision

MONTHS = {
    "sv": (
        "januari februari mars april maj juni juli augusti september oktober november december"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}
# A stored moment (naive UTC, the store's convention) is shown as its day in Sweden: a verdict
# set at 00:30 Swedish time belongs to that day, not to the day before (review: a pledge
# removed at 23:30 UTC read as removed the day before). `tzdata` ships the zone's rules.
SWEDEN = ZoneInfo("Europe/Stockholm")

SEASONS = {
    "sv": {12: "vintern", 1: "vintern", 3: "våren", 6: "sommaren", 8: "hösten", 9: "hösten"},
    "en": {12: "winter", 1: "winter", 3: "spring", 6: "summer", 8: "autumn", 9: "autumn"},
}


def format_date(
    value: dt.date | dt.datetime | str | None,
    precision: DatePrecision | str | None = None,
    lang: str = "sv",
) -> str:
    """`value` at `precision` (a day when None) in `lang` ("sv" or "en"); "" for no date.

    A datetime is shown as its day in Sweden (`local_day`). A string is read as ISO
    ("2024-05-13", or a timestamp, taken as a stored moment).
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = _parse(value)
    if isinstance(value, dt.datetime):
        value = local_day(value)
    lang = lang if lang in MONTHS else "sv"
    level = DatePrecision(precision) if precision else DatePrecision.DAY
    if level is DatePrecision.YEAR:
        return str(value.year)
    if level is DatePrecision.SEASON:
        season = SEASONS[lang].get(value.month)
        if season is not None:
            year = f"{value.year}/{(value.year + 1) % 100:02d}" if value.month == 12 else value.year
            return f"{season} {year}"
        level = DatePrecision.MONTH  # a season starting in an unusual month: say the month
    month = MONTHS[lang][value.month - 1]
    if level is DatePrecision.MONTH:
        return f"{month} {value.year}"
    return f"{value.day} {month} {value.year}"


def format_value(value: Any, lang: str = "sv") -> str:
    """A record's date as the pages hold it: {"value", "precision"} (a document's date, a
    verdict's as-of), an ISO string, a date or a datetime; "" for None."""
    if isinstance(value, dict):
        return format_date(value.get("value"), value.get("precision"), lang)
    if value is None or isinstance(value, (str, dt.date)):
        return format_date(value, None, lang)
    return str(value)


def local_day(moment: dt.datetime) -> dt.date:
    """The day in Sweden of a moment: naive is UTC (as the store keeps every moment)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(SWEDEN).date()


def _parse(text: str) -> dt.date | dt.datetime:
    """A day ("2024-05-13") as it is; a timestamp as the moment it names."""
    text = text.strip()
    if len(text) <= 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)
