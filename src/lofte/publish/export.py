"""Export the whole database content as one JSON document (schema: export_schema_v1.json)."""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import __version__
from ..errors import AuditError
from ..review.audit import verify
from ..store import audit as audit_log
from ..store import repositories as repo
from ..store.schema import (
    DocumentRow,
    EvidenceRow,
    PledgeRow,
    SourceRow,
    TrackerRow,
    UserRow,
    VerdictRow,
)

SCHEMA_VERSION = "1.2"  # 1.1: the `audit` block (chain head, verification); 1.2: `audit.log`
SCHEMA_ID = "https://lofte.example/schemas/export"
SCHEMA_FILE = "export_schema_v1.json"


def load_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _times(row: Any) -> dict[str, Any]:
    return {"created_at": _iso(row.created_at), "modified_at": _iso(row.modified_at)}


def _provenance(row: Any) -> dict[str, str]:
    return {"stage": row.stage, "version": row.stage_version}


def export_time() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention), so two exports
    of the same content can be byte-identical (`lofte import` round trips are tested so)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
              else dt.datetime.now(dt.timezone.utc))
    return moment.isoformat(timespec="seconds")


def _event(row: Any) -> dict[str, Any]:
    """An audit event as its hash covers it (see store/audit.event_hash), plus the hash."""
    return {
        "seq": row.seq, "time": row.created_at.isoformat(timespec="microseconds"),
        "actor": row.actor, "action": row.action,
        "entity": {"type": row.entity_type, "id": row.entity_id},
        "details": dict(row.details or {}), "prev": row.prev_hash, "hash": row.hash,
    }


def _tracker(row: TrackerRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "slug": row.slug,
        "name": row.name,
        "jurisdiction": row.jurisdiction,
        "actors": list(row.actors or []),
        "term_start": _iso(row.term_start),
        "term_end": _iso(row.term_end),
        "description": row.description,
        **_times(row),
    }


def _source(row: SourceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "tracker_id": row.tracker_id,
        "name": row.name,
        "kind": row.kind,
        "publisher": row.publisher,
        "origin": row.origin,
        **_times(row),
    }


def _document(row: DocumentRow) -> dict[str, Any]:
    date = repo.document_date(row)
    return {
        "id": row.id,
        "tracker_id": row.tracker_id,
        "source_id": row.source_id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "origin": row.origin,
        "item_key": row.item_key,
        "category": row.category,
        "date": None
        if date is None
        else {
            "value": date.value.isoformat(),
            "precision": date.precision.value,
            "provenance": date.provenance.value,
            "confidence": date.confidence,
        },
        "language": row.language,
        "truncated": row.truncated,
        "content_hash": row.content_hash,
        "raw_sha256": row.raw_sha256,
        "duplicate_of": row.duplicate_of,
        "provenance": _provenance(row),
        **_times(row),
    }


def _pledge(row: PledgeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "tracker_id": row.tracker_id,
        "document_id": row.document_id,
        "parent_id": row.parent_id,
        "span": {"start": row.start, "end": row.end},
        "quote": row.quote,
        "area": row.area,
        "topic": row.topic,
        "attributes": row.attributes,
        "confidence": row.confidence,
        "state": row.state,
        "provenance": _provenance(row),
        **_times(row),
    }


def _evidence(row: EvidenceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "pledge_id": row.pledge_id,
        "document_id": row.document_id,
        "span": {"start": row.start, "end": row.end},
        "score": row.score,
        "features": row.features,
        "stance": row.stance,
        "review_state": row.review_state,
        "provenance": _provenance(row),
        **_times(row),
    }


def _verdict(row: VerdictRow, authors: dict[int, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "pledge_id": row.pledge_id,
        "status": row.status,
        "rationale": row.rationale,
        "evidence_ids": list(row.evidence_ids or []),
        "author": authors.get(row.author_id) if row.author_id is not None else None,
        "published": row.published,
        **_times(row),
    }


def export_database(session: Session, *, allow_unverified: bool = False) -> dict[str, Any]:
    """Everything a reader of the data needs, in one JSON-ready dict, with the audit chain head.

    Refuses (AuditError naming every problem) when the audit log does not verify, so a store
    edited behind Löfte's back is not published as if it were sound; `allow_unverified`
    exports anyway with `audit.verified: false` and the problems listed.
    """
    report = verify(session)
    if not report.ok and not allow_unverified:
        problems = [str(p) for p in report.problems]
        raise AuditError(
            f"the audit log does not verify ({len(problems)} problems), not exporting: "
            + "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""), problems)

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).order_by(model.id)))

    authors = {u.id: u.username for u in rows(UserRow)}
    head = report.head
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": f"lofte {__version__}",
        "exported_at": export_time(),
        "trackers": [_tracker(r) for r in rows(TrackerRow)],
        "sources": [_source(r) for r in rows(SourceRow)],
        "documents": [_document(r) for r in rows(DocumentRow)],
        "pledges": [_pledge(r) for r in rows(PledgeRow)],
        "evidence": [_evidence(r) for r in rows(EvidenceRow)],
        "verdicts": [_verdict(r, authors) for r in rows(VerdictRow)],
        "audit": {
            "head": {"seq": head.seq if head else 0, "hash": head.hash if head else None},
            "events": report.events,
            "verified": report.ok,
            "problems": [str(p) for p in report.problems],
            "log": [_event(e) for e in audit_log.iter_events(session)],
        },
    }
