"""Editing, archiving and deleting trackers (review/tracker_admin.py): audited, with rules."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ConflictError, ValidationError
from lofte.model import VerdictStatus
from lofte.review import audit as audit_review
from lofte.review import tracker_admin
from lofte.review import trackers as tracker_review
from lofte.review.pledges import confirm
from lofte.review.verdicts import set_verdict
from lofte.store import audit, watched
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.watch import sources
from tests.interleave import meanwhile
from tests.review.fixtures import pledge_with_evidence
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
    with pytest.raises(
        ValidationError, match=r"ends \(2020-01-01\) before it starts \(2022-10-15\)"
    ):
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


def _paused(store: Store) -> list[str]:
    with store.session() as s:
        return [x.name for x in watched.list_sources(s) if x.paused]


def test_archiving_pauses_the_trackers_sources_and_none_runs_again_until_unarchived(
    store: Store,
) -> None:
    """QA at the term's end: an archived tracker ("no longer followed up") went on taking its
    feed's news, and its public meter moved. Archiving pauses its watched sources (audited);
    resuming or adding one is refused while it is archived."""
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
    sources.add(store, "sthlm", "nyheter", "https://stad.example/rss", actor="anna")
    sources.add(store, "sthlm", "beslut", "https://stad.example/beslut", actor="anna")
    sources.set_paused(store, "sthlm", "beslut", True, actor="anna")
    done = tracker_admin.archive_tracker(store, "sthlm", actor="bo")
    assert done.paused == ("nyheter",)  # the one paused before is not paused again
    assert _paused(store) == ["beslut", "nyheter"]
    (event,) = [e for e in _events(store, "source.pause") if e.get("because")]
    assert event == {"tracker": "sthlm", "name": "nyheter", "because": "tracker.archive"}
    with store.session() as s:
        assert watched.due_sources(s, dt.datetime(2100, 1, 1)) == []
    for refused in (
        lambda: sources.set_paused(store, "sthlm", "nyheter", False, actor="anna"),
        lambda: sources.add(store, "sthlm", "ny", "https://stad.example/ny", actor="anna"),
    ):
        with pytest.raises(ValidationError, match="'sthlm' is archived .*tracker unarchive sthlm"):
            refused()
    back = tracker_admin.unarchive_tracker(store, "sthlm", actor="bo")
    assert _paused(store) == ["beslut", "nyheter"]  # following one again is a choice
    assert back.paused == ("nyheter",)  # not the one paused by hand before (review)
    sources.set_paused(store, "sthlm", "nyheter", False, actor="anna")
    with store.session() as s:
        assert [x.name for x in watched.due_sources(s, dt.datetime(2100, 1, 1))] == ["nyheter"]
        assert audit_review.verify(s).ok


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


def test_a_deleted_trackers_ids_are_not_given_again(store: Store) -> None:
    """Insider QA: on SQLite the next tracker took a deleted one's id (its audit events became
    the new one's history), and the next verdicts took ids the public pages had cited."""
    site = build_site(store)
    cited = set_verdict(store, site.pool, VerdictStatus.IN_THE_WORKS, "Bygget pågår.", actor="anna")
    with store.session() as s:
        first = tracker_store.get_tracker_row(s, site.slug).id
    tracker_admin.archive(store, site.slug, actor="anna")
    tracker_admin.delete(store, site.slug, actor="anna", confirm=site.slug)
    pledge_id, _ = pledge_with_evidence(store)  # in a new tracker of the same name
    confirm(store, pledge_id, actor="anna")
    verdict = set_verdict(store, pledge_id, VerdictStatus.NOT_RATED, "Ej bedömt.", actor="anna")
    assert verdict.id > cited.id
    with store.session() as s:
        assert min(t.id for t in tracker_store.list_trackers(s)) > first
        assert audit_review.verify(s).ok


def test_a_public_tracker_must_be_archived_before_it_is_deleted(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
        tracker_store.get_tracker_row(s, "sthlm").published_at = dt.datetime(2025, 1, 1)
    with pytest.raises(ValidationError, match="archive it first"):
        tracker_admin.delete(store, "sthlm", actor="anna", confirm="sthlm")
    tracker_admin.archive(store, "sthlm", actor="anna")
    assert tracker_admin.delete(store, "sthlm", actor="anna", confirm="sthlm")["documents"] == 0


# --- another editor's change between the checks above and the write (tests/interleave.py) ----


def test_a_tracker_published_meanwhile_is_not_deleted(store: Store) -> None:
    """Delete read the tracker as a draft; another editor published it before the delete
    wrote. The check must be the database's: the public tracker stays, with its meter."""
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")

    def publish() -> object:
        return tracker_review.publish_tracker(store, "sthlm", actor="bo")

    with meanwhile(store, publish) as seen, pytest.raises(ValidationError, match="archive it"):
        tracker_admin.delete(store, "sthlm", actor="anna", confirm="sthlm")
    assert seen
    with store.session() as s:
        assert tracker_store.get_tracker(s, "sthlm").published_at is not None
    assert _events(store, "tracker.delete") == []


def test_a_tracker_unarchived_meanwhile_is_not_deleted(store: Store) -> None:
    site = build_site(store)  # published
    tracker_admin.archive(store, site.slug, actor="anna")

    def unarchive() -> object:
        return tracker_admin.unarchive(store, site.slug, actor="bo")

    with meanwhile(store, unarchive) as seen, pytest.raises(ValidationError, match="archive it"):
        tracker_admin.delete(store, site.slug, actor="anna", confirm=site.slug)
    assert seen
    with store.session() as s:
        assert tracker_admin.is_public(tracker_store.get_tracker(s, site.slug))
        tracker_id = tracker_store.get_tracker(s, site.slug).id
        assert tracker_store.tracker_contents(s, tracker_id)["pledges"]


def test_archiving_at_once_with_another_editor_is_one_event(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")
    first = tracker_admin.archive(store, "sthlm", actor="bo")
    tracker_admin.unarchive(store, "sthlm", actor="bo")
    again: list[object] = []

    def archive() -> None:
        again.append(tracker_admin.archive(store, "sthlm", actor="bo"))

    with meanwhile(store, archive), pytest.raises(ValidationError, match="archived already"):
        tracker_admin.archive(store, "sthlm", actor="anna")
    assert again and first.archived_at is not None
    assert len(_events(store, "tracker.archive")) == 2  # bo's two; anna's none
    with store.session() as s:
        assert tracker_store.get_tracker(s, "sthlm").archived_at is not None

    def unarchive() -> None:
        tracker_admin.unarchive(store, "sthlm", actor="bo")

    with meanwhile(store, unarchive), pytest.raises(ValidationError, match="not archived"):
        tracker_admin.unarchive(store, "sthlm", actor="anna")
    assert len(_events(store, "tracker.unarchive")) == 2


def test_an_edit_reads_the_tracker_as_it_is_when_it_writes(store: Store) -> None:
    """bo renamed the tracker between anna's read and her write: her event must say what she
    changed from (bo's name), so the events chain; the old code wrote the name it read."""
    with store.session() as s:
        tracker_store.add_tracker(s, "sthlm", "Stockholm")

    def bo() -> object:
        return tracker_admin.edit(store, "sthlm", actor="bo", name="Stockholms stad")

    with meanwhile(store, bo) as seen:
        tracker_admin.edit(store, "sthlm", actor="anna", name="Region Stockholm")
    assert seen
    names = [e["changes"]["name"] for e in _events(store, "tracker.edit")]
    assert names == [
        {"before": "Stockholm", "after": "Stockholms stad"},
        {"before": "Stockholms stad", "after": "Region Stockholm"},
    ]


def test_an_edit_from_a_form_loaded_before_another_change_is_a_conflict(store: Store) -> None:
    with store.session() as s:
        loaded = tracker_store.add_tracker(s, "sthlm", "Stockholm").modified_at

    def bo() -> object:  # from the same page as anna, saved first
        return tracker_admin.edit(store, "sthlm", actor="bo", name="Stockholms stad", seen=loaded)

    with meanwhile(store, bo), pytest.raises(ConflictError, match="changed by someone else"):
        tracker_admin.edit(store, "sthlm", actor="anna", description="Ny text", seen=loaded)
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, "sthlm")
    assert (tracker.name, tracker.description) == ("Stockholms stad", None)
    assert len(_events(store, "tracker.edit")) == 1
