"""Running the CLI in tests: one way to invoke it and to make the stores CLI tests start from."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app

runner = CliRunner()


def run_cli(db: str, *args: str) -> tuple[int, str]:
    """`lofte --db DB ARGS…`: its exit code and output."""
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def initialised_sqlite(folder: Path) -> str:
    """The URL of a new SQLite store in `folder`, made by `lofte init`."""
    url = f"sqlite:///{folder / 'cli.db'}"
    code, output = run_cli(url, "init")
    assert code == 0, output
    return url


def with_city_tracker(url: str) -> str:
    """`url` initialised, with the tracker `stad` ("Staden") added: the watch tests' store."""
    assert run_cli(url, "init")[0] == 0
    assert run_cli(url, "tracker", "add", "stad", "--name", "Staden")[0] == 0
    return url
