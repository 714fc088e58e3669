"""Worker processes that do not outlive the command that forked them.

A forked worker whose parent is killed (`kill -9`, the OOM killer) is adopted by init and kept
waiting on its pipe for ever: QA found a 200 MB ingest worker still there a minute after its
parent died. On Linux a worker asks the kernel to kill it when its parent dies; elsewhere it
relies on its pipe closing, as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1  # prctl option, <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Called first in a forked worker: SIGKILL when `parent` (the pid that forked it) dies.
    SIGTERM gets its default action back: the parent's handler (`cli.sigterm_as_ctrl_c`, SIGTERM
    as Ctrl-C) would make the pool's own ending of its workers, which sends SIGTERM, print a
    KeyboardInterrupt traceback from each worker after a run that went well (QA)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        # forked with SIGTERM held (`sigterm_held`): one sent meanwhile is delivered now, to
        # the default action (CI: the pool's SIGTERM reached a worker before this line, its
        # inherited Python handler was then replaced unrun, and the worker waited for ever)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


@contextmanager
def sigterm_held() -> Iterator[None]:
    """SIGTERM blocked in this thread while it forks workers (and starts the threads that fork
    more): a worker inherits the block and lifts it in `die_with_parent`, after its handler is
    the default one, so no SIGTERM can reach it in between. The caller gets any sent to it
    meanwhile when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
