"""Timing helpers shared by the benchmarks (run as scripts: `python bench/bench_x.py`)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed measurement."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_rate(call: Callable[[], object], seconds: float) -> float:
    """Calls per second: the best of three rounds of at least `seconds` / 3 each."""
    best = 0.0
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            call()
            calls += 1
        best = max(best, calls / elapsed)
    return best
