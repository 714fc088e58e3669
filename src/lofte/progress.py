"""Progress of a long command as plain lines, for a log or cron where no progress bar shows.

`ProgressLines` counts one or more things (inputs read, documents linked, passages encoded) and
writes one line about all of them when a count changes and at least `interval` seconds have
passed since the start or since the last line:

    ingest: 1,200 of 2,272 inputs, 45 s

A run shorter than the interval writes nothing. Within `heartbeat()` a line is also written
when nothing was counted for an interval (one 50 MB input, a long encoding step), so a log shows
at least one line every `interval` seconds while the command works.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Counter:
    """One thing counted: `unit` names it in the line ("inputs", "passages encoded")."""

    unit: str
    done: int = 0
    total: int | None = None  # None: not known (yet)
    shown: bool = True


def elapsed(seconds: float) -> str:
    """`45 s`, `12 min 5 s`, `2 h 3 min`."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


class ProgressLines:
    """Plain progress lines: `label: DONE of TOTAL UNIT[, …], ELAPSED`, at most one every
    `interval` seconds (0: at every update)."""

    def __init__(
        self,
        label: str,
        write: Callable[[str], None],
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.write = write
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.last = self.started
        self.counters: list[Counter] = []
        self._lock = threading.Lock()  # the heartbeat's thread writes too

    def counter(self, unit: str, total: int | None = None, shown: bool = True) -> Counter:
        """A new thing to count, shown in the lines after the ones added before it."""
        self.counters.append(Counter(unit, total=total, shown=shown))
        return self.counters[-1]

    def update(
        self,
        counter: Counter,
        *,
        done: int | None = None,
        advance: int = 0,
        total: int | None = None,
        shown: bool | None = None,
    ) -> None:
        """Set or advance a count (and its total); write a line if the interval has passed."""
        if done is not None:
            counter.done = done
        counter.done += advance
        if total is not None:
            counter.total = total
        if shown is not None:
            counter.shown = shown
        self.beat()

    def beat(self) -> None:
        """Write a line if `interval` seconds have passed since the start or the last line,
        whether or not a count changed."""
        with self._lock:
            now = self.clock()
            if now - self.last >= self.interval:
                self.last = now
                self.write(self.line(now))

    @contextmanager
    def heartbeat(self, wait: Callable[[float], bool] | None = None) -> Iterator[None]:
        """While the block runs, a thread calls `beat` every `interval` seconds, so a step
        that counts nothing for minutes still writes its line. `wait(seconds)` pauses and
        says whether to stop (default: an event set when the block ends); an interval of 0
        writes at every update and needs no heartbeat."""
        if self.interval <= 0:
            yield
            return
        stop = threading.Event()
        pause = wait or stop.wait

        def run() -> None:
            while not stop.is_set() and not pause(self.interval):
                if not stop.is_set():
                    self.beat()

        thread = threading.Thread(target=run, name=f"{self.label}-progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def line(self, now: float | None = None) -> str:
        parts = [
            f"{c.done:,} {c.unit}" if c.total is None else f"{c.done:,} of {c.total:,} {c.unit}"
            for c in self.counters
            if c.shown
        ]
        took = elapsed((self.clock() if now is None else now) - self.started)
        return f"{self.label}: {', '.join([*parts, took])}"
