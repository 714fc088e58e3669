"""Pledge queries. Each function takes an open session. (The audit log is in store/audit.py.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError
from ..model import Pledge, PledgeState
from .schema import DocumentRow, PledgeRow


def pledge_record(row: PledgeRow) -> Pledge:
    return Pledge(
        id=row.id,
        tracker_id=row.tracker_id,
        document_id=row.document_id,
        parent_id=row.parent_id,
        start=row.start,
        end=row.end,
        quote=row.quote,
        area=row.area,
        topic=row.topic,
        attributes=dict(row.attributes or {}),
        extractor=row.stage,
        extractor_version=row.stage_version,
        confidence=row.confidence,
        state=PledgeState(row.state),
        version=row.version,
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def get_pledge_row(
    session: Session, pledge_id: int, expected_version: int | None = None
) -> PledgeRow:
    """The pledge row; ConflictError when someone changed it since `expected_version`.

    This early check gives a clear message for a stale form; the atomic check is the
    `WHERE version = ?` the ORM adds when the row is written (PledgeRow.__mapper_args__).
    """
    row = session.get(PledgeRow, pledge_id)
    if row is None:
        raise NotFoundError(f"no pledge with id {pledge_id}")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"pledge {pledge_id} was changed by someone else (version {row.version}, "
            f"you saw {expected_version}); reload it and apply your change again"
        )
    return row


def get_pledge(session: Session, pledge_id: int) -> Pledge:
    return pledge_record(get_pledge_row(session, pledge_id))


def list_pledges(
    session: Session,
    tracker_id: int | None = None,
    *,
    document_id: int | None = None,
    states: Sequence[PledgeState] | None = None,
    area: str | None = None,
) -> list[Pledge]:
    query = select(PledgeRow).order_by(PledgeRow.document_id, PledgeRow.start, PledgeRow.id)
    if tracker_id is not None:
        query = query.where(PledgeRow.tracker_id == tracker_id)
    if document_id is not None:
        query = query.where(PledgeRow.document_id == document_id)
    if states:
        query = query.where(PledgeRow.state.in_([s.value for s in states]))
    if area is not None:
        query = query.where(PledgeRow.area == area)
    return [pledge_record(r) for r in session.scalars(query)]


def pledge_rows_of_document(session: Session, document_id: int) -> list[PledgeRow]:
    query = select(PledgeRow).where(PledgeRow.document_id == document_id).order_by(PledgeRow.id)
    return list(session.scalars(query))


def checkable_ids(pledges: Iterable[tuple[int, int | None, str]]) -> set[int]:
    """Of (id, parent id, state) triples, the pledges that get checked: not rejected, and not
    a group whose parts are live pledges (a split list item is checked through its parts)."""
    rows = list(pledges)
    rejected = PledgeState.REJECTED.value
    groups = {parent for _, parent, state in rows if parent is not None and state != rejected}
    return {i for i, _, state in rows if state != rejected and i not in groups}


def children_rows(session: Session, pledge_id: int) -> list[PledgeRow]:
    return list(session.scalars(select(PledgeRow).where(PledgeRow.parent_id == pledge_id)))


def document_body(session: Session, document_id: int) -> str:
    body = session.scalar(select(DocumentRow.body).where(DocumentRow.id == document_id))
    if body is None:
        raise NotFoundError(f"no document with id {document_id}")
    return body


def pledge_outline(
    session: Session, tracker_id: int
) -> list[tuple[int, int | None, str, str | None]]:
    """(id, parent id, state, area) of a tracker's pledges in id order: what the meter counts by,
    without loading whole records."""
    query = (
        select(PledgeRow.id, PledgeRow.parent_id, PledgeRow.state, PledgeRow.area)
        .where(PledgeRow.tracker_id == tracker_id)
        .order_by(PledgeRow.id)
    )
    return [(i, parent, state, area) for i, parent, state, area in session.execute(query)]


def count_pledges(session: Session, tracker_id: int, state: PledgeState) -> int:
    """How many pledges of a tracker are in `state`."""
    from sqlalchemy import func  # local: this block is appended, the imports above stay as they are

    query = select(func.count(PledgeRow.id)).where(
        PledgeRow.tracker_id == tracker_id, PledgeRow.state == state.value
    )
    return session.scalar(query) or 0
