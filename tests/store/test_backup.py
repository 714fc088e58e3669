"""Backup and restore: a restored store exports exactly what was backed up, on both databases."""

from __future__ import annotations

import dataclasses
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text

from lofte.errors import BackupError
from lofte.model import Role, VerdictStatus
from lofte.publish.export import export_database
from lofte.review import pledges as review
from lofte.review import users
from lofte.review.audit import verify
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import backup as backup_module
from lofte.store.audit import chain_head, list_events
from lofte.store.backup import backup, inspect_backup, restore
from lofte.store.db import Store, head_revision
from lofte.store.schema import DocumentRow
from tests.web.conftest import build_site


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _reviewed_store(store: Store) -> None:
    """The web tests' tracker, reviewed: evidence decided, verdicts set, a pledge edited and
    split, so there are pledges, evidence, verdicts and audit events of every kind."""
    site = build_site(store)
    anna = next(u for u in users.list_users(store) if u.username == "anna")
    decide_evidence(store, site.ev_pool, True, actor="anna")
    decide_evidence(store, site.ev_trees, False, actor="anna")
    set_verdict(
        store, site.pool, VerdictStatus.KEPT, "Simhallen är invigd.", [site.ev_pool], author=anna
    )
    review.confirm(store, site.trees, actor="anna")  # verdicts are for confirmed pledges
    review.edit(store, site.trees, topic="träd", actor="anna")
    with store.session() as s:
        quote_start = s.get(DocumentRow, site.program).body.index("Vi ska plantera")
    # split before it is rated (a rated pledge is not split): the verdict goes on a part
    part = review.split(store, site.trees, [quote_start + 26], actor="anna")[0]
    set_verdict(store, part.id, VerdictStatus.IN_THE_WORKS, "Planteringen pågår.", author=anna)


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a restore must bring back: the export, the audit log and the accounts."""
    with store.session() as s:
        data = export_database(s)
        data.pop("exported_at")
        data["audit"] = [dataclasses.asdict(e) for e in list_events(s)]
    data["users"] = [(u.username, u.role.value) for u in users.list_users(store)]
    return data


def assert_restored(store: Store, before: dict[str, Any]) -> None:
    """The restored store holds what was backed up, and one more event recording the restore
    (the public data's Last-Modified moves forward), and takes new changes."""
    after = snapshot(store)
    restored = after["audit"].pop()
    assert (restored["action"], restored["actor"]) == ("database.restore", "lofte restore")
    assert restored["details"]["backup"] == "lofte.backup"
    assert after == before
    with store.session() as s:  # the restored audit chain is whole and vouches for the data
        assert verify(s).problems == []
    # the id sequences came back too: the next audit event gets a fresh id
    review.edit(store, before["pledges"][0]["id"], area="Efter återställningen", actor="anna")


def test_a_restored_store_exports_what_was_backed_up(store: Store, tmp_path: Path) -> None:
    _reviewed_store(store)
    before = snapshot(store)
    assert before["verdicts"] and before["evidence"] and len(before["audit"]) >= 6
    info = backup(store, tmp_path / "lofte.backup")
    assert info.revision == head_revision() and info.current
    assert info.kind == store.engine.dialect.name and info.size > 0
    # changes after the backup: a deleted document (with only a suggestion on it), a new account
    with store.session() as s:
        s.execute(delete(DocumentRow).where(DocumentRow.origin == "preschool.txt"))
    users.add_user(store, "ny", "ett långt lösenord", Role.EDITOR, actor="test")
    assert snapshot(store) != before
    with store.session() as s:
        replaced = chain_head(s)
    assert replaced is not None and replaced.seq > len(before["audit"])
    assert restore(store, tmp_path / "lofte.backup").revision == head_revision()
    # the log it replaced, named (QA, an insider: only a head saved beforehand told that
    # events were dropped)
    with store.session() as s:
        event = list_events(s)[-1]
    assert event.details["replaced_head"] == {"seq": replaced.seq, "hash": replaced.hash}
    assert_restored(store, before)


def test_a_backup_restores_into_an_emptied_database(store: Store, tmp_path: Path) -> None:
    _reviewed_store(store)
    before = snapshot(store)
    backup(store, tmp_path / "lofte.backup")
    store.dispose()
    if store.engine.dialect.name == "sqlite":
        database = Path(str(store.engine.url.database))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    else:
        with store.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    restore(store, tmp_path / "lofte.backup")
    with store.session() as s:
        assert "replaced_head" not in list_events(s)[-1].details  # nothing was replaced
    assert_restored(store, before)


def test_a_sqlite_backup_is_one_file_and_the_store_stays_in_wal(
    sqlite_store: Store, tmp_path: Path
) -> None:
    _reviewed_store(sqlite_store)
    backup(sqlite_store, tmp_path / "b.db")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("b.db")] == ["b.db"]
    restore(sqlite_store, tmp_path / "b.db")
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    with pytest.raises(BackupError, match="must not be the database itself"):
        backup(sqlite_store, Path(str(sqlite_store.engine.url.database)))


def test_what_is_not_a_good_backup_is_refused(sqlite_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    backup(sqlite_store, good)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("inte en säkerhetskopia", encoding="utf-8")
    with pytest.raises(BackupError, match="not a Löfte backup"):
        restore(sqlite_store, text_file)
    with pytest.raises(BackupError, match="cannot read"):
        restore(sqlite_store, tmp_path / "missing.db")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BackupError):
        restore(sqlite_store, damaged)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(BackupError, match="not a Löfte backup"):
        inspect_backup(other)
    newer = tmp_path / "newer.db"
    shutil.copy(good, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError, match="does not know"):
        restore(sqlite_store, newer)
    assert inspect_backup(good).kind == "sqlite"


def test_a_backup_restores_only_into_its_kind_of_database(
    store: Store, sqlite_store: Store, tmp_path: Path
) -> None:
    if store.engine.dialect.name == "sqlite":
        archive = tmp_path / "pg.dump"
        archive.write_bytes(b"PGDMP" + bytes(100))
        with pytest.raises(
            BackupError, match="postgresql backup; it restores only into a postgresql"
        ):
            restore(store, archive)
    else:
        backup(sqlite_store, tmp_path / "lite.db")
        with pytest.raises(BackupError, match="sqlite backup; it restores only into a sqlite"):
            restore(store, tmp_path / "lite.db")


def test_missing_postgresql_tools_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = tmp_path / "pg.dump"
    archive.write_bytes(b"PGDMP" + bytes(100))
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_restore is not installed"):
        inspect_backup(archive)


def test_a_database_without_the_schema_is_not_backed_up(db_url: str, tmp_path: Path) -> None:
    empty = Store(db_url)  # never initialised
    try:
        with pytest.raises(BackupError, match="holds no Löfte database: run `lofte init`"):
            backup(empty, tmp_path / "lofte.backup")
    finally:
        empty.dispose()
    assert not list(tmp_path.glob("*.backup")) and not list(tmp_path.glob(".*.tmp"))


ISSUE_15_TABLES = (
    "sources",
    "source_runs",
    "fetch_validators",
    "archived_responses",
    "documents",
    "pledges",
    "subscriptions",
    "deliveries",
)


def _issue_15_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of migration 0012's tables and of the tables it gave columns, as stored."""
    with store.session() as s:
        return {
            name: sorted(tuple(r) for r in s.execute(text(f"SELECT * FROM {name}")))  # noqa: S608
            for name in ISSUE_15_TABLES
        }


def test_a_backup_keeps_watched_sources_archives_deadlines_and_subscriptions(
    store: Store, tmp_path: Path
) -> None:
    """Backup copies the whole database (SQLite's backup API, pg_dump): 0012's tables and new
    columns come back as they were, the archived WARC bytes and a webhook secret included."""
    import datetime as dt

    from lofte.model import RawInput
    from lofte.store import archive
    from lofte.store.schema import (
        DeliveryRow,
        FetchValidatorRow,
        PledgeRow,
        SourceRow,
        SourceRunRow,
        SubscriptionRow,
    )

    site = build_site(store)
    anna = next(u for u in users.list_users(store) if u.username == "anna")
    with store.session() as s:
        tracker_id = s.get(DocumentRow, site.program).tracker_id  # type: ignore[union-attr]
        source = SourceRow(
            tracker_id=tracker_id,
            name="nyheter",
            kind="news",
            origin="https://example.org/feed",
            shape="feed",
            every_seconds=21600,
            paused=True,
            next_due_at=dt.datetime(2026, 1, 2, 3, 4, 5),
            failures=2,
        )
        s.add(source)
        s.flush()
        s.add(SourceRunRow(source_id=source.id, started_at=dt.datetime(2026, 1, 1), status="ok"))
        s.add(
            FetchValidatorRow(
                source_id=source.id, url="https://example.org/feed", etag='"e1"', last_modified="x"
            )
        )
        raw = RawInput(
            b"<p>sida</p>", "https://example.org/a", "text/html", dt.datetime.now(dt.UTC)
        )
        archive.set_document_archive(s, [site.news["pool"]], archive.archive_raw(s, raw))
        s.get(PledgeRow, site.pool).deadline = dt.date(2026, 6, 30)  # type: ignore[union-attr]
        sub = SubscriptionRow(
            user_id=anna.id, tracker_id=tracker_id, webhook_url="https://hook", webhook_secret="s3"
        )
        s.add(sub)
        s.flush()
        s.add(DeliveryRow(subscription_id=sub.id, channel="webhook", status="sent", attempts=1))
    before = _issue_15_rows(store)
    assert all(before[name] for name in ISSUE_15_TABLES)
    backup(store, tmp_path / "lofte.backup")
    with store.session() as s:
        s.execute(delete(SubscriptionRow))
        s.execute(delete(SourceRow))
    restore(store, tmp_path / "lofte.backup")
    assert _issue_15_rows(store) == before


def test_a_backup_never_replaces_a_folder_or_a_device(sqlite_store: Store, tmp_path: Path) -> None:
    """Moving the finished copy onto FILE would replace a device such as /dev/full (as root)
    or fail with an OSError: both refused first, naming the path, nothing left behind."""
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(BackupError, match=f"cannot write the backup {folder}: it is a folder"):
        backup(sqlite_store, folder)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BackupError, match="it is not a regular file"):
        backup(sqlite_store, fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe
    with pytest.raises(BackupError, match="the folder .*missing does not exist"):
        backup(sqlite_store, tmp_path / "missing" / "lofte.backup")
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("lofte.db"))
    assert left == ["backups", "pipe"] and list(folder.iterdir()) == []


def test_a_backup_that_cannot_be_written_names_its_file(tmp_path: Path) -> None:
    """A full disk, simulated with a file size limit in a child process: the error names the
    backup file (not the database, not a temporary name), and nothing is left behind."""
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    Store(url).migrate()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "lofte.backup"
    limit = (tmp_path / "lofte.db").stat().st_size // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "lofte", "--db", url, "backup", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"cannot write the backup {target}:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


def test_a_backup_killed_half_way_leaves_nothing(tmp_path: Path) -> None:
    """SIGTERM while the copy is being written: exit 130, no backup under the final name and
    no unfinished temporary file (or its journal) beside it."""
    db = tmp_path / "lofte.db"
    url = f"sqlite:///{db}"
    Store(url).migrate()
    with sqlite3.connect(db) as conn:  # some 40 MB, so the copy takes a moment
        conn.execute("CREATE TABLE filler (b BLOB)")
        conn.execute(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
            "INSERT INTO filler SELECT randomblob(20000) FROM c"
        )
    out = tmp_path / "out"
    out.mkdir()
    target = out / "lofte.backup"
    proc = subprocess.Popen(
        [sys.executable, "-m", "lofte", "--db", url, "backup", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(out.iterdir()):  # the temporary copy has appeared
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.002)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert list(out.iterdir()) == []


def test_a_restore_into_what_is_no_database_names_it(sqlite_store: Store, tmp_path: Path) -> None:
    """`--db` pointing at a folder, a text file or into a missing folder: an error naming that
    path (not a bare "SQLite refused: unable to open database file"), the text file untouched;
    the backup restored onto itself is refused."""
    good = tmp_path / "good.db"
    backup(sqlite_store, good)
    folder = tmp_path / "folder"
    folder.mkdir()
    notes = tmp_path / "notes.txt"
    notes.write_text("inte en databas", encoding="utf-8")
    cases = {
        folder: "it is a folder",
        notes: "file is not a database; nothing was changed",
        tmp_path / "missing" / "x.db": "the folder .*missing does not exist",
    }
    for target, why in cases.items():
        other = Store(f"sqlite:///{target}")
        try:
            with pytest.raises(BackupError, match=f"cannot restore into {target}: {why}"):
                restore(other, good)
        finally:
            other.dispose()
    assert notes.read_text(encoding="utf-8") == "inte en databas"
    assert not (tmp_path / "missing").exists()
    itself = Store(f"sqlite:///{good}")
    try:
        with pytest.raises(BackupError, match="is the database itself"):
            restore(itself, good)
    finally:
        itself.dispose()


def test_a_damaged_backup_names_its_first_problems_not_all_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a backup with 200 bytes flipped gave a 2.5 kB line of integrity_check output (one
    row of SQLite's answer holds many problems, a line each)."""
    import contextlib

    from lofte.store import backup as backup_module

    problems = "\n".join(f"Page {n}: btreeInitPage() returns error code 11" for n in range(60))

    class Damaged:
        def execute(self, sql: str) -> Any:
            rows = [(problems,)] if "integrity" in sql else [("x",)]
            return type("Rows", (), {"fetchall": lambda self: rows})()

    @contextlib.contextmanager
    def damaged(target: str, *, uri: bool = False) -> Any:
        yield Damaged()

    monkeypatch.setattr(backup_module, "_connect", damaged)
    with pytest.raises(BackupError) as refused:
        backup_module._sqlite_revision(tmp_path / "flip.backup")
    message = str(refused.value)
    assert "Page 0:" in message and "Page 2:" in message and "Page 3:" not in message
    assert message.endswith("(and 57 more)") and "\n" not in message and len(message) < 400


def test_a_restore_ends_every_session_the_backup_would_bring_back(
    store: Store, tmp_path: Path
) -> None:
    # QA: log out (ending the cookie), restore a backup from before: the cookie worked again
    user = users.add_user(store, "hanna", "ett långt lösenord", Role.EDITOR, actor="test")
    generation = users.get_user(store, user.id).session_generation
    backup(store, tmp_path / "före.backup")
    assert users.session_user(store, user.id, generation) is not None
    restore(store, tmp_path / "före.backup")
    assert users.session_user(store, user.id, generation) is None
    assert users.get_user(store, user.id).session_generation != generation


def test_a_restore_ends_the_sessions_issued_after_the_backup_too(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: the restored number was the backup's + 1, which a cookie issued after the backup
    # could carry: restore, log in, change the password, restore again, and it worked again
    store, before = sqlite_store, tmp_path / "före.backup"
    boss = users.add_user(store, "boss", "ett långt lösenord", Role.ADMIN, actor="test")
    backup(store, before)
    restore(store, before)
    cookie = users.get_user(store, boss.id).session_generation  # logged in after the restore
    users.set_password(store, "boss", "ett annat långt lösenord", actor="test")
    assert users.session_user(store, boss.id, cookie) is None
    restore(store, before)
    assert users.session_user(store, boss.id, cookie) is None
    # a password changed after the backup, a login, a restore: that login ends too
    users.set_password(store, "boss", "ett tredje långt lösenord", actor="test")
    cookie = users.get_user(store, boss.id).session_generation
    restore(store, before)
    assert users.session_user(store, boss.id, cookie) is None


def test_a_restore_ends_the_sessions_of_an_account_removed_since_the_backup(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # the removed account has no number left in the database that a restore could exceed
    store = sqlite_store
    users.add_user(store, "boss", "ett långt lösenord", Role.ADMIN, actor="test")
    anna = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="test")
    backup(store, tmp_path / "före.backup")
    users.set_password(store, "anna", "ett annat långt lösenord", actor="test")
    cookie = users.get_user(store, anna.id).session_generation
    users.remove_user(store, "anna", actor="test")
    restore(store, tmp_path / "före.backup")
    assert users.session_user(store, anna.id, cookie) is None


def test_a_restore_gives_up_on_a_writer_after_the_busy_wait_naming_the_database(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: with a writer holding the lock, a restore waited as long as it held it, silently
    import threading

    backup(sqlite_store, tmp_path / "b.backup")
    monkeypatch.setenv("LOFTE_SQLITE_BUSY_WAIT", "1")
    database = Path(str(sqlite_store.engine.url.database))
    writer = sqlite3.connect(database, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    threading.Timer(5, writer.rollback).start()  # a restore that waits on succeeds at 5 s
    started = time.monotonic()
    try:
        with pytest.raises(BackupError, match=rf"cannot restore into {database}: .*locked"):
            restore(sqlite_store, tmp_path / "b.backup")
        assert time.monotonic() - started < 4
    finally:
        time.sleep(max(0.0, 5.5 - (time.monotonic() - started)))
        writer.close()


def _damage_a_raw_input(database: Path) -> int:
    """Flip the bytes of the raw input of the first document; that document's id."""
    with sqlite3.connect(database) as conn:
        doc_id, key = conn.execute(
            "SELECT id, raw_sha256 FROM documents ORDER BY id LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE raw_blobs SET data = X'00ff00ff' WHERE sha256 = ?", (key,))
    conn.close()
    return int(doc_id)


def test_a_backup_whose_raw_input_fails_its_hash_is_refused_naming_it(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: a raw input whose bytes no longer matched their SHA-256 was restored without a word
    build_site(sqlite_store)
    good = tmp_path / "good.backup"
    backup(sqlite_store, good)
    bad = tmp_path / "bad.backup"
    shutil.copy(good, bad)
    doc_id = _damage_a_raw_input(bad)
    before = snapshot(sqlite_store)
    with pytest.raises(BackupError) as refused:
        restore(sqlite_store, bad)
    message = str(refused.value)
    assert message.startswith(f"{bad} is damaged: the bytes of 1 stored raw input do not")
    assert f"document {doc_id})" in message
    assert snapshot(sqlite_store) == before  # nothing restored
    restore(sqlite_store, good)


def test_a_backup_of_a_database_with_a_damaged_raw_input_is_refused_naming_the_database(
    sqlite_store: Store, tmp_path: Path
) -> None:
    build_site(sqlite_store)
    sqlite_store.dispose()
    _damage_a_raw_input(Path(str(sqlite_store.engine.url.database)))
    with pytest.raises(BackupError, match=r"^the database sqlite:///\S+ is damaged: the bytes"):
        backup(sqlite_store, tmp_path / "b.backup")
    assert not (tmp_path / "b.backup").exists()


def test_a_backup_of_a_newer_loeftes_database_names_the_database(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: the error named the temporary copy beside the backup
    with sqlite_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    database = sqlite_store.engine.url.database
    with pytest.raises(BackupError) as refused:
        backup(sqlite_store, tmp_path / "b.backup")
    assert str(refused.value) == (
        f"the database sqlite:///{database} holds schema revision 0099, which this Löfte "
        "does not know (made by a newer version?)"
    )


def test_a_restore_into_a_new_file_makes_it_readable_by_its_owner_only(
    sqlite_store: Store, tmp_path: Path
) -> None:
    backup(sqlite_store, tmp_path / "b.backup")
    old = os.umask(0o022)
    try:
        new = Store(f"sqlite:///{tmp_path / 'ny.db'}")
        restore(new, tmp_path / "b.backup")
        with new.session() as s:  # opened as a server would: -wal and -shm beside it
            s.execute(text("SELECT 1"))
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("ny.db*")}
        new.dispose()
    finally:
        os.umask(old)
    assert modes == {"ny.db": 0o600, "ny.db-wal": 0o600, "ny.db-shm": 0o600}


def test_an_older_backup_is_migrated_before_the_store_takes_it(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: a backup at revision 0010 restored under a running server gave 500s ("no such
    # column") until someone ran `lofte init`, while /healthz said ok
    from alembic import command

    from lofte.store.db import _alembic_config, current_revision, make_engine

    old = make_engine(f"sqlite:///{tmp_path / 'gammal.db'}")
    command.upgrade(_alembic_config(old), "0010")
    old.dispose()
    info = backup(Store(f"sqlite:///{tmp_path / 'gammal.db'}"), tmp_path / "gammal.backup")
    assert info.revision == "0010" and not info.current
    assert restore(sqlite_store, tmp_path / "gammal.backup").revision == "0010"
    assert current_revision(sqlite_store.engine) == head_revision()
    folder = Path(str(sqlite_store.engine.url.database)).parent
    assert not list(folder.glob(".*.restore.*"))  # no prepared copy left behind


def test_an_older_backup_restored_is_recorded_as_the_newest_event(
    db_url: str, tmp_path: Path
) -> None:
    """QA: a SQLite backup of an older schema came back without the `database.restore` event
    (the public data's Last-Modified stayed the backup's), though it was migrated as it was
    restored. Both databases: the same database made at 0012, backed up, then brought to the
    newest schema with new events before the restore."""
    from alembic import command

    from lofte.store.db import _alembic_config, make_engine, open_store

    old = make_engine(db_url)
    command.upgrade(_alembic_config(old), "0012")
    old.dispose()
    info = backup(Store(db_url), tmp_path / "lofte.backup")
    assert info.revision == "0012" and not info.current
    store = open_store(db_url, create=True)
    try:
        _reviewed_store(store)  # events after the backup: the restore takes them away
        assert restore(store, tmp_path / "lofte.backup").revision == "0012"
        with store.session() as s:
            events = list_events(s)
            assert verify(s).problems == []
        assert [(e.action, e.actor) for e in events] == [("database.restore", "lofte restore")]
        details = dict(events[0].details)
        assert details.pop("replaced_head")["seq"] > 0  # the events it took away, counted
        assert details == {"backup": "lofte.backup", "revision": "0012"}
    finally:
        store.dispose()


def test_an_older_sqlite_backup_with_events_keeps_them_and_records_the_restore(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """The QA case: the demo store of revision 0003 (28 audit events, see test_upgrade.py),
    restored over a current store; its chain is whole with the restore as its 29th event."""
    from tests.store.test_upgrade import _old_file

    old = _old_file(tmp_path)
    _reviewed_store(sqlite_store)
    assert restore(sqlite_store, old).revision == "0003"
    with sqlite_store.session() as s:
        events = list_events(s)
        assert verify(s).problems == []
    assert len(events) == 29
    assert (events[-1].action, events[-1].details["backup"]) == ("database.restore", "old.db")
    assert events[-2].action == "pledge.edit"  # the backup's own last event, before it


def test_a_backup_whose_text_was_damaged_is_refused_naming_the_row(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: bytes flipped inside a document's body pass integrity_check; restored, they made
    # public search and the document's page answer 500
    _reviewed_store(sqlite_store)
    good = tmp_path / "good.backup"
    backup(sqlite_store, good)
    bad = tmp_path / "flip.backup"
    shutil.copy(good, bad)
    with sqlite3.connect(bad) as conn:
        doc_id = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
        conn.execute(
            "UPDATE documents SET body = CAST(X'48e96a20ff' AS TEXT) WHERE id = ?", (doc_id,)
        )
    conn.close()
    assert inspect_backup(bad).revision == head_revision()  # intact to SQLite's own check
    before = snapshot(sqlite_store)
    with pytest.raises(BackupError, match=rf"not UTF-8 in documents row {doc_id} \(body\)"):
        restore(sqlite_store, bad)
    assert snapshot(sqlite_store) == before  # nothing restored
    restore(sqlite_store, good)  # a whole one still restores


@pytest.mark.postgres
def test_an_older_postgresql_backup_restores_into_a_current_database(
    postgres_store: Store, tmp_path: Path
) -> None:
    """QA: a backup at revision 0012 restored into a database at the newest revision failed
    ("cannot drop constraint trackers_pkey": the newer tables' foreign keys hold it). The
    newer tables go in the restore's own transaction, and migration makes them again."""
    from alembic import command

    from lofte.store.db import _alembic_config, current_revision, make_engine, open_store
    from lofte.store.trackers import list_trackers
    from tests.conftest import _reset_postgres

    url = postgres_store.engine.url.render_as_string(hide_password=False)
    postgres_store.dispose()
    _reset_postgres(url)
    old = make_engine(url)
    command.upgrade(_alembic_config(old), "0012")
    old.dispose()
    info = backup(Store(url), tmp_path / "gammal.backup")
    assert info.revision == "0012" and not info.current
    store = open_store(url, create=True)  # the same database, now at the newest revision
    try:
        with store.engine.begin() as connection:  # another program's table: not ours to drop
            connection.execute(text("CREATE TABLE kartor (id integer PRIMARY KEY)"))
        _reviewed_store(store)
        assert current_revision(store.engine) == head_revision()
        assert restore(store, tmp_path / "gammal.backup").revision == "0012"
        assert current_revision(store.engine) == head_revision()
        with store.session() as session:  # the backup's content: no tracker yet
            assert list_trackers(session) == []
            assert session.execute(text("SELECT count(*) FROM kartor")).scalar() == 0
        _reviewed_store(store)  # and the newer tables work
    finally:
        store.dispose()


@pytest.mark.postgres
def test_a_restore_into_a_database_that_does_not_exist_names_it(
    postgres_store: Store, tmp_path: Path
) -> None:
    """QA: pg_restore's own "database … does not exist", without the URL; every other command
    says "cannot use the database URL: …" (its password hidden)."""
    from sqlalchemy.engine import make_url

    from lofte.errors import StoreError

    backup(postgres_store, tmp_path / "good.backup")
    url = postgres_store.engine.url
    missing = make_url(url).set(database="finns_ej").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as caught:
        restore(Store(missing), tmp_path / "good.backup")
    message = str(caught.value)
    assert message.startswith("cannot use the database postgresql+psycopg://lofte:***@")
    assert '"finns_ej" does not exist' in message
