"""Typed, frozen records passed between pipeline stages and returned by the library.

Stage functions take and return these records; they never touch the database. The store maps
them to rows (see `lofte.store.schema`) and back.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any


class SourceKind(str, enum.Enum):
    PROGRAM = "program"
    NEWS = "news"
    DECISION = "decision"
    BUDGET = "budget"
    OTHER = "other"


class DatePrecision(str, enum.Enum):
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"


class DateProvenance(str, enum.Enum):
    EXPLICIT = "explicit"  # a feed's or a page's publication date, or given by the user (--date)
    # the day a file's own metadata says it was made (a PDF's CreationDate): a file is sometimes
    # made again long after it was published, so it is not a stated publication date
    METADATA = "metadata"
    INFERRED = "inferred"  # read from the text
    PATH = "path"  # the folders the file is filed under (…/2024/03/…)
    DATELINE = "dateline"  # the day that opens the text ("Stockholm 2 november 2026 – …")


class PledgeState(str, enum.Enum):
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Stance(str, enum.Enum):
    SUPPORTS = "supports"
    PARTIAL = "partial"
    AGAINST = "against"
    MENTIONS = "mentions"


class ReviewState(str, enum.Enum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class VerdictStatus(str, enum.Enum):
    NOT_RATED = "not_rated"
    IN_THE_WORKS = "in_the_works"
    STALLED = "stalled"
    PARTIALLY_KEPT = "partially_kept"
    KEPT = "kept"
    BROKEN = "broken"
    NOT_CHECKABLE = "not_checkable"


class Role(str, enum.Enum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


@dataclass(frozen=True)
class DateValue:
    """A publication date with how exact it is and where it came from.

    `value` is the first day of the period the date names (a month, a season, a year).
    """

    value: dt.date
    precision: DatePrecision
    provenance: DateProvenance
    confidence: float = 1.0

    def latest(self) -> dt.date:
        """The last day the period could mean: what 'after the program' must respect."""
        return period_end(self.value, self.precision)


def period_end(first: dt.date, precision: DatePrecision) -> dt.date:
    """The last day of the period that starts on `first` (a date's `latest`)."""
    if precision is DatePrecision.DAY:
        return first
    if precision is DatePrecision.MONTH:
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=1)
    if precision is DatePrecision.SEASON:  # three months from its first day
        months = first.year * 12 + first.month - 1 + 3
        return dt.date(months // 12, months % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(first.year, 12, 31)


@dataclass(frozen=True)
class RawInput:
    """Bytes as read from a file or URL, before any parsing (stage `read`)."""

    data: bytes
    origin: str  # path or URL, as given
    media_type: str | None = None  # as declared by the transport or guessed from the name
    fetched_at: dt.datetime | None = None
    http_headers: dict[str, str] = field(default_factory=dict)
    http_status: int | None = None  # the final response's status, when fetched over HTTP


@dataclass(frozen=True)
class ParsedDocument:
    """One document produced by a reader (stage `parse`).

    `item_key` tells the items of one input apart (a listing page yields many); together with the
    origin it is the document's identity across re-ingests.
    """

    title: str
    body: str
    item_key: str = "0"
    url: str | None = None
    date: DateValue | None = None
    category: str | None = None
    language: str | None = None
    truncated: bool = False  # the text is cut off in the source (an excerpt ending in "…")
    list_items: tuple[tuple[int, int], ...] = ()  # spans of list items in `body`
    noise: tuple[tuple[int, int], ...] = ()  # spans that are not body text ("Källa: …")
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Segment:
    """A heading, paragraph, list item or sentence: offsets into its document's text."""

    kind: str
    start: int
    end: int
    section_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tracker:
    id: int
    slug: str
    name: str
    jurisdiction: str | None
    actors: tuple[str, ...]
    term_start: dt.date | None
    term_end: dt.date | None
    description: str | None
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    published_at: dt.datetime | None = None  # None: a draft, not on the public site
    show_candidates: bool = False  # the public pages also show unreviewed candidates, marked
    archived_at: dt.datetime | None = None
    methodology: str | None = None  # the method page's text; None: the default text


@dataclass(frozen=True)
class Source:
    id: int
    tracker_id: int
    name: str
    kind: SourceKind
    publisher: str | None
    origin: str | None
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class Document:
    id: int
    tracker_id: int
    source_id: int | None
    kind: SourceKind
    title: str
    body: str
    origin: str
    item_key: str
    url: str | None
    date: DateValue | None
    language: str | None
    content_hash: str
    raw_sha256: str
    parser: str
    parser_version: str
    duplicate_of: int | None
    truncated: bool
    created_at: dt.datetime
    modified_at: dt.datetime
    category: str | None = None
    # The reader's layout: list_items and noise spans into body, headings, extra metadata.
    structure: dict[str, Any] = field(default_factory=dict)
    party: str | None = None  # a program's party (one of the tracker's actors)


@dataclass(frozen=True)
class Pledge:
    id: int
    tracker_id: int
    document_id: int
    parent_id: int | None
    start: int
    end: int
    quote: str
    area: str | None
    topic: str | None
    attributes: dict[str, Any]
    extractor: str
    extractor_version: str
    confidence: float
    state: PledgeState
    version: int = 1  # bumped by every edit; a stale version is a conflict
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    party: str | None = None  # whose program it comes from
    deadline: dt.date | None = None  # set by an editor (review.deadlines has the full rule)


@dataclass(frozen=True)
class Evidence:
    id: int
    pledge_id: int
    document_id: int
    start: int
    end: int
    score: float
    features: dict[str, Any]
    linker: str
    linker_version: str
    stance: Stance
    review_state: ReviewState
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class Verdict:
    id: int
    pledge_id: int
    status: VerdictStatus
    rationale: str
    evidence_ids: tuple[int, ...]
    author: str | None
    created_at: dt.datetime
    published: bool = True
    modified_at: dt.datetime | None = None
    as_of: dt.date | None = None  # when the rated thing happened (created_at: when recorded)
    as_of_precision: DatePrecision | None = None


@dataclass(frozen=True)
class VerdictChange:
    """A published verdict with the pledge it rates (the feed of changes)."""

    verdict: Verdict
    quote: str
    area: str | None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    disabled: bool = False
    session_generation: int = 0  # sessions issued under another number are no longer valid


@dataclass(frozen=True)
class AuditEvent:
    id: int
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    details: dict[str, Any]
    created_at: dt.datetime
    seq: int = 0  # place in the hash chain (store/audit.py)
    hash: str = ""
    prev_hash: str = ""


@dataclass(frozen=True)
class ChainEvent:
    """One event of the audit chain as `lofte audit verify` checks it (store/audit.py)."""

    seq: int
    action: str
    entity_type: str
    entity_id: int | None
    details: dict[str, Any]
    prev_hash: str
    hash: str  # as stored
    content_hash: str  # what the event's content hashes to now: differs when it was edited
    # what of the stored row cannot be read at all (edited by hand: details that are not JSON,
    # a time that is no date); None for a readable event
    unreadable: str | None = None
