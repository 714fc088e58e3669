"""A whole store copied into another, empty one, of either kind: the move from SQLite to
PostgreSQL (or back) without losing anything.

`lofte restore` restores a backup only into its own kind of database, and an export is open
data, not a backup: it leaves out the accounts that wrote no verdict, passwords, watched
sources, archived copies, subscriptions and raw input bytes (QA, an admin moving to
PostgreSQL: the documented route dropped them without a word). A copy reads every table of the
schema and writes its rows as they are, ids, times and hashes included, so the audit log
verifies, logins go on working and the public addresses stay the same.

Derived search data is not copied: SQLite's FTS5 tables fill from their triggers as the rows
go in, and PostgreSQL's `search_vector` is a generated column. The whole copy is one
transaction on the target: an error or Ctrl-C leaves it empty.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, inspect, select, text, update

from ..errors import ConflictError
from . import audit
from .audit import HEAD_ID
from .db import Session, Store, check_revision, shown_url
from .id_floors import (
    postgres_ids_given,
    postgres_keep_ids_above,
    sqlite_ids_given,
    sqlite_keep_ids_above,
)
from .imports import lock_content
from .schema import AuditHeadRow, Base

BATCH = 500  # rows read and written at a time: raw input blobs may be large
COPY_ACTOR = "lofte"

Progress = Callable[[str, int], None]


def copy_store(source: Store, target: Store, *, progress: Progress | None = None) -> dict[str, int]:
    """Copy every row of `source` into `target` (both at the newest schema; the target empty
    but for what `lofte init` makes) and record `database.copy` as the target log's newest
    event; returns the rows copied per table. `progress(table, rows)` after each table."""
    check_revision(source.engine)
    check_revision(target.engine)
    counts: dict[str, int] = {}
    # one read transaction: every table as it was at one moment, while editors may save
    with source.snapshot() as snapshot, target.session() as session:
        reading = snapshot.connection()
        lock_content(session)
        _refuse_a_full_target(session)
        for table in Base.metadata.sorted_tables:
            counts[table.name] = _copy_table(reading, session, table)
            if progress is not None:
                progress(table.name, counts[table.name])
        _keep_ids(session, _ids_given(reading))
        audit.record_event(
            session,
            "database.copy",
            "database",
            None,
            COPY_ACTOR,
            source=shown_url(source.url),
            rows=sum(counts.values()),
        )
    return counts


def _refuse_a_full_target(session: Session) -> None:
    """ConflictError unless every table is empty but for the audit head `init` makes."""
    full = [
        table.name
        for table in Base.metadata.sorted_tables
        if table.name != AuditHeadRow.__tablename__
        and session.execute(select(func.count()).select_from(table)).scalar_one()
    ]
    head = session.get(AuditHeadRow, HEAD_ID)
    if head is not None and head.seq:
        full.append(AuditHeadRow.__tablename__)
    if full:
        raise ConflictError(
            "lofte copy needs an empty database (new, or just `lofte init`), but this one "
            f"holds rows in: {', '.join(sorted(set(full)))}"
        )


def _self_references(table: Table) -> tuple[str, ...]:
    """Columns that name a row of their own table (a duplicate's original, a part's group):
    written after every row is in, so the order of ids never matters."""
    return tuple(fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name)


def _copy_table(reading: Connection, session: Session, table: Table) -> int:
    later = _self_references(table)
    key = [c for c in table.primary_key.columns]
    query = select(table).order_by(*key)
    result = reading.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    copied = 0
    # (id, the references and modified_at) of the rows that name another: not their bodies
    pending: list[tuple[Any, dict[str, Any]]] = []
    for batch in result.mappings().partitions(BATCH):
        rows = [dict(row) for row in batch]
        if table.name == AuditHeadRow.__tablename__:
            for row in rows:  # `init` made the head row: it is moved, not added
                session.execute(update(table).where(table.c.id == row["id"]).values(**row))
        else:
            session.execute(insert(table), [{**r, **dict.fromkeys(later)} for r in rows])
        for row in rows:
            refs = {c: row[c] for c in later if row[c] is not None}
            if refs:  # modified_at given again: the column's onupdate must not move it
                kept = {"modified_at": row["modified_at"]} if "modified_at" in row else {}
                pending.append((row["id"], refs | kept))
        copied += len(rows)
    for key, values in pending:
        session.execute(update(table).where(table.c.id == key).values(**values))
    return copied


def _ids_given(reading: Connection) -> dict[str, int]:
    """The highest id each table has given out in the source, deleted rows' included."""
    present = set(inspect(reading).get_table_names())
    if reading.dialect.name == "postgresql":
        return postgres_ids_given(reading, present)
    raw = reading.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return sqlite_ids_given(raw)


def _keep_ids(session: Session, given: dict[str, int]) -> None:
    """The target's counters past every copied id and every id the source gave out: no id
    comes back (id_floors)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for name in _serial_tables():
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
            )
        postgres_keep_ids_above(connection, given)
    else:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        sqlite_keep_ids_above(raw, given)


def _serial_tables() -> Sequence[str]:
    """Tables whose integer `id` PostgreSQL hands out from a sequence."""
    return [
        table.name
        for table in Base.metadata.sorted_tables
        if "id" in table.c
        and table.c.id.primary_key
        and table.c.id.autoincrement in (True, "auto")
        and table.name != AuditHeadRow.__tablename__
    ]
