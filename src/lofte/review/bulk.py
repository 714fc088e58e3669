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
from ..store.db import Store
from .verdicts import decide_evidence

MAX_BULK = 200  # more than a queue page shows; a bigger form is refused, not half-done


@dataclass
class BulkResult:
    decided: list[Evidence] = field(default_factory=list)
    conflicts: dict[int, str] = field(default_factory=dict)  # evidence id → why not


def decide_many(
    store: Store, evidence_ids: Iterable[int], accept: bool, *, actor: str
) -> BulkResult:
    """Accept (or reject) each suggestion still suggested; the rest are reported, not raised."""
    ids = list(dict.fromkeys(evidence_ids))
    if not ids:
        raise ValidationError("choose at least one suggestion")
    if len(ids) > MAX_BULK:
        raise ValidationError(f"at most {MAX_BULK} suggestions at once")
    result = BulkResult()
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
