"""Stage marks: which document or pledge a stage has processed, at which versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..model import SourceKind
from .db import among, id_chunks
from .schema import DocumentRow, PledgeRow, StageMarkRow, utcnow

Mark = tuple[str, int | None]  # (stage version, entity version)


def marks(
    session: Session, stage: str, entity_type: str, entity_ids: Iterable[int] | None = None
) -> dict[int, Mark]:
    query = select(StageMarkRow.entity_id, StageMarkRow.stage_version, StageMarkRow.entity_version)
    query = query.where(StageMarkRow.stage == stage, StageMarkRow.entity_type == entity_type)
    queries = (
        [query]
        if entity_ids is None
        else [query.where(among(StageMarkRow.entity_id, chunk)) for chunk in id_chunks(entity_ids)]
    )
    return {
        entity_id: (version, entity_version)
        for q in queries
        for entity_id, version, entity_version in session.execute(q)
    }


def pledge_marks(session: Session, stage: str, tracker_id: int) -> dict[int, Mark]:
    """The marks of `stage` on the tracker's pledges, read by a join: a list of a big
    tracker's every pledge is over the databases' parameter limits, and each chunk of it was a
    scan of the marks on PostgreSQL (a generic plan does not hash its IN list)."""
    query = (
        select(StageMarkRow.entity_id, StageMarkRow.stage_version, StageMarkRow.entity_version)
        .join(PledgeRow, PledgeRow.id == StageMarkRow.entity_id)
        .where(
            StageMarkRow.stage == stage,
            StageMarkRow.entity_type == "pledge",
            PledgeRow.tracker_id == tracker_id,
        )
    )
    return {i: (version, entity_version) for i, version, entity_version in session.execute(query)}


def set_marks(
    session: Session,
    stage: str,
    entity_type: str,
    items: Iterable[tuple[int, int | None]],
    stage_version: str,
) -> None:
    """Mark entities (id, entity version) as processed by `stage` at `stage_version`."""
    set_marks_each(session, stage, entity_type, ((i, v, stage_version) for i, v in items))


def set_marks_each(
    session: Session,
    stage: str,
    entity_type: str,
    items: Iterable[tuple[int, int | None, str]],
) -> None:
    """Mark entities (id, entity version, stage version) as processed by `stage`, each at its
    own stage version, in one executemany of an upsert on the marks' unique key: not a
    statement per entity (an UPDATE per row took 50 s for 70,000 marks on PostgreSQL), and
    not a delete and an insert, which a drop of a mark waiting meanwhile (a changed document's
    ingest) would miss on PostgreSQL, leaving the mark (review)."""
    wanted = {entity_id: (entity_version, version) for entity_id, entity_version, version in items}
    if not wanted:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(StageMarkRow)
    upsert = upsert.on_conflict_do_update(
        index_elements=["stage", "entity_type", "entity_id"],
        set_={
            "stage_version": upsert.excluded.stage_version,
            "entity_version": upsert.excluded.entity_version,
            "modified_at": upsert.excluded.modified_at,
        },
    )
    now = utcnow()
    rows = [
        {
            "stage": stage,
            "entity_type": entity_type,
            "entity_id": i,
            "stage_version": version,
            "entity_version": entity_version,
            "created_at": now,
            "modified_at": now,
        }
        for i, (entity_version, version) in wanted.items()
    ]
    session.execute(upsert, rows)


def drop_document_links(session: Session, tracker_id: int) -> None:
    """Forget that the linker scored any of the tracker's documents: what decides which of
    them may be evidence changed (its term, a program's date), and the next `lofte link`
    scores them all again (QA: only `link --full` did; suggestions outside a new term stayed)."""
    tracker_documents = select(DocumentRow.id).where(DocumentRow.tracker_id == tracker_id)
    session.execute(
        delete(StageMarkRow)
        .where(
            StageMarkRow.stage == "link",
            StageMarkRow.entity_type == "document",
            StageMarkRow.entity_id.in_(tracker_documents),
        )
        .execution_options(synchronize_session=False)
    )


def drop_stage_mark(session: Session, stage: str, entity_type: str, entity_id: int) -> None:
    """Forget that `stage` processed this entity (what it read of it changed)."""
    session.execute(
        delete(StageMarkRow).where(
            StageMarkRow.stage == stage,
            StageMarkRow.entity_type == entity_type,
            StageMarkRow.entity_id == entity_id,
        )
    )


def drop_marks(session: Session, entity_type: str, entity_id: int) -> None:
    """Forget that any stage processed this entity (its text changed)."""
    session.execute(
        delete(StageMarkRow).where(
            StageMarkRow.entity_type == entity_type, StageMarkRow.entity_id == entity_id
        )
    )


def _documents_by_mark(
    stage: str,
    stage_version: str,
    tracker_id: int,
    kinds: Sequence[SourceKind],
    originals: bool,
    marked: bool,
    since: dt.datetime | None = None,
) -> Select[int]:
    marks = (
        select(StageMarkRow.id)
        .where(StageMarkRow.stage == stage, StageMarkRow.entity_type == "document")
        .where(StageMarkRow.entity_id == DocumentRow.id)
        .where(StageMarkRow.stage_version == stage_version)
        .where(StageMarkRow.entity_version.is_(None))
    )
    if since is not None:  # marked (or marked again) at or after it
        marks = marks.where(StageMarkRow.modified_at >= since)
    at_version = marks.exists()
    query = (
        select(DocumentRow.id)
        .where(DocumentRow.tracker_id == tracker_id)
        .where(DocumentRow.kind.in_([k.value for k in kinds]))
        .where(at_version if marked else ~at_version)
    )
    if originals:
        query = query.where(DocumentRow.duplicate_of.is_(None))
    return query


def unmarked_documents(
    session: Session,
    stage: str,
    stage_version: str,
    tracker_id: int,
    kinds: Sequence[SourceKind],
    originals: bool = False,
    marked: bool = False,
    *,
    after: int = 0,
    limit: int | None = None,
) -> list[int]:
    """Ids of a tracker's documents of `kinds` (in id order, above `after`, at most `limit`)
    that `stage` has not marked at `stage_version` (with no entity version), or with `marked`
    those it has: the new work and the old, found in the database a page at a time so that a
    run never holds the marks, or the ids, of a whole store."""
    query = _documents_by_mark(stage, stage_version, tracker_id, kinds, originals, marked)
    query = query.where(DocumentRow.id > after).order_by(DocumentRow.id).limit(limit)
    return list(session.scalars(query))


def count_unmarked_documents(
    session: Session,
    stage: str,
    stage_version: str,
    tracker_id: int,
    kinds: Sequence[SourceKind],
    originals: bool = False,
    marked: bool = False,
    since: dt.datetime | None = None,
) -> int:
    """How many ids `unmarked_documents` gives with the same arguments and no page. With
    `marked` and `since`: the documents whose mark was written at or after `since`, what a
    run that started then stored (whatever was ingested meanwhile)."""
    query = _documents_by_mark(stage, stage_version, tracker_id, kinds, originals, marked, since)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
