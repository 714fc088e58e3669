"""Page data for attaching evidence: the pledge-side search and the per-document candidates.

Both rank with the linker (`linking.rank_documents`, `linking.rank_pledges`) whatever the
score: a pair that reaches the suggestion threshold is a suggestion, one below it only
possible ("möjlig"), one the date rules leave out is marked so. Each item says whether the
pair is already evidence (and in which review state), so the page offers the right button.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFoundError
from ..linking import Match, rank_documents, rank_pledges
from ..model import Evidence
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.db import Store
from . import highlight, records
from .pages import document_dict, pledge_dict, tracker_dict

SEARCH_SIZE = 20
MAX_SEARCH_PAGE = 50  # 1,000 documents: past that, a query word narrows better
CANDIDATES = 10


def _existing(e: Evidence | None) -> dict[str, Any] | None:
    return None if e is None else {"id": e.id, "review_state": e.review_state.value}


def _match(m: Match, body: str, title: str) -> dict[str, Any]:
    terms = [
        w
        for t in m.features.get("matched") or []
        if isinstance(t, dict)
        for w in t.get("document") or []
        if isinstance(w, str)
    ]
    return {
        "score": round(m.score, 2),
        "suggested": m.suggested,
        "allowed": m.allowed,
        "passage": records.span(m.span[0], m.span[1]),
        "context": highlight.evidence_context(body, title, m.span[0], m.span[1], terms=terms),
    }


def pledge_search(store: Store, pledge_id: int, query: str = "", page: int = 1) -> dict[str, Any]:
    """The tracker's documents ranked for a pledge, best first, with `query` filtering them:
    page `page` of SEARCH_SIZE (QA: an editor could see the first 20 only, whatever the
    pledge's broadness). The ranking is of every document, so a later page ranks no more."""
    query = query.strip()
    page = max(1, min(page, MAX_SEARCH_PAGE))
    ranked = rank_documents(store, pledge_id, query=query, top_k=SEARCH_SIZE * page + 1)
    more = len(ranked) > SEARCH_SIZE * page
    found = ranked[SEARCH_SIZE * (page - 1) : SEARCH_SIZE * page]
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id)
        tracker = tracker_store.get_tracker_by_id(session, pledge.tracker_id)
        linked = {
            e.document_id: e for e in evidence_store.list_evidence(session, pledge_id=pledge_id)
        }
        items = []
        for m in found:
            doc = document_store.get_document(session, m.document_id)
            items.append(
                _match(m, doc.body, doc.title or "")
                | {"document": document_dict(doc), "evidence": _existing(linked.get(doc.id))}
            )
        status = verdict_store.current_status(session, pledge_id)
    return {
        "tracker": tracker_dict(tracker),
        "pledge": pledge_dict(pledge, status, tracker.term_end),
        "query": query,
        "items": items,
        "page": page,
        "more": more,
    }


def document_candidates(store: Store, slug: str, document_id: int) -> dict[str, Any]:
    """One document's best-scoring pledges (top CANDIDATES), whatever their score."""
    with store.session() as session:
        tracker = tracker_store.get_tracker(session, slug)
        doc = document_store.get_document(session, document_id)
    if doc.tracker_id != tracker.id:
        raise NotFoundError(f"no document {document_id} in tracker {slug}")
    found = rank_pledges(store, document_id, top_k=CANDIDATES)
    with store.session() as session:
        linked = {
            e.pledge_id: e for e in evidence_store.list_evidence(session, document_id=document_id)
        }
        current = verdict_store.statuses(session, tracker.id)
        items = []
        for m in found:
            pledge = pledge_store.get_pledge(session, m.pledge_id)
            if pledge.document_id == document_id:
                continue  # a program is no evidence for its own pledges (QA: dead buttons)
            items.append(
                _match(m, doc.body, doc.title or "")
                | {
                    "pledge": pledge_dict(pledge, current.get(pledge.id), tracker.term_end),
                    "evidence": _existing(linked.get(pledge.id)),
                }
            )
    return {"tracker": tracker_dict(tracker), "document": document_dict(doc), "items": items}
