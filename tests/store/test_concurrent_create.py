"""Two processes creating the same new SQLite file at the same moment (two `lofte init`, an
`init` beside a `lofte import`, the demo started twice): both succeed, the schema is made once.

Each round the processes meet at a barrier, then open the same path that does not exist yet
with `create=True`. Three rounds per run, each on a fresh file, so a lucky interleaving in one
round does not hide the race.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from lofte.store.db import Store, current_revision, head_revision

PROCESSES = 2
ROUNDS = 3


def _create_worker(urls: list[str], barrier: Any, results: Any) -> None:
    from lofte.store.db import open_store

    for url in urls:
        try:
            barrier.wait(120)
            open_store(url, create=True).dispose()
            results.put((url, "ok"))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            results.put((url, f"{type(exc).__name__}: {exc}"))


def test_two_processes_creating_a_new_sqlite_file_at_once_both_succeed(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'new-{n}.db'}" for n in range(ROUNDS)]
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=_create_worker, args=(urls, barrier, results)) for _ in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=180) for _ in range(PROCESSES * ROUNDS)]
    for w in workers:
        w.join(30)
    failures = [(url, outcome) for url, outcome in outcomes if outcome != "ok"]
    assert not failures, f"{len(failures)} of {len(outcomes)} creations failed: {failures}"
    for url in urls:
        store = Store(url)
        try:
            assert current_revision(store.engine) == head_revision()
            assert "pledges" in inspect(store.engine).get_table_names()
        finally:
            store.dispose()
