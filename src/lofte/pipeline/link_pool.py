"""Batches of linking work in worker processes.

Scoring and explaining are CPU work in Python and NumPy, one core per process. The function a
worker runs (with the index it closes over) is handed to the forked workers once, inherited
copy-on-write and never pickled; a task sends one small item (a batch of document ids, or of
texts) and gets a small result back (counts). Whatever a batch produces
is consumed in the worker: `lofte link`'s workers write their suggestions to the store
themselves, each in its own transaction, since pickling tens of thousands of explained
suggestions back to the parent cost more than linking them.

At most `workers + 1` items are in flight and results come back in order, so memory stays
bounded whatever the number of batches.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from ..processes import die_with_parent, sigterm_held

MAX_WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")

# Set in each worker by its initializer, never in the parent: concurrent `map_forked` calls
# (threads) each hand their own task to their own pool.
_TASK: Callable[[Any], Any] | None = None


def default_workers(setting: int) -> int:
    """The setting, or one process per core (at most MAX_WORKERS)."""
    return setting if setting > 0 else max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_forked(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    after_fork: Callable[[], None] | None = None,
) -> Iterator[R]:
    """`fn(item)` for each item, in order. With `workers` > 1 (and fork available) in forked
    processes, which run `after_fork()` first (e.g. to drop inherited database connections);
    else here. `items` is read lazily in the caller's thread."""
    if workers <= 1 or not can_fork():
        for item in items:
            yield fn(item)
        return
    # With fork, a worker's initializer arguments are inherited, not pickled: `fn` may close
    # over an index or a store.
    context = multiprocessing.get_context("fork")
    with sigterm_held():  # until each worker has SIGTERM's default action (`die_with_parent`)
        pool = context.Pool(workers, initializer=_start, initargs=(fn, after_fork, os.getpid()))
    try:
        pending: deque[AsyncResult[R]] = deque()
        for item in items:
            pending.append(pool.apply_async(_run, (item,)))
            if len(pending) > workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()  # done: the workers end on the pool's sentinel, no SIGTERM needed
        pool.join()
    finally:
        pool.terminate()  # an error or an abandoned iteration: end them now


def _start(fn: Callable[[Any], Any], after_fork: Callable[[], None] | None, parent: int) -> None:
    global _TASK
    die_with_parent(parent)  # not left waiting for ever when `lofte link` is killed
    _TASK = fn
    if after_fork is not None:
        after_fork()


def _run(item: Any) -> Any:
    assert _TASK is not None, "the pool's initializer sets the task"
    return _TASK(item)
