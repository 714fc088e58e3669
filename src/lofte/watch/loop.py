"""`lofte watch`: run `update` again and again, sleeping until the next source is due.

The loop sleeps until the earliest next due time, but never longer than `tick` seconds (a
source added meanwhile is due at once and is picked up on the next tick). It ends when `stop`
is set (a pass in progress finishes the source it is on first) or after `max_runs` passes.

Ctrl-C or SIGTERM (`lofte watch` turns SIGTERM into KeyboardInterrupt) and any exception a
pass lets through end the loop where it is: the source being run has its run recorded as
stopped and is due again at once (`update._Runner`), then the exception goes on up.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ..config import Settings, get_settings
from ..sources.fetch import Politeness
from ..store import trackers as tracker_store
from ..store import watched
from ..store.db import Store, utcnow
from .update import UpdateProgress, UpdateReport, update

MIN_WAIT = 1.0  # seconds: never spin


def wait_seconds(next_due_at: dt.datetime | None, now: dt.datetime, tick: float) -> float:
    """How long to sleep: until `next_due_at`, at most `tick`, at least MIN_WAIT."""
    if next_due_at is None:
        return max(MIN_WAIT, tick)
    return max(MIN_WAIT, min(tick, (next_due_at - now).total_seconds()))


def watch(
    store: Store,
    *,
    tick: float = 300.0,
    stop: threading.Event | None = None,
    max_runs: int | None = None,
    settings: Settings | None = None,
    tracker: str | None = None,
    on_report: Callable[[UpdateReport], None] | None = None,
    pass_progress: Callable[[], AbstractContextManager[UpdateProgress | None]] | None = None,
    **options: Any,
) -> int:
    """Run `update` until `stop` is set or `max_runs` passes ran; returns the passes run.
    `options` go to `update` (client, dense, link_evidence, on_source). `pass_progress()` is
    entered around each pass and gives the pass its `progress`: a pass's bar or progress
    lines end with the pass, not run on through the sleep after it. `on_report` is called
    after it is left."""
    settings = settings or get_settings()
    stop = stop or threading.Event()
    # One politeness state for the whole loop: robots.txt and each host's last request persist.
    politeness = options.pop("politeness", None) or Politeness(
        min_interval=settings.fetch_min_interval
    )
    runs = 0
    while not stop.is_set():
        with pass_progress() if pass_progress else nullcontext(None) as progress:
            report = update(
                store,
                settings=settings,
                politeness=politeness,
                tracker=tracker,
                stop=stop.is_set,
                progress=progress,
                **options,
            )
        runs += 1
        if on_report:
            on_report(report)
        if max_runs is not None and runs >= max_runs:
            break
        with store.session() as session:
            tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
            upcoming = watched.next_due_time(session, tracker_id)
        stop.wait(wait_seconds(upcoming, utcnow(), tick))
    return runs
