"""The audit log: append-only, hash-chained events.

Each event has a sequence number (unique, no gaps), the hash of the event before it and the
hash of its own content (canonical JSON of seq, time, actor, action, entity, details and the
previous hash). Its details carry the state the change produced (see the `*_state` helpers), so
`lofte audit verify` can check the current rows against their last event.

Appending is serialised by the database, never by a read-then-write in Python: the one row of
`audit_head` is bumped with `UPDATE … SET seq = seq + 1 … RETURNING`, which locks that row on
PostgreSQL and takes the write lock on SQLite, until the transaction ends. Triggers (migration
0005) refuse UPDATE and DELETE on `audit_events`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, and_, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from ..errors import StoreError, ValidationError
from ..model import AuditEvent, ChainEvent, ReviewState
from .schema import (
    AuditEventRow,
    AuditHeadRow,
    DocumentRow,
    EvidenceRow,
    PledgeRow,
    UserRow,
    VerdictRow,
    utcnow,
)

GENESIS_HASH = "0" * 64  # the "previous hash" of the first event
HEAD_ID = 1
SYSTEM_ACTOR = "lofte"  # events of the pipeline itself (extraction, re-ingest), no person behind


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def event_hash(
    seq: int,
    time: dt.datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    content = {
        "seq": seq,
        "time": time.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": {"type": entity_type, "id": entity_id},
        "details": details,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def row_hash(row: AuditEventRow) -> str:
    """The hash the row's content should have (compare with `row.hash`)."""
    return event_hash(
        row.seq,
        row.created_at,
        row.actor,
        row.action,
        row.entity_type,
        row.entity_id,
        dict(row.details or {}),
        row.prev_hash,
    )


def record_event(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: int | None,
    actor: str | None = None,
    **details: Any,
) -> AuditEventRow:
    """Append one event to the chain, in the caller's transaction.

    `actor` is required (the default exists only to keep the historical signature): a change
    nobody can be named for is refused. The pipeline itself records as SYSTEM_ACTOR.
    """
    if actor is None or not actor.strip():
        raise ValidationError(f"audit event {action!r} needs an actor (who made the change)")
    # the JSON form is what the database gives back, so hash exactly that
    clean: dict[str, Any] = json.loads(canonical_json(details))
    # Takes the head row's lock (PostgreSQL) / the database write lock (SQLite) until commit:
    # concurrent appenders queue here and each sees the seq and hash the one before wrote.
    head = session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == HEAD_ID)
        .values(seq=AuditHeadRow.seq + 1)
        .returning(AuditHeadRow.seq, AuditHeadRow.hash)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if head is None:
        raise StoreError(
            "the audit chain has no head row: run `lofte init` (or the store was tampered with)"
        )
    seq, prev_hash = head
    now = utcnow()
    digest = event_hash(seq, now, actor, action, entity_type, entity_id, clean, prev_hash)
    row = AuditEventRow(
        seq=seq,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=clean,
        prev_hash=prev_hash,
        hash=digest,
        created_at=now,
        modified_at=now,
    )
    session.add(row)
    session.flush()
    session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == HEAD_ID, AuditHeadRow.seq == seq)
        .values(hash=digest)
        .execution_options(synchronize_session=False)
    )
    return row


def chain_head(session: Session) -> ChainHead | None:
    row = session.get(AuditHeadRow, HEAD_ID, populate_existing=True)
    return None if row is None else ChainHead(row.seq, row.hash)


def iter_events(session: Session, batch: int = 1000) -> Iterator[AuditEventRow]:
    """Every event in seq order, a batch at a time (the log can be long)."""
    last = None
    while True:
        query = select(AuditEventRow).order_by(AuditEventRow.seq).limit(batch)
        if last is not None:
            query = query.where(AuditEventRow.seq > last)
        rows = list(session.scalars(query))
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        for row in rows:  # keep memory flat without touching the caller's other objects
            session.expunge(row)


def list_events(
    session: Session, entity_type: str | None = None, entity_id: int | None = None
) -> list[AuditEvent]:
    query = select(AuditEventRow).order_by(AuditEventRow.seq)
    if entity_type is not None:
        query = query.where(AuditEventRow.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEventRow.entity_id == entity_id)
    return [audit_event_record(r) for r in session.scalars(query)]


def all_events(session: Session) -> Iterator[AuditEvent]:
    """The whole log in chain order, as records, a batch at a time."""
    for row in iter_events(session):
        yield audit_event_record(row)


def audit_event_record(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        details=dict(row.details or {}),
        created_at=row.created_at,
        seq=row.seq,
        hash=row.hash,
        prev_hash=row.prev_hash,
    )


# --- the state a change produced, as recorded in its event ---------------------------------


def deleted_public_tracker(session: Session, slug: str) -> dt.datetime | None:
    """When a tracker named `slug` that had been published was last deleted, as the log
    records it (naive UTC); None when no such tracker was."""
    return _public_deletes(session).trackers.get(slug)


def deleted_with_public_tracker(
    session: Session, kind: str, record_id: int
) -> tuple[str, dt.datetime] | None:
    """(slug, when) of the published tracker whose deletion took the `kind` ("pledge" or
    "document") `record_id` with it, or None: a link to a deleted tracker's pledge or
    document answers as its tracker's address does (insider QA: a plain 404). Deletes
    before the log named their documents name only their pledges."""
    return _public_deletes(session).records.get((kind, record_id))


@dataclass(frozen=True)
class _PublicDeletes:
    """What the deletions of published trackers took, as the log records them: each slug's
    last deletion, and the tracker (slug, when) of each pledge and document it took."""

    trackers: dict[str, dt.datetime]
    records: dict[tuple[str, int], tuple[str, dt.datetime]]


# Per database, with the newest tracker event it was read at (its hash): a missing id is found
# without decoding every deletion's id lists again (review: 58 ms per probed /pledges/N with
# one large deleted tracker; ids are probed in sequence by crawlers). Never given again, a
# deleted id stays deleted; a new publish or delete is a new newest event: read anew.
_DELETES: dict[str, tuple[str | None, _PublicDeletes]] = {}
_TRACKER_EVENTS = ("tracker.publish", "tracker.delete")


def _public_deletes(session: Session) -> _PublicDeletes:
    newest = session.scalar(  # its hash: a restored or another in-memory store is not this one
        select(AuditEventRow.hash)
        .where(AuditEventRow.entity_type == "tracker")
        .where(AuditEventRow.action.in_(_TRACKER_EVENTS))
        .order_by(AuditEventRow.seq.desc())
        .limit(1)
    )
    where = str(session.connection().engine.url)
    kept = _DELETES.get(where)
    if kept is not None and kept[0] == newest:
        return kept[1]
    query = (
        select(
            AuditEventRow.action,
            AuditEventRow.entity_id,
            AuditEventRow.details,
            AuditEventRow.created_at,
        )
        .where(AuditEventRow.entity_type == "tracker")
        .where(AuditEventRow.action.in_(_TRACKER_EVENTS))
        .order_by(AuditEventRow.seq)
    )
    published: set[int | None] = set()
    found = _PublicDeletes({}, {})
    for action, entity_id, details, at in session.execute(query):
        if action == "tracker.publish":
            published.add(entity_id)
            continue
        slug = details.get("slug") if isinstance(details, dict) else None
        if entity_id not in published or not isinstance(slug, str):
            continue
        found.trackers[slug] = at
        for kind in ("pledge", "document"):
            for record_id in details.get(f"removed_{kind}s") or ():
                if isinstance(record_id, int):
                    found.records[(kind, record_id)] = (slug, at)
    _DELETES[where] = (newest, found)
    return found


def pledge_state(row: PledgeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state,
        "version": row.version,
        "start": row.start,
        "end": row.end,
        "quote_sha256": hashlib.sha256(row.quote.encode("utf-8")).hexdigest(),
        "area": row.area,
        # whose pledge it is, its topic and an editor's deadline move the public meter by
        # party and topic and the deadline list: `audit verify` compares them too (insider QA:
        # an SQL update of a rated pledge's party passed). Events before these keys have none
        # to compare.
        "party": row.party,
        "topic": row.topic,
        "deadline": row.deadline.isoformat() if row.deadline else None,
    }


def verdict_state(row: VerdictRow, author: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "pledge_id": row.pledge_id,
        "status": row.status,
        "rationale": row.rationale,
        "evidence_ids": sorted(row.evidence_ids or []),
        "author_id": row.author_id,
        "author": author,
        "published": row.published,
        "created_at": row.created_at.isoformat(timespec="microseconds"),
    }


def evidence_state(row: EvidenceRow) -> dict[str, Any]:
    return {"id": row.id, "pledge_id": row.pledge_id, "review_state": row.review_state}


# --- what `lofte audit verify` (review/audit.py) reads ---------------------------------------


def chain_events(session: Session, batch: int = 1000) -> Iterator[ChainEvent]:
    """Every event in seq order with the hash its content has now, a batch at a time.

    The columns are read as stored, not through the ORM's JSON and date conversions: a row
    edited by hand (details that are not JSON, a time that is no date) is an event whose
    `unreadable` says what is wrong, where the conversion would stop the whole check."""
    columns = (
        AuditEventRow.seq,
        AuditEventRow.actor,
        AuditEventRow.action,
        AuditEventRow.entity_type,
        AuditEventRow.entity_id,
        type_coerce(AuditEventRow.details, Text),
        type_coerce(AuditEventRow.created_at, Text),
        AuditEventRow.prev_hash,
        AuditEventRow.hash,
    )
    last = None
    while True:
        query = select(*columns).order_by(AuditEventRow.seq).limit(batch)
        if last is not None:
            query = query.where(AuditEventRow.seq > last)
        rows = session.execute(query).all()
        if not rows:
            return
        for seq, actor, action, entity_type, entity_id, raw, time, prev, digest in rows:
            details, unreadable = _stored_details(raw)
            created = _stored_time(time)
            if created is None:
                unreadable = f"its time {str(time)[:40]!r} is not a date and time"
            content = (
                ""
                if unreadable is not None or created is None
                else event_hash(seq, created, actor, action, entity_type, entity_id, details, prev)
            )
            yield ChainEvent(
                seq=seq,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                details=details,
                prev_hash=prev,
                hash=digest,
                content_hash=content,
                unreadable=unreadable,
            )
        last = rows[-1][0]


def _stored_details(raw: Any) -> tuple[dict[str, Any], str | None]:
    """An event's details as stored (JSON text on SQLite, already decoded on PostgreSQL), and
    what is wrong with them when they are not a JSON object."""
    value = raw
    if isinstance(raw, str | bytes):
        try:
            value = json.loads(raw)
        except ValueError:
            return {}, f"its details are not JSON: {str(raw)[:40]!r}"
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        return {}, f"its details are not a JSON object: {str(raw)[:40]!r}"
    return value, None


def _stored_time(value: Any) -> dt.datetime | None:
    """An event's time as stored (ISO text on SQLite, a datetime on PostgreSQL); None when it
    is no date and time."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def current_user_roles(session: Session) -> list[tuple[int, str, str, bool]]:
    """Every account's id, username, role and whether it is enabled, in id order."""
    rows = session.execute(
        select(UserRow.id, UserRow.username, UserRow.role, UserRow.disabled).order_by(UserRow.id)
    )
    return [(row[0], row[1], str(row[2]), not row[3]) for row in rows]


def current_verdict_states(session: Session, names: dict[int, str]) -> list[dict[str, Any]]:
    """Every verdict's state as its event would record it now, in id order (`names`: the
    author's username by user id, see store.users.usernames), with its as-of date as the
    event's details give it (`as_of`, beside the state: store/verdicts._as_of_detail)."""
    rows = session.scalars(select(VerdictRow).order_by(VerdictRow.id))
    return [
        verdict_state(row, None if row.author_id is None else names.get(row.author_id))
        | {"as_of": as_of_detail(row)}
        for row in rows
    ]


def as_of_detail(row: VerdictRow) -> dict[str, Any] | None:
    """A verdict's as-of date as its events record it, None when it has none."""
    if row.as_of_value is None:
        return None
    return {"value": row.as_of_value.isoformat(), "precision": row.as_of_precision}


def current_pledge_state(session: Session, pledge_id: int) -> dict[str, Any] | None:
    """The pledge's state as its event would record it now; None when it is gone."""
    row = session.get(PledgeRow, pledge_id)
    return None if row is None else pledge_state(row)


def current_evidence_state(session: Session, evidence_id: int) -> dict[str, Any] | None:
    """The evidence's state as its event would record it now; None when it is gone."""
    row = session.get(EvidenceRow, evidence_id)
    return None if row is None else evidence_state(row)


def pledges_and_their_text(session: Session) -> list[tuple[int, str, int, str, str | None]]:
    """(id, state, version, quote, its document's text at the pledge's span) of every pledge,
    in id order: what verify checks of every pledge. A reviewed pledge whose text left its
    changed document (`span_lost`, store.derived) is flagged, not checked: its text is None."""
    at_span = func.substr(DocumentRow.body, PledgeRow.start + 1, PledgeRow.end - PledgeRow.start)
    query = (
        select(
            PledgeRow.id,
            PledgeRow.state,
            PledgeRow.version,
            PledgeRow.quote,
            at_span,
            PledgeRow.attributes,
        )
        .join(DocumentRow, DocumentRow.id == PledgeRow.document_id)
        .order_by(PledgeRow.id)
    )
    return [
        (i, state, version, quote, None if (attributes or {}).get("span_lost") else text)
        for i, state, version, quote, text, attributes in session.execute(query)
    ]


def decided_evidence(session: Session) -> list[tuple[int, str]]:
    """(id, review state) of every piece of evidence an editor decided on, in id order."""
    query = (
        select(EvidenceRow.id, EvidenceRow.review_state)
        .where(EvidenceRow.review_state != ReviewState.SUGGESTED.value)
        .order_by(EvidenceRow.id)
    )
    return [(i, state) for i, state in session.execute(query)]


# --- reading the log (the editors' pages) --------------------------------------------------


def newest_event(
    session: Session, entity_type: str, entity_id: int, actions: Iterable[str] | None = None
) -> AuditEvent | None:
    """The newest event about one record, of `actions` when given."""
    query = select(AuditEventRow).where(
        AuditEventRow.entity_type == entity_type, AuditEventRow.entity_id == entity_id
    )
    if actions is not None:
        query = query.where(AuditEventRow.action.in_(list(actions)))
    row = session.scalar(query.order_by(AuditEventRow.seq.desc()).limit(1))
    return None if row is None else audit_event_record(row)


def pledge_events(session: Session, pledge_id: int) -> list[AuditEvent]:
    """Every event about the pledge or its evidence, oldest first (verdicts included), and the
    change that made or ended it where that was recorded on another pledge: the merge of the
    pledge it was merged into, the split of the pledge it is a part of (QA: a merged pledge's
    history said nothing of the merge that rejected it), and the corrections and replacements
    of the document it stands in (QA, a political scientist: a re-read program's new party
    moved the pledge to it, and its history said nothing)."""

    evidence_ids = select(EvidenceRow.id).where(EvidenceRow.pledge_id == pledge_id)
    row = session.get(PledgeRow, pledge_id)
    merged_into = (row.attributes or {}).get("merged_into") if row is not None else None
    parent = row.parent_id if row is not None else None
    document = row.document_id if row is not None else None
    made = row.created_at if row is not None else None  # its document's events from then on
    pledge_event = AuditEventRow.entity_type == "pledge"
    query = (
        select(AuditEventRow)
        .where(
            or_(
                and_(pledge_event, AuditEventRow.entity_id == pledge_id),
                and_(
                    AuditEventRow.entity_type == "evidence",
                    AuditEventRow.entity_id.in_(evidence_ids),
                ),
                and_(
                    pledge_event,
                    AuditEventRow.entity_id == merged_into,
                    AuditEventRow.action == "pledge.merge",
                ),
                and_(
                    pledge_event,
                    AuditEventRow.entity_id == parent,
                    AuditEventRow.action == "pledge.split",
                ),
                and_(
                    AuditEventRow.entity_type == "document",
                    AuditEventRow.entity_id == document,
                    AuditEventRow.action.in_(("document.edit", "document.update")),
                    AuditEventRow.created_at >= made,
                ),
            )
        )
        .order_by(AuditEventRow.seq)
    )
    events = list(session.scalars(query))
    # evidence deleted with its document (store.document_delete): its decisions, found by the
    # ids the pledge's `pledge.evidence_removed` events name (ids are never given again)
    removed = [
        evidence_id
        for event in events
        if event.action == "pledge.evidence_removed"
        for evidence_id in (event.details or {}).get("removed_evidence") or ()
    ]
    if removed:
        gone = select(AuditEventRow).where(
            AuditEventRow.entity_type == "evidence", AuditEventRow.entity_id.in_(removed)
        )
        events = sorted([*events, *session.scalars(gone)], key=lambda e: e.seq)
    return [audit_event_record(r) for r in events]


def pledge_states_before(session: Session, tracker_id: int, until: dt.datetime) -> dict[int, str]:
    """Each of a tracker's pledges' state as the newest of its events before `until` (naive
    UTC) recorded it: every pledge event carries `pledges`, the state of each pledge the change
    produced (a split's parts, a merge's result and the pledges merged into it too). A pledge
    no such event names is missing. One query, the events in chain order."""
    ids = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    query = (
        select(AuditEventRow.details)
        .where(
            AuditEventRow.entity_type == "pledge",
            AuditEventRow.entity_id.in_(ids),
            AuditEventRow.created_at < until,
        )
        .order_by(AuditEventRow.seq)
    )
    states: dict[int, str] = {}
    for details in session.scalars(query):
        for snapshot in (details or {}).get("pledges") or ():
            if isinstance(snapshot, dict) and "id" in snapshot and "state" in snapshot:
                states[int(snapshot["id"])] = str(snapshot["state"])
    return states


# The fields of a pledge an account as of a past day shows as they were then, and the events
# that record their value before a change (`pledge.edit` under `changes`, `pledge.deadline`).
# `quote` is recorded by edits that move the span since this was added; an older span edit
# names only the old span, so the quote before it is not known.
EARLIER_FIELDS = ("area", "party", "quote", "deadline")


@dataclass(frozen=True)
class EarlierValues:
    """What some of a tracker's pledges' fields were just before a moment, where the log
    records a change of them since (`pledge_values_before`). A field not named for a pledge
    has not changed since by any recorded change: its current value is the one it had."""

    values: dict[int, dict[str, Any]]  # pledge id → field → its value then (deadline: ISO)
    quote_unknown: frozenset[int]  # quote changed since by a span edit that did not record it


def pledge_values_before(session: Session, tracker_id: int, until: dt.datetime) -> EarlierValues:
    """Each of a tracker's pledges' area, party, quote and deadline just before `until` (naive
    UTC), where changed since: the `before` of the first change of that field at or after
    `until`, which every edit records (`review.pledges.edit`, `review.deadlines`). One query,
    the events in chain order. A split's parts and a merge's result are pledges of their own,
    made with their source's values (and not public before they were made); a pledge merged
    into another keeps its own fields. A program's party correction (`document.edit`) gives
    the pledges it carried to their party before it (review: the change list named it, the
    dated report did not)."""
    ids = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    documents = select(DocumentRow.id).where(DocumentRow.tracker_id == tracker_id)
    query = (
        select(AuditEventRow.entity_id, AuditEventRow.action, AuditEventRow.details)
        .where(
            or_(
                and_(
                    AuditEventRow.entity_type == "pledge",
                    AuditEventRow.entity_id.in_(ids),
                    AuditEventRow.action.in_(("pledge.edit", "pledge.deadline")),
                ),
                and_(
                    AuditEventRow.entity_type == "document",
                    AuditEventRow.entity_id.in_(documents),
                    AuditEventRow.action == "document.edit",
                ),
            ),
            AuditEventRow.created_at >= until,
        )
        .order_by(AuditEventRow.seq)
    )
    values: dict[int, dict[str, Any]] = {}
    unknown: set[int] = set()
    for pledge_id, action, details in session.execute(query):
        if action == "document.edit":
            for carried, party in _carried_parties(details or {}):
                values.setdefault(carried, {}).setdefault("party", party)
            continue
        if pledge_id is None:
            continue
        found = values.setdefault(pledge_id, {})
        for field, (before, _) in _recorded_changes(action, details or {}).items():
            if field not in found and not (field == "quote" and pledge_id in unknown):
                found[field] = before
        changes = (details or {}).get("changes") or {}
        moved = isinstance(changes, dict) and ("start" in changes or "end" in changes)
        if moved and "quote" not in found:
            unknown.add(pledge_id)  # a span edit from before quotes were recorded
    return EarlierValues(
        values={i: v for i, v in values.items() if v}, quote_unknown=frozenset(unknown)
    )


# The fields a pledge's public page shows that an editor can change after it is public.
PUBLIC_FIELDS = ("quote", "area", "party", "topic", "deadline")


@dataclass(frozen=True)
class ShownDeadline:
    """How a page derives a pledge's deadline from what editors change: `of(editor_set,
    attributes)` gives the date shown (ISO, or None), from the editor's date and the
    attributes the text's own deadline is read from (review.deadlines). `editor_set` and
    `attributes` are the pledge's current ones: the change list replays its events back
    from them."""

    editor_set: str | None
    attributes: Mapping[str, Any]
    of: Callable[[str | None, Mapping[str, Any]], str | None]


def public_changes(
    session: Session,
    pledge_id: int,
    since: dt.datetime,
    deadline: ShownDeadline | None = None,
    document_id: int | None = None,
) -> list[dict[str, Any]]:
    """The changes of a pledge's public fields recorded at or after `since` (naive UTC: when
    the pledge became public, pages._public_changes), oldest first, as {date, field, before,
    after} with no editor's name. A span moved by an edit from before quotes were recorded is
    a change of the quote with neither value known. QA, a party's press officer: a rated
    pledge's quote was cut and its party changed, and its page, the API and the feeds said
    nothing.

    With `deadline`, a deadline change is one of the deadline the page shows, whichever edit
    moved it: clearing the editor's date shows the text's or the term's again, and an edit
    of the attributes can move it (review: "→ –" was listed while the page showed the
    term's end, and an attribute edit's new deadline was not listed).

    With `document_id` (the pledge's program), a party its program's correction carried to
    it (`document.edit` naming it among its pledges) is listed too (QA, an insider: pledges
    moved from S to SD by `document edit --party`, and their pages said nothing)."""
    own = and_(
        AuditEventRow.entity_type == "pledge",
        AuditEventRow.entity_id == pledge_id,
        AuditEventRow.action.in_(("pledge.edit", "pledge.deadline")),
    )
    carried = and_(
        AuditEventRow.entity_type == "document",
        AuditEventRow.entity_id == document_id,
        AuditEventRow.action == "document.edit",
    )
    query = (
        select(AuditEventRow.created_at, AuditEventRow.action, AuditEventRow.details)
        .where(or_(own, carried) if document_id is not None else own)
        .where(AuditEventRow.created_at >= since)
        .order_by(AuditEventRow.seq)
    )
    events = [
        (created, action, details or {})
        for created, action, details in session.execute(query)
        if action != "document.edit" or _carried_to(details or {}, pledge_id)
    ]
    shown = _shown_deadlines(events, deadline) if deadline is not None else None
    found: list[dict[str, Any]] = []
    for i, (created, action, details) in enumerate(events):
        date = created.isoformat(timespec="seconds")
        if action == "pledge.deadline":
            fields = {"deadline": (details.get("before"), details.get("after"))}
        elif action == "document.edit":
            fields = {"party": (details["before"].get("party"), details["after"].get("party"))}
        else:
            changes = details.get("changes")
            changes = changes if isinstance(changes, dict) else {}
            fields = {
                f: (c.get("before"), c.get("after"))
                for f, c in changes.items()
                if f in PUBLIC_FIELDS and isinstance(c, dict)
            }
            if ("start" in changes or "end" in changes) and "quote" not in fields:
                fields["quote"] = (None, None)  # moved before quotes were recorded
        if shown is not None:
            fields.pop("deadline", None)
            if shown[i][0] != shown[i][1]:
                fields["deadline"] = shown[i]
        found += [
            {"date": date, "field": f, "before": _shown(b), "after": _shown(a)}
            for f, (b, a) in sorted(fields.items(), key=lambda kv: PUBLIC_FIELDS.index(kv[0]))
        ]
    return found


def _carried_to(details: dict[str, Any], pledge_id: int) -> bool:
    """Whether a `document.edit` changed the program's party and carried it to the pledge."""
    return any(carried == pledge_id for carried, _ in _carried_parties(details))


def _carried_parties(details: dict[str, Any]) -> list[tuple[int, Any]]:
    """(pledge id, the program's party before) of each pledge a `document.edit` carried the
    program's new party to; none when it changed no party."""
    before, after = details.get("before"), details.get("after")
    if not (isinstance(before, dict) and isinstance(after, dict) and "party" in after):
        return []
    pledges = details.get("pledges")
    return [
        (p["id"], before.get("party"))
        for p in (pledges if isinstance(pledges, list) else ())
        if isinstance(p, dict) and isinstance(p.get("id"), int)
    ]


def _shown_deadlines(
    events: list[tuple[dt.datetime, str, dict[str, Any]]], deadline: ShownDeadline
) -> list[tuple[str | None, str | None]]:
    """The deadline shown before and after each event, replayed back from the current
    editor's date and attributes (each event's recorded `before` is the state it changed)."""
    editor_set, attributes = deadline.editor_set, deadline.attributes
    shown: list[tuple[str | None, str | None]] = []
    for _, action, details in reversed(events):
        after = deadline.of(editor_set, attributes)
        if action == "pledge.deadline":
            before = details.get("before")
            editor_set = before if isinstance(before, str) else None
        else:
            changes = details.get("changes")
            change = changes.get("attributes") if isinstance(changes, dict) else None
            if isinstance(change, dict) and isinstance(change.get("before"), dict):
                attributes = change["before"]
        shown.append((deadline.of(editor_set, attributes), after))
    return shown[::-1]


def _shown(value: Any) -> str | None:
    """A recorded value as the public change list gives it: text, or null for none."""
    return None if value is None or value == "" else str(value)


def _recorded_changes(action: str, details: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of EARLIER_FIELDS an event changed, as (before, after)."""
    if action == "pledge.deadline":
        return {"deadline": (details.get("before"), details.get("after"))}
    changes = details.get("changes")
    if not isinstance(changes, dict):
        return {}
    return {
        field: (change["before"], change.get("after"))
        for field, change in changes.items()
        if field in EARLIER_FIELDS and isinstance(change, dict) and "before" in change
    }


def evidence_accepted_at(session: Session, evidence_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """When each piece of evidence was last accepted: the time of its newest `evidence.accept`
    or `evidence.attach` event (a piece with none is missing). The evidence row's own
    `modified_at` is no such time: a change of its document's text moves it too
    (store/derived.py)."""
    wanted = sorted(set(evidence_ids))
    if not wanted:
        return {}
    query = (
        select(AuditEventRow.entity_id, func.max(AuditEventRow.created_at))
        .where(
            AuditEventRow.entity_type == "evidence",
            AuditEventRow.action.in_(("evidence.accept", "evidence.attach")),
            AuditEventRow.entity_id.in_(wanted),
        )
        .group_by(AuditEventRow.entity_id)
    )
    return {i: when for i, when in session.execute(query) if i is not None}


def count_events(session: Session, action: str | None = None) -> int:
    """How many events the log holds (of one action when given)."""

    where = [AuditEventRow.action == action] if action else []
    return session.scalar(select(func.count(AuditEventRow.id)).where(*where)) or 0


def recent_events(
    session: Session, *, limit: int, offset: int = 0, action: str | None = None
) -> list[AuditEvent]:
    """Events newest first, a page at a time (of one action when given)."""
    where = [AuditEventRow.action == action] if action else []
    query = (
        select(AuditEventRow)
        .where(*where)
        .order_by(AuditEventRow.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return [audit_event_record(r) for r in session.scalars(query)]


def actions(session: Session) -> list[str]:
    """The distinct actions in the log, sorted."""
    query = select(AuditEventRow.action).distinct().order_by(AuditEventRow.action)
    return list(session.scalars(query))
