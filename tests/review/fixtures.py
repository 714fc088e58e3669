"""Shared setup of the review tests: one pledge as extracted, with one suggested piece of evidence."""

from __future__ import annotations

from pathlib import Path

from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Session, Store, open_store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow

PROGRAM = "Vi kommer att bygga en ny simhall i Norrvik."
NEWS = "Den nya simhallen i Norrvik invigdes i dag."


def pledge_with_evidence(store: Store) -> tuple[int, int]:
    """A pledge and one suggested piece of evidence for it: (pledge id, evidence id)."""
    doc_id = program_document(store, PROGRAM, key="p")
    pledge_id = pledge_row(store, doc_id, PROGRAM, confidence=1.0)
    return pledge_id, news_suggestion(store, pledge_id, key="n")


def news_suggestion(store: Store, pledge_id: int, body: str = NEWS, key: str = "") -> int:
    """A news item of `body` in the pledge's tracker, suggested as its evidence: its id.
    `key` names the item (origin `key`.txt, title `key`); by default one per pledge and text."""
    with store.session() as s:
        pledge = s.get(PledgeRow, pledge_id)
        assert pledge is not None
        raw = document_store.put_raw(s, body.encode(), "text/plain")
        key = key or f"n{pledge_id}-{raw[:12]}"
        news = _document(
            s, pledge.tracker_id, "news", body, raw, origin=f"{key}.txt", title=key, digest=key
        )
        return _suggestion(s, pledge_id, news.id, len(body))


def suggestion(store: Store, pledge_id: int, document_id: int, end: int) -> int:
    """The document (its text up to `end`) suggested as the pledge's evidence: its id."""
    with store.session() as s:
        return _suggestion(s, pledge_id, document_id, end)


def _suggestion(s: Session, pledge_id: int, document_id: int, end: int) -> int:
    evidence = EvidenceRow(
        pledge_id=pledge_id,
        document_id=document_id,
        start=0,
        end=end,
        score=0.9,
        features={},
        stage="link",
        stage_version="1",
    )
    s.add(evidence)
    s.flush()
    return evidence.id


def database_with_evidence(path: Path) -> tuple[str, int, int]:
    """A SQLite file at `path` holding `pledge_with_evidence`, closed again so a command can
    open it: (its URL, pledge id, evidence id)."""
    db = f"sqlite:///{path}"
    store = open_store(db, create=True)
    try:
        pledge_id, evidence_id = pledge_with_evidence(store)
    finally:
        store.dispose()
    return db, pledge_id, evidence_id


def confirmed_pledge_with_evidence(store: Store) -> tuple[int, int]:
    """As `pledge_with_evidence`, the pledge confirmed by an editor (verdicts need that)."""
    from lofte.review.pledges import confirm

    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="tester")
    return pledge_id, evidence_id


def program_document(store: Store, body: str, slug: str = "sjovik", key: str = "") -> int:
    """A program document of `body` in the tracker `slug` (made on first use): its id.
    `key` names it (origin `key`.txt, title `key`); by default "program.txt", "Program"."""
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, slug)
        s.flush()
        raw = document_store.put_raw(s, body.encode(), "text/plain")
        origin = f"{key}.txt" if key else "program.txt"
        doc = _document(
            s,
            tracker.id,
            "program",
            body,
            raw,
            origin=origin,
            title=key or "Program",
            digest=key or "h",
        )
        return doc.id


def _document(
    s: Session,
    tracker_id: int,
    kind: str,
    body: str,
    raw: str,
    *,
    origin: str,
    title: str,
    digest: str,
) -> DocumentRow:
    """A stored document row as a parser would leave it, `digest` as its content hash."""
    doc = DocumentRow(
        tracker_id=tracker_id,
        origin=origin,
        item_key="",
        kind=kind,
        title=title,
        body=body,
        content_hash=digest,
        raw_sha256=raw,
        stage="parse:test",
        stage_version="1",
    )
    s.add(doc)
    s.flush()
    return doc


def pledge_row(
    store: Store,
    doc_id: int,
    text: str,
    *,
    state: str = "candidate",  # as extraction leaves it
    parent: int | None = None,
    area: str | None = None,
    confidence: float = 0.9,
) -> int:
    """A pledge quoting `text` where it first stands in the document's body: its id."""
    with store.session() as s:
        doc = s.get(DocumentRow, doc_id)
        assert doc is not None
        start = doc.body.index(text)
        row = PledgeRow(
            tracker_id=doc.tracker_id,
            document_id=doc_id,
            parent_id=parent,
            start=start,
            end=start + len(text),
            quote=text,
            area=area,
            attributes={},
            confidence=confidence,
            state=state,
            stage="extract",
            stage_version="1",
        )
        s.add(row)
        s.flush()
        return row.id
