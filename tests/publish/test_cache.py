"""The per-tracker caches of the public pages (publish/cache.py): values are computed once per
change of the tracker, and any change, by this process or another, shows on the next read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lofte.model import ReviewState, VerdictStatus
from lofte.publish import cache, pages
from lofte.publish import meter as meter_module
from lofte.review import verdicts
from lofte.store import freshness
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow, VerdictRow

from ..web.conftest import Site, build_site

TODAY = dt.date(2026, 1, 1)


@pytest.fixture
def site(store: Store) -> Site:
    return build_site(store)


def _meter(store: Store, today: dt.date = TODAY) -> dict[str, Any]:
    with store.session() as s:
        return pages.tracker_meter(s, "sjovik", today)


def _count_meters(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = pages.meter

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "meter", counting)
    return calls


def test_the_meter_is_computed_once_until_something_changes(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_meters(monkeypatch)
    first = _meter(site.store)
    assert _meter(site.store) == first
    assert len(calls) == 1
    _meter(site.store, TODAY + dt.timedelta(days=1))  # another day: the term chart moves on
    assert len(calls) == 2


def test_a_verdict_shows_on_the_meter_at_once(site: Site) -> None:
    before = _meter(site.store)["meter"]["counts"]
    verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
    )
    after = _meter(site.store)["meter"]["counts"]
    assert after["in_the_works"] == before["in_the_works"] + 1
    assert after["not_rated"] == before["not_rated"] - 1
    # and a changed verdict too
    verdicts.set_verdict(site.store, site.pool, VerdictStatus.STALLED, "Pausad.", actor="anna")
    again = _meter(site.store)["meter"]["counts"]
    assert (again["in_the_works"], again["stalled"]) == (
        before["in_the_works"],
        before["stalled"] + 1,
    )


def test_a_draft_verdict_counts_when_it_is_published(site: Site) -> None:
    before = _meter(site.store)["meter"]["counts"]["in_the_works"]
    draft = verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna", draft=True
    )
    assert _meter(site.store)["meter"]["counts"]["in_the_works"] == before
    verdicts.publish_verdict(site.store, draft.id, actor="anna")
    assert _meter(site.store)["meter"]["counts"]["in_the_works"] == before + 1


def test_a_change_by_another_process_shows_at_once(site: Site, db_url: str) -> None:
    """Another server worker or the CLI has its own store: its commit is seen on the next read."""
    reader = site.store
    other = open_store(db_url)
    try:
        before = _meter(reader)["meter"]["counts"]
        verdicts.set_verdict(
            other, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
        )
        assert _meter(reader)["meter"]["counts"]["in_the_works"] == before["in_the_works"] + 1
        with other.session() as s:  # a pledge's area, written directly
            s.get_one(PledgeRow, site.trees).area = "Natur"
        with reader.session() as s:
            listed = pages.pledge_list(s, "sjovik", area="Natur")
        assert [p["id"] for p in listed["pledges"]] == [site.trees]
    finally:
        other.dispose()


def test_tracker_settings_and_pledge_states_change_what_is_counted(site: Site) -> None:
    total = _meter(site.store)["meter"]["total"]
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").show_candidates = False
    confirmed_only = _meter(site.store)["meter"]["total"]
    assert confirmed_only < total
    with site.store.session() as s:
        row = s.get_one(PledgeRow, site.trees)
        row.state, row.version = "confirmed", row.version + 1
    assert _meter(site.store)["meter"]["total"] == confirmed_only + 1


def test_cached_page_data_is_each_callers_own(site: Site) -> None:
    first = _meter(site.store)
    first["meter"]["counts"]["kept"] = 999
    first["by_party"].clear()
    second = _meter(site.store)
    assert second["meter"]["counts"]["kept"] != 999 and second["by_party"]


def test_documents_count_and_overview_follow_new_documents(site: Site) -> None:
    with site.store.session() as s:
        before = pages.trackers_overview(s)[0]["documents"]
        assert pages.tracker_documents(s, "sjovik", 1)["total"] == before
    with site.store.session() as s:
        s.add(
            DocumentRow(
                tracker_id=s.get_one(PledgeRow, site.pool).tracker_id,
                origin="late.txt",
                item_key="0",
                kind="news",
                title="Sent",
                body="Sent i mandatperioden.",
                content_hash="late",
                raw_sha256=s.get_one(DocumentRow, site.program).raw_sha256,
                stage="parse:test",
                stage_version="1",
            )
        )
    with site.store.session() as s:
        assert pages.trackers_overview(s)[0]["documents"] == before + 1
        assert pages.tracker_documents(s, "sjovik", 1)["total"] == before + 1
        assert _meter(site.store)["documents"] == before + 1


def test_the_stamp_changes_with_every_kind_of_row(site: Site) -> None:
    def stamp() -> freshness.TrackerStamp:
        with site.store.session() as s:
            tracker_id = tracker_store.get_tracker(s, "sjovik").id
            return freshness.tracker_stamp(s, tracker_id)

    seen = [stamp()]
    assert stamp() == seen[0]  # nothing changed: the same stamp

    def changed() -> None:
        now = stamp()
        assert now not in seen
        seen.append(now)

    with site.store.session() as s:
        s.get_one(EvidenceRow, site.ev_pool).review_state = ReviewState.ACCEPTED.value
    changed()
    verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
    )
    changed()
    with site.store.session() as s:
        s.get_one(DocumentRow, site.news["pool"]).title = "Ny rubrik"
    changed()
    with site.store.session() as s:
        row = s.get_one(PledgeRow, site.vague)
        s.query(VerdictRow).filter(VerdictRow.pledge_id == row.id).delete()
        s.delete(row)
    changed()
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").name = "Sjövik"
    changed()


def test_each_store_has_its_own_cache(site: Site, tmp_path: Any) -> None:
    """Two databases with a tracker of the same id never share a value."""
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}", create=True)
    try:
        build_site(other)
        verdicts.set_verdict(
            other, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
        )
        with site.store.session() as a, other.session() as b:
            assert cache.cache_of(a) is not cache.cache_of(b)
        assert (
            _meter(other)["meter"]["counts"]["in_the_works"]
            == _meter(site.store)["meter"]["counts"]["in_the_works"] + 1
        )
    finally:
        other.dispose()


def test_the_meter_module_still_counts_without_the_cache(site: Site) -> None:
    """The cache holds exactly what `meter` computes."""
    with site.store.session() as s:
        tracker = tracker_store.get_tracker(s, "sjovik")
        assert _meter(site.store)["meter"] == meter_module.meter(s, tracker, TODAY)
