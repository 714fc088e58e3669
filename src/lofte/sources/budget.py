"""Time and memory budgets for one input, so that no input can stall a batch (issue 9).

- `time_budget`: a SIGALRM timer around the whole input (parse and store). Python code and the
  `re` engine check for signals, so a slow regex or reader is interrupted where it runs; the
  input's transaction is rolled back whole. Only the main thread can take signals: elsewhere
  (a web worker thread) only the parse worker's deadline applies.
- `parse`: runs a reader's `parse` in a forked worker process for PDFs and large inputs, with
  an address-space cap (RLIMIT_AS) and the same deadline; the worker is killed when it runs
  over. C code (pdfium inflating a Flate bomb) may not return to Python for a signal, and only
  a separate process can have its memory capped. Small text inputs are parsed in-process: a
  fork costs a few milliseconds an input, which the 229 small files of a press-release folder
  would feel. The store is written by the parent only, so nothing is half-written.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..config import Settings
from ..errors import BudgetError, ParseError
from ..model import ParsedDocument, RawInput
from ..processes import die_with_parent
from .registry import Reader, parse_input

_RETRY = 0.5  # seconds: the alarm fires again if a reader swallowed it in a broad `except`


def _over_time(origin: str, seconds: float) -> BudgetError:
    return BudgetError(
        origin,
        f"stopped after {seconds:g} s: more than the time budget of one "
        "input (LOFTE_INPUT_TIME_BUDGET)",
    )


def _over_memory(origin: str, megabytes: int) -> BudgetError:
    return BudgetError(
        origin,
        f"stopped: parsing needed more than {megabytes} MB of memory "
        "(LOFTE_PARSE_MEMORY_MB), or the parser crashed",
    )


@contextmanager
def time_budget(origin: str, seconds: float, reported: float | None = None) -> Iterator[None]:
    """Raise BudgetError inside the block once `seconds` have passed (0: no limit); the error
    names `reported` seconds (the whole budget) when given."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    expired = False

    def expire(signum: int, frame: Any) -> None:
        nonlocal expired
        expired = True
        signal.setitimer(signal.ITIMER_REAL, _RETRY)
        raise _over_time(origin, reported or seconds)

    outer, started = signal.getitimer(signal.ITIMER_REAL)[0], time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # a caller's own alarm goes on with what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
    if expired:  # the block swallowed the error somewhere and went on: still over budget
        raise _over_time(origin, reported or seconds)


class Clock:
    """One input's time budget, spent in several stretches (parse, then store) with the
    moments between them (a commit) left out, so an alarm never lands after the store's commit
    and reports a stored input as failed."""

    def __init__(self, origin: str, seconds: float) -> None:
        self.origin, self.seconds, self.spent = origin, seconds, 0.0

    @contextmanager
    def running(self) -> Iterator[None]:
        if self.seconds <= 0:
            yield
            return
        left = self.seconds - self.spent
        if left <= 0:
            raise _over_time(self.origin, self.seconds)
        started = time.monotonic()
        try:
            with time_budget(self.origin, left, reported=self.seconds):
                yield
        finally:
            self.spent += time.monotonic() - started


def wants_worker(reader: Reader, raw: RawInput, settings: Settings) -> bool:
    binary = getattr(reader, "binary", False)
    limited = settings.input_time_budget > 0 or (binary and settings.parse_memory_mb > 0)
    big = binary or len(raw.data) >= settings.parse_worker_min_bytes
    return limited and big and "fork" in multiprocessing.get_all_start_methods()


def parse(
    reader: Reader, raw: RawInput, text: str | None, settings: Settings
) -> list[ParsedDocument]:
    """`parse_input(reader, raw, text)` (the reader's documents, cleaned of control characters),
    in a capped worker process when the input calls for one."""
    if not wants_worker(reader, raw, settings):
        return parse_input(reader, raw, text)
    # The memory cap is for binary formats, whose streams can inflate far beyond the input;
    # a text input's memory follows its size, which LOFTE_MAX_INPUT_BYTES caps.
    memory = settings.parse_memory_mb if getattr(reader, "binary", False) else 0
    return parse_in_worker(reader, raw, text, seconds=settings.input_time_budget, memory_mb=memory)


def parse_in_worker(
    reader: Reader, raw: RawInput, text: str | None, *, seconds: float, memory_mb: int
) -> list[ParsedDocument]:
    """Parse in a forked child with a deadline and a memory cap; the child is always reaped."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_work, args=(send, reader, raw, text, memory_mb, os.getpid()), daemon=True
    )
    worker.start()
    send.close()
    try:
        if not receive.poll(seconds if seconds > 0 else None):
            raise _over_time(raw.origin, seconds)
        try:
            outcome, value = receive.recv()
        except EOFError:  # killed by the kernel or crashed in C: no answer
            raise _over_memory(raw.origin, memory_mb) from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if outcome == "ok":
        docs: list[ParsedDocument] = value
        return docs
    raise value


def _limit_memory(megabytes: int) -> None:
    """Cap the address space at what the process holds now plus `megabytes`."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            held = next(
                int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:")
            )
    except (OSError, StopIteration, ValueError):
        held = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cap = held + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _work(
    send: Any, reader: Reader, raw: RawInput, text: str | None, memory_mb: int, parent: int
) -> None:
    # QA: after `kill -9` of ingest this child was left adopted by init, blocked writing its
    # documents to the pipe, the database still open, for a minute or more
    die_with_parent(parent)
    try:
        if memory_mb > 0:
            _limit_memory(memory_mb)
        result: tuple[str, Any] = ("ok", parse_input(reader, raw, text))
    except MemoryError:
        result = ("error", _over_memory(raw.origin, memory_mb))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which reports it
        result = ("error", exc)
    try:
        send.send(result)
    except Exception as exc:  # noqa: BLE001 - an unpicklable error: send its text
        send.send(("error", ParseError(raw.origin, f"{type(exc).__name__}: {exc}")))
    send.close()
