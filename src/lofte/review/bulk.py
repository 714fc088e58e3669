"""Deciding several suggestions at once (the review queue's checkboxes).

Each decision is its own conditional UPDATE with its own audit event, in a transaction of its
own (`verdicts.decide_evidence`): a suggestion someone else decided meanwhile is reported as a
conflict and the others are still decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import AlreadySavedError, ConflictError, NotFoundError, ValidationError
from ..model import Evidence
from ..store import evidence as evidence_store
from ..store import trackers as tracker_store
from ..store.db import Store
from .verdicts import decide_evidence

MAX_BULK = 200  # more than a queue page shows; a bigger form is refused, not half-done


@dataclass
class BulkResult:
    decided: list[Evidence] = field(default_factory=list)
    conflicts: dict[int, str] = field(default_factory=dict)  # evidence id → why not
    outside: dict[int, str] = field(default_factory=dict)  # of another tracker: not tried


def decide_many(
    store: Store,
    evidence_ids: Iterable[int],
    accept: bool,
    *,
    actor: str,
    tracker: str | None = None,
) -> BulkResult:
    """Accept (or reject) each suggestion still suggested; the rest are reported, not raised.
    With `tracker` (a slug), only that tracker's: one of another is reported (QA: the queue
    of one tracker, sent with another's evidence ids, decided them)."""
    ids = list(dict.fromkeys(evidence_ids))
    if not ids:
        raise ValidationError("choose at least one suggestion")
    if len(ids) > MAX_BULK:
        raise ValidationError(f"at most {MAX_BULK} suggestions at once")
    result = BulkResult()
    if tracker is not None:
        with store.session() as session:
            found = tracker_store.get_tracker(session, tracker)
            outside = evidence_store.outside_tracker(session, ids, found.id)
        for evidence_id in sorted(outside):
            result.outside[evidence_id] = f"evidence {evidence_id} is not in tracker {tracker}"
        ids = [i for i in ids if i not in outside]
    for evidence_id in ids:
        try:
            result.decided.append(decide_evidence(store, evidence_id, accept, actor=actor))
        except AlreadySavedError:  # decided as asked already (the form sent twice)
            with store.session() as session:
                result.decided.append(evidence_store.get_evidence(session, evidence_id))
        except (ConflictError, NotFoundError, ValidationError) as exc:
            # refused for its pledge (rejected or split meanwhile): said beside the others
            result.conflicts[evidence_id] = str(exc)
    return result
