"""Another writer's change, made at the one moment a race needs: between what a unit of work
reads and its first write.

`meanwhile(store, other)` runs `other` (on its own connection, committed) once, just before the
first statement that writes or locks (INSERT, UPDATE, DELETE, BEGIN IMMEDIATE, … FOR UPDATE)
that the code under test sends. A check made in Python on rows read earlier then rests on a
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
    return text.startswith(_WRITES) or text.endswith("FOR UPDATE")


@contextmanager
def meanwhile(store: Store, other: Callable[[], object]) -> Iterator[list[str]]:
    """Within the block, run `other` before the first writing statement; yields the list that
    then holds that statement (empty: nothing wrote, and `other` did not run)."""
    seen: list[str] = []

    def hook(*args: Any) -> None:
        statement = args[2]
        if seen or not _writes(statement):
            return
        seen.append(statement)  # first: `other` writes too, and must not run itself again
        other()

    event.listen(store.engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", hook)
