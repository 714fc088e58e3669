"""Pledge queries. Each function takes an open session. (The audit log is in store/audit.py.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    null,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError
from ..model import Document, Pledge, PledgeState
from .audit import (
    SYSTEM_ACTOR,
    EarlierValues,
    list_events,
    newest_event,
    pledge_state,
    pledge_states_before,
    pledge_values_before,
    record_event,
)
from .db import hold_write_lock
from .schema import AuditEventRow, DocumentRow, EvidenceRow, PledgeRow, utcnow


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
        party=row.party,
        deadline=row.deadline,
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


# built once: every public pledge page asks (as `tracker_key` builds its tracker's statement)
_TRACKER_OF = select(PledgeRow.tracker_id).where(PledgeRow.id == bindparam("pledge_id"))


_DOCUMENT_OF = select(PledgeRow.document_id).where(PledgeRow.id == bindparam("pledge_id"))


def document_of(session: Session, pledge_id: int) -> int:
    """The id of the pledge's document, in one index probe; NotFoundError for no such pledge."""
    found = session.connection().execute(_DOCUMENT_OF, {"pledge_id": pledge_id}).scalar()
    if found is None:
        raise NotFoundError(f"no pledge with id {pledge_id}")
    return int(found)


def versions(session: Session, pledge_ids: Sequence[int]) -> dict[int, int]:
    """The current version of each of these pledges that exists (id → version)."""
    query = select(PledgeRow.id, PledgeRow.version).where(PledgeRow.id.in_(list(pledge_ids)))
    return {int(i): int(version) for i, version in session.execute(query)}


def tracker_of(session: Session, pledge_id: int) -> int:
    """The id of the pledge's tracker, in one index probe (no row loaded); NotFoundError for
    no such pledge."""
    found = session.connection().execute(_TRACKER_OF, {"pledge_id": pledge_id}).scalar()
    if found is None:
        raise NotFoundError(f"no pledge with id {pledge_id}")
    return int(found)


def get_pledge(session: Session, pledge_id: int, expected_version: int | None = None) -> Pledge:
    return pledge_record(get_pledge_row(session, pledge_id, expected_version))


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


def document_outline(session: Session, document_id: int) -> list[tuple[int, int | None, str]]:
    """(id, parent id, state) of a document's pledges in text order: enough to tell which are
    public (`publish.visibility.public_ids`) without loading a whole record each (QA: a
    document of 760,000 candidates read them all for a page that shows 2,000)."""
    query = (
        select(PledgeRow.id, PledgeRow.parent_id, PledgeRow.state)
        .where(PledgeRow.document_id == document_id)
        .order_by(PledgeRow.start, PledgeRow.id)
    )
    return [(i, parent, state) for i, parent, state in session.execute(query)]


def list_parts(session: Session, parent_ids: Collection[int]) -> list[Pledge]:
    """The pledges whose parent is one of `parent_ids` (what a list item was split into), in
    program order; one probe of ix_pledges_parent."""
    if not parent_ids:
        return []
    query = (
        select(PledgeRow)
        .where(PledgeRow.parent_id.in_(list(parent_ids)))
        .order_by(PledgeRow.document_id, PledgeRow.start, PledgeRow.id)
    )
    return [pledge_record(r) for r in session.scalars(query)]


# --- an editor's pledge page: the pledges near it and its copies, read near it -------------
# (QA: the page read every record of its program, 74 s for one of 760,000 candidates)

_LIVE = PledgeRow.state != PledgeState.REJECTED.value


def nearest_live(
    session: Session, document_id: int, start: int, exclude: int, k: int
) -> list[Pledge]:
    """The document's live pledges but `exclude` nearest `start`, in program order: the `k`
    nearest before it and the `k` nearest from it on, so the `k` nearest either way (equally
    near ones in program order) are among them. Two probes of ix_pledges_document_start."""
    near = select(PledgeRow).where(
        PledgeRow.document_id == document_id, _LIVE, PledgeRow.id != exclude
    )
    before = near.where(PledgeRow.start < start).order_by(PledgeRow.start.desc(), PledgeRow.id)
    after = near.where(PledgeRow.start >= start).order_by(PledgeRow.start, PledgeRow.id)
    rows = [*session.scalars(before.limit(k)), *session.scalars(after.limit(k))]
    return [pledge_record(r) for r in sorted(rows, key=lambda r: (r.start, r.id))]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a pledge stands in its document, and its group: what a merge's rule reads."""

    id: int
    parent_id: int | None
    start: int
    end: int


def live_spans(session: Session, document_id: int, start: int, end: int) -> list[Span]:
    """The document's live pledges that overlap [start, end), without their records."""
    query = select(PledgeRow.id, PledgeRow.parent_id, PledgeRow.start, PledgeRow.end).where(
        PledgeRow.document_id == document_id,
        _LIVE,
        PledgeRow.start < end,
        PledgeRow.end > start,
    )
    return [Span(i, parent, s, e) for i, parent, s, e in session.execute(query)]


class SpanState(NamedTuple):
    """A pledge's place, group and state, without its record (`review.spans.SpanRow`)."""

    id: int
    parent_id: int | None
    start: int
    end: int
    state: str


_SPAN_STATE = (PledgeRow.id, PledgeRow.parent_id, PledgeRow.start, PledgeRow.end, PledgeRow.state)
_IDS_PER_QUERY = 10_000  # under any database's limit of bound values


def spans_around(
    session: Session, document_id: int, start: int, end: int, own: int | None = None
) -> list[SpanState]:
    """What the overlap rules of a span change read (`review.spans.refuse_overlap`): the
    document's live pledges that overlap [start, end), and the groups above them and above
    `own` at any depth and in any state (which of them are `own`'s kin), in id order; one
    probe of ix_pledges_document_start and one query per level of groups (QA: an edit of a
    span read every record of a 760,000-candidate program, 27 s and 2.7 GB)."""
    live = select(*_SPAN_STATE).where(
        PledgeRow.document_id == document_id, _LIVE, PledgeRow.start < end, PledgeRow.end > start
    )
    found = {row.id: SpanState(*row) for row in session.execute(live)}
    above: set[int | None] = {r.parent_id for r in found.values()} | {own}
    while ids := sorted({i for i in above if i is not None} - found.keys()):
        above = set()
        for at in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[at : at + _IDS_PER_QUERY]
            for row in session.execute(select(*_SPAN_STATE).where(PledgeRow.id.in_(chunk))):
                found[row.id] = SpanState(*row)
                above.add(row.parent_id)
    return [found[i] for i in sorted(found)]


def live_before(
    session: Session, document_id: int, start: int
) -> tuple[int, int, str | None] | None:
    """The document's live pledge nearest before `start` (or at it; the newest of equals) as
    (start, id, area), or None: one probe of ix_pledges_document_start."""
    query = (
        select(PledgeRow.start, PledgeRow.id, PledgeRow.area)
        .where(PledgeRow.document_id == document_id, _LIVE, PledgeRow.start <= start)
        .order_by(PledgeRow.start.desc(), PledgeRow.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else (row.start, row.id, row.area)


def merged_into(session: Session, merged_id: int) -> list[int]:
    """The ids of the pledges a merge rejected into `merged_id` (marked `merged_into` it): of
    those its `pledge.merge` event names, the chosen and their parts (a part moved outside
    its group's span too: review), not the program's every record."""
    event = newest_event(session, "pledge", merged_id, ["pledge.merge"])
    details = event.details if event is not None else {}
    named = {int(i) for key in ("merged", "parts") for i in details.get(key) or ()}
    query = select(PledgeRow.id, PledgeRow.attributes).where(PledgeRow.id.in_(sorted(named)))
    return sorted(
        i
        for i, attributes in session.execute(query)
        if (attributes or {}).get("merged_into") == merged_id
    )


def live_with_quote(
    session: Session, document_id: int, quote: str, exclude: int, limit: int
) -> tuple[list[tuple[int, int]], int]:
    """The document's live pledges but `exclude` quoting exactly `quote`: the first `limit` in
    program order as (start, id), and how many there are (counted here: a program can repeat
    one sentence 760,000 times)."""
    alike = and_(
        PledgeRow.document_id == document_id,
        _LIVE,
        PledgeRow.id != exclude,
        PledgeRow.quote == quote,
    )
    first = (
        select(PledgeRow.start, PledgeRow.id).where(alike).order_by(PledgeRow.start, PledgeRow.id)
    )
    found = [(s, i) for s, i in session.execute(first.limit(limit))]
    total = session.scalar(select(func.count()).select_from(PledgeRow).where(alike)) or 0
    return found, total


def live_quotes_like(
    session: Session, document_id: int, pattern: str | None, exclude: int, unlike: str
) -> list[tuple[int, int, str]]:
    """(start, id, quote) of the document's live pledges but `exclude` whose quote is not
    `unlike` and matches the LIKE `pattern` in any ASCII case (None: every one)."""
    query = select(PledgeRow.start, PledgeRow.id, PledgeRow.quote).where(
        PledgeRow.document_id == document_id,
        _LIVE,
        PledgeRow.id != exclude,
        PledgeRow.quote != unlike,
    )
    if pattern is not None:
        query = query.where(PledgeRow.quote.ilike(pattern))
    return [(s, i, q) for s, i, q in session.execute(query)]


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


def unreviewed(state: str, version: int) -> bool:
    """The one rule for an unreviewed candidate: a candidate no editor has touched (every
    editor action, even a confirm undone, raises the version)."""
    return state == PledgeState.CANDIDATE.value and version == 1


def linkable_pledges(session: Session, tracker_id: int) -> list[Pledge]:
    """The tracker's checkable pledges (see `checkable_ids`) in id order: what the linker scores."""
    query = select(PledgeRow).where(PledgeRow.tracker_id == tracker_id).order_by(PledgeRow.id)
    rows = list(session.scalars(query))
    keep = checkable_ids((r.id, r.parent_id, r.state) for r in rows)
    return [pledge_record(r) for r in rows if r.id in keep]


def unlinked_ids(session: Session, tracker_id: int, linkable: Iterable[int]) -> set[int]:
    """The tracker's pledges not in `linkable` (rejected, split into parts), found here and
    not by a NOT IN of every linkable one, which broke the databases' parameter limits at
    65,536 pledges (PostgreSQL; SQLite at 250,000)."""
    query = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    return set(session.scalars(query)) - set(linkable)


@dataclass(frozen=True)
class NewPledge:
    """An extracted candidate to store; `parent` indexes the sequence it is passed in."""

    start: int
    end: int
    quote: str
    area: str | None
    attributes: dict[str, Any]
    confidence: float
    parent: int | None = None
    party: str | None = None  # the program's party (Document.party)


@dataclass
class CandidateWrite:
    """What `replace_candidates` changed: the new pledges and the ids of those removed."""

    inserted: list[Pledge] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def replace_candidates(
    session: Session,
    document: Document,
    found: Sequence[NewPledge],
    extractor: str,
    version: str,
) -> CandidateWrite:
    """Store an extraction of `document`: the older output of `extractor` that nobody reviewed
    or linked goes, what is found and not yet stored at that span is added (a reviewed pledge
    at the same span stays instead), and one audit event records the new candidates' state,
    so `lofte audit verify` notices a candidate changed in the database before any review."""
    rows = pledge_rows_of_document(session, document.id)
    stale = _stale_candidates(session, rows, extractor)
    for old in rows:
        if old.id in stale:
            _delete_candidate(session, old)
    taken = {(r.start, r.end): r for r in rows if r.id not in stale}
    by_index: list[PledgeRow] = []
    new_rows: list[PledgeRow] = []
    for item in found:
        row: PledgeRow | None = taken.get((item.start, item.end))
        if row is None:
            row = PledgeRow(
                tracker_id=document.tracker_id,
                document_id=document.id,
                start=item.start,
                end=item.end,
                quote=item.quote,
                area=item.area,
                attributes=item.attributes,
                confidence=item.confidence,
                state=PledgeState.CANDIDATE.value,
                stage=extractor,
                stage_version=version,
                party=item.party,
            )
            session.add(row)
            new_rows.append(row)
        by_index.append(row)
    session.flush()
    for item, row in zip(found, by_index, strict=True):
        if item.parent is not None and any(row is n for n in new_rows):
            row.parent_id = by_index[item.parent].id
    session.flush()
    write = CandidateWrite([pledge_record(r) for r in new_rows], sorted(stale))
    record_event(
        session,
        "pledge.extract",
        "document",
        document.id,
        SYSTEM_ACTOR,
        extractor=f"{extractor}/{version}",
        inserted=len(write.inserted),
        removed=len(write.removed),
        pledges=[pledge_state(r) for r in new_rows],
        removed_pledges=write.removed,
    )
    return write


def _delete_candidate(session: Session, row: PledgeRow) -> None:
    """Delete a candidate found stale only if it still is as read: same version (nobody
    reviewed it), same `modified_at` (attaching evidence sets it, see
    store.evidence.attach_evidence) and no evidence, checked by the DELETE itself. An editor
    who confirmed or linked it meanwhile makes the extraction a ConflictError (rolled back,
    tried again), instead of a deleted pledge taking its evidence with it (ON DELETE CASCADE).
    The `modified_at` check is PostgreSQL's: a DELETE that waited for the editor's row lock
    checks the row again, but not the evidence subquery."""
    done = session.execute(
        delete(PledgeRow)
        .where(
            PledgeRow.id == row.id,
            PledgeRow.version == row.version,
            PledgeRow.modified_at == row.modified_at,
            ~exists().where(EvidenceRow.pledge_id == row.id),
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"pledge {row.id} was reviewed or linked while its document was extracted again"
        )
    session.expunge(row)


def _stale_candidates(session: Session, rows: list[PledgeRow], extractor: str) -> set[int]:
    """Older output of `extractor` that nobody reviewed or linked; a group stays while any of
    its children stays."""
    linked = (
        set(
            session.scalars(
                select(EvidenceRow.pledge_id).where(EvidenceRow.pledge_id.in_([r.id for r in rows]))
            )
        )
        if rows
        else set()
    )
    stale = {
        r.id
        for r in rows
        if r.stage == extractor and unreviewed(r.state, r.version) and r.id not in linked
    }
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row.id not in stale and row.parent_id in stale:
                stale.discard(row.parent_id)
                changed = True
    return stale


def children(session: Session, pledge_id: int) -> list[Pledge]:
    query = select(PledgeRow).where(PledgeRow.parent_id == pledge_id).order_by(PledgeRow.id)
    return [pledge_record(r) for r in session.scalars(query)]


# --- editors' changes (the rules are in review/pledges.py) ------------------------------------

EDITABLE = frozenset(
    {"state", "start", "end", "quote", "area", "topic", "attributes", "party", "deadline"}
)


def update_pledge(session: Session, pledge_id: int, version: int, **changes: Any) -> Pledge:
    """Set fields of a pledge the caller read at `version` and raise its version.

    A change since that read is a ConflictError here, and the UPDATE carries
    `WHERE version = <read>` (PledgeRow's version_id_col), so a writer racing past this check
    still makes the loser's whole transaction fail. (The caller's record holds no row: the
    version must be passed, a re-read alone would compare against the newer state.)
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = get_pledge_row(session, pledge_id, version)
    for name, value in changes.items():
        setattr(row, name, value.value if isinstance(value, PledgeState) else value)
    row.version += 1
    session.flush()
    return pledge_record(row)


def add_editor_pledge(
    session: Session,
    like: Pledge,
    start: int,
    end: int,
    quote: str,
    parent_id: int | None,
    *,
    stage: str,
    stage_version: str,
    state: PledgeState = PledgeState.CONFIRMED,
    attributes: dict[str, Any] | None = None,
) -> Pledge:
    """A pledge an editor made (a part of a split, a merge) in `like`'s document, with its
    area, topic and party."""
    return insert_pledge(
        session,
        tracker_id=like.tracker_id,
        document_id=like.document_id,
        parent_id=parent_id,
        start=start,
        end=end,
        quote=quote,
        area=like.area,
        topic=like.topic,
        party=like.party,
        attributes=attributes or {},
        confidence=1.0,
        state=state.value,
        stage=stage,
        stage_version=stage_version,
    )


def hold_document(session: Session, document_id: int) -> None:
    """Hold a document against another change of its pledges until the transaction ends (the
    write lock on SQLite, the row's lock on PostgreSQL): two editors adding the same missed
    pledge at once must not both add it. NotFoundError when there is no such document."""
    hold_write_lock(session)
    query = select(DocumentRow.id).where(DocumentRow.id == document_id).with_for_update()
    if session.scalar(query) is None:
        raise NotFoundError(f"no document with id {document_id}")


def hold_pledge(session: Session, pledge_id: int) -> None:
    """Hold a pledge against another verdict until the transaction ends (the write lock on
    SQLite, the row's lock on PostgreSQL), before anything is read: of the same verdict form
    sent twice at once, the second then reads the first's row and is told it is saved (a
    draft raises no version that would stop it). NotFoundError when there is no such pledge.

    FOR NO KEY UPDATE, the lock an UPDATE of the row takes: a new part inserted under the
    pledge (its foreign key's KEY SHARE lock) does not wait for it (review: FOR UPDATE made a
    confirm of a group and a merge of its parts deadlock on PostgreSQL)."""
    hold_write_lock(session)
    query = select(PledgeRow.id).where(PledgeRow.id == pledge_id).with_for_update(key_share=True)
    if session.scalar(query) is None:
        raise NotFoundError(f"no pledge with id {pledge_id}")


def insert_pledge(session: Session, **values: Any) -> Pledge:
    """Store a new pledge an editor made (`values`: its columns) and give its record."""
    row = PledgeRow(**values)
    session.add(row)
    session.flush()
    return pledge_record(row)


def confirm_candidate_parts(session: Session, group_id: int) -> list[int]:
    """Confirm the candidate parts, at any depth, of a group an editor has just confirmed, and
    return their ids. A group is checked through its live parts (`checkable_ids`): left as
    candidates they would keep the confirmed item from being counted anywhere. Rejected parts
    stay rejected, and the parts' own rejected parts are not followed.

    `WHERE state = 'candidate'` is the check: a part another editor decided meanwhile is not
    overwritten, and only the rows this UPDATE changed are returned.
    """
    confirmed: list[int] = []
    frontier = [group_id]
    while frontier:
        changed = session.execute(
            update(PledgeRow)
            .where(
                PledgeRow.parent_id.in_(frontier),
                PledgeRow.state == PledgeState.CANDIDATE.value,
            )
            .values(
                state=PledgeState.CONFIRMED.value,
                version=PledgeRow.version + 1,
                modified_at=utcnow(),
            )
            .returning(PledgeRow.id)
            .execution_options(synchronize_session="fetch")
        )
        confirmed += sorted(changed.scalars())
        frontier = list(
            session.scalars(
                select(PledgeRow.id).where(
                    PledgeRow.parent_id.in_(frontier),
                    PledgeRow.state != PledgeState.REJECTED.value,
                )
            )
        )
    return confirmed


def record_pledge_event(
    session: Session,
    action: str,
    pledge_id: int,
    actor: str,
    changed: Sequence[int],
    **data: Any,
) -> None:
    """One audit event on a pledge carrying the state of every pledge the change produced."""
    states = [pledge_state(get_pledge_row(session, i)) for i in changed]
    record_event(session, action, "pledge", pledge_id, actor, **data, pledges=states)


def was_confirmed(session: Session, pledge_id: int) -> bool:
    """Whether a person confirmed the pledge at some time, as its audit events record: a
    `pledge.confirm`, or a rejection of it from the confirmed state (a pledge made confirmed
    by a split, a merge or an editor's addition). A few events a pledge, read by its id."""
    return first_confirmed_at(session, pledge_id) is not None


def first_confirmed_at(session: Session, pledge_id: int) -> dt.datetime | None:
    """When the log first shows the pledge confirmed by a person (`_confirmed_in`); None when
    it never does (a pledge written confirmed, as an import or a test writes one)."""
    for e in list_events(session, "pledge", pledge_id):  # oldest first
        if pledge_id in _confirmed_in(e.action, e.details or {}, e.entity_id):
            return e.created_at
    return None


def _confirmed_in(action: str, details: Mapping[str, Any], entity_id: int | None) -> set[int]:
    """The pledges an event shows a person made or kept confirmed: the pledge of a
    `pledge.confirm`, or of a rejection from the confirmed state, and every pledge its
    snapshots (`pledges`) show confirmed (made so by a split, a merge or an addition; review:
    a merged pledge merged away again had no `pledge.confirm` and lost its public page)."""
    out = {
        int(p["id"])
        for p in details.get("pledges") or ()
        if isinstance(p, Mapping)
        and p.get("state") == PledgeState.CONFIRMED.value
        and isinstance(p.get("id"), int)
    }
    if entity_id is not None and (
        action == "pledge.confirm"
        or (action == "pledge.reject" and details.get("before") == PledgeState.CONFIRMED.value)
    ):
        out.add(entity_id)
    return out


# the events that can show a pledge confirmed or rejected (`rejections`)
_CONFIRMING_OR_REJECTING = (
    "pledge.confirm",
    "pledge.reject",
    "pledge.merge",
    "pledge.add",
    "pledge.split",
)


@dataclass(frozen=True)
class Rejection:
    """What the log says of a rejected pledge (`rejections`): whether a person confirmed it at
    some time (`_confirmed_in`), and the first event that recorded it rejected
    (its seq and time; None when no event did, as for a pledge written rejected), and the
    time of the last one (when it was removed, as it stands now)."""

    confirmed: bool
    seq: int | None
    at: dt.datetime | None
    last_at: dt.datetime | None = None


def rejections(
    session: Session, tracker_id: int, pledge: Pledge | None = None
) -> dict[int, Rejection]:
    """`Rejection` of each of the tracker's rejected pledges, or of `pledge` only. The event
    that rejected a pledge is its own `pledge.reject`, or the `pledge.merge` recorded on the
    pledge it was merged into, whose `pledges` give its state. Two queries for the whole
    tracker (the public pages of all its pledges), one for a single pledge. Events older than
    the pledge are left out: a deleted pledge's id can be given again (SQLite)."""
    if pledge is None:
        born = {
            int(i): created
            for i, created in session.execute(
                select(PledgeRow.id, PledgeRow.created_at).where(
                    PledgeRow.tracker_id == tracker_id,
                    PledgeRow.state == PledgeState.REJECTED.value,
                )
            )
        }
        if not born:
            return {}
        about: Any = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    else:
        born = {pledge.id: pledge.created_at or dt.datetime.min}
        into = pledge.attributes.get("merged_into")
        # its own events, the merge it went into, and its group's split (which made it)
        about = [pledge.id, *(i for i in (into, pledge.parent_id) if isinstance(i, int))]
    query = (
        select(
            AuditEventRow.seq,
            AuditEventRow.created_at,
            AuditEventRow.entity_id,
            AuditEventRow.action,
            AuditEventRow.details,
        )
        .where(
            AuditEventRow.entity_type == "pledge",
            AuditEventRow.action.in_(_CONFIRMING_OR_REJECTING),
            AuditEventRow.entity_id.in_(about),
        )
        .order_by(AuditEventRow.seq)
    )
    confirmed: set[int] = set()
    rejected: dict[int, tuple[int, dt.datetime]] = {}
    last: dict[int, dt.datetime] = {}
    for seq, at, entity_id, action, details in session.execute(query):
        details = details or {}
        confirmed |= {
            i for i in _confirmed_in(action, details, entity_id) if i in born and at >= born[i]
        }
        for snapshot in details.get("pledges") or ():
            if (
                not isinstance(snapshot, dict)
                or snapshot.get("state") != PledgeState.REJECTED.value
            ):
                continue
            shown_id = snapshot.get("id")
            if shown_id in born and at >= born[shown_id]:
                rejected.setdefault(shown_id, (seq, at))
                last[shown_id] = at
    found: dict[int, Rejection] = {}
    for i in born:
        seq, at = rejected.get(i, (None, None))
        found[i] = Rejection(i in confirmed, seq, at, last.get(i))
    return found


def document_body(session: Session, document_id: int) -> str:
    body = session.scalar(select(DocumentRow.body).where(DocumentRow.id == document_id))
    if body is None:
        raise NotFoundError(f"no document with id {document_id}")
    return body


# (id, parent id, state, area, party) of a pledge: what the meter counts by
OutlineRow = tuple[int, int | None, str, str | None, str | None]


def pledge_outline(session: Session, tracker_id: int) -> list[OutlineRow]:
    """(id, parent id, state, area, party) of a tracker's pledges in id order: what the meter
    counts by, without loading whole records."""
    query = (
        select(PledgeRow.id, PledgeRow.parent_id, PledgeRow.state, PledgeRow.area, PledgeRow.party)
        .where(PledgeRow.tracker_id == tracker_id)
        .order_by(PledgeRow.id)
    )
    return [
        (i, parent, state, area, party) for i, parent, state, area, party in session.execute(query)
    ]


class RankRow(NamedTuple):
    """A pledge as the editors' review list filters and orders it (`rank_outline`)."""

    id: int
    parent_id: int | None
    state: str
    document_id: int
    start: int
    rank: float | None  # attributes["rank"] when a JSON number, else None
    precision: str | None  # attributes["precision"] when a JSON string, else None


def rank_outline(session: Session, tracker_id: int) -> list[RankRow]:
    """The tracker's pledges as `RankRow`s, in no order (the ranking orders them): the rank
    and precision are read by the database, so no record and no JSON document is loaded a
    pledge (QA: the review list read all 760,000 records of one program, 55 s)."""
    rank, precision, unread = _rank_columns(session.get_bind().dialect.name)
    query = select(
        PledgeRow.id,
        PledgeRow.parent_id,
        PledgeRow.state,
        PledgeRow.document_id,
        PledgeRow.start,
        rank,
        precision,
        unread,
    ).where(PledgeRow.tracker_id == tracker_id)
    found = session.connection().execute(query).all()  # no ORM handling a row: half the time
    return [
        # a number from SQLite, a number's text from PostgreSQL
        RankRow(i, parent, state, doc, start, None if rank is None else float(rank), precision)
        if unread is None
        else _unread_row(RankRow(i, parent, state, doc, start, None, None), unread)
        for i, parent, state, doc, start, rank, precision, unread in found
    ]


def _rank_columns(dialect: str) -> tuple[ColumnElement[Any], ...]:
    """The rank when a JSON number, the precision when a JSON string, and the attributes'
    text when the database cannot read it as JSON (Python writes a NaN rank as `NaN`, which
    SQLite's JSON functions refuse: read by `_unread_row`)."""
    attributes = PledgeRow.attributes
    if dialect == "postgresql":  # a `json` column: ->> gives a number's own text
        return (
            case(
                (func.json_typeof(attributes["rank"]) == "number", attributes["rank"].as_string())
            ),
            case(
                (
                    func.json_typeof(attributes["precision"]) == "string",
                    attributes["precision"].as_string(),
                )
            ),
            null(),
        )
    valid = func.json_valid(attributes) == 1
    return (
        case(
            (
                and_(valid, func.json_type(attributes, "$.rank").in_(("integer", "real"))),
                func.json_extract(attributes, "$.rank"),
            )
        ),
        case(
            (
                and_(valid, func.json_type(attributes, "$.precision") == "text"),
                func.json_extract(attributes, "$.precision"),
            )
        ),
        case((func.json_valid(attributes) == 0, type_coerce(attributes, Text))),
    )


def _unread_row(row: RankRow, attributes: str) -> RankRow:
    """`row` with the rank and precision of `attributes` read as `pledge_record` reads them."""
    values = dict(json.loads(attributes) or {})
    precision = values.get("precision")
    return row._replace(
        rank=_json_number(values.get("rank")),
        precision=precision if isinstance(precision, str) else None,
    )


def _json_number(value: object) -> float | None:
    """A value `json.loads` gave as a float, None unless it was a JSON number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf


def outline_at(
    session: Session, tracker_id: int, until: dt.datetime, earlier: EarlierValues | None = None
) -> list[OutlineRow]:
    """As `pledge_outline`, with each pledge's state as it stood just before `until` (naive
    UTC), from the audit log (`audit.pledge_states_before`): the state its newest event before
    then recorded. A pledge no event before then names was an extracted candidate nobody had
    touched yet (every editor's change, a split's parts and a merge's result included, is
    recorded the moment it is made) when the pledge was created before then; one created
    later did not exist and is left out. Each area and party is the one it had then
    (`audit.pledge_values_before`, read here unless given as `earlier`)."""
    states = pledge_states_before(session, tracker_id, until)
    if earlier is None:
        earlier = pledge_values_before(session, tracker_id, until)
    query = (
        select(
            PledgeRow.id, PledgeRow.parent_id, PledgeRow.created_at, PledgeRow.area, PledgeRow.party
        )
        .where(PledgeRow.tracker_id == tracker_id)
        .order_by(PledgeRow.id)
    )
    outline: list[OutlineRow] = []
    for i, parent, created, area, party in session.execute(query):
        state = states.get(i)
        if state is None and created < until:
            state = PledgeState.CANDIDATE.value
        if state is not None:
            then = earlier.values.get(i, {})
            outline.append((i, parent, state, then.get("area", area), then.get("party", party)))
    return outline


def outline_with_parts(
    session: Session, ids: Collection[int]
) -> list[tuple[int, int | None, str, int, str | None]]:
    """(id, parent id, state, tracker id, party) of the pledges `ids` and of their parts (the
    pledges whose parent they are): enough to tell which of `ids` are public (a group is
    checked through its live parts), without the tracker's whole outline."""
    if not ids:
        return []
    wanted = list(ids)
    query = select(
        PledgeRow.id, PledgeRow.parent_id, PledgeRow.state, PledgeRow.tracker_id, PledgeRow.party
    ).where(or_(PledgeRow.id.in_(wanted), PledgeRow.parent_id.in_(wanted)))
    return [(i, parent, state, t, party) for i, parent, state, t, party in session.execute(query)]


def count_pledges(session: Session, tracker_id: int, state: PledgeState) -> int:
    """How many pledges of a tracker are in `state`."""

    query = select(func.count(PledgeRow.id)).where(
        PledgeRow.tracker_id == tracker_id, PledgeRow.state == state.value
    )
    return session.scalar(query) or 0


def as_they_were(pledges: Sequence[Pledge], earlier: EarlierValues) -> list[Pledge]:
    """`pledges` with the area, party, quote and deadline each had at the moment `earlier`
    was read for (`audit.pledge_values_before`); a field changed since by no recorded change
    keeps its current value (a quote the log does not know either: `earlier.quote_unknown`)."""
    result = []
    for p in pledges:
        then = earlier.values.get(p.id)
        if not then:
            result.append(p)
            continue
        changes: dict[str, Any] = {k: v for k, v in then.items() if k in ("area", "party")}
        if "quote" in then and isinstance(then["quote"], str):
            changes["quote"] = then["quote"]
        if "deadline" in then:
            changes["deadline"] = _date_or_none(then["deadline"])
        result.append(dataclasses.replace(p, **changes))
    return result


def _date_or_none(value: Any) -> dt.date | None:
    """A deadline as an event records it (ISO text or None)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
