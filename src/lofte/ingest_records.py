"""What ingest is asked to do and what it reports: options, per-input reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .model import DateValue, SourceKind


class Outcome(str, enum.Enum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class InputReport:
    """What happened to one input: counts per outcome, or the error that stopped it."""

    origin: str
    reader: str | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # exact copies of documents already stored (counted as unchanged)
    near_duplicates: int = 0  # stored, and linked to the document they nearly repeat
    undated: int = 0  # of the documents it stored new or changed: no date found or given
    error: str | None = None
    document_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stored, but check it (mixed encodings)
    # the id of the tracker its transaction inserted (it was missing): the ingest says it made
    # the tracker only if that row is the one there after (an insert rolled back had an id
    # the committed row has not)
    made_tracker: int | None = None

    @property
    def outcome(self) -> Outcome:
        if self.error:
            return Outcome.FAILED
        if self.inserted:
            return Outcome.INSERTED
        if self.updated:
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    def as_dict(self) -> dict[str, object]:
        return {
            "input": self.origin,
            "outcome": self.outcome.value,
            "reader": self.reader,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "undated": self.undated,
            "error": self.error,
            "document_ids": self.document_ids,
            "warnings": self.warnings,
        }


@dataclass
class IngestReport:
    inputs: list[InputReport] = field(default_factory=list)
    planned: int = 0  # inputs found to read (files of the folders, URLs, refused ones)
    # The tracker this ingest made because it did not exist (a mistyped --tracker makes a new
    # one rather than failing; no --tracker makes the default one), and the trackers there
    # were before, for the warning; `by_default`: no --tracker was given.
    created_tracker: str | None = None
    other_trackers: list[str] = field(default_factory=list)
    by_default: bool = False
    archived_tracker: str | None = None  # the ingest went into an archived tracker (QA)

    @property
    def failed(self) -> list[InputReport]:
        return [r for r in self.inputs if r.error]

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.inputs)


@dataclass(frozen=True)
class IngestOptions:
    tracker: str | None = None  # slug; None: the default tracker
    kind: SourceKind | None = None  # None: the reader's default (program for PDFs), else news
    source: str | None = None
    date: DateValue | None = None  # for inputs that carry no date of their own
    reader: str | None = None  # force a reader by name
    title: str | None = None  # the title of a single-document input
    party: str | None = None  # whose program it is (one of the tracker's actors)
    # The site a folder of saved pages mirrors: a file's page is this plus its path below the
    # folder given (sources/paths.page_url); `input_root` is that folder, set per input.
    url_base: str | None = None
    input_root: str | None = None
    # patterns of the files kept when a folder is expanded: of their names ("*.md"), or with
    # a "/", of their paths below the folder ("pressmeddelanden/2023/03/*.md"; read.included)
    include: tuple[str, ...] = ()
    # who reads the inputs in, for the audit log (`lofte ingest --actor`, the editor who
    # attaches a file); None: the pipeline itself (a watched source's run, the demo)
    actor: str | None = None


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped an ingest between two inputs: `report` holds the inputs stored (each in
    its own committed transaction); none of the others was stored. Still a KeyboardInterrupt,
    so callers that do not look for it stop as before."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(f"{len(report.inputs)} of {report.planned} inputs done")
        self.report = report
