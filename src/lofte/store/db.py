"""Engines, sessions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    URL,
    ColumnElement,
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    inspect,
    make_url,
)
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import InstrumentedAttribute, sessionmaker
from sqlalchemy.orm import Session as Session  # the type callers outside the store name
from sqlalchemy.orm import SessionTransaction as Savepoint  # noqa: F401 - begin_nested() gives it
from sqlalchemy.orm.exc import StaleDataError

from ..errors import (
    BusyError,
    ConfigError,
    ConflictError,
    MigrationError,
    StoreError,
    UnavailableError,
)
from .schema import utcnow as utcnow  # the store's clock (naive UTC), for callers outside it

_MIGRATIONS = Path(__file__).parent / "migrations"
# ids per IN (...) list: well under every database's parameter limit (SQLite's is 32,766 or
# 250,000 as built, PostgreSQL's 65,535), whatever a tracker holds
ID_CHUNK = 2000


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """`ids` sorted, in lists of at most ID_CHUNK: one IN (...) each (`among`)."""
    ordered = sorted(ids)
    for lo in range(0, len(ordered), ID_CHUNK):
        yield ordered[lo : lo + ID_CHUNK]


def among(column: InstrumentedAttribute[int], ids: list[int]) -> ColumnElement[bool]:
    """`column IN (ids)` with the ids written into the statement, not bound: PostgreSQL plans
    a statement sent five times as a prepared generic plan, which does not hash a list of
    parameters (35 chunks of 2,000 ids took 30 s to delete from 70,000 marks, as constants
    0.7 s). The ids are integers, so writing them in is safe."""
    return column.in_(
        bindparam("ids", [int(i) for i in ids], expanding=True, literal_execute=True, unique=True)
    )


SQLITE_BUSY_WAIT = 30.0  # seconds a SQLite statement waits for another process's lock
# (the default of LOFTE_SQLITE_BUSY_WAIT)


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` and `postgres://` URLs; use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shown_url(url: str | URL) -> str:
    """The URL as it may be shown to a person: the password hidden, also one given as the
    `password` query parameter (libpq reads it there too), and the rest of a password whose
    unencoded '@' made it look like part of the host."""
    parsed = make_url(normalize_url(url) if isinstance(url, str) else url)
    secret = [key for key in parsed.query if key.lower() == "password"]
    if secret:
        parsed = parsed.update_query_dict(dict.fromkeys(secret, "***"))
    if parsed.host and "@" in parsed.host:
        parsed = parsed.set(host=parsed.host.rsplit("@", 1)[1])
    shown = parsed.render_as_string(hide_password=True)
    return shown.replace("=%2A%2A%2A", "=***") if secret else shown  # as the password's ***


AT_IN_PASSWORD = (
    "the database URL has an unencoded '@' in its user name or password: write it as %40 "
    "(and ':' as %3A, '/' as %2F), e.g. postgresql://lofte:p%40ss@HOST/NAME"
)


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite database URL; None for PostgreSQL, in-memory and `file:` URIs."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database)


def unusable(url: str | URL, exc: SQLAlchemyError) -> StoreError:
    """The error for a database that cannot be opened or read, in one line: which database
    (its password hidden) and the driver's reason, without SQLAlchemy's background link; an
    UnavailableError when the database cannot be reached at all (`unreachable`)."""
    kind = UnavailableError if unreachable(exc) else BusyError if busy(exc) else StoreError
    return kind(f"cannot use the database {shown_url(url)}: {_reason(exc)}")


# SQLSTATEs of PostgreSQL that mean the server is not there for us (class 08: connection
# exceptions; a shutdown, a crash, a server still starting; no connection slot free).
_PG_UNAVAILABLE_CLASS = "08"
_PG_UNAVAILABLE = {"57P01", "57P02", "57P03", "53300"}


def unreachable(exc: SQLAlchemyError) -> bool:
    """Whether the error says the database cannot be reached, rather than that it refused an
    operation: no connection could be made (psycopg reports those without a SQLSTATE), the
    server closed it (SQLAlchemy marks the pool's connection invalidated), the server is
    shutting down or starting, or the SQLite file cannot be opened. A lock held too long is
    not one: the database answered."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):  # its name, when SQLite itself raised it
        return str(getattr(orig, "sqlite_errorname", None)).startswith("SQLITE_CANTOPEN")
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, (OperationalError, InterfaceError)) or not hasattr(orig, "sqlstate"):
        return False
    sqlstate = getattr(orig, "sqlstate", None)
    return (
        sqlstate is None
        or sqlstate.startswith(_PG_UNAVAILABLE_CLASS)
        or sqlstate in _PG_UNAVAILABLE
    )


# What a PostgreSQL server answers when it is up but will not let this login in: a mistake in
# the URL (password, user, database name, pg_hba.conf), not an outage. psycopg gives these no
# SQLSTATE, so the server's words are read (an English-speaking server: lc_messages).
_REFUSED_LOGIN = (
    "password authentication failed",
    "authentication failed for user",
    "does not exist",
    "no pg_hba.conf entry",
)


def refused_login(exc: BaseException) -> bool:
    """Whether the server answered the connection with a refusal of this login (FATAL: wrong
    password, unknown user or database): `serve` must not wait for that to heal (QA)."""
    text = str(exc)
    return "FATAL:" in text and any(words in text for words in _REFUSED_LOGIN)


READ_ONLY_HINT = (
    "the file or its folder cannot be written: Löfte writes to the database and "
    "beside it (SQLite's -wal and -shm files) even to read, so copy it to a writable folder "
    "(or `lofte restore` it into a writable store)"
)
CANTOPEN_HINT = (
    "check that the file and its folder exist and can be written by this user (a read-only "
    "disk or mount gives this too: " + READ_ONLY_HINT + ")"
)
FULL_HINT = "is the disk full or a file-size limit reached?"


def locked_hint(busy_wait: float | None = None) -> str:
    """What to do about a lock held longer than the wait: the wait in effect is named (QA: "30 s
    by default" was said with LOFTE_SQLITE_BUSY_WAIT=3). `busy_wait`: the store's own, when it
    was given one; else the setting."""
    if busy_wait is None:
        try:
            busy_wait = busy_wait_setting()
        except ConfigError:  # a malformed setting is said where it is read, not here
            busy_wait = SQLITE_BUSY_WAIT
    return (
        f"another process kept it locked for writing longer than Löfte waits "
        f"(LOFTE_SQLITE_BUSY_WAIT: {busy_wait:g} s): an ingest, a link or a restore may be "
        "running; try again when it is done"
    )


def busy(exc: SQLAlchemyError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock (SQLITE_BUSY, "database is
    locked"): the database answered, and the same operation may work once the lock is gone."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    return str(getattr(orig, "sqlite_errorname", "")).startswith("SQLITE_BUSY")


# SQLite's names for a write the disk did not take: "database or disk is full" (also a file-size
# limit, EFBIG, on some systems) and "disk I/O error" (a write or fsync that failed: ENOSPC on
# the -wal file, EFBIG past `ulimit -f`); PostgreSQL's SQLSTATE disk_full.
_SQLITE_FULL = ("SQLITE_FULL", "SQLITE_IOERR")
_SQLITE_FULL_WORDS = ("database or disk is full", "disk i/o error")
_PG_DISK_FULL = "53100"


def storage_full(exc: BaseException | None) -> bool:
    """Whether the error says the disk took no more (full, a file-size limit, a failing write):
    then no later write can succeed either, and a batch stops rather than fail each input."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EFBIG):
        return True
    if getattr(orig, "sqlstate", None) == _PG_DISK_FULL:
        return True
    if not isinstance(orig, sqlite3.Error):
        return False
    name = str(getattr(orig, "sqlite_errorname", None) or "")
    # the name, when SQLite raised it; the words, for one the driver made without a name
    return name.startswith(_SQLITE_FULL) or any(w in str(orig).lower() for w in _SQLITE_FULL_WORDS)


def stops_writes(exc: BaseException) -> bool:
    """Whether a store error means that no write can succeed now, whatever is written: the
    database cannot be reached (or its SQLite file is gone), or its disk is full. A command
    writing many inputs stops at the first such error instead of failing every input after it
    with the same line (QA: "disk I/O error" 2,162 times)."""
    if isinstance(exc, UnavailableError):
        return True
    return isinstance(exc, StoreError) and storage_full(exc.__cause__)


def _reason(exc: SQLAlchemyError, busy_wait: float | None = None) -> str:
    """The driver's own reason, first line only (no SQLAlchemy background link), with what to
    do for those an operator meets most: a read-only file or folder, a lock held too long
    (`busy_wait`: the store's wait, when known), a full disk."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    lines = str(orig if orig is not None else exc).strip().splitlines()
    reason = lines[0] if lines else str(exc)
    name = getattr(orig, "sqlite_errorname", None)
    if name is not None and name.startswith("SQLITE_READONLY"):
        return f"{reason}: {READ_ONLY_HINT}"
    if name is not None and name.startswith("SQLITE_BUSY"):
        return f"{reason}: {locked_hint(busy_wait)}"
    if storage_full(exc):
        return f"{reason} ({FULL_HINT})"
    if name is not None and name.startswith("SQLITE_CANTOPEN"):
        # what a read-only mount gives (the -shm file cannot be made), as do a missing folder
        # and a file of the wrong owner: QA saw only "unable to open database file"
        return f"{reason}: {CANTOPEN_HINT}"
    return reason


# The driver's errors, for a layer that must answer one that reached it unmapped (the web
# app's last handler) without importing the driver itself: it is the store's to know.
DriverError = SQLAlchemyError


def discard(session: Session) -> None:
    """Roll back what the session holds, even when Ctrl-C left it half-changed."""
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - interrupted inside a commit: it refuses a rollback
        # closing its connection discards the transaction on the database's side instead
        session.invalidate()


def hold_write_lock(session: Session) -> None:
    """Take the database's write lock now, before reading what a write will rest on (a count
    that a write must not take below a bound). The SQLite driver begins a transaction only at
    the first write, so a count read before it saw the database as it was then, and another
    process could change it in between: BEGIN IMMEDIATE, unless the session already holds a
    transaction (it then wrote, and holds the lock). PostgreSQL locks the rows read instead
    (`FOR UPDATE` in the query)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def busy_wait_setting() -> float:
    """LOFTE_SQLITE_BUSY_WAIT: seconds a SQLite statement waits for another process's lock.
    Read afresh, not through `get_settings`: opening a store must not fix the process's
    settings before the command that opened it has read its own."""
    from ..config import read_settings  # here: the settings module is not the store's to import

    return read_settings().sqlite_busy_wait


MALFORMED_URL = (
    "the database URL is malformed: use sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/NAME"
)


def make_engine(url: str, busy_wait: float | None = None) -> Engine:
    """An engine for `url`; a SQLite statement waits `busy_wait` seconds for another
    process's lock (default: LOFTE_SQLITE_BUSY_WAIT) before failing with BusyError."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        # Not quoted: a URL that does not parse cannot have its password hidden.
        raise ConfigError(MALFORMED_URL) from exc
    if parsed.host and "@" in parsed.host:  # not shown: the part after the '@' is secret
        raise ConfigError(AT_IN_PASSWORD)
    if not url.startswith(("sqlite", "postgresql")):
        shown = shown_url(parsed)
        raise ConfigError(f"unsupported database URL {shown!r}: use sqlite:/// or postgresql://")
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        # QA: postgresql+psycopg2:// (the tutorials' form) ended in a 122-line traceback
        shown = shown_url(parsed)
        raise ConfigError(
            f"database URL {shown!r} names the driver {parsed.get_driver_name()!r}: Löfte "
            "connects with psycopg 3, so write postgresql://… or postgresql+psycopg://…"
        )
    if parsed.get_backend_name() == "sqlite" and (parsed.host or parsed.port):
        # sqlite://lofte.db (two slashes): SQLAlchemy's ArgumentError came as a traceback
        raise ConfigError(f"{MALFORMED_URL} (got {shown_url(parsed)!r})")
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        if busy_wait is None:
            busy_wait = busy_wait_setting()
        kwargs["connect_args"] = {"timeout": busy_wait, "check_same_thread": False}
    else:
        # A pooled connection the server closed (a restart, a failover, an admin's
        # pg_terminate_backend, an idle timeout) is tested when taken from the pool and
        # replaced, instead of failing the next request of every worker: one round trip.
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        wait = float(kwargs["connect_args"]["timeout"])
        event.listen(engine, "connect", lambda conn, record: _sqlite_pragmas(conn, record, wait))
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, busy_wait: float = SQLITE_BUSY_WAIT) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    _wal(cursor, busy_wait)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _wal(cursor: Any, busy_wait: float = SQLITE_BUSY_WAIT) -> None:
    """Switch the file to WAL, waiting as long as for any lock (`busy_wait`).

    The switch needs the file to itself, and SQLite answers it SQLITE_BUSY at once instead of
    calling the busy handler: a process opening a new file while another was creating the
    schema in it failed on its first statement ("database is locked", no wait). Once the
    file is in WAL mode the pragma is a plain read and never busy."""
    deadline = time.monotonic() + busy_wait
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_BUSY")
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _alembic_config(engine: Engine | None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


# The key of the PostgreSQL advisory lock migrations hold: any constant of 64 bits that no
# other program on the same database uses ("Löfte" in ASCII, more or less).
_MIGRATION_LOCK = 0x4C6F656674650001


def migrate(engine: Engine) -> str | None:
    """Bring the schema to the newest revision (creates it on an empty database). Returns the
    revision it found, read under the migration's lock: None when it created the schema.
    (Read before the lock, two `lofte init` at once both said "created".)"""
    path = sqlite_file(engine.url)
    if path is not None and not path.parent.is_dir():  # SQLite would only say "unable to open"
        why = (
            f"{path.parent} is not a folder"
            if path.parent.exists()
            else f"the folder {path.parent} does not exist"
        )
        raise StoreError(f"cannot create the database {path}: {why}")
    if path is not None:
        create_private(path)  # before anything opens it, which would create it world-readable
    current = current_revision(engine)  # (a file that is no database: said plainly there)
    if current is None:
        refuse_foreign_tables(engine)
    elif not is_known_revision(current):  # alembic would fail with a traceback
        raise MigrationError(unknown_revision(f"the database {shown_url(engine.url)}", current))
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Foreign keys off while migrating (SQLite's own recipe for altering tables):
                # a batch migration copies a table, drops it and renames the copy, and with
                # them on, dropping a parent (trackers, documents) deletes its rows and so
                # cascades into every child table, or fails ("database table is locked") on a
                # populated store. The pragma is a no-op inside a transaction: set it before.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                # The driver (pysqlite) runs DDL outside any transaction, so two processes
                # migrating a new file at once each created the tables ("table
                # alembic_version already exists") or met the other's half-made schema.
                # BEGIN IMMEDIATE takes the write lock before the first read, waiting (the
                # busy timeout) while another process migrates; its whole schema is then
                # seen and there is nothing left to do. One transaction: all or nothing.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                # PostgreSQL's DDL is transactional, but two transactions creating the same
                # tables collide ("duplicate key … pg_type_typname_nsp_index"): this lock,
                # held to the commit, makes the second wait and then find the schema made.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            found = MigrationContext.configure(connection).get_current_revision()
            config = _alembic_config(engine)
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, "head")
                if connection.dialect.name == "sqlite":
                    _check_foreign_keys(connection)
                connection.commit()
            finally:
                if connection.dialect.name == "sqlite":
                    connection.rollback()  # nothing after a commit; the pragma needs no transaction
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
        return found
    except SQLAlchemyError as exc:
        if unreachable(exc):  # the server went away meanwhile: not a broken migration
            raise unusable(engine.url, exc) from exc
        raise MigrationError(f"migration failed: {_reason(exc)}") from exc


def create_private(path: Path) -> None:
    """Create a new SQLite file readable by its owner only (SQLite gives its -wal and -shm
    files the same mode): it holds the accounts' password hashes, as a backup does (QA: 644).
    An existing file keeps its mode."""
    with contextlib.suppress(OSError):  # there already, or not creatable: SQLite says why
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a migration that left a row pointing at a missing one (checked here
    because the migration ran with SQLite's foreign keys off)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise MigrationError(
            f"migration failed: {len(broken)} rows refer to missing rows (in {', '.join(tables)})"
        )


def head_revision() -> str:
    """The newest schema revision this Löfte knows."""
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """Whether `revision` is one of this Löfte's migrations (a newer Löfte's is not)."""
    script = ScriptDirectory.from_config(_alembic_config(None))
    return any(r.revision == revision for r in script.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None when it holds no Löfte schema.

    A SQLite file that does not exist is not opened (that would create it, empty); a database
    that cannot be opened or read is a StoreError naming it."""
    path = sqlite_file(engine.url)
    if path is not None and not path.exists():
        return None
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise unusable(engine.url, exc) from exc


def refuse_foreign_tables(engine: Engine) -> None:
    """StoreError for a database that holds tables but no Löfte schema: another program's
    (QA: `lofte init` on a browser's history file added Löfte's tables beside its own, and
    `lofte restore` into it wiped them). A mistyped `--db` must not change it."""
    try:
        names = sorted(inspect(engine).get_table_names())
    except SQLAlchemyError as exc:
        raise unusable(engine.url, exc) from exc
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise StoreError(
            f"{shown_url(engine.url)} holds another program's tables ({shown}) and no Löfte "
            "database: left untouched; name an empty or new database"
        )


def unknown_revision(where: str, revision: str) -> str:
    """What to say of a database or backup (`where`) at a revision this Löfte does not know:
    `lofte init` cannot help there (QA: it was advised, and then failed with a traceback)."""
    return (
        f"{where} holds schema revision {revision}, which this Löfte does not know "
        "(made by a newer version?)"
    )


def check_revision(engine: Engine) -> None:
    """Raise MigrationError unless the database is at the newest revision."""
    path = sqlite_file(engine.url)
    if path is not None and not path.parent.is_dir():  # `lofte init` cannot make it there
        raise MigrationError(
            f"there is no database at {path}: the folder {path.parent} does not exist"
        )
    if path is not None and not path.exists():
        raise MigrationError(f"there is no database at {path}: run `lofte init`")
    if path is not None and path.is_file() and path.stat().st_size == 0:
        # opening it would make it a database (WAL mode writes a header): a read-only
        # command must leave someone's empty file as it was
        raise MigrationError(f"{path} is an empty file, not a database: run `lofte init`")
    head = ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()
    current = current_revision(engine)
    if current is not None and not is_known_revision(current):
        raise MigrationError(unknown_revision(f"the database {shown_url(engine.url)}", current))
    if current is None:
        # QA: another program's database was sent to `lofte init`, which then refused it
        refuse_foreign_tables(engine)
    if current != head:  # which database: --db, the setting and a .env may each name one (QA)
        raise MigrationError(
            f"the database {shown_url(engine.url)} is at revision {current or 'none'}, this "
            f"Löfte needs {head}: run `lofte init`"
        )
    if path is not None:
        refuse_read_only(path, engine.url)


def refuse_read_only(path: Path, url: str | URL) -> None:
    """StoreError when the SQLite file can be read but not written (a read-only file in a
    writable folder): reads work, so `serve` started and gave 500 at the first login (QA).
    SQLite opens such a file read-only without a word, and in WAL mode even takes the write
    lock; the first statement that writes is refused, so one that changes nothing is tried and
    rolled back. Another process's write lock (busy) means the file can be written: not waited
    for."""
    try:
        probe = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error:
        return  # the engine's own open has said what is wrong, or will
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("DELETE FROM alembic_version WHERE 0")  # a write that changes nothing
        probe.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY"):
            raise StoreError(
                f"cannot use the database {shown_url(url)}: {READ_ONLY_HINT}"
            ) from None
    finally:
        probe.close()


# SQLSTATEs of PostgreSQL that mean "another transaction got there first": trying again is safe.
_PG_UNIQUE = "23505"
_PG_RETRYABLE = {
    "40001": "a concurrent transaction",
    "40P01": "a deadlock with a concurrent transaction",
}
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
STALE_MESSAGE = (
    "this record was changed by someone else while your change was being saved; "
    "reload it and apply your change again"
)


def store_error(
    exc: SQLAlchemyError, url: str | URL | None = None, *, busy_wait: float | None = None
) -> StoreError:
    """The Löfte error for a database error: no SQL, parameters or driver class names.

    A database that cannot be reached is an UnavailableError naming it by `url` (its password
    hidden), so the web answers 503 and the CLI says which database it could not reach. A lock
    held too long names `busy_wait`, the seconds waited (default: the setting); a full disk
    says so (`stops_writes`).

    A version check that matched no row (StaleDataError: the ORM's `UPDATE … WHERE version=?`
    of a versioned record) and a unique key someone else stored first are ConflictErrors, so
    the web answers 409 and a batch can retry the input.
    """
    if isinstance(exc, StaleDataError):
        return ConflictError(STALE_MESSAGE)
    if unreachable(exc):
        where = f" {shown_url(url)}" if url is not None else ""
        return UnavailableError(f"cannot use the database{where}: {_reason(exc)}")
    if busy(exc):
        return BusyError(f"the database is busy: {_reason(exc, busy_wait)}")
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(exc, IntegrityError) and (
        sqlstate == _PG_UNIQUE or getattr(orig, "sqlite_errorname", None) in _SQLITE_UNIQUE
    ):
        return ConflictError(
            f"{_unique_key(orig)} was stored meanwhile by another writer; try again"
        )
    if sqlstate in _PG_RETRYABLE:
        return ConflictError(f"the change collided with {_PG_RETRYABLE[sqlstate]}; try again")
    return StoreError(f"the database refused the operation: {_reason(exc)}")


def _unique_key(orig: object) -> str:
    """What was unique, from the driver's report: a constraint name or table.column."""
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    if constraint:
        return f"a record with the same key ({constraint})"
    text = str(orig)
    if ":" in text:
        return f"a record with the same key ({text.split(':', 1)[1].strip()})"
    return "a record with the same key"


class Store:
    """An engine plus a session factory; `session()` is a unit of work (commit or roll back)."""

    def __init__(self, url: str, *, busy_wait: float | None = None) -> None:
        self.url = normalize_url(url)
        self.busy_wait = busy_wait  # None: the setting's (read by make_engine, and by messages)
        self.engine = make_engine(self.url, busy_wait)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._file = _sqlite_file(self.url)
        self.migrated_from: str | None = None  # what `migrate` found (None: it made the schema)
        # (device, inode) of the file the pool's connections hold; None: none holds one
        self._file_seen: tuple[int, int] | None = None
        self._file_opened = False  # one was: when none is at the path, none is made anew

    def check_file(self) -> None:
        """A SQLite file deleted, moved away or replaced while this store is open: the open
        connections still read and write the old file, so every answer looked fine and every
        write was lost (QA: `/healthz` said ok after `rm -rf` of the folder; `lofte ingest`
        said "inserted 9002" into a deleted file). One stat: `session()` calls it for each
        session, and a caller of `new_session()` again after a commit it must trust (ingest:
        per batch). UnavailableError naming the database when the file at the path is not
        the one this store's connections opened."""
        if self._file is None:
            return
        try:
            stat = self._file.stat()
        except OSError:
            found = None
        else:
            found = (stat.st_dev, stat.st_ino)
        if found is None and not self._file_opened:
            return  # never opened here: SQLite (or `check_revision`) says what is wrong
        if found is not None and self._file_seen in (None, found):
            self._file_seen, self._file_opened = found, True
            return
        # The pool's connections hold the old file open: a file put back (or restored) is then
        # opened anew, not the old one written on unseen. While none is there, none is made.
        self.engine.dispose()
        self._file_seen = found
        raise UnavailableError(
            f"cannot use the database {shown_url(self.url)}: its file is gone (deleted, moved "
            "or replaced while in use); put it back or restore a backup"
        )

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        self.check_file()
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            discard(session)
            raise store_error(exc, self.url, busy_wait=self.busy_wait) from exc
        except BaseException:
            discard(session)
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A unit of work that reads, and sees the database as it was at its first read
        whatever others commit meanwhile (QA: `audit verify` read the chain's head, its events
        and the data in separate statements while editors saved, and reported tampering 19 of
        20 times; an export refused 8 of 8): a transaction begun before the first read on
        SQLite (its read snapshot; the driver begins one only at a write), REPEATABLE READ,
        READ ONLY on PostgreSQL (READ COMMITTED reads each statement's own moment)."""
        with self.session() as session:
            connection = session.connection()
            if connection.dialect.name == "sqlite":
                if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
                    connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield session

    def new_session(self) -> Session:
        """A session the caller commits or rolls back, and closes (`session()` does both).
        The file is checked as by `session()`; a caller that commits more than once in it, or
        must know its commit reached the file, calls `check_file()` again after the commit."""
        self.check_file()
        return self._sessions()

    def migrate(self) -> str | None:
        """The schema brought to the newest revision; the revision it was at (None: new)."""
        self.migrated_from = migrate(self.engine)
        return self.migrated_from

    def check(self) -> None:
        check_revision(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        self._file_seen = None  # no connection holds the file: a restored one is opened anew

    def after_fork(self) -> None:
        """In a forked child: open connections of its own, leaving the parent's untouched
        (SQLAlchemy's recipe for engines shared across fork)."""
        self.engine.dispose(close=False)


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or one in memory."""
    parsed = make_url(url)
    database = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or database in ("", ":memory:"):
        return None
    if database.startswith("file:") or parsed.query.get("mode") == "memory":
        return None
    return Path(database).absolute()


def open_store(url: str, *, create: bool = False) -> Store:
    """A store at `url`; with `create`, migrate it first, else insist it is up to date.
    Creating is refused for a SQLite database in memory (`sqlite:///`, `sqlite:///:memory:`):
    it is gone when the command ends (QA: `lofte init` said "database ready")."""
    store = Store(url)
    if create and store.engine.dialect.name == "sqlite" and store._file is None:
        store.dispose()
        shown = url if "@" not in url else shown_url(url)  # as typed (":memory:" unquoted)
        raise ConfigError(
            f"the database URL {shown!r} names no file, so nothing would be kept: "
            "use sqlite:///PATH (e.g. sqlite:///lofte.db)"
        )
    if create:
        store.migrate()
    else:
        store.check()
    return store
