"""What the CLI prints when things go wrong, from a QA pass: user text that looks like Rich
markup, databases that cannot be opened, control characters in file names, ingest options that
would fail every input."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from lofte.cli import app
from lofte.store import documents as document_store
from lofte.store.db import open_store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["--db", url, "init"]).exit_code == 0
    assert runner.invoke(app, ["--db", url, "tracker", "add", "qa", "--name", "QA"]).exit_code == 0
    return url


def invoke(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def failed_cleanly(result: Result) -> bool:
    """Exit 1 through `handle_errors`, not an exception escaping the command."""
    return result.exit_code == 1 and isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "option", [("--party", "[/x]"), ("--url-base", "[/x]"), ("--date", "[/x]")]
)
def test_an_error_quoting_markup_like_text_is_printed_as_is(
    db: str, tmp_path: Path, option: tuple[str, str]
) -> None:
    (tmp_path / "a.txt").write_text("hej", encoding="utf-8")
    assert invoke(db, "tracker", "add", "partier", "--actor", "S").exit_code == 0
    result = invoke(db, "ingest", str(tmp_path / "a.txt"), "--tracker", "partier", *option)
    assert failed_cleanly(result), result.output
    assert "error:" in result.output and "[/x]" in result.output


def test_stored_text_that_looks_like_markup_is_listed_as_is(db: str, tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("[/x] Kommunen bygger en skola.", encoding="utf-8")
    assert invoke(db, "ingest", str(tmp_path / "b.txt"), "--tracker", "qa").exit_code == 0
    result = invoke(db, "documents")
    assert result.exit_code == 0, result.output
    assert "[/x] Kommunen" in result.output
    assert invoke(db, "tracker", "add", "qb", "--name", "[/y] [bold]B").exit_code == 0
    result = invoke(db, "tracker", "list")
    assert result.exit_code == 0, result.output
    assert "[/y] [bold]B" in result.output


@pytest.mark.parametrize(
    "command", [["ingest", "a.txt"], ["documents"], ["tracker", "list"], ["init"]]
)
def test_a_file_that_is_no_database_is_one_line_naming_it(
    tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "notdb.db"
    other.write_text("hej\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("hej", encoding="utf-8")
    command = [str(tmp_path / c) if c.endswith(".txt") else c for c in command]
    result = invoke(f"sqlite:///{other}", *command)
    assert failed_cleanly(result), result.output
    assert (
        result.output
        == f"error: cannot use the database sqlite:///{other}: file is not a database\n"
    )


def test_init_in_a_missing_folder_names_it(tmp_path: Path) -> None:
    result = invoke(f"sqlite:///{tmp_path / 'saknas' / 'x.db'}", "init")
    assert failed_cleanly(result), result.output
    assert f"the folder {tmp_path / 'saknas'} does not exist" in result.output


def test_commands_other_than_init_create_no_database_file(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    for command in (["ingest", "x"], ["documents"], ["backup", str(tmp_path / "b.db")]):
        result = invoke(f"sqlite:///{fresh}", *command)
        assert failed_cleanly(result) and "lofte init" in result.output, result.output
        assert not fresh.exists(), command


def test_control_characters_in_file_names_are_printed_escaped(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    red = folder / "a_\x1b[31mRED\x1b[0m.txt"
    red.write_text("Kommunen bygger en ny skola.", encoding="utf-8")
    (folder / "b_\nny.txt").write_bytes(b"")  # empty: a failure, named on stderr
    result = invoke(db, "ingest", str(folder), "--tracker", "qa")
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output
    assert "a_\\x1b[31mRED\\x1b[0m.txt" in result.output
    assert f"failed: {folder}/b_\\nny.txt: the input is empty" in result.output
    store = open_store(db)
    with store.session() as session:
        [stored] = document_store.list_documents(session, None)
    store.dispose()
    assert stored.origin == str(red)  # stored as it is


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (("--tracker", "Inte En Slug"), "error: tracker slug 'Inte En Slug'"),
        (("--reader", "saknas"), "error: --reader: no reader named 'saknas'"),
    ],
)
def test_an_impossible_tracker_or_reader_is_one_error_not_a_failure_per_file(
    db: str, tmp_path: Path, option: tuple[str, str], message: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"nyhet-{i}.txt").write_text(f"Kommunen bygger skola {i}.", encoding="utf-8")
    result = invoke(db, "ingest", str(folder), *option)
    assert failed_cleanly(result), result.output
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert "failed:" not in result.output


def test_nothing_to_ingest_is_said_plainly(db: str, tmp_path: Path) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    (empty / ".dold.txt").write_text("Dold fil.", encoding="utf-8")
    result = invoke(db, "ingest", str(empty))
    assert failed_cleanly(result), result.output
    assert (
        result.output
        == f"error: nothing to ingest: no files in {empty} (hidden files are skipped)\n"
    )
    (empty / "nyhet.txt").write_text("Kommunen bygger.", encoding="utf-8")
    result = invoke(db, "ingest", str(empty), "--include", "*.md", "--json")
    assert failed_cleanly(result), result.output
    assert (
        result.output == f"error: nothing to ingest: no file in {empty} matches --include '*.md'\n"
    )
    odd = tmp_path / "a_\x1b[31m"
    odd.mkdir()
    result = invoke(db, "ingest", str(odd))
    assert failed_cleanly(result) and "a_\\x1b[31m" in result.output, result.output


def test_a_mistyped_tracker_is_not_filled_without_a_word(db: str, tmp_path: Path) -> None:
    """`--tracker qx` for `qa` makes a new tracker (ingest makes what is missing); the
    operator is told so, with the trackers there were and how to undo it. An ingest into an
    existing tracker says nothing of the kind."""
    (tmp_path / "c.txt").write_text("Kommunen bygger en ny skola i Sjövik.", encoding="utf-8")
    result = invoke(db, "ingest", str(tmp_path / "c.txt"), "--tracker", "qx")
    assert result.exit_code == 0, result.output
    assert "warning: there was no tracker 'qx': this ingest made it" in result.output
    assert "trackers before: qa" in result.output
    assert "lofte tracker delete qx" in result.output
    (tmp_path / "d.txt").write_text("Kommunen bygger en ny sporthall.", encoding="utf-8")
    result = invoke(db, "ingest", str(tmp_path / "d.txt"), "--tracker", "qa", "--json")
    assert result.exit_code == 0, result.output
    assert "no tracker" not in result.output


# not `serve`: a server started during an outage starts anyway and answers 503 until the
# database is back (tests/web/test_server.py)
@pytest.mark.parametrize("command", [["init"], ["tracker", "list"], ["documents"]])
def test_an_unreachable_database_is_one_line_naming_it_without_its_password(
    command: list[str],
) -> None:
    result = runner.invoke(app, ["--db", "postgresql://lofte:hemligt@127.0.0.1:1/lofte", *command])
    assert failed_cleanly(result), result.output
    lines = result.output.strip().splitlines()
    assert lines == [
        "error: cannot use the database postgresql+psycopg://lofte:***@127.0.0.1:1/lofte: "
        'connection failed: connection to server at "127.0.0.1", port 1 failed: '
        "Connection refused"
    ]


def test_serve_refuses_a_sqlite_path_it_cannot_open_in_one_line(tmp_path: Path) -> None:
    """A SQLite path that cannot be opened is the operator's mistake, not an outage: `serve`
    says so in one line and exits 1 (it does not start to answer 503)."""
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("inte en databas\n" * 200, encoding="utf-8")
    a_folder = tmp_path / "folder.db"
    a_folder.mkdir()
    cases = {
        tmp_path / "missing" / "lofte.db": "there is no database at",
        not_a_database: "file is not a database",
        a_folder: "unable to open database file",
    }
    for path, reason in cases.items():
        result = runner.invoke(app, ["--db", f"sqlite:///{path}", "serve", "--port", "1"])
        assert failed_cleanly(result), result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
        assert reason in lines[0] and str(path) in lines[0], result.output


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """The file made read-only in a folder that stays writable: by its mode, or for root (whom
    modes do not stop; CI runs as root) by the immutable attribute."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"this file system cannot make a file read-only for root: {made.stderr}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["tracker", "list"]])
def test_a_read_only_sqlite_file_is_refused_at_start(tmp_path: Path, command: list[str]) -> None:
    """QA: `serve` on a read-only SQLite file started, and the first login gave 500 (SQLite
    opens such a file read-only without a word, and reads work); cli.md says such a store
    cannot be used even to read. Every command now says so in one line, before anything."""
    path = tmp_path / "kopia.db"
    assert runner.invoke(app, ["--db", f"sqlite:///{path}", "init"]).exit_code == 0
    assert (
        runner.invoke(app, ["--db", f"sqlite:///{path}", "tracker", "add", "ekby"]).exit_code == 0
    )
    with _read_only(path):
        result = runner.invoke(app, ["--db", f"sqlite:///{path}", *command])
    assert failed_cleanly(result), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], result.output
    assert "cannot be written" in lines[0] and "copy it to a writable folder" in lines[0]
    # the same file, writable again, is used as before: the probe changed nothing in it
    listed = runner.invoke(app, ["--db", f"sqlite:///{path}", "tracker", "list"])
    assert listed.exit_code == 0 and "ekby" in listed.output, listed.output


def test_a_read_only_command_leaves_an_empty_file_as_it_was(tmp_path: Path) -> None:
    # found by QA: `lofte documents` on an empty file said "run lofte init" but had already
    # made it a 4 kB database (WAL mode writes a header)
    empty = tmp_path / "empty.txt"
    empty.touch()
    result = runner.invoke(app, ["--db", f"sqlite:///{empty}", "documents"])
    assert failed_cleanly(result), result.output
    assert "is an empty file, not a database: run `lofte init`" in result.output
    assert empty.stat().st_size == 0
    assert runner.invoke(app, ["--db", f"sqlite:///{empty}", "init"]).exit_code == 0
    assert empty.stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "70000"],  # uvicorn's OverflowError traceback
        ["serve", "--port", "0"],  # silently became 8000
        ["serve", "--port", "-1"],
        ["serve", "--workers", "1000"],
        ["demo", "--port", "0", "--no-serve"],
        ["ingest", "x.txt", "--workers", "40"],  # forty parsers on two cores
        ["publish", "--static", "site", "--max-files", "-1"],  # "more than -1 files"
    ],
)
def test_ports_and_worker_counts_out_of_range_are_refused(db: str, args: list[str]) -> None:
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 2, result.output
    assert "Invalid value for" in result.output and "Traceback" not in result.output


def test_a_port_setting_out_of_range_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from lofte.config import read_settings
    from lofte.errors import ConfigError

    monkeypatch.setenv("LOFTE_PORT", "70000")
    with pytest.raises(ConfigError, match="LOFTE_PORT"):
        read_settings()


def _with(url: str, *, password: str | None = None, database: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    if password is not None:
        parts = parts.set(password=password)
    if database is not None:
        parts = parts.set(database=database)
    return parts.render_as_string(hide_password=False)


@pytest.mark.postgres
@pytest.mark.parametrize("wrong", ["password", "database"])
def test_serve_refuses_a_login_the_server_refuses(postgres_store, wrong: str) -> None:  # type: ignore[no-untyped-def]
    """QA: with a wrong password or database name `serve` started and answered 503 for ever,
    as if the server were down. The server answered: the URL is wrong, one line, exit 1."""
    from lofte.cli import _check_or_outage
    from lofte.errors import UnavailableError
    from lofte.store.db import Store

    url = postgres_store.engine.url.render_as_string(hide_password=False)
    bad = (
        _with(url, password="fel-losen") if wrong == "password" else _with(url, database="finns_ej")
    )
    store = Store(bad)
    try:
        with pytest.raises(UnavailableError):
            _check_or_outage(store)
    finally:
        store.dispose()
    result = CliRunner().invoke(app, ["--db", bad, "serve", "--port", "8799"])
    assert result.exit_code == 1 and failed_cleanly(result), result.output
    said = "password authentication failed" if wrong == "password" else '"finns_ej" does not exist'
    assert said in result.output and "fel-losen" not in result.output


def test_serve_starts_through_an_outage_of_the_server() -> None:
    """A server that cannot be reached is an outage: `serve` starts, pages answer 503."""
    from lofte.cli import _check_or_outage
    from lofte.store.db import Store

    store = Store("postgresql://lofte:hemligt@127.0.0.1:1/lofte")  # nothing listens: refused
    try:
        assert _check_or_outage(store) is False
    finally:
        store.dispose()


def test_an_ingest_without_tracker_beside_other_trackers_says_it_made_the_default(
    db: str, tmp_path: Path
) -> None:
    """QA at the term's end: with the new term's tracker in place, an ingest without
    --tracker made a draft "standard" tracker without a word, and the news went into none of
    the newsroom's trackers. The first ingest of a new store (no tracker yet) stays silent."""
    (tmp_path / "c.txt").write_text("Kommunen bygger en ny skola i Sjövik.", encoding="utf-8")
    result = invoke(db, "ingest", str(tmp_path / "c.txt"))
    assert result.exit_code == 0, result.output
    assert "warning: no --tracker given: this ingest made the default tracker 'standard'" in (
        " ".join(result.output.split())
    )
    assert "trackers before: qa" in result.output
    (tmp_path / "d.txt").write_text("Kommunen bygger en ny sporthall.", encoding="utf-8")
    result = invoke(db, "ingest", str(tmp_path / "d.txt"))  # it is there now: no word
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert invoke(fresh, "init").exit_code == 0
    result = invoke(fresh, "ingest", str(tmp_path / "c.txt"))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def test_an_ingest_into_an_archived_tracker_says_so(db: str, tmp_path: Path) -> None:
    """QA at the term's end: late news went into the archived tracker without a word."""
    assert invoke(db, "tracker", "archive", "qa").exit_code == 0
    (tmp_path / "late.txt").write_text("Kommunen invigde skolan i november.", encoding="utf-8")
    result = invoke(db, "ingest", str(tmp_path / "late.txt"), "--tracker", "qa")
    assert result.exit_code == 0, result.output
    assert "note: tracker 'qa' is archived" in " ".join(result.output.split())


def test_an_id_beyond_what_the_database_holds_is_named_not_a_traceback(db_url: str) -> None:
    """QA: `lofte pledge confirm 99999999999999999999` ended in SQLite's OverflowError (a
    traceback), and an id of 2**31 in PostgreSQL's "integer out of range"."""
    assert runner.invoke(app, ["--db", db_url, "init"]).exit_code == 0
    for args, said in (
        (["pledge", "confirm", "9" * 20], f"{'9' * 20} is no pledge id"),
        (["pledge", "confirm", str(2**31)], f"{2**31} is no pledge id"),
        (["document", "delete", str(2**31), "--yes"], f"{2**31} is no document id"),
        (["evidence", "--pledge", str(-(2**31) - 1)], f"{-(2**31) - 1} is no pledge id"),
    ):
        result = runner.invoke(app, ["--db", db_url, *args])
        out = " ".join(result.output.split())
        assert result.exit_code == 1 and said in out, (args, out)
        assert "holds whole numbers up to 2 147 483 647" in out and "Traceback" not in out
    # the largest id the database holds is an id like any other: not found
    result = runner.invoke(app, ["--db", db_url, "pledge", "confirm", str(2**31 - 1)])
    assert result.exit_code == 1 and f"no pledge with id {2**31 - 1}" in result.output


def test_link_before_extract_says_what_comes_first(db: str) -> None:
    """QA, a first-day editor: `lofte link` with no pledges said "0 suggestions … (0 pledges)"
    and nothing about why."""
    result = invoke(db, "link", "--tracker", "qa", "--dense", "off")
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert "note: qa has no pledges to link to yet: `lofte extract --tracker qa`" in out


def test_demo_with_db_says_it_makes_its_own_file(tmp_path: Path) -> None:
    """QA, an admin moving to PostgreSQL: `lofte --db postgresql://… demo` wrote
    lofte-demo.db and said nothing of the --db it left unused."""
    path = tmp_path / "demo.db"
    result = runner.invoke(
        app, ["--db", "postgresql://lofte:hemligt@127.0.0.1/x", "demo", "--path", str(path)]
    )
    assert result.exit_code == 1, result.output
    assert "does not use --db" in result.output and "copy sqlite:///" in result.output
    assert "hemligt" not in result.output and not path.exists()
