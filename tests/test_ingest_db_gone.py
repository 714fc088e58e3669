"""`lofte ingest` when the database can take no more: its SQLite file deleted under the run
(exit 1 with the same one line as `link` and `serve`, nothing reported as stored that is not in
the file), or its disk full (the run stops at the first such error, the inputs done reported,
the others counted as not stored). SQLite only: both are about the file on disk."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from lofte import ingest as ingest_module
from lofte.cli import app
from lofte.errors import StoreError, UnavailableError
from lofte.ingest import IngestOptions, InputReport, Outcome, ingest
from lofte.model import RawInput
from lofte.store.db import open_store, store_error
from lofte.store.schema import DocumentRow

runner = CliRunner()
FULL_HINT = "(is the disk full or a file-size limit reached?)"


def _news(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"nyhet-{n:02d}.txt"
        path.write_text(f"Nyhet {n}\n\nFullmäktige beslutade i dag om ärende {n}.\n", "utf-8")
        paths.append(str(path))
    return paths


def _delete_during_the_write_of(monkeypatch: pytest.MonkeyPatch, name: str, folder: Path) -> None:
    """The database's folder removed (`rm -rf`) once the input `name` is written into the open
    batch, before that batch is committed: the commit then goes to the deleted file."""
    real = ingest_module._write_prepared

    def write_then_delete(*args: Any, **kwargs: Any) -> InputReport:
        item = real(*args, **kwargs)
        if Path(args[1].origin).name == name and folder.exists():
            shutil.rmtree(folder)
        return item

    monkeypatch.setattr(ingest_module, "_write_prepared", write_then_delete)


def test_a_sqlite_file_deleted_mid_ingest_stops_it_reporting_nothing_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: the run went on writing into the deleted file and said "inserted 9002". The batch
    whose commit went to the deleted file is not reported, and the run stops there."""
    folder = tmp_path / "gone"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'g.db'}", create=True)
    paths = _news(tmp_path / "in", 6)
    _delete_during_the_write_of(monkeypatch, "nyhet-02.txt", folder)
    seen: list[str] = []
    try:
        with pytest.raises(UnavailableError) as caught:
            ingest(store, paths, IngestOptions(), on_input=lambda r: seen.append(r.origin))
    finally:
        store.dispose()
    message = str(caught.value)
    assert message.startswith(f"cannot use the database sqlite:///{folder / 'g.db'}: ")
    assert "its file is gone" in message
    # reported: only the inputs committed while the file was there
    assert [Path(s).name for s in seen] == ["nyhet-00.txt", "nyhet-01.txt"]
    assert not folder.exists()  # nothing made the file again


def test_a_file_deleted_between_batches_is_noticed_before_the_next_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'g.db'}", create=True)
    paths = _news(tmp_path / "in", 5)
    read: list[str] = []

    def read_then_delete(origin: str) -> RawInput:
        read.append(Path(origin).name)
        if len(read) == 3:  # the batch of the first two is committed: the file goes now
            shutil.rmtree(folder)
        return RawInput(Path(origin).read_bytes(), origin)

    try:
        with pytest.raises(UnavailableError, match="its file is gone"):
            ingest(store, paths, read=read_then_delete)
    finally:
        store.dispose()
    assert read == ["nyhet-00.txt", "nyhet-01.txt", "nyhet-02.txt"]  # the rest never read
    assert not folder.exists()


def test_the_cli_exits_1_with_the_one_line_of_a_database_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/cli.md: a SQLite folder gone "exits 1 with the same one line, at start or
    mid-command"; before, `ingest` printed its table of inserted inputs and exited 0."""
    folder = tmp_path / "x" / "gone"
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'g.db'}"
    assert runner.invoke(app, ["--db", url, "init"]).exit_code == 0
    assert runner.invoke(app, ["--db", url, "tracker", "add", "r", "--name", "R"]).exit_code == 0
    _news(tmp_path / "in", 8)
    _delete_during_the_write_of(monkeypatch, "nyhet-03.txt", folder)
    result = runner.invoke(app, ["--db", url, "ingest", str(tmp_path / "in"), "--tracker", "r"])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"error: cannot use the database {url}: its file is gone (deleted, moved or replaced "
        "while in use); put it back or restore a backup"
    ]
    assert not folder.exists()


def _fail_commits_once(store_engine: Any, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """From when the returned flag is set, every COMMIT fails as on a full disk (the driver's
    own error, wrapped by SQLAlchemy as a real one is)."""
    full: list[bool] = []
    real = store_engine.dialect.do_commit

    def commit(dbapi_connection: Any) -> None:
        if full:
            raise sqlite3.OperationalError("disk I/O error")
        real(dbapi_connection)

    monkeypatch.setattr(store_engine.dialect, "do_commit", commit)
    return full


def test_a_full_disk_stops_the_ingest_at_the_first_input_it_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: "the database refused the operation: disk I/O error" once per remaining input
    (2,162 lines), and the run went on. Now: the inputs stored before are reported, the one
    that met the full disk is the one failure, saying what to check and how many were not
    stored, and no input after it is read."""
    store = open_store(f"sqlite:///{tmp_path / 'full.db'}", create=True)
    paths = _news(tmp_path / "in", 8)
    full = _fail_commits_once(store.engine, monkeypatch)
    read: list[str] = []

    def read_until_full(origin: str) -> RawInput:
        read.append(Path(origin).name)
        if len(read) == 4:  # the disk fills while the fourth input is stored
            full.append(True)
        return RawInput(Path(origin).read_bytes(), origin)

    try:
        with store.session() as session:  # the tracker exists: the run makes nothing
            from lofte.store.trackers import ensure_tracker_id

            ensure_tracker_id(session, "r")
        report = ingest(store, paths, IngestOptions(tracker="r"), read=read_until_full)
        full.clear()
        with store.session() as session:
            stored = session.scalar(select(func.count()).select_from(DocumentRow))
    finally:
        store.dispose()
    assert read == [f"nyhet-0{n}.txt" for n in range(4)]  # nothing read after it
    assert [r.outcome for r in report.inputs] == [Outcome.INSERTED] * 3 + [Outcome.FAILED]
    assert stored == 3
    error = report.inputs[-1].error or ""
    assert error.startswith(f"the database refused the operation: disk I/O error {FULL_HINT}")
    assert "ingest stopped: the other 4 inputs were not stored" in error
    assert report.planned == 8 and len(report.failed) == 1


def test_store_errors_of_a_full_disk_say_so_and_stop_writes() -> None:
    from sqlalchemy.exc import OperationalError

    from lofte.store.db import stops_writes

    for raw in (
        sqlite3.OperationalError("disk I/O error"),
        sqlite3.OperationalError("database or disk is full"),
        OSError(27, "File too large"),  # EFBIG, past `ulimit -f`
        OSError(28, "No space left on device"),  # ENOSPC
    ):
        wrapped = OperationalError("COMMIT", {}, raw)
        error = store_error(wrapped)
        assert type(error) is StoreError and FULL_HINT in str(error), raw
        try:
            raise error from wrapped
        except StoreError as raised:
            assert stops_writes(raised), raw
    other = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    assert FULL_HINT not in str(store_error(other))
    try:
        raise store_error(other) from other
    except StoreError as raised:
        assert not stops_writes(raised)


@pytest.mark.skipif(sys.platform != "linux", reason="ulimit -f and SIGXFSZ as on Linux")
def test_a_file_size_limit_stops_the_cli_with_one_failed_line(tmp_path: Path) -> None:
    """The real thing, as an admin meets it: `ulimit -f` reached while ingest writes the
    database (Python ignores SIGXFSZ, so SQLite's write fails with EFBIG)."""
    url = f"sqlite:///{tmp_path / 'liten.db'}"
    assert runner.invoke(app, ["--db", url, "init"]).exit_code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(60):
        words = " ".join(f"ord{n}x{i}" for i in range(2000))  # about 20 kB of text each
        (folder / f"lang-{n:02d}.txt").write_text(f"Rubrik {n}\n\n{words}.\n", "utf-8")
    size_kb = (tmp_path / "liten.db").stat().st_size // 1024
    command = (
        f"ulimit -f {size_kb + 200}; exec {sys.executable} -m lofte --db {url} ingest "
        f"{folder} --workers 0"
    )
    done = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed:")]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert len(failed) == 1, done.stderr
    assert FULL_HINT in failed[0] and "ingest stopped: the other" in failed[0], failed[0]


def test_a_file_replaced_under_an_open_store_is_said_once_then_the_new_one_is_used(
    tmp_path: Path,
) -> None:
    """Another file at the path (the folder re-made and `lofte init` run again, a copy moved
    over it): the pool's connections still hold the old one, so that is said once, and then
    the new file is opened; after the store's own dispose() (`lofte restore` does it) a new
    file is taken without a word."""
    from lofte.store.trackers import ensure_tracker_id, list_trackers

    path = tmp_path / "lofte.db"
    url = f"sqlite:///{path}"
    store = open_store(url, create=True)
    try:
        with store.session() as session:
            ensure_tracker_id(session, "gammal")
        other = tmp_path / "other.db"
        open_store(f"sqlite:///{other}", create=True).dispose()
        for side in ("-wal", "-shm"):  # the old file's, gone with it (as with `rm -rf`)
            Path(f"{path}{side}").unlink(missing_ok=True)
        other.replace(path)  # a new inode at the path
        with pytest.raises(UnavailableError, match="its file is gone"), store.session():
            pass
        with store.session() as session:  # the new file, opened anew
            assert list_trackers(session) == []
        store.dispose()
        shutil.copy(path, tmp_path / "kopia.db")
        (tmp_path / "kopia.db").replace(path)
        with store.session() as session:
            assert list_trackers(session) == []
    finally:
        store.dispose()
