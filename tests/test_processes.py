"""Forked workers take SIGTERM's default action, also for a SIGTERM sent before they could set
it (processes.py). CI: `map_forked`'s pool ended its workers with SIGTERM while one was still
starting; the signal reached the Python handler it had inherited, which `die_with_parent` then
replaced unrun, and the worker waited on the pool's queue for ever, its parent joining it."""

from __future__ import annotations

import os
import signal

import pytest

from lofte.processes import die_with_parent, sigterm_held

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not hasattr(signal, "pthread_sigmask"), reason="POSIX only"
)


def _child_status(body: object) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            body()  # type: ignore[operator]
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return status


def test_a_sigterm_sent_while_a_worker_starts_still_ends_it() -> None:
    def worker() -> None:
        signal.signal(signal.SIGTERM, lambda *_: None)  # the parent's handler, inherited
        with sigterm_held():
            os.kill(os.getpid(), signal.SIGTERM)  # the pool's, before the worker is ready
            die_with_parent(os.getppid())
            os._exit(3)  # not reached: the held SIGTERM ends it with the default action

    status = _child_status(worker)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM, status


def test_the_caller_gets_its_sigterm_when_the_hold_ends() -> None:
    got: list[int] = []

    def caller() -> None:
        signal.signal(signal.SIGTERM, lambda signum, _: got.append(signum))
        with sigterm_held():
            os.kill(os.getpid(), signal.SIGTERM)
            if got:
                os._exit(4)  # delivered while held
        os._exit(5 if got == [signal.SIGTERM] else 6)

    status = _child_status(caller)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 5, status
