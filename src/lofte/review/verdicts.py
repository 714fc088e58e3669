"""Verdicts and evidence decisions: the editor's judgement, append-only and audited.

A verdict needs a rationale. Kept, partially kept and broken need at least one accepted piece
of evidence of the same pledge; not checkable needs the reason in its rationale. Setting a
verdict bumps the pledge's version, so two editors rating the same pledge at once cannot
overwrite each other: the second gets a ConflictError and can reload.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..errors import ValidationError
from ..model import Evidence, PledgeState, ReviewState, User, Verdict, VerdictStatus
from ..store import audit
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import verdicts as verdict_store
from ..store.db import Store
from ..store.schema import UserRow, VerdictRow

NEEDS_EVIDENCE = frozenset({VerdictStatus.KEPT, VerdictStatus.PARTIALLY_KEPT, VerdictStatus.BROKEN})


def set_verdict(
    store: Store,
    pledge_id: int,
    status: VerdictStatus,
    rationale: str,
    evidence_ids: Sequence[int] = (),
    *,
    author: User | None = None,
    actor: str | None = None,
    expected_version: int | None = None,
) -> Verdict:
    """Rate a pledge. `actor` (who, for the audit log) defaults to the author's username;
    one of the two is required."""
    actor = actor or (author.username if author else None)
    if not actor:
        raise ValidationError("a verdict needs an author or an actor (who sets it)")
    rationale = rationale.strip()
    if not rationale and status is not VerdictStatus.NOT_RATED:
        what = "the reason it cannot be checked" if status is VerdictStatus.NOT_CHECKABLE else "a rationale"
        raise ValidationError(f"a verdict '{status.value}' needs {what}")
    with store.session() as session:
        pledge = pledge_store.get_pledge_row(session, pledge_id, expected_version)
        if pledge.state == PledgeState.REJECTED.value:
            raise ValidationError(f"pledge {pledge_id} is rejected: it gets no verdict")
        ids = sorted(set(evidence_ids))
        for evidence_id in ids:
            row = evidence_store.get_evidence_row(session, evidence_id)
            if row.pledge_id != pledge_id:
                raise ValidationError(f"evidence {evidence_id} belongs to another pledge")
            if row.review_state != ReviewState.ACCEPTED.value:
                raise ValidationError(f"evidence {evidence_id} is not accepted; accept it first")
        if status in NEEDS_EVIDENCE and not ids:
            raise ValidationError(
                f"a verdict '{status.value}' needs at least one accepted piece of evidence"
            )
        # from the CLI there is no login: the actor is the author when an account has that name
        author_id = author.id if author else session.scalar(
            select(UserRow.id).where(UserRow.username == actor))
        verdict = VerdictRow(pledge_id=pledge_id, status=status.value, rationale=rationale,
                             evidence_ids=ids, author_id=author_id)
        session.add(verdict)
        pledge.version += 1
        session.flush()
        audit.record_event(session, "verdict.set", "pledge", pledge_id, actor,
                           status=status.value, verdict_id=verdict.id, evidence_ids=ids,
                           verdict=audit.verdict_state(verdict, actor if author_id else None),
                           pledges=[audit.pledge_state(pledge)])
        return verdict_store.verdict_history(session, pledge_id)[-1]


def decide_evidence(
    store: Store,
    evidence_id: int,
    accept: bool,
    *,
    actor: str,
    expected_state: ReviewState | None = ReviewState.SUGGESTED,
) -> Evidence:
    """Accept or reject a suggestion. A decision someone else made meanwhile is a conflict."""
    new = ReviewState.ACCEPTED if accept else ReviewState.REJECTED
    with store.session() as session:
        row, before = evidence_store.change_review_state(session, evidence_id, new, expected_state)
        audit.record_event(session, f"evidence.{'accept' if accept else 'reject'}",
                           "evidence", row.id, actor, pledge_id=row.pledge_id,
                           document_id=row.document_id, before=before.value,
                           evidence=[audit.evidence_state(row)])
        session.flush()
        return evidence_store.evidence_record(row)
