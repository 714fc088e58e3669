"""Plain progress lines (lofte.progress): at most one per interval, none for a short run."""

from __future__ import annotations

import threading

from lofte.progress import ProgressLines, elapsed


class Clock:
    """A clock the test moves by hand (what `time.monotonic` would say)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_line_per_interval_and_none_for_a_short_run() -> None:
    clock, written = Clock(), []
    lines = ProgressLines("ingest", written.append, interval=10.0, clock=clock)
    inputs = lines.counter("inputs", total=2272)
    for _ in range(5):
        clock.now += 1.0
        lines.update(inputs, advance=100)
    assert written == []  # 5 s: a short run says nothing
    clock.now += 5.0
    lines.update(inputs, advance=100)
    assert written == ["ingest: 600 of 2,272 inputs, 10 s"]
    clock.now += 9.0
    lines.update(inputs, done=1200)
    assert len(written) == 1  # 9 s since the last line
    clock.now += 26.0
    lines.update(inputs, done=1200)
    assert written[-1] == "ingest: 1,200 of 2,272 inputs, 45 s"


def test_a_line_names_every_shown_count() -> None:
    clock, written = Clock(), []
    lines = ProgressLines("link", written.append, interval=10.0, clock=clock)
    documents = lines.counter("documents")
    encoded = lines.counter("passages encoded", shown=False)
    clock.now += 10.0
    lines.update(documents, done=500)
    assert written == ["link: 500 documents, 10 s"]  # total unknown, encoding not begun
    clock.now += 65.0
    lines.update(encoded, advance=4096, shown=True)
    assert written[-1] == "link: 500 documents, 4,096 passages encoded, 1 min 15 s"
    assert elapsed(7384.0) == "2 h 3 min"


def test_a_line_every_interval_while_nothing_is_counted() -> None:
    """One long step (a 50 MB input stored) counts nothing for minutes: the heartbeat still
    writes a line every interval. The fake clock moves where the thread would wait."""
    clock, written = Clock(), []
    lines = ProgressLines("ingest", written.append, interval=10.0, clock=clock)
    inputs = lines.counter("inputs", total=1)
    clock.now += 12.0
    lines.beat()
    assert written == ["ingest: 0 of 1 inputs, 12 s"]
    lines.beat()
    assert len(written) == 1  # not again before the interval has passed
    waits, beaten = [], threading.Event()

    def wait(seconds: float) -> bool:  # what the thread would sleep: the clock moves instead
        waits.append(seconds)
        if len(waits) > 3:
            beaten.set()
            return True  # stop
        clock.now += seconds
        return False

    with lines.heartbeat(wait):
        assert beaten.wait(timeout=30)
    assert waits[:3] == [10.0, 10.0, 10.0]
    assert written[1:] == [
        "ingest: 0 of 1 inputs, 22 s",
        "ingest: 0 of 1 inputs, 32 s",
        "ingest: 0 of 1 inputs, 42 s",
    ]
    lines.update(inputs, advance=1)  # no line: the heartbeat's was just written
    assert len(written) == 4


def test_no_heartbeat_thread_when_every_update_writes() -> None:
    lines = ProgressLines("link", [].append, interval=0.0)
    before = threading.active_count()
    with lines.heartbeat():
        assert threading.active_count() == before
