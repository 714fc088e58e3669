"""Ctrl-C during an ingest: it stops between inputs, and what it reports is what it stored."""

from __future__ import annotations

import os
import random
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lofte.ingest import IngestInterrupted, IngestOptions, ingest
from lofte.ingest_batch import BATCH_INPUTS
from lofte.model import SourceKind
from lofte.store import documents as document_store
from lofte.store.db import Store
from lofte.store.schema import DocumentBandRow, DocumentRow, RawBlobRow

WORDS = (
    "kommunen förskola skola budget park bibliotek vägar cykel buss hamn simhall äldreboende "
    "fritidsgård idrott bostäder klimat energi sjukvård tandvård kultur museum torg bro"
).split()


def news_files(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` distinct news texts of 40 words (long enough for near-duplicate keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    pick = random.Random(seed)
    paths = []
    for i in range(count):
        body = " ".join(pick.choice(WORDS) for _ in range(40))
        path = folder / f"nyhet-{i:05d}.txt"
        path.write_text(f"Nyhet {i}\n\n{body.capitalize()} {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def whole_documents(store: Store) -> int:
    """The number of documents stored, each checked to be whole: its raw bytes, its band keys
    (near-duplicate lookup) and, on SQLite, its search entry are there too."""
    with store.session() as s:
        documents = s.scalar(select(func.count()).select_from(DocumentRow)) or 0
        blobs = s.scalar(select(func.count()).select_from(RawBlobRow)) or 0
        per_document = select(DocumentBandRow.document_id, func.count()).group_by(
            DocumentBandRow.document_id
        )
        bands = {i: n for i, n in s.execute(per_document)}
        ids = set(s.scalars(select(DocumentRow.id)))
        if s.get_bind().dialect.name == "sqlite":
            indexed = s.scalar(text("SELECT count(*) FROM documents_fts")) or 0
            assert indexed == documents
    assert blobs == documents  # one file, one document, one raw copy
    assert set(bands) == ids and len(set(bands.values())) == (1 if ids else 0)
    return documents


def _press_ctrl_c(times: int = 1) -> None:
    for _ in range(times):
        os.kill(os.getpid(), signal.SIGINT)


def _after(n: int, action):  # type: ignore[no-untyped-def]
    """A callback that runs `action` on its n-th call."""
    calls = []

    def callback(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == n:
            action()

    return callback


OPTIONS = IngestOptions(kind=SourceKind.NEWS)


def test_ctrl_c_between_inputs_stops_with_the_report_of_those_stored(
    store: Store, tmp_path: Path
) -> None:
    files = news_files(tmp_path / "nyheter", 12)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(store, [str(tmp_path / "nyheter")], OPTIONS, on_input=_after(5, _press_ctrl_c))
    report = stopped.value.report
    assert isinstance(stopped.value, KeyboardInterrupt)  # callers that only know Ctrl-C stop
    assert (len(report.inputs), report.planned) == (5, len(files))
    assert report.total("inserted") == whole_documents(store) == 5


def _interrupt_while_storing(monkeypatch: pytest.MonkeyPatch, n: int, presses: int) -> None:
    """Ctrl-C pressed `presses` times while the n-th input's document is being saved."""
    save = document_store.save_document
    press = _after(n, lambda: _press_ctrl_c(presses))

    def saving(*args, **kwargs):  # type: ignore[no-untyped-def]
        press()
        return save(*args, **kwargs)

    monkeypatch.setattr(document_store, "save_document", saving)


@pytest.mark.parametrize(
    ("presses", "stored"),
    [(1, 5), (2, 4)],
    ids=["one press lets the input finish", "a second press rolls it back"],
)
def test_ctrl_c_while_an_input_is_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, presses: int, stored: int
) -> None:
    news_files(tmp_path / "nyheter", 12)
    _interrupt_while_storing(monkeypatch, 5, presses=presses)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(store, [str(tmp_path / "nyheter")], OPTIONS)
    report = stopped.value.report
    assert len(report.inputs) == report.total("inserted") == whole_documents(store) == stored


def test_ctrl_c_stops_the_reading_workers(store: Store, tmp_path: Path) -> None:
    """A batch large enough for worker processes: the files not yet stored are dropped and the
    workers stopped; the report is what the store holds. Ctrl-C is pressed while the 50th
    input is reported: the rest of its storing batch was committed with it and is reported
    too, and nothing after that batch is stored."""
    news_files(tmp_path / "nyheter", 400)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(
            store,
            [str(tmp_path / "nyheter")],
            OPTIONS,
            on_input=_after(50, _press_ctrl_c),
            workers=2,
        )
    report = stopped.value.report
    assert report.planned == 400 and 50 <= len(report.inputs) < 50 + BATCH_INPUTS
    assert report.total("inserted") == whole_documents(store) == len(report.inputs)


def test_two_presses_during_a_batch_commit_still_report_the_batch(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two presses arrive while a batch's commit runs in the database (they are handled once
    it returns). The batch is in the database then: it is reported whole, then the ingest
    stops (before, the second press threw its reports away: reported 0, stored 146). The
    presses come at the first commit after 30 saves, so at most 29 + BATCH_INPUTS inputs are
    stored: 400 inputs leave some unread whatever the batches' sizes (with 260, a loaded
    machine put the last 240 in the second batch, and all were stored before the press)."""
    news_files(tmp_path / "nyheter", 400)
    armed: list[bool] = []
    save = document_store.save_document

    def saving(*args, **kwargs):  # type: ignore[no-untyped-def]
        armed.append(True)  # a batch is open: its commit is the next one
        return save(*args, **kwargs)

    dialect = store.engine.dialect
    commit = dialect.do_commit

    def committing(dbapi_connection):  # type: ignore[no-untyped-def]
        commit(dbapi_connection)
        if len(armed) >= 30:
            armed.clear()
            _press_ctrl_c(2)

    monkeypatch.setattr(document_store, "save_document", saving)
    monkeypatch.setattr(dialect, "do_commit", committing)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(store, [str(tmp_path / "nyheter")], OPTIONS, workers=2)
    report = stopped.value.report
    assert 30 <= len(report.inputs) < 30 + BATCH_INPUTS < 400
    assert report.total("inserted") == whole_documents(store) == len(report.inputs)


def test_two_presses_while_a_batch_is_reported_lose_no_report(store: Store, tmp_path: Path) -> None:
    news_files(tmp_path / "nyheter", 260)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(
            store,
            [str(tmp_path / "nyheter")],
            OPTIONS,
            on_input=_after(10, lambda: _press_ctrl_c(2)),
            workers=2,
        )
    report = stopped.value.report
    assert 10 <= len(report.inputs) < 260
    assert report.total("inserted") == whole_documents(store) == len(report.inputs)


def test_ctrl_c_commits_the_open_batch_before_waiting_for_the_workers(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers may take long to stop (an input being read runs to its end): the inputs
    stored are committed first, so the database's write lock is not held meanwhile."""
    import lofte.ingest

    news_files(tmp_path / "nyheter", 260)
    events: list[str] = []
    dialect = store.engine.dialect
    commit = dialect.do_commit

    def committing(dbapi_connection):  # type: ignore[no-untyped-def]
        commit(dbapi_connection)
        events.append("commit")

    real_prepare = lofte.ingest.prepare_inputs

    def watched_prepare(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            yield from real_prepare(*args, **kwargs)
        finally:
            events.append("workers stopped")

    monkeypatch.setattr(lofte.ingest, "prepare_inputs", watched_prepare)
    _interrupt_while_storing(monkeypatch, 30, presses=1)
    monkeypatch.setattr(dialect, "do_commit", committing)
    with pytest.raises(IngestInterrupted) as stopped:
        ingest(store, [str(tmp_path / "nyheter")], OPTIONS, workers=2)
    assert events[-2:] == ["commit", "workers stopped"]
    report = stopped.value.report
    assert report.total("inserted") == whole_documents(store) == len(report.inputs) >= 30
