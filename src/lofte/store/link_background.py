"""The linker's background statistics per tracker (table link_backgrounds).

Written with a compare-and-set on `revision`: two `lofte link` runs that both extend the same
statistics cannot overwrite each other's newer row with an older one; the loser's counts are
simply not kept (the next run adds its documents again).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .schema import LinkBackgroundRow, utcnow


@dataclass(frozen=True)
class StoredBackground:
    version: str
    max_document_id: int
    revision: int
    data: bytes


def get(session: Session, tracker_id: int) -> StoredBackground | None:
    row = session.get(LinkBackgroundRow, tracker_id)
    if row is None:
        return None
    return StoredBackground(row.version, row.max_document_id, row.revision, row.data)


def put(
    session: Session,
    tracker_id: int,
    seen: StoredBackground | None,
    *,
    version: str,
    max_document_id: int,
    data: bytes,
) -> bool:
    """Replace the row read as `seen` (None: there was none). False when another writer got
    there first; the caller's statistics are then simply not kept."""
    now = utcnow()
    if seen is None:
        try:
            with session.begin_nested():
                session.execute(
                    insert(LinkBackgroundRow).values(
                        tracker_id=tracker_id,
                        version=version,
                        max_document_id=max_document_id,
                        revision=1,
                        data=data,
                        created_at=now,
                        modified_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True
    result = session.execute(
        update(LinkBackgroundRow)
        .where(
            LinkBackgroundRow.tracker_id == tracker_id,
            LinkBackgroundRow.revision == seen.revision,
        )
        .values(
            version=version,
            max_document_id=max_document_id,
            revision=seen.revision + 1,
            data=data,
            modified_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def forget(session: Session, tracker_id: int) -> None:
    row = session.get(LinkBackgroundRow, tracker_id)
    if row is not None:
        session.delete(row)
