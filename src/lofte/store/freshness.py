"""When public data last changed: the whole store (the API's Last-Modified) or one tracker
("senast uppdaterad" on its pages)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .schema import AuditEventRow, DocumentRow, EvidenceRow, PledgeRow, TrackerRow, VerdictRow


def last_change(session: Session) -> dt.datetime | None:
    """The newest change to what the public pages show (UTC, naive as stored): rows' last
    modification, and the audit log's newest event, which also marks what was deleted."""
    moments = [
        session.scalar(select(func.max(row.modified_at)))
        for row in (TrackerRow, DocumentRow, PledgeRow, EvidenceRow, VerdictRow)
    ]
    moments.append(session.scalar(select(func.max(AuditEventRow.created_at))))
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def last_updated(session: Session, tracker_id: int) -> dt.datetime | None:
    """The latest change (UTC, naive) to the tracker or anything in it; None when unknown."""
    pledges = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    queries = [
        select(func.max(TrackerRow.modified_at)).where(TrackerRow.id == tracker_id),
        select(func.max(DocumentRow.modified_at)).where(DocumentRow.tracker_id == tracker_id),
        select(func.max(PledgeRow.modified_at)).where(PledgeRow.tracker_id == tracker_id),
        select(func.max(EvidenceRow.modified_at)).where(EvidenceRow.pledge_id.in_(pledges)),
        select(func.max(VerdictRow.created_at)).where(VerdictRow.pledge_id.in_(pledges)),
    ]
    found = [value for q in queries if (value := session.scalar(q)) is not None]
    return max(found) if found else None
