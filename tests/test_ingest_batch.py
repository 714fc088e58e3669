"""Inputs stored several to a transaction, each in a savepoint (lofte.ingest_batch)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from lofte import ingest_batch
from lofte.ingest_batch import BATCH_INPUTS, StoringBatch
from lofte.ingest_prepare import PreparedInput
from lofte.ingest_records import InputReport, Outcome
from lofte.model import RawInput, SourceKind
from lofte.store import documents as document_store
from lofte.store.db import Session, Store
from lofte.store.schema import DocumentRow, RawBlobRow


def _input(n: int) -> PreparedInput:
    return PreparedInput(
        origin=f"in-{n:03d}.txt",
        data=f"bytes of input {n}".encode(),
        media_type="text/plain",
        reader="plaintext",
        reader_version="1",
        kind=SourceKind.NEWS,
        documents=[],
    )


class Harness:
    """A batch whose inputs each store their bytes as one raw blob; what it reported, what
    was stored alone, how many commits the database saw."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reported: list[InputReport] = []
        self.alone: list[str] = []
        self.commits = 0
        self.fail: dict[str, BaseException] = {}  # origin -> raised by its write, once
        self.batch = StoringBatch(store, self.write, self.store_alone, self.reported.extend, list)

    def write(self, session: Session, prepared: PreparedInput) -> InputReport:
        document_store.put_raw(session, prepared.data, prepared.media_type)
        failure = self.fail.pop(prepared.origin, None)
        if failure is not None:
            raise failure
        return InputReport(origin=prepared.origin, inserted=1)

    def store_alone(self, prepared: PreparedInput) -> InputReport:
        self.alone.append(prepared.origin)
        with self.store.session() as session:
            return self.write(session, prepared)

    def stored(self) -> set[bytes]:
        with self.store.engine.connect() as connection:  # rolled back, not a commit counted
            return set(connection.scalars(select(RawBlobRow.data)))

    def count_commits(self) -> None:
        def counted(*_args: object) -> None:
            self.commits += 1

        event.listen(self.store.engine, "commit", counted)


@pytest.fixture
def harness(store: Store) -> Iterator[Harness]:
    made = Harness(store)
    made.count_commits()
    yield made
    made.batch.abort()


def test_inputs_are_reported_only_once_their_transaction_is_committed(harness: Harness) -> None:
    inputs = [_input(n) for n in range(5)]
    for prepared in inputs:
        harness.batch.add(prepared)
    assert harness.reported == [] and harness.stored() == set()  # not yet committed
    harness.batch.commit()
    assert [r.origin for r in harness.reported] == [p.origin for p in inputs]
    assert harness.stored() == {p.data for p in inputs}
    assert harness.commits == 1 and harness.alone == []


def test_a_full_batch_is_committed_without_being_asked(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the count alone: on a loaded machine (a CI run on PostgreSQL) adding 256 inputs took
    # longer than BATCH_SECONDS, and the time limit committed the batch first (162 of 256)
    monkeypatch.setattr(ingest_batch, "BATCH_SECONDS", 3600.0)
    for n in range(BATCH_INPUTS + 3):
        harness.batch.add(_input(n))
    assert len(harness.reported) == BATCH_INPUTS and harness.commits == 1
    harness.batch.commit()
    assert len(harness.reported) == BATCH_INPUTS + 3 and harness.commits == 2


def test_an_input_that_fails_is_rolled_back_alone_and_reported_in_its_place(
    harness: Harness,
) -> None:
    inputs = [_input(n) for n in range(4)]
    harness.fail[inputs[2].origin] = ValueError("a reader's bug")
    for prepared in inputs:
        harness.batch.add(prepared)
    harness.batch.commit()
    assert [(r.origin, r.outcome) for r in harness.reported] == [
        (inputs[0].origin, Outcome.INSERTED),
        (inputs[1].origin, Outcome.INSERTED),
        (inputs[2].origin, Outcome.FAILED),
        (inputs[3].origin, Outcome.INSERTED),
    ]
    assert "a reader's bug" in (harness.reported[2].error or "")
    assert harness.stored() == {p.data for n, p in enumerate(inputs) if n != 2}  # its blob too
    assert harness.alone == [] and harness.commits == 1


def test_a_database_error_stores_the_input_again_in_its_own_transaction(
    harness: Harness, store: Store
) -> None:
    """What another ingesting process's commit causes (a unique key taken meanwhile): the
    batch before it is committed and reported, then the input is tried alone, as it was
    before batches, and the batch goes on."""
    inputs = [_input(n) for n in range(4)]
    taken = hashlib.sha256(b"another process stored this").hexdigest()
    with store.session() as session:
        session.add(RawBlobRow(sha256=taken, size=1, media_type=None, data=b"x"))

    def collide(session: Session, prepared: PreparedInput) -> InputReport:
        session.add(RawBlobRow(sha256=taken, size=1, media_type=None, data=b"x"))
        session.flush()  # the unique key violation, raised by the database
        raise AssertionError("not reached")

    write = harness.batch._write
    harness.batch._write = lambda s, p: (collide if p is inputs[1] else write)(s, p)
    for prepared in inputs:
        harness.batch.add(prepared)
    harness.batch.commit()
    assert [r.origin for r in harness.reported] == [p.origin for p in inputs]
    assert all(r.outcome is Outcome.INSERTED for r in harness.reported)
    assert harness.alone == [inputs[1].origin]
    assert harness.stored() == {p.data for p in inputs} | {b"x"}
    assert harness.commits == 1 + 1 + 1 + 1  # the taken key, before, alone, after


def test_a_failed_commit_stores_every_input_of_the_batch_alone(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = [_input(n) for n in range(3)]
    for prepared in inputs:
        harness.batch.add(prepared)
    session = harness.batch._session
    assert session is not None

    def broken_commit() -> None:
        raise OSError("disk full")

    monkeypatch.setattr(session, "commit", broken_commit)
    harness.batch.commit()
    assert harness.alone == [p.origin for p in inputs]
    assert [r.origin for r in harness.reported] == harness.alone  # each reported once
    assert harness.stored() == {p.data for p in inputs}


def test_a_second_ctrl_c_while_storing_rolls_the_whole_batch_back(harness: Harness) -> None:
    inputs = [_input(n) for n in range(3)]
    harness.fail[inputs[2].origin] = KeyboardInterrupt()
    harness.batch.add(inputs[0])
    harness.batch.add(inputs[1])
    with pytest.raises(KeyboardInterrupt):
        harness.batch.add(inputs[2])
    harness.batch.commit()  # nothing left to commit
    assert harness.reported == [] and harness.stored() == set() and harness.commits == 0


def test_ctrl_c_inside_an_inputs_savepoint_commit_rolls_the_batch_back(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI: SIGTERM (as Ctrl-C) landed after the savepoint was marked committed but before it
    closed; the rollback then refused the half-changed session and the CLI printed a
    traceback, not its interrupted summary."""
    from sqlalchemy.orm.session import SessionTransaction

    inputs = [_input(n) for n in range(3)]
    real = SessionTransaction._remove_snapshot

    def interrupted(self: SessionTransaction) -> None:
        if self.nested:  # the third input's savepoint, marked committed, not yet closed
            raise KeyboardInterrupt
        real(self)

    harness.batch.add(inputs[0])
    harness.batch.add(inputs[1])
    monkeypatch.setattr(SessionTransaction, "_remove_snapshot", interrupted)
    with pytest.raises(KeyboardInterrupt):
        harness.batch.add(inputs[2])
    monkeypatch.undo()
    harness.batch.commit()  # nothing left to commit
    assert harness.reported == [] and harness.stored() == set() and harness.commits == 0


def test_the_write_lock_is_not_held_between_batches(harness: Harness, store: Store) -> None:
    """Once committed, another writer gets in at once (a SQLite file has one writer)."""
    harness.batch.add(_input(1))
    harness.batch.commit()
    other = Store(store.url, busy_wait=0.1)
    try:
        with other.session() as session:
            session.add(RawBlobRow(sha256="0" * 64, size=1, media_type=None, data=b"y"))
    finally:
        other.dispose()
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(RawBlobRow)) == 2


def test_what_was_stored_is_committed_before_the_next_input_is_read_here(
    store: Store, tmp_path: Path
) -> None:
    """Inputs read in this process (URLs, small batches) are never waited for inside an open
    transaction: each read sees every input before it committed (and a SQLite file is free
    for other writers meanwhile)."""
    from lofte.ingest import ingest

    paths = []
    for n in range(4):
        path = tmp_path / f"nyhet-{n}.txt"
        path.write_text(f"Nyhet {n}\n\nFullmäktige beslutade om ärende {n}.\n", "utf-8")
        paths.append(str(path))
    seen_committed: list[int] = []

    def read(origin: str) -> RawInput:
        with store.engine.connect() as connection:
            seen_committed.append(connection.scalar(select(func.count(DocumentRow.id))) or 0)
        return RawInput(Path(origin).read_bytes(), origin)

    report = ingest(store, paths, read=read)
    assert report.total("inserted") == 4
    assert seen_committed == [0, 1, 2, 3]
