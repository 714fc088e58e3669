"""One JSON serializer per record, used by the web's JSON twins, `lofte … --json` and the export.

The shapes are the export's (export_schema_v1.json): spans are `{"start", "end"}`, provenance is
`{"stage", "version"}`. `dumps` is the one set of `json.dumps` settings, so the same record gives
the same bytes wherever it is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..model import (
    AuditEvent,
    DatePrecision,
    DateValue,
    Document,
    Evidence,
    Pledge,
    Source,
    Tracker,
    Verdict,
    VerdictChange,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _times(created_at: dt.datetime | None, modified_at: dt.datetime | None) -> dict[str, Any]:
    return {"created_at": _iso(created_at), "modified_at": _iso(modified_at)}


def public_origin(value: str | None) -> str | None:
    """Where an input came from, when that is a web address. A local file's origin is a path
    on the server: no output shows it (the store keeps it as the document's identity)."""
    if value and urlsplit(value).scheme.lower() in ("http", "https"):
        return value
    return None


def web_link(value: str | None) -> str | None:
    """`value` when it is an absolute http(s) address to link to, else None: a stored URL
    that says `javascript:`, `data:` or anything else must never become a link on a page
    (ingest keeps only http(s) addresses, but a row may be written or restored around it)."""
    if not value:
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value
    return None


def span(start: int, end: int) -> dict[str, int]:
    return {"start": start, "end": end}


def tracker(t: Tracker) -> dict[str, Any]:
    return {
        "id": t.id,
        "slug": t.slug,
        "name": t.name,
        "jurisdiction": t.jurisdiction,
        "actors": list(t.actors),
        "term_start": _iso(t.term_start),
        "term_end": _iso(t.term_end),
        "description": t.description,
        "published_at": _iso(t.published_at),
        "show_candidates": t.show_candidates,
        "archived_at": _iso(t.archived_at),
        "methodology": t.methodology,
        **_times(t.created_at, t.modified_at),
    }


def source(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "tracker_id": s.tracker_id,
        "name": s.name,
        "kind": s.kind.value,
        "publisher": s.publisher,
        "origin": public_origin(s.origin),
        **_times(s.created_at, s.modified_at),
    }


def date_value(date: DateValue | None) -> dict[str, Any] | None:
    """A document's date: the day, how exact, where it came from."""
    if date is None:
        return None
    return {
        "value": date.value.isoformat(),
        "precision": date.precision.value,
        "provenance": date.provenance.value,
        "confidence": date.confidence,
    }


def document(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "tracker_id": d.tracker_id,
        "source_id": d.source_id,
        "kind": d.kind.value,
        "title": d.title,
        "body": d.body,
        "url": d.url,
        "origin": public_origin(d.origin),
        "item_key": d.item_key,
        "category": d.category,
        "date": date_value(d.date),
        "language": d.language,
        "truncated": d.truncated,
        "content_hash": d.content_hash,
        "raw_sha256": d.raw_sha256,
        "duplicate_of": d.duplicate_of,
        "party": d.party,
        "provenance": {"stage": d.parser, "version": d.parser_version},
        **_times(d.created_at, d.modified_at),
    }


def pledge(p: Pledge) -> dict[str, Any]:
    return {
        "id": p.id,
        "tracker_id": p.tracker_id,
        "document_id": p.document_id,
        "parent_id": p.parent_id,
        "span": span(p.start, p.end),
        "quote": p.quote,
        "area": p.area,
        "topic": p.topic,
        "attributes": p.attributes,
        "confidence": p.confidence,
        "state": p.state.value,
        "version": p.version,
        "party": p.party,
        "deadline": _iso(p.deadline),  # set by an editor; None: the text's own, if any
        "provenance": {"stage": p.extractor, "version": p.extractor_version},
        **_times(p.created_at, p.modified_at),
    }


def evidence(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.id,
        "pledge_id": e.pledge_id,
        "document_id": e.document_id,
        "span": span(e.start, e.end),
        "score": e.score,
        "features": e.features,
        "stance": e.stance.value,
        "review_state": e.review_state.value,
        "provenance": {"stage": e.linker, "version": e.linker_version},
        **_times(e.created_at, e.modified_at),
    }


def verdict(v: Verdict) -> dict[str, Any]:
    return {
        "id": v.id,
        "pledge_id": v.pledge_id,
        "status": v.status.value,
        "rationale": v.rationale,
        "evidence_ids": list(v.evidence_ids),
        "author": v.author,
        "published": v.published,
        "as_of": None
        if v.as_of is None
        else {
            "value": v.as_of.isoformat(),
            "precision": (v.as_of_precision or DatePrecision.DAY).value,
        },
        **_times(v.created_at, v.modified_at),
    }


def verdict_change(c: VerdictChange) -> dict[str, Any]:
    """A published verdict as the feed of changes gives it: with the pledge's quote and area."""
    v = c.verdict
    return {
        "verdict_id": v.id,
        "pledge_id": v.pledge_id,
        "status": v.status.value,
        "rationale": v.rationale,
        # when it became public (publishing a draft sets modified_at), not when it was recorded
        "date": (v.modified_at or v.created_at).isoformat(timespec="seconds"),
        "as_of": None
        if v.as_of is None
        else {
            "value": v.as_of.isoformat(),
            "precision": (v.as_of_precision or DatePrecision.DAY).value,
        },
        "quote": c.quote,
        "area": c.area,
    }


def audit_event(e: AuditEvent) -> dict[str, Any]:
    """An audit event as its hash covers it (see store/audit.event_hash), plus the hash: the
    export's log and the editors' pages alike."""
    return {
        "seq": e.seq,
        "time": e.created_at.isoformat(timespec="microseconds"),
        "actor": e.actor,
        "action": e.action,
        "entity": {"type": e.entity_type, "id": e.entity_id},
        "details": e.details,
        "prev": e.prev_hash,
        "hash": e.hash,
    }


# What an event carries for `lofte audit verify`: the state of every record it touched (versions,
# spans, a hash of the quote). The chain needs them; a reader of a pledge's history needs what
# changed, so `detail_lines` leaves them out unless asked (the admins' audit log shows them).
SNAPSHOTS = ("pledges", "evidence", "verdict")


# How a caller puts a stored value in words: (field, value) to text, None to show it as stored.
# It gets a bool, a string, a number, and a date record as {"value", "precision"}.
Words = Callable[[str | None, Any], str | None]


def detail_lines(
    details: Mapping[str, Any] | None,
    *,
    snapshots: bool = False,
    words: Words | None = None,
) -> list[tuple[str | None, str]]:
    """An audit event's details as (label, text) lines for a person: a change as
    `before → after` (one line per changed field), lists and records written out, None left
    out. Without `snapshots`, of the records' states only a verdict's rationale is kept.
    `words` puts values in a reader's words (the web pages' language); without it, or where it
    gives None, a value is shown as stored."""
    rest = dict(details or {})
    lines: list[tuple[str | None, str]] = []
    if "before" in rest and "after" in rest:
        before, after = rest.pop("before"), rest.pop("after")
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            rest.pop("changed", None)  # the fields listed again: their lines say it
            fields = dict.fromkeys([*before, *after])
            lines += [(k, _change(before.get(k), after.get(k), k, words)) for k in fields]
        else:
            lines.append((None, _change(before, after, None, words)))  # the action says what
    verdict = rest.get("verdict")
    for key, value in rest.items():
        if value is None or (key in SNAPSHOTS and not snapshots):
            continue
        if key == "changes" and isinstance(value, Mapping):
            for k, v in value.items():
                before, after = _before_after(v)
                if k in SPREAD and isinstance(after, Mapping) and isinstance(before, Mapping):
                    lines += _spread_change(k, before, after, words)
                else:
                    lines.append((k, _change(before, after, k, words)))
        elif key in SPREAD and isinstance(value, Mapping):
            lines += _spread(key, value, words)
        else:
            lines.append((key, _text(value, key, words)))
    if not snapshots and isinstance(verdict, Mapping):
        if verdict.get("published") is False:  # QA: a draft read like a published verdict
            lines.append(("draft", _text(True, "draft", words)))
        if verdict.get("rationale"):
            lines.append(("rationale", _text(verdict["rationale"], "rationale", words)))
    return lines


# Records shown one field a line, each labelled "<record>.<field>" (a label a reader's
# language can name, as it names the events' own fields): how a piece of evidence was attached
# (its `from` is the record's own line: "attached: document"), a pledge's attributes (of a
# change, those that changed). QA: "tillagt: from document" and "attributes: checkable ja,
# deadline_year –, method cue …" on a Swedish page.
SPREAD = {"attached": "from", "attributes": None, "counts": None}


def _spread(key: str, record: Mapping[str, Any], words: Words | None) -> list[tuple[str, str]]:
    rest = dict(record)
    head = SPREAD[key]
    lines = [(key, _text(rest.pop(head), key, words))] if head in rest else []
    return lines + [
        (f"{key}.{k}", _text(v, f"{key}.{k}", words)) for k, v in rest.items() if v is not None
    ]


def _spread_change(
    key: str, before: Mapping[str, Any], after: Mapping[str, Any], words: Words | None
) -> list[tuple[str, str]]:
    fields = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return [
        (f"{key}.{k}", _change(before.get(k), after.get(k), f"{key}.{k}", words)) for k in fields
    ]


def _before_after(value: Any) -> tuple[Any, Any]:
    if isinstance(value, Mapping) and "before" in value and "after" in value:
        return value["before"], value["after"]
    return None, value


def _change(before: Any, after: Any, key: str | None, words: Words | None) -> str:
    return f"{_text(before, key, words)} → {_text(after, key, words)}"


_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00\Z")


# items of a list a detail line writes out, the rest counted: an extraction's event names every
# pledge it made (QA: 760,000 of them made the audit page 127 MB and 24 s)
LIST_ITEMS_SHOWN = 50
RECORDS_SHOWN = 5  # of a list of records (a pledge's snapshot is a line of its own)


def _text(value: Any, key: str | None = None, words: Words | None = None) -> str:
    """A detail's value as text: None as a dash, lists joined, a record as `key value` pairs
    (a date record's value and precision as one date when `words` writes it)."""
    if value is None:
        return "–"
    if isinstance(value, Mapping):
        rest = dict(value)
        date = None
        if words is not None and "value" in rest and "precision" in rest:
            date = words(key, {"value": rest["value"], "precision": rest["precision"]})
        if date is not None:  # where the date was read stays the record's, not the reader's
            del rest["value"], rest["precision"]
            rest.pop("provenance", None)
        pairs = [f"{k} {_text(v, k, words)}" for k, v in rest.items()]
        return ", ".join([date, *pairs] if date is not None else pairs)
    if isinstance(value, (list, tuple)):
        limit = RECORDS_SHOWN if value and isinstance(value[0], Mapping) else LIST_ITEMS_SHOWN
        shown = [
            f"({_text(v, key, words)})" if isinstance(v, Mapping) else _text(v, key, words)
            for v in value[:limit]
        ]
        more = len(value) - limit
        return ", ".join([*shown, f"… (+{more})"] if more > 0 else shown)
    if isinstance(value, str) and value.endswith("+00:00") and _UTC.match(value):
        value = value.removesuffix("+00:00")  # a time in UTC, the store's clock, as the others
    said = words(key, value) if words is not None else None
    if said is not None:
        return said
    if isinstance(value, bool):
        return json.dumps(value)
    return str(value)
