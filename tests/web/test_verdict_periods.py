"""A verdict dated to a year (or a season, a month) is drawn honestly on the term's timeline:
from the middle of that period, not from its first day (QA: one known only as "2024" showed
the status held from January 2024), and its date on the pledge's page says only the year."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from lofte.model import DatePrecision
from lofte.publish import meter
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store
from lofte.store.schema import PledgeRow, VerdictRow

from .conftest import Site


def test_a_period_is_placed_at_its_middle_never_after_its_recording() -> None:
    recorded = dt.datetime(2025, 2, 1, 9)
    year = dt.date(2024, 1, 1)
    assert verdict_store.timeline_moment(year, DatePrecision.YEAR, recorded) == dt.datetime(
        2024, 7, 1
    )
    assert verdict_store.timeline_moment(year, "year", recorded) == dt.datetime(2024, 7, 1)
    spring = dt.date(2024, 3, 1)  # "våren 2024": March to May
    assert verdict_store.timeline_moment(spring, "season", recorded) == dt.datetime(2024, 4, 15)
    assert verdict_store.timeline_moment(dt.date(2024, 5, 1), "month", recorded) == dt.datetime(
        2024, 5, 16
    )
    # recorded in March about "2024": somewhere between January and March, not in July
    early = dt.datetime(2024, 3, 10, 12)
    assert verdict_store.timeline_moment(year, "year", early) == early
    # a day, or no as-of: as the current-status rule has it
    day = dt.date(2024, 5, 13)
    assert verdict_store.timeline_moment(day, "day", recorded) == dt.datetime(2024, 5, 13)
    assert verdict_store.timeline_moment(day, None, recorded) == dt.datetime(2024, 5, 13)
    assert verdict_store.timeline_moment(None, None, recorded) == recorded


def _verdict(
    site: Site,
    pledge: int,
    status: str,
    recorded: dt.datetime,
    as_of: dt.date | None = None,
    precision: str | None = None,
) -> None:
    with site.store.session() as s:
        s.get(PledgeRow, pledge).state = "confirmed"
        s.add(
            VerdictRow(
                pledge_id=pledge,
                status=status,
                rationale="Bedömt.",
                created_at=recorded,
                modified_at=recorded,
                as_of_value=as_of,
                as_of_precision=precision,
            )
        )


def _term(site: Site) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    with site.store.session() as s:
        tracker = tracker_store.get_tracker(s, site.slug)
        data = meter.meter(s, tracker, today=dt.date(2025, 6, 1))
    return {p["date"]: p["counts"] for p in data["over_term"]}, data["counts"]


def test_a_verdict_known_to_its_year_counts_from_mid_year(site: Site) -> None:
    _verdict(site, site.pool, "kept", dt.datetime(2025, 1, 10), dt.date(2024, 1, 1), "year")
    points, _ = _term(site)
    assert points["2024-01-31"]["kept"] == 0  # was 1: drawn from January
    assert points["2024-06-30"]["kept"] == 0
    assert points["2024-07-31"]["kept"] == 1
    assert points["2025-05-31"]["kept"] == 1


def test_the_timeline_still_ends_at_the_current_status(site: Site) -> None:
    # "2024" (year) before "1 March 2024" (day) by the current-status rule, which keeps the
    # day's verdict: drawn at mid-year, the year's would have come last and won the chart
    _verdict(site, site.pool, "kept", dt.datetime(2025, 1, 10), dt.date(2024, 1, 1), "year")
    _verdict(site, site.pool, "broken", dt.datetime(2025, 1, 11), dt.date(2024, 3, 1), "day")
    # recorded in April 2024 about "2024": between January and April, so by April's end
    _verdict(
        site, site.trees, "in_the_works", dt.datetime(2024, 4, 20), dt.date(2024, 1, 1), "year"
    )
    points, counts = _term(site)
    assert counts["broken"] == 1 and counts["kept"] == 0 and counts["in_the_works"] == 1
    assert list(points.values())[-1] == counts
    assert points["2024-02-29"]["kept"] == 0 and points["2024-03-31"]["broken"] == 1
    assert points["2024-03-31"]["in_the_works"] == 0 and points["2024-04-30"]["in_the_works"] == 1


def test_the_pledge_page_dates_a_year_verdict_by_its_year_only(
    client: TestClient, site: Site
) -> None:
    _verdict(site, site.pool, "kept", dt.datetime(2025, 1, 10), dt.date(2024, 1, 1), "year")
    _verdict(site, site.trees, "kept", dt.datetime(2025, 1, 10), dt.date(2024, 5, 1), "month")
    page = client.get(f"/pledges/{site.pool}").text
    timeline = page.split('class="timeline"', 1)[1]
    assert re.search(r'<time datetime="2024">2024</time>', timeline), timeline[:400]
    assert "2024-01-01" not in timeline
    month = client.get(f"/pledges/{site.trees}").text.split('class="timeline"', 1)[1]
    assert '<time datetime="2024-05">maj 2024</time>' in month
