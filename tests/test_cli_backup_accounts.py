"""`lofte restore` names the accounts it removes, brings back and changes (before its question
and after the restore)."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.model import Role
from lofte.review import users
from lofte.store.db import open_store

runner = CliRunner()
PASSWORD = "ett långt lösenord för test"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _run(db: str, *args: str, answer: str | None = None) -> tuple[int, str]:
    """`answer` is typed at a terminal; without one, stdin is no terminal (cron, a pipe)."""
    with mock.patch("lofte.cli.stdin_is_terminal", return_value=answer is not None):
        result = runner.invoke(app, ["--db", db, *args], input=answer)
    return result.exit_code, result.output


def _lines(out: str, start: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(start)]


def test_restore_lists_the_accounts_it_replaces(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lofte.db'}"
    store = open_store(db, create=True)
    try:
        for name, role in (("anna", Role.EDITOR), ("bo", Role.EDITOR), ("cilla", Role.ADMIN)):
            users.add_user(store, name, PASSWORD, role, actor="test")
    finally:
        store.dispose()
    backup = tmp_path / "lofte.backup"
    assert _run(db, "backup", str(backup))[0] == 0
    # since the backup: bo removed, dan added, anna disabled
    store = open_store(db)
    try:
        users.remove_user(store, "bo", actor="test")
        users.add_user(store, "dan", PASSWORD, Role.VIEWER, actor="test")
        users.disable_user(store, "anna", actor="test")
    finally:
        store.dispose()

    code, out = _run(db, "restore", str(backup), answer="n\n")
    assert code == 1 and "you answered no" in out
    assert _lines(out, "accounts in the database that the backup does not have") == [
        "accounts in the database that the backup does not have (they will disappear): dan"
    ]
    assert _lines(out, "accounts in the backup that the database does not have") == [
        "accounts in the backup that the database does not have (they will come back): bo"
    ]
    assert _lines(out, "accounts the backup has with another role or state") == [
        "accounts the backup has with another role or state (they will change): "
        "anna (editor, disabled → editor, enabled)"
    ]
    assert out.index("(they will disappear)") < out.index("Replace everything")

    code, out = _run(db, "restore", str(backup), "--yes")
    assert code == 0, out
    assert "accounts removed by the restore (not in the backup): dan" in out
    assert "accounts back from the backup: bo" in out
    assert "accounts changed by the restore: anna (editor, disabled → editor, enabled)" in out
    code, out = _run(db, "user", "list")
    assert code == 0 and "dan" not in out and "bo" in out

    code, out = _run(db, "restore", str(backup), "--yes")  # the same again: nothing changes
    assert code == 0, out
    assert "the accounts stayed as they are (3 accounts)" in out
    assert "accounts removed" not in out and "accounts back" not in out
