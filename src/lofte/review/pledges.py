"""Pledge review: confirm, reject, edit, split, merge. Each change is one audit event.

A pledge's quote is always the document text at its span, so edits move spans and the quote
follows. Every change bumps the pledge's version; passing the version the editor saw turns a
concurrent change by someone else into a ConflictError instead of a silent overwrite. The
check that counts is the database's: every UPDATE of a pledge carries `WHERE version = <read>`
(PledgeRow's version_id_col), so two writers racing past the early check below still cannot
both succeed, and the loser's whole transaction (new children, audit event) rolls back.

A pledge with children is a group (a list item holding several commitments); its children are
the pledges that get checked. Split parts start in their parent's state: a candidate's parts
are candidates (a confirmed pledge's parts stay confirmed). Confirming a group confirms its
parts that are still candidates, so the confirmed item is counted through them. A
merge's result is confirmed: the editor chose the pledges and the span it covers, which is a
review of that text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import (
    AlreadySavedError,
    AmbiguousQuoteError,
    ConflictError,
    NotFoundError,
    ValidationError,
    about,
)
from ..extraction import parsed_view
from ..model import ParsedDocument, Pledge, PledgeState, ReviewState, SourceKind
from ..pipeline.extract import areas_at, span_attributes
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.audit import newest_event
from ..store.db import Session, Store
from .reasons import MAX_LABEL_LENGTH, addressable, checked_length, checked_reason, visible
from .spans import SpanRow, refuse_overlap, valid_span, whole_words

EDITOR_STAGE = "editor"  # provenance of pledges an editor made by splitting or merging
EDITOR_STAGE_VERSION = "1"


def confirm(
    store: Store, pledge_id: int, *, actor: str, expected_version: int | None = None
) -> Pledge:
    return confirm_group(store, pledge_id, actor=actor, expected_version=expected_version)[0]


def confirm_group(
    store: Store, pledge_id: int, *, actor: str, expected_version: int | None = None
) -> tuple[Pledge, list[int]]:
    """Confirm a pledge and, when it is a group, its candidate parts at any depth (a group is
    counted through its parts); the pledge, and the ids of the parts confirmed with it."""
    return _set_state(store, pledge_id, PledgeState.CONFIRMED, actor, expected_version, None)


def reject(
    store: Store,
    pledge_id: int,
    *,
    reason: str | None = None,
    actor: str,
    expected_version: int | None = None,
) -> Pledge:
    reason = checked_reason(reason)
    return _set_state(store, pledge_id, PledgeState.REJECTED, actor, expected_version, reason)[0]


def _refuse_other_reason(
    session: Session, pledge_id: int, state: PledgeState, reason: str | None
) -> None:
    """A reject of a pledge rejected already, with a reason its rejection does not hold, is a
    conflict, not "already rejected": the reason would be dropped unsaid (QA: of two editors
    rejecting at once, the second's reason was lost without a word)."""
    if state is not PledgeState.REJECTED or reason is None:
        return
    rejection = newest_event(session, "pledge", pledge_id, ["pledge.reject"])
    if rejection is None or rejection.details.get("reason") != reason:
        raise ConflictError(
            f"pledge {pledge_id} was rejected already, with another reason: yours was not recorded"
        )


def _area(name: str) -> str | None:
    """An area's name as typed ("" clears it). "." and ".." are refused (`addressable`)."""
    name = name.strip() if visible(name) else ""
    checked_length("area", name, MAX_LABEL_LENGTH)  # each names the field "area"
    return addressable("area", name) or None


def _set_state(
    store: Store,
    pledge_id: int,
    state: PledgeState,
    actor: str,
    expected_version: int | None,
    reason: str | None,
) -> tuple[Pledge, list[int]]:
    action = "pledge.confirm" if state is PledgeState.CONFIRMED else "pledge.reject"
    with store.session() as session:
        # held before it is read: of two editors deciding at once, the second reads the
        # first's decision (QA: the same reject twice gave the later one a 409, not "saved")
        pledge_store.hold_pledge(session, pledge_id)
        current = pledge_store.get_pledge(session, pledge_id)
        changes: list[tuple[int, str, dict[str, Any]]] = []
        if current.state is state:
            # Decided already (a second click, a form sent twice): no event, no new version,
            # whatever version the form saw. A confirmed group still takes candidate parts
            # that came since (`confirm_candidate_parts` changes only candidates).
            _refuse_other_reason(session, pledge_id, state, reason)
            pledge = current
        else:
            current = pledge_store.get_pledge(session, pledge_id, expected_version)
            if state is PledgeState.CONFIRMED:
                _refuse_merged_away(session, current)
            pledge = pledge_store.update_pledge(session, pledge_id, current.version, state=state)
            changes.append((pledge_id, current.state.value, {"reason": reason}))
        if state is PledgeState.CONFIRMED:
            # a group is checked through its parts: confirming it confirms its candidates,
            # each with its own event (its history, `store.pledges.rejections` and the audit chain)
            changes += [
                (part, PledgeState.CANDIDATE.value, {"group": pledge_id})
                for part in pledge_store.confirm_candidate_parts(session, pledge_id)
            ]
        for changed, before, extra in changes:
            pledge_store.record_pledge_event(
                session,
                action,
                changed,
                actor,
                [changed],
                before=before,
                after=state.value,
                **extra,
            )
        if not changes:
            raise AlreadySavedError(f"pledge {pledge_id} is already {state.value}: nothing changed")
        parts = [changed for changed, _, _ in changes if changed != pledge_id]
        return pledge, parts


def edit(
    store: Store,
    pledge_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    area: str | None = None,
    topic: str | None = None,
    attributes: dict[str, Any] | None = None,
    party: str | None = None,
    actor: str,
    expected_version: int | None = None,
) -> Pledge:
    """Move the span (the quote follows the document text), or set area, topic, attributes,
    party (one of the tracker's actors when it has any; "" clears it)."""
    spanned = start is not None or end is not None
    with store.session() as session:
        # a new span is checked against the document's other pledges under its hold
        pledge = _held(session, pledge_id, expected_version, hold=spanned)
        before = _editable(pledge)
        after = dict(before)
        if spanned:
            doc = _parsed(session, pledge.document_id)
            with about("start", "end"):  # a bound inside a word names its own
                after["start"], after["end"] = valid_span(
                    doc.body,
                    pledge.start if start is None else start,
                    pledge.end if end is None else end,
                )
                if (after["start"], after["end"]) != (pledge.start, pledge.end):
                    old = (pledge.start, pledge.end)
                    whole_words(doc.body, after["start"], after["end"], old=old)
                    rows = pledge_store.spans_around(
                        session, pledge.document_id, after["start"], after["end"], own=pledge_id
                    )
                    refuse_overlap(rows, after["start"], after["end"], own=pledge_id, old=old)
        if area is not None:
            after["area"] = _area(area)
        if topic is not None:
            named = topic.strip() if visible(topic) else ""
            after["topic"] = checked_length("topic", named, MAX_LABEL_LENGTH) or None
        if "start" in after and (after["start"], after["end"]) != (pledge.start, pledge.end):
            # the new span's own attributes; the editor's given below win over them
            after["attributes"] = _respanned(doc, pledge, after["start"], after["end"])
        if attributes is not None:
            after["attributes"] = {**after["attributes"], **attributes}
        if party is not None:
            after["party"] = _party(session, pledge.tracker_id, party)
        if after == before:
            raise ValidationError(
                "nothing to change: give a new span, area, topic, attributes or party"
            )
        changes = {k: after[k] for k in after if after[k] != before[k]}
        if "start" in changes or "end" in changes:
            changes.update(
                start=after["start"],
                end=after["end"],
                quote=doc.body[after["start"] : after["end"]],
            )
        edited = pledge_store.update_pledge(session, pledge_id, pledge.version, **changes)
        changed = {
            k: {"before": before[k], "after": after[k]} for k in after if after[k] != before[k]
        }
        if edited.quote != pledge.quote:  # the text itself, so an account of an earlier day
            changed["quote"] = {"before": pledge.quote, "after": edited.quote}  # can show it
        pledge_store.record_pledge_event(
            session, "pledge.edit", pledge_id, actor, [pledge_id], changes=changed
        )
        return edited


def split(
    store: Store,
    pledge_id: int,
    cuts: Sequence[int],
    *,
    actor: str,
    expected_version: int | None = None,
) -> list[Pledge]:
    """Split a pledge at document offsets into children; the pledge stays as their group."""
    with store.session() as session:
        row = _held(session, pledge_id, expected_version)
        if any(c.state is not PledgeState.REJECTED for c in pledge_store.children(session, row.id)):
            raise ValidationError(
                f"pledge {pledge_id} is already split; edit or reject its parts instead"
            )
        # QA: a pledge with another live one inside it was split, both then counted
        rows = pledge_store.spans_around(session, row.document_id, row.start, row.end, own=row.id)
        refuse_overlap(rows, row.start, row.end, own=row.id)
        _refuse_rated(session, [row], "a split")
        points = sorted(set(cuts))
        if not points or any(not row.start < c < row.end for c in points):
            raise ValidationError(
                f"cut points must lie inside the pledge's span {row.start}–{row.end}"
            )
        doc = _parsed(session, row.document_id)  # read once for all parts
        body = doc.body
        for c in points:  # QA: "--at 8507" cut "utvärderas" into two candidates
            if body[c - 1].isalnum() and body[c].isalnum():
                word_start, word_end = c, c
                while word_start > row.start and body[word_start - 1].isalnum():
                    word_start -= 1
                while word_end < row.end and body[word_end].isalnum():
                    word_end += 1
                raise ValidationError(
                    f"the cut at {c} falls inside the word {body[word_start:word_end]!r}: "
                    f"cut between words (at {word_start} or {word_end})"
                )
        bounds = [row.start, *points, row.end]
        spans = [valid_span(body, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
        # the parts are no more reviewed than the whole: a candidate's parts are candidates
        # (a rejected pledge's parts too: splitting it is a reason to look again)
        state = (
            PledgeState.CONFIRMED if row.state is PledgeState.CONFIRMED else PledgeState.CANDIDATE
        )
        children = [
            _new_pledge(session, row, start, end, doc, parent_id=row.id, state=state)
            for start, end in spans
        ]
        pledge_store.update_pledge(session, row.id, row.version)
        pledge_store.record_pledge_event(
            session,
            "pledge.split",
            row.id,
            actor,
            [row.id, *(c.id for c in children)],
            children=[c.id for c in children],
            cuts=points,
        )
        return children


_BAR = re.compile(r"[ \t]*\|[ \t]*")


def cut_points(quote: str, marked: str, start: int) -> list[int]:
    """Document offsets where the editor put '|' into the quote; the rest must be unchanged.

    Spaces typed around a '|' ("a | b", "a |b", "a| b") do not count as changes: the cut
    lies at the quote's space, and the parts are trimmed of it.
    """
    marked = marked.replace("\r\n", "\n")
    quote = quote.replace("\r\n", "\n")
    if "|" in quote:
        raise ValidationError(
            "the quote holds '|' itself: split it by offsets with `lofte pledge split`"
        )
    pieces = _BAR.split(marked.strip())
    if len(pieces) < 2:
        raise ValidationError("put at least one '|' where the pledge is to be split")
    unchanged = ValidationError(
        "only add '|' where the pledge is to be split; do not change the text"
    )
    cuts, cursor = [], 0
    for i, piece in enumerate(pieces):
        if quote[cursor : cursor + len(piece)] != piece:
            raise unchanged
        cursor += len(piece)
        if i < len(pieces) - 1:
            cuts.append(start + cursor)
            while cursor < len(quote) and quote[cursor] in " \t":
                cursor += 1
    if quote[cursor:].strip():
        raise unchanged
    return cuts


def split_marked(
    store: Store, pledge_id: int, marked: str, *, actor: str, expected_version: int | None = None
) -> list[Pledge]:
    """Split where the editor typed '|' into the pledge's quote (the web form's way)."""
    with store.session() as session:
        current = pledge_store.get_pledge(session, pledge_id, expected_version)
        cuts = cut_points(current.quote, marked, current.start)
    # `split` checks the version again in its own transaction: an edit in between is a conflict
    return split(store, pledge_id, cuts, actor=actor, expected_version=expected_version)


def merge(
    store: Store,
    pledge_ids: Sequence[int],
    *,
    actor: str,
    expected_versions: Mapping[int, int] | None = None,
) -> Pledge:
    """One pledge spanning several of the same document; the merged ones are rejected.

    `expected_versions` (pledge id → the version the editor saw) turns a concurrent change to
    any of them into a ConflictError, checked in the same transaction as the merge.
    """
    ids = sorted(set(pledge_ids))
    if len(ids) < 2:
        raise ValidationError("merge needs at least two pledges")
    versions = expected_versions or {}
    with store.session() as session:
        _held(session, ids[0], None)  # the pledges between are read under the document's hold
        rows = [pledge_store.get_pledge(session, i, versions.get(i)) for i in ids]
        if len({r.document_id for r in rows}) != 1:
            raise ValidationError("only pledges of the same document can be merged")
        doc = _parsed(session, rows[0].document_id)
        first = min(rows, key=lambda r: r.start)
        parents = {r.parent_id for r in rows}
        start, end = min(r.start for r in rows), max(r.end for r in rows)
        parts = _covered_parts(session, rows, start, end)
        for pledge_id in sorted({*ids, *(p.id for p in parts)}):  # as `_held` holds one
            pledge_store.hold_pledge(session, pledge_id)
        _refuse_rated(session, [*rows, *parts], "a merge")
        merged = _new_pledge(
            session,
            first,
            start,
            end,
            doc,
            parent_id=parents.pop() if len(parents) == 1 else None,
        )
        for r in [*rows, *parts]:
            pledge_store.update_pledge(
                session,
                r.id,
                r.version,
                state=PledgeState.REJECTED,
                attributes={**r.attributes, "merged_into": merged.id},
            )
        also = [p.id for p in parts]
        moved = evidence_store.move_suggestions(session, [*ids, *also], merged.id)
        pledge_store.record_pledge_event(
            session,
            "pledge.merge",
            merged.id,
            actor,
            [merged.id, *ids, *also],
            merged=ids,
            **({"parts": also} if also else {}),
            **({"suggestions_moved": moved} if moved else {}),
        )
        return merged


MAX_QUOTE = 5000  # characters of a pledge's words given to find it (a pledge is a sentence or few)


def add(
    store: Store,
    document_id: int,
    *,
    quote: str | None = None,
    start: int | None = None,
    end: int | None = None,
    area: str | None = None,
    actor: str,
) -> Pledge:
    """A pledge the extractor missed, added by an editor: a span of a program, given by its
    words (found once in the text, spaces and line breaks as they fall; or, of words it holds
    more than once, the place at `start`: AmbiguousQuoteError names the places) or by offsets;
    confirmed, with the attributes extraction reads from a span and, unless one is given, the
    area of its place (`_area_at`) (QA: an editor could not add a missed pledge)."""
    with store.session() as session:
        pledge_store.hold_document(session, document_id)
        document = document_store.get_document(session, document_id)
        if document.kind is not SourceKind.PROGRAM:
            raise ValidationError(
                f"document {document_id} is a {document.kind.value} document, not a program: "
                "pledges are quoted from programs (correct its kind first)"
            )
        body = document.body
        with about("quote"):  # the words given, or the span they make (a choice: "place")
            if quote is not None:
                start, end = _free_place(session, document_id, body, quote, at=start)
            elif start is None or end is None:
                raise ValidationError("give the pledge's words, or its start and end")
            start, end = valid_span(body, start, end)
            whole_words(body, start, end)  # by offsets as by words: no "b|ygga"
            rows = pledge_store.spans_around(session, document_id, start, end)
            for r in rows:
                if (r.start, r.end) == (start, end) and r.state != PledgeState.REJECTED.value:
                    raise ValidationError(f"pledge {r.id} already quotes these words: review it")
            # QA: a pledge added inside a confirmed one; read under the document's hold above
            refuse_overlap(rows, start, end, own=None)
        parsed = parsed_view(document)
        if area is None:
            area = _area_at(parsed, pledge_store.live_before(session, document_id, start), start)
        pledge = pledge_store.insert_pledge(
            session,
            tracker_id=document.tracker_id,
            document_id=document_id,
            start=start,
            end=end,
            quote=body[start:end],
            area=_area(area) if area is not None else None,
            party=document.party,
            attributes=span_attributes(parsed, start, end),
            confidence=1.0,
            state=PledgeState.CONFIRMED.value,
            stage=EDITOR_STAGE,
            stage_version=EDITOR_STAGE_VERSION,
        )
        pledge_store.record_pledge_event(
            session, "pledge.add", pledge.id, actor, [pledge.id], span=[start, end]
        )
        return pledge


def _area_at(
    parsed: ParsedDocument, previous: tuple[int, int, str | None] | None, start: int
) -> str:
    """The area of a pledge added at `start`, of the live pledge before it as (start, id, area)
    (`store.pledges.live_before`): its area (as an editor may have named it) when extraction
    puts both under the same heading, else the one extraction gives the place
    (`extract.areas_at`; "": none)."""
    if previous is None:
        return areas_at(parsed, [start])[0] or ""
    here, there = areas_at(parsed, [start, previous[0]])
    return (previous[2] or "") if here == there else (here or "")


PLACES_OFFERED = 20  # places of words found more than once that a refusal names (bounded)


PLACES_LOOKED_AT = 1000  # places of the words a refusal looks through for free ones (bounded)


def _free_place(
    session: Session, document_id: int, body: str, quote: str, at: int | None
) -> tuple[int, int]:
    """The place of `quote`'s words in `body` (document `document_id`'s), any run of white
    space between them; with `at`, the place starting there. Of words the program holds more
    than once, only the places no live pledge quotes count: one such place is taken, more are
    refused naming them (at most PLACES_OFFERED), so that a form can offer the choice (QA: a
    place inside a confirmed pledge was offered, then refused, and the choice was gone)."""
    pattern = _quote_pattern(quote)
    if at is not None:
        there = pattern.match(body, at) if 0 <= at <= len(body) else None
        if there is None:
            raise ValidationError(
                f"the document's words at {at} are not these: give the start of one of the places"
            )
        return there.start(), there.end()
    places: list[tuple[int, int]] = []
    found = pattern.search(body)
    # each place, overlapping ones too ("mer och mer" twice in "mer och mer och mer"; review)
    while found is not None and len(places) < PLACES_LOOKED_AT:
        places.append(found.span())
        found = pattern.search(body, found.start() + 1)
    if not places:
        raise ValidationError("the document does not hold these words: copy them from its text")
    # the live pledges among the places, read once (not every record of the program)
    live = pledge_store.spans_around(
        session, document_id, places[0][0], max(end for _, end in places)
    )
    free = [place for place in places if not _overlaps(live, *place)][:PLACES_OFFERED]
    if not free:
        return places[0]  # taken: `add` says which pledge quotes it
    if len(free) > 1:
        raise _ambiguous(free)
    return free[0]


def _overlaps(rows: Sequence[SpanRow], start: int, end: int) -> bool:
    try:
        refuse_overlap(rows, start, end, own=None)
    except ValidationError:
        return True
    return False


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """`quote`'s words with any run of white space between them, whole words at the ends."""
    words = quote.split()
    if not words:
        raise ValidationError("the pledge's words are empty")
    checked_length("quote", quote, MAX_QUOTE)
    # escaped words and single white-space runs: no nested repetition, linear in the body;
    # whole words at the ends ("för" is not the start of "före")
    edges = (
        r"(?<!\w)" if words[0][0].isalnum() else "",
        r"(?!\w)" if words[-1][-1].isalnum() else "",
    )
    return re.compile(edges[0] + r"\s+".join(map(re.escape, words)) + edges[1])


def _ambiguous(places: list[tuple[int, int]]) -> AmbiguousQuoteError:
    # QA: the web form could not choose among them; the places go with the refusal
    return AmbiguousQuoteError(
        f"the document holds these words more than once (at {places[0][0]} and "
        f"{places[1][0]}): give more of the sentence, or the start and end",
        places,
    )


def merged_away(store: Store, merged_id: int) -> list[int]:
    """The pledges a merge rejected into `merged_id`: those chosen, and the parts of a group
    that went with it (QA: the editor was told only "merged", not that a part was rejected)."""
    with store.session() as session:
        pledge_store.get_pledge(session, merged_id)  # NotFoundError for no such pledge
        return pledge_store.merged_into(session, merged_id)


def _refuse_merged_away(session: Session, pledge: Pledge) -> None:
    """A pledge a merge took in stays out while the merged pledge stands (QA: confirmed again,
    its sentence counted twice on the meter, once inside the merged quote). The merge raised
    its version: a confirm on the version seen before the merge is refused anyway."""
    merged_id = (pledge.attributes or {}).get("merged_into")
    if merged_id is None:
        return
    try:
        merged = pledge_store.get_pledge(session, int(merged_id))
    except NotFoundError:
        return  # the merged pledge is gone: nothing counts it twice
    if merged.state is not PledgeState.REJECTED:
        raise ValidationError(
            f"pledge {pledge.id} was merged into pledge {merged.id}, which quotes it: "
            f"edit or split pledge {merged.id} instead, or reject it first"
        )


def _refuse_rated(session: Session, rows: Sequence[Pledge], change: str) -> None:
    """A merge rejects the pledges it merges, a split makes a group counted through its new
    parts: their verdicts and accepted evidence would stay with pledges the meter no longer
    counts (QA: a partially kept pledge merged with its neighbour took its status off the
    public meter; a kept pledge split left the meter while its page still said kept). A verdict
    added meanwhile bumps the pledge's version, which the change's own update then refuses."""
    rated = [
        row.id
        for row in rows
        if verdict_store.newest_verdict(session, row.id) is not None
        or evidence_store.list_evidence(
            session, pledge_id=row.id, states=[ReviewState.ACCEPTED], limit=1
        )
    ]
    if rated:
        named = ", ".join(map(str, rated))
        who = f"pledge {named} has" if len(rated) == 1 else f"pledges {named} have"
        raise ValidationError(
            f"{who} a verdict or accepted evidence, which a merge would leave with rejected "
            "pledges: merge only pledges without them (reject a duplicate instead)"
            if change == "a merge"
            else f"{who} a verdict or accepted evidence, which a split would leave with a group "
            "the meter counts only through its new parts: split pledges before they are rated"
        )


def _covered_parts(session: Session, rows: list[Pledge], start: int, end: int) -> list[Pledge]:
    """The live parts of the merged pledges (a group's split items), which the merged span
    covers and which go with it; any other live pledge inside the span is refused. Merging a
    confirmed group left its confirmed parts counted beside the merged pledge (the meter counted
    the commitment twice), and merging pledges far apart swallowed the pledges between (QA)."""
    chosen = {r.id for r in rows}
    parts, between = [], []
    for p in pledge_store.spans_around(session, rows[0].document_id, start, end):
        if p.id in chosen or p.state == PledgeState.REJECTED.value:
            continue  # (the groups above them come in any state)
        if p.end <= start or p.start >= end or (p.start <= start and p.end >= end):
            continue  # outside the span, or the group the merged pledges belong to
        (parts if p.parent_id in chosen else between).append(p)
    if between:
        named = ", ".join(str(p.id) for p in between[:10])
        if len(between) == 1:
            raise ValidationError(
                f"pledge {named} lies between the pledges to merge: merge it too, or merge "
                "neighbours only"
            )
        raise ValidationError(
            f"pledges {named} lie between the pledges to merge: merge them too, or merge "
            "neighbours only"
        )
    return [pledge_store.get_pledge(session, p.id) for p in parts]


def _new_pledge(
    session: Session,
    like: Pledge,
    start: int,
    end: int,
    doc: ParsedDocument,
    parent_id: int | None,
    state: PledgeState = PledgeState.CONFIRMED,
) -> Pledge:
    return pledge_store.add_editor_pledge(
        session,
        like,
        start,
        end,
        doc.body[start:end],
        parent_id,
        stage=EDITOR_STAGE,
        stage_version=EDITOR_STAGE_VERSION,
        state=state,
        attributes=_respanned(doc, like, start, end),
    )


def _parsed(session: Session, document_id: int) -> ParsedDocument:
    """A pledge's document as extraction read it (body and pages), read once per change."""
    return parsed_view(document_store.get_document(session, document_id))


def _held(
    session: Session, pledge_id: int, expected_version: int | None, *, hold: bool = True
) -> Pledge:
    """The pledge, read after its document is held (`pledge_store.hold_document`, as `add`
    holds it) and then the pledge itself when `hold`: a change of its span is checked against
    the document's pledges that no other editor's change can alter until this transaction
    ends, and its verdicts and evidence (`_refuse_rated`) are read after an accept on it has
    committed or before one starts (QA: an accept and a split at once, on PostgreSQL)."""
    if hold:
        pledge_store.hold_document(session, pledge_store.document_of(session, pledge_id))
        pledge_store.hold_pledge(session, pledge_id)
    return pledge_store.get_pledge(session, pledge_id, expected_version)


def _respanned(doc: ParsedDocument, like: Pledge, start: int, end: int) -> dict[str, Any]:
    """The attributes of a pledge at `start`..`end` of `doc`, `like`'s document: the span's
    own, as extraction reads them (its deadline, pages...), and the rest of `like`'s (the
    classifier's rank and precision of the text it came from; not a merge's or a rejection's
    marks)."""
    kept = {k: v for k, v in like.attributes.items() if k in ("rank", "precision")}
    return kept | span_attributes(doc, start, end)


def _editable(pledge: Pledge) -> dict[str, Any]:
    return {
        "start": pledge.start,
        "end": pledge.end,
        "area": pledge.area,
        "topic": pledge.topic,
        "attributes": dict(pledge.attributes or {}),
        "party": pledge.party,
    }


def _party(session: Session, tracker_id: int, party: str) -> str | None:
    """The party as the tracker spells it; ValidationError for one not among its actors, or
    named "." or ".." (`addressable`: any name was taken on a tracker without actors)."""
    name = addressable("party", " ".join(party.split()))
    if not name:
        return None
    actors = tracker_store.get_tracker_by_id(session, tracker_id).actors
    if not actors:
        return name[:100]
    for actor in actors:
        if actor.casefold() == name.casefold():
            return actor
    # each actor quoted: "'S, V, MP' is not one of … S, V, MP" read as a contradiction (QA)
    raise ValidationError(
        f"party {name!r} is not one of the tracker's actors: {', '.join(map(repr, actors))}",
        ("party",),
    )
