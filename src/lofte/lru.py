"""A bounded, thread-safe least-recently-used map: the kept public pages, API answers,
search pages and archived copies share one eviction rule instead of four copies of it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedLRU(Generic[V]):
    """At most `max_items` values and, when `size_of` is given, at most `max_bytes` of them,
    the least recently used dropped first. A value over an eighth of the byte budget is not
    kept at all: one huge value would push out most of the others."""

    def __init__(
        self,
        max_items: int,
        *,
        max_bytes: int | None = None,
        size_of: Callable[[V], int] | None = None,
    ) -> None:
        if (max_bytes is None) != (size_of is None):
            raise ValueError("a byte budget needs a size function, and the other way round")
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._max_items = max_items
        self._max_bytes = max_bytes
        self._size_of = size_of
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        size = self._size(value)
        if self._max_bytes is not None and size > self._max_bytes // 8:
            return
        with self._lock:
            old = self._values.pop(key, None)
            self._bytes += size - (self._size(old) if old is not None else 0)
            self._values[key] = value
            while len(self._values) > self._max_items or (
                self._max_bytes is not None and self._bytes > self._max_bytes
            ):
                _, dropped = self._values.popitem(last=False)
                self._bytes -= self._size(dropped)

    @property
    def size(self) -> tuple[int, int]:
        """(values, bytes) kept; bytes is 0 without a size function."""
        with self._lock:
            return len(self._values), self._bytes

    def _size(self, value: V) -> int:
        return 0 if self._size_of is None else self._size_of(value)
