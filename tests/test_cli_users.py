"""`lofte user …`: thin commands over review.users; passwords never as plain arguments of
passwd; every change audited with its actor. Both databases."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from lofte.cli import app, cli_actor
from lofte.review import users
from lofte.store.audit import list_events
from lofte.store.db import Store

runner = CliRunner()


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def run(
    store: Store, *args: str, stdin: str | None = None, terminal: bool = False
) -> tuple[int, str]:
    """`terminal`: stdin is a terminal a person answers questions on (`stdin` typed there)."""
    with mock.patch("lofte.cli.stdin_is_terminal", return_value=terminal):
        result = runner.invoke(app, ["--db", store.url, "user", *args], input=stdin)
    return result.exit_code, result.output


def test_user_commands_change_accounts_and_are_audited(store: Store) -> None:
    assert (
        run(
            store,
            "add",
            "admin1",
            "--role",
            "admin",
            "--password-stdin",
            stdin="ett långt lösenord\n",
        )[0]
        == 0
    )
    code, out = run(
        store, "add", "anna", "--actor", "admin1", stdin="ett långt lösenord\nett långt lösenord\n"
    )
    assert code == 0, out
    anna = users.authenticate(store, "anna", "ett långt lösenord")
    assert anna is not None

    code, out = run(
        store,
        "passwd",
        "anna",
        "--actor",
        "admin1",
        stdin="nytt långt lösenord\nnytt långt lösenord\n",
    )
    assert code == 0, out
    assert users.session_user(store, anna.id, anna.session_generation) is None
    assert users.authenticate(store, "anna", "nytt långt lösenord")
    code, out = run(
        store, "passwd", "anna", stdin="nytt långt lösenord\nannat långt lösenord\n" * 3
    )
    assert code != 0  # the two entries differ (the prompt asks again, then gives up)
    code, out = run(store, "passwd", "anna", "--password-stdin", stdin="sommar2024\n")
    assert code == 1 and "common" in out

    assert run(store, "role", "anna", "viewer", "--actor", "admin1")[0] == 0
    assert run(store, "disable", "anna", "--actor", "admin1")[0] == 0
    listed = json.loads(run(store, "list", "--json")[1])
    assert {"id": anna.id, "username": "anna", "role": "viewer", "disabled": True} in listed
    assert users.authenticate(store, "anna", "nytt långt lösenord") is None
    assert run(store, "enable", "anna", "--actor", "admin1")[0] == 0
    assert users.authenticate(store, "anna", "nytt långt lösenord")
    code, out = run(store, "remove", "anna", "--actor", "admin1")  # no terminal: no question
    assert (code, out) == (
        1,
        "error: removing user anna needs confirmation: run it again with --yes\n",
    )
    code, out = run(store, "remove", "anna", "--actor", "admin1", stdin="n\n", terminal=True)
    assert code == 1 and "error: user anna not removed: you answered no" in out  # declined
    assert run(store, "remove", "anna", "--yes", "--actor", "admin1")[0] == 0
    code, out = run(store, "disable", "anna")
    assert code == 1 and "no user named 'anna'" in out
    code, out = run(store, "remove", "admin1", "--yes")
    assert code == 1 and "last enabled admin" in out

    with store.session() as s:
        events = [(e.action, e.actor) for e in list_events(s, "user", anna.id)]
    assert events == [
        ("user.add", "admin1"),
        ("user.passwd", "admin1"),
        ("user.role", "admin1"),
        ("user.disable", "admin1"),
        ("user.enable", "admin1"),
        ("user.remove", "admin1"),
    ]
    with store.session() as s:
        admin_add = [e for e in list_events(s, "user") if e.details.get("username") == "admin1"][0]
    assert admin_add.actor == cli_actor(None)  # the OS user (or "cli") when no --actor


def test_passwd_takes_no_password_argument(store: Store) -> None:
    run(store, "add", "anna", "--password-stdin", stdin="ett långt lösenord\n")
    code, _ = run(store, "passwd", "anna", "nytt långt lösenord")
    assert code != 0  # a second argument is refused: passwords stay out of the shell history
    assert users.authenticate(store, "anna", "ett långt lösenord")


def test_user_add_without_a_terminal_says_how_to_give_the_password(store: Store) -> None:
    code, out = run(store, "add", "anna", stdin="")
    assert code == 1
    assert "Aborted" not in out
    assert "--password-stdin" in out and "LOFTE_NEW_PASSWORD" in out
    result = runner.invoke(
        app,
        ["--db", store.url, "user", "add", "anna"],
        env={"LOFTE_NEW_PASSWORD": "ett långt lösenord"},
    )
    assert result.exit_code == 0, result.output
    assert users.authenticate(store, "anna", "ett långt lösenord") is not None
    # a name that cannot be one is said first, with what to type instead (QA: the answer was
    # "no terminal to ask for the password")
    code, out = run(store, "add", "Åsa Lind", stdin="")
    assert code == 1 and "asa.lind" in out and "password" not in out, out


def test_a_newer_loeftes_database_is_one_line_naming_it(tmp_path: Path) -> None:
    # QA: `user list` said "run `lofte init`", `init` then printed a traceback, and `backup`
    # named a temporary file instead of the database
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    assert runner.invoke(app, ["--db", url, "init"]).exit_code == 0
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.dispose()
    said = (
        f"error: the database {url} holds schema revision 0099, which this Löfte does not "
        "know (made by a newer version?)"
    )
    for args in (["user", "list"], ["init"], ["backup", str(tmp_path / "b.backup")]):
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 1, args
        assert result.output.strip() == said, args


@pytest.mark.parametrize("url", ["sqlite://lofte.db", "sqlite:///", "sqlite:///:memory:"])
def test_a_database_url_that_keeps_nothing_is_one_line_naming_it(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: two slashes gave a traceback; an empty path and :memory: gave "database ready"
    from lofte.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOFTE_DATABASE_URL", url)
    for given in (["--db", url, "init"], ["init"]):
        get_settings.cache_clear()  # read once per process: this test's variable
        result = runner.invoke(app, given)
        get_settings.cache_clear()
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and f"{url!r}" in result.output
        assert "sqlite:///PATH" in result.output and "database ready" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_no_terminal_for_the_password_is_one_line(tmp_path: Path) -> None:
    """QA: without a terminal, getpass's "GetPassWarning … may be echoed" came first."""
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'l.db'}"
    lofte = [sys.executable, "-m", "lofte", "--db", db]
    subprocess.run([*lofte, "init"], check=True, capture_output=True)
    done = subprocess.run(
        [*lofte, "user", "add", "anna"], stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: no terminal to ask for the password")
    assert "Warning" not in done.stderr and "echo" not in done.stderr
