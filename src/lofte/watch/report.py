"""What `lofte update` reports: each source's run and the pass as a whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..notify.send import NotifyReport


@dataclass(frozen=True)
class ItemFailure:
    url: str
    error: str


@dataclass(frozen=True)
class SourceOutcome:
    """One source's run, as recorded."""

    source_id: int
    tracker: str
    name: str
    url: str
    status: str  # ok | not_modified | failed
    fetched: int
    new: int
    unchanged: int
    failed: int
    error: str | None
    started_at: dt.datetime
    finished_at: dt.datetime
    next_due_at: dt.datetime
    failures: int  # consecutive failed runs after this one
    items_failed: tuple[ItemFailure, ...] = ()
    items_given_up: tuple[str, ...] = ()  # failed in the last runs: no longer tried
    document_ids: tuple[int, ...] = ()  # documents stored new or changed
    capped: bool = False  # an item or page cap reached: more wait for the next run
    warnings: tuple[str, ...] = ()  # "<url>: <warning>" of inputs stored with a fault
    resume: tuple[str, ...] = ()  # listing pages or index sitemaps left: the next run's start

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracker": self.tracker,
            "source": self.name,
            "url": self.url,
            "status": self.status,
            "fetched": self.fetched,
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "error": self.error,
            "items_failed": [{"url": f.url, "error": f.error} for f in self.items_failed],
            "items_given_up": list(self.items_given_up),
            "capped": self.capped,
            "warnings": list(self.warnings),
            "resume": list(self.resume),
            "next_due_at": self.next_due_at.isoformat(),
            "failures": self.failures,
        }


@dataclass(frozen=True)
class UpdateReport:
    sources: tuple[SourceOutcome, ...] = ()
    skipped: tuple[str, ...] = ()  # "tracker/name" of due sources another process was running
    pledges_found: int = 0  # by extracting new program documents
    suggestions: int = 0  # evidence suggestions written by linking
    linked: tuple[str, ...] = ()  # trackers linked
    errors: tuple[str, ...] = ()  # extraction, linking or notifying failures
    notified: NotifyReport | None = None  # the editors' digests sent at the end
    paused: tuple[str, ...] = ()  # "tracker/name" of due sources paused before this run got them

    @property
    def deliveries_failed(self) -> int:
        if self.notified is None:
            return 0
        return sum(o.status == "failed" for o in self.notified.outcomes)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        return tuple(s for s in self.sources if s.status == "failed")

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors and not self.deliveries_failed

    def total(self, name: str) -> int:
        return sum(int(getattr(s, name)) for s in self.sources)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.as_dict() for s in self.sources],
            "skipped": list(self.skipped),
            "pledges_found": self.pledges_found,
            "suggestions": self.suggestions,
            "linked": list(self.linked),
            "errors": list(self.errors),
            "digests_sent": self.notified.sent if self.notified else 0,
            "deliveries_failed": self.deliveries_failed,
        }
