"""`--db` (a global option) typed after the command: a hint with the command line that works,
not click's bare "No such option: --db"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import _global_first, app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (["tracker", "list", "--db", "{db}"], "lofte --db {db} tracker list"),
        (["documents", "--db={db}", "--json"], "lofte --db={db} documents --json"),
        (["evidence", "--db", "{db}", "--json"], "lofte --db {db} evidence --json"),
        (["evidence", "attach", "1", "--db", "{db}"], "lofte --db {db} evidence attach 1"),
    ],
)
def test_db_after_the_command_says_where_it_goes(
    tmp_path: Path, args: list[str], fixed: str
) -> None:
    db = f"sqlite:///{tmp_path / 'lofte.db'}"
    result = runner.invoke(app, [a.format(db=db) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == 2
    said = " ".join(result.output.split())  # as one line, whatever the box around it
    assert "No such option" not in said
    assert f"--db is a global option: put it before the command: {fixed.format(db=db)}" in said
    assert not (tmp_path / "lofte.db").exists()  # nothing ran


def test_the_suggested_command_line_works(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lofte.db'}"
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "tracker", "list"])
    assert result.exit_code == 0, result.output


def test_other_unknown_options_keep_click_s_message() -> None:
    result = runner.invoke(app, ["documents", "--kinds", "news"], env={"COLUMNS": "400"})
    assert result.exit_code == 2 and "No such option: --kinds" in result.output


def test_global_first_moves_the_last_use_before_a_double_dash() -> None:
    assert _global_first("--db", ["--db", "a", "ingest", "x", "--db", "b"]) == [
        "--db",
        "b",
        "--db",
        "a",
        "ingest",
        "x",
    ]
    assert _global_first("--db", ["ingest", "--", "--db"]) is None
    assert _global_first("--version", ["tracker", "list", "--version"]) == [
        "--version",
        "tracker",
        "list",
    ]
