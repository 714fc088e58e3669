"""`sort=recent` puts the latest change of status first by the moment it was published, as
/api/v1/verdicts orders them (QA: only the day counted, so one day's changes fell back to the
program's order)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from lofte.model import VerdictStatus
from lofte.review.verdicts import set_verdict
from lofte.store import verdicts as verdict_store
from lofte.store.schema import VerdictRow

from .conftest import Site

DAY = dt.datetime(2025, 5, 5)


def _rate_on_one_day(site: Site, hours: dict[int, int]) -> None:
    """In the works, each pledge published at its hour of one day."""
    for pledge in hours:
        set_verdict(site.store, pledge, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="tester")
    with site.store.session() as s:
        for row in s.scalars(select(VerdictRow)):
            row.created_at = row.modified_at = DAY + dt.timedelta(hours=hours[row.pledge_id])


def test_the_latest_change_comes_first_within_a_day(client: TestClient, site: Site) -> None:
    first, second = site.children  # both after the pool in the program
    _rate_on_one_day(site, {site.pool: 9, second: 10, first: 11})
    listed = client.get("/api/trackers/sjovik/pledges?sort=recent").json()["pledges"]
    assert [p["id"] for p in listed][:3] == [first, second, site.pool]
    changes = client.get("/api/v1/verdicts?tracker=sjovik").json()["items"]
    assert [c["pledge_id"] for c in changes] == [first, second, site.pool]
    page = client.get("/trackers/sjovik/pledges?sort=recent").text
    shown = [page.index(f'href="/pledges/{n}"') for n in (first, second, site.pool)]
    assert shown == sorted(shown)


def test_the_status_day_stays_a_day(site: Site) -> None:
    _rate_on_one_day(site, {site.pool: 9})
    with site.store.session() as s:
        dates = verdict_store.status_dates(s)
        times = verdict_store.status_times(s)
    assert dates == {site.pool: DAY.date()}
    assert times == {site.pool: DAY + dt.timedelta(hours=9)}
