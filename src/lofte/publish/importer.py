"""`lofte import`: a Löfte JSON export into an empty store, so that exporting again gives the
same bytes (with SOURCE_DATE_EPOCH fixing `exported_at`) and `lofte audit verify` passes.

An export is open data, not a backup (that is `lofte backup`), so a few things are rebuilt:
- accounts: only verdict authors come back, under the id the audit log recorded for them
  (else a new one), disabled and without a password (an admin enables them or adds others);
- raw input bytes are not in an export: each document's raw hash gets an empty placeholder
  blob (media type PLACEHOLDER_MEDIA_TYPE);
- a pledge's version counter is the one its last audit event recorded (1 when none did);
- documents' reader structure and the stages' marks are not carried: `lofte extract` and
  `lofte link` treat imported documents as new to them.
The file is checked in full (JSON, the export schema, a version this Löfte reads, the audit log
chaining to its head) before anything is written; the write is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shlex
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from ..errors import AuditError, ValidationError
from ..store import audit
from ..store.backup import BACKUP_MAGIC
from ..store.db import Session, Store
from ..store.imports import PLACEHOLDER_MEDIA_TYPE, ImportRows, Row, write_import
from .export import SCHEMA_ID, SCHEMA_VERSION, load_schema

IMPORTED_PASSWORD = "!imported"  # no argon2 hash: nobody can log in with it
DEFAULT_ROLE = "editor"


@dataclass(frozen=True)
class ImportReport:
    counts: dict[str, int]
    head: audit.ChainHead | None


def read_export(path: Path) -> dict[str, Any]:
    """The export at `path`, checked; ValidationError saying what is wrong otherwise."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        if raw.startswith(tuple(BACKUP_MAGIC.values())):
            # QA, an admin moving to PostgreSQL: told only "not JSON in UTF-8"
            raise ValidationError(
                f"{path} is a database file or a pg_dump archive, not an export: a Löfte "
                f"backup is brought back with `lofte restore {shlex.quote(str(path))}`"
            ) from exc
        raise ValidationError(f"{path} is not a Löfte export (not JSON in UTF-8: {exc})") from exc
    check_export(data, str(path))
    if not isinstance(data, dict):  # the schema says so; this tells the type checker too
        raise ValidationError(f"{path} is not a Löfte export (not a JSON object)")
    return data


def repeated_ids(records: list[Any]) -> list[Any]:
    """The ids that more than one record has, in order (linear: a store of 100,000 documents
    is one export, and counting each id in the whole list was quadratic)."""
    counts = Counter(_hashable(r.get("id")) for r in records if isinstance(r, dict))
    return sorted((i for i, n in counts.items() if n > 1), key=str)


def _hashable(value: Any) -> Any:
    # an id is an integer in a valid export; anything else (a list in a broken one) is
    # reported by the schema check after this one, and must not stop this one first
    return value if isinstance(value, (int, str, float, type(None))) else repr(value)


def check_export(data: Any, name: str = "the input") -> None:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        raise ValidationError(
            f'{name} is not a Löfte export (no "schema": "{SCHEMA_ID}"; '
            "make one with `lofte export --format json`)"
        )
    version = str(data.get("schema_version", ""))
    major, _, minor = version.partition(".")
    our_major, _, our_minor = SCHEMA_VERSION.partition(".")
    if major != our_major or not minor.isdigit() or int(minor) > int(our_minor):
        raise ValidationError(
            f"{name} is an export in schema version {version or '?'}; this "
            f"Löfte imports versions {our_major}.0 to {SCHEMA_VERSION}"
        )
    if int(minor) < 3:
        _drop_local_origins(data)
    for kind in ("trackers", "sources", "documents", "pledges", "evidence", "verdicts"):
        twice = repeated_ids(data.get(kind) or [])
        if twice:
            raise ValidationError(
                f"{name} is not a consistent export: {kind} with the same id "
                f"{', '.join(map(str, twice[:5]))}"
            )
    errors = sorted(
        jsonschema.Draft202012Validator(load_schema()).iter_errors(data),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise ValidationError(
            f"{name} does not match the export schema ({len(errors)} problems), "
            f"first at {where}: {first.message}"
        )


# An origin the schema allows: an absolute http(s) address (export_schema_v1.json).
_WEB_ORIGIN = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]")


def _drop_local_origins(data: dict[str, Any]) -> None:
    """Exports before 1.3 named a local file's path on the server as the `origin` of its
    source and documents; since 1.3 that is null (the path is not published) and the schema
    takes only http(s) addresses. An older export is read as 1.3 would have written it, so
    `lofte import` takes what an older Löfte exported (docs/cli.md: versions 1.0 and up)."""
    for kind in ("sources", "documents"):
        records = data.get(kind)
        if not isinstance(records, list):
            continue  # the schema check names it
        for record in records:
            origin = record.get("origin") if isinstance(record, dict) else None
            if isinstance(origin, str) and not _WEB_ORIGIN.match(origin):
                record["origin"] = None


def _check_log(data: dict[str, Any], allow_unverified: bool) -> list[dict[str, Any]]:
    """The audit events of the export, refused when the file does not carry a whole chain."""
    block = data.get("audit")
    if block is None:  # schema 1.0: exported before the chain existed
        return []
    if not block["verified"] and not allow_unverified:
        raise AuditError(
            "the export was made from a store whose audit log did not verify "
            "(audit.verified is false); import it anyway with --allow-unverified",
            list(block["problems"]),
        )
    log = block.get("log")
    if log is None:
        if block["events"]:
            raise ValidationError(
                f"the export (schema {data['schema_version']}) names "
                f"{block['events']} audit events but does not carry them: "
                "export again with this Löfte"
            )
        return []
    problems: list[str] = []
    prev = audit.GENESIS_HASH
    for i, event in enumerate(log, start=1):
        digest = audit.event_hash(
            event["seq"],
            _time(event["time"]),
            event["actor"],
            event["action"],
            event["entity"]["type"],
            event["entity"]["id"],
            event["details"],
            event["prev"],
        )
        if event["seq"] != i or event["prev"] != prev or digest != event["hash"]:
            problems.append(f"audit event {event['seq']}: not the chain's event {i} as hashed")
        prev = event["hash"]
    head = block["head"]
    if (head["seq"], head["hash"]) != (len(log), prev if log else None):
        problems.append("audit head: does not name the last event of the log")
    if len(log) != block["events"]:
        problems.append(f"audit: {block['events']} events named, {len(log)} carried")
    if problems and not allow_unverified:
        raise AuditError(
            f"the export's audit log is not a whole chain ({len(problems)} problems; "
            "the file was changed after export?): " + "; ".join(problems[:5]),
            problems,
        )
    return list(log)


def _verify_written(session: Session) -> None:
    """The imported rows against their audit log, as `lofte audit verify` reads them, before
    the import commits. The chain's hashes cover the events, not the rows beside them: a
    verdict's status changed in the file after export imported silently (QA), and only a later
    `audit verify` named it."""
    from ..review.audit import verify

    problems = [str(p) for p in verify(session).problems]
    if problems:
        raise AuditError(
            f"the export's data does not match its audit log ({len(problems)} problems; the "
            "file was changed after export?): " + "; ".join(problems[:5]) + "; nothing imported "
            "(--allow-unverified imports it anyway)",
            problems,
        )


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _times(record: dict[str, Any]) -> Row:
    return {"created_at": _time(record["created_at"]), "modified_at": _time(record["modified_at"])}


def _derived(record: dict[str, Any]) -> Row:
    return {
        "stage": record["provenance"]["stage"],
        "stage_version": record["provenance"]["version"],
        **_times(record),
    }


def _pledge_versions(log: list[dict[str, Any]]) -> dict[int, int]:
    """The version each pledge had at its last recorded state (as `audit verify` reads them)."""
    versions: dict[int, int] = {}
    for event in log:
        for state in event["details"].get("pledges") or []:
            versions[state["id"]] = state["version"]
        for pledge_id in event["details"].get("removed_pledges") or []:
            versions.pop(pledge_id, None)
    return versions


def _accounts(log: list[dict[str, Any]]) -> tuple[dict[str, int], dict[str, str]]:
    """Username → id and username → role, as the audit log last recorded them."""
    ids: dict[str, int] = {}
    roles: dict[str, str] = {}
    for event in log:
        details, entity = event["details"], event["entity"]
        verdict = details.get("verdict")
        if (
            event["action"] == "verdict.set"
            and isinstance(verdict, dict)
            and verdict.get("author")
            and verdict.get("author_id") is not None
        ):
            ids[verdict["author"]] = verdict["author_id"]
        if entity["type"] == "user" and entity["id"] is not None and details.get("username"):
            ids[details["username"]] = entity["id"]
            role = (
                details.get("role")
                if event["action"] == "user.add"
                else (details.get("after") if event["action"] == "user.role" else None)
            )
            if role:
                roles[details["username"]] = role
    return ids, roles


def plan_import(data: dict[str, Any], log: list[dict[str, Any]]) -> ImportRows:
    """The table rows an export stands for (pure: no database)."""
    rows = ImportRows()
    rows.trackers = [
        {
            "id": t["id"],
            "slug": t["slug"],
            "name": t["name"],
            "jurisdiction": t["jurisdiction"],
            "actors": list(t["actors"]),
            "term_start": _date(t["term_start"]),
            "term_end": _date(t["term_end"]),
            "description": t["description"],
            "published_at": _time(t["published_at"]) if t.get("published_at") else None,
            "show_candidates": bool(t.get("show_candidates", False)),
            "archived_at": _time(t["archived_at"]) if t.get("archived_at") else None,
            "methodology": t.get("methodology"),
            **_times(t),
        }
        for t in data["trackers"]
    ]
    rows.sources = [
        {
            "id": s["id"],
            "tracker_id": s["tracker_id"],
            "name": s["name"],
            "kind": s["kind"],
            "publisher": s["publisher"],
            "origin": s["origin"],  # None for a local file (records.public_origin)
            **_times(s),
        }
        for s in data["sources"]
    ]
    blobs: dict[str, Row] = {}
    for d in data["documents"]:
        created = _time(d["created_at"])
        blob = blobs.setdefault(
            d["raw_sha256"],
            {
                "sha256": d["raw_sha256"],
                "size": 0,
                "media_type": PLACEHOLDER_MEDIA_TYPE,
                "data": b"",
                "created_at": created,
                "modified_at": created,
            },
        )
        if created < blob["created_at"]:
            blob["created_at"] = blob["modified_at"] = created
        date = d["date"] or {}
        rows.documents.append(
            {
                "id": d["id"],
                "tracker_id": d["tracker_id"],
                "source_id": d["source_id"],
                "kind": d["kind"],
                # a local file's path is not exported: the identity needs a unique origin
                "origin": d["origin"] or f"imported:{d['id']}",
                "item_key": d["item_key"],
                "title": d["title"],
                "body": d["body"],
                "url": d["url"],
                "category": d["category"],
                "date_value": _date(date.get("value")),
                "date_precision": date.get("precision"),
                "date_provenance": date.get("provenance"),
                "date_confidence": date.get("confidence"),
                "language": d["language"],
                "truncated": d["truncated"],
                "content_hash": d["content_hash"],
                "raw_sha256": d["raw_sha256"],
                "duplicate_of": d["duplicate_of"],
                "party": d.get("party"),
                "structure": {},
                **_derived(d),
            }
        )
    rows.raw_blobs = sorted(blobs.values(), key=lambda b: b["sha256"])
    versions = _pledge_versions(log)
    rows.pledges = [
        {
            "id": p["id"],
            "tracker_id": p["tracker_id"],
            "document_id": p["document_id"],
            "parent_id": p["parent_id"],
            "start": p["span"]["start"],
            "end": p["span"]["end"],
            "quote": p["quote"],
            "area": p["area"],
            "topic": p["topic"],
            "attributes": p["attributes"],
            "confidence": p["confidence"],
            "state": p["state"],
            "version": versions.get(p["id"], 1),
            "party": p.get("party"),
            "deadline": _date(p.get("deadline")),
            **_derived(p),
        }
        for p in data["pledges"]
    ]
    rows.evidence = [
        {
            "id": e["id"],
            "pledge_id": e["pledge_id"],
            "document_id": e["document_id"],
            "start": e["span"]["start"],
            "end": e["span"]["end"],
            "score": e["score"],
            "features": e["features"],
            "stance": e["stance"],
            "review_state": e["review_state"],
            **_derived(e),
        }
        for e in data["evidence"]
    ]
    rows.users = _authors(data["verdicts"], log)
    user_ids = {u["username"]: u["id"] for u in rows.users}
    rows.verdicts = [
        {
            "id": v["id"],
            "pledge_id": v["pledge_id"],
            "status": v["status"],
            "rationale": v["rationale"],
            "evidence_ids": list(v["evidence_ids"]),
            "author_id": user_ids.get(v["author"]) if v["author"] is not None else None,
            "published": v["published"],
            "as_of_value": _date((v.get("as_of") or {}).get("value")),
            "as_of_precision": (v.get("as_of") or {}).get("precision"),
            **_times(v),
        }
        for v in data["verdicts"]
    ]
    rows.audit_events = [
        {
            "seq": e["seq"],
            "actor": e["actor"],
            "action": e["action"],
            "entity_type": e["entity"]["type"],
            "entity_id": e["entity"]["id"],
            "details": e["details"],
            "prev_hash": e["prev"],
            "hash": e["hash"],
            "created_at": _time(e["time"]),
            "modified_at": _time(e["time"]),
        }
        for e in log
    ]
    if log:
        rows.audit_head = (log[-1]["seq"], log[-1]["hash"])
    return rows


def _authors(verdicts: list[dict[str, Any]], log: list[dict[str, Any]]) -> list[Row]:
    """One disabled account per verdict author, first by the order of their first verdict."""
    known_ids, roles = _accounts(log)
    names = list(dict.fromkeys(v["author"] for v in verdicts if v["author"] is not None))
    taken = {known_ids[n] for n in names if n in known_ids}
    next_id = max(taken, default=0) + 1
    users = []
    for name in names:
        user_id = known_ids.get(name)
        if user_id is None:
            while next_id in taken:
                next_id += 1
            user_id = next_id
            taken.add(user_id)
        users.append(
            {
                "id": user_id,
                "username": name,
                "password_hash": IMPORTED_PASSWORD,
                "role": roles.get(name, DEFAULT_ROLE),
                "session_generation": secrets.randbelow(2**30) + 1,  # as store.users does
                "disabled": True,
            }
        )
    return sorted(users, key=lambda u: u["id"])


def import_export(
    store: Store,
    data: dict[str, Any],
    *,
    allow_unverified: bool = False,
    init_tracker: str | None = None,
) -> ImportReport:
    """Write a checked export (see `read_export`) into the empty `store`, all or nothing.
    `init_tracker`: the slug of the bare tracker `lofte init` makes, replaced by the import."""
    check_export(data)
    log = _check_log(data, allow_unverified)
    rows = plan_import(data, log)
    with store.session() as session:
        counts = write_import(session, rows, init_tracker)
        if log and not allow_unverified:
            _verify_written(session)  # raises: the whole import rolls back
    head = None if rows.audit_head is None else audit.ChainHead(*rows.audit_head)
    return ImportReport(counts=counts, head=head)
