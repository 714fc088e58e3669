"""The audit log's append-only guards: the database triggers (migration 0005) that refuse an
UPDATE, DELETE or TRUNCATE of an event and a head that moves back. Someone with database access
can drop or disable them; the hash chain still catches an edit afterwards, but `audit verify`
must say that the guard is gone (QA: it said OK), and `lofte init` puts it back.

The statements are 0005's own, read from the migration, so they are written in one place."""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType

from sqlalchemy import text
from sqlalchemy.orm import Session

_TRIGGER_NAME = re.compile(r"CREATE TRIGGER (\w+) .*? ON (\w+)")


@cache
def _migration() -> ModuleType:
    return importlib.import_module("lofte.store.migrations.versions.0005_audit_chain")


def _statements(dialect: str) -> list[str]:
    module = _migration()
    return list(module.SQLITE_TRIGGERS if dialect == "sqlite" else module.POSTGRES_TRIGGERS)


def _triggers(dialect: str) -> dict[str, tuple[str, str]]:
    """Each guard trigger's name: (its table, the statement that makes it)."""
    found = {}
    for statement in _statements(dialect):
        match = _TRIGGER_NAME.match(statement)
        if match:
            found[match.group(1)] = (match.group(2), statement)
    return found


def missing_guards(session: Session) -> list[str]:
    """The guard triggers that are not there, or (PostgreSQL) are there but disabled."""
    dialect = session.get_bind().dialect.name
    wanted = _triggers(dialect)
    if dialect == "sqlite":
        rows = session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        present = {name for (name,) in rows}
    else:
        rows = session.execute(
            text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' "
                "AND tgrelid IN ('audit_events'::regclass, 'audit_head'::regclass)"
            )
        )
        present = {name for (name,) in rows}
    return [name for name in wanted if name not in present]


def put_back_guards(session: Session) -> list[str]:
    """Make the missing (or disabled) guards again, in the caller's transaction; their names."""
    missing = missing_guards(session)
    if not missing:
        return []
    dialect = session.get_bind().dialect.name
    triggers = _triggers(dialect)
    if dialect != "sqlite":  # the trigger functions, as 0005 makes them (CREATE OR REPLACE)
        for statement in _statements(dialect):
            if statement.startswith("CREATE OR REPLACE FUNCTION"):
                session.execute(text(statement))
    for name in missing:
        table, statement = triggers[name]
        # a disabled one (PostgreSQL) is still there: made anew, it is enabled
        session.execute(
            text(f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite" else f" ON {table}"))
        )
        session.execute(text(statement))
    return missing
