"""Ctrl-C on `lofte ingest` and `lofte link`, as an admin presses it: the command stops, says
what was committed, and exits 130; the store holds whole documents only."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from lofte.store.db import open_store
from tests.test_ingest_interrupt import news_files, whole_documents

SUMMARY = re.compile(
    r"interrupted: (\d+) of (\d+) inputs done \((\d+) failed\), (\d+) documents inserted "
    r"and (\d+) updated; the other (\d+) inputs were not stored"
)


def _documents(url: str) -> int:
    store = open_store(url)
    try:
        with store.session() as s:
            from sqlalchemy import func, select

            from lofte.store.schema import DocumentRow

            return s.scalar(select(func.count()).select_from(DocumentRow)) or 0
    finally:
        store.dispose()


def _interrupt_when(proc: subprocess.Popen[bytes], ready: callable, timeout: float) -> None:  # type: ignore[valid-type]
    """Once `ready()` holds, send SIGINT to the command's process group, as a terminal does on
    Ctrl-C (the worker processes get it too)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the command ended before it could be interrupted"
        assert time.monotonic() < deadline, "the command never got going"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)


def test_ctrl_c_on_ingest_prints_what_was_stored_and_exits_130(tmp_path: Path) -> None:
    count = 3000  # files: read by two worker processes, as a large folder is
    news_files(tmp_path / "nyheter", count)
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    open_store(url, create=True).dispose()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lofte", "--db", url, "ingest", str(tmp_path / "nyheter")]
        + ["--kind", "news", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
        start_new_session=True,  # its own process group, like a command run from a shell
    )
    try:
        _interrupt_when(proc, lambda: _documents(url) >= 20, timeout=240)
        out, err = proc.communicate(timeout=60)  # it used to hang here, its workers stopped
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stderr = err.decode()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr, stderr
    found = SUMMARY.search(stderr)
    assert found, stderr
    done, planned, failed, inserted, updated, rest = map(int, found.groups())
    assert planned == count and 20 <= done < count and done + rest == count
    assert (failed, updated) == (0, 0)
    store = open_store(url)
    try:
        assert whole_documents(store) == inserted == done  # one document per file
    finally:
        store.dispose()
    table = out.decode()  # the usual report, of the inputs stored: a row each, or a summary
    assert table.count("nyhet-") == done if done <= 100 else f"│ {done} " in table
