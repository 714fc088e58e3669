"""Verdicts: rules for evidence and reasons, append-only history, conflicts between editors."""

from __future__ import annotations

import pytest

from lofte.errors import ConflictError, ValidationError
from lofte.model import ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import audit
from lofte.store import evidence as evidence_repo
from lofte.store import pledges as pledge_repo
from lofte.store import repositories as repo
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow

PROGRAM = "Vi kommer att bygga en ny simhall i Norrvik."
NEWS = "Den nya simhallen i Norrvik invigdes i dag."


def _setup(store: Store) -> tuple[int, int]:
    """A pledge and one suggested piece of evidence for it: (pledge id, evidence id)."""
    with store.session() as s:
        tracker = repo.ensure_tracker(s, "sjovik")
        s.flush()
        docs = []
        for key, body, kind in (("p", PROGRAM, "program"), ("n", NEWS, "news")):
            raw = repo.put_raw(s, body.encode(), "text/plain")
            doc = DocumentRow(tracker_id=tracker.id, origin=f"{key}.txt", item_key="", kind=kind,
                              title=key, body=body, content_hash=key, raw_sha256=raw,
                              stage="parse:test", stage_version="1")
            s.add(doc)
            docs.append(doc)
        s.flush()
        pledge = PledgeRow(tracker_id=tracker.id, document_id=docs[0].id, start=0,
                           end=len(PROGRAM), quote=PROGRAM, attributes={}, confidence=1.0,
                           stage="extract", stage_version="1")
        s.add(pledge)
        s.flush()
        evidence = EvidenceRow(pledge_id=pledge.id, document_id=docs[1].id, start=0,
                               end=len(NEWS), score=0.9, features={}, stage="link",
                               stage_version="1")
        s.add(evidence)
        s.flush()
        return pledge.id, evidence.id


def test_kept_needs_accepted_evidence(store: Store) -> None:
    pledge_id, evidence_id = _setup(store)
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    with pytest.raises(ValidationError, match="needs at least one accepted"):
        set_verdict(store, pledge_id, VerdictStatus.KEPT, "Simhallen är invigd.", author=editor)
    with pytest.raises(ValidationError, match="not accepted"):
        set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor)
    decide_evidence(store, evidence_id, True, actor="anna")
    verdict = set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor)
    assert verdict.status is VerdictStatus.KEPT and verdict.author == "anna"
    assert verdict.evidence_ids == (evidence_id,)


def test_not_checkable_needs_a_reason_and_history_is_append_only(store: Store) -> None:
    pledge_id, _ = _setup(store)
    with pytest.raises(ValidationError, match="reason"):
        set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, "  ", actor="tester")
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Upphandling pågår.", actor="tester")
    set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, "Löftet saknar mätbart mål.", actor="tester")
    with store.session() as s:
        history = evidence_repo.verdict_history(s, pledge_id)
        assert [v.status for v in history] == [VerdictStatus.IN_THE_WORKS, VerdictStatus.NOT_CHECKABLE]
        assert evidence_repo.statuses(s)[pledge_id] is VerdictStatus.NOT_CHECKABLE
        assert [e.action for e in audit.list_events(s, "pledge", pledge_id)] == ["verdict.set"] * 2


def test_two_editors_at_once_the_second_gets_a_conflict(store: Store) -> None:
    pledge_id, evidence_id = _setup(store)
    with store.session() as s:
        seen = pledge_repo.get_pledge(s, pledge_id).version
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Beslut fattat.", expected_version=seen, actor="tester")
    with pytest.raises(ConflictError):
        set_verdict(store, pledge_id, VerdictStatus.STALLED, "Inget händer.", expected_version=seen, actor="tester")
    decide_evidence(store, evidence_id, False, actor="anna")
    with pytest.raises(ConflictError, match="already rejected"):
        decide_evidence(store, evidence_id, True, actor="bo")
    with store.session() as s:
        (evidence,) = evidence_repo.list_evidence(s, pledge_id=pledge_id)
        assert evidence.review_state is ReviewState.REJECTED
        assert [v.status for v in evidence_repo.verdict_history(s, pledge_id)] == [VerdictStatus.IN_THE_WORKS]


def test_a_rejected_pledge_gets_no_verdict(store: Store) -> None:
    from lofte.review.pledges import reject

    pledge_id, _ = _setup(store)
    reject(store, pledge_id, reason="inget löfte", actor="tester")
    with pytest.raises(ValidationError, match="rejected"):
        set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Något händer.", actor="tester")
