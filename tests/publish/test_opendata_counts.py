"""The open data count what the public pages count: the pledges of `pledges.csv` are the meter's
(`/api/v1/trackers/{slug}`), the API's list and the final account's, with the same tally per
status and per area, and `verdicts.csv` holds the verdicts `/api/v1/verdicts` lists, over a
tracker with a split list item (a confirmed group rated before its split, its parts
confirmed), superseded, draft and published verdicts of several kinds and a rejected part;
`verdicts.csv` redraws the meter's timeline; and the tracker survives the JSON export and
`lofte import` whole."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lofte.model import VerdictStatus
from lofte.publish import importer, meter, opendata
from lofte.publish.export import export_database
from lofte.publish.report import report_data
from lofte.review import pledges as pledge_review
from lofte.review import verdicts as verdict_review
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store, open_store
from lofte.store.schema import DocumentRow
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
    # (the site's group has its parts already, and a split item is rated through them now: the
    # verdict is written as it was before the split)
    pledge_review.confirm(store, site.group, actor=EDITOR)
    with store.session() as s:
        verdict_store.add_verdict(
            s, site.group, VerdictStatus.IN_THE_WORKS, "Pågår.", [], author_id=None, actor=EDITOR
        )
    preschool, teachers = site.children
    verdict_review.set_verdict(store, preschool, VerdictStatus.STALLED, "Står still.", actor=EDITOR)
    pledge_review.reject(store, teachers, reason="Dubblett.", actor=EDITOR)
    pledge_review.confirm(store, site.trees, actor=EDITOR)
    verdict_review.set_verdict(
        store, site.trees, VerdictStatus.NOT_CHECKABLE, "Går inte att mäta.", actor=EDITOR
    )
    # about a decision of an earlier month: the meter's timeline counts it from then
    verdict_review.set_verdict(
        store, site.trees, VerdictStatus.IN_THE_WORKS, "Beslut.", actor=EDITOR, as_of="2024-05"
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
    # every published verdict of a counted pledge, the superseded ones too, and no draft
    assert len(verdicts) == 5


def test_the_verdicts_table_redraws_the_meters_timeline(tracker: Store) -> None:
    """verdicts.csv carries each verdict's as_of (the day the rated thing happened), so the
    counts over the term can be drawn from the open data as the meter draws them."""
    with tracker.session() as s:
        export = export_database(s)
        t = tracker_store.get_tracker(s, "sjovik")
    files = opendata.package_files(export, "csv")
    pledges, verdicts = _rows(files, "pledges.csv"), _rows(files, "verdicts.csv")
    rated = [v for v in verdicts if v["as_of"]]
    assert [(v["as_of"], v["as_of_precision"]) for v in rated] == [("2024-05-01", "month")]

    def moment(v: dict[str, str]) -> dt.datetime:
        if v["as_of"]:
            return dt.datetime.combine(dt.date.fromisoformat(v["as_of"]), dt.time())
        return dt.datetime.fromisoformat(v["created_at"])

    history = sorted(verdicts, key=lambda v: (moment(v), int(v["verdict_id"])))
    timeline = [(int(v["pledge_id"]), VerdictStatus(v["status"]), moment(v)) for v in history]
    counted = [SimpleNamespace(id=int(p["pledge_id"])) for p in pledges]
    today = dt.datetime.now(dt.UTC).date()
    drawn = meter.over_term(t, counted, timeline, today)
    shown = make_client(tracker).get("/api/v1/trackers/sjovik").json()["meter"]["over_term"]
    assert drawn == shown


def test_the_tracker_round_trips_through_the_json_export(tracker: Store, tmp_path: Path) -> None:
    """Export, import into a new store, export again: the ids, quotes, spans, dates, states,
    verdicts (drafts, superseded ones, as_of) and the audit chain are the same, and so are the
    public numbers and the open-data tables made from them."""
    with tracker.session() as s:  # the web fixture's stand-in hashes, as a real store has them
        for row in s.query(DocumentRow):
            row.content_hash = hashlib.sha256(row.body.encode("utf-8")).hexdigest()
    with tracker.session() as s:
        before = export_database(s)
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}", create=True)
    try:
        importer.import_export(fresh, json.loads(json.dumps(before)))
        with fresh.session() as s:
            after = export_database(s)
        assert {k: v for k, v in after.items() if k != "exported_at"} == {
            k: v for k, v in before.items() if k != "exported_at"
        }
        assert opendata.package_files(after, "csv") == opendata.package_files(before, "csv")
        old, new = make_client(tracker), make_client(fresh)
        for url in (
            "/api/v1/trackers/sjovik",
            "/api/v1/pledges?tracker=sjovik&per_page=100",
            "/api/v1/verdicts?tracker=sjovik&per_page=100",
        ):
            assert new.get(url).json() == old.get(url).json(), url
    finally:
        fresh.dispose()
