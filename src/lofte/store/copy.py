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
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    LargeBinary,
    Table,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from ..errors import ConflictError, MigrationError, StoreError, ValidationError
from . import audit
from .audit import HEAD_ID
from .db import Session, Store, check_revision, shown_url, sqlite_file, store_error
from .id_floors import postgres_ids_given, sqlite_ids_given
from .imports import keep_ids_above, lock_content, sequences_past_rows
from .schema import AuditHeadRow, Base

BATCH = 500  # rows read and written at a time
# rows of a table with raw bytes (input files, archived pages: up to LOFTE_MAX_INPUT_BYTES each)
# read at a time, and the bytes after which the rows read are written (review: 500 rows of
# 2 MB took the copy to 944 MB)
BLOB_BATCH = 4
BATCH_BYTES = 32 * 1024 * 1024
COPY_ACTOR = "lofte"

Progress = Callable[[str, int], None]


def copy_store(source: Store, target: Store, *, progress: Progress | None = None) -> dict[str, int]:
    """Copy every row of `source` into `target` (both at the newest schema; the target empty
    but for what `lofte init` makes) and record `database.copy` as the target log's newest
    event; returns the rows copied per table. `progress(table, rows)` after each table."""
    _refuse_the_same_database(source, target)
    try:
        check_revision(source.engine)
    except MigrationError as exc:  # its advice, `lofte init`, would go to the target
        raise MigrationError(
            f"{exc} (for the source: `lofte --db {shown_url(source.url)} init`)"
        ) from exc
    check_revision(target.engine)
    counts: dict[str, int] = {}
    # one read transaction: every table as it was at one moment, while editors may save
    with source.snapshot() as snapshot, target.session() as session:
        reading = snapshot.connection()
        lock_content(session)
        _refuse_a_full_target(session)
        for table in Base.metadata.sorted_tables:
            try:
                counts[table.name] = _copy_table(reading, session, table)
            except SQLAlchemyError as exc:
                # e.g. a text longer than its column, which SQLite keeps and PostgreSQL refuses
                raise StoreError(f"copying the table {table.name}: {store_error(exc)}") from exc
            if progress is not None:
                progress(table.name, counts[table.name])
        # the counters past every copied id and every id the source gave out (id_floors)
        sequences_past_rows(session, _serial_tables())
        keep_ids_above(session, _ids_given(reading))
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


def _refuse_the_same_database(source: Store, target: Store) -> None:
    """ValidationError when SOURCE is the database --db names (review: an empty store copied
    onto itself was recorded as copied)."""
    same = source.engine.url.render_as_string(
        hide_password=False
    ) == target.engine.url.render_as_string(hide_password=False)
    files = sqlite_file(source.engine.url), sqlite_file(target.engine.url)
    if files[0] is not None and files[1] is not None:
        same = files[0].resolve() == files[1].resolve()
    if same:
        raise ValidationError(f"{shown_url(source.url)} is the database to copy into: name another")


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


def _batches(reading: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The table's rows in key order, a few at a time: at most BATCH rows, and no more once
    they hold BATCH_BYTES (a table with raw bytes is read BLOB_BATCH rows at a time)."""
    blobs = any(isinstance(column.type, LargeBinary) for column in table.columns)
    query = select(table).order_by(*table.primary_key.columns)
    options = {"stream_results": True, "yield_per": BLOB_BATCH if blobs else BATCH}
    rows: list[dict[str, Any]] = []
    size = 0
    for row in reading.execution_options(**options).execute(query).mappings():
        rows.append(dict(row))
        size += sum(len(v) for v in row.values() if isinstance(v, (bytes, str)))
        if len(rows) >= BATCH or size >= BATCH_BYTES:
            yield rows
            rows, size = [], 0
    if rows:
        yield rows


def _copy_table(reading: Connection, session: Session, table: Table) -> int:
    later = _self_references(table)
    copied = 0
    # (id, the references and modified_at) of the rows that name another: not their bodies
    pending: list[tuple[Any, dict[str, Any]]] = []
    for rows in _batches(reading, table):
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
