"""Another writer's change, made at the one moment a race needs: between what a unit of work
reads and its first write.

`meanwhile(store, other)` runs `other` (on its own connection, committed) once, just before the
first statement that writes or locks (INSERT, UPDATE, DELETE, BEGIN IMMEDIATE, … FOR [NO KEY]
UPDATE) that the code under test sends. A check made in Python on rows read earlier then rests on a
stale reading, every run the same; a check the database makes (a conditional UPDATE, a lock
taken before the read) sees the other writer's change. Before its first write a unit of work
holds no lock on SQLite (the driver begins a transaction at the first write) nor on
PostgreSQL (plain reads lock nothing), so `other` never waits on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from lofte.store.db import Store

_WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")


def _writes(statement: str) -> bool:
    text = " ".join(statement.split()).upper()
    return text.startswith(_WRITES) or text.endswith(("FOR UPDATE", "FOR NO KEY UPDATE"))


@contextmanager
def meanwhile(store: Store, other: Callable[[], object]) -> Iterator[list[str]]:
    """Within the block, run `other` before the first writing statement; yields the list that
    then holds that statement (empty: nothing wrote, and `other` did not run)."""
    with _once(store, "before_cursor_execute", _writes, other) as seen:
        yield seen


@contextmanager
def after_first_read(store: Store, other: Callable[[], object]) -> Iterator[list[str]]:
    """Within the block, run `other` right after the first SELECT: between a reader's first
    statement and the rest (a check that reads in several statements without one snapshot
    then sees part of `other`'s change)."""
    reads = lambda statement: statement.lstrip().upper().startswith("SELECT")  # noqa: E731
    with _once(store, "after_cursor_execute", reads, other) as seen:
        yield seen


@contextmanager
def _once(
    store: Store, moment: str, chosen: Callable[[str], bool], other: Callable[[], object]
) -> Iterator[list[str]]:
    seen: list[str] = []

    def hook(*args: Any) -> None:
        statement = args[2]
        if seen or not chosen(statement):
            return
        seen.append(statement)  # first: `other` runs statements too, and must not run again
        other()

    event.listen(store.engine, moment, hook)
    try:
        yield seen
    finally:
        event.remove(store.engine, moment, hook)
