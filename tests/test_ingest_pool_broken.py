"""A pool of reading workers broken between two inputs handed to it (a worker killed while the
storing process was busy) costs no input: the one refused is read again, like those the dead
worker held, and the batch goes on (docs/cli.md, `--workers`)."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from lofte import ingest_prepare
from lofte.config import Settings
from lofte.ingest import Outcome, ingest
from lofte.ingest_prepare import PreparedInput, prepare_inputs
from lofte.ingest_records import IngestOptions
from lofte.store.db import Store

BODY = "Kommunen bygger {n} nya förskoleplatser i stadsdelen, meddelar nämnden nummer {n}."


def _files(folder: Path, count: int) -> list[tuple[str, str]]:
    folder.mkdir(parents=True)
    pairs = []
    for n in range(count):
        path = folder / f"nyhet-{n:02d}.md"
        path.write_text(f"# Nyhet {n}\n\n{BODY.format(n=n)}\n", "utf-8")
        pairs.append((str(path), str(folder)))
    return pairs


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool for a dozen files, two inputs in flight: the refill hands inputs to the pool
    while earlier ones are stored."""
    monkeypatch.setattr(ingest_prepare, "POOL_MIN_INPUTS", 4)
    monkeypatch.setattr(ingest_prepare, "IN_FLIGHT_PER_WORKER", 2)


def _break_at_submit(monkeypatch: pytest.MonkeyPatch, at: int, *, kill: bool) -> list[int]:
    """Pools whose `at`-th input (counted over every pool) meets a broken pool: with `kill`,
    its worker is killed first, as the kernel's out-of-memory killer would, and the submit
    raises as the pool then does; without, the submit raises BrokenProcessPool itself."""
    submitted: list[int] = []
    real_pool = ingest_prepare._pool

    class Breaking(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            submitted.append(len(submitted) + 1)
            if len(submitted) == at:
                if not kill:
                    raise BrokenProcessPool("a worker died")
                for pid in list(
                    self._processes
                ):  # private: the pool names its workers nowhere else
                    os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + 30
                while not self._broken:  # the pool's manager thread notices the death
                    assert time.monotonic() < deadline, "the pool never broke"
                    time.sleep(0.01)
            return super().submit(fn, *args, **kwargs)

    def breaking_pool(workers: int) -> ProcessPoolExecutor:
        made = real_pool(workers)
        made.__class__ = Breaking  # the pool as Löfte makes it, with this submit
        return made

    monkeypatch.setattr(ingest_prepare, "_pool", breaking_pool)
    return submitted


@pytest.mark.parametrize("kill", [False, True], ids=["submit-refused", "worker-killed"])
@pytest.mark.usefixtures("small_pool")
def test_a_pool_broken_between_two_submits_loses_no_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kill: bool
) -> None:
    pairs = _files(tmp_path / "in", 12)
    submitted = _break_at_submit(monkeypatch, 5, kill=kill)  # a refill, not the first fill
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    got = list(prepare_inputs(pairs, IngestOptions(), settings, workers=1))
    assert len(submitted) > 5  # the pool was rebuilt and the rest handed to it
    assert [origin for origin, _ in got] == [origin for origin, _ in pairs]  # input order
    assert all(isinstance(item, PreparedInput) for _, item in got), got
    titles = [item.documents[0].doc.title for _, item in got if isinstance(item, PreparedInput)]
    assert titles == [f"Nyhet {n}" for n in range(12)]


@pytest.mark.usefixtures("small_pool")
def test_ingest_through_a_broken_pool_stores_every_input(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: BrokenProcessPool from the refill ended the whole ingest with a traceback."""
    _files(tmp_path / "in", 12)
    _break_at_submit(monkeypatch, 7, kill=False)
    report = ingest(store, [str(tmp_path / "in")], workers=1)
    assert [r.outcome for r in report.inputs] == [Outcome.INSERTED] * 12
    assert report.total("inserted") == 12
