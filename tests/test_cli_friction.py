"""CLI friction (issue 12, item 8): a busy port, piped tables, what an export wrote."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import PIPED_WIDTH, app, console, port_free
from lofte.errors import ValidationError
from tests.cli_support import initialised_sqlite

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return initialised_sqlite(tmp_path)


def test_serve_on_a_busy_port_explains_and_exits_1(db: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ValidationError, match="already in use"):
            port_free("127.0.0.1", port)
        result = runner.invoke(app, ["--db", db, "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert "already in use" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


def test_piped_tables_are_not_cut_at_80_columns(db: str, tmp_path: Path) -> None:
    assert console.width == PIPED_WIDTH  # pytest's stdout is no terminal
    long_name = "Rödgröna styret i Stockholms stad 2022–2026 med en mycket lång beskrivning"
    result = subprocess.run(
        [sys.executable, "-m", "lofte", "--db", db, "tracker", "add", "lang", "--name", long_name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "lofte", "--db", db, "tracker", "list"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert long_name in listed.stdout


def test_export_says_what_it_wrote(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = runner.invoke(app, ["--db", db, "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    assert f"{target.stat().st_size} bytes" in result.output
    assert "trackers" in result.output and "pledges" in result.output
