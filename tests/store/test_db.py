"""Migrations and engines, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from lofte.errors import ConfigError, MigrationError, StoreError, UnavailableError
from lofte.store.db import (
    Store,
    current_revision,
    make_engine,
    migrate,
    normalize_url,
    open_store,
    shown_url,
)
from lofte.store.schema import Base

TABLES = {
    "trackers",
    "sources",
    "raw_blobs",
    "documents",
    "pledges",
    "evidence",
    "verdicts",
    "users",
    "audit_events",
    "stage_marks",
}


def test_migrations_create_the_schema_from_empty(store: Store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert names >= TABLES
    assert "alembic_version" in names


def test_migrated_schema_equals_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if not _search_index(d)] == []


def _search_index(change: object) -> bool:
    """The full-text index lives outside the models: FTS5 tables (migration 0003), and the
    generated `search_vector` columns with their GIN indexes (0010, PostgreSQL)."""
    items = change[1:] if isinstance(change, tuple) else ()
    names = [getattr(item, "name", "") or "" for item in items]
    return any("_fts" in name or "search_vector" in name for name in names)


def test_the_search_index_is_created_by_the_migrations(store: Store) -> None:
    insp = inspect(store.engine)
    if store.engine.dialect.name == "sqlite":
        assert {"documents_fts", "pledges_fts"} <= set(insp.get_table_names())
    else:
        for table in ("documents", "pledges"):
            assert f"ix_{table}_search_vector" in {i["name"] for i in insp.get_indexes(table)}
            assert "search_vector" in {c["name"] for c in insp.get_columns(table)}


def test_every_table_has_created_and_modified_times(store: Store) -> None:
    insp = inspect(store.engine)
    for table in TABLES:
        columns = {c["name"] for c in insp.get_columns(table)}
        assert {"created_at", "modified_at"} <= columns, table


def test_derived_tables_name_their_stage_and_version(store: Store) -> None:
    insp = inspect(store.engine)
    for table in ("documents", "pledges", "evidence"):
        columns = {c["name"] for c in insp.get_columns(table)}
        assert {"stage", "stage_version"} <= columns, table


def test_migrating_twice_is_harmless(store: Store) -> None:
    store.migrate()
    store.check()


def test_opening_an_unmigrated_database_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MigrationError, match="lofte init"):
        open_store(f"sqlite:///{tmp_path / 'empty.db'}")


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "saknas.db"
    with pytest.raises(MigrationError, match=f"no database at {re.escape(str(missing))}.*init"):
        open_store(f"sqlite:///{missing}")
    assert current_revision(make_engine(f"sqlite:///{missing}")) is None
    assert not missing.exists()  # opening it would have left an empty file behind


@pytest.mark.parametrize("create", [False, True])
def test_a_file_that_is_no_database_is_one_line_naming_it(tmp_path: Path, create: bool) -> None:
    other = tmp_path / "notdb.db"
    other.write_text("hej\n", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{other}", create=create)
    message = str(caught.value)
    assert message == f"cannot use the database sqlite:///{other}: file is not a database"
    assert other.read_text(encoding="utf-8") == "hej\n"


def test_creating_a_database_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "saknas" / "x.db"
    with pytest.raises(StoreError, match=f"the folder {re.escape(str(target.parent))} does not"):
        open_store(f"sqlite:///{target}", create=True)
    (tmp_path / "fil").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="fil is not a folder"):
        open_store(f"sqlite:///{tmp_path / 'fil' / 'x.db'}", create=True)


@pytest.mark.parametrize("create", [False, True])
def test_an_unreachable_postgres_server_is_named_without_its_password(create: bool) -> None:
    with pytest.raises(StoreError) as caught:  # port 1: nothing listens, refused at once
        open_store("postgresql://lofte:hemligt@127.0.0.1:1/lofte", create=create)
    message = str(caught.value)
    assert message.startswith("cannot use the database postgresql+psycopg://lofte:***@127.0.0.1:1")
    assert "hemligt" not in message and "\n" not in message


def test_an_unreachable_server_is_unavailable_whether_opened_or_in_a_session() -> None:
    """One error of the hierarchy for a database that cannot be reached, at start or at any
    later query: the web answers it 503, the CLI one line naming the (hidden-password) URL."""
    from lofte.store.trackers import list_trackers

    url = "postgresql://lofte:hemligt@127.0.0.1:1/lofte"
    with pytest.raises(UnavailableError):
        open_store(url)
    store = Store(url)  # opened while the server was up; it is down now
    try:
        with pytest.raises(UnavailableError) as caught, store.session() as session:
            list_trackers(session)
    finally:
        store.dispose()
    message = str(caught.value)
    assert message.startswith("cannot use the database postgresql+psycopg://lofte:***@127.0.0.1:1")
    assert "Connection refused" in message
    assert "hemligt" not in message and "\n" not in message


def test_a_sqlite_file_that_cannot_be_opened_is_unavailable_until_it_can(tmp_path: Path) -> None:
    """The folder of the database gone (an unmounted volume): unavailable, and the same store
    works again once it is back, without a restart."""
    from lofte.store.trackers import list_trackers

    folder = tmp_path / "data"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'lofte.db'}", create=True)
    try:
        store.dispose()  # the pool's open files would outlive the folder
        folder.rename(tmp_path / "away")
        gone = pytest.raises(UnavailableError, match="unable to open database file")
        with gone, store.session() as session:
            list_trackers(session)
        (tmp_path / "away").rename(folder)
        with store.session() as session:
            assert list_trackers(session) == []
    finally:
        store.dispose()


def _locked_insert_error(path: Path) -> Exception:
    """The driver's real `database is locked`, from an INSERT while another connection holds the lock."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as raw:
        waiter.execute("INSERT INTO t VALUES (1)")
    holder.rollback()
    holder.close()
    waiter.close()
    return OperationalError("INSERT", {}, raw.value)


def test_a_lock_held_too_long_is_not_unavailability(tmp_path: Path) -> None:
    """The database answered, it was busy: a StoreError saying so, not the 503 kind."""
    from lofte.store.db import store_error

    path = tmp_path / "busy.db"
    error = store_error(_locked_insert_error(path), f"sqlite:///{path}")
    assert not isinstance(error, UnavailableError) and "database is locked" in str(error)


def test_only_connection_errors_are_unavailability(tmp_path: Path) -> None:
    """SQLite's own errors other than a file it cannot open, and one the sqlite3 module raised
    without SQLite's error name, are the database answering: not the 503 kind."""
    import sqlite3

    from sqlalchemy.exc import InterfaceError, OperationalError

    from lofte.store.db import store_error

    store = open_store(f"sqlite:///{tmp_path / 'ok.db'}", create=True)
    try:
        with pytest.raises(StoreError) as caught, store.session() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    finally:
        store.dispose()
    assert not isinstance(caught.value, UnavailableError)
    for wrapper in (OperationalError, InterfaceError):
        raw = wrapper("SELECT 1", {}, sqlite3.InterfaceError("unsupported"))
        assert not isinstance(store_error(raw), UnavailableError)


def test_a_malformed_or_foreign_url_is_refused_without_its_password() -> None:
    for url in (
        "postgresql://lofte:hemligt@h:port/x",
        "nonsense:hemligt",
        "mysql://u:hemligt@h/db",
    ):
        with pytest.raises(ConfigError) as caught:
            open_store(url)
        assert "hemligt" not in str(caught.value), url


def test_sqlite_uses_wal_and_foreign_keys(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(store: Store) -> None:
    from lofte.store.schema import SourceRow

    with pytest.raises(StoreError), store.session() as session:
        session.add(SourceRow(tracker_id=999, name="x", kind="news"))


def test_postgres_urls_use_psycopg3() -> None:
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_other_databases_are_refused() -> None:
    with pytest.raises(ConfigError):
        make_engine("mysql://u@h/db")


@pytest.mark.parametrize("driver", ["psycopg2", "asyncpg", "pg8000"])
def test_another_postgresql_driver_is_refused_saying_what_to_write(driver: str) -> None:
    """QA, an admin moving to PostgreSQL: postgresql+psycopg2:// (the form most tutorials
    give) ended in a traceback of a missing module."""
    with pytest.raises(ConfigError, match=r"psycopg 3, so write postgresql://") as caught:
        open_store(f"postgresql+{driver}://lofte:hemligt@127.0.0.1/lofte")
    assert "hemligt" not in str(caught.value) and f"'{driver}'" in str(caught.value)
    assert make_engine("postgresql+psycopg://u@127.0.0.1/db").dialect.driver == "psycopg"


def test_a_duplicate_key_is_a_conflict_without_driver_text(store: Store) -> None:
    from lofte.errors import ConflictError
    from lofte.store.schema import TrackerRow

    with store.session() as session:
        session.add(TrackerRow(slug="dubbel", name="Dubbel"))
    with pytest.raises(ConflictError) as caught, store.session() as session:
        session.add(TrackerRow(slug="dubbel", name="Dubbel igen"))
    message = str(caught.value)
    assert "stored meanwhile" in message
    assert not any(
        raw in message for raw in ("INSERT", "IntegrityError", "UniqueViolation", "[SQL")
    )


def test_other_database_errors_are_one_line_without_sql(store: Store) -> None:
    from lofte.store.schema import SourceRow

    with pytest.raises(StoreError) as caught, store.session() as session:
        session.add(SourceRow(tracker_id=999, name="x", kind="news"))
    message = str(caught.value)
    assert "\n" not in message and "INSERT" not in message and "[SQL" not in message


def test_a_read_only_sqlite_store_says_what_to_do(tmp_path: Path) -> None:
    """A store that cannot be written (here opened read-only, as a read-only folder or mount
    does): Löfte writes even to read (WAL), so the error says so and what to do, in one line."""
    import sqlite3

    path = tmp_path / "kopia.db"
    open_store(f"sqlite:///{path}", create=True).dispose()
    plain = sqlite3.connect(path)  # as `lofte backup` writes it: one file, no WAL
    plain.execute("PRAGMA journal_mode=DELETE")
    plain.close()
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    message = str(caught.value)
    assert "readonly" in message and "\n" not in message
    assert "cannot be written" in message and "copy it to a writable folder" in message


def test_a_lock_held_too_long_says_another_process_has_it(tmp_path: Path) -> None:
    """`database is locked` after the wait names the likely cause and what to do."""
    from lofte.store.db import store_error

    message = str(store_error(_locked_insert_error(tmp_path / "last.db")))
    assert "database is locked" in message and "another process" in message
    assert "try again" in message and "INSERT" not in message


def _terminate_other_connections(store: Store) -> int:
    """What a restart of the database server does to a running program: every connection it
    holds is closed by the server (here only this role's connections to this database: a
    superuser's, such as an autovacuum worker or the host's own session, cannot be ended)."""
    from sqlalchemy import create_engine

    killer = create_engine(store.url)
    try:
        with killer.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND usename = current_user "
                        "AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
            )
    finally:
        killer.dispose()


@pytest.mark.postgres
def test_a_store_recovers_when_the_server_closed_its_connections(postgres_store: Store) -> None:
    """After the database restarted under `lofte serve`, the next request works: a pooled
    connection the server closed is noticed and replaced, not handed out to fail."""
    from lofte.store.trackers import list_trackers

    with postgres_store.session() as session:  # a connection now sits in the pool
        list_trackers(session)
    assert _terminate_other_connections(postgres_store) >= 1
    with postgres_store.session() as session:
        list_trackers(session)


@pytest.mark.parametrize("create", [False, True])
def test_a_password_in_the_urls_query_is_hidden_too(create: bool) -> None:
    """libpq takes the password as a query parameter as well (`?password=…`): hidden there."""
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://lofte@127.0.0.1:1/lofte?password=hemligt", create=create)
    message = str(caught.value)
    assert "hemligt" not in message and "password=***" in message
    assert shown_url("postgresql://lofte@h/db?sslmode=require&password=hemligt") == (
        "postgresql+psycopg://lofte@h/db?password=***&sslmode=require"
    )


def test_an_unencoded_at_in_the_password_says_to_encode_it_without_showing_it() -> None:
    """`postgresql://lofte:hem@ligt@host/db` splits at the first '@': the rest of the password
    would be shown as part of the host. Refused, naming the fix, without the URL."""
    with pytest.raises(ConfigError) as caught:
        open_store("postgresql://lofte:hem@ligt@127.0.0.1:1/lofte")
    message = str(caught.value)
    assert "%40" in message and "ligt" not in message and "hem" not in message
    assert "ligt" not in shown_url("postgresql://lofte:hem@ligt@127.0.0.1/lofte")


@pytest.mark.postgres
def test_a_backup_error_hides_a_password_given_in_the_query() -> None:
    from sqlalchemy import make_url as parse

    from lofte.errors import BackupError
    from lofte.store.backup import backup
    from tests.conftest import _postgres_url, _reset_postgres

    db_url = _postgres_url()
    if not db_url:
        pytest.skip("PostgreSQL not configured: set LOFTE_TEST_POSTGRES_URL (CI does)")
    _reset_postgres(db_url)  # an empty database: nothing to back up
    url = parse(normalize_url(db_url))
    assert url.password, "the test database's URL gives a password"
    in_query = url.set(password=None).update_query_dict({"password": url.password})
    store = Store(in_query.render_as_string(hide_password=False))
    try:
        with pytest.raises(BackupError) as caught:
            backup(store, Path("unused.dump"))
    finally:
        store.dispose()
    assert f"password={url.password}" not in str(caught.value)
    assert "password=***" in str(caught.value)


def test_an_sqlite_file_that_cannot_be_opened_says_what_to_check() -> None:
    """QA: a store on a read-only mount said only "unable to open database file" (SQLite's
    CANTOPEN: its -shm file cannot be made), though the docs promise the error says so."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from lofte.store.db import _reason

    orig = sqlite3.OperationalError("unable to open database file")
    orig.sqlite_errorname = "SQLITE_CANTOPEN"  # type: ignore[attr-defined]
    reason = _reason(OperationalError("SELECT 1", {}, orig))
    assert reason.startswith("unable to open database file: check that the file and its folder")
    assert "read-only" in reason


def test_another_programs_database_is_left_untouched(db_url: str, tmp_path: Path) -> None:
    """QA: `lofte init` on a browser's history file added Löfte's tables beside its own, and
    `lofte restore` into it wiped them: a mistyped --db must not change it."""
    from lofte.store.backup import backup, restore

    good = tmp_path / "good.backup"
    if db_url.startswith("sqlite"):
        backup(open_store(f"sqlite:///{tmp_path / 'l.db'}", create=True), good)
    else:  # a pg_dump of a Löfte database, then the schema another program's
        made = open_store(db_url, create=True)
        backup(made, good)
        made.dispose()
        with make_engine(db_url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)"))
        conn.execute(text("INSERT INTO moz_places (id, url) VALUES (1, 'https://ekby.example/')"))
    with pytest.raises(StoreError, match=r"another program's tables \(moz_places\)"):
        migrate(engine)
    # on PostgreSQL too (QA: the restore dropped the other program's tables, CASCADE)
    with pytest.raises(StoreError, match="another program's tables"):
        restore(Store(db_url), good)
    assert inspect(engine).get_table_names() == ["moz_places"]
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT url FROM moz_places")).scalar_one() == "https://ekby.example/"
        )
    engine.dispose()


@pytest.mark.parametrize("revision", ["1f2e3d4c5b6a", "0007"])
def test_another_alembic_programs_database_is_not_restored_over(
    db_url: str, tmp_path: Path, revision: str
) -> None:
    """Review: a program that Alembic manages too has a revision (its own, or one numbered as
    Löfte's are), so the check above let a restore drop its `users` table."""
    from lofte.store.backup import backup, restore

    good = tmp_path / "good.backup"
    made = open_store(
        f"sqlite:///{tmp_path / 'l.db'}" if "sqlite" in db_url else db_url, create=True
    )
    backup(made, good)
    made.dispose()
    engine = make_engine(db_url)
    if not db_url.startswith("sqlite"):
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO users (id, name) VALUES (1, 'Kalle')"))
    with pytest.raises(StoreError, match=r"another program's tables \(alembic_version, users\)"):
        restore(Store(db_url), good)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM users")).scalar_one() == "Kalle"
    engine.dispose()


def test_ctrl_c_inside_a_commit_stays_a_ctrl_c(store: Store) -> None:
    """Interrupted after the commit went through but before the session closed: the rollback
    it then refuses must not turn the Ctrl-C into a database error (the CLI's summary)."""
    from sqlalchemy import event

    from lofte.store.schema import RawBlobRow

    def interrupted(_session: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), store.session() as session:
        event.listen(session, "after_commit", interrupted)
        session.add(RawBlobRow(sha256="1" * 64, size=1, media_type=None, data=b"z"))
    with store.session() as session:  # the store is usable, the next session is a new one
        assert session.scalar(text("select count(*) from raw_blobs")) == 1


def test_a_newer_loeftes_database_is_named_as_such_not_sent_to_init(tmp_path: Path) -> None:
    # QA: "run `lofte init`" was advised, and `lofte init` then failed with a traceback
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    open_store(url, create=True).dispose()
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    said = (
        f"the database {url} holds schema revision 0099, which this Löfte does not know "
        "(made by a newer version?)"
    )
    for create in (False, True):
        with pytest.raises(MigrationError) as refused:
            open_store(url, create=create)
        assert str(refused.value) == said
    assert current_revision(store.engine) == "0099"  # left as it was
    store.dispose()


@pytest.mark.parametrize("url", ["sqlite://lofte.db", "sqlite://lofte.db:5/x"])
def test_a_sqlite_url_with_two_slashes_is_malformed_naming_it(url: str) -> None:
    # QA: SQLAlchemy's ArgumentError came as a traceback
    with pytest.raises(ConfigError) as refused:
        open_store(url)
    message = str(refused.value)
    assert message.startswith("the database URL is malformed: use sqlite:///PATH")
    assert message.endswith(f"(got {url!r})")


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite:///:memory:", "sqlite://"])
def test_creating_a_database_that_would_not_be_kept_is_refused(url: str) -> None:
    # QA: `lofte init` said "database ready" for a database in memory, gone when it ended
    with pytest.raises(ConfigError, match="names no file, so nothing would be kept"):
        open_store(url, create=True)


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # QA: 644, while a backup of it is 600 for the password hashes it holds
    old = os.umask(0o022)
    try:
        store = open_store(f"sqlite:///{tmp_path / 'ny.db'}", create=True)
        with store.session() as s:
            s.execute(text("SELECT 1"))
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("ny.db*")}
        store.dispose()
        # an existing file keeps the mode its admin gave it
        kept = tmp_path / "delad.db"
        kept.touch()
        kept.chmod(0o640)
        open_store(f"sqlite:///{kept}", create=True).dispose()
    finally:
        os.umask(old)
    assert modes == {"ny.db": 0o600, "ny.db-wal": 0o600, "ny.db-shm": 0o600}
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_a_foreign_database_or_a_missing_folder_is_not_sent_to_init(tmp_path: Path) -> None:
    """QA: both were told "run `lofte init`", which then refused them."""
    import sqlite3

    from lofte.errors import StoreError
    from lofte.store.db import check_revision

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    engine = create_engine(f"sqlite:///{foreign}")
    with pytest.raises(StoreError, match=r"another program's tables \(customers\)"):
        check_revision(engine)
    engine.dispose()
    missing = create_engine(f"sqlite:///{tmp_path / 'nodir' / 'x.db'}")
    with pytest.raises(StoreError, match="the folder .*nodir does not exist"):
        check_revision(missing)


def test_an_old_schema_is_refused_naming_the_database(tmp_path: Path) -> None:
    """QA: `serve` said "database is at revision 0010 …: run lofte init" without saying which
    database (`--db`, LOFTE_DATABASE_URL and a .env may each name one)."""
    from typer.testing import CliRunner

    from lofte.cli import app
    from lofte.store.db import head_revision

    url = f"sqlite:///{tmp_path / 'gammal.db'}"
    open_store(url, create=True).dispose()
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    store.dispose()
    said = (
        f"the database {url} is at revision 0010, this Löfte needs {head_revision()}: "
        "run `lofte init`"
    )
    with pytest.raises(MigrationError) as refused:
        open_store(url)
    assert str(refused.value) == said
    result = CliRunner().invoke(app, ["--db", url, "tracker", "list"])
    assert result.exit_code == 1 and result.output.strip() == f"error: {said}"


def test_a_lock_held_too_long_names_the_wait_in_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: "(LOFTE_SQLITE_BUSY_WAIT, 30 s by default)" was said with the setting at 3."""
    import sqlite3

    from lofte.errors import BusyError
    from lofte.store.db import store_error

    monkeypatch.setenv("LOFTE_SQLITE_BUSY_WAIT", "3")
    locked = _locked_insert_error(tmp_path / "busy.db")
    assert "(LOFTE_SQLITE_BUSY_WAIT: 3 s)" in str(store_error(locked))  # the setting
    assert "by default" not in str(store_error(locked))
    # a store given its own wait names that one, as its sessions meet the lock
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    open_store(url, create=True).dispose()
    holder = sqlite3.connect(tmp_path / "lofte.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    store = Store(url, busy_wait=0.25)
    try:
        with pytest.raises(BusyError) as caught, store.session() as session:
            session.execute(text("DELETE FROM raw_blobs"))
    finally:
        holder.rollback()
        holder.close()
        store.dispose()
    assert "(LOFTE_SQLITE_BUSY_WAIT: 0.25 s)" in str(caught.value)
