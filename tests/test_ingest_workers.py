"""Ingest with worker processes gives what the in-process path gives, in input order, and a bad
input among many is still named while the rest is stored."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

from lofte.ingest import InputReport, Outcome, ingest
from lofte.ingest_prepare import POOL_MIN_INPUTS
from lofte.store import documents as document_store
from lofte.store.db import open_store

BODY = (
    "Kommunen bygger {n} nya förskoleplatser i stadsdelen och anställer fler pedagoger. "
    "Arbetet börjar under våren och ska vara klart till hösten, meddelar nämnden nummer {n}."
)


def _corpus(folder: Path, count: int) -> list[str]:
    for n in range(count):
        month = folder / "nyheter" / "2024" / f"{n % 12 + 1:02d}"
        month.mkdir(parents=True, exist_ok=True)
        (month / f"nyhet-{n:04d}.md").write_text(f"# Nyhet {n}\n\n{BODY.format(n=n)}\n", "utf-8")
    (folder / "nyheter" / "2024" / "01" / "trasig.md").write_bytes(b"\x00\x01\x02" * 50)
    return [str(folder / "nyheter")]


def _documents(url: str) -> list[tuple[object, ...]]:
    store = open_store(url)
    with store.session() as session:
        docs = document_store.list_documents(session)
    store.dispose()
    return [
        (Path(d.origin).name, d.title, d.body, d.date, d.language, d.category, d.content_hash)
        for d in docs
    ]


def test_workers_store_the_same_documents_in_the_same_order(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path / "in", POOL_MIN_INPUTS + 20)
    reports = {}
    for workers in (0, 1):
        url = f"sqlite:///{tmp_path}/w{workers}.db"
        store = open_store(url, create=True)
        reports[workers] = ingest(store, inputs, workers=workers)
        store.dispose()
    serial, pooled = reports[0], reports[1]
    assert [r.origin for r in pooled.inputs] == [r.origin for r in serial.inputs]
    assert [r.outcome for r in pooled.inputs] == [r.outcome for r in serial.inputs]
    failed = [r for r in pooled.inputs if r.outcome is Outcome.FAILED]
    assert [Path(r.origin).name for r in failed] == ["trasig.md"] and failed[0].error
    assert pooled.total("inserted") == POOL_MIN_INPUTS + 20
    serial_docs = _documents(f"sqlite:///{tmp_path}/w0.db")
    assert _documents(f"sqlite:///{tmp_path}/w1.db") == serial_docs
    first = serial_docs[0]
    assert first[3] is not None and first[3].provenance.value == "path"  # dated by its folder
    assert first[4] == "sv" and first[5] == "nyheter"


def test_a_worker_that_dies_fails_no_input_and_the_batch_lands(tmp_path: Path) -> None:
    # A worker killed mid-batch (as the kernel's out-of-memory killer would) broke the pool,
    # and every input it still held failed with BrokenProcessPool: 591 of 600 in a run by hand.
    inputs = _corpus(tmp_path / "in", POOL_MIN_INPUTS + 100)
    store = open_store(f"sqlite:///{tmp_path}/dog.db", create=True)
    killed: list[int] = []

    def kill_a_worker(item: InputReport) -> None:
        if not killed:
            worker = multiprocessing.active_children()[0]  # the pool's reading processes
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    report = ingest(store, inputs, workers=2, on_input=kill_a_worker)
    store.dispose()
    assert killed
    failed = [Path(r.origin).name for r in report.inputs if r.outcome is Outcome.FAILED]
    assert failed == ["trasig.md"]  # only the input that is broken itself
    assert report.total("inserted") == POOL_MIN_INPUTS + 100
    assert len(_documents(f"sqlite:///{tmp_path}/dog.db")) == POOL_MIN_INPUTS + 100
