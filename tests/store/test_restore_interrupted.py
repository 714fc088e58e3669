"""A restore killed at any moment: the old content, or the new one with every session ended and
the restore in the audit log, never the new content without them (QA: a PostgreSQL restore
killed part way brought back a login a password change had ended, with no `database.restore`
event, and `audit verify` said OK). The kill is a SIGKILL the restoring process sends itself
at a chosen step, so nothing of its own clean-up runs."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lofte.model import Role
from lofte.review import users
from lofte.review.audit import verify
from lofte.store.audit import list_events
from lofte.store.backup import backup, restore
from lofte.store.db import Store, current_revision, head_revision

# The restore in a child process; the step named by MODULE ATTRIBUTE (dotted within the
# module) is wrapped so that the process kills itself with SIGKILL before or after it runs.
CHILD = """
import importlib, os, signal, sys
from pathlib import Path

from lofte.store.backup import restore
from lofte.store.db import Store

url, backup_file, module, name, when = sys.argv[1:6]
owner = importlib.import_module(module)
*parents, attr = name.split(".")
for parent in parents:
    owner = getattr(owner, parent)
original = getattr(owner, attr)


def killed_here(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
    return result


setattr(owner, attr, killed_here)
restore(Store(url), Path(backup_file))
sys.exit(3)  # the step was never reached
"""


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _state(url: str) -> dict[str, Any]:
    """What a restore changes: the accounts with their session numbers, the audit log (and
    whether its chain is whole) and the schema revision."""
    store = Store(url)
    try:
        with store.session() as s:
            events = [(e.action, e.actor, e.details) for e in list_events(s)]
            problems = verify(s).problems
        accounts = {u.username: u.session_generation for u in users.list_users(store)}
        revision = current_revision(store.engine)
    finally:
        store.dispose()
    return {"accounts": accounts, "events": events, "problems": problems, "revision": revision}


def _kill_restore_at(url: str, backup_file: Path, step: str, when: str) -> None:
    """Run the restore in a child process that kills itself at `step` ("module attribute")."""
    module, name = step.split()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(backup_file), module, name, when],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # killed at the step, as planned (exit 3: the restore never ran it)
    assert child.returncode == -signal.SIGKILL, (child.returncode, child.stderr)


def _store_with_an_ended_login(url: str, backup_file: Path) -> tuple[dict[str, Any], int, int]:
    """A store backed up, then changed: boss's password (which ends the login boss had at the
    backup) and a new account. Its state, and boss's id and ended session number."""
    store = Store(url)
    store.migrate()
    try:
        boss = users.add_user(store, "boss", "ett långt lösenord", Role.ADMIN, actor="test")
        users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="test")
        ended = users.get_user(store, boss.id).session_generation  # a cookie of that login
        backup(store, backup_file)
        users.set_password(store, "boss", "ett annat långt lösenord", actor="test")
        assert users.session_user(store, boss.id, ended) is None  # the password change ended it
        users.add_user(store, "ny", "ett långt lösenord", Role.EDITOR, actor="test")
    finally:
        store.dispose()
    return _state(url), boss.id, ended


# Where the restore dies: (step, before or after it, what it must leave: "old" or "new").
# On PostgreSQL all of it is one transaction, so any kill before the commit leaves the old
# content; on SQLite the prepared copy holds the ended sessions and the event before it goes in.
POSTGRES_KILLS = [
    ("psycopg Copy.write", "before", "old"),  # the archive's rows half loaded
    ("lofte.store.backup end_every_session", "before", "old"),  # migrated, sessions not ended
    ("lofte.store.backup end_every_session", "after", "old"),
    ("lofte.store.audit record_event", "after", "old"),  # everything but the commit
    ("lofte.store.backup _pg_restore", "after", "new"),  # just after it all
]
SQLITE_KILLS = [
    ("lofte.store.backup end_every_session", "after", "old"),  # in the prepared copy
    ("lofte.store.audit record_event", "after", "old"),  # in the prepared copy
    ("lofte.store.backup _sqlite_restore", "after", "new"),  # just after the copy went in
]


def _check_killed_restore(url: str, tmp_path: Path, step: str, when: str, leaves: str) -> None:
    backup_file = tmp_path / "lofte.backup"
    old, boss_id, ended = _store_with_an_ended_login(url, backup_file)
    _kill_restore_at(url, backup_file, step, when)
    after = _state(url)
    assert after["problems"] == []  # the audit chain is whole either way
    store = Store(url)
    try:  # the login the password change ended stays ended, whatever the moment of the kill
        assert users.session_user(store, boss_id, ended) is None
    finally:
        store.dispose()
    if leaves == "old":
        assert after == old
        return
    # the backup's accounts (no "ny"), each with a session number no cookie carries
    assert set(after["accounts"]) == {"boss", "anna"}
    assert after["accounts"]["boss"] not in (ended, old["accounts"]["boss"])
    assert after["accounts"]["anna"] != old["accounts"]["anna"]
    assert after["revision"] == head_revision()
    action, actor, details = after["events"][-1]
    replaced = details.pop("replaced_head")  # the log it replaced: the old one's head
    assert (action, actor, details) == (
        "database.restore",
        "lofte restore",
        {"backup": "lofte.backup", "revision": head_revision()},
    )
    assert replaced["seq"] == len(old["events"])
    assert [e[0] for e in after["events"][:-1]] == ["user.add", "user.add"]  # the backup's


@pytest.mark.postgres
@pytest.mark.parametrize(("step", "when", "leaves"), POSTGRES_KILLS)
def test_a_postgresql_restore_killed_at_any_step_leaves_the_old_or_all_of_the_new(
    postgres_store: Store, tmp_path: Path, step: str, when: str, leaves: str
) -> None:
    url = postgres_store.engine.url.render_as_string(hide_password=False)
    postgres_store.dispose()
    _check_killed_restore(url, tmp_path, step, when, leaves)


@pytest.mark.parametrize(("step", "when", "leaves"), SQLITE_KILLS)
def test_a_sqlite_restore_killed_at_any_step_leaves_the_old_or_all_of_the_new(
    tmp_path: Path, step: str, when: str, leaves: str
) -> None:
    _check_killed_restore(f"sqlite:///{tmp_path / 'lofte.db'}", tmp_path, step, when, leaves)


def _prepared_copies(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".restore." in p.name)


def test_the_copy_a_killed_restore_left_is_removed_by_the_next_restore_and_backup(
    tmp_path: Path,
) -> None:
    """QA: a SQLite restore killed after the copy went in left `.kr.db.restore.PID.tmp` (the
    store's size), which later restores kept. Only such files of this database, and only
    when their process is gone, are removed."""
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    _store_with_an_ended_login(url, tmp_path / "lofte.backup")
    _kill_restore_at(url, tmp_path / "lofte.backup", "lofte.store.backup _sqlite_restore", "after")
    copy = next(n for n in _prepared_copies(tmp_path) if n.endswith(".tmp"))  # the killed one's
    assert copy.startswith(".lofte.db.restore.")
    dead = int(copy.split(".")[4])
    running = subprocess.Popen(["sleep", "120"])  # a restore still at work keeps its copy
    try:
        kept = [
            f".lofte.db.restore.{running.pid}.tmp",
            f".other.db.restore.{dead}.tmp",  # another database's
            f".lofte.db.restore.{dead}.tmp.bak",  # not a name a restore gives
            f"lofte.db.restore.{dead}.tmp",
            f".lofte.db.restore.x{dead}.tmp",
        ]
        for name in kept:
            (tmp_path / name).write_bytes(b"x")
        for side in ("-wal", "-shm", "-journal"):  # a killed copy's own files go with it
            (tmp_path / f"{copy}{side}").touch()
        store = Store(url)
        try:
            restore(store, tmp_path / "lofte.backup")
            assert _prepared_copies(tmp_path) == sorted(kept)
            # a backup of the store clears them too
            (tmp_path / copy).write_bytes(b"x")
            (tmp_path / f"{copy}-wal").write_bytes(b"x")
            backup(store, tmp_path / "again.backup")
        finally:
            store.dispose()
        assert _prepared_copies(tmp_path) == sorted(kept)
    finally:
        running.kill()
        running.wait()


def test_a_restore_stopped_by_a_file_size_limit_says_the_database_is_unchanged(
    tmp_path: Path,
) -> None:
    """QA: "cannot write the backup /tmp/x/.fsr.db.restore.24038.tmp: … nothing was written
    under that name": the temporary copy called the backup, and no word of the database."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    old, _, _ = _store_with_an_ended_login(url, tmp_path / "lofte.backup")
    with sqlite3.connect(tmp_path / "lofte.backup") as conn:  # a backup twice the store's size
        conn.execute("CREATE TABLE filler (b BLOB)")
        size = (tmp_path / "lofte.db").stat().st_size
        conn.execute("INSERT INTO filler VALUES (randomblob(?))", (2 * size,))
    conn.close()
    limit = (tmp_path / "lofte.backup").stat().st_size // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "lofte", "--db", url, "restore", str(tmp_path / "lofte.backup")]
        + ["--yes"],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    error = done.stderr.strip().splitlines()[-1]
    assert f"cannot prepare the restored copy {tmp_path}/.lofte.db.restore." in error, error
    assert error.endswith("; the database is unchanged"), error
    assert "cannot write the backup" not in done.stderr and "Traceback" not in done.stderr
    assert _state(url) == old
    assert _prepared_copies(tmp_path) == []
