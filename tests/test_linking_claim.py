"""One `lofte link` run per tracker at a time (linking_claim): a second run while one links
does nothing for that tracker and says who holds it; a run killed outright does not block the
next for ever; the claim is freed when a run ends, Ctrl-C included."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte import linking, linking_claim
from lofte.cli import app
from lofte.config import get_settings
from lofte.store import link_claims
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store, utcnow
from tests.test_linking import _load
from tests.test_linking_interrupt import BATCH, _ctrl_c_in_batch, _linked

HERE = socket.gethostname()


def _hold(store: Store, holder: str, *, lease: dt.timedelta = linking_claim.LEASE) -> None:
    with store.session() as s:
        tid = tracker_store.get_tracker(s, "sthlm").id
        now = utcnow()
        assert link_claims.claim(s, tid, holder, now, now + lease)


def _holder(store: Store) -> link_claims.Claim | None:
    with store.session() as s:
        return link_claims.current(s, tracker_store.get_tracker(s, "sthlm").id)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def one_worker(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Batches linked in this process, one after the other: where a run stops is known."""
    monkeypatch.setenv("LOFTE_LINK_WORKERS", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def loaded(store: Store, seeds_dir: Path) -> Store:
    _load(store, seeds_dir)
    return store


def test_a_tracker_another_live_run_holds_is_left_alone(loaded: Store) -> None:
    _hold(
        loaded, linking_claim.holder_of(os.getpid(), "other")
    )  # this process lives: a live holder
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert report.busy and report.documents_scored == report.suggestions == 0
    (error,) = report.errors
    assert error.startswith("sthlm: not linked, another `lofte link` run is linking it")
    assert f"process {os.getpid()} on {HERE} since" in error
    assert _linked(loaded) == (set(), set(), 0)  # nothing read, scored or written
    with loaded.session() as s:
        link_claims.release(
            s,
            tracker_store.get_tracker(s, "sthlm").id,
            linking_claim.holder_of(os.getpid(), "other"),
        )
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert not report.busy and report.documents_scored == 51 and not report.errors
    assert _holder(loaded) is None  # freed at the end


def test_a_dead_holder_of_this_host_is_taken_over_at_once(loaded: Store) -> None:
    _hold(loaded, linking_claim.holder_of(_dead_pid(), "killed"))  # `kill -9` left its claim
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert not report.busy and report.documents_scored == 51
    assert _holder(loaded) is None


def test_a_dead_pid_of_another_pid_namespace_is_not_taken_for_gone(loaded: Store) -> None:
    """Two containers with one host name: a process id of the other is no process here, yet
    that run lives (review). Only the lease frees it."""
    holder = f"{HERE}:1:{_dead_pid()}:other-container"
    _hold(loaded, holder)
    assert not linking_claim.gone_here(holder)
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert report.busy


def test_another_hosts_holder_blocks_until_its_lease_runs_out(loaded: Store) -> None:
    _hold(loaded, "other-host:-:1:x")
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert report.busy and "process 1 on other-host" in report.errors[0]
    with loaded.session() as s:  # its lease ran out: the process is gone or stuck
        tid = tracker_store.get_tracker(s, "sthlm").id
        assert link_claims.renew(s, tid, "other-host:-:1:x", utcnow() - dt.timedelta(seconds=1))
    (report,) = linking.link(loaded, "sthlm", dense=False)
    assert not report.busy and report.documents_scored == 51


def test_ctrl_c_frees_the_claim(
    loaded: Store, monkeypatch: pytest.MonkeyPatch, one_worker: None
) -> None:
    _ctrl_c_in_batch(monkeypatch, 2)
    with pytest.raises(linking.LinkInterrupted):
        linking.link(loaded, "sthlm", dense=False)
    assert _holder(loaded) is None


@pytest.mark.parametrize("renew_after", [0.0, 3600.0])
def test_a_run_whose_claim_was_taken_over_stops_and_says_so(
    loaded: Store, monkeypatch: pytest.MonkeyPatch, one_worker: None, renew_after: float
) -> None:
    """Its lease ran out (a run stalled past it) and another run took the tracker: the first
    stops at its next renewal, keeping the batches it stored."""
    monkeypatch.setattr(linking, "BATCH", BATCH)
    # 0: the check between batches sees it; an hour: only the batch's own transaction does
    # (its conditional renewal), and the batch linked meanwhile is rolled back, not written
    monkeypatch.setattr(linking_claim, "RENEW_AFTER", renew_after)

    def taken_over(done: int, total: int) -> None:
        if done == BATCH:
            with loaded.session() as s:
                tid = tracker_store.get_tracker(s, "sthlm").id
                now = utcnow()
                link_claims.claim(
                    s,
                    tid,
                    "other-host:-:2:y",
                    now + linking_claim.LEASE * 2,
                    now + linking_claim.LEASE * 3,
                )

    (report,) = linking.link(loaded, "sthlm", dense=False, on_progress=taken_over)
    assert len(report.errors) == 1 and "another run took the tracker over" in report.errors[0]
    marked, _, _ = _linked(loaded)
    assert report.documents_scored == len(marked) == BATCH  # stopped after its first batch
    held = _holder(loaded)
    assert held is not None and held.holder == "other-host:-:2:y"  # not freed: not its own


def test_lofte_link_on_a_held_tracker_exits_1_naming_the_holder(loaded: Store) -> None:
    _hold(loaded, "other-host:-:7:z")
    result = CliRunner().invoke(
        app,
        ["--db", loaded.engine.url.render_as_string(hide_password=False), "link", "--dense", "off"],
    )
    assert result.exit_code == 1, result.output
    assert (
        "sthlm: not linked, another `lofte link` run is linking it (process 7 on other-host"
        in result.output
    )
    assert "suggestions from" not in result.output  # no "0 suggestions" line for it


def _run_link(url: str, go: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(url)
    write = linking._write

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.15)  # a run lasts a second or more: the two overlap
        return write(*args, **kwargs)

    linking._write = slow  # type: ignore[assignment]
    linking.BATCH = BATCH
    go.wait()
    try:
        (report,) = linking.link(store, "sthlm", dense=False)
        out.put((report.documents_scored, getattr(report, "busy", False)))
    except Exception as exc:  # noqa: BLE001 - the test shows it
        out.put((-1, repr(exc)))
    finally:
        store.dispose()


def test_two_runs_at_once_link_each_document_once(
    sqlite_store: Store, seeds_dir: Path, one_worker: None
) -> None:
    """Two processes start `link` at the same moment: one links all 51 documents, the other
    finds the tracker held. Before claims, both scored all 51 (102 in their reports)."""
    _load(sqlite_store, seeds_dir)
    context = multiprocessing.get_context("fork")
    go, out = context.Event(), context.Queue()
    runs = [
        context.Process(target=_run_link, args=(str(sqlite_store.engine.url), go, out))
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    go.set()
    results = sorted(out.get(timeout=120) for _ in runs)
    for run in runs:
        run.join(30)
    assert results == [(0, True), (51, False)]
    assert len(_linked(sqlite_store)[0]) == 51
