"""store.verdicts: adding a verdict and deciding on evidence, with their audit events."""

from __future__ import annotations

import pytest

from lofte.errors import ConflictError, NotFoundError
from lofte.model import PledgeState, ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.audit import verify
from lofte.store import audit
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def test_decide_then_add_verdict_records_both_events(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    # added as Löfte adds accounts (with its audit event): `verify` below checks them too
    author = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="test")
    with store.session() as s:
        evidence = verdict_store.decide_evidence(
            s, evidence_id, ReviewState.ACCEPTED, ReviewState.SUGGESTED, actor="anna"
        )
    assert evidence.review_state is ReviewState.ACCEPTED
    with store.session() as s:
        pledge = verdict_store.pledge_to_rate(s, pledge_id, 1)
        assert (pledge.state, pledge.version) == (PledgeState.CANDIDATE, 1)
        assert verdict_store.cited_evidence(s, evidence_id) == evidence
        verdict = verdict_store.add_verdict(
            s,
            pledge_id,
            VerdictStatus.KEPT,
            "Invigd.",
            [evidence_id],
            author_id=author.id,
            actor="anna",
            expected_version=1,
        )
    assert (verdict.status, verdict.author, verdict.evidence_ids) == (
        VerdictStatus.KEPT,
        "anna",
        (evidence_id,),
    )
    with store.session() as s:
        assert verdict_store.pledge_to_rate(s, pledge_id).version == 2
        events = audit.list_events(s)
        assert [e.action for e in events] == ["user.add", "evidence.accept", "verdict.set"]
        assert events[2].details["verdict"]["author"] == "anna"
        assert verify(s).ok


def test_a_stale_version_and_missing_rows(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    with pytest.raises(ConflictError), store.session() as s:
        verdict_store.pledge_to_rate(s, pledge_id, 7)
    with pytest.raises(ConflictError), store.session() as s:
        verdict_store.add_verdict(
            s,
            pledge_id,
            VerdictStatus.STALLED,
            "Inget händer.",
            [],
            author_id=None,
            actor="cli",
            expected_version=7,
        )
    with pytest.raises(NotFoundError), store.session() as s:
        verdict_store.cited_evidence(s, evidence_id + 100)
    with pytest.raises(ConflictError), store.session() as s:  # decided already by someone else
        verdict_store.decide_evidence(
            s, evidence_id, ReviewState.REJECTED, ReviewState.ACCEPTED, actor="anna"
        )
    with store.session() as s:
        assert verdict_store.verdict_history(s, pledge_id) == []
        assert audit.list_events(s) == []


def test_a_verdict_without_an_account_has_no_author(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    with store.session() as s:
        verdict = verdict_store.add_verdict(
            s, pledge_id, VerdictStatus.STALLED, "Inget händer.", [], author_id=None, actor="cli"
        )
        assert verdict.author is None
        [event] = audit.list_events(s)
        assert event.actor == "cli" and event.details["verdict"]["author"] is None
