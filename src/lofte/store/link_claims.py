"""Who is linking a tracker now (table link_claims): one `lofte link` run per tracker at a time.

Every step is one conditional UPDATE, so two processes cannot both win: a run takes the claim
only while it is free (no holder, or a lease that ran out, or the holder the caller names as
dead), renews it only while it still holds it, and frees only its own. Commit each at once so
other processes see it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from .schema import LinkClaimRow, utcnow


@dataclass(frozen=True)
class Claim:
    holder: str
    started_at: dt.datetime
    lease_until: dt.datetime


def claim(
    session: Session,
    tracker_id: int,
    holder: str,
    now: dt.datetime,
    lease_until: dt.datetime,
    *,
    dead: str | None = None,
) -> bool:
    """Take the tracker for `holder` until `lease_until`: True when it was free at `now` (or
    held by `dead`, a holder the caller knows has stopped), False when another holds it."""
    _ensure_row(session, tracker_id)
    free: ColumnElement[bool] = or_(LinkClaimRow.holder.is_(None), LinkClaimRow.lease_until < now)
    if dead is not None:
        free = or_(free, LinkClaimRow.holder == dead)
    return _updated(
        session,
        tracker_id,
        free,
        holder=holder,
        started_at=now,
        lease_until=lease_until,
        modified_at=utcnow(),
    )


def renew(session: Session, tracker_id: int, holder: str, lease_until: dt.datetime) -> bool:
    """Move the lease on; False when `holder` no longer holds the tracker (another run took it
    over after the lease ran out)."""
    return _updated(
        session,
        tracker_id,
        LinkClaimRow.holder == holder,
        lease_until=lease_until,
        modified_at=utcnow(),
    )


def release(session: Session, tracker_id: int, holder: str) -> bool:
    """Free the tracker if `holder` still holds it."""
    return _updated(
        session,
        tracker_id,
        LinkClaimRow.holder == holder,
        holder=None,
        started_at=None,
        lease_until=None,
        modified_at=utcnow(),
    )


def current(session: Session, tracker_id: int) -> Claim | None:
    """The tracker's holder as stored (perhaps with a lease that ran out), or None if free."""
    row = session.get(LinkClaimRow, tracker_id, populate_existing=True)
    if row is None or row.holder is None or row.started_at is None or row.lease_until is None:
        return None
    return Claim(row.holder, row.started_at, row.lease_until)


def _ensure_row(session: Session, tracker_id: int) -> None:
    """The tracker's row, free, if it has none yet (a row a concurrent run inserted first is
    as good)."""
    if session.get(LinkClaimRow, tracker_id) is not None:
        return
    now = utcnow()
    try:
        with session.begin_nested():
            session.execute(
                insert(LinkClaimRow).values(tracker_id=tracker_id, created_at=now, modified_at=now)
            )
    except IntegrityError:
        # another run's row is as good; no tracker at all is not "held by another run"
        if session.get(LinkClaimRow, tracker_id, populate_existing=True) is None:
            raise NotFoundError(f"no tracker with id {tracker_id}") from None


def _updated(
    session: Session, tracker_id: int, condition: ColumnElement[bool], **values: object
) -> bool:
    result = session.execute(
        update(LinkClaimRow)
        .where(LinkClaimRow.tracker_id == tracker_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
