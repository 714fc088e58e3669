"""Shared setup of the review tests: one pledge as extracted, with one suggested piece of evidence."""

from __future__ import annotations

from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow

PROGRAM = "Vi kommer att bygga en ny simhall i Norrvik."
NEWS = "Den nya simhallen i Norrvik invigdes i dag."


def pledge_with_evidence(store: Store) -> tuple[int, int]:
    """A pledge and one suggested piece of evidence for it: (pledge id, evidence id)."""
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "sjovik")
        s.flush()
        docs = []
        for key, body, kind in (("p", PROGRAM, "program"), ("n", NEWS, "news")):
            raw = document_store.put_raw(s, body.encode(), "text/plain")
            doc = DocumentRow(
                tracker_id=tracker.id,
                origin=f"{key}.txt",
                item_key="",
                kind=kind,
                title=key,
                body=body,
                content_hash=key,
                raw_sha256=raw,
                stage="parse:test",
                stage_version="1",
            )
            s.add(doc)
            docs.append(doc)
        s.flush()
        pledge = PledgeRow(
            tracker_id=tracker.id,
            document_id=docs[0].id,
            start=0,
            end=len(PROGRAM),
            quote=PROGRAM,
            attributes={},
            confidence=1.0,
            stage="extract",
            stage_version="1",
        )
        s.add(pledge)
        s.flush()
        evidence = EvidenceRow(
            pledge_id=pledge.id,
            document_id=docs[1].id,
            start=0,
            end=len(NEWS),
            score=0.9,
            features={},
            stage="link",
            stage_version="1",
        )
        s.add(evidence)
        s.flush()
        return pledge.id, evidence.id


def confirmed_pledge_with_evidence(store: Store) -> tuple[int, int]:
    """As `pledge_with_evidence`, the pledge confirmed by an editor (verdicts need that)."""
    from lofte.review.pledges import confirm

    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="tester")
    return pledge_id, evidence_id
