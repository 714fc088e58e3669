"""Who changed a record before an editor's change could be saved (a 409): from its audit events.

A conflict is found by the database (a version or a state compared in the UPDATE); this module
only reads, afterwards, the change that is there now, so the editor is told who made it, when,
and what it changed where the event records that ("someone else was first" alone left them
guessing; QA). It writes nothing and decides nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import AuditEvent
from ..store import audit
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store.db import Session


@dataclass(frozen=True)
class LastChange:
    """One recorded change: who, when (the store's clock, UTC), the action, and the fields it
    changed as its event names them (empty when the event names none)."""

    actor: str
    time: dt.datetime
    action: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "time": self.time.isoformat(timespec="seconds"),
            "action": self.action,
            "fields": list(self.fields),
        }


# The field an event's lone `before`/`after` pair is about, by action.
_PAIR_FIELDS = {
    "pledge.confirm": "state",
    "pledge.reject": "state",
    "pledge.deadline": "deadline",
    "evidence.accept": "review_state",
    "evidence.reject": "review_state",
}
# What other actions change, as their events record it.
_ACTION_FIELDS = {
    "verdict.set": ("status",),
    "verdict.publish": ("published",),
    "pledge.split": ("parts",),
    "pledge.merge": ("merged",),
    "evidence.attach": ("review_state",),
}


def changed_fields(action: str, details: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The fields an event changed, as it records them: its `changes`, the keys of its
    `before`/`after` records (those that differ), else what its action changes."""
    details = details or {}
    changes = details.get("changes")
    if isinstance(changes, Mapping) and changes:
        return tuple(str(k) for k in changes)
    before, after = details.get("before"), details.get("after")
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        keys = dict.fromkeys([*before, *after])
        return tuple(str(k) for k in keys if before.get(k) != after.get(k))
    if action in _PAIR_FIELDS:
        return (_PAIR_FIELDS[action],)
    return _ACTION_FIELDS.get(action, ())


def _change(event: AuditEvent) -> LastChange:
    return LastChange(
        event.actor, event.created_at, event.action, changed_fields(event.action, event.details)
    )


def _pledge_version(event: AuditEvent, pledge_id: int) -> int | None:
    """The pledge's version after the event, when the event records the pledge's state."""
    for state in event.details.get("pledges") or ():
        if isinstance(state, Mapping) and state.get("id") == pledge_id:
            version = state.get("version")
            return version if isinstance(version, int) else None
    return None


def _draft(event: AuditEvent) -> bool:
    """Whether the event saved a draft verdict: it leaves the pledge's version as it was, so
    it is never the change an editor's stale form met (QA: a 409 named a draft)."""
    verdict = event.details.get("verdict")
    return isinstance(verdict, Mapping) and verdict.get("published") is False


def pledge_change(
    session: Session, pledge_id: int, seen_version: int | None = None
) -> LastChange | None:
    """The newest change to the pledge itself (an event recording its state): of those after
    the version the editor saw when `seen_version` is given and any is recorded."""
    events = [
        e
        for e in audit.pledge_events(session, pledge_id)
        if _pledge_version(e, pledge_id) and not _draft(e)
    ]
    if seen_version is not None:
        newer = [e for e in events if (_pledge_version(e, pledge_id) or 0) > seen_version]
        events = newer or events
    return _change(events[-1]) if events else None


def entity_change(
    session: Session, entity_type: str, entity_id: int, actions: Iterable[str] | None = None
) -> LastChange | None:
    """The newest event about one record (`evidence`, `tracker`, `document`, …), of `actions`
    when given."""
    event = audit.newest_event(session, entity_type, entity_id, actions)
    return None if event is None else _change(event)


# store.evidence.attach_evidence's refusal of a pair that is already evidence
_ALREADY_EVIDENCE = re.compile(r"^document \d+ is already evidence (?P<id>\d+) of pledge \d+")


def attach_change(
    session: Session, pledge_id: int, document_id: int | None, message: str = ""
) -> LastChange | None:
    """The change an attach of a document to a pledge met (a 409): the newest event about the
    evidence that links them, which another editor attached or decided first. The evidence is
    the one the refusal's `message` names, else the pair's (`document_id`, when the form
    named the document; a pair stored meanwhile by a concurrent attach)."""
    named = _ALREADY_EVIDENCE.match(message)
    if named is not None:
        evidence_id: int | None = int(named.group("id"))
    elif document_id is not None:
        evidence_id = evidence_store.pair_id(session, pledge_id, document_id)
    else:
        evidence_id = None
    return None if evidence_id is None else entity_change(session, "evidence", evidence_id)


def stale_pledges(session: Session, seen: Mapping[int, int]) -> list[int]:
    """Of the pledges an editor saw (id → the version seen), those changed since (a version
    that moved) or gone, in id order: which one a merge's 409 met."""
    now = pledge_store.versions(session, list(seen))
    return sorted(i for i, version in seen.items() if now.get(i) != version)
