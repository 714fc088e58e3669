"""Several processes ingesting the same inputs into one store at once: no false failures.

Every process meets the others at a barrier, then ingests the same folder. Whoever stores an
input first wins; the others find it stored (a shared raw blob is insert-or-ignore, a document
stored meanwhile makes the input be tried again) and report it unchanged, never failed.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lofte.ingest_prepare import POOL_MIN_INPUTS
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, RawBlobRow

PROCESSES = 6
FILES = 60


def _ingest_worker(url: str, folder: str, barrier: Any, results: Any) -> None:
    import lofte.ingest
    import lofte.ingest_prepare
    from lofte.store.db import open_store

    # Loading the language detector's dictionaries costs each process many seconds and has
    # nothing to do with what is tested here.
    lofte.ingest_prepare.detect_language = lambda text: "sv"  # type: ignore[assignment]
    store = open_store(url)
    try:
        barrier.wait(120)
        report = lofte.ingest.ingest(store, [folder])
        results.put([(r.origin, r.outcome.value, r.error) for r in report.inputs])
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put([("worker", "failed", f"{type(exc).__name__}: {exc}")])
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("processes", "files"),
    [(PROCESSES, FILES), (2, POOL_MIN_INPUTS + 60)],
    ids=["inputs read in each process", "batches from worker processes"],
)
def test_processes_ingesting_the_same_files_report_no_failures(
    store: Store, db_url: str, tmp_path: Path, processes: int, files: int
) -> None:
    """With worker processes, each ingest stores many inputs per transaction (ingest_batch):
    a key the other process holds uncommitted makes an input wait for its commit, and be
    stored again alone, found unchanged."""
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(files):
        (folder / f"nyhet-{i:03}.txt").write_text(
            f"Nyhet nummer {i} från Sjövik\n\nFullmäktige beslutade i ärende {i} om {i * 7} kronor.\n",
            encoding="utf-8",
        )
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    workers = [
        ctx.Process(target=_ingest_worker, args=(db_url, str(folder), barrier, results))
        for _ in range(processes)
    ]
    started = time.monotonic()
    for w in workers:
        w.start()
    reports = [results.get(timeout=180) for _ in workers]
    for w in workers:
        w.join(30)
    failures = [
        (origin, error)
        for report in reports
        for origin, outcome, error in report
        if outcome == "failed"
    ]
    dialect = store.engine.dialect.name
    assert not failures, (
        f"{dialect}: {len(failures)} of {processes * files} inputs failed "
        f"in {time.monotonic() - started:.0f} s, e.g. {failures[:3]}"
    )
    assert all(len(report) == files for report in reports)
    with store.session() as s:
        stored = s.execute(
            select(DocumentRow.origin, func.count()).group_by(DocumentRow.origin)
        ).all()
        blobs = s.scalar(select(func.count()).select_from(RawBlobRow))
    assert len(stored) == files and all(n == 1 for _, n in stored), "a document was stored twice"
    assert blobs == files


def _new_tracker_worker(url: str, folder: str, barrier: Any, results: Any) -> None:
    import lofte.ingest
    import lofte.ingest_prepare
    from lofte.ingest_records import IngestOptions
    from lofte.store.db import open_store

    lofte.ingest_prepare.detect_language = lambda text: "sv"  # type: ignore[assignment]
    store = open_store(url)
    try:
        barrier.wait(120)
        report = lofte.ingest.ingest(store, [folder], IngestOptions(tracker="ny-bevakning"))
        failed = [r.error for r in report.inputs if r.error]
        results.put(("failed", failed) if failed else ("made", report.created_tracker))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def test_of_ingests_racing_to_a_new_tracker_one_says_it_made_it(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    """QA: two ingests at once into a missing --tracker both said they had made it (each saw
    it missing before it started). The database lets one insert win; only that one says so."""
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(6):
        (folder / f"nyhet-{i}.txt").write_text(f"Nyhet {i}\n\nÄrende {i} i Sjövik.\n", "utf-8")
    ctx = multiprocessing.get_context("spawn")
    processes = 4
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    workers = [
        ctx.Process(target=_new_tracker_worker, args=(db_url, str(folder), barrier, results))
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    said = [results.get(timeout=180) for _ in workers]
    for w in workers:
        w.join(30)
    assert all(kind == "made" for kind, _ in said), said
    assert [value for _, value in said].count("ny-bevakning") == 1, said
