"""Link: news and decisions → evidence suggestions for pledges, incrementally, in the store.

The scoring is the pure stage `pipeline.link`; this module chooses what to score and writes the
suggestions. A run scores (a) documents the current linker version has not scored, against all
pledges, and (b) pledges that are new or were edited since they were scored, against all
documents. Link marks remember both. Suggestions an editor accepted or rejected are never
changed; stale suggestions of a re-scored pledge or document are replaced, and suggestions for
pledges that are no longer linked (rejected, merged, split into parts) are dropped.

Pledges linked are the checkable units: confirmed or candidate pledges without children that
are themselves pledges (a list item split into commitments is linked through its parts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .model import ReviewState, SourceKind
from .pipeline.constraints import LinkContext
from .pipeline.link import LINKER, LINKER_VERSION, DocumentText, PledgeIndex, PledgeText
from .store import documents as document_store
from .store import pledges as pledge_store
from .store import trackers as tracker_store
from .store.db import Store
from .store import marks as stage_marks
from .store.schema import DocumentRow, EvidenceRow, PledgeRow, TrackerRow

EVIDENCE_KINDS = (SourceKind.NEWS.value, SourceKind.DECISION.value, SourceKind.BUDGET.value,
                  SourceKind.OTHER.value)
BATCH = 500  # documents scored and written per transaction


@dataclass
class LinkReport:
    tracker: str
    pledges: int = 0
    documents_scored: int = 0
    pledges_rescored: int = 0
    suggestions: int = 0
    kept_decisions: int = 0  # suggestions not written because an editor already decided
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def link(
    store: Store,
    tracker: str | None = None,
    *,
    full: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[LinkReport]:
    """Link every tracker (or one). `full` forgets the marks and scores everything again."""
    with store.session() as session:
        slugs = [tracker] if tracker else [t.slug for t in tracker_store.list_trackers(session)]
    return [_link_tracker(store, slug, full, on_progress) for slug in slugs]


def _link_tracker(store: Store, slug: str, full: bool,
                  on_progress: Callable[[int, int], None] | None) -> LinkReport:
    report = LinkReport(slug)
    with store.session() as session:
        tracker = tracker_store.get_tracker_row(session, slug)
        pledges = _linkable_pledges(session, tracker.id)
        report.pledges = len(pledges)
        _drop_unlinkable_suggestions(session, tracker.id, {p.id for p in pledges})
        if not pledges:
            return report
        documents = _evidence_documents(session, tracker.id)
        doc_marks = {} if full else stage_marks.marks(session, "link", "document")
        pledge_marks = {} if full else stage_marks.marks(session, "link", "pledge")
        new_docs = [d for d in documents if doc_marks.get(int(d.id)) != (LINKER_VERSION, None)]
        changed = {p.id: p.version for p in pledges
                   if pledge_marks.get(p.id) != (LINKER_VERSION, p.version)}
        if not new_docs and not changed:
            return report  # nothing new: no index to build
        context = _context(session, tracker)
        index = _index(session, tracker.id, pledges, documents)
    report.pledges_rescored = len(changed)
    new_ids = {d.id for d in new_docs}
    work: list[tuple[list[DocumentText], list[int] | None]] = [
        (new_docs[i:i + BATCH], None) for i in range(0, len(new_docs), BATCH)
    ]
    if changed:
        old_docs = [d for d in documents if d.id not in new_ids]
        work += [(old_docs[i:i + BATCH], sorted(changed)) for i in range(0, len(old_docs), BATCH)]
    done = 0
    total = sum(len(batch) for batch, _ in work)
    for batch, only in work:
        suggestions = index.link(batch, context, pledge_ids=only)
        with store.session() as session:
            _write(session, batch, only, suggestions, report)
        done += len(batch)
        report.documents_scored += len(batch) if only is None else 0
        if on_progress:
            on_progress(done, total)
    with store.session() as session:
        stage_marks.set_marks(session, "link", "pledge", changed.items(), LINKER_VERSION)
    return report


def _drop_unlinkable_suggestions(session: Session, tracker_id: int, linkable: set[int]) -> None:
    """Undecided suggestions of pledges no longer linked (rejected, merged, now a group)."""
    tracker_pledges = select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)
    query = delete(EvidenceRow).where(EvidenceRow.review_state == ReviewState.SUGGESTED.value,
                                      EvidenceRow.pledge_id.in_(tracker_pledges))
    if linkable:
        query = query.where(EvidenceRow.pledge_id.not_in(sorted(linkable)))
    session.execute(query)


def _write(session: Session, batch: list[DocumentText], only: list[int] | None,
           suggestions: list, report: LinkReport) -> None:  # type: ignore[type-arg]
    doc_ids = [int(d.id) for d in batch]
    # Suggestions nobody decided on are re-derived: drop the old ones of what is re-scored.
    stale = delete(EvidenceRow).where(EvidenceRow.document_id.in_(doc_ids),
                                      EvidenceRow.review_state == ReviewState.SUGGESTED.value)
    if only is not None:
        stale = stale.where(EvidenceRow.pledge_id.in_(only))
    session.execute(stale)
    decided = set(session.execute(
        select(EvidenceRow.pledge_id, EvidenceRow.document_id).where(EvidenceRow.document_id.in_(doc_ids))
    ).all())
    for s in suggestions:
        if (s.pledge_id, s.document_id) in decided:
            report.kept_decisions += 1
            continue
        session.add(EvidenceRow(
            pledge_id=s.pledge_id, document_id=s.document_id, start=s.span[0], end=s.span[1],
            score=float(s.score), features=s.features(), stance=s.stance.value,
            review_state=ReviewState.SUGGESTED.value, stage=LINKER, stage_version=LINKER_VERSION,
        ))
        report.suggestions += 1
    if only is None:
        stage_marks.set_marks(session, "link", "document", ((i, None) for i in doc_ids), LINKER_VERSION)


def _linkable_pledges(session: Session, tracker_id: int) -> list[PledgeRow]:
    rows = list(session.scalars(
        select(PledgeRow).where(PledgeRow.tracker_id == tracker_id).order_by(PledgeRow.id)
    ))
    linked = pledge_store.checkable_ids((r.id, r.parent_id, r.state) for r in rows)
    return [r for r in rows if r.id in linked]


def _evidence_documents(session: Session, tracker_id: int) -> list[DocumentText]:
    rows = session.scalars(
        select(DocumentRow).where(DocumentRow.tracker_id == tracker_id,
                                  DocumentRow.kind.in_(EVIDENCE_KINDS),
                                  DocumentRow.duplicate_of.is_(None)).order_by(DocumentRow.id)
    )
    return [DocumentText(r.id, r.title, r.body, document_store.document_date(r)) for r in rows]


def _index(session: Session, tracker_id: int, pledges: list[PledgeRow],
           documents: list[DocumentText]) -> PledgeIndex:
    """The pledges to score against, with the tracker's own texts as the background that tells
    common words ("budget", the coalition's name) from rare ones."""
    return PledgeIndex(
        [PledgeText(p.id, p.quote, p.area) for p in pledges],
        background=[d.title + "\n" + d.body for d in documents] + _program_paragraphs(session, tracker_id),
    )


def _program_paragraphs(session: Session, tracker_id: int) -> list[str]:
    bodies = session.scalars(select(DocumentRow.body).where(
        DocumentRow.tracker_id == tracker_id, DocumentRow.kind == SourceKind.PROGRAM.value))
    return [p for body in bodies for p in body.split("\n\n") if p.strip()]


def _context(session: Session, tracker: TrackerRow) -> LinkContext:
    """Time and place: the earliest program's date, the term, the jurisdiction, the actors."""
    dates = [document_store.document_date(r) for r in session.scalars(select(DocumentRow).where(
        DocumentRow.tracker_id == tracker.id, DocumentRow.kind == SourceKind.PROGRAM.value))]
    known: list[dt.date] = [d.latest() for d in dates if d]  # "after" must hold for any reading
    return LinkContext(program_date=min(known) if known else None, term_start=tracker.term_start,
                       term_end=tracker.term_end, jurisdiction=tracker.jurisdiction,
                       actors=tuple(tracker.actors or ()))


def search_pledge_evidence(store: Store, pledge_id: int, top_k: int = 10,
                           min_score: float = 0.0) -> list[tuple[int, float, tuple[int, int]]]:
    """From a pledge to documents: (document id, score, passage span), best first."""
    with store.session() as session:
        pledge = session.get(PledgeRow, pledge_id)
        if pledge is None:
            from .errors import NotFoundError

            raise NotFoundError(f"no pledge with id {pledge_id}")
        tracker = session.get(TrackerRow, pledge.tracker_id)
        pledges = _linkable_pledges(session, pledge.tracker_id)
        if pledge.id not in {p.id for p in pledges}:
            pledges.append(pledge)
        documents = _evidence_documents(session, pledge.tracker_id)
        index = _index(session, pledge.tracker_id, pledges, documents)
        found = index.search(pledge.id, documents, _context(session, tracker), top_k=top_k,
                             min_score=min_score)
    return [(int(s.document_id), float(s.score), s.span) for s in found]
