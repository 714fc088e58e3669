"""`lofte backup` and `lofte restore`: thin commands, a question before replacing, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

from typer.testing import CliRunner

from lofte.cli import app
from lofte.store.db import head_revision, shown_url

runner = CliRunner()


def _run(db: str, *args: str, answer: str | None = None) -> tuple[int, str]:
    """`answer` is typed at a terminal; without one, stdin is no terminal (cron, a pipe)."""
    with mock.patch("lofte.cli.stdin_is_terminal", return_value=answer is not None):
        result = runner.invoke(app, ["--db", db, *args], input=answer)
    return result.exit_code, result.output


def _titles(db: str) -> list[str]:
    code, out = _run(db, "documents", "--json")
    assert code == 0, out
    return [d["title"] for d in json.loads(out)]


def test_backup_then_restore_brings_the_content_back(db_url: str, tmp_path: Path) -> None:
    assert _run(db_url, "init")[0] == 0
    news = tmp_path / "nyhet.txt"
    news.write_text(
        "Kvarnby bibliotek öppnar på söndagar från och med mars 2024.", encoding="utf-8"
    )
    assert _run(db_url, "ingest", str(news))[0] == 0
    code, out = _run(db_url, "backup", str(tmp_path / "lofte.backup"))
    assert code == 0 and "revision" in out, out
    other = tmp_path / "annan.txt"
    other.write_text("Simhallen i Norrvik stänger för renovering under hösten.", encoding="utf-8")
    assert _run(db_url, "ingest", str(other))[0] == 0
    assert len(_titles(db_url)) == 2
    code, out = _run(db_url, "restore", str(tmp_path / "lofte.backup"), answer="n\n")
    assert code == 1 and len(_titles(db_url)) == 2  # said no: nothing changed
    assert "error: nothing restored: you answered no" in out
    # the question comes with what each holds: the wrong file at 3 am is seen before "y"
    now, brought = (  # (on PostgreSQL a line more says the backup's accounts are unread)
        line
        for line in out.splitlines()
        if line.startswith(("the database ", "the backup ")) and "accounts" not in line
    )
    assert "2 documents" in now and "schema revision" in brought
    if db_url.startswith("sqlite"):  # a pg_dump archive is read by pg_restore alone
        assert "1 document," in brought
    code, out = _run(db_url, "restore", str(tmp_path / "lofte.backup"))  # no terminal (cron)
    assert code == 1 and len(_titles(db_url)) == 2
    # QA: the description and the question came first; now one line, naming --yes
    assert out.splitlines() == [
        f"error: restoring {tmp_path / 'lofte.backup'} into {shown_url(db_url)} needs "
        "confirmation: run it again with --yes"
    ]
    code, out = _run(db_url, "restore", str(tmp_path / "lofte.backup"), "--yes")
    assert code == 0, out
    assert _titles(db_url) == ["Kvarnby bibliotek öppnar på söndagar från och med mars 2024."]


def test_restoring_something_else_is_a_one_line_error(db_url: str, tmp_path: Path) -> None:
    assert _run(db_url, "init")[0] == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("inte en säkerhetskopia", encoding="utf-8")
    code, out = _run(db_url, "restore", str(notes), "--yes")
    assert code == 1 and "is not a Löfte backup" in out and "Traceback" not in out


def test_a_restore_into_a_database_not_made_yet_asks_without_making_it(
    tmp_path: Path, db_url: str
) -> None:
    assert _run(db_url, "init")[0] == 0
    assert _run(db_url, "backup", str(tmp_path / "lofte.backup"))[0] == 0
    fresh = tmp_path / "ny.db"
    if not db_url.startswith("sqlite"):  # a pg_dump archive: refused before the question
        code, out = _run(f"sqlite:///{fresh}", "restore", str(tmp_path / "lofte.backup"))
        assert code == 1 and "is a postgresql backup" in out and "Replace" not in out
        assert not fresh.exists()
        return
    code, out = _run(f"sqlite:///{fresh}", "restore", str(tmp_path / "lofte.backup"), answer="n\n")
    assert code == 1 and "holds no Löfte data" in out and "0 documents" in out
    assert not fresh.exists()  # answered no: no empty file left behind
    broken = tmp_path / "trasig.backup"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    code, out = _run(db_url, "restore", str(broken), answer="y\n")  # refused before the question
    assert code == 1 and "Replace everything" not in out and "backup" in out


def test_restoring_an_older_backup_is_recorded_in_the_audit_log(tmp_path: Path) -> None:
    """QA: the demo store of schema revision 0003 (28 audit events) restored and migrated,
    but `audit verify` showed the backup's own head: no `database.restore` event, so the
    public data's Last-Modified stayed the backup's."""
    from tests.store.test_upgrade import _old_file

    db = f"sqlite:///{tmp_path / 'ny.db'}"
    code, out = _run(db, "restore", str(_old_file(tmp_path)), "--yes")
    assert code == 0, out
    assert f"migrated from revision 0003 to {head_revision()}" in out
    code, out = _run(db, "audit", "verify")
    assert code == 0 and "audit log: 29 events, head 29:" in out and out.endswith("OK\n"), out


def test_copy_moves_a_store_into_an_empty_database_of_either_kind(
    db_url: str, tmp_path: Path
) -> None:
    """`lofte --db TARGET copy SOURCE` (QA, an admin moving to PostgreSQL): the documents and
    the accounts come along, the password of a URL is never printed, a full target is refused
    and a missing source is not created."""
    source = f"sqlite:///{tmp_path / 'gammal.db'}"
    news = tmp_path / "nyhet.txt"
    news.write_text("Kvarnby bibliotek öppnar på söndagar från och med mars 2024.", "utf-8")
    assert _run(source, "init")[0] == 0
    assert _run(source, "ingest", str(news))[0] == 0
    code, out = _run(
        source, "user", "add", "anna", "--role", "editor", "--password", "Kvarnby-bibliotek-2024"
    )
    assert code == 0, out
    code, out = _run(db_url, "copy", source)
    assert code == 0, out
    assert "documents: 1 rows" in out and "users: 1 rows" in out
    assert f"copied {source} into {shown_url(db_url)}" in out
    code, out = _run(db_url, "copy", "postgresql://lofte:hemligt@127.0.0.1:1/lofte")
    assert code == 1 and "127.0.0.1" in out and "hemligt" not in out  # a source's password
    assert _titles(db_url) == _titles(source)
    code, out = _run(db_url, "user", "list")
    assert code == 0 and "anna" in out
    assert _run(db_url, "audit", "verify")[0] == 0
    code, out = _run(db_url, "copy", source)
    assert code == 1 and "needs an empty database" in out and "documents" in out
    code, out = _run(db_url, "copy", f"sqlite:///{tmp_path / 'saknas.db'}")
    assert code == 1 and "saknas.db" in out
    assert not (tmp_path / "saknas.db").exists()
