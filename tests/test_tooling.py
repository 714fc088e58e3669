"""The lint and type gate: `make test` runs ruff and mypy before pytest, and they catch things.

The full runs over LINT_PATHS and the mypy files happen once, in `make test` (and so in CI),
before the suite: they fail fast and are not repeated when pytest runs one folder. These tests
keep that gate from becoming a no-op: the Makefile wires it, every configured path exists, and
the project's configuration does report a planted finding of each kind.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _makefile() -> str:
    return (REPO / "Makefile").read_text()


def _lint_paths() -> list[str]:
    match = re.search(r"^LINT_PATHS\s*:?=\s*((?:.*\\\n)*.*)$", _makefile(), re.M)
    assert match, "the Makefile defines LINT_PATHS"
    return match[1].replace("\\\n", " ").split()


def _mypy_config() -> dict[str, object]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert isinstance(config, dict)
    return config


def _recipe(target: str) -> list[str]:
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", _makefile(), re.M)
    assert match, f"the Makefile has a {target} target"
    return [line.strip() for line in match[1].splitlines()]


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed beside {sys.executable}: `make install` adds it")
    return str(path)


def test_make_test_runs_ruff_and_mypy_before_pytest() -> None:
    assert re.search(r"^test:\s*lint\b", _makefile(), re.M), "`make test` depends on `make lint`"
    assert _recipe("lint") == [
        "$(BIN)/ruff check $(LINT_PATHS)",
        "$(BIN)/ruff format --check $(LINT_PATHS)",
        "$(BIN)/mypy",
    ]
    assert _recipe("test") == ["$(BIN)/python -m pytest $(PYTEST_ARGS)"]


def test_every_checked_path_exists() -> None:
    config = _mypy_config()
    files = config["files"]
    assert isinstance(files, list)
    for path in [*_lint_paths(), *files]:
        assert (REPO / path).exists(), path
    assert config["strict"] is True
    strict = {"src/lofte/model.py", "src/lofte/pipeline", "src/lofte/publish", "src/lofte/store"}
    assert strict <= set(files)
    assert {"src", "tests"} <= set(_lint_paths()), "ruff holds the whole tree"


def test_ruff_reports_a_planted_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef pairs(a, b):\n    return list(zip(a, b))\n")
    config = ["--config", str(REPO / "pyproject.toml")]
    done = subprocess.run(
        [_tool("ruff"), "check", *config, "--output-format", "concise", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "F401" in done.stdout and "B905" in done.stdout
    bad.write_text("x = {'a':1}\n")
    done = subprocess.run(
        [_tool("ruff"), "format", *config, "--check", str(bad)], capture_output=True, timeout=60
    )
    assert done.returncode == 1


def test_mypy_reports_a_planted_finding_strictly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def double(x):\n    return x * 2\n")
    config = ["--config-file", str(REPO / "pyproject.toml"), "--no-incremental"]
    done = subprocess.run(
        [_tool("mypy"), *config, str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[no-untyped-def]" in done.stdout
    assert "bad.py" in done.stdout
