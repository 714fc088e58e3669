"""The shared bounded LRU (lofte/lru.py): its item and byte bounds and its eviction order."""

from __future__ import annotations

import threading

import pytest

from lofte.lru import BoundedLRU


def test_the_least_recently_used_goes_first() -> None:
    kept: BoundedLRU[int] = BoundedLRU(3)
    for n in range(3):
        kept.put(n, n)
    assert kept.get(0) == 0  # used: now the newest
    kept.put(3, 3)
    assert kept.get(1) is None and kept.get(0) == 0 and kept.get(3) == 3
    assert kept.size == (3, 0)


def test_a_byte_budget_bounds_the_total_and_refuses_a_huge_value() -> None:
    kept: BoundedLRU[bytes] = BoundedLRU(100, max_bytes=800, size_of=len)
    for n in range(10):
        kept.put(n, b"x" * 90)
    assert kept.size == (8, 720)
    kept.put(9, b"y" * 10)  # replaced, its old size given back
    assert kept.size == (8, 640)
    kept.put("huge", b"z" * 101)  # over an eighth of the budget
    assert kept.get("huge") is None and kept.size == (8, 640)


def test_a_byte_budget_needs_a_size_function() -> None:
    with pytest.raises(ValueError):
        BoundedLRU(3, max_bytes=10)


def test_threads_putting_at_once_keep_the_bounds() -> None:
    kept: BoundedLRU[bytes] = BoundedLRU(50, max_bytes=5000, size_of=len)

    def put_many(offset: int) -> None:
        for n in range(2000):
            kept.put((offset, n % 200), b"x" * (n % 60))

    threads = [threading.Thread(target=put_many, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    count, total = kept.size
    assert count <= 50 and total <= 5000
    assert total == sum(len(v) for v in kept._values.values())
