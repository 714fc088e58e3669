"""Ctrl-C during `lofte link`: whole batches stay, the batch cut short is rolled back, and the
report (and the CLI's summary) says what the store holds."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lofte import linking
from lofte.cli import app
from lofte.config import get_settings
from lofte.ingest import IngestOptions, ingest
from lofte.model import SourceKind
from lofte.store import evidence as evidence_store
from lofte.store.db import Store
from lofte.store.schema import StageMarkRow
from tests.test_linking import _load

BATCH = 7  # the seeds' 51 news items: 8 batches


@pytest.fixture
def workers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The link workers setting: 1 (batches linked in this process) unless parametrized."""
    monkeypatch.setenv("LOFTE_LINK_WORKERS", str(getattr(request, "param", 1)))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _ctrl_c_in_batch(monkeypatch: pytest.MonkeyPatch, n: int):  # type: ignore[no-untyped-def]
    """Ctrl-C pressed while the n-th batch's suggestions are written (in its transaction);
    returns the unpatched writer."""
    monkeypatch.setattr(linking, "BATCH", BATCH)
    write = linking._write
    calls = []

    def writing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        result = write(*args, **kwargs)
        if len(calls) == n:
            os.kill(os.getpid(), signal.SIGINT)  # before the batch commits
        return result

    monkeypatch.setattr(linking, "_write", writing)
    return write


def _linked(store: Store) -> tuple[set[int], set[int], int]:
    """(documents marked linked, documents with suggestions, suggestions waiting)."""
    with store.session() as s:
        marked = set(
            s.scalars(
                select(StageMarkRow.entity_id).where(
                    StageMarkRow.stage == "link", StageMarkRow.entity_type == "document"
                )
            )
        )
        found = evidence_store.list_evidence(s)
    return marked, {e.document_id for e in found}, len(found)


def test_ctrl_c_keeps_whole_batches_and_reports_them(
    sqlite_store: Store, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, workers: None
) -> None:
    store = sqlite_store
    _load(store, seeds_dir)
    write = _ctrl_c_in_batch(monkeypatch, 3)
    with pytest.raises(linking.LinkInterrupted) as stopped:
        linking.link(store, "sthlm", dense=False)
    assert isinstance(stopped.value, KeyboardInterrupt)
    (report,) = stopped.value.reports
    marked, with_suggestions, waiting = _linked(store)
    assert report.interrupted and report.documents_new == 51
    assert report.documents_scored == len(marked) == 2 * BATCH  # the third batch rolled back
    assert with_suggestions <= marked and report.suggestions_waiting == waiting > 0
    monkeypatch.setattr(linking, "_write", write)
    (rest,) = linking.link(store, "sthlm", dense=False)  # the next run goes on with the rest
    assert rest.documents_scored == 51 - 2 * BATCH
    # the pledges were scored against every document the first run stored: the rest of the
    # documents is all there is to do (QA: every pledge was "new or edited" again, and the
    # whole record was read for them)
    assert rest.pledges_rescored == 0
    assert rest.documents_new == 51 - 2 * BATCH


def test_lofte_link_prints_what_it_stored_and_exits_130(
    sqlite_store: Store, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, workers: None
) -> None:
    store = sqlite_store
    _load(store, seeds_dir)
    _ctrl_c_in_batch(monkeypatch, 2)
    result = CliRunner().invoke(app, ["--db", str(store.engine.url), "link", "--dense", "off"])
    _, _, waiting = _linked(store)
    assert result.exit_code == 130, result.output
    assert (
        f"interrupted: sthlm: {BATCH} of 51 documents linked and stored, {waiting} suggestions "
        "waiting for review" in result.output
    ), result.output


@pytest.mark.parametrize("workers", [2], indirect=True)
def test_ctrl_c_with_worker_processes_reports_what_the_store_holds(
    sqlite_store: Store, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, workers: None
) -> None:
    """Ctrl-C reaches the workers too (a terminal signals the whole command): they leave the
    stopping to this process, and the report counts the batches the workers committed, also
    those whose results never came back."""
    store = sqlite_store
    _load(store, seeds_dir)
    monkeypatch.setattr(linking, "BATCH", BATCH)

    def first_batch_back(done: int, total: int) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGINT)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(linking.LinkInterrupted) as stopped:
        linking.link(store, "sthlm", dense=False, on_progress=first_batch_back)
    (report,) = stopped.value.reports
    marked, with_suggestions, waiting = _linked(store)
    assert report.documents_scored == len(marked) and len(marked) % BATCH == 0
    assert with_suggestions <= marked and report.suggestions_waiting == waiting


def test_documents_ingested_meanwhile_are_not_counted_against_the_run(
    sqlite_store: Store,
    seeds_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: None,
) -> None:
    """QA (a cron job): an ingest ran beside `lofte link`, which was then stopped, and it
    reported "-669 of 2331 documents linked and stored": the documents left unmarked were
    subtracted from those it set out to link, and the new ones are unmarked too."""
    store = sqlite_store
    _load(store, seeds_dir)
    monkeypatch.setattr(linking, "BATCH", BATCH)
    news = []
    for i in range(3 * BATCH):
        path = tmp_path / f"ny-{i}.txt"
        path.write_text(f"Nyhet nummer {i}: staden bygger {i} nya förskolor.", encoding="utf-8")
        news.append(str(path))

    def two_batches_then_an_ingest(done: int, total: int) -> None:
        if done == 2 * BATCH:
            report = ingest(store, news, IngestOptions(tracker="sthlm", kind=SourceKind.NEWS))
            assert report.total("inserted") == 3 * BATCH
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(linking.LinkInterrupted) as stopped:
        linking.link(store, "sthlm", dense=False, on_progress=two_batches_then_an_ingest)
    (report,) = stopped.value.reports
    marked, _, waiting = _linked(store)
    assert report.documents_new == 51
    assert report.documents_scored == len(marked) == 2 * BATCH
    assert report.suggestions_waiting == waiting


def test_a_whole_run_reports_the_suggestions_waiting_too(
    sqlite_store: Store, seeds_dir: Path, workers: None
) -> None:
    """QA: `link --json` said "suggestions_waiting": 0 beside 52 new suggestions (it was
    counted only when a run was interrupted)."""
    _load(sqlite_store, seeds_dir)
    (report,) = linking.link(sqlite_store, "sthlm", dense=False)
    _, _, waiting = _linked(sqlite_store)
    assert report.suggestions_waiting == waiting > 0
