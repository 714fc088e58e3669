"""Deleting one document (`lofte document delete`): one ingested into the wrong tracker, or
that should not be there at all, goes with what only the machine derived from it.

What a person decided stays: a document that is accepted evidence, cited by a verdict, or a
program with confirmed pledges or verdicts is refused, naming them, and nothing changes. Its
suggestions (also rejected ones) and a program's unconfirmed pledges go with it; the caller
records the ids in the audit event (`lofte audit verify` then expects them gone).

Held in this order, as merging and splitting hold theirs: the document, its evidence rows,
then a program's pledges (sorted). A decision made meanwhile is either seen (and refuses) or
meets rows that are gone (its conditional UPDATE matches nothing: a conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from ..errors import NotFoundError, ValidationError
from ..model import ReviewState
from .db import Session, among, hold_write_lock, id_chunks
from .documents import document_record
from .schema import (
    DocumentBandRow,
    DocumentRow,
    EvidenceRow,
    LinkBackgroundRow,
    PledgeRow,
    SourceRow,
    StageMarkRow,
    TrackerRow,
    VerdictRow,
    utcnow,
)
from .trackers import get_tracker_by_id

ACCEPTED = ReviewState.ACCEPTED.value


@dataclass(frozen=True)
class Removed:
    """What deleting a document took with it: ids, and the copies it no longer stands for."""

    document_id: int
    tracker_slug: str
    title: str
    kind: str
    origin: str
    item_key: str
    content_hash: str
    watched_source: str | None  # its watched source's name: it brings it back at its next run
    evidence: list[int] = field(default_factory=list)
    pledges: list[int] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)  # documents that were its copies


def delete_document(session: Session, document_id: int) -> Removed:
    """Delete the document and what only the machine derived from it, or refuse (see the
    module's doc) with a ValidationError naming what a person decided; NotFoundError when
    there is no such document."""
    hold_write_lock(session)
    row = session.scalar(select(DocumentRow).where(DocumentRow.id == document_id).with_for_update())
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    document = document_record(row)
    evidence = session.execute(
        select(EvidenceRow.id, EvidenceRow.pledge_id, EvidenceRow.review_state)
        .where(EvidenceRow.document_id == document_id)
        .order_by(EvidenceRow.id)
        .with_for_update()
    ).all()
    accepted = [(e.id, e.pledge_id) for e in evidence if e.review_state == ACCEPTED]
    if accepted:
        raise ValidationError(
            f"document {document_id} is accepted evidence ("
            + listed(f"evidence {e} of pledge {p}" for e, p in accepted)
            + "): withdraw it first",
            ("document",),
        )
    pledges = list(
        session.scalars(
            select(PledgeRow.id)
            .where(PledgeRow.document_id == document_id)
            .order_by(PledgeRow.id)
            .with_for_update()
        )
    )
    _refuse_decided_pledges(session, document_id, pledges)
    their_evidence = [e.id for e in evidence]
    for chunk in id_chunks(pledges):
        their_evidence += session.scalars(
            select(EvidenceRow.id).where(among(EvidenceRow.pledge_id, chunk))
        )
    _refuse_cited(session, document_id, [e.pledge_id for e in evidence], {e.id for e in evidence})
    for chunk in id_chunks(their_evidence):
        session.execute(delete(EvidenceRow).where(among(EvidenceRow.id, chunk)))
    for chunk in id_chunks(pledges):
        session.execute(update(PledgeRow).where(among(PledgeRow.id, chunk)).values(parent_id=None))
        _drop_marks(session, "pledge", chunk)
        session.execute(delete(PledgeRow).where(among(PledgeRow.id, chunk)))
    copies = list(
        session.scalars(select(DocumentRow.id).where(DocumentRow.duplicate_of == document_id))
    )
    if copies:  # each copy stands alone now: extracted and linked as itself from the next run
        session.execute(
            update(DocumentRow)
            .where(DocumentRow.duplicate_of == document_id)
            .values(duplicate_of=None, modified_at=utcnow())
        )
        for chunk in id_chunks(copies):
            _drop_marks(session, "document", chunk)
    _drop_marks(session, "document", [document_id])
    session.execute(delete(DocumentBandRow).where(DocumentBandRow.document_id == document_id))
    session.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
    # the linker's word counts held the document: counted afresh at the next `lofte link`
    session.execute(
        delete(LinkBackgroundRow).where(LinkBackgroundRow.tracker_id == document.tracker_id)
    )
    # public pages' and search's stamps notice a removal by the tracker's row (a document
    # other than the newest leaves every other part of them as it was)
    session.execute(
        update(TrackerRow).where(TrackerRow.id == document.tracker_id).values(modified_at=utcnow())
    )
    session.flush()
    return Removed(
        document_id=document_id,
        tracker_slug=get_tracker_by_id(session, document.tracker_id).slug,
        title=document.title,
        kind=document.kind.value,
        origin=document.origin,
        item_key=document.item_key,
        content_hash=document.content_hash,
        watched_source=_watched(session, document.source_id),
        evidence=sorted(their_evidence),
        pledges=pledges,
        copies=sorted(copies),
    )


def _refuse_decided_pledges(session: Session, document_id: int, pledges: list[int]) -> None:
    """A program whose pledges an editor confirmed, rated or gave evidence stays."""
    confirmed: list[int] = []
    rated: list[int] = []
    for chunk in id_chunks(pledges):
        confirmed += session.scalars(
            select(PledgeRow.id).where(among(PledgeRow.id, chunk), PledgeRow.state == "confirmed")
        )
        rated += session.scalars(
            select(VerdictRow.pledge_id).distinct().where(among(VerdictRow.pledge_id, chunk))
        )
        rated += session.scalars(  # evidence accepted for a candidate is a decision too
            select(EvidenceRow.pledge_id)
            .distinct()
            .where(among(EvidenceRow.pledge_id, chunk), EvidenceRow.review_state == ACCEPTED)
        )
    if confirmed or rated:
        named = sorted(set(confirmed) | set(rated))
        raise ValidationError(
            f"document {document_id} is the program of pledges a person confirmed, rated or "
            f"gave evidence ({listed(f'pledge {p}' for p in named)}): their decisions keep it",
            ("document",),
        )


def _refuse_cited(
    session: Session, document_id: int, pledge_ids: list[int], evidence_ids: set[int]
) -> None:
    """A verdict that cites the document's evidence (withdrawn since) keeps it: its sources
    stay in the pledge's public timeline."""
    cited: list[int] = []
    for chunk in id_chunks(set(pledge_ids)):
        for verdict_id, cites in session.execute(
            select(VerdictRow.id, VerdictRow.evidence_ids).where(among(VerdictRow.pledge_id, chunk))
        ):
            if evidence_ids & set(cites or ()):
                cited.append(verdict_id)
    if cited:
        raise ValidationError(
            f"document {document_id} is cited by "
            f"{listed(f'verdict {v}' for v in sorted(cited))}: it stays in their timelines",
            ("document",),
        )


def _watched(session: Session, source_id: int | None) -> str | None:
    """The name of the document's source when it is watched (a label of files is not)."""
    if source_id is None:
        return None
    return session.scalar(
        select(SourceRow.name).where(SourceRow.id == source_id, SourceRow.shape.is_not(None))
    )


def _drop_marks(session: Session, entity_type: str, ids: list[int]) -> None:
    session.execute(
        delete(StageMarkRow)
        .where(StageMarkRow.entity_type == entity_type, among(StageMarkRow.entity_id, ids))
        .execution_options(synchronize_session=False)
    )


def listed(names: Iterable[str], shown: int = 5) -> str:
    """The first `shown` names, then how many more (a refusal stays one readable line)."""
    names = list(names)
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
