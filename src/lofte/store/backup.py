"""Backups of a store as one file, and restoring a store from one.

SQLite: SQLite's online backup API copies a consistent snapshot while the store is in use (a
plain file copy of a WAL database can miss committed pages still in the -wal file). The backup
is written beside its destination and moved into place, so a crash never leaves half a backup.
Restoring goes through the same API in the other direction: the copy into the store is one
write transaction of the store's own database, so readers see the old or the new content,
never a mix, and the store's -wal file stays consistent with it (replacing the file under
open connections would not).

PostgreSQL: `pg_dump --format=custom`, and `pg_restore --clean --if-exists` writing the SQL that
this process then runs in one transaction of its own, with the migration, the end of every
session and the restore's audit event (the client tools, at least as new as the server, must be
on PATH). A restore either replaces everything in the dump or, on any error or a kill, nothing.

Before a restore the backup is checked: it must be a backup of the store's kind of database,
intact (SQLite's integrity_check; pg_restore must read the archive's table of contents), and at
a schema revision this Löfte knows.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from alembic import command
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import BackupError, StoreError
from ..files import keep_mode, private_file, remove_quietly, write_target
from . import audit, id_floors
from .db import (
    _MIGRATION_LOCK,
    Session,
    Store,
    _alembic_config,
    _reason,
    busy_wait_setting,
    create_private,
    current_revision,
    head_revision,
    is_known_revision,
    make_engine,
    migrate,
    refuse_foreign_tables,
    shown_url,
    store_error,
    unknown_revision,
    unreachable,
)
from .imports import PLACEHOLDER_MEDIA_TYPE
from .schema import AuditHeadRow, Base

if TYPE_CHECKING:
    import psycopg

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKUP_MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
BUSY_TIMEOUT = 30  # seconds pg_dump or pg_restore waits for a lock (SQLite: the setting)
TOOL_TIMEOUT = 3600  # seconds pg_dump or pg_restore may run


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: which kind of database, at which schema revision."""

    path: Path
    kind: str  # sqlite | postgresql
    revision: str
    size: int

    @property
    def current(self) -> bool:
        """Whether the backup is at this Löfte's newest schema (else it is migrated as it is
        restored)."""
        return self.revision == head_revision()


def backup(store: Store, path: Path) -> BackupInfo:
    """Write a backup of `store` to `path` (replaced atomically if present)."""
    path = Path(path)
    shown = shown_url(store.engine.url)
    revision = current_revision(store.engine)
    if revision is None:  # nothing to back up: say so, not "damaged"
        raise BackupError(f"{shown} holds no Löfte database: run `lofte init` first")
    if not is_known_revision(revision):  # said of the database, not of its temporary copy
        raise BackupError(unknown_revision(f"the database {shown}", revision))
    _check_destination(path)
    path = write_target(path)  # a link: the file it points to is replaced, the link stays
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            private_file(tmp)  # the password hashes: owner only from the first byte
        except OSError as exc:
            raise BackupError(f"cannot write the backup {path}: {exc.strerror or exc}") from exc
        if _kind(store) == SQLITE:
            source = _sqlite_file(store)
            if path.resolve() == source.resolve():
                raise BackupError("the backup file must not be the database itself")
            _remove_stale_restore_copies(source)
            _sqlite_backup(source, tmp, cannot_write=lambda exc: _write_message(path, exc))
        else:
            _run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={tmp}",
                store=store,
            )
        # a backup that cannot be restored is no backup; what is wrong is the database's
        info = inspect_backup(tmp, name=f"the database {shown}")
        try:
            keep_mode(tmp, path)  # one the admin gave the earlier backup (640 for a group)
            os.replace(tmp, path)
        except OSError as exc:
            raise BackupError(f"cannot write the backup {path}: {exc.strerror or exc}") from exc
    finally:  # also on Ctrl-C (and SIGTERM, which the CLI turns into it): no debris left
        for leftover in (tmp, *(tmp.with_name(tmp.name + side) for side in _SIDE_FILES)):
            remove_quietly(leftover)
    return BackupInfo(path, info.kind, info.revision, info.size)


# What SQLite may write beside a database file while it is being written.
_SIDE_FILES = ("-journal", "-wal", "-shm")


def _check_destination(path: Path) -> None:
    """A backup goes to a file in an existing folder: never onto a folder, a device such as
    /dev/full or another special file (moving the finished backup there would replace it)."""
    if path.is_dir():
        raise BackupError(f"cannot write the backup {path}: it is a folder; name a file in it")
    if path.exists() and not path.is_file():
        raise BackupError(
            f"cannot write the backup {path}: it is not a regular file (a device, a pipe or a "
            "socket); name a file"
        )
    parent = path.parent
    if not parent.is_dir():
        why = (
            f"{parent} is not a folder"
            if parent.exists()
            else f"the folder {parent} does not exist"
        )
        raise BackupError(f"cannot write the backup {path}: {why}")


RESTORE_ACTOR = "lofte restore"  # the audit event's actor: the command, run by the admin


def restore(store: Store, path: Path, *, actor: str = RESTORE_ACTOR) -> BackupInfo:
    """Replace the content of `store` with the backup at `path` (made by `backup`), and record
    the restore in the restored audit log (`database.restore`).

    The new content, the end of every session and the event go in together: a restore killed
    at any moment leaves the old content, or the new one with its sessions ended and the
    event recorded (QA: killed in between, an ended cookie worked again and the audit log had
    no word of the restore)."""
    path = Path(path)
    kind = _kind(store)
    info = restorable(kind, path)
    replaced = _replaced_head(store, kind)

    def record(session: Session) -> None:
        # Every restore, an older schema's too: the content has been migrated by now, so the
        # event goes into a current audit log (QA: a backup at 0003 came back without it).
        # A change like any other: the public data's Last-Modified moves forward, where the
        # restored rows would take it back to the backup's (QA: 304s for changed data).
        audit.record_event(
            session,
            "database.restore",
            "database",
            None,
            actor,
            backup=path.name,
            revision=info.revision,
            # the log it replaces, so a head saved before is matched with this restore and
            # the events it dropped are counted (QA, an insider: only a saved head told)
            **({"replaced_head": replaced} if replaced else {}),
        )

    store.dispose()  # pooled connections must not hold locks or stale schema while we write
    try:
        if kind == SQLITE:
            target = _sqlite_file(store)
            _check_restore_target(path, target)
            if target.exists() and _no_loefte_schema(store):
                refuse_foreign_tables(store.engine)  # not another program's database
            _remove_stale_restore_copies(target)
            with _prepared_copy(path, target, record) as prepared:
                _sqlite_restore(prepared, target)
        else:
            if _no_loefte_schema(store):
                # QA: a restore into the wrong PostgreSQL database dropped another program's
                # `users` and `documents` (CASCADE), where a SQLite file was refused
                refuse_foreign_tables(store.engine)
            _pg_restore(store, path, record)
    finally:
        store.dispose()
    return info


def _finish(connection: Connection, record: Callable[[Session], None]) -> None:
    """End every session and record the restore, in `connection`'s open transaction: the one
    that brings the new content, which is then never seen without them."""
    end_every_session(connection)
    # the connection's transaction is the caller's to commit: the session only adds to it
    with Session(bind=connection, join_transaction_mode="rollback_only") as session:
        record(session)
        session.flush()


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite store URL names (None for another kind of store, or no file)."""
    if url_kind(url) != SQLITE:
        return None
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def url_kind(url: str) -> str:
    """`sqlite` or `postgresql`: the kind of database a store URL names."""
    return SQLITE if make_url(url).get_backend_name() == SQLITE else POSTGRESQL


def restorable(kind: str, path: Path) -> BackupInfo:
    """The backup's info when it restores into a database of `kind`; BackupError when it is of
    the other kind, none, damaged or of an unknown revision."""
    made_by = backup_kind(path)
    if made_by != kind:
        raise BackupError(
            f"{path} is a {made_by} backup; it restores only into a {made_by} database, "
            f"not into this {kind} one"
        )
    return inspect_backup(path)


def _replaced_head(store: Store, kind: str) -> dict[str, Any] | None:
    """The audit log's head (seq, hash) the restore replaces; None for no database yet, an
    empty one, another program's or one that cannot be read (the restore says why)."""
    if kind == SQLITE and not _sqlite_file(store).exists():
        return None  # reading would create the file
    if _no_loefte_schema(store):
        return None
    try:
        with store.session() as session:
            head = audit.chain_head(session)
    except (SQLAlchemyError, StoreError):
        return None
    return None if head is None else {"seq": head.seq, "hash": head.hash}


# tables every Löfte schema has had since its first revision, and few other programs together
LOEFTE_TABLES = frozenset({"audit_events", "raw_blobs", "trackers", "documents", "pledges"})


def _no_loefte_schema(store: Store) -> bool:
    """Whether the database holds no Löfte schema: no revision, or another program's that
    Alembic manages too (review: its `users` and `documents` were dropped by a restore). Its
    revision may even look like Löfte's ("0007"), so Löfte's own tables must be there too:
    those of its first revision, and the audit head when the revision is not Löfte's."""
    try:
        revision = current_revision(store.engine)
        if revision is None:
            return True
        tables = set(inspect(store.engine).get_table_names())
        if not tables >= LOEFTE_TABLES:
            return True
        return not is_known_revision(revision) and AuditHeadRow.__tablename__ not in tables
    except (StoreError, SQLAlchemyError):
        return False  # no database at all: the copy names it ("file is not a database")


def _refuse_undecodable_text(copy: Path, backup_file: Path) -> None:
    """BackupError naming the first rows whose text is not UTF-8: bytes damaged inside a
    document pass SQLite's integrity check, and restored they made public search and the
    document's page answer 500 (QA). One read of every text value, on the copy."""
    damaged: list[str] = []
    with _connect(str(copy)) as conn:
        tables = [  # a virtual table (the search index) is read through its shadow tables
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        columns = {
            t: [r[1] for r in conn.execute(f"PRAGMA table_info({_quoted(t)})")] for t in tables
        }
        conn.text_factory = bytes  # the values as stored; a name read above stays text
        for table, names in columns.items():
            for column in names:
                where = f"FROM {_quoted(table)} WHERE typeof({_quoted(column)}) = 'text'"
                rows: Iterable[tuple[object, bytes]]
                try:  # read row by row: a big store's bodies never all in memory
                    rows = conn.execute(f"SELECT rowid, {_quoted(column)} {where}")
                except sqlite3.OperationalError:  # WITHOUT ROWID: the row by its place
                    values = conn.execute(f"SELECT {_quoted(column)} {where}")
                    rows = ((f"#{i}", v) for i, (v,) in enumerate(values, start=1))
                for rowid, value in rows:
                    try:
                        value.decode("utf-8")
                    except UnicodeDecodeError:
                        damaged.append(f"{table} row {rowid} ({column})")
                        break  # one row per column is enough to name it
    if damaged:
        more = f" and {len(damaged) - 3} more" if len(damaged) > 3 else ""
        raise BackupError(
            f"{backup_file} is damaged: text that is not UTF-8 in {'; '.join(damaged[:3])}"
            f"{more}; nothing was restored"
        )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# A restore ends every session: the backup's session numbers are older than the store's, so a
# cookie a logout ended would be valid again (QA: restore, and a stolen cookie came back). Not
# the backup's number + 1: a cookie issued after the backup may carry just that (QA: log in
# after a password change, restore twice, and the cookie worked again), and an account
# removed since has no number left to exceed. A fresh random number per account, drawn in
# the database (no read of the live numbers to race with), from the range `add_user` draws
# a new account's first number from (the column stays within PostgreSQL's integer).
_FRESH_GENERATION = {
    SQLITE: "abs(random() % 1073741824) + 1",
    POSTGRESQL: "floor(random() * 1073741824)::integer + 1",
}


def end_every_session(connection: Connection) -> None:
    """Give every account a new random session number: no cookie issued before carries it."""
    fresh = _FRESH_GENERATION[SQLITE if connection.dialect.name == SQLITE else POSTGRESQL]
    connection.execute(text(f"UPDATE users SET session_generation = {fresh}"))


@contextlib.contextmanager
def _prepared_copy(
    backup_file: Path, target: Path, record: Callable[[Session], None]
) -> Iterator[Path]:
    """The backup copied beside the store, migrated to this Löfte's schema, with every session
    ended and the restore recorded: the store then takes it in one write transaction, so a
    server running on it never meets an older schema (QA: 500s from an older backup until
    `lofte init`, while /healthz said ok) or a session the backup brought back, and a restore
    killed just after that transaction has its event all the same (QA: it had none)."""
    tmp = target.with_name(f"{_restore_copy_prefix(target)}{os.getpid()}.tmp")
    try:
        try:
            private_file(tmp)
        except OSError as exc:
            raise BackupError(_prepare_message(tmp, exc.strerror or str(exc))) from exc
        _sqlite_backup(
            backup_file, tmp, cannot_write=lambda exc: _prepare_message(tmp, f"{exc}{_FULL}")
        )
        _refuse_undecodable_text(tmp, backup_file)
        engine = make_engine(f"sqlite:///{tmp}")
        try:
            migrate(engine)
            with engine.begin() as connection:
                _finish(connection, record)
        except SQLAlchemyError as exc:  # a full disk, a size limit: said of the copy
            raise BackupError(_prepare_message(tmp, _reason(exc))) from exc
        finally:
            engine.dispose()
        yield tmp
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + side) for side in _SIDE_FILES)):
            remove_quietly(leftover)


def _restore_copy_prefix(target: Path) -> str:
    """The name of a prepared copy of `target` up to its process id."""
    return f".{target.name}.restore."


def _remove_stale_restore_copies(target: Path) -> None:
    """Remove the prepared copies of `target` (and their -journal, -wal and -shm files) that
    a restore killed before its clean-up left beside it: a store's size each (QA: 80 MB that
    later restores kept). Only those named exactly as `_prepared_copy` names them, and only
    when their process is gone: a restore still running keeps its copy."""
    named = re.compile(
        re.escape(_restore_copy_prefix(target))
        + r"([0-9]+)\.tmp(?:"
        + "|".join(map(re.escape, _SIDE_FILES))
        + ")?"
    )
    try:
        beside = list(target.parent.iterdir())
    except OSError:
        return  # the restore or backup itself says what is wrong with the folder
    for path in beside:
        found = named.fullmatch(path.name)
        if found and not _running(int(found[1])) and path.is_file():
            remove_quietly(path)


def _running(pid: int) -> bool:
    """Whether process `pid` may still be running: only "no such process" says it is not."""
    try:
        os.kill(pid, 0)  # no signal sent: only whether it exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's (EPERM), or not a pid: left alone
        return True
    return True


def backup_kind(path: Path) -> str:
    """`sqlite` or `postgresql` by the file's first bytes; BackupError for anything else."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"cannot read the backup {path}: {exc.strerror or exc}") from exc
    for kind, magic in BACKUP_MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(
        f"{path} is not a Löfte backup (neither a SQLite database nor a pg_dump archive "
        "in custom format)"
    )


def inspect_backup(path: Path, *, name: str | None = None) -> BackupInfo:
    """The kind and revision of a backup file; BackupError when it is none or is damaged.
    `name` is what errors call it (default: its path)."""
    path = Path(path)
    shown = str(path) if name is None else name
    kind = backup_kind(path)
    revision = _sqlite_revision(path, shown) if kind == SQLITE else _pg_revision(path, shown)
    if not is_known_revision(revision):
        raise BackupError(unknown_revision(shown, revision))
    return BackupInfo(path, kind, revision, path.stat().st_size)


# What a restore would replace and bring, said before its question: the wrong file at 3 am
# read as the right one when the question named only the paths.
COUNTED = ("trackers", "pledges", "documents", "verdicts")


def store_counts(store: Store) -> dict[str, int] | None:
    """Rows of each `COUNTED` table in the store, or None when it holds no Löfte tables (a new
    database) or cannot be read."""
    try:
        with store.engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in COUNTED
            }
    except Exception:  # noqa: BLE001  # any failure: say nothing about the content, restore decides
        return None


def backup_counts(info: BackupInfo) -> dict[str, int] | None:
    """Rows of each `COUNTED` table in a SQLite backup (read-only), None for a pg_dump archive
    (only pg_restore reads it) or when they cannot be read."""
    if info.kind != SQLITE:
        return None
    try:
        with _connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            return {
                t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED
            }
    except sqlite3.Error:
        return None


# --- SQLite ---------------------------------------------------------------------------------


def _kind(store: Store) -> str:
    return SQLITE if store.engine.dialect.name == SQLITE else POSTGRESQL


def _sqlite_file(store: Store) -> Path:
    database = make_url(store.url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("only a SQLite database in a file can be backed up or restored")
    return Path(database)


@contextlib.contextmanager
def _connect(target: str, *, uri: bool = False) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(target, timeout=busy_wait_setting(), uri=uri)
    try:
        yield conn
    except sqlite3.Error as exc:
        raise BackupError(_sqlite_message(exc)) from exc
    finally:
        conn.close()


def _sqlite_message(exc: sqlite3.Error) -> str:
    if "locked" in str(exc) or "busy" in str(exc):
        return (
            f"the database stayed busy for {busy_wait_setting():g} s (another process is "
            "writing; LOFTE_SQLITE_BUSY_WAIT); try again"
        )
    return f"SQLite refused: {exc}"


class _StillBusy(Exception):
    """The other end of an online backup stayed locked for the whole busy wait."""


_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    """`src.backup(dst)`, giving up once a lock outlasts the busy wait: the driver retries a
    busy step forever (QA: a restore waited for a writer as long as it wrote, silently). Each
    step waits the connections' timeout in SQLite's busy handler first."""

    def give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
        if status in _BUSY_CODES:
            raise _StillBusy

    src.backup(dst, progress=give_up_when_busy)


def _sqlite_backup(
    source: Path, target: Path, *, cannot_write: Callable[[sqlite3.Error], str]
) -> None:
    """Copy `source` into `target`, a new file; `cannot_write` says why `target` could not be
    written, naming what the admin knows it as."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    with _connect(str(source)) as src:
        try:
            dst = sqlite3.connect(str(target), timeout=busy_wait_setting())
        except sqlite3.Error as exc:
            raise BackupError(cannot_write(exc)) from exc
        try:
            _copy(src, dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        except _StillBusy:
            raise BackupError(
                f"the database {source} stayed locked for {busy_wait_setting():g} s "
                "(LOFTE_SQLITE_BUSY_WAIT); try again"
            ) from None
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                raise
            raise BackupError(cannot_write(exc)) from exc
        finally:
            dst.close()


_FULL = " (is the disk full, the folder not writable, or a file size limit set?)"


def _write_message(path: Path, exc: sqlite3.Error) -> str:
    """Why the backup at `path` could not be written, with what to look at: the file the
    admin named (not its temporary twin), SQLite's reason, and the usual causes."""
    return f"cannot write the backup {path}: {exc}{_FULL}; nothing was written under that name"


def _prepare_message(tmp: Path, why: str) -> str:
    """Why a restore could not prepare its copy at `tmp`: not "the backup", which is only
    read, and said plainly that the store was not touched (QA)."""
    return f"cannot prepare the restored copy {tmp}: {why}; the database is unchanged"


def _sqlite_revision(path: Path, name: str | None = None) -> str:
    """Integrity check and revision of a SQLite backup, opened read-only; `name` is what
    errors call it (default: its path)."""
    name = str(path) if name is None else name
    with _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{name} is damaged or not a Löfte backup: {exc}") from exc
        if ok == [("ok",)] and len(rows) == 1:
            _refuse_damaged_blobs(conn, name)
    if ok != [("ok",)]:
        # one row may hold many problems, a line each: QA saw a 2.5 kB line of them
        problems = [line for r in ok for line in str(r[0]).splitlines() if line.strip()]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        shown = "; ".join(p[:200] for p in problems[:3])
        raise BackupError(f"{name} is damaged: {shown}{more}")
    if len(rows) != 1:
        raise BackupError(f"{name} is not a Löfte backup: it records no schema revision")
    return str(rows[0][0])


_HASH_CHUNK = 1 << 20  # bytes of a raw input read at a time: a big one is never all in memory


def _refuse_damaged_blobs(conn: sqlite3.Connection, name: str) -> None:
    """BackupError naming the raw inputs whose bytes no longer match the SHA-256 they are
    stored under, and the documents read from them: SQLite's own check does not see damage
    inside a value (QA: such a backup was made and restored without a word). Every input is
    hashed once, in chunks."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "raw_blobs" not in tables:
        return
    damaged: list[str] = []
    count = 0
    # an import's empty placeholders hold no bytes to match (QA: a store filled by `lofte
    # import` could never be backed up)
    query = (
        "SELECT rowid, sha256 FROM raw_blobs WHERE media_type IS NOT ? "
        "OR coalesce(length(data), -1) != 0 ORDER BY rowid"
    )
    for rowid, key in conn.execute(query, (PLACEHOLDER_MEDIA_TYPE,)):
        digest = hashlib.sha256()
        try:
            with conn.blobopen("raw_blobs", "data", rowid, readonly=True) as blob:
                while chunk := blob.read(_HASH_CHUNK):
                    digest.update(chunk)
            intact = digest.hexdigest() == key
        except sqlite3.Error:  # not bytes at all (NULL, a number): damaged too
            intact = False
        if not intact:
            count += 1
            if len(damaged) < 3:
                damaged.append(str(key))
    if not count:
        return
    documents = [
        str(r[0])
        for r in conn.execute(
            f"SELECT id FROM documents WHERE raw_sha256 IN ({', '.join('?' * len(damaged))}) "
            "ORDER BY id LIMIT 4",
            damaged,
        )
    ]
    shown = ", ".join(f"{key[:16]}…" for key in damaged) + (", …" if count > 3 else "")
    read = ""
    if documents:
        more = ", …" if len(documents) > 3 else ""
        plural = "s" if len(documents) > 1 else ""
        read = f" (the input of document{plural} {', '.join(documents[:3])}{more})"
    raise BackupError(
        f"{name} is damaged: the bytes of {count} stored raw input{'s' if count > 1 else ''} "
        f"do not match the SHA-256 they are stored under: {shown}{read}"
    )


def _check_restore_target(backup_file: Path, target: Path) -> None:
    if target.is_dir():
        raise BackupError(f"cannot restore into {target}: it is a folder, not a database file")
    if not target.parent.is_dir():
        raise BackupError(
            f"cannot restore into {target}: the folder {target.parent} does not exist"
        )
    if target.exists() and target.resolve() == backup_file.resolve():
        raise BackupError(f"{backup_file} is the database itself: nothing to restore")


def _ids_given(target: Path) -> dict[str, int]:
    """The ids the live file gave out, after the backup too: never given again (none for a
    new file, or one that is no database: the copy into it says why)."""
    if not target.exists():
        return {}
    try:
        live = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return id_floors.sqlite_ids_given(live)
        finally:
            live.close()
    except sqlite3.Error:
        return {}


def _sqlite_restore(backup_file: Path, target: Path) -> None:
    wait = busy_wait_setting()
    given = _ids_given(target)
    if given:
        with _connect(str(backup_file)) as prepared:
            id_floors.sqlite_keep_ids_above(prepared, given)
            prepared.commit()
    create_private(target)  # a new database: owner only, as the backup is
    with _connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True) as src:
        try:
            dst = sqlite3.connect(str(target), timeout=wait)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore into {target}: {exc}") from exc
        try:
            _copy(src, dst)  # one write transaction on the target: all of it or nothing
            check = dst.execute("PRAGMA quick_check").fetchall()
        except _StillBusy:
            raise BackupError(
                f"cannot restore into {target}: another process kept the database locked for "
                f"writing for {wait:g} s (LOFTE_SQLITE_BUSY_WAIT; an ingest, a link or a "
                "server's write may be running); nothing was changed, try again"
            ) from None
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                raise
            raise BackupError(f"cannot restore into {target}: {exc}; nothing was changed") from exc
        finally:
            dst.close()
    if check != [("ok",)]:
        raise BackupError(f"the restored database at {target} fails its check: {check[0][0]}")


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_revision(path: Path, name: str | None = None) -> str:
    """The revision stored in a pg_dump archive (pg_restore reading it proves it intact)."""
    _run("pg_restore", "--list", str(path))
    text = _run("pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if (
            line.startswith("COPY ")
            and "alembic_version" in line
            and i + 1 < len(lines)
            and lines[i + 1] != "\\."
        ):
            return lines[i + 1].strip()
    raise BackupError(f"{name or path} is not a Löfte backup: it records no schema revision")


_ARCHIVE_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ", re.MULTILINE)


def _pg_restore(store: Store, path: Path, record: Callable[[Session], None]) -> None:
    """Replace the database's content with the archive's, migrate it, end every session and
    record the restore (`record`), all in one transaction: a kill at any moment leaves the
    old content or all of the new (QA: pg_restore, the migration, the sessions and the event
    each committed on their own, and a restore killed in between brought ended cookies back
    with no event). pg_restore cannot join a transaction of ours, so it only writes its SQL,
    which this connection runs."""
    # a database that cannot be used: the store's one-line error naming it, before the archive
    # is read (QA: pg_restore's own message, without the URL)
    with store.session() as session:
        session.execute(text("SELECT 1"))
    store.dispose()
    archived = set(_ARCHIVE_TABLE.findall(_run("pg_restore", "--list", str(path))))
    clean = ("--clean", "--if-exists", "--no-owner", "--no-privileges")
    # The file goes beside the backup, not into a /tmp that may be small (review).
    with _scratch_folder(path.parent) as folder:
        script = Path(folder) / "restore.sql"
        _run("pg_restore", *clean, f"--file={script}", str(path))
        try:
            with store.engine.connect() as connection, connection.begin():
                given = _pg_load(connection, script, archived)
                # pg_restore's SET search_path = '' and lock_timeout = 0 are the script's
                connection.exec_driver_sql("RESET ALL")
                config = _alembic_config(store.engine)
                config.attributes["connection"] = connection  # migrations in this transaction
                command.upgrade(config, "head")
                id_floors.postgres_keep_ids_above(connection, given)
                _finish(connection, record)
        except SQLAlchemyError as exc:
            if unreachable(exc):
                raise store_error(exc, store.url) from exc
            raise BackupError(
                f"cannot restore into {shown_url(store.url)}: {_reason(exc)}; nothing was changed"
            ) from exc


def _pg_load(connection: Connection, script: Path, archived: set[str]) -> dict[str, int]:
    """Run pg_restore's SQL (`script`) in `connection`'s transaction, after taking its locks;
    the ids the tables had given out, read under those locks (`id_floors`)."""
    # Every lock it needs first, waiting at most BUSY_TIMEOUT s (the script itself sets no
    # limit): the migrations' lock, then Löfte's tables that it drops.
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT}s'")
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    present = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    )
    # only Löfte's own tables: another program's in the same database are not ours to drop
    ours = sorted(present & (archived | set(Base.metadata.tables)))
    if ours:
        tables = ", ".join(f"public.{_quoted(t)}" for t in ours)
        connection.exec_driver_sql(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
    given = id_floors.postgres_ids_given(connection, set(ours))
    # A backup from an older Löfte lacks the tables later migrations made, and their foreign
    # keys on tables it replaces stopped pg_restore's --clean (QA: "cannot drop constraint
    # trackers_pkey"): dropped first; the migration makes them again.
    for table in sorted((present & set(Base.metadata.tables)) - archived):
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS public.{_quoted(table)} CASCADE")
    driver = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
    _run_script(driver, script)
    return given


_COPY_FROM_STDIN = re.compile(rb"COPY .+ FROM stdin;\n")
# psql's guard against a dump that would run its commands (pg_dump 15.14 and later); no
# psql runs this SQL
_PSQL_RESTRICT = re.compile(rb"\\(?:un)?restrict [0-9A-Za-z]+\n")
# pg_restore 17 and later write this whatever the server; a server before 17 has no such
# setting and would refuse the whole script (review)
_TRANSACTION_TIMEOUT = b"SET transaction_timeout = 0;\n"


def _run_script(driver: psycopg.Connection[Any], script: Path) -> None:
    """Run SQL as pg_restore writes it on the driver's connection, in its open transaction:
    the statements between two COPYs as one query, and each COPY's rows through the COPY
    protocol, a line at a time (a big archive never all in memory)."""
    import psycopg  # the driver of every PostgreSQL store (db.normalize_url)

    try:
        with driver.cursor() as cursor, script.open("rb") as lines:
            statements: list[bytes] = []
            for line in lines:
                if _COPY_FROM_STDIN.fullmatch(line):
                    if statements:
                        cursor.execute(b"".join(statements))
                        statements.clear()
                    with cursor.copy(line[: -len(b";\n")]) as copy:
                        for row in lines:
                            if row == b"\\.\n":  # the end of the rows
                                break
                            copy.write(row)
                        else:
                            raise BackupError(f"{script} ends inside the rows of {line!r}")
                elif not _PSQL_RESTRICT.fullmatch(line) and not (
                    line == _TRANSACTION_TIMEOUT and driver.info.server_version < 170000
                ):
                    statements.append(line)
            if statements:
                cursor.execute(b"".join(statements))
    except psycopg.Error as exc:
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BackupError(f"pg_restore's SQL failed: {why}; nothing was changed") from exc


@contextlib.contextmanager
def _scratch_folder(near: Path) -> Iterator[str]:
    """A private temporary folder beside `near` (the system's when that cannot be written)."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".lofte-restore-", dir=near)
    except OSError:
        scratch = tempfile.TemporaryDirectory(prefix="lofte-restore-")
    with scratch as folder:
        yield folder


def _run(tool: str, *args: str, store: Store | None = None) -> str:
    """Run a PostgreSQL client tool (on `store`'s database if given); its output, or a
    BackupError with the tool's own message."""
    argv, env = _command(tool, *args, store=store)
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env=env,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"{tool} failed: {exc}") from exc
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {_first_error(done.stderr, done.returncode)}")
    return done.stdout


def _first_error(stderr: str, code: int | None = None) -> str:
    """A client tool's first error line (else its first line, else its exit code)."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()] or lines
    return errors[0] if errors else f"exit code {code}"


def _command(tool: str, *args: str, store: Store | None = None) -> tuple[list[str], dict[str, str]]:
    """(argv, environment) of a PostgreSQL client tool, on `store`'s database if given."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            f"{tool} is not installed or not on PATH: install the PostgreSQL client tools "
            "(at least the server's version; Debian: postgresql-client)"
        )
    env = dict(os.environ)
    argv = [program, *args]
    if store is not None:
        url = make_url(store.url)
        # libpq's own URL; the password (also one in the query) goes through the environment,
        # not the process list
        secret = [key for key in url.query if key.lower() == "password"]
        password = url.password
        for key in secret:
            value = url.query[key]
            password = str(value if isinstance(value, str) else value[-1])
        libpq = (
            url.set(drivername="postgresql", password=None)
            .difference_update_query(secret)
            .render_as_string(hide_password=False)
        )
        if password is not None:
            env["PGPASSWORD"] = str(password)
        env["PGOPTIONS"] = f"-c lock_timeout={BUSY_TIMEOUT}s"
        argv.append(f"--dbname={libpq}")
    return argv, env
