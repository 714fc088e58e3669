"""Editing, archiving and deleting trackers (review/tracker_admin.py): audited, with rules."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ValidationError
from lofte.review import audit as audit_review
from lofte.review import tracker_admin
from lofte.store import audit
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.web.conftest import build_site


def _events(store: Store, action: str) -> list[dict]:
    with store.session() as s:
        return [e.details for e in audit.all_events(s) if e.action == action]


def test_edit_changes_fields_and_records_before_and_after(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
    after = tracker_admin.edit(
        store,
        "sthlm",
        actor="anna",
        name="  Rödgröna  styret ",
        actors=["S", " V ", "s", "", "MP"],
        term_start=dt.date(2022, 10, 15),
        term_end=dt.date(2026, 10, 14),
        show_candidates=True,
        methodology="Vi följer upp.",
    )
    assert after.name == "Rödgröna styret"
    assert after.actors == ("S", "V", "MP")  # trimmed, duplicates (any case) dropped
    assert after.show_candidates and after.methodology == "Vi följer upp."
    [event] = _events(store, "tracker.edit")
    assert event["changes"]["actors"] == {"before": [], "after": ["S", "V", "MP"]}
    assert event["changes"]["term_start"]["after"] == "2022-10-15"
    with pytest.raises(ValidationError, match="nothing to change"):
        tracker_admin.edit(store, "sthlm", actor="anna", name="Rödgröna styret")
    same = tracker_admin.edit(
        store, "sthlm", actor="anna", name="Rödgröna styret", require_change=False
    )
    assert same == after and len(_events(store, "tracker.edit")) == 1
    with pytest.raises(ValidationError, match="ends before"):
        tracker_admin.edit(store, "sthlm", actor="anna", term_end=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="needs a name"):
        tracker_admin.edit(store, "sthlm", actor="anna", name="  ")
    cleared = tracker_admin.edit(store, "sthlm", actor="anna", methodology=None)
    assert cleared.methodology is None


def test_archive_and_unarchive_are_audited_and_not_repeated(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
    archived = tracker_admin.archive(store, "sthlm", actor="anna")
    assert archived.archived_at is not None
    with pytest.raises(ValidationError, match="archived already"):
        tracker_admin.archive(store, "sthlm", actor="anna")
    assert tracker_admin.unarchive(store, "sthlm", actor="bo").archived_at is None
    assert len(_events(store, "tracker.archive")) == len(_events(store, "tracker.unarchive")) == 1


def test_delete_needs_the_slug_and_removes_everything_and_audit_still_verifies(
    store: Store,
) -> None:
    site = build_site(store)
    with store.session() as s:
        tracker_store.add_tracker(s, "other", "Another")
    with pytest.raises(ValidationError, match="type the tracker's slug"):
        tracker_admin.delete(store, site.slug, actor="anna", confirm="nope")
    tracker_admin.archive(store, site.slug, actor="anna")  # the site is public: archive first
    counts = tracker_admin.delete(store, site.slug, actor="anna", confirm=site.slug)
    assert counts["documents"] == 4 and counts["pledges"] == 6 and counts["evidence"] == 3
    with store.session() as s:
        assert [t.slug for t in tracker_store.list_trackers(s)] == ["other"]
        report = audit_review.verify(s)
    assert report.ok, report.problems  # the deleted pledges are not reported missing
    [event] = _events(store, "tracker.delete")
    assert len(event["removed_pledges"]) == 6


def test_a_public_tracker_must_be_archived_before_it_is_deleted(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
        tracker_store.get_tracker_row(s, "sthlm").published_at = dt.datetime(2025, 1, 1)
    with pytest.raises(ValidationError, match="archive it first"):
        tracker_admin.delete(store, "sthlm", actor="anna", confirm="sthlm")
    tracker_admin.archive(store, "sthlm", actor="anna")
    assert tracker_admin.delete(store, "sthlm", actor="anna", confirm="sthlm")["documents"] == 0
