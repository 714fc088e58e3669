"""Prepared inputs stored several to a transaction, each in a savepoint of its own.

A commit costs more than storing a small input: SQLite writes out its full-text index at each
one. So inputs that are ready together (worker processes prepared them faster than this process
stores) share a transaction, each in a savepoint, and are reported only once it is committed, in
input order. The transaction is committed before this process waits for the next input, so it
never holds the write lock while idle, and after BATCH_INPUTS inputs, BATCH_BYTES of raw input
or BATCH_SECONDS, so progress and Ctrl-C stay prompt.

An input that fails is rolled back to its savepoint; the others stay. When the failure came from
the database (another process stored the same key, a deadlock between two batches), the input
is stored again in a transaction of its own once the batch is committed: exactly what happened
before batches, retries included. When the transaction itself fails, every input of the batch
is stored again one by one: nothing is reported that was not committed.

An error after which no input can be stored (`store.db.stops_writes`: the database cannot be
reached, its SQLite file is gone, its disk is full) is raised, by the store's file check before
a batch is opened and after it is committed, or by `alone`: the batch open is rolled back and
not reported, and the caller stops rather than fail every input after it the same way.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from .errors import StoreError
from .ingest_prepare import PreparedInput, describe
from .ingest_records import InputReport
from .store.db import (
    DriverError,
    Savepoint,
    Session,
    Store,
    discard,
    hold_write_lock,
    stops_writes,
)

BATCH_INPUTS = 256
BATCH_BYTES = 32 * 1024 * 1024  # raw bytes held for a retry, besides what the store holds
BATCH_SECONDS = 1.0

# Store one input's documents in the given session (no commit); its report.
Write = Callable[[Session, PreparedInput], InputReport]
# Store one input in a transaction of its own; its report, failed or not (raises only an error
# that `stops_writes`).
Alone = Callable[[PreparedInput], InputReport]


class StoringBatch:
    """The open transaction and the inputs stored in it, not yet reported."""

    def __init__(
        self,
        store: Store,
        write: Write,
        alone: Alone,
        report: Callable[[list[InputReport]], None],
        forget: Callable[[], None],
        *,
        hold: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
    ) -> None:
        self._store, self._write, self._alone = store, write, alone
        self._report = report  # given inputs once committed (or failed), in input order
        self._forget = forget  # drops what `write` read ahead for a rolled-back input
        # held around a commit and its reports: Ctrl-C must not come between them
        self._hold = hold
        self._session: Session | None = None
        self._held: list[tuple[PreparedInput, InputReport]] = []
        self._started = 0.0
        self._bytes = 0

    def add(self, prepared: PreparedInput) -> None:
        """Store one input in the open transaction (opened now when there is none); commit
        when the batch is full. A second Ctrl-C while storing rolls the whole batch back."""
        try:
            session = self._open()
            savepoint = session.begin_nested()
        except Exception as exc:  # noqa: BLE001 - the database failed us: store everything alone
            if stops_writes(exc):  # its file gone: nothing would be stored alone either
                self.abort()
                raise
            self._redo_alone([prepared])
            return
        except BaseException:
            self.abort()
            raise
        try:
            item = self._write(session, prepared)
            savepoint.commit()
        except Exception as exc:  # noqa: BLE001 - this input fails; the batch goes on
            self._forget()
            if not self._rolled_back(savepoint):
                self._redo_alone([prepared])
                return
            if isinstance(exc, DriverError | StoreError):
                self.commit()  # the inputs before it are reported first
                self._report([self._alone(prepared)])
                return
            item = InputReport(origin=prepared.origin, reader=prepared.reader, error=describe(exc))
        except BaseException:
            self.abort()
            raise
        self._held.append((prepared, item))
        self._bytes += len(prepared.data)
        if self._full():
            self.commit()

    def commit(self) -> None:
        """Commit the open transaction and report its inputs; when the commit fails, store
        each of them again alone. Nothing to do when no transaction is open."""
        session, held = self._session, self._held
        if session is None:
            return
        with self._hold():
            try:
                session.commit()
            except Exception:  # noqa: BLE001 - rolled back: each input is stored again alone
                self._redo_alone([])
                return
            except BaseException:
                self.abort()
                raise
            self._detach()
            session.close()
            # A SQLite file deleted meanwhile took the commit with it: nothing of it is kept,
            # so nothing of it is reported (UnavailableError). One stat per batch.
            self._store.check_file()
            self._report([item for _, item in held])

    def abort(self) -> None:
        """Roll the open transaction back: its inputs are neither stored nor reported."""
        session = self._detach()
        if session is None:
            return
        try:
            discard(session)
        finally:
            session.close()

    def _open(self) -> Session:
        if self._session is None:
            session = self._store.new_session()
            self._session = session
            self._started = time.monotonic()
            # A real transaction under the savepoints: on SQLite, a SAVEPOINT outside one
            # starts a transaction that its RELEASE would commit.
            hold_write_lock(session)
        return self._session

    def _full(self) -> bool:
        return (
            len(self._held) >= BATCH_INPUTS
            or self._bytes >= BATCH_BYTES
            or time.monotonic() - self._started >= BATCH_SECONDS
        )

    def _detach(self) -> Session | None:
        """Forget the open transaction and its inputs; the session, for the caller to end."""
        session = self._session
        self._session, self._held, self._bytes = None, [], 0
        return session

    def _rolled_back(self, savepoint: Savepoint) -> bool:
        try:
            savepoint.rollback()
        except Exception:  # noqa: BLE001 - the transaction is gone with it
            return False
        return True

    def _redo_alone(self, extra: list[PreparedInput]) -> None:
        """Roll back the batch and store its inputs, then `extra`, each in its own transaction."""
        inputs = [prepared for prepared, _ in self._held] + extra
        with contextlib.suppress(Exception):  # nothing of it was committed either way
            self.abort()
        self._forget()
        for prepared in inputs:
            self._report([self._alone(prepared)])
