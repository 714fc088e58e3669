"""Evidence: links from a pledge to a passage, and the editors' decisions on them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..errors import (
    ConflictError,
    EvidenceAlreadySavedError,
    EvidenceDecidedError,
    NotFoundError,
    ValidationError,
)
from ..model import DateValue, Evidence, PledgeState, ReviewState, Stance
from .db import among, id_chunks
from .documents import DATE_COLUMNS, ID_CHUNK, date_of
from .schema import DocumentRow, EvidenceRow, PledgeRow, utcnow


def evidence_record(row: EvidenceRow) -> Evidence:
    return Evidence(
        id=row.id,
        pledge_id=row.pledge_id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        score=row.score,
        features=dict(row.features or {}),
        linker=row.stage,
        linker_version=row.stage_version,
        stance=Stance(row.stance),
        review_state=ReviewState(row.review_state),
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def not_accepted(session: Session, evidence_ids: Iterable[int]) -> set[int]:
    """Those of `evidence_ids` that are not accepted evidence (withdrawn, or gone): a verdict
    citing one names it as withdrawn, not as a link to nothing."""
    wanted = set(evidence_ids)
    if not wanted:
        return set()
    accepted = session.scalars(
        select(EvidenceRow.id).where(
            EvidenceRow.id.in_(sorted(wanted)),
            EvidenceRow.review_state == ReviewState.ACCEPTED.value,
        )
    )
    return wanted - set(accepted)


def get_evidence_row(session: Session, evidence_id: int) -> EvidenceRow:
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise NotFoundError(f"no evidence with id {evidence_id}")
    return row


def get_evidence(session: Session, evidence_id: int) -> Evidence:
    return evidence_record(get_evidence_row(session, evidence_id))


def change_review_state(
    session: Session,
    evidence_id: int,
    new: ReviewState,
    expected: ReviewState | None,
    also: dict[str, Any] | None = None,
) -> tuple[EvidenceRow, ReviewState]:
    """Set the review state if it still is `expected` (None: what it is now), in one statement;
    returns the row and the state it had. `also`: other columns the same statement sets (the
    passage an editor chose when attaching a suggested document).

    `UPDATE … WHERE id = ? AND review_state = ?` is the check: of two editors deciding the
    same suggestion at once, the second matches no row (on PostgreSQL its UPDATE waits for the
    first to commit and then re-reads the row) and gets a ConflictError.
    """
    if expected is None:
        expected = ReviewState(get_evidence_row(session, evidence_id).review_state)
    result = session.execute(
        update(EvidenceRow)
        .where(EvidenceRow.id == evidence_id, EvidenceRow.review_state == expected.value)
        .values(review_state=new.value, modified_at=utcnow(), **(also or {}))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        now = get_evidence_row(session, evidence_id).review_state  # NotFoundError if gone
        if now == new.value:
            # decided as asked already (a double click, Back then the button again): what
            # was wanted holds, not another editor's different decision (QA)
            raise EvidenceAlreadySavedError(
                f"evidence {evidence_id} was already {now}: nothing changed"
            )
        # "perhaps": the one who decided first may be this editor (a second click, another
        # tab, an earlier command); the store cannot tell
        raise EvidenceDecidedError(
            f"evidence {evidence_id} was already {now}, perhaps by someone else; reload"
        )
    row = get_evidence_row(session, evidence_id)
    session.refresh(row)  # the row may have been loaded before the UPDATE
    return row, expected


def pair_id(session: Session, pledge_id: int, document_id: int) -> int | None:
    """The id of the evidence linking the pledge and the document, if any (one per pair)."""
    return session.scalar(
        select(EvidenceRow.id).where(
            EvidenceRow.pledge_id == pledge_id, EvidenceRow.document_id == document_id
        )
    )


def move_suggestions(session: Session, from_ids: Sequence[int], to_id: int) -> list[int]:
    """The linker's suggestions for pledges merged into pledge `to_id`, moved to it: per
    document the best-scored one (the others stay with their rejected pledge, which one pair
    per document allows). Decided evidence stays where an editor decided it. The UPDATE moves
    only rows still suggested, so one an editor decides meanwhile stays put. The ids moved.
    QA: a merged pledge started with no suggestions while its parts' were out of sight."""
    rows = session.execute(
        select(EvidenceRow.id, EvidenceRow.document_id, EvidenceRow.score)
        .where(
            EvidenceRow.pledge_id.in_(from_ids),
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
        )
        .order_by(EvidenceRow.score.desc(), EvidenceRow.id)
    ).all()
    best: dict[int, int] = {}
    for evidence_id, document_id, _ in rows:
        best.setdefault(document_id, evidence_id)  # the first is the best scored
    if not best:
        return []
    moved = session.execute(
        update(EvidenceRow)
        .where(
            EvidenceRow.id.in_(list(best.values())),
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
        )
        .values(pledge_id=to_id, modified_at=utcnow())
        .returning(EvidenceRow.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in moved.scalars())


@dataclass(frozen=True)
class NewSuggestion:
    """A linker suggestion to store: which passage of which document may report on a pledge."""

    pledge_id: int
    document_id: int
    start: int
    end: int
    score: float
    features: dict[str, Any]
    stance: Stance
    linker: str
    linker_version: str


def drop_unlinkable_suggestions(session: Session, unlinked: Iterable[int]) -> int:
    """Undecided suggestions of the pledges `unlinked` (`pledges.unlinked_ids`): how many."""
    dropped = 0
    for chunk in id_chunks(unlinked):
        query = delete(EvidenceRow).where(
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
            among(EvidenceRow.pledge_id, chunk),
        )
        dropped += int(session.execute(query).rowcount)  # type: ignore[attr-defined]
    return dropped


class Synced(NamedTuple):
    """What `sync_suggestions` did, as (pledge id, document id) pairs."""

    decided: set[tuple[int, int]]  # wanted but left alone: an editor had decided them
    new: set[tuple[int, int]]  # wanted pairs that had no suggestion before
    gone: set[tuple[int, int]]  # undecided suggestions of pairs no longer wanted, deleted


def sync_suggestions(
    session: Session, document_ids: Sequence[int], suggestions: Iterable[NewSuggestion]
) -> Synced:
    """Make the undecided suggestions of these documents the linker's new `suggestions`, keyed
    by their pair (pledge, document), the table's unique key: a pair found again at the same
    passage keeps its row and id (an editor may hold the id from a listing), updated where its
    values changed; a pair no longer found, or found at another passage, goes, and a new pair
    or passage is inserted (a new id: an id an editor holds never comes to stand for a passage
    they did not see). Decided pairs are never touched. Every write is conditional in the
    database (`review_state = 'suggested'`, ON CONFLICT DO NOTHING), so an editor deciding or
    attaching a pair meanwhile wins. Returns the pairs left alone because decided, the new
    pairs and the pairs gone (a pair found again at another passage is neither)."""
    wanted = {(s.pledge_id, s.document_id): s for s in suggestions}
    rows = session.execute(
        select(
            EvidenceRow.id,
            EvidenceRow.review_state,
            *(getattr(EvidenceRow, c) for c in _SUGGESTION_COLUMNS),
        ).where(EvidenceRow.document_id.in_(list(document_ids)))
    ).all()
    suggested = ReviewState.SUGGESTED.value
    decided = {(r.pledge_id, r.document_id) for r in rows if r.review_state != suggested}
    kept: dict[tuple[int, int], Any] = {}  # pair -> its row, found again at the same passage
    stale: list[tuple[int, int, int]] = []  # (id, pledge, document) of rows to delete
    had: set[tuple[int, int]] = set()  # undecided pairs before
    for r in rows:
        if r.review_state != suggested:
            continue
        had.add((r.pledge_id, r.document_id))
        s = wanted.get((r.pledge_id, r.document_id))
        if s is not None and (r.start, r.end) == (s.start, s.end):
            kept[r.pledge_id, r.document_id] = r
        else:
            stale.append((r.id, r.pledge_id, r.document_id))
    # Each write names the row's pair as read: a row a merge moved to another pledge meanwhile
    # is not the linker's to change or delete any more (review).
    rows_as_read = tuple_(EvidenceRow.id, EvidenceRow.pledge_id, EvidenceRow.document_id)
    for lo in range(0, len(stale), ID_CHUNK):
        session.execute(
            delete(EvidenceRow)
            .where(
                rows_as_read.in_(stale[lo : lo + ID_CHUNK]), EvidenceRow.review_state == suggested
            )
            .execution_options(synchronize_session=False)
        )
    now = utcnow()
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for pair, s in wanted.items():
        if pair in decided:
            continue
        values = _suggestion_values(s)
        row = kept.get(pair)
        if row is None:
            fresh.append(
                values | {"review_state": suggested, "created_at": now, "modified_at": now}
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            changed.append({f"b_{k}": v for k, v in values.items()} | {"b_id": row.id})
    if changed:  # one statement for all of them (a new linker version changes every row)
        table = cast(Table, EvidenceRow.__table__)
        session.execute(
            update(table)
            .where(
                table.c.id == bindparam("b_id"),
                table.c.pledge_id == bindparam("b_pledge_id"),
                table.c.document_id == bindparam("b_document_id"),
                table.c.review_state == suggested,
            )
            .values({k: bindparam(f"b_{k}") for k in _SET_AGAIN} | {"modified_at": now}),
            changed,
        )
    if fresh:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(EvidenceRow).on_conflict_do_nothing(
            index_elements=["pledge_id", "document_id"]
        )
        session.execute(statement, fresh)
    if changed or fresh or stale:  # decided meanwhile: the writes left them (counted as kept)
        decided |= {
            (p, d)
            for p, d in session.execute(
                select(EvidenceRow.pledge_id, EvidenceRow.document_id).where(
                    EvidenceRow.document_id.in_(list(document_ids)),
                    EvidenceRow.review_state != suggested,
                )
            )
        } & (set(wanted) | had)
    return Synced(
        decided & set(wanted),
        set(wanted) - had - decided,
        had - set(wanted) - decided,
    )


# What a suggestion sets of its row, in `_suggestion_values`'s order.
_SUGGESTION_COLUMNS = (
    "pledge_id",
    "document_id",
    "start",
    "end",
    "score",
    "features",
    "stance",
    "stage",
    "stage_version",
)
_SET_AGAIN = _SUGGESTION_COLUMNS[2:]  # a row found again keeps its pair: the rest may change


def _suggestion_values(s: NewSuggestion) -> dict[str, Any]:
    """The columns a suggestion sets, as the database gives them back (features through JSON:
    tuples read back as lists), so a pair found again unchanged is not written."""
    return {
        "pledge_id": s.pledge_id,
        "document_id": s.document_id,
        "start": s.start,
        "end": s.end,
        "score": s.score,
        "features": json.loads(json.dumps(s.features)),
        "stance": s.stance.value,
        "stage": s.linker,
        "stage_version": s.linker_version,
    }


def outside_tracker(session: Session, evidence_ids: Sequence[int], tracker_id: int) -> set[int]:
    """Those of `evidence_ids` whose pledge is not in the tracker (or that do not exist)."""
    inside = select(EvidenceRow.id).join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
    inside = inside.where(PledgeRow.tracker_id == tracker_id)
    found = {
        i
        for chunk in id_chunks(evidence_ids)
        for i in session.scalars(inside.where(among(EvidenceRow.id, chunk)))
    }
    return set(evidence_ids) - found


def documents_with_evidence(
    session: Session, document_ids: Sequence[int], pledge_ids: Sequence[int]
) -> set[int]:
    """Of these documents, those with evidence (any review state) of one of these pledges."""
    if not document_ids or not pledge_ids:
        return set()
    query = select(EvidenceRow.document_id).where(
        EvidenceRow.document_id.in_(list(document_ids)),
        EvidenceRow.pledge_id.in_(list(pledge_ids)),
    )
    return {int(i) for i in session.scalars(query)}


def linked_pledge_ids(session: Session, pledge_ids: Sequence[int]) -> set[int]:
    """Of these pledges, those with any evidence (suggested or decided)."""
    if not pledge_ids:
        return set()
    query = select(EvidenceRow.pledge_id).where(EvidenceRow.pledge_id.in_(pledge_ids))
    return set(session.scalars(query))


def _evidence_filters(
    query: Any,
    *,
    tracker_id: int | None,
    pledge_id: int | None,
    document_id: int | None,
    states: Sequence[ReviewState] | None,
    min_score: float | None,
    limit: int | None,
) -> Any:
    """The filters of `list_evidence` on a query that has joined PledgeRow already."""
    if tracker_id is not None:
        query = query.where(PledgeRow.tracker_id == tracker_id)
    if pledge_id is not None:
        query = query.where(EvidenceRow.pledge_id == pledge_id)
    if document_id is not None:
        query = query.where(EvidenceRow.document_id == document_id)
    if states:
        query = query.where(EvidenceRow.review_state.in_([s.value for s in states]))
    if min_score is not None:
        query = query.where(EvidenceRow.score >= min_score)
    if limit is not None:
        query = query.limit(limit)
    return query.order_by(EvidenceRow.score.desc(), EvidenceRow.id)


def list_evidence(
    session: Session,
    *,
    tracker_id: int | None = None,
    pledge_id: int | None = None,
    document_id: int | None = None,
    states: Sequence[ReviewState] | None = None,
    min_score: float | None = None,
    limit: int | None = None,
) -> list[Evidence]:
    """Evidence best first (highest score), optionally filtered."""
    query = select(EvidenceRow).join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
    query = _evidence_filters(
        query,
        tracker_id=tracker_id,
        pledge_id=pledge_id,
        document_id=document_id,
        states=states,
        min_score=min_score,
        limit=limit,
    )
    return [evidence_record(r) for r in session.scalars(query)]


@dataclass(frozen=True)
class ListedEvidence:
    """A piece of evidence with what an editor decides it by: its document's title and date
    and its pledge's quote (`lofte evidence`)."""

    evidence: Evidence
    document_title: str
    document_date: DateValue | None
    pledge_quote: str


def listed_evidence(
    session: Session,
    *,
    tracker_id: int | None = None,
    pledge_id: int | None = None,
    document_id: int | None = None,
    states: Sequence[ReviewState] | None = None,
    min_score: float | None = None,
    limit: int | None = None,
) -> list[ListedEvidence]:
    """As `list_evidence` (the same filters and order), each with its document's title and date
    and its pledge's quote, read in the same query (not the documents' bodies)."""
    query = (
        select(EvidenceRow, DocumentRow.title, PledgeRow.quote, *DATE_COLUMNS)
        .join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
        .join(DocumentRow, DocumentRow.id == EvidenceRow.document_id)
    )
    query = _evidence_filters(
        query,
        tracker_id=tracker_id,
        pledge_id=pledge_id,
        document_id=document_id,
        states=states,
        min_score=min_score,
        limit=limit,
    )
    return [
        ListedEvidence(evidence_record(ev), title, date_of(*date), quote)
        for ev, title, quote, *date in session.execute(query)
    ]


def count_suggested(session: Session, tracker_id: int) -> int:
    """How many evidence links of a tracker wait for an editor (review state suggested)."""

    query = (
        select(func.count(EvidenceRow.id))
        .join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
        .where(
            PledgeRow.tracker_id == tracker_id,
            PledgeRow.state != PledgeState.REJECTED.value,  # takes no evidence (review_queue)
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
        )
    )
    return session.scalar(query) or 0


def hold_open_pledge(session: Session, pledge_id: int) -> None:
    """Check that the pledge is not rejected, by the database, and hold it so until this
    commits (an UPDATE: the write lock on SQLite, the row lock on PostgreSQL): the caller read
    the pledge earlier, and another editor may have rejected it since. It sets `modified_at`,
    which a new extraction checks before it deletes a candidate (store.pledges). A pledge
    split into live parts takes none either: it is checked through them (QA: a suggestion
    accepted on a group just split stayed with a pledge no verdict can rate). Its parts are
    read after the hold, and a split holds the pledge before it makes them."""
    held = session.execute(
        update(PledgeRow)
        .where(PledgeRow.id == pledge_id, PledgeRow.state != PledgeState.REJECTED.value)
        .values(modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        if session.get(PledgeRow, pledge_id) is None:
            raise NotFoundError(f"no pledge with id {pledge_id}")
        raise ValidationError(f"pledge {pledge_id} is rejected: it takes no evidence")
    parts = session.scalars(
        select(PledgeRow.id)
        .where(PledgeRow.parent_id == pledge_id, PledgeRow.state != PledgeState.REJECTED.value)
        .order_by(PledgeRow.id)
    ).all()
    if parts:
        raise ValidationError(
            f"pledge {pledge_id} is split into parts ({', '.join(map(str, parts))}), which are "
            "checked instead: give the evidence to a part"
        )


# --- evidence an editor attaches by hand (the rules are in review/evidence.py) ---------------

EDITOR_STAGE = "editor"
EDITOR_STAGE_VERSION = "1"
# What of an attached link's features a suggestion accepted by attaching takes over when the
# editor chose its passage: the hint read from that passage, and who chose it.
CHOSEN_PASSAGE_FEATURES = (
    "status_hint",
    "stance_confidence",
    "cues",
    "passage_chosen_by",
    "attached_by",
    "attached",
)


def attach_evidence(
    session: Session,
    suggestion: NewSuggestion,
    *,
    actor: str,
    how: dict[str, Any],
    reason: str | None = None,
    passage_chosen: bool = False,
) -> tuple[Evidence, bool]:
    """Store `suggestion` as accepted evidence an editor attached, with its audit event, in the
    caller's transaction. When the linker already suggested this (pledge, document) pair, the
    suggestion is accepted instead (a compare-and-set, as any decision), and with the passage
    the editor chose (`passage_chosen`: the suggestion's span, its stance) in the same
    statement. Returns the evidence and whether it was an existing suggestion. `reason` (why)
    is kept in the event, as a decision's reason is; `passage_chosen` is recorded there too.

    A pair already accepted or rejected is a ConflictError: the table holds one link per pair
    (unique (pledge, document)), and a concurrent attach loses on that constraint.
    """
    from . import audit  # imported here: this part of the module is kept apart at its end

    hold_open_pledge(session, suggestion.pledge_id)
    existing = session.scalar(
        select(EvidenceRow).where(
            EvidenceRow.pledge_id == suggestion.pledge_id,
            EvidenceRow.document_id == suggestion.document_id,
        )
    )
    if existing is not None and existing.review_state != ReviewState.SUGGESTED.value:
        raise ConflictError(
            f"document {suggestion.document_id} is already evidence {existing.id} of pledge "
            f"{suggestion.pledge_id} ({existing.review_state})"
        )
    if existing is not None:
        also: dict[str, Any] | None = None
        if passage_chosen:
            taken = {
                k: suggestion.features[k]
                for k in CHOSEN_PASSAGE_FEATURES
                if k in suggestion.features
            }
            also = {
                "start": suggestion.start,
                "end": suggestion.end,
                "stance": suggestion.stance.value,
                # the linker's own passage (a span kept in its features, which the pages
                # show before the row's) gives way to the chosen one
                "features": {k: v for k, v in (existing.features or {}).items() if k != "passage"}
                | taken,
            }
        row, before = change_review_state(
            session, existing.id, ReviewState.ACCEPTED, ReviewState.SUGGESTED, also
        )
        action = "evidence.accept"
    else:
        row = EvidenceRow(
            pledge_id=suggestion.pledge_id,
            document_id=suggestion.document_id,
            start=suggestion.start,
            end=suggestion.end,
            score=suggestion.score,
            features=suggestion.features,
            stance=suggestion.stance.value,
            review_state=ReviewState.ACCEPTED.value,
            stage=EDITOR_STAGE,
            stage_version=EDITOR_STAGE_VERSION,
        )
        session.add(row)
        session.flush()  # a pair stored meanwhile: IntegrityError, a ConflictError for callers
        before = None
        action = "evidence.attach"
    audit.record_event(
        session,
        action,
        "evidence",
        row.id,
        actor,
        pledge_id=row.pledge_id,
        document_id=row.document_id,
        before=before.value if before else None,
        attached=how,
        evidence=[audit.evidence_state(row)],
        **({"passage": "editor"} if passage_chosen else {}),
        **({"reason": reason} if reason else {}),
    )
    return evidence_record(row), existing is not None
