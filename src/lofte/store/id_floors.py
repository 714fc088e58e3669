"""Ids given out before a restore are not given again after it.

A restore brings back the backup's rows and, with them, its id counters (SQLite's
sqlite_sequence, PostgreSQL's sequences): the documents, pledges and evidence made (or made
and deleted) after the backup had ids that the next new rows would take again, though their
public addresses were cited and their audit events name them (QA: "ids reused after `lofte
restore`"). The highest id each table had given out in the store being replaced is read as
late as the restore allows, and the restored counters are raised to it:

- SQLite: read from the live file just before the prepared copy goes into it, and written
  into that copy first (`sqlite_ids_given`, `sqlite_keep_ids_above`);
- PostgreSQL: read under the restore's own locks on the tables, and set after the archive is
  loaded, in the same transaction (`postgres_ids_given`, `postgres_keep_ids_above`).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection, text

# rows named by id on public pages, in the API and in audit events; AUTOINCREMENT on SQLite
# (migrations 0019, 0020), so their counter is sqlite_sequence's
ID_TABLES = (
    "documents",
    "pledges",
    "evidence",
    "archived_responses",
    "users",
    "trackers",
    "sources",
    "verdicts",
)


def sqlite_ids_given(conn: sqlite3.Connection) -> dict[str, int]:
    """The highest id each of ID_TABLES has given out: its sqlite_sequence counter (which
    counts deleted rows too) or its highest row; none for a file without the tables."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    given = {
        table: int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        for table in ID_TABLES
        if table in tables
    }
    if "sqlite_sequence" in tables:
        for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence"):
            if name in given:
                given[name] = max(given[name], int(seq or 0))
    return given


def sqlite_keep_ids_above(conn: sqlite3.Connection, given: dict[str, int]) -> None:
    """Raise the file's counters so that each table's next id is above `given`'s (committed
    by the caller)."""
    for table, highest in given.items():
        if table not in ID_TABLES or highest <= 0:
            continue
        params = {"table": table, "highest": highest}
        conn.execute(
            "UPDATE sqlite_sequence SET seq = :highest WHERE name = :table AND seq < :highest",
            params,
        )
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT :table, :highest "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :table)",
            params,
        )


_LAST_VALUE = "pg_sequence_last_value(pg_get_serial_sequence(:table, 'id')::regclass)"


def postgres_ids_given(connection: Connection, present: set[str]) -> dict[str, int]:
    """The highest id each of ID_TABLES among `present` has given out: its sequence's last
    value (deleted rows' ids too) or its highest row."""
    given: dict[str, int] = {}
    for table in ID_TABLES:
        if table in present:
            query = (
                f"SELECT GREATEST(coalesce(max(id), 0), coalesce({_LAST_VALUE}, 0)) FROM {table}"
            )
            given[table] = int(connection.execute(text(query), {"table": table}).scalar() or 0)
    return given


def postgres_keep_ids_above(connection: Connection, given: dict[str, int]) -> None:
    """Raise the restored sequences so that each table's next id is above `given`'s (setval
    marks the value used: the next is one more); never lowers one."""
    for table, highest in given.items():
        if table not in ID_TABLES or highest <= 0:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, 'id'), GREATEST(:highest, "
                f"(SELECT coalesce(max(id), 0) FROM {table}), coalesce({_LAST_VALUE}, 0)))"
            ),
            {"table": table, "highest": highest},
        )
