"""Extract: program documents → candidate pledges in the store, one transaction per document.

The extractor itself is the pure stage `pipeline.extract`; this module feeds it stored documents
and writes what it finds. Running it again with the same extractor version changes nothing. A
newer version replaces the older version's candidates that nobody has reviewed or linked yet;
pledges an editor touched (confirmed, rejected, edited, split, merged) are never replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from time import monotonic

from .config import get_settings
from .errors import BudgetError, ValidationError
from .model import Document, ParsedDocument, SourceKind, Tracker
from .party_warnings import no_party_warnings
from .pipeline.extract import EXTRACTOR, EXTRACTOR_VERSION, Step, extract_pledges
from .progress import elapsed
from .store import documents as document_store
from .store import marks as stage_marks
from .store import pledges as pledge_store
from .store import trackers as tracker_store
from .store.db import Session, Store


@dataclass
class ExtractReport:
    """What extraction did to one document."""

    document_id: int
    title: str
    inserted: int = 0
    # of those, list items split into parts that are among them too: the meter counts the
    # parts, not the item (QA, a political scientist: "234 pledges" were 194 to count)
    groups: int = 0
    removed: int = 0
    unchanged: bool = False
    error: str | None = None
    pledge_ids: list[int] = field(default_factory=list)
    duplicate_of: int | None = None  # not extracted: a copy of this earlier document
    warnings: list[str] = field(default_factory=list)  # extracted, but check it

    def as_dict(self) -> dict[str, object]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "inserted": self.inserted,
            "groups": self.groups,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "error": self.error,
            "duplicate_of": self.duplicate_of,
            "warnings": self.warnings,
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
        list_items=tuple(tuple(s) for s in structure.get("list_items", ())),
        noise=tuple(tuple(s) for s in structure.get("noise", ())),
        extra=dict(structure.get("extra", {})),
    )


def _refuse_others(
    session: Session, slug: str | None, tracker_id: int | None, documents: Sequence[Document]
) -> None:
    """`--tracker A --document N` with N in another tracker: a ValidationError naming both
    (QA: extracted into N's own tracker, silently, as if the tracker were not given)."""
    others = [d for d in documents if tracker_id is not None and d.tracker_id != tracker_id]
    if others:
        d = others[0]
        theirs = tracker_store.get_tracker_by_id(session, d.tracker_id).slug
        raise ValidationError(
            f"document {d.id} is in tracker {theirs!r}, not {slug!r}: "
            f"leave out --tracker, or give --tracker {theirs}",
            ("document",),
        )


def extract(
    store: Store,
    tracker: str | None = None,
    document_ids: Sequence[int] | None = None,
    *,
    on_document: Callable[[ExtractReport], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_step: Step | None = None,
) -> list[ExtractReport]:
    """Extract pledges from the tracker's program documents (or the given documents).
    `on_progress(done, total)` is called before the first document and after each;
    `on_step(unit, done, total)` within the one being extracted, every few seconds at most
    (`pipeline.extract.READ` characters, then `SCORED` sentences: `extract_pledges`)."""
    with store.session() as session:
        tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
        if document_ids:
            documents = [document_store.get_document(session, i) for i in document_ids]
            _refuse_others(session, tracker, tracker_id, documents)
        else:
            documents = document_store.list_documents(session, tracker_id, kind=SourceKind.PROGRAM)
        trackers = {
            i: tracker_store.get_tracker_by_id(session, i)
            for i in sorted({d.tracker_id for d in documents})
        }
    reports = []
    settings = get_settings()
    limit, seconds = settings.max_pledges_per_document, settings.extract_time_budget
    if on_progress and documents:  # the total before the first program (seconds each)
        on_progress(0, len(documents))
    try:
        for document in documents:
            report = _extract_one(store, document, limit, seconds, on_step)
            if report.duplicate_of is None:
                report.warnings += _party_warnings(document, trackers[document.tracker_id])
            reports.append(report)
            if on_document:
                on_document(report)
            if on_progress:
                on_progress(len(reports), len(documents))
    except KeyboardInterrupt as exc:
        # the command's "interrupted" says what each document's transaction kept (QA: it
        # said nothing, where ingest and link count what they stored)
        exc.add_note(interrupted_extract(reports, len(documents)))
        raise
    return reports


def interrupted_extract(reports: Sequence[ExtractReport], planned: int) -> str:
    """What `extract` stopped by Ctrl-C kept: each document done is its own committed
    transaction; the one being extracted was rolled back whole."""
    stored = [r for r in reports if not r.error and not r.unchanged and r.duplicate_of is None]
    failed = sum(1 for r in reports if r.error)
    unchanged = len(reports) - len(stored) - failed
    pledges = sum(r.inserted for r in stored)
    done = [f"{len(stored)} extracted and stored ({pledges} pledges)"]
    done += [f"{unchanged} unchanged or copies"] if unchanged else []
    done += [f"{failed} failed"] if failed else []
    return (
        f"{len(reports)} of {planned} program documents done before the interrupt: "
        f"{', '.join(done)}; the other {planned - len(reports)} were not extracted "
        "(`lofte extract` again goes on: what is stored stays unchanged)"
    )


def _party_warnings(document: Document, tracker: Tracker) -> list[str]:
    """A program of no party in a tracker of several actors (`party_warnings`)."""
    if document.kind is not SourceKind.PROGRAM or document.party is not None:
        return []
    return no_party_warnings(tracker, [document.id], document.title)


def extractor_version() -> str:
    """The extractor's code version and the sentence classifier it uses: both shape the output."""
    from .pipeline.classify import load_classifier

    return f"{EXTRACTOR_VERSION}+{load_classifier().version}"


def _copy_of_a_program(store: Store, document: Document) -> bool:
    """Whether ingest found `document` a copy of an earlier program. A copy of a news page
    is extracted: the program would otherwise have no pledges (review)."""
    if document.duplicate_of is None:
        return False
    with store.session() as session:
        original = document_store.get_document(session, document.duplicate_of)
    return original.kind is SourceKind.PROGRAM


# Named in the error when a document runs over its time budget.
TIME_BUDGET_SETTING = "LOFTE_EXTRACT_TIME_BUDGET"


class _TimeBudget:
    """One document's time budget (0: none), checked at each step of `extract_pledges` and
    once more before its transaction commits; over it, BudgetError rolls the transaction back.

    Cooperative, where ingest's budget is an alarm (`sources.budget`): the stage's steps are a
    few seconds apart at most (`pipeline.extract.STEP_CHARS`, `SCORE_CHUNK_CHARS`), and a
    check works in any thread (an alarm only in the main one), and raises only between two
    steps, never inside the store's write or the e5 encoder's C code."""

    def __init__(self, document: Document, seconds: float, on_step: Step | None) -> None:
        self.document, self.seconds, self.on_step = document, seconds, on_step
        self.started = monotonic()

    def __call__(self, unit: str, done: int, total: int) -> None:
        self.check()
        if self.on_step is not None:
            self.on_step(unit, done, total)

    def check(self) -> None:
        spent = monotonic() - self.started
        if 0 < self.seconds < spent:
            raise BudgetError(
                self.document.title or self.document.item_key,
                f"stopped after {elapsed(spent)}: more than the time budget of one program "
                f"document ({self.seconds:g} s, {TIME_BUDGET_SETTING}): not extracted",
            )


def _extract_one(
    store: Store,
    document: Document,
    limit: int = 0,
    seconds: float = 0,
    on_step: Step | None = None,
) -> ExtractReport:
    report = ExtractReport(document.id, document.title)
    if _copy_of_a_program(store, document):
        # the same program under another name (ingest found its text already stored): its
        # pledges are the earlier document's, extracting it too counted each twice (QA)
        report.duplicate_of = document.duplicate_of
        return report
    version = extractor_version()
    budget = _TimeBudget(document, seconds, on_step)
    try:
        with store.session() as session:
            if stage_marks.marks(session, "extract", "document", [document.id]).get(
                document.id
            ) == (version, None):
                report.unchanged = True
                report.pledge_ids = sorted(
                    p.id for p in pledge_store.list_pledges(session, document_id=document.id)
                )
                return report
            found = [
                pledge_store.NewPledge(
                    start=c.start,
                    end=c.end,
                    quote=c.quote,
                    area=c.area,
                    attributes={**c.attributes, "method": c.method},
                    confidence=c.confidence,
                    parent=c.parent,
                    party=document.party,
                )
                for c in extract_pledges(
                    parsed_view(document), max_candidates=limit, on_step=budget
                )
            ]
            write = pledge_store.replace_candidates(session, document, found, EXTRACTOR, version)
            report.pledge_ids = [p.id for p in write.inserted]
            report.inserted, report.removed = len(write.inserted), len(write.removed)
            report.groups = len({p.parent_id for p in write.inserted if p.parent_id is not None})
            stage_marks.set_marks(session, "extract", "document", [(document.id, None)], version)
            budget.check()  # the write counts, the commit does not (as ingest's budget)
    except BudgetError as exc:  # rolled back: none of its candidates is stored
        report.error = f"document {document.id} ({document.title[:60]}): {exc.message}"
        report.inserted, report.pledge_ids = 0, []
    except Exception as exc:  # noqa: BLE001 - one bad document never stops the others
        report.error = f"{type(exc).__name__}: {exc}"
        report.inserted, report.pledge_ids = 0, []
    return report
