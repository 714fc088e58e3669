"""Keeping derived rows true when a document's text changes on re-ingest.

Pledges and evidence point into the document text by offsets. When the text changes:
- every stage mark of the document goes, so `extract` and `link` look at it again;
- suggestions nobody decided on go (linking re-derives them);
- a pledge whose quote is still in the text moves to where it now stands, with an audit event
  carrying its new span (one per reviewed pledge, one for the document's candidates), so
  `lofte audit verify` keeps matching it;
- an unreviewed candidate whose quote is gone goes (extraction re-derives it);
- a reviewed pledge whose quote is gone stays, flagged `span_lost`, with an audit event, so no
  editor's work disappears silently;
- decided evidence stays, flagged `document_changed`, with its span kept inside the text.

The events name `actor`, who read the changed text in (the pipeline itself for a watched
source's run); the caller records the replacement itself (`document.update`).

It also forgets the link marks of pledges no longer linked (`forget_unlinked_pledges`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..model import ReviewState
from .audit import SYSTEM_ACTOR, pledge_state, record_event
from .db import among, id_chunks
from .marks import drop_marks
from .pledges import unreviewed
from .schema import EvidenceRow, PledgeRow, StageMarkRow


def reconcile_changed_document(
    session: Session, document_id: int, new_body: str, actor: str = SYSTEM_ACTOR
) -> dict[str, int]:
    """Returns how many pledges moved, went (`dropped`) or lost their quote, and how many
    there were (`pledges`) and pieces of decided evidence (`evidence`)."""
    counts = {"moved": 0, "dropped": 0, "span_lost": 0, "pledges": 0, "evidence": 0}
    drop_marks(session, "document", document_id)
    session.execute(
        delete(EvidenceRow).where(
            EvidenceRow.document_id == document_id,
            EvidenceRow.review_state == ReviewState.SUGGESTED.value,
        )
    )
    decided = list(
        session.scalars(select(EvidenceRow).where(EvidenceRow.document_id == document_id))
    )
    with_decisions = {ev.pledge_id for ev in decided}
    counts["evidence"] = len(decided)
    for ev in decided:
        ev.end = min(ev.end, len(new_body))
        ev.start = min(ev.start, ev.end)
        ev.features = {**(ev.features or {}), "document_changed": True}
    pledges = session.scalars(
        select(PledgeRow).where(PledgeRow.document_id == document_id).order_by(PledgeRow.id)
    )
    unreviewed_moved: list[PledgeRow] = []
    dropped: list[int] = []
    for pledge in pledges:
        counts["pledges"] += 1
        if new_body[pledge.start : pledge.end] == pledge.quote:
            continue
        position = new_body.find(pledge.quote)
        if position >= 0:
            pledge.start, pledge.end = position, position + len(pledge.quote)
            counts["moved"] += 1
            if _reviewed(pledge):
                record_event(
                    session,
                    "pledge.move",
                    "pledge",
                    pledge.id,
                    actor,
                    document_id=document_id,
                    pledges=[pledge_state(pledge)],
                )
            else:
                unreviewed_moved.append(pledge)
        elif not _reviewed(pledge) and pledge.id not in with_decisions:
            dropped.append(pledge.id)
            session.delete(pledge)
            counts["dropped"] += 1
        else:
            pledge.attributes = {**(pledge.attributes or {}), "span_lost": True}
            record_event(
                session,
                "pledge.span_lost",
                "pledge",
                pledge.id,
                actor,
                document_id=document_id,
                pledges=[pledge_state(pledge)],
            )
            counts["span_lost"] += 1
    if unreviewed_moved or dropped:  # candidates are recorded at extraction: keep that true
        record_event(
            session,
            "pledge.reconcile",
            "document",
            document_id,
            actor,
            pledges=[pledge_state(p) for p in unreviewed_moved],
            removed_pledges=dropped,
        )
    return counts


def _reviewed(pledge: PledgeRow) -> bool:
    """Touched by an editor (only such pledges have audit events to keep true)."""
    return not unreviewed(pledge.state, pledge.version)


# --- the linker's marks of pledges no longer linked ---------------------------------------


def forget_unlinked_pledges(session: Session, unlinked: Iterable[int]) -> None:
    """Drop the link marks of the tracker's pledges that are not linked now (rejected, split
    into parts): their suggestions go, so when one is linkable again (restored, its parts
    rejected) it must be scored again even though its text did not change."""
    for chunk in id_chunks(unlinked):
        session.execute(
            delete(StageMarkRow)
            .where(
                StageMarkRow.stage == "link",
                StageMarkRow.entity_type == "pledge",
                among(StageMarkRow.entity_id, chunk),
            )
            .execution_options(synchronize_session=False)
        )
