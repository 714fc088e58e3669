"""When the public data last changed, and when each pledge's status was set (for the API's
Last-Modified and date filters)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .schema import AuditEventRow, DocumentRow, EvidenceRow, PledgeRow, TrackerRow, VerdictRow


def last_change(session: Session) -> dt.datetime | None:
    """The newest change to what the public pages show (UTC, naive as stored): rows' last
    modification, and the audit log's newest event, which also marks what was deleted."""
    moments = [session.scalar(select(func.max(row.modified_at)))
               for row in (TrackerRow, DocumentRow, PledgeRow, EvidenceRow, VerdictRow)]
    moments.append(session.scalar(select(func.max(AuditEventRow.created_at))))
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def status_dates(session: Session, tracker_id: int | None = None) -> dict[int, dt.date]:
    """The day each pledge's current status was published: its newest published verdict."""
    query = select(VerdictRow.pledge_id, VerdictRow.created_at).where(
        VerdictRow.published.is_(True))
    if tracker_id is not None:
        query = query.join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id).where(
            PledgeRow.tracker_id == tracker_id)
    out: dict[int, dt.date] = {}
    for pledge_id, created in session.execute(query.order_by(VerdictRow.id)):
        out[pledge_id] = created.date()
    return out
