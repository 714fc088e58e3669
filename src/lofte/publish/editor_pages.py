"""Page data for the editors' pages: review queue, pledge review, history, audit log."""

from __future__ import annotations

from typing import Any

from ..model import Pledge, PledgeState, ReviewState, VerdictStatus
from ..review.ranking import (
    MIN_RANKS,
    PRECISIONS,
    SORTS,
    RankFilter,
    precision_of,
    rank_of,
    rank_pledges,
)
from ..store import audit
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.db import Session
from . import records
from .pages import (
    _paging,
    document_dict,
    evidence_dict,
    page_offset,
    pledge_detail,
    pledge_dict,
    tracker_dict,
)

QUEUE_SIZE = 20
NEIGHBOURS = 6


def editor_home(session: Session) -> dict[str, Any]:
    return {
        "trackers": [
            tracker_dict(t)
            | {
                "suggestions": evidence_store.count_suggested(session, t.id),
                "candidates": pledge_store.count_pledges(session, t.id, PledgeState.CANDIDATE),
                "confirmed": pledge_store.count_pledges(session, t.id, PledgeState.CONFIRMED),
            }
            for t in tracker_store.list_trackers(session)
        ]
    }


def review_queue(
    session: Session, slug: str, page: int = 1, page_size: int = QUEUE_SIZE
) -> dict[str, Any]:
    """Suggested evidence of a tracker, best first, each with its pledge and explanation."""
    tracker = tracker_store.get_tracker(session, slug)
    page = max(page, 1)
    total = evidence_store.count_suggested(session, tracker.id)
    found = evidence_store.list_evidence(
        session,
        tracker_id=tracker.id,
        states=[ReviewState.SUGGESTED],
        limit=page_offset(page, page_size) + page_size,
    )[page_offset(page, page_size) :]
    current = verdict_store.statuses(session, tracker.id) if found else {}
    items = []
    docs: dict[int, Any] = {}
    for ev in found:
        doc = docs.get(ev.document_id) or document_store.get_document(session, ev.document_id)
        docs[doc.id] = doc
        pledge = pledge_store.get_pledge(session, ev.pledge_id)
        items.append(
            evidence_dict(ev, doc) | {"pledge": ranked_dict(pledge, current.get(pledge.id))}
        )
    return {"tracker": tracker_dict(tracker), "items": items} | _paging(total, page, page_size)


def ranked_dict(p: Pledge, status: VerdictStatus | None = None) -> dict[str, Any]:
    """The pledge with its candidate rank and precision (None when the row has none)."""
    return pledge_dict(p, status) | {
        "rank": rank_of(p.attributes),
        "precision": precision_of(p.attributes),
    }


def editor_pledges(
    session: Session,
    slug: str,
    state: str | None,
    page: int = 1,
    page_size: int = 50,
    ranking: RankFilter | None = None,
) -> dict[str, Any]:
    """Pledges of a tracker by state, filtered by precision and minimum rank, best rank first."""
    tracker = tracker_store.get_tracker(session, slug)
    ranking = ranking or RankFilter()
    states = [PledgeState(state)] if state in {s.value for s in PledgeState} else None
    pledges = rank_pledges(pledge_store.list_pledges(session, tracker.id, states=states), ranking)
    current = verdict_store.statuses(session, tracker.id)
    page = max(page, 1)
    shown = pledges[page_offset(page, page_size) : page_offset(page, page_size) + page_size]
    min_ranks = sorted(set(MIN_RANKS) | {ranking.min_rank})  # a typed-in value stays selectable
    return {
        "tracker": tracker_dict(tracker),
        "state": states[0].value if states else None,
        "states": [s.value for s in PledgeState],
        "pledges": [ranked_dict(p, current.get(p.id)) for p in shown],
        "ranking": {
            "precision": ranking.precision or "all",
            "min_rank": ranking.min_rank,
            "sort": ranking.sort,
        },
        "precisions": ["all", *PRECISIONS],
        "min_ranks": min_ranks,
        "sorts": list(SORTS),
    } | _paging(len(pledges), page, page_size)


def pledge_history(session: Session, pledge_id: int) -> list[dict[str, Any]]:
    """Every audit event about the pledge or its evidence, oldest first (verdicts included)."""
    return [records.audit_event(e) for e in audit.pledge_events(session, pledge_id)]


def editor_pledge(session: Session, pledge_id: int) -> dict[str, Any]:
    """The pledge with all its evidence, history, and the pledges near it (to merge with)."""
    data = pledge_detail(session, pledge_id, public=False)
    pledge = data["pledge"]
    same_doc = pledge_store.list_pledges(session, document_id=pledge["document_id"])
    others = [p for p in same_doc if p.id != pledge_id and p.state is not PledgeState.REJECTED]
    others.sort(key=lambda p: abs(p.start - pledge["span"]["start"]))
    data["neighbours"] = [
        pledge_dict(p) for p in sorted(others[:NEIGHBOURS], key=lambda p: p.start)
    ]
    data["history"] = pledge_history(session, pledge_id)
    data["accepted"] = [
        e for e in data["evidence"] if e["review_state"] == ReviewState.ACCEPTED.value
    ]
    return data


def audit_log(
    session: Session, page: int = 1, page_size: int = 100, action: str | None = None
) -> dict[str, Any]:
    """All audit events, newest first, a page at a time."""
    page = max(page, 1)
    total = audit.count_events(session, action)
    found = audit.recent_events(
        session, limit=page_size, offset=page_offset(page, page_size), action=action
    )
    events = [records.audit_event(e) for e in found]
    return {"events": events, "action": action, "actions": audit.actions(session)} | _paging(
        total, page, page_size
    )


def editor_document(session: Session, document_id: int) -> dict[str, Any]:
    """A document's record (without its body) and its tracker: the correction form's page."""
    doc = document_store.get_document(session, document_id)
    tracker = tracker_store.get_tracker_by_id(session, doc.tracker_id)
    return document_dict(doc) | {"tracker": tracker_dict(tracker)}
