"""Per-tracker caches for the public pages: what is costly to work out from a tracker's rows
(the meter and its breakdowns, the public pledges with their statuses, the document count) is
kept per process and store, and used again as long as the tracker and its stamp are the same.

The stamp (`store.freshness.tracker_stamp`: index probes for the newest change, count, highest
id and version sum of the tracker's rows, and of any published verdict and evidence; a draft
verdict, public nowhere, moves none of it) is read on every use, before anything is computed,
so a change committed by any process (another server worker, the CLI) shows on the next page:
a new verdict, an edited pledge, a tracker setting. A value
computed after the stamp was read can only be newer than the stamp says, which costs at most
one needless recomputation, never a stale page.

Values are computed once per (tracker, stamp, extra key) and handed out shared: callers must
not change them (`cached` copies mutable page data for callers that might).
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..model import Tracker
from ..store.db import Session
from ..store.freshness import TrackerStamp, tracker_stamp

T = TypeVar("T")
MAX_ENTRIES = 256  # values kept per store (a few per tracker); the oldest go first


@dataclass(frozen=True)
class _Entry:
    key: Hashable
    value: Any


class TrackerCache:
    """Values keyed by (name, tracker id), each valid for one (tracker, stamp, extra) key."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int], _Entry] = {}
        self._max = max_entries

    def get(self, name: str, tracker_id: int, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get((name, tracker_id))
        if entry is not None and entry.key == key:
            return True, entry.value
        return False, None

    def put(self, name: str, tracker_id: int, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries.pop((name, tracker_id), None)
            while len(self._entries) >= self._max:
                del self._entries[next(iter(self._entries))]
            self._entries[(name, tracker_id)] = _Entry(key, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Keyed by the session's engine (an object, not a name: publish does not import sqlalchemy).
_caches: weakref.WeakKeyDictionary[object, TrackerCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_of(session: Session) -> TrackerCache:
    """The cache of the store `session` reads (one per engine: stores never share values)."""
    engine = session.get_bind()
    with _caches_lock:
        found = _caches.get(engine)
        if found is None:
            found = _caches[engine] = TrackerCache()
        return found


@dataclass(frozen=True)
class Fresh:
    """A tracker as read now with its stamp: the key of every cached value of it."""

    tracker: Tracker
    stamp: TrackerStamp


def fresh(session: Session, tracker: Tracker) -> Fresh:
    return Fresh(tracker, tracker_stamp(session, tracker.id))


def shared(
    session: Session,
    name: str,
    now: Fresh,
    compute: Callable[[], T],
    extra: Hashable = None,
) -> T:
    """The value `compute` gives for the tracker in `now`, computed once per stamp. Shared
    between callers: they must not change it."""
    cache = cache_of(session)
    key = (now.tracker, now.stamp, extra)
    hit, value = cache.get(name, now.tracker.id, key)
    if hit:
        return value  # type: ignore[no-any-return]
    value = compute()
    cache.put(name, now.tracker.id, key, value)
    return value


def cached(
    session: Session,
    name: str,
    now: Fresh,
    compute: Callable[[], dict[str, Any]],
    extra: Hashable = None,
) -> dict[str, Any]:
    """Like `shared`, for page data the caller may change: each caller gets its own copy."""
    return copied(shared(session, name, now, compute, extra))


def copied(value: dict[str, Any]) -> dict[str, Any]:
    """A copy of shared page data for a caller that may change it."""
    return _copy(value)  # type: ignore[no-any-return]


def _copy(value: Any) -> Any:
    """A copy of page data: its dicts, lists and sets new, the rest (strings, numbers, None,
    frozen records) immutable and shared; deepcopy's memo made it 5x slower for the meter."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, set):
        return {_copy(v) for v in value}
    return copy.copy(value) if hasattr(value, "__dict__") else value
