"""Evidence: links from a pledge to a passage, and the editors' decisions on them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError
from ..model import Evidence, ReviewState, Stance
from .schema import EvidenceRow, PledgeRow, utcnow


def evidence_record(row: EvidenceRow) -> Evidence:
    return Evidence(
        id=row.id,
        pledge_id=row.pledge_id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        score=row.score,
        features=dict(row.features or {}),
        linker=row.stage,
        linker_version=row.stage_version,
        stance=Stance(row.stance),
        review_state=ReviewState(row.review_state),
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def get_evidence_row(session: Session, evidence_id: int) -> EvidenceRow:
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise NotFoundError(f"no evidence with id {evidence_id}")
    return row


def change_review_state(
    session: Session, evidence_id: int, new: ReviewState, expected: ReviewState | None
) -> tuple[EvidenceRow, ReviewState]:
    """Set the review state if it still is `expected` (None: what it is now), in one statement;
    returns the row and the state it had.

    `UPDATE … WHERE id = ? AND review_state = ?` is the check: of two editors deciding the
    same suggestion at once, the second matches no row (on PostgreSQL its UPDATE waits for the
    first to commit and then re-reads the row) and gets a ConflictError.
    """
    if expected is None:
        expected = ReviewState(get_evidence_row(session, evidence_id).review_state)
    result = session.execute(
        update(EvidenceRow)
        .where(EvidenceRow.id == evidence_id, EvidenceRow.review_state == expected.value)
        .values(review_state=new.value, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        now = get_evidence_row(session, evidence_id).review_state  # NotFoundError if gone
        raise ConflictError(f"evidence {evidence_id} was already {now} by someone else; reload")
    row = get_evidence_row(session, evidence_id)
    session.refresh(row)  # the row may have been loaded before the UPDATE
    return row, expected


def list_evidence(
    session: Session,
    *,
    tracker_id: int | None = None,
    pledge_id: int | None = None,
    document_id: int | None = None,
    states: Sequence[ReviewState] | None = None,
    min_score: float | None = None,
    limit: int | None = None,
) -> list[Evidence]:
    """Evidence best first (highest score), optionally filtered."""
    query = select(EvidenceRow).order_by(EvidenceRow.score.desc(), EvidenceRow.id)
    if tracker_id is not None:
        query = query.join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id).where(
            PledgeRow.tracker_id == tracker_id
        )
    if pledge_id is not None:
        query = query.where(EvidenceRow.pledge_id == pledge_id)
    if document_id is not None:
        query = query.where(EvidenceRow.document_id == document_id)
    if states:
        query = query.where(EvidenceRow.review_state.in_([s.value for s in states]))
    if min_score is not None:
        query = query.where(EvidenceRow.score >= min_score)
    if limit is not None:
        query = query.limit(limit)
    return [evidence_record(r) for r in session.scalars(query)]


def count_suggested(session: Session, tracker_id: int) -> int:
    """How many evidence links of a tracker wait for an editor (review state suggested)."""
    from sqlalchemy import func  # local: this block is appended, the imports above stay as they are

    query = (
        select(func.count(EvidenceRow.id))
        .join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
        .where(
            PledgeRow.tracker_id == tracker_id,
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
        )
    )
    return session.scalar(query) or 0
