"""Pledge review: confirm, reject, edit, split, merge. Each change is one audit event.

A pledge's quote is always the document text at its span, so edits move spans and the quote
follows. Every change bumps the pledge's version; passing the version the editor saw turns a
concurrent change by someone else into a ConflictError instead of a silent overwrite. The
check that counts is the database's: every UPDATE of a pledge carries `WHERE version = <read>`
(PledgeRow's version_id_col), so two writers racing past the early check below still cannot
both succeed, and the loser's whole transaction (new children, audit event) rolls back.

A pledge with children is a group (a list item holding several commitments); its children are
the pledges that get checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ValidationError
from ..model import Pledge, PledgeState
from ..store import audit
from ..store import pledges as pledge_store
from ..store.db import Store
from ..store.schema import PledgeRow

EDITOR_STAGE = "editor"  # provenance of pledges an editor made by splitting or merging
EDITOR_STAGE_VERSION = "1"


def confirm(store: Store, pledge_id: int, *, actor: str,
            expected_version: int | None = None) -> Pledge:
    return _set_state(store, pledge_id, PledgeState.CONFIRMED, actor, expected_version, None)


def reject(store: Store, pledge_id: int, *, reason: str | None = None, actor: str,
           expected_version: int | None = None) -> Pledge:
    return _set_state(store, pledge_id, PledgeState.REJECTED, actor, expected_version, reason)


def _set_state(store: Store, pledge_id: int, state: PledgeState, actor: str,
               expected_version: int | None, reason: str | None) -> Pledge:
    with store.session() as session:
        row = pledge_store.get_pledge_row(session, pledge_id, expected_version)
        before = row.state
        row.state = state.value
        row.version += 1
        action = "pledge.confirm" if state is PledgeState.CONFIRMED else "pledge.reject"
        audit.record_event(session, action, "pledge", row.id, actor, before=before,
                           after=state.value, reason=reason, pledges=[audit.pledge_state(row)])
        session.flush()
        return pledge_store.pledge_record(row)


def edit(
    store: Store,
    pledge_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    area: str | None = None,
    topic: str | None = None,
    attributes: dict[str, Any] | None = None,
    actor: str,
    expected_version: int | None = None,
) -> Pledge:
    """Move the span (the quote follows the document text), or set area, topic, attributes."""
    with store.session() as session:
        row = pledge_store.get_pledge_row(session, pledge_id, expected_version)
        before = _editable(row)
        if start is not None or end is not None:
            body = pledge_store.document_body(session, row.document_id)
            row.start, row.end = _valid_span(body, row.start if start is None else start,
                                             row.end if end is None else end)
            row.quote = body[row.start:row.end]
        if area is not None:
            row.area = area.strip() or None
        if topic is not None:
            row.topic = topic.strip() or None
        if attributes is not None:
            row.attributes = {**(row.attributes or {}), **attributes}
        after = _editable(row)
        if after == before:
            raise ValidationError("nothing to change: give a new span, area, topic or attributes")
        row.version += 1
        changed = {k: {"before": before[k], "after": after[k]} for k in after if after[k] != before[k]}
        audit.record_event(session, "pledge.edit", "pledge", row.id, actor, changes=changed,
                           pledges=[audit.pledge_state(row)])
        session.flush()
        return pledge_store.pledge_record(row)


def split(store: Store, pledge_id: int, cuts: Sequence[int], *, actor: str,
          expected_version: int | None = None) -> list[Pledge]:
    """Split a pledge at document offsets into children; the pledge stays as their group."""
    with store.session() as session:
        row = pledge_store.get_pledge_row(session, pledge_id, expected_version)
        if any(r.state != PledgeState.REJECTED.value for r in pledge_store.children_rows(session, row.id)):
            raise ValidationError(
                f"pledge {pledge_id} is already split; edit or reject its parts instead"
            )
        points = sorted(set(cuts))
        if not points or any(not row.start < c < row.end for c in points):
            raise ValidationError(
                f"cut points must lie inside the pledge's span {row.start}–{row.end}"
            )
        body = pledge_store.document_body(session, row.document_id)
        bounds = [row.start, *points, row.end]
        children = []
        for a, b in zip(bounds, bounds[1:]):
            start, end = _valid_span(body, a, b)
            children.append(_new_pledge(row, start, end, body, parent_id=row.id))
        session.add_all(children)
        row.version += 1
        session.flush()
        audit.record_event(session, "pledge.split", "pledge", row.id, actor,
                           children=[c.id for c in children], cuts=points,
                           pledges=[audit.pledge_state(r) for r in (row, *children)])
        return [pledge_store.pledge_record(c) for c in children]


def cut_points(quote: str, marked: str, start: int) -> list[int]:
    """Document offsets where the editor put '|' into the quote; the rest must be unchanged."""
    marked = marked.replace("\r\n", "\n")
    if "|" in quote:
        raise ValidationError("the quote holds '|' itself: split it by offsets with `lofte pledge split`")
    if marked.replace("|", "") != quote.replace("\r\n", "\n"):
        raise ValidationError("only add '|' where the pledge is to be split; do not change the text")
    cuts, removed = [], 0
    for i, char in enumerate(marked):
        if char == "|":
            cuts.append(start + i - removed)
            removed += 1
    if not cuts:
        raise ValidationError("put at least one '|' where the pledge is to be split")
    return cuts


def split_marked(store: Store, pledge_id: int, marked: str, *, actor: str,
                 expected_version: int | None = None) -> list[Pledge]:
    """Split where the editor typed '|' into the pledge's quote (the web form's way)."""
    with store.session() as session:
        current = pledge_store.get_pledge_row(session, pledge_id, expected_version)
        cuts = cut_points(current.quote, marked, current.start)
    # `split` checks the version again in its own transaction: an edit in between is a conflict
    return split(store, pledge_id, cuts, actor=actor, expected_version=expected_version)


def merge(store: Store, pledge_ids: Sequence[int], *, actor: str,
          expected_versions: Mapping[int, int] | None = None) -> Pledge:
    """One pledge spanning several of the same document; the merged ones are rejected.

    `expected_versions` (pledge id → the version the editor saw) turns a concurrent change to
    any of them into a ConflictError, checked in the same transaction as the merge.
    """
    ids = sorted(set(pledge_ids))
    if len(ids) < 2:
        raise ValidationError("merge needs at least two pledges")
    versions = expected_versions or {}
    with store.session() as session:
        rows = [pledge_store.get_pledge_row(session, i, versions.get(i)) for i in ids]
        if len({r.document_id for r in rows}) != 1:
            raise ValidationError("only pledges of the same document can be merged")
        body = pledge_store.document_body(session, rows[0].document_id)
        first = min(rows, key=lambda r: r.start)
        parents = {r.parent_id for r in rows}
        merged = _new_pledge(first, min(r.start for r in rows), max(r.end for r in rows), body,
                             parent_id=parents.pop() if len(parents) == 1 else None)
        session.add(merged)
        session.flush()
        for r in rows:
            r.state = PledgeState.REJECTED.value
            r.version += 1
            r.attributes = {**(r.attributes or {}), "merged_into": merged.id}
        audit.record_event(session, "pledge.merge", "pledge", merged.id, actor, merged=ids,
                           pledges=[audit.pledge_state(r) for r in (merged, *rows)])
        return pledge_store.pledge_record(merged)


def _new_pledge(like: PledgeRow, start: int, end: int, body: str, parent_id: int | None) -> PledgeRow:
    return PledgeRow(
        tracker_id=like.tracker_id, document_id=like.document_id, parent_id=parent_id,
        start=start, end=end, quote=body[start:end], area=like.area, topic=like.topic,
        attributes={}, confidence=1.0, state=PledgeState.CONFIRMED.value,
        stage=EDITOR_STAGE, stage_version=EDITOR_STAGE_VERSION,
    )


def _valid_span(body: str, start: int, end: int) -> tuple[int, int]:
    """The span trimmed of surrounding white space; ValidationError when it holds no text."""
    if not 0 <= start < end <= len(body):
        raise ValidationError(f"span {start}–{end} lies outside the document (0–{len(body)})")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError("the span holds no text")
    return start, end


def _editable(row: PledgeRow) -> dict[str, Any]:
    return {"start": row.start, "end": row.end, "area": row.area, "topic": row.topic,
            "attributes": dict(row.attributes or {})}
