"""Export the whole database content as one JSON document (schema: export_schema_v1.json)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..errors import AuditError, ValidationError
from ..files import keep_mode, private_file, remove_quietly, write_target
from ..review.audit import verify
from ..store import archive as archive_store
from ..store import audit as audit_log
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.db import Session
from . import records, visibility

_T = TypeVar("_T")

SCHEMA_VERSION = "1.6"  # 1.1: the `audit` block (chain head, verification); 1.2: `audit.log`;
# 1.3: trackers published/archived/methodology, document and pledge party, verdict as_of;
# 1.4: a pledge's editor-set deadline; 1.5: the date provenance `dateline`; 1.6: `metadata`
SCHEMA_ID = "https://lofte.example/schemas/export"
SCHEMA_FILE = "export_schema_v1.json"


def load_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def export_time() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention), so two exports
    of the same content can be byte-identical (`lofte import` round trips are tested so)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.isoformat(timespec="seconds")


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
            + "; ".join(problems[:5])
            + (" …" if len(problems) > 5 else ""),
            problems,
        )
    if report.unreadable:  # not even --allow-unverified: there is no event to write
        names = {f"audit event {seq}" for seq in report.unreadable}
        problems = [str(p) for p in report.problems if p.entity in names]
        raise AuditError(
            f"{len(report.unreadable)} audit events cannot be read, so not even an unverified "
            "export can carry the log (restore a backup from before the edit): "
            + "; ".join(problems[:5])
            + (" …" if len(problems) > 5 else ""),
            problems,
        )

    head = report.head
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": f"lofte {__version__}",
        "exported_at": export_time(),
        "trackers": [records.tracker(t) for t in _by_id(tracker_store.list_trackers(session))],
        "sources": [records.source(r) for r in tracker_store.list_sources(session)],
        "documents": [records.document(d) for d in document_store.list_documents(session)],
        "pledges": [records.pledge(p) for p in _by_id(pledge_store.list_pledges(session))],
        "evidence": [records.evidence(e) for e in _by_id(evidence_store.list_evidence(session))],
        "verdicts": [records.verdict(v) for v in verdict_store.list_verdicts(session)],
        "audit": {
            "head": {"seq": head.seq if head else 0, "hash": head.hash if head else None},
            "events": report.events,
            "verified": report.ok,
            "problems": [str(p) for p in report.problems],
            "log": [records.audit_event(e) for e in audit_log.all_events(session)],
        },
    }


def _by_id(items: Sequence[_T]) -> list[_T]:
    return sorted(items, key=lambda item: item.id)  # type: ignore[attr-defined]


def warc_archive_ids(session: Session, *, include_unpublished: bool = False) -> list[int]:
    """The archived responses `write_warc` writes, oldest first: those behind the documents of
    the published trackers (archived ones included, as in the open-data tables and on the
    public pages, `visibility`); with `include_unpublished` those behind every document."""
    if include_unpublished:
        return archive_store.archive_ids(session)
    public = [t.id for t in visibility.public_trackers(session)]
    return archive_store.archive_ids(session, public)


def write_warc(session: Session, path: Path, *, include_unpublished: bool = False) -> int:
    """The archived responses behind the published trackers' documents (with
    `include_unpublished`, behind every document) as one .warc.gz file (one gzip member per
    record, oldest first), written beside `path` and moved into place; returns how many records
    it holds. A record names its URL (WARC-Target-URI) and fetch time (WARC-Date), as the
    exported documents name their `origin`."""
    ids = warc_archive_ids(session, include_unpublished=include_unpublished)
    try:
        path = write_target(Path(path))
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            count = archive_store.warc_file(session, ids, out)
        keep_mode(tmp, path)
        tmp.replace(path)
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        remove_quietly(tmp)
    return count


def write_json(text: str, path: Path) -> int:
    """`text` (a JSON export) into the file `path`, written beside it and moved into place, so
    there is never a half-written export; returns its size in bytes. A path that cannot be
    written (a missing folder, a folder by that name) is a ValidationError naming it."""
    try:
        path = write_target(Path(path))
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # drafts, rejected items and the editors' names: owner only, as a backup (QA, an
        # admin moving to PostgreSQL: 644); a file it replaces keeps its mode
        private_file(tmp)
        tmp.write_text(text + "\n", encoding="utf-8")
        keep_mode(tmp, path)
        tmp.replace(path)
        return path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        remove_quietly(tmp)
