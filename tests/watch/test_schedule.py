from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ValidationError
from lofte.watch import schedule

NOW = dt.datetime(2026, 3, 1, 12, 0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("30m", 1800),
        ("6h", 21600),
        ("1d", 86400),
        ("2w", 1209600),
        ("1h30m", 5400),
        (" 6 h ", 21600),
        ("3600", 3600),
        ("6H", 21600),
    ],
)
def test_intervals_people_write(text: str, seconds: int) -> None:
    assert schedule.parse_interval(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "h", "6", "6x", "-6h", "6h-", "1.5h", "6 hours", "30s", "400d", "1" * 50 + "h"]
)
def test_bad_intervals_are_named(text: str) -> None:
    with pytest.raises(ValidationError, match="interval"):
        schedule.parse_interval(text)


def test_interval_regex_is_linear_on_long_junk() -> None:
    # a long run of digit-unit pairs and a bad tail: refused by length before any matching
    with pytest.raises(ValidationError):
        schedule.parse_interval("1h" * 100_000 + "x")


def test_format_interval_round_trips() -> None:
    for seconds in (90, 1800, 21600, 5400, 86400 + 60):
        assert schedule.parse_interval(schedule.format_interval(seconds)) == seconds
    assert schedule.format_interval(5400) == "1h30m"


def test_next_due_is_the_interval_after_success() -> None:
    assert schedule.next_due(NOW, 6 * 3600) == NOW + dt.timedelta(hours=6)


def test_back_off_doubles_per_failure_up_to_a_week() -> None:
    every = 6 * 3600
    waits = [schedule.backoff_seconds(every, n) for n in range(8)]
    assert waits[:5] == [every, 2 * every, 4 * every, 8 * every, 16 * every]
    assert max(waits) == schedule.MAX_BACKOFF == 7 * 86400
    assert waits[-1] == schedule.MAX_BACKOFF
    assert schedule.next_due(NOW, every, 2) == NOW + dt.timedelta(hours=24)


def test_back_off_never_shortens_a_long_interval_and_survives_huge_counts() -> None:
    every = 30 * 86400
    assert schedule.backoff_seconds(every, 5) == every
    assert schedule.backoff_seconds(3600, 10_000) == schedule.MAX_BACKOFF
