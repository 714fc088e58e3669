"""Worker processes for batches of linking work (`pipeline/link_pool.py`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from lofte.pipeline.link_pool import map_forked


def test_results_come_back_in_order_from_other_processes() -> None:
    results = list(map_forked(lambda n: (n * n, os.getpid()), range(20), workers=2))
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert {pid for _, pid in results} - {os.getpid()}  # computed in workers
    assert os.getpid() not in {pid for _, pid in results}


def test_the_task_may_close_over_what_cannot_be_pickled(tmp_path: Path) -> None:
    lock = threading.Lock()  # unpicklable: the function is inherited by fork, not sent

    def task(n: int) -> int:
        with lock:
            return n + 1

    def after_fork() -> None:
        (tmp_path / str(os.getpid())).write_text("started", encoding="utf-8")

    assert list(map_forked(task, range(5), workers=2, after_fork=after_fork)) == [1, 2, 3, 4, 5]
    started = {int(p.name) for p in tmp_path.iterdir()}
    assert started and os.getpid() not in started


def test_pools_running_at_once_in_two_threads_keep_their_own_tasks() -> None:
    out: dict[str, list[str]] = {}

    def run(tag: str) -> None:
        out[tag] = list(map_forked(lambda n: f"{tag}{n}", range(30), workers=2))

    threads = [threading.Thread(target=run, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {tag: [f"{tag}{n}" for n in range(30)] for tag in "ab"}


def test_one_worker_runs_here() -> None:
    assert list(map_forked(lambda _: os.getpid(), range(3), workers=1)) == [os.getpid()] * 3


def _as_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def test_workers_end_quietly_under_a_parent_that_turns_sigterm_into_ctrl_c(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # QA: a `lofte link` that went well printed a KeyboardInterrupt traceback per worker: the
    # pool ends its workers with SIGTERM, and they had inherited the CLI's handler
    import signal
    import time

    previous = signal.signal(signal.SIGTERM, _as_ctrl_c)
    try:
        assert list(map_forked(abs, [-1, -2, -3, -4], workers=2)) == [1, 2, 3, 4]
    finally:
        signal.signal(signal.SIGTERM, previous)
    time.sleep(0.5)  # the workers' last words, if any
    err = capfd.readouterr().err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
