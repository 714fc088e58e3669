"""Writing a whole imported data set (see publish/importer.py) into an empty store.

The rows arrive as plain column dicts with their ids and times, and go in as they are: an import
restores a published state, so nothing is recomputed and no `onupdate` time may fire. Core
INSERTs (not the ORM) keep the pledges' version counter and the timestamps exactly as given.
The caller's session is the one transaction: an error anywhere leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from ..errors import ConflictError
from .audit import HEAD_ID
from .db import hold_write_lock
from .id_floors import postgres_keep_ids_above, sqlite_keep_ids_above
from .schema import (
    AuditEventRow,
    AuditHeadRow,
    Base,
    DocumentRow,
    EvidenceRow,
    LoginFailureRow,
    PledgeRow,
    RawBlobRow,
    SourceRow,
    StageMarkRow,
    TrackerRow,
    UserRow,
    VerdictRow,
)

Row = dict[str, Any]

# the media type of an imported document's raw input: an export carries no raw bytes, so an
# import stores an empty blob under the document's raw hash (a backup does not call it damaged)
PLACEHOLDER_MEDIA_TYPE = "application/x-lofte-not-imported"

# every table that holds content: an import goes only where all of them are empty
_CONTENT = (
    TrackerRow,
    SourceRow,
    RawBlobRow,
    DocumentRow,
    PledgeRow,
    EvidenceRow,
    UserRow,
    VerdictRow,
    AuditEventRow,
    StageMarkRow,
    LoginFailureRow,
)
# tables with a generated integer id, whose PostgreSQL sequence must move past the imported ids
_SERIAL = (
    TrackerRow,
    SourceRow,
    DocumentRow,
    PledgeRow,
    EvidenceRow,
    UserRow,
    VerdictRow,
    AuditEventRow,
)


@dataclass
class ImportRows:
    """The rows of each table, in an order their foreign keys accept."""

    trackers: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)
    raw_blobs: list[Row] = field(default_factory=list)
    documents: list[Row] = field(default_factory=list)
    pledges: list[Row] = field(default_factory=list)
    evidence: list[Row] = field(default_factory=list)
    users: list[Row] = field(default_factory=list)
    verdicts: list[Row] = field(default_factory=list)
    audit_events: list[Row] = field(default_factory=list)
    audit_head: tuple[int, str] | None = None  # (seq, hash) of the last event


def nonempty_tables(session: Session, init_tracker: str | None = None) -> list[str]:
    """The content tables that hold any row (an empty store has none). The bare tracker
    `lofte init` makes (slug `init_tracker`, default name, nothing else set) does not count."""
    full = [
        model.__tablename__
        for model in _CONTENT
        if session.scalar(select(func.count()).select_from(model)) != 0
    ]
    if full == ["trackers"] and _only_init_tracker(session, init_tracker):
        return []
    return full


def _only_init_tracker(session: Session, slug: str | None) -> bool:
    rows = list(session.scalars(select(TrackerRow)))
    return (
        slug is not None
        and len(rows) == 1
        and rows[0].slug == slug
        and rows[0].name == slug.replace("-", " ").capitalize()
        and not rows[0].actors
        and rows[0].jurisdiction is None
        and rows[0].description is None
        and rows[0].term_start is None
        and rows[0].term_end is None
    )


def write_import(
    session: Session, rows: ImportRows, init_tracker: str | None = None
) -> dict[str, int]:
    """Insert every row into an empty store; returns the row count per table.

    The emptiness check and the writes are one transaction that holds the write lock from
    before the check: another writer (a second import, an ingest) either committed before it,
    and the check sees its rows, or waits until the import has committed."""
    lock_content(session)
    full = nonempty_tables(session, init_tracker)
    if full:
        raise ConflictError(
            "lofte import needs an empty store (new, or just `lofte init`), but "
            f"this one holds rows in: {', '.join(full)}"
        )
    session.execute(delete(TrackerRow))  # at most the bare one of `lofte init`, unused
    _insert(session, TrackerRow, rows.trackers)
    _insert(session, SourceRow, rows.sources)
    _insert(session, RawBlobRow, rows.raw_blobs)
    # self-references (a duplicate's original, a split pledge's parent) are set after all rows
    # exist, so the order of ids never matters
    _insert(session, DocumentRow, rows.documents, later=("duplicate_of",))
    _insert(session, PledgeRow, rows.pledges, later=("parent_id",))
    _insert(session, EvidenceRow, rows.evidence)
    _insert(session, UserRow, rows.users)
    _insert(session, VerdictRow, rows.verdicts)
    _insert(session, AuditEventRow, rows.audit_events)
    if rows.audit_head is not None:
        seq, digest = rows.audit_head
        session.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(seq=seq, hash=digest)
        )
    sequences_past_rows(session, [model.__tablename__ for model in _SERIAL])
    keep_ids_above(session, named_ids(rows.audit_events))
    return {
        "trackers": len(rows.trackers),
        "sources": len(rows.sources),
        "documents": len(rows.documents),
        "pledges": len(rows.pledges),
        "evidence": len(rows.evidence),
        "users": len(rows.users),
        "verdicts": len(rows.verdicts),
        "audit_events": len(rows.audit_events),
    }


def lock_content(session: Session) -> None:
    """SQLite: the database's write lock (BEGIN IMMEDIATE). PostgreSQL: every content table
    locked against writes (EXCLUSIVE lets plain reads through), taken in one statement, so
    the counts that follow see what was committed before and nothing is added after."""
    if session.get_bind().dialect.name != "postgresql":
        hold_write_lock(session)
        return
    names = ", ".join(model.__tablename__ for model in _CONTENT)
    session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _insert(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    later: tuple[str, ...] = (),
) -> None:
    if not rows:
        return
    table = cast(Table, model.__table__)
    first = [{k: (None if k in later else v) for k, v in row.items()} for row in rows]
    session.execute(insert(table), first)
    for row in rows:
        refs = {k: row[k] for k in later if row.get(k) is not None}
        if refs:  # modified_at given again: the column's onupdate must not move it
            session.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(**refs, modified_at=row["modified_at"])
            )


# the tables whose ids the log names as its events' entities
_ENTITY_TABLES = {
    "document": "documents",
    "pledge": "pledges",
    "evidence": "evidence",
    "user": "users",
    "tracker": "trackers",
    "source": "sources",
}
_REMOVED = {
    "removed_pledges": "pledges",
    "removed_evidence": "evidence",
    "removed_verdicts": "verdicts",
}


def named_ids(events: Sequence[Row]) -> dict[str, int]:
    """The highest id of each table the events name: their entities, a verdict's id, and the
    rows a delete took along. An export holds only some accounts (verdict authors) and none
    of the deleted rows, but its log names them: the next account or document made after an
    import must not take their ids and history (review: `user add` after an import took a
    removed account's id, as migration 0020 stops on SQLite)."""
    highest: dict[str, int] = {}

    def seen(table: str, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            highest[table] = max(highest.get(table, 0), value)

    for event in events:
        table = _ENTITY_TABLES.get(str(event.get("entity_type")))
        if table is not None:
            seen(table, event.get("entity_id"))
        details = event.get("details")
        if not isinstance(details, Mapping):
            continue
        seen("verdicts", details.get("verdict_id"))
        for key, table in _REMOVED.items():
            for value in details.get(key) or ():
                seen(table, value)
    return highest


def keep_ids_above(session: Session, highest: dict[str, int]) -> None:
    """Each table's next id above `highest`'s (id_floors): the ids an imported log names, or
    those a copied store gave out."""
    if session.get_bind().dialect.name == "postgresql":
        postgres_keep_ids_above(session.connection(), highest)
    else:  # the session's own connection: the same transaction
        raw = session.connection().connection.driver_connection
        assert raw is not None
        sqlite_keep_ids_above(raw, highest)


def sequences_past_rows(session: Session, tables: Sequence[str]) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move: set each of
    `tables`' past its largest id, so the next `lofte ingest` does not collide. SQLite needs
    nothing."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )
