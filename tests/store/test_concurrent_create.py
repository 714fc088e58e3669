"""Two processes creating the same new database at the same moment (two `lofte init`, an
`init` beside a `lofte import`, the demo started twice): both succeed, the schema is made once.

Each round the parent readies an empty database (a new SQLite file; PostgreSQL's schema
wiped), names a moment just ahead and meets the two processes at a barrier; both spin until
that moment (waking from the barrier alone spreads them by milliseconds under load, enough to
miss the race) and then open it with `create=True`. Three rounds per run.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from lofte.store.db import Store, current_revision, head_revision

from ..conftest import _reset_postgres

PROCESSES = 2
ROUNDS = 3
LEAD = 0.3  # seconds from the barrier to the moment both processes start


def _create_worker(urls: list[str], barrier: Any, start: Any, results: Any) -> None:
    from lofte.store.db import open_store

    for url in urls:
        barrier.wait(120)
        while time.time() < start.value:
            pass
        try:
            open_store(url, create=True).dispose()
            results.put((url, "ok"))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            results.put((url, f"{type(exc).__name__}: {exc}"))


def test_two_processes_creating_a_new_database_at_once_both_succeed(
    db_url: str, tmp_path: Path
) -> None:
    sqlite = db_url.startswith("sqlite")
    urls = (
        [f"sqlite:///{tmp_path / f'new-{n}.db'}" for n in range(ROUNDS)]
        if sqlite
        else [db_url] * ROUNDS
    )
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
    barrier, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()  # the parent starts each round
    start = ctx.Value("d", 0.0)
    workers = [
        ctx.Process(target=_create_worker, args=(urls, barrier, start, results))
        for _ in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    failures: list[tuple[int, str]] = []
    try:
        for n, url in enumerate(urls):
            if not sqlite:
                _reset_postgres(url)
            start.value = time.time() + LEAD
            barrier.wait(120)
            outcomes = [results.get(timeout=180)[1] for _ in range(PROCESSES)]
            failures += [(n, outcome) for outcome in outcomes if outcome != "ok"]
            store = Store(url)
            try:
                assert current_revision(store.engine) == head_revision()
                assert "pledges" in inspect(store.engine).get_table_names()
            finally:
                store.dispose()
    finally:
        for w in workers:
            w.join(30)
    assert not failures, f"{len(failures)} of {PROCESSES * ROUNDS} creations failed: {failures}"


_HOLDER = """
import sqlite3, sys, time
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
holder.execute("CREATE TABLE other (x)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
holder.execute("ROLLBACK")  # its table kept would be another program's: Löfte refuses those
"""


def test_opening_a_new_file_another_process_is_writing_waits_for_it(tmp_path: Path) -> None:
    """The first statement of a connection switches the file to WAL, which needs it to itself:
    SQLite answered that SQLITE_BUSY at once, without the busy timeout, while another process
    held a write lock on a file not yet in WAL mode (another Löfte creating it, an import
    script, the sqlite3 shell). Now it waits, as for any lock."""
    import subprocess
    import sys

    from lofte.store.db import open_store

    path = tmp_path / "new.db"
    hold = 2.0
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(hold)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        store = open_store(f"sqlite:///{path}", create=True)  # before: "database is locked"
        try:
            assert current_revision(store.engine) == head_revision()
            tables = set(inspect(store.engine).get_table_names())
            assert "pledges" in tables and "other" not in tables  # it waited, then made them
        finally:
            store.dispose()
    finally:
        assert holder.wait(30) == 0
