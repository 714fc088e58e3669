"""When a watched source is due: intervals as people write them, and back-off after failures.

Pure functions, no clock of their own: the caller passes `now`.

Back-off: after `failures` consecutive failed runs the next run is due

    now + min(every * 2**failures, max(every, MAX_BACKOFF))

so a source checked every 6 hours that fails once waits 12 h, twice 24 h, … and never more
than 7 days (or its own interval, when that is longer). One successful run resets `failures`
to 0 and the source is back on its interval.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ValidationError

MIN_INTERVAL = 60  # seconds: a source asked more often than once a minute is a mistake
MAX_INTERVAL = 366 * 24 * 3600  # a year
MAX_BACKOFF = 7 * 24 * 3600  # seconds: the longest wait back-off adds
_MAX_EXPONENT = 30  # 2**30 intervals is past any cap; keeps the arithmetic small

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# One or more "<digits><unit>" parts ("90s", "6h", "1h30m"); each part ends in a unit letter, so
# the repetition cannot match the same text two ways (linear time).
_INTERVAL = re.compile(r"(?:[0-9]{1,7}[smhdw])+")
_PART = re.compile(r"([0-9]{1,7})([smhdw])")


def parse_interval(text: str) -> int:
    """Seconds in "90s", "30m", "6h", "1d", "2w" or "1h30m" (a plain number is seconds).

    Raises ValidationError for anything else, or an interval under a minute or over a year."""
    value = "".join(text.split()).lower()
    if value.isdigit() and len(value) <= 9:
        seconds = int(value)
    elif len(value) <= 40 and _INTERVAL.fullmatch(value):
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(value))
    else:
        raise ValidationError(
            f"interval {text!r}: write a number and a unit, e.g. 90s, 30m, 6h, 1d or 1h30m"
        )
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise ValidationError(
            f"interval {text!r}: between {format_interval(MIN_INTERVAL)} and "
            f"{format_interval(MAX_INTERVAL)}"
        )
    return seconds


def format_interval(seconds: int) -> str:
    """The shortest exact spelling: 21600 -> "6h", 5400 -> "1h30m"."""
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def backoff_seconds(every_seconds: int, failures: int) -> int:
    """The wait before the next run after `failures` consecutive failures (0: the interval)."""
    every = max(1, int(every_seconds))
    if failures <= 0:
        return every
    cap = max(every, MAX_BACKOFF)
    return int(min(every * 2 ** min(failures, _MAX_EXPONENT), cap))


def next_due(now: dt.datetime, every_seconds: int, failures: int = 0) -> dt.datetime:
    """When a source that ran at `now` with `failures` consecutive failures is due again."""
    return now + dt.timedelta(seconds=backoff_seconds(every_seconds, failures))
