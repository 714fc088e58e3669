"""Editors' digest subscriptions and the record of every delivery (issue 15).

One subscription per (user, tracker): an e-mail address and/or a webhook URL with its secret,
and `last_sent_at`, the end of the last digest sent. `advance` moves it with a conditional
UPDATE (`WHERE last_sent_at IS <the value read>`), so of two senders that read the same
subscription only one claims the period; the other matches no row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .schema import (
    DeliveryRow,
    DocumentRow,
    EvidenceRow,
    PledgeRow,
    SubscriptionRow,
    TrackerRow,
    UserRow,
)


@dataclass(frozen=True)
class Subscription:
    id: int
    user_id: int
    username: str
    tracker_id: int
    tracker_slug: str
    tracker_name: str
    email: str | None
    webhook_url: str | None
    webhook_secret: str | None
    last_sent_at: dt.datetime | None
    user_active: bool = True  # an enabled editor or admin: only they are sent digests
    tracker_archived: bool = False  # no longer followed up: no digests until unarchived


@dataclass(frozen=True)
class Delivery:
    id: int
    subscription_id: int
    channel: str
    status: str
    attempts: int
    error: str | None
    created_at: dt.datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class NewSuggestion:
    """A suggested piece of evidence, with what a digest shows of its pledge and document."""

    evidence_id: int
    pledge_id: int
    quote: str
    document_id: int
    document_title: str
    document_url: str | None
    score: float
    created_at: dt.datetime


def _select() -> Any:
    return (
        select(
            SubscriptionRow,
            UserRow.username,
            TrackerRow.slug,
            TrackerRow.name,
            UserRow.role,
            UserRow.disabled,
            TrackerRow.archived_at,
        )
        .join(UserRow, UserRow.id == SubscriptionRow.user_id)
        .join(TrackerRow, TrackerRow.id == SubscriptionRow.tracker_id)
    )


def _record(
    row: SubscriptionRow,
    username: str,
    slug: str,
    name: str,
    role: str,
    disabled: bool,
    archived_at: dt.datetime | None,
) -> Subscription:
    return Subscription(
        id=row.id,
        user_id=row.user_id,
        username=username,
        tracker_id=row.tracker_id,
        tracker_slug=slug,
        tracker_name=name,
        email=row.email,
        webhook_url=row.webhook_url,
        webhook_secret=row.webhook_secret,
        last_sent_at=row.last_sent_at,
        user_active=not disabled and role in ("admin", "editor"),
        tracker_archived=archived_at is not None,
    )


def get_subscription(session: Session, user_id: int, tracker_id: int) -> Subscription | None:
    found = session.execute(
        _select().where(
            SubscriptionRow.user_id == user_id, SubscriptionRow.tracker_id == tracker_id
        )
    ).first()
    return None if found is None else _record(*found)


def subscription_by_id(session: Session, subscription_id: int) -> Subscription | None:
    found = session.execute(_select().where(SubscriptionRow.id == subscription_id)).first()
    return None if found is None else _record(*found)


def list_subscriptions(session: Session, tracker_id: int | None = None) -> list[Subscription]:
    query = _select().order_by(TrackerRow.slug, UserRow.username)
    if tracker_id is not None:
        query = query.where(SubscriptionRow.tracker_id == tracker_id)
    return [_record(*found) for found in session.execute(query)]


def set_subscription(
    session: Session,
    user_id: int,
    tracker_id: int,
    *,
    email: str | None,
    webhook_url: str | None,
    webhook_secret: str | None,
) -> Subscription:
    """Insert or replace the user's channels for the tracker; `last_sent_at` is kept. Two
    concurrent first inserts: the unique constraint makes the second a ConflictError."""
    row = session.scalar(
        select(SubscriptionRow).where(
            SubscriptionRow.user_id == user_id, SubscriptionRow.tracker_id == tracker_id
        )
    )
    if row is None:
        row = SubscriptionRow(user_id=user_id, tracker_id=tracker_id)
        session.add(row)
    row.email = email
    row.webhook_url = webhook_url
    row.webhook_secret = webhook_secret
    session.flush()
    found = subscription_by_id(session, row.id)
    assert found is not None
    return found


def remove_subscription(session: Session, user_id: int, tracker_id: int) -> bool:
    """Delete the subscription (and its deliveries); False when there was none."""
    result = session.execute(
        delete(SubscriptionRow).where(
            SubscriptionRow.user_id == user_id, SubscriptionRow.tracker_id == tracker_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def advance(
    session: Session,
    subscription_id: int,
    expected: dt.datetime | None,
    new: dt.datetime | None,
    *,
    not_before: dt.datetime | None = None,
) -> bool:
    """Set `last_sent_at` to `new` only if it still is `expected` and, with `not_before`, no
    delivery of the subscription failed after that time; False when another sender changed it
    first or a delivery failed lately (the caller must then not send).

    The second condition is the minimum interval for failures: a failed digest gives its
    period back (`give_back`), and without it the next run, minutes later, would send it
    again, so the channel that worked would get the same digest on every run while the other
    is down. One conditional UPDATE: a check in Python first could be overtaken."""
    current = (
        SubscriptionRow.last_sent_at.is_(None)
        if expected is None
        else SubscriptionRow.last_sent_at == expected
    )
    query = update(SubscriptionRow).where(SubscriptionRow.id == subscription_id, current)
    if not_before is not None:
        query = query.where(~_failed_after(not_before))
    result = session.execute(
        query.values(last_sent_at=new).execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def give_back(session: Session, subscription_id: int, start: dt.datetime | None) -> bool:
    """Move `last_sent_at` back to `start` (the start of a period whose digest failed) unless
    it is there or earlier already, in one conditional UPDATE.

    Not "back from the value this sender set": another sender (`--force`, or an interval of 0)
    may have claimed the following period while this one was delivering, and a give-back
    that required this sender's own value would then match no row and the failed period
    would be lost. Moving back over a period another sender delivered re-sends its items
    (a duplicate, never a loss); a later sender's own give-back to a later time then leaves
    the earlier start alone. False when nothing changed."""
    later = (
        SubscriptionRow.last_sent_at.is_not(None)
        if start is None
        else SubscriptionRow.last_sent_at > start
    )
    result = session.execute(
        update(SubscriptionRow)
        .where(SubscriptionRow.id == subscription_id, later)
        .values(last_sent_at=start)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def failed_since(session: Session, not_before: dt.datetime) -> set[int]:
    """The subscriptions with a failed delivery after `not_before` (not due: see `advance`)."""
    return set(session.scalars(select(SubscriptionRow.id).where(_failed_after(not_before))))


def _failed_after(not_before: dt.datetime) -> Any:
    """SQL: the subscription has a failed delivery recorded after `not_before`."""
    return (
        select(DeliveryRow.id)
        .where(
            DeliveryRow.subscription_id == SubscriptionRow.id,
            DeliveryRow.status == "failed",
            DeliveryRow.created_at > not_before,
        )
        .exists()
    )


def add_delivery(
    session: Session,
    subscription_id: int,
    *,
    channel: str,
    status: str,
    attempts: int,
    error: str | None,
    payload: dict[str, Any],
) -> Delivery:
    row = DeliveryRow(
        subscription_id=subscription_id,
        channel=channel,
        status=status,
        attempts=attempts,
        error=error,
        payload=payload,
    )
    session.add(row)
    session.flush()
    return _delivery(row)


def _delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        channel=row.channel,
        status=row.status,
        attempts=row.attempts,
        error=row.error,
        created_at=row.created_at,
        payload=dict(row.payload),
    )


def recent_deliveries(session: Session, subscription_id: int, limit: int = 20) -> list[Delivery]:
    rows = session.scalars(
        select(DeliveryRow)
        .where(DeliveryRow.subscription_id == subscription_id)
        .order_by(DeliveryRow.id.desc())
        .limit(limit)
    )
    return [_delivery(row) for row in rows]


def new_suggestions(
    session: Session, tracker_id: int, since: dt.datetime, until: dt.datetime
) -> list[NewSuggestion]:
    """Evidence still `suggested` that was created in (since, until], best score first."""
    rows = session.execute(
        select(
            EvidenceRow.id,
            EvidenceRow.pledge_id,
            PledgeRow.quote,
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.url,
            EvidenceRow.score,
            EvidenceRow.created_at,
        )
        .join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
        .join(DocumentRow, DocumentRow.id == EvidenceRow.document_id)
        .where(
            PledgeRow.tracker_id == tracker_id,
            EvidenceRow.review_state == "suggested",
            EvidenceRow.created_at > since,
            EvidenceRow.created_at <= until,
        )
        .order_by(EvidenceRow.score.desc(), EvidenceRow.id)
    )
    return [NewSuggestion(*row) for row in rows]
