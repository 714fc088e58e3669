"""`lofte init` says what it did: created the database, migrated it (from which revision), or
nothing when it was already current. Both databases."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from typer.testing import CliRunner

from lofte.cli import app
from lofte.store.db import _MIGRATION_LOCK, head_revision, shown_url, sqlite_file

runner = CliRunner()


def _init(db: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, "init"])
    return result.exit_code, result.output


def test_init_says_it_created_the_database_and_then_nothing_more(db_url: str) -> None:
    ready = f"database ready: {shown_url(db_url)}"
    code, out = _init(db_url)
    assert code == 0, out
    assert out.strip() == f"{ready} (created, schema revision {head_revision()})"
    code, out = _init(db_url)  # already current: nothing to say beyond "ready"
    assert code == 0 and out.strip() == ready, out


def test_init_says_from_which_revision_it_migrated(db_url: str) -> None:
    # QA: "database ready" alone, where `restore` names the revisions it migrated between
    from alembic import command

    from lofte.store.db import _alembic_config, make_engine

    old = make_engine(db_url)
    command.upgrade(_alembic_config(old), "0012")
    old.dispose()
    code, out = _init(db_url)
    assert code == 0, out
    assert out.strip() == (
        f"database ready: {shown_url(db_url)} "
        f"(migrated from schema revision 0012 to {head_revision()})"
    )


def test_two_inits_at_once_say_created_once(db_url: str) -> None:
    """QA leftover: both said "created", each having read the revision before the other's
    migration held the lock. The revision is now read under it. The test holds the
    migration's lock while both start, so both wait for it as in the race."""
    ready = f"database ready: {shown_url(db_url)}"
    command = [sys.executable, "-m", "lofte", "--db", db_url, "init"]
    with _migration_lock_held(db_url):
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        time.sleep(4)  # both start and read what they read before the lock
    outs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outs.append(out.strip())
    assert sorted(outs) == [ready, f"{ready} (created, schema revision {head_revision()})"]


@contextlib.contextmanager
def _migration_lock_held(url: str) -> Iterator[None]:
    """The lock `migrate` takes, held by the test: SQLite's write lock on the (new, empty)
    file, PostgreSQL's advisory lock (a session's: it ends with the connection)."""
    path = sqlite_file(url)
    if path is not None:
        Path(path).touch(mode=0o600)
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as lite:
            lite.execute("BEGIN IMMEDIATE")
            yield
            lite.rollback()
        return
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as pg:
        pg.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        yield
