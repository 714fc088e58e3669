"""The open data count what the public pages count: the pledges of `pledges.csv` are the meter's
(`/api/v1/trackers/{slug}`), the API's list and the final account's, with the same tally per
status and per area, and `verdicts.csv` holds the verdicts `/api/v1/verdicts` lists, over a
tracker with a split list item (a confirmed group rated before its split, its parts
confirmed), superseded, draft and published verdicts of several kinds and a rejected part."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest

from lofte.model import VerdictStatus
from lofte.publish import opendata
from lofte.publish.export import export_database
from lofte.publish.report import report_data
from lofte.review import pledges as pledge_review
from lofte.review import verdicts as verdict_review
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.web.conftest import build_site, make_client

EDITOR = "redaktor"


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name].decode("utf-8"), newline="")))


@pytest.fixture
def tracker(sqlite_store: Store) -> Store:
    store = sqlite_store
    site = build_site(store)
    with store.session() as s:  # a tracker of confirmed pledges only
        tracker_store.get_tracker_row(s, "sjovik").show_candidates = False
    accepted = verdict_review.decide_evidence(store, site.ev_pool, True, actor=EDITOR).id
    verdict_review.set_verdict(
        store, site.pool, VerdictStatus.KEPT, "Invigd.", [accepted], actor=EDITOR
    )
    verdict_review.set_verdict(
        store, site.pool, VerdictStatus.PARTIALLY_KEPT, "Delvis.", [accepted], actor=EDITOR
    )
    verdict_review.set_verdict(
        store, site.pool, VerdictStatus.BROKEN, "Utkast.", [accepted], actor=EDITOR, draft=True
    )
    # the list item was confirmed and rated whole before an editor's split made it a group
    pledge_review.confirm(store, site.group, actor=EDITOR)
    verdict_review.set_verdict(
        store, site.group, VerdictStatus.IN_THE_WORKS, "Pågår.", actor=EDITOR
    )
    preschool, teachers = site.children
    verdict_review.set_verdict(store, preschool, VerdictStatus.STALLED, "Står still.", actor=EDITOR)
    pledge_review.reject(store, teachers, reason="Dubblett.", actor=EDITOR)
    pledge_review.confirm(store, site.trees, actor=EDITOR)
    verdict_review.set_verdict(
        store, site.trees, VerdictStatus.NOT_CHECKABLE, "Går inte att mäta.", actor=EDITOR
    )
    pledge_review.edit(store, site.pool, party="S", actor=EDITOR)
    return store


def test_the_public_tables_count_what_the_meter_the_api_and_the_account_count(
    tracker: Store,
) -> None:
    with tracker.session() as s:
        export = export_database(s)
        account = report_data(s, "sjovik")
    files = opendata.package_files(export, "csv")
    pledges, verdicts = _rows(files, "pledges.csv"), _rows(files, "verdicts.csv")
    client = make_client(tracker)
    meter: dict[str, Any] = client.get("/api/v1/trackers/sjovik").json()["meter"]
    listed = client.get("/api/v1/pledges?tracker=sjovik&per_page=100").json()["items"]
    changes = client.get("/api/v1/verdicts?tracker=sjovik&per_page=100").json()["items"]

    ids = {int(p["pledge_id"]) for p in pledges}
    assert ids == {p["id"] for p in listed} == {p["id"] for p in account["pledges"]}
    assert len(pledges) == meter["total"] == account["meter"]["total"]
    tally = Counter(p["status"] or VerdictStatus.NOT_RATED.value for p in pledges)
    assert {k: v for k, v in meter["counts"].items() if v} == dict(tally)
    assert account["meter"]["counts"] == meter["counts"]
    by_area = Counter(p["policy_area"] or None for p in pledges)
    assert {a["area"]: a["total"] for a in meter["by_area"]} == dict(by_area)
    assert {int(v["verdict_id"]) for v in verdicts} == {c["verdict_id"] for c in changes}
    # every published verdict of a counted pledge, the superseded one too, and no draft
    assert len(verdicts) == 4
