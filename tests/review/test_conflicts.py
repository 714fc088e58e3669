"""review.conflicts: the change a conflict met, read from the audit log."""

from __future__ import annotations

from lofte.review import conflicts
from lofte.review import pledges as review_pledges
from lofte.review.verdicts import decide_evidence
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def test_the_change_after_the_version_the_editor_saw_is_named(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    with store.session() as s:
        assert conflicts.pledge_change(s, pledge_id) is None  # nothing recorded yet
    review_pledges.edit(store, pledge_id, area="Idrott", actor="anna", expected_version=1)
    review_pledges.confirm(store, pledge_id, actor="bo", expected_version=2)
    with store.session() as s:
        newest = conflicts.pledge_change(s, pledge_id, seen_version=1)
        assert newest is not None
        assert (newest.actor, newest.action, newest.fields) == ("bo", "pledge.confirm", ("state",))
        edited = conflicts.pledge_change(s, pledge_id, seen_version=0)
        assert edited is not None and edited.actor == "bo"  # the newest of those after 0
    decide_evidence(store, evidence_id, False, actor="anna", reason="Fel simhall.")
    with store.session() as s:
        decided = conflicts.entity_change(s, "evidence", evidence_id)
    assert decided is not None
    assert (decided.actor, decided.action, decided.fields) == (
        "anna",
        "evidence.reject",
        ("review_state",),
    )


def test_a_draft_is_never_the_change_a_stale_form_met(store: Store) -> None:
    """QA: a 409 named an editor's draft (which leaves the version as it was) instead of the
    published verdict that moved the version."""
    from lofte.model import VerdictStatus
    from lofte.review.verdicts import set_verdict

    pledge_id, _ = pledge_with_evidence(store)
    review_pledges.confirm(store, pledge_id, actor="anna", expected_version=1)
    set_verdict(store, pledge_id, VerdictStatus.STALLED, "Inget händer.", actor="kalle")
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Utkast.", actor="bo", draft=True)
    with store.session() as s:
        newest = conflicts.pledge_change(s, pledge_id, seen_version=2)
    assert newest is not None
    assert (newest.actor, newest.action) == ("kalle", "verdict.set")


def test_changed_fields_reads_what_the_event_records() -> None:
    changes = {"area": {"before": None, "after": "Idrott"}, "topic": {"before": 1, "after": 2}}
    assert conflicts.changed_fields("pledge.edit", {"changes": changes}) == ("area", "topic")
    records = {"before": {"title": "a", "kind": "news"}, "after": {"title": "b", "kind": "news"}}
    assert conflicts.changed_fields("document.edit", records) == ("title",)
    assert conflicts.changed_fields("verdict.set", {"status": "kept"}) == ("status",)
    assert conflicts.changed_fields("tracker.publish", {}) == ()
