"""The questions before `restore`, `tracker delete` and `user remove` (one helper,
`cli.confirm_or_refuse` / `cli.typed_or_refuse`): without a terminal on stdin no question is
printed and one piped line is the answer; with none (end of input, an empty line) one error
line names `--yes`, exit code 1; at a terminal Ctrl-C is "interrupted" (130)
and end of input (Ctrl-D) the same refusal as without a terminal. SQLite: the questions come
before any database work that differs between the stores."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import typer
from typer.testing import CliRunner

from lofte.cli import app
from lofte.model import Role
from lofte.review import users
from lofte.store import trackers as tracker_store
from lofte.store.backup import backup
from lofte.store.db import open_store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with an account `anna` (and an admin) and a tracker `sthlm`, and its backup."""
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    store = open_store(url, create=True)
    try:
        with mock.patch.object(users, "_hasher") as hasher:  # no real argon2: only names count
            hasher.hash.return_value = "$argon2id$x"
            users.add_user(store, "chef", "ett långt lösenord", Role.ADMIN, actor="test")
            users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="test")
        with store.session() as session:
            tracker_store.add_tracker(session, "sthlm", "Stockholm")
        backup(store, tmp_path / "lofte.backup")
    finally:
        store.dispose()
    return url


def test_without_a_terminal_each_question_is_one_error_line(db: str, tmp_path: Path) -> None:
    """QA: `lofte user remove anna < /dev/null` printed the question, then "Aborted."; the
    others printed their question (and restore what the databases hold) before refusing."""
    lofte = [sys.executable, "-m", "lofte", "--db", db]
    backup_file = tmp_path / "lofte.backup"
    cases = {
        ("user", "remove", "anna"): "removing user anna",
        ("tracker", "delete", "sthlm"): "deleting tracker sthlm",
        ("restore", str(backup_file)): f"restoring {backup_file} into {db}",
    }
    for args, what in cases.items():
        done = subprocess.run(
            [*lofte, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        assert (done.returncode, done.stdout) == (1, ""), (args, done.stdout, done.stderr)
        assert done.stderr == f"error: {what} needs confirmation: run it again with --yes\n"
    store = open_store(db)
    try:  # nothing was done
        assert [u.username for u in users.list_users(store)] == ["anna", "chef"]
        with store.session() as session:
            assert tracker_store.get_tracker(session, "sthlm").name == "Stockholm"
    finally:
        store.dispose()


def _at_terminal(db: str, *args: str, answer: str = "") -> tuple[int, str]:
    with mock.patch("lofte.cli.stdin_is_terminal", return_value=True):
        result = runner.invoke(app, ["--db", db, *args], input=answer)
    return result.exit_code, result.output


def test_end_of_input_at_the_question_is_the_same_refusal(db: str) -> None:
    code, out = _at_terminal(db, "user", "remove", "anna")  # Ctrl-D: no answer
    assert code == 1 and "Aborted" not in out
    assert out.splitlines()[-1] == (
        "error: removing user anna needs confirmation: run it again with --yes"
    )
    code, out = _at_terminal(db, "tracker", "delete", "sthlm")
    assert code == 1 and out.splitlines()[-1] == (
        "error: deleting tracker sthlm needs confirmation: run it again with --yes"
    )


def test_ctrl_c_at_the_question_is_interrupted(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def ctrl_c(*_args: object, **_kwargs: object) -> bool:
        try:  # as click's prompt turns it into Abort
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise typer.Abort() from None

    monkeypatch.setattr(typer, "confirm", ctrl_c)
    code, out = _at_terminal(db, "user", "remove", "anna")
    assert code == 130 and out.splitlines()[-1] == "interrupted", out


def test_at_a_terminal_the_question_is_asked_and_yes_goes_ahead(db: str) -> None:
    code, out = _at_terminal(db, "user", "remove", "anna", "--actor", "chef", answer="y\n")
    assert code == 0, out
    assert out.startswith("remove user anna? [y/N]") and out.endswith("anna removed\n")


def _piped(db: str, answer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`echo ANSWER | lofte --db DB ARGS`: the real command, stdin a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "lofte", "--db", db, *args],
        input=answer,
        capture_output=True,
        text=True,
    )


def _usernames(db: str) -> list[str]:
    store = open_store(db)
    try:
        return [u.username for u in users.list_users(store)]
    finally:
        store.dispose()


def test_a_piped_yes_goes_ahead_without_a_question(db: str) -> None:
    """Scripts pipe their answer (`echo y | lofte user remove bob`): read, not refused."""
    done = _piped(db, "y\n", "user", "remove", "anna", "--actor", "chef")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout == "anna removed\n"  # no question printed
    assert _usernames(db) == ["chef"]
    # any case, spaces around: yes, so the library's own refusal comes, not "answered no"
    done = _piped(db, " YES \n", "user", "remove", "chef", "--actor", "chef")
    assert done.stderr == "error: cannot remove 'chef': it is the last enabled admin\n"


def test_a_piped_no_is_answered_no(db: str) -> None:
    for answer in ("n\n", "no\n", "maybe\n"):
        done = _piped(db, answer, "user", "remove", "anna", "--actor", "chef")
        assert (done.returncode, done.stdout) == (1, ""), done.stdout
        assert done.stderr == "error: user anna not removed: you answered no\n"
    assert _usernames(db) == ["anna", "chef"]


def test_a_piped_slug_deletes_the_tracker(db: str) -> None:
    done = _piped(db, "sthlm\n", "tracker", "delete", "sthlm", "--actor", "chef")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("tracker sthlm deleted (")
    assert "Type its slug" not in done.stdout + done.stderr
    store = open_store(db)
    try:
        with store.session() as session:
            assert tracker_store.list_trackers(session) == []
    finally:
        store.dispose()


def test_a_piped_empty_line_or_nothing_is_one_error_line(db: str) -> None:
    """End of input (`< /dev/null`, an empty pipe) or an empty line: no answer, refused."""
    for answer in ("", "\n", "  \n"):
        for args, what in {
            ("user", "remove", "anna"): "removing user anna",
            ("tracker", "delete", "sthlm"): "deleting tracker sthlm",
        }.items():
            done = _piped(db, answer, *args)
            assert (done.returncode, done.stdout) == (1, ""), (args, answer, done.stdout)
            assert done.stderr == f"error: {what} needs confirmation: run it again with --yes\n"
    assert _usernames(db) == ["anna", "chef"]
