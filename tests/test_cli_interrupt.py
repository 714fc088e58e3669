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
    r"interrupted: (\d+) of (\d+) inputs done \((\d+) failed\), (\d+) documents? inserted "
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


def _ingest(tmp_path: Path, count: int) -> tuple[subprocess.Popen[bytes], str]:
    """`lofte ingest` of `count` news files with two reading workers, as a subprocess."""
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
    return proc, url


def test_ctrl_c_on_ingest_prints_what_was_stored_and_exits_130(tmp_path: Path) -> None:
    count = 3000  # files: read by two worker processes, as a large folder is
    proc, url = _ingest(tmp_path, count)
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


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_sigterm_on_ingest_stops_it_as_ctrl_c_does(tmp_path: Path) -> None:
    """QA: `timeout` or systemd (SIGTERM) ended ingest with no summary, exit 143."""
    proc, url = _ingest(tmp_path, 3000)
    try:
        deadline = time.monotonic() + 240
        while _documents(url) < 20:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # to the command alone, as `timeout` sends it
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stderr = err.decode()
    assert proc.returncode == 130 and SUMMARY.search(stderr), stderr
    assert "Traceback" not in stderr, stderr


def test_killed_ingest_leaves_no_worker_behind(tmp_path: Path) -> None:
    """QA: after `kill -9` of ingest its reading worker was adopted by init and stayed."""
    proc, url = _ingest(tmp_path, 3000)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while len(workers) < 2 or _documents(url) < 5:
            assert proc.poll() is None and time.monotonic() < deadline
            workers = _children(proc.pid)
            time.sleep(0.05)
        proc.kill()  # SIGKILL to the command alone: nothing of it runs to stop the workers
        proc.wait()
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() and _alive(w) for w in workers):
            assert time.monotonic() < deadline, f"workers {workers} outlived their parent"
            time.sleep(0.05)
    finally:
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited: only its entry waits to be reaped


# Ctrl-C while the CLI's modules load: the import of lofte.cli is interrupted (deterministic:
# the hook raises where the signal would land).
_INTERRUPTED_IMPORT = """
import builtins
real = builtins.__import__
def cut(name, *args, **kwargs):
    if name in ("cli", "lofte.cli"):
        raise KeyboardInterrupt
    return real(name, *args, **kwargs)
builtins.__import__ = cut
from lofte.entry import run
run()
"""


def test_ctrl_c_while_the_cli_loads_is_no_traceback() -> None:
    # found by QA: Ctrl-C in the first two seconds printed a KeyboardInterrupt traceback
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_IMPORT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "interrupted\n"
