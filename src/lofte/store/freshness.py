"""When a tracker's public content last changed: its documents, pledges, evidence, verdicts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .schema import DocumentRow, EvidenceRow, PledgeRow, TrackerRow, VerdictRow


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
