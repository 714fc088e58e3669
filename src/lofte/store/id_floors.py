"""Ids given out before a restore are not given again after it.

A restore brings back the backup's rows and, with them, its id counters (SQLite's
sqlite_sequence, PostgreSQL's sequences): the documents, pledges and evidence made after the
backup had ids that the next new rows would take again, though their public addresses were
cited and their audit events name them (QA: "ids reused after `lofte restore`"). The highest
id each table had given out in the store being replaced is read first (`ids_given`) and the
restored counters are raised to it (`keep_ids_above`), in the restore's own transaction.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

# rows named by id on public pages, in the API and in audit events; AUTOINCREMENT on SQLite
# (migration 0019), so their counter is sqlite_sequence's
ID_TABLES = ("documents", "pledges", "evidence")


def ids_given(engine: Engine) -> dict[str, int]:
    """The highest id each of ID_TABLES has given out in the database (its counter, or its
    highest row); none for a database without them (a new one) or that cannot be read."""
    given: dict[str, int] = {}
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            for table in ID_TABLES:
                if table in names:
                    highest = connection.execute(text(f"SELECT max(id) FROM {table}")).scalar()
                    given[table] = int(highest or 0)
            if connection.dialect.name == "sqlite" and "sqlite_sequence" in names:
                for name, seq in connection.execute(text("SELECT name, seq FROM sqlite_sequence")):
                    if name in given:
                        given[name] = max(given[name], int(seq or 0))
            elif connection.dialect.name == "postgresql":
                for table in given:
                    last = connection.execute(
                        text(
                            "SELECT pg_sequence_last_value("
                            "pg_get_serial_sequence(:table, 'id')::regclass)"
                        ),
                        {"table": table},
                    ).scalar()
                    given[table] = max(given[table], int(last or 0))
    except SQLAlchemyError:
        return {}
    return given


def keep_ids_above(session: Session, given: dict[str, int]) -> None:
    """Raise the restored counters so that the next id of each table is above `given`'s."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table, highest in given.items():
        if table not in ID_TABLES or highest <= 0:
            continue
        if sqlite:
            session.execute(
                text(
                    "UPDATE sqlite_sequence SET seq = :highest "
                    "WHERE name = :table AND seq < :highest"
                ),
                {"table": table, "highest": highest},
            )
            session.execute(
                text(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT :table, :highest "
                    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :table)"
                ),
                {"table": table, "highest": highest},
            )
        else:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:table, 'id'), GREATEST(:highest, "
                    f"(SELECT coalesce(max(id), 0) FROM {table}), coalesce(pg_sequence_last_value("
                    "pg_get_serial_sequence(:table, 'id')::regclass), 0)))"
                ),
                {"table": table, "highest": highest},
            )
