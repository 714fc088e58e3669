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

_PR_SET_PDEATHSIG = 1  # prctl option, <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Called first in a forked worker: SIGKILL when `parent` (the pid that forked it) dies.
    SIGTERM gets its default action back: the parent's handler (`cli.sigterm_as_ctrl_c`, SIGTERM
    as Ctrl-C) would make the pool's own ending of its workers, which sends SIGTERM, print a
    KeyboardInterrupt traceback from each worker after a run that went well (QA)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
