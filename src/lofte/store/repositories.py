"""Repository functions: the only code that builds queries. Each takes an open session."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import (
    DatePrecision,
    DateProvenance,
    DateValue,
    Document,
    Source,
    SourceKind,
    Tracker,
)
from .schema import DocumentRow, RawBlobRow, SourceRow, TrackerRow

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


# --- trackers ---------------------------------------------------------------------------------


def tracker_record(row: TrackerRow) -> Tracker:
    return Tracker(
        id=row.id,
        slug=row.slug,
        name=row.name,
        jurisdiction=row.jurisdiction,
        actors=tuple(row.actors or ()),
        term_start=row.term_start,
        term_end=row.term_end,
        description=row.description,
    )


def add_tracker(
    session: Session,
    slug: str,
    name: str,
    *,
    jurisdiction: str | None = None,
    actors: Sequence[str] = (),
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    description: str | None = None,
) -> Tracker:
    if not _SLUG.match(slug):
        raise ValidationError(
            f"tracker slug {slug!r}: use lowercase letters, digits and dashes (max 100)"
        )
    if term_start and term_end and term_end < term_start:
        raise ValidationError("the term ends before it starts")
    if session.scalar(select(TrackerRow.id).where(TrackerRow.slug == slug)) is not None:
        raise ConflictError(f"a tracker named {slug!r} exists already")
    row = TrackerRow(
        slug=slug,
        name=name,
        jurisdiction=jurisdiction,
        actors=list(actors),
        term_start=term_start,
        term_end=term_end,
        description=description,
    )
    session.add(row)
    session.flush()
    return tracker_record(row)


def get_tracker_row(session: Session, slug: str) -> TrackerRow:
    row = session.scalar(select(TrackerRow).where(TrackerRow.slug == slug))
    if row is None:
        raise NotFoundError(f"no tracker named {slug!r}")
    return row


def get_tracker(session: Session, slug: str) -> Tracker:
    return tracker_record(get_tracker_row(session, slug))


def list_trackers(session: Session) -> list[Tracker]:
    rows = session.scalars(select(TrackerRow).order_by(TrackerRow.slug))
    return [tracker_record(r) for r in rows]


def ensure_tracker(session: Session, slug: str) -> TrackerRow:
    """The tracker `slug`, created with default values when missing (the quick path)."""
    row = session.scalar(select(TrackerRow).where(TrackerRow.slug == slug))
    if row is None:
        add_tracker(session, slug, name=slug.replace("-", " ").capitalize())
        row = get_tracker_row(session, slug)
    return row


# --- sources ----------------------------------------------------------------------------------


def source_record(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        tracker_id=row.tracker_id,
        name=row.name,
        kind=SourceKind(row.kind),
        publisher=row.publisher,
        origin=row.origin,
    )


def ensure_source(
    session: Session, tracker_id: int, name: str, kind: SourceKind, origin: str | None = None
) -> SourceRow:
    row = session.scalar(
        select(SourceRow).where(SourceRow.tracker_id == tracker_id, SourceRow.name == name)
    )
    if row is None:
        row = SourceRow(tracker_id=tracker_id, name=name, kind=kind.value, origin=origin)
        session.add(row)
        session.flush()
    return row


def list_sources(session: Session, tracker_id: int | None = None) -> list[Source]:
    query = select(SourceRow).order_by(SourceRow.id)
    if tracker_id is not None:
        query = query.where(SourceRow.tracker_id == tracker_id)
    return [source_record(r) for r in session.scalars(query)]


# --- raw blobs --------------------------------------------------------------------------------


def put_raw(session: Session, data: bytes, media_type: str | None) -> str:
    """Store bytes once under their SHA-256 and return it.

    Insert-or-ignore (`ON CONFLICT DO NOTHING`): two processes storing the same bytes at once
    both succeed, where a look-then-insert let the slower one fail on the primary key.
    """
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(RawBlobRow.sha256).where(RawBlobRow.sha256 == digest)) is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(RawBlobRow)
            .values(sha256=digest, size=len(data), media_type=media_type, data=data)
            .on_conflict_do_nothing(index_elements=[RawBlobRow.sha256])
        )
    return digest


def get_raw(session: Session, sha256: str) -> bytes:
    row = session.get(RawBlobRow, sha256)
    if row is None:
        raise NotFoundError(f"no raw input with hash {sha256}")
    return row.data


# --- documents --------------------------------------------------------------------------------


def document_date(row: DocumentRow) -> DateValue | None:
    if row.date_value is None or row.date_precision is None:
        return None
    return DateValue(
        value=row.date_value,
        precision=DatePrecision(row.date_precision),
        provenance=DateProvenance(row.date_provenance or "explicit"),
        confidence=row.date_confidence if row.date_confidence is not None else 1.0,
    )


def set_document_date(row: DocumentRow, date: DateValue | None) -> None:
    row.date_value = date.value if date else None
    row.date_precision = date.precision.value if date else None
    row.date_provenance = date.provenance.value if date else None
    row.date_confidence = date.confidence if date else None


def document_record(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        tracker_id=row.tracker_id,
        source_id=row.source_id,
        kind=SourceKind(row.kind),
        title=row.title,
        body=row.body,
        origin=row.origin,
        item_key=row.item_key,
        url=row.url,
        date=document_date(row),
        language=row.language,
        content_hash=row.content_hash,
        raw_sha256=row.raw_sha256,
        parser=row.stage,
        parser_version=row.stage_version,
        duplicate_of=row.duplicate_of,
        truncated=row.truncated,
        created_at=row.created_at,
        modified_at=row.modified_at,
        category=row.category,
        structure=dict(row.structure or {}),
    )


def find_document_row(
    session: Session, tracker_id: int, origin: str, item_key: str
) -> DocumentRow | None:
    return session.scalar(
        select(DocumentRow).where(
            DocumentRow.tracker_id == tracker_id,
            DocumentRow.origin == origin,
            DocumentRow.item_key == item_key,
        )
    )


def find_by_content_hash(
    session: Session, tracker_id: int, content_hash: str, exclude_id: int | None = None
) -> DocumentRow | None:
    """The oldest other document of the tracker with this normalized-content hash."""
    query = select(DocumentRow).where(
        DocumentRow.tracker_id == tracker_id, DocumentRow.content_hash == content_hash
    )
    if exclude_id is not None:
        query = query.where(DocumentRow.id != exclude_id)
    return session.scalar(query.order_by(DocumentRow.id).limit(1))


def get_document(session: Session, document_id: int) -> Document:
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    return document_record(row)


def list_documents(
    session: Session,
    tracker_id: int | None = None,
    *,
    kind: SourceKind | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Document]:
    query = select(DocumentRow).order_by(DocumentRow.id)
    if tracker_id is not None:
        query = query.where(DocumentRow.tracker_id == tracker_id)
    if kind is not None:
        query = query.where(DocumentRow.kind == kind.value)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [document_record(r) for r in session.scalars(query)]


def count_documents(session: Session, tracker_id: int) -> int:
    return session.scalar(
        select(func.count(DocumentRow.id)).where(DocumentRow.tracker_id == tracker_id)
    ) or 0


def document_texts(session: Session, tracker_id: int) -> Iterator[tuple[int, int | None, str]]:
    """(id, duplicate_of, title + body) of every document of a tracker, oldest first."""
    query = (
        select(DocumentRow.id, DocumentRow.duplicate_of, DocumentRow.title, DocumentRow.body)
        .where(DocumentRow.tracker_id == tracker_id)
        .order_by(DocumentRow.id)
    )
    for doc_id, duplicate_of, title, body in session.execute(query):
        yield doc_id, duplicate_of, f"{title}\n{body}"
