"""The editors' review queue: a tracker's evidence filtered, sorted and paged in the database.

Filters are on the evidence (review state, score band, document) and on its pledge (area,
party); sorts are by score (best first), by the document's date (newest first) or by the
pledge (its document, then its place in it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..model import Evidence, PledgeState, ReviewState
from .evidence import evidence_record
from .schema import DocumentRow, EvidenceRow, PledgeRow

QUEUE_SORTS = ("score", "date", "pledge")


@dataclass(frozen=True)
class QueueFilter:
    states: Sequence[ReviewState] = (ReviewState.SUGGESTED,)
    area: str | None = None
    party: str | None = None
    document_id: int | None = None
    min_score: float | None = None  # inclusive
    below_score: float | None = None  # exclusive
    sort: str = "score"


def _filtered(query: Select, tracker_id: int, f: QueueFilter) -> Select:  # type: ignore[type-arg]
    # a rejected pledge takes no evidence: its suggestions wait for no one (QA: accepted from
    # the queue, they went public on the rejected pledge's page)
    query = query.join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id).where(
        PledgeRow.tracker_id == tracker_id, PledgeRow.state != PledgeState.REJECTED.value
    )
    if f.states:
        query = query.where(EvidenceRow.review_state.in_([s.value for s in f.states]))
    if f.area is not None:
        query = query.where(PledgeRow.area == f.area)
    if f.party is not None:
        query = query.where(PledgeRow.party == f.party)
    if f.document_id is not None:
        query = query.where(EvidenceRow.document_id == f.document_id)
    if f.min_score is not None:
        query = query.where(EvidenceRow.score >= f.min_score)
    if f.below_score is not None:
        query = query.where(EvidenceRow.score < f.below_score)
    return query


def queue_page(
    session: Session, tracker_id: int, f: QueueFilter, *, limit: int, offset: int
) -> tuple[list[Evidence], int]:
    """One page of the queue and the number of items all pages hold."""
    total = session.scalar(_filtered(select(func.count(EvidenceRow.id)), tracker_id, f)) or 0
    query = _filtered(select(EvidenceRow), tracker_id, f)
    if f.sort == "date":
        query = query.join(DocumentRow, DocumentRow.id == EvidenceRow.document_id).order_by(
            DocumentRow.date_value.desc().nulls_last(), EvidenceRow.score.desc()
        )
    elif f.sort == "pledge":
        query = query.order_by(PledgeRow.document_id, PledgeRow.start, EvidenceRow.score.desc())
    else:
        query = query.order_by(EvidenceRow.score.desc())
    rows = session.scalars(query.order_by(EvidenceRow.id).limit(limit).offset(offset))
    return [evidence_record(r) for r in rows], total


def queue_choices(session: Session, tracker_id: int) -> dict[str, list[str]]:
    """The areas and parties the tracker's pledges have (for the queue's filter menus)."""
    pledges = select(PledgeRow.area, PledgeRow.party).where(PledgeRow.tracker_id == tracker_id)
    areas, parties = set(), set()
    for area, party in session.execute(pledges.distinct()):
        if area:
            areas.add(area)
        if party:
            parties.add(party)
    return {"areas": sorted(areas), "parties": sorted(parties)}


def queue_documents(session: Session, tracker_id: int, limit: int) -> list[tuple[int, str]] | None:
    """(id, title) of the documents with evidence for the tracker's pledges, in id order, for
    the queue's document menu; None when there are more than `limit` (the menu of a national
    record's 8,943 documents was 781 kB of every queue page, and reading them all with their
    text most of its time: QA). Titles only, never the bodies."""
    rows = session.execute(
        select(DocumentRow.id, DocumentRow.title)
        .where(
            DocumentRow.id.in_(
                select(EvidenceRow.document_id)
                .join(PledgeRow, PledgeRow.id == EvidenceRow.pledge_id)
                .where(PledgeRow.tracker_id == tracker_id)
            )
        )
        .order_by(DocumentRow.id)
        .limit(limit + 1)
    ).all()
    if len(rows) > limit:
        return None
    return [(int(i), str(title)) for i, title in rows]
