"""The status counts over the term (`publish.meter.over_term`) around the term's end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lofte.model import Tracker, VerdictStatus
from lofte.publish.meter import over_term

TRACKER = Tracker(1, "t", "T", None, (), dt.date(2022, 10, 15), dt.date(2026, 10, 14), None)


@dataclass(frozen=True)
class _Pledge:
    id: int


def test_the_term_end_stays_a_point_after_a_later_verdict() -> None:
    # QA: once a verdict was recorded after the term ended, the table ran to that verdict by
    # month ends and the counts on the term's last day were shown nowhere
    timeline = [
        (1, VerdictStatus.KEPT, dt.datetime(2024, 5, 2, 9)),
        (2, VerdictStatus.BROKEN, dt.datetime(2026, 12, 5, 9)),
    ]
    points = over_term(TRACKER, [_Pledge(1), _Pledge(2)], timeline, today=dt.date(2026, 12, 5))
    days = [p["date"] for p in points]
    assert days[-5:] == ["2026-09-30", "2026-10-14", "2026-10-31", "2026-11-30", "2026-12-05"]
    assert days == sorted(days) and len(days) == len(set(days))
    by_day = {p["date"]: p["counts"] for p in points}
    assert by_day["2026-10-14"]["kept"] == 1 and by_day["2026-10-14"]["not_rated"] == 1
    assert by_day["2026-12-05"]["broken"] == 1


def test_a_term_still_running_ends_today() -> None:
    points = over_term(TRACKER, [_Pledge(1)], [], today=dt.date(2026, 3, 3))
    assert points[-1]["date"] == "2026-03-03"
    assert "2026-10-14" not in {p["date"] for p in points}
