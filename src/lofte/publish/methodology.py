"""The methodology page of a tracker: its own text (Tracker.methodology) or the default one,
which explains each status and the evidence rule; and when the tracker last changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..review.verdicts import NEEDS_EVIDENCE
from ..store import freshness
from ..store.db import Session
from . import visibility
from .dates import local_day
from .meter import STATUS_ORDER
from .records import tracker


def updated(session: Session, tracker_id: int) -> str | None:
    """The tracker's last change as an ISO date, its day in Sweden (the day pages show),
    or None."""
    when = freshness.last_updated(session, tracker_id)
    return local_day(when).isoformat() if isinstance(when, dt.datetime) else None


def methodology_page(session: Session, slug: str) -> dict[str, Any]:
    t = visibility.public_tracker(session, slug)  # a draft's method page is not public either
    own = (t.methodology or "").strip()
    return {
        "tracker": tracker(t),
        # the tracker's own text in paragraphs (blank lines part them); None: the default text
        "paragraphs": [p.strip() for p in own.split("\n\n") if p.strip()] if own else None,
        "statuses": [s.value for s in STATUS_ORDER],
        "needs_evidence": [s.value for s in STATUS_ORDER if s in NEEDS_EVIDENCE],
        "updated": updated(session, t.id),
    }
