"""Deleting one document (`lofte document delete`): one ingested into the wrong tracker, or
that should not be there at all, goes with what only the machine derived from it.

What a person decided stays: a document that is accepted evidence, cited by a verdict, or a
program with confirmed pledges or verdicts is refused, naming them, and nothing changes. Its
suggestions (also rejected ones) and a program's unconfirmed pledges go with it; the caller
records the ids in the audit event (`lofte audit verify` then expects them gone).

Held in this order: the tracker's row (`hold_tracker_of`, first, as a term edit and a tracker
deletion hold it before the rows they change), then, as merging and splitting hold theirs,
the document, its evidence rows and a program's pledges (sorted). A decision made meanwhile
is either seen (and refuses) or meets rows that are gone (its conditional UPDATE matches
nothing: a conflict). Ids are never given again (migration 0019), so no later row inherits
a deleted one's audit events or public address. The input's bytes go too when no other
document was read from them (a document that should not be kept at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Row, delete, exists, func, or_, select, update

from ..errors import NotFoundError, ValidationError
from ..model import ReviewState
from .db import Session, among, hold_write_lock, id_chunks
from .documents import document_record
from .schema import (
    ArchivedResponseRow,
    DocumentBandRow,
    DocumentRow,
    EvidenceRow,
    LinkBackgroundRow,
    PledgeRow,
    RawBlobRow,
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
    copies: list[int] = field(default_factory=list)  # its copies; the oldest is the original now
    # per pledge of another document, the evidence removed that a person had decided on
    decided: dict[int, list[int]] = field(default_factory=dict)


def counts(session: Session, document_id: int) -> tuple[int, int]:
    """How many pledges and evidence rows deleting the document would take; the refusal first
    when a person's decision keeps it (QA: the question came first, and the refusal only
    after the admin had typed the id)."""
    rows, own_pledges = _held_rows(session, document_id, lock=False)
    _refuse_kept(session, document_id, rows, own_pledges)
    pledges = select(PledgeRow.id).where(PledgeRow.document_id == document_id)
    evidence = select(EvidenceRow.id).where(
        or_(EvidenceRow.document_id == document_id, EvidenceRow.pledge_id.in_(pledges))
    )
    going = session.scalar(select(func.count()).select_from(evidence.subquery())) or 0
    return len(own_pledges), going


def hold_tracker_of(session: Session, document_id: int) -> int:
    """The document's tracker id, its row held until the transaction ends (FOR NO KEY UPDATE:
    inserts of rows under the tracker still go on); NotFoundError when there is no document."""
    hold_write_lock(session)
    tracker_id = session.scalar(select(DocumentRow.tracker_id).where(DocumentRow.id == document_id))
    if tracker_id is None:
        raise NotFoundError(f"no document with id {document_id}")
    held = select(TrackerRow.id).where(TrackerRow.id == tracker_id).with_for_update(key_share=True)
    if session.scalar(held) is None:  # deleted with its tracker meanwhile
        raise NotFoundError(f"no document with id {document_id}")
    return int(tracker_id)


def delete_document(session: Session, document_id: int) -> Removed:
    """Delete the document and what only the machine derived from it, or refuse (see the
    module's doc) with a ValidationError naming what a person decided; NotFoundError when
    there is no such document."""
    hold_write_lock(session)
    row = session.scalar(select(DocumentRow).where(DocumentRow.id == document_id).with_for_update())
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    document = document_record(row)
    evidence, pledges = _held_rows(session, document_id, lock=True)
    _refuse_kept(session, document_id, evidence, pledges)
    their_evidence = [e.id for e in evidence]
    for chunk in id_chunks(pledges):
        their_evidence += session.scalars(
            select(EvidenceRow.id).where(among(EvidenceRow.pledge_id, chunk))
        )
    for chunk in id_chunks(their_evidence):
        session.execute(delete(EvidenceRow).where(among(EvidenceRow.id, chunk)))
    for chunk in id_chunks(pledges):
        session.execute(update(PledgeRow).where(among(PledgeRow.id, chunk)).values(parent_id=None))
        _drop_marks(session, "pledge", chunk)
        session.execute(delete(PledgeRow).where(among(PledgeRow.id, chunk)))
    copies = _copies_stand_for_it(session, document_id)
    _drop_marks(session, "document", [document_id])
    session.execute(delete(DocumentBandRow).where(DocumentBandRow.document_id == document_id))
    session.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
    _forget_unshared_input(session, row.raw_sha256, row.archive_id)
    # the linker's word counts held the document: counted afresh at the next `lofte link`
    session.execute(
        delete(LinkBackgroundRow).where(LinkBackgroundRow.tracker_id == document.tracker_id)
    )
    # public pages' and search's stamps notice a removal by this (a document other than the
    # newest leaves every other part of them as it was); `modified_at` is the settings form's
    # token and stays
    session.execute(
        update(TrackerRow)
        .where(TrackerRow.id == document.tracker_id)
        .values(contents_changed_at=utcnow(), modified_at=TrackerRow.modified_at)
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
        evidence=sorted(set(their_evidence)),
        pledges=pledges,
        copies=sorted(copies),
        decided=_decided_by_pledge(evidence),
    )


def _held_rows(
    session: Session, document_id: int, *, lock: bool
) -> tuple[Sequence[Row[int, int, str]], list[int]]:
    """The document's evidence rows (id, pledge, state) and its own pledges' ids, held when
    `lock` (the delete's order: evidence, then pledges, each sorted)."""
    evidence = (
        select(EvidenceRow.id, EvidenceRow.pledge_id, EvidenceRow.review_state)
        .where(EvidenceRow.document_id == document_id)
        .order_by(EvidenceRow.id)
    )
    pledges = (
        select(PledgeRow.id).where(PledgeRow.document_id == document_id).order_by(PledgeRow.id)
    )
    if lock:
        evidence, pledges = evidence.with_for_update(), pledges.with_for_update()
    return session.execute(evidence).all(), list(session.scalars(pledges))


def _refuse_kept(
    session: Session,
    document_id: int,
    evidence: Sequence[Row[int, int, str]],
    pledges: list[int],
) -> None:
    """The refusal when a person's decision keeps the document, what nothing undoes first (QA:
    withdrawing evidence, as advised, then met the verdict that had cited it): a verdict that
    cited its evidence, then its pledges' decisions (`_refuse_decided_pledges`), then its own
    accepted evidence."""
    _refuse_cited(session, document_id, [e.pledge_id for e in evidence], {e.id for e in evidence})
    _refuse_decided_pledges(session, document_id, pledges)
    accepted = [(e.id, e.pledge_id) for e in evidence if e.review_state == ACCEPTED]
    if accepted:
        raise ValidationError(
            f"document {document_id} is {_withdraw_first(accepted)}", ("document",)
        )


def _decided_by_pledge(evidence: Sequence[Row[int, int, str]]) -> dict[int, list[int]]:
    """The document's evidence a person decided on (rejected, or withdrawn), by pledge: each
    pledge's history records that it went with the document (QA: the decisions vanished)."""
    decided: dict[int, list[int]] = {}
    for evidence_id, pledge_id, state in evidence:
        if state != ReviewState.SUGGESTED.value:
            decided.setdefault(pledge_id, []).append(evidence_id)
    return decided


def _refuse_decided_pledges(session: Session, document_id: int, pledges: list[int]) -> None:
    """A program whose pledges a person rated, confirmed or gave evidence stays: each refusal
    names them and what undoes it, where something does (QA: advice to reject pledges came
    back unchanged after they were rejected, their accepted evidence being what held it)."""
    rated: set[int] = set()
    confirmed: set[int] = set()
    accepted: list[tuple[int, int]] = []
    for chunk in id_chunks(pledges):
        rated.update(
            session.scalars(select(VerdictRow.pledge_id).where(among(VerdictRow.pledge_id, chunk)))
        )
        confirmed.update(
            session.scalars(
                select(PledgeRow.id).where(
                    among(PledgeRow.id, chunk), PledgeRow.state == "confirmed"
                )
            )
        )
        accepted += [
            (evidence_id, pledge_id)
            for evidence_id, pledge_id in session.execute(
                select(EvidenceRow.id, EvidenceRow.pledge_id)
                .where(among(EvidenceRow.pledge_id, chunk), EvidenceRow.review_state == ACCEPTED)
                .order_by(EvidenceRow.id)
            )
        ]
    program = f"document {document_id} is the program of"
    if rated:
        named = listed(f"pledge {p}" for p in sorted(rated))
        raise ValidationError(f"{program} rated pledges ({named}): their verdicts keep it")
    if confirmed:
        first, named = min(confirmed), listed(f"pledge {p}" for p in sorted(confirmed))
        raise ValidationError(
            f"{program} confirmed pledges ({named}): reject them first "
            f"(`lofte pledge reject {first}`, or Reject on the pledge's page)"
        )
    if accepted:
        raise ValidationError(f"{program} pledges with {_withdraw_first(accepted)}")


def _withdraw_first(accepted: list[tuple[int, int]]) -> str:
    """The accepted evidence that keeps a document, and how to withdraw it."""
    named = listed(f"evidence {e} of pledge {p}" for e, p in accepted)
    return (
        f"accepted evidence ({named}): withdraw it first "
        f"(`lofte reject-evidence {accepted[0][0]} --any-state`, or Withdraw on the pledge's page)"
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
            f"document {document_id} cannot be deleted: "
            f"{listed(f'verdict {v}' for v in sorted(cited))} cited it, and a verdict's "
            "sources stay in its pledge's timeline",
            ("document",),
        )


def _copies_stand_for_it(session: Session, document_id: int) -> list[int]:
    """The document's copies (ingest found them the same text): the oldest becomes the
    original, extracted and linked as itself from the next run, and the others its copies
    (review: all of them standing alone counted a program's pledges twice). Their ids."""
    copies = list(
        session.scalars(
            select(DocumentRow.id)
            .where(DocumentRow.duplicate_of == document_id)
            .order_by(DocumentRow.id)
        )
    )
    if copies:
        first, *others = copies
        session.execute(
            update(DocumentRow).where(DocumentRow.id == first).values(duplicate_of=None)
        )
        for chunk in id_chunks(others):
            session.execute(
                update(DocumentRow).where(among(DocumentRow.id, chunk)).values(duplicate_of=first)
            )
        _drop_marks(session, "document", [first])
    return copies


def _forget_unshared_input(session: Session, sha256: str, archive_id: int | None) -> None:
    """The input's bytes and its archived HTTP response, unless another document was read
    from them (a document ingested by mistake may be one that should not be kept at all)."""
    session.execute(
        delete(RawBlobRow).where(
            RawBlobRow.sha256 == sha256,
            ~exists().where(DocumentRow.raw_sha256 == sha256),
        )
    )
    if archive_id is not None:
        session.execute(
            delete(ArchivedResponseRow).where(
                ArchivedResponseRow.id == archive_id,
                ~exists().where(DocumentRow.archive_id == archive_id),
            )
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
