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
        )
        .join(UserRow, UserRow.id == SubscriptionRow.user_id)
        .join(TrackerRow, TrackerRow.id == SubscriptionRow.tracker_id)
    )


def _record(
    row: SubscriptionRow, username: str, slug: str, name: str, role: str, disabled: bool
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
) -> bool:
    """Set `last_sent_at` to `new` only if it still is `expected`; False when another sender
    changed it first (the caller must then not send)."""
    current = (
        SubscriptionRow.last_sent_at.is_(None)
        if expected is None
        else SubscriptionRow.last_sent_at == expected
    )
    result = session.execute(
        update(SubscriptionRow)
        .where(SubscriptionRow.id == subscription_id, current)
        .values(last_sent_at=new)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


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
