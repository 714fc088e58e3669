"""One `lofte link` run per tracker at a time: the claim a run takes, renews and frees.

Two runs at once (the `watch` service and an admin's `lofte link`, two terminals) had both
scored every new document, each reporting the whole work as its own. A run now claims the
tracker in the database (`store.link_claims`, conditional UPDATEs) before it reads anything,
renews the lease while it works and frees it when it stops, Ctrl-C included. A run killed
outright leaves its claim: another run on the same host takes it over at once when that
process is gone, elsewhere when the lease runs out.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TypeVar

from .errors import LinkBusyError, LinkClaimLostError, StoreError
from .store import link_claims
from .store.db import Session, Store, utcnow

LEASE = dt.timedelta(minutes=10)  # a batch, or encoding a group of passages, takes far less
RENEW_AFTER = 60.0  # seconds between renewals

T = TypeVar("T")


def holder_name() -> str:
    """This process as a holder (`holder_of`), with a fresh token."""
    return holder_of(os.getpid(), secrets.token_hex(4))


def holder_of(pid: int, token: str) -> str:
    """A holder of this host: "host:pid-namespace:pid:token". The namespace tells apart two
    containers that share a host name (`--network host`, the same `hostname:`), whose
    process ids mean different processes (review); the token, a process id used again."""
    return f"{socket.gethostname()}:{_pid_namespace()}:{pid}:{token}"


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:  # not Linux: no namespaces to tell apart
        return "-"


def _parts(holder: str) -> tuple[str, str, str] | None:
    """(host, pid namespace, pid) of a holder `holder_of` wrote; None for another shape."""
    parts = holder.rsplit(":", 3)
    return (parts[0], parts[1], parts[2]) if len(parts) == 4 and parts[2].isdigit() else None


def gone_here(holder: str) -> bool:
    """True when `holder` is a process of this host and pid namespace that no longer runs."""
    parts = _parts(holder)
    if parts is None:
        return False
    host, namespace, pid = parts
    if host != socket.gethostname() or namespace != _pid_namespace():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: it runs
        return False
    return False


def describe(claim: link_claims.Claim) -> str:
    """The holder as a person reads it: "process 41 on host-a since 2026-12-05 21:05 UTC"."""
    parts = _parts(claim.holder)
    who = f"process {parts[2]} on {parts[0]}" if parts else claim.holder
    return f"{who} since {claim.started_at:%Y-%m-%d %H:%M} UTC"


class TrackerClaim:
    """The claim on one tracker, as a context manager: taken on entry (LinkBusyError when
    another run holds it), renewed by `keep()`, freed on exit."""

    def __init__(
        self,
        store: Store,
        tracker_id: int,
        slug: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.tracker_id = tracker_id
        self.slug = slug
        self.holder = holder_name()
        self.clock = clock
        self.renewed = 0.0

    def __enter__(self) -> TrackerClaim:
        with self.store.session() as session:
            now = utcnow()
            if link_claims.claim(session, self.tracker_id, self.holder, now, now + LEASE):
                self.renewed = self.clock()
                return self
            held = link_claims.current(session, self.tracker_id)
        if held is not None and gone_here(held.holder):
            with self.store.session() as session:
                now = utcnow()
                if link_claims.claim(
                    session, self.tracker_id, self.holder, now, now + LEASE, dead=held.holder
                ):
                    self.renewed = self.clock()
                    return self
                held = link_claims.current(session, self.tracker_id)
        who = describe(held) if held else "another run"
        raise LinkBusyError(
            f"{self.slug}: not linked, another `lofte link` run is linking it ({who}); "
            "it links what is new"
        )

    def keep(self) -> None:
        """Renew the lease when RENEW_AFTER has passed; LinkClaimLostError when the claim was lost
        (the lease ran out and another run took the tracker over)."""
        if self.clock() - self.renewed < RENEW_AFTER:
            return
        with self.store.session() as session:
            kept = link_claims.renew(session, self.tracker_id, self.holder, utcnow() + LEASE)
        if not kept:
            raise self._lost()
        self.renewed = self.clock()

    def hold(self, session: Session) -> None:
        """Renew the claim in `session`, the transaction that writes a batch: the batch is
        written only if this run still holds the tracker, decided by the database (a check
        between batches would let a run paused past its lease write over the run that took
        the tracker over; review). LinkClaimLostError otherwise, which rolls it back."""
        if not link_claims.renew(session, self.tracker_id, self.holder, utcnow() + LEASE):
            raise self._lost()

    def _lost(self) -> LinkClaimLostError:
        return LinkClaimLostError(
            f"{self.slug}: linking stopped, its claim ran out and another run took the "
            "tracker over; the batches stored so far are kept, that run links the rest"
        )

    def kept(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, the claim kept before each is handed out (a batch is linked only while
        the run holds its tracker)."""
        for item in items:
            self.keep()
            yield item

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            with self.store.session() as session:
                link_claims.release(session, self.tracker_id, self.holder)
        except StoreError as exc:
            # the link's own outcome (its report, or the error that stopped it) is the one to
            # see; a claim left behind runs out, or a run on this host takes it over at once
            logging.getLogger(__name__).warning("%s: the claim was not freed: %s", self.slug, exc)
