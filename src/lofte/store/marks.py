"""Stage marks: which document or pledge a stage has processed, at which versions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ..model import SourceKind
from .schema import DocumentRow, StageMarkRow

Mark = tuple[str, int | None]  # (stage version, entity version)


def marks(
    session: Session, stage: str, entity_type: str, entity_ids: Iterable[int] | None = None
) -> dict[int, Mark]:
    query = select(StageMarkRow.entity_id, StageMarkRow.stage_version, StageMarkRow.entity_version)
    query = query.where(StageMarkRow.stage == stage, StageMarkRow.entity_type == entity_type)
    if entity_ids is not None:
        query = query.where(StageMarkRow.entity_id.in_(list(entity_ids)))
    return {
        entity_id: (version, entity_version)
        for entity_id, version, entity_version in session.execute(query)
    }


def set_marks(
    session: Session,
    stage: str,
    entity_type: str,
    items: Iterable[tuple[int, int | None]],
    stage_version: str,
) -> None:
    """Mark entities (id, entity version) as processed by `stage` at `stage_version`."""
    wanted = dict(items)
    if not wanted:
        return
    existing = {
        row.entity_id: row
        for row in session.scalars(
            select(StageMarkRow).where(
                StageMarkRow.stage == stage,
                StageMarkRow.entity_type == entity_type,
                StageMarkRow.entity_id.in_(list(wanted)),
            )
        )
    }
    for entity_id, entity_version in wanted.items():
        row = existing.get(entity_id)
        if row is None:
            session.add(
                StageMarkRow(
                    stage=stage,
                    entity_type=entity_type,
                    entity_id=entity_id,
                    stage_version=stage_version,
                    entity_version=entity_version,
                )
            )
        else:
            row.stage_version, row.entity_version = stage_version, entity_version


def set_marks_each(
    session: Session,
    stage: str,
    entity_type: str,
    items: Iterable[tuple[int, int | None, str]],
) -> None:
    """Mark entities (id, entity version, stage version) as processed by `stage`, each at its
    own stage version: one query for the marks there are, then one executemany to update them
    and one to add the rest (not a statement per entity)."""
    wanted = {entity_id: (entity_version, version) for entity_id, entity_version, version in items}
    if not wanted:
        return
    existing = {
        entity_id: row_id
        for entity_id, row_id in session.execute(
            select(StageMarkRow.entity_id, StageMarkRow.id).where(
                StageMarkRow.stage == stage,
                StageMarkRow.entity_type == entity_type,
                StageMarkRow.entity_id.in_(list(wanted)),
            )
        )
    }
    updates = [
        {"id": existing[i], "stage_version": version, "entity_version": entity_version}
        for i, (entity_version, version) in wanted.items()
        if i in existing
    ]
    inserts = [
        {
            "stage": stage,
            "entity_type": entity_type,
            "entity_id": i,
            "stage_version": version,
            "entity_version": entity_version,
        }
        for i, (entity_version, version) in wanted.items()
        if i not in existing
    ]
    if updates:  # by primary key: the ORM's bulk update, an executemany
        session.execute(update(StageMarkRow), updates)
    if inserts:
        session.execute(insert(StageMarkRow), inserts)


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
) -> Select[int]:
    at_version = (
        select(StageMarkRow.id)
        .where(StageMarkRow.stage == stage, StageMarkRow.entity_type == "document")
        .where(StageMarkRow.entity_id == DocumentRow.id)
        .where(StageMarkRow.stage_version == stage_version)
        .where(StageMarkRow.entity_version.is_(None))
        .exists()
    )
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
) -> int:
    """How many ids `unmarked_documents` gives with the same arguments and no page."""
    query = _documents_by_mark(stage, stage_version, tracker_id, kinds, originals, marked)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
