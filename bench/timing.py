"""Timing helpers shared by the benchmarks (run as scripts: `python bench/bench_x.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed measurement."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_rate(call: Callable[[], object], seconds: float) -> float:
    """Calls per second: the best of three rounds of at least `seconds` / 3 each."""
    best = 0.0
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            call()
            calls += 1
        best = max(best, calls / elapsed)
    return best


def baseline_src(repo: Path, rev: str, into: Path) -> Path:
    """The `src/` folder of an earlier revision, unpacked with `git archive` into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_side(src: Path, driver: str, *args: str) -> dict[str, Any]:
    """Run a benchmark driver (Python source printing one JSON line) against the package in
    `src`, in its own subprocess with the same interpreter; its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-c", driver, *args],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{src}: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
