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
_FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(\)")
_CALLS = re.compile(r"EXECUTE FUNCTION (\w+)\(\)")


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


def _same(a: str | None, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join(b.split())


def _functions(dialect: str) -> dict[str, str]:
    """PostgreSQL: each guard function's name: its body (between the $$)."""
    found = {}
    for statement in _statements(dialect):
        match = _FUNCTION.match(statement)
        if match:
            found[match.group(1)] = statement.split("$$")[1]
    return found


def missing_guards(session: Session) -> list[str]:
    """The guard triggers that are not there as 0005 made them: gone, changed (SQLite: another
    statement under the same name, such as one that does nothing), or (PostgreSQL) not firing
    in an ordinary session (disabled, or enabled for replication only) or calling a function
    that is not 0005's (another one, or the same name with another body). Review: a guard
    re-made to do nothing passed under its own name."""
    dialect = session.get_bind().dialect.name
    wanted = _triggers(dialect)
    if dialect == "sqlite":
        rows = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        made: dict[str, str] = {name: sql for name, sql in rows}
        return [name for name, (_, sql) in wanted.items() if not _same(made.get(name), sql)]
    bodies = _functions(dialect)
    rows = session.execute(
        text(
            "SELECT t.tgname, c.relname, p.proname, p.prosrc FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND t.tgenabled IN ('O', 'A') "
            "AND t.tgrelid IN ('audit_events'::regclass, 'audit_head'::regclass)"
        )
    )
    firing = {name: (table, function, body) for name, table, function, body in rows}
    missing = []
    for name, (table, statement) in wanted.items():
        function = _CALLS.search(statement)
        found = firing.get(name)
        if (
            found is None
            or found[0] != table
            or function is None
            or found[1] != function.group(1)
            or not _same(found[2], bodies.get(function.group(1), ""))
        ):
            missing.append(name)
    return missing


def put_back_guards(session: Session) -> list[str]:
    """Make the missing (or changed, or disabled) guards again, in the caller's transaction,
    with their functions as 0005 wrote them; the guards' names."""
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
