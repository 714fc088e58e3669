"""View models: plain dicts for templates and JSON twins, built from library calls only."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..model import Document, Tracker
from ..store import repositories as repo


def tracker_dict(t: Tracker) -> dict[str, Any]:
    return {
        "slug": t.slug,
        "name": t.name,
        "jurisdiction": t.jurisdiction,
        "actors": list(t.actors),
        "term_start": t.term_start.isoformat() if t.term_start else None,
        "term_end": t.term_end.isoformat() if t.term_end else None,
        "description": t.description,
    }


def document_dict(d: Document, *, with_body: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": d.id,
        "kind": d.kind.value,
        "title": d.title,
        "url": d.url,
        "origin": d.origin,
        "date": None
        if d.date is None
        else {
            "value": d.date.value.isoformat(),
            "precision": d.date.precision.value,
            "provenance": d.date.provenance.value,
        },
        "language": d.language,
        "truncated": d.truncated,
        "parser": f"{d.parser}/{d.parser_version}",
        "duplicate_of": d.duplicate_of,
    }
    if with_body:
        data["body"] = d.body
    return data


def trackers_overview(session: Session) -> list[dict[str, Any]]:
    return [
        tracker_dict(t) | {"documents": repo.count_documents(session, t.id)}
        for t in repo.list_trackers(session)
    ]


def tracker_detail(session: Session, slug: str, page: int, page_size: int) -> dict[str, Any]:
    tracker = repo.get_tracker(session, slug)
    page = max(page, 1)
    total = repo.count_documents(session, tracker.id)
    docs = repo.list_documents(session, tracker.id, limit=page_size, offset=(page - 1) * page_size)
    return {
        "tracker": tracker_dict(tracker),
        "documents": [document_dict(d) for d in docs],
        "page": page,
        "pages": max(1, -(-total // page_size)),
        "total": total,
    }


def document_detail(session: Session, document_id: int) -> dict[str, Any]:
    doc = repo.get_document(session, document_id)
    tracker = next(t for t in repo.list_trackers(session) if t.id == doc.tracker_id)
    return document_dict(doc, with_body=True) | {"tracker": tracker_dict(tracker)}
