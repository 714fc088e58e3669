"""Extract: program documents → candidate pledges in the store, one transaction per document.

The extractor itself is the pure stage `pipeline.extract`; this module feeds it stored documents
and writes what it finds. Running it again with the same extractor version changes nothing. A
newer version replaces the older version's candidates that nobody has reviewed or linked yet;
pledges an editor touched (confirmed, rejected, edited, split, merged) are never replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .model import Document, ParsedDocument, PledgeState, SourceKind
from .pipeline.extract import EXTRACTOR, EXTRACTOR_VERSION, extract_pledges
from .store import audit
from .store import marks as stage_marks
from .store import documents as document_store
from .store import pledges as pledge_store
from .store import trackers as tracker_store
from .store.db import Store
from .store.schema import EvidenceRow, PledgeRow


@dataclass
class ExtractReport:
    """What extraction did to one document."""

    document_id: int
    title: str
    inserted: int = 0
    removed: int = 0
    unchanged: bool = False
    error: str | None = None
    pledge_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "document_id": self.document_id, "title": self.title, "inserted": self.inserted,
            "removed": self.removed, "unchanged": self.unchanged, "error": self.error,
        }


def parsed_view(document: Document) -> ParsedDocument:
    """The stored document as the reader saw it: body plus its layout spans."""
    structure = document.structure or {}
    return ParsedDocument(
        title=document.title,
        body=document.body,
        item_key=document.item_key,
        url=document.url,
        date=document.date,
        category=document.category,
        language=document.language,
        truncated=document.truncated,
        list_items=tuple(tuple(s) for s in structure.get("list_items", ())),  # type: ignore[misc]
        noise=tuple(tuple(s) for s in structure.get("noise", ())),  # type: ignore[misc]
        extra=dict(structure.get("extra", {})),
    )


def extract(
    store: Store,
    tracker: str | None = None,
    document_ids: Sequence[int] | None = None,
    *,
    on_document: Callable[[ExtractReport], None] | None = None,
) -> list[ExtractReport]:
    """Extract pledges from the tracker's program documents (or the given documents)."""
    with store.session() as session:
        tracker_id = tracker_store.get_tracker_row(session, tracker).id if tracker else None
        if document_ids:
            documents = [document_store.get_document(session, i) for i in document_ids]
        else:
            documents = document_store.list_documents(session, tracker_id, kind=SourceKind.PROGRAM)
    reports = []
    for document in documents:
        report = _extract_one(store, document)
        reports.append(report)
        if on_document:
            on_document(report)
    return reports


def extractor_version() -> str:
    """The extractor's code version and the sentence classifier it uses: both shape the output."""
    from .pipeline.classify import load_classifier

    return f"{EXTRACTOR_VERSION}+{load_classifier().version}"


def _extract_one(store: Store, document: Document) -> ExtractReport:
    report = ExtractReport(document.id, document.title)
    version = extractor_version()
    try:
        with store.session() as session:
            rows = pledge_store.pledge_rows_of_document(session, document.id)
            if stage_marks.marks(session, "extract", "document", [document.id]).get(document.id) == (version, None):
                report.unchanged = True
                report.pledge_ids = [r.id for r in rows]
                return report
            kept = _drop_stale_candidates(session, rows, report)
            candidates = extract_pledges(parsed_view(document))
            taken = {(r.start, r.end): r for r in kept}
            rows_by_index: list[PledgeRow] = []
            new_rows: list[PledgeRow] = []
            for candidate in candidates:
                row = taken.get((candidate.start, candidate.end))
                if row is None:  # not yet stored, or stored and reviewed: then keep that one
                    row = PledgeRow(
                        tracker_id=document.tracker_id, document_id=document.id,
                        start=candidate.start, end=candidate.end,
                        quote=candidate.quote, area=candidate.area,
                        attributes={**candidate.attributes, "method": candidate.method},
                        confidence=candidate.confidence, state=PledgeState.CANDIDATE.value,
                        stage=EXTRACTOR, stage_version=version,
                    )
                    session.add(row)
                    new_rows.append(row)
                rows_by_index.append(row)
            session.flush()
            for candidate, row in zip(candidates, rows_by_index):
                if row in new_rows and candidate.parent is not None:
                    row.parent_id = rows_by_index[candidate.parent].id
            session.flush()
            report.pledge_ids = [r.id for r in new_rows]
            report.inserted = len(report.pledge_ids)
            # the state of every new candidate, so `lofte audit verify` notices a candidate
            # changed in the database before any editor touched it
            audit.record_event(
                session, "pledge.extract", "document", document.id, audit.SYSTEM_ACTOR,
                extractor=f"{EXTRACTOR}/{version}", inserted=report.inserted,
                removed=report.removed, pledges=[audit.pledge_state(r) for r in new_rows],
                removed_pledges=sorted({r.id for r in rows} - {r.id for r in kept}),
            )
            stage_marks.set_marks(session, "extract", "document", [(document.id, None)], version)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops the others
        report.error = f"{type(exc).__name__}: {exc}"
        report.inserted, report.pledge_ids = 0, []
    return report


def _drop_stale_candidates(session: Session, rows: list[PledgeRow], report: ExtractReport) -> list[PledgeRow]:
    """Delete older extractor output nobody reviewed or linked; return the pledges kept."""
    linked = set(session.scalars(
        select(EvidenceRow.pledge_id).where(EvidenceRow.pledge_id.in_([r.id for r in rows]))
    )) if rows else set()
    stale = {
        r.id for r in rows
        if r.stage == EXTRACTOR and r.state == PledgeState.CANDIDATE.value and r.version == 1
        and r.id not in linked
    }
    # A group stays while any of its children stays.
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row.id not in stale and row.parent_id in stale:
                stale.discard(row.parent_id)
                changed = True
    for row in rows:
        if row.id in stale:
            session.delete(row)
    report.removed = len(stale)
    return [r for r in rows if r.id not in stale]
