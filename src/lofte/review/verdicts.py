"""Verdicts and evidence decisions: the editor's judgement, append-only and audited.

A verdict needs a rationale. Kept, partially kept and broken need at least one accepted piece
of evidence of the same pledge; not checkable needs the reason in its rationale. Setting a
verdict bumps the pledge's version, so two editors rating the same pledge at once cannot
overwrite each other: the second gets a ConflictError and can reload.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ValidationError
from ..model import Evidence, PledgeState, ReviewState, User, Verdict, VerdictStatus
from ..store import users as user_store
from ..store import verdicts as verdict_store
from ..store.db import Store

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
        what = (
            "the reason it cannot be checked"
            if status is VerdictStatus.NOT_CHECKABLE
            else "a rationale"
        )
        raise ValidationError(f"a verdict '{status.value}' needs {what}")
    with store.session() as session:
        pledge = verdict_store.pledge_to_rate(session, pledge_id, expected_version)
        if pledge.state is PledgeState.REJECTED:
            raise ValidationError(f"pledge {pledge_id} is rejected: it gets no verdict")
        ids = sorted(set(evidence_ids))
        for evidence_id in ids:
            evidence = verdict_store.cited_evidence(session, evidence_id)
            if evidence.pledge_id != pledge_id:
                raise ValidationError(f"evidence {evidence_id} belongs to another pledge")
            if evidence.review_state is not ReviewState.ACCEPTED:
                raise ValidationError(f"evidence {evidence_id} is not accepted; accept it first")
        if status in NEEDS_EVIDENCE and not ids:
            raise ValidationError(
                f"a verdict '{status.value}' needs at least one accepted piece of evidence"
            )
        # from the CLI there is no login: the actor is the author when an account has that name
        if author is not None:
            author_id: int | None = author.id
        else:
            account = user_store.find_user(session, actor)
            author_id = account.id if account else None
        return verdict_store.add_verdict(
            session,
            pledge_id,
            status,
            rationale,
            ids,
            author_id=author_id,
            actor=actor,
            # the version the checks above read: a change since is a conflict
            expected_version=pledge.version,
        )


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
        return verdict_store.decide_evidence(session, evidence_id, new, expected_state, actor=actor)
