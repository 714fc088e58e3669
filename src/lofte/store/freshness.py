"""When the public data last changed (the API's Last-Modified)."""

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
