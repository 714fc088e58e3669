"""The rules for a pledge's span that every editor's change keeps (`review.pledges`): a span
holds text, starts and ends between words, and does not overlap another live pledge of its
document.

QA: adding a pledge inside a confirmed one, splitting a pledge with another inside it, and
moving a span across a heading (swallowing two pledges, cutting "b|ygga") were all accepted,
so the meter counted the same words twice. Merge already refused the pledges between; these
checks give add, edit and split the same rule. They read the document's pledges while the
caller holds the document (`pledge_store.hold_document`), so two editors cannot both pass them
and then both write: the second waits for the first's transaction and then sees its pledge.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..errors import ValidationError
from ..model import PledgeState

NAMED = 10  # overlapping pledges named in a refusal at most


class SpanRow(Protocol):
    """What these rules read of a pledge (a store row, or a record): the store's rows stay in
    the store (tests/store/test_boundary.py)."""

    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def state(self) -> str: ...


def valid_span(body: str, start: int, end: int) -> tuple[int, int]:
    """The span trimmed of surrounding white space; ValidationError when it holds no text."""
    if start >= end:
        raise ValidationError(f"the span's end ({end}) must come after its start ({start})")
    if not 0 <= start < end <= len(body):
        raise ValidationError(f"span {start}–{end} lies outside the document (0–{len(body)})")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError("the span holds no text")
    return start, end


def inside_word(body: str, at: int) -> tuple[int, int] | None:
    """The word `at` falls inside (its start and end), or None when `at` lies between words
    (or at the text's start or end)."""
    if not 0 < at < len(body) or not (body[at - 1].isalnum() and body[at].isalnum()):
        return None
    word_start, word_end = at, at
    while word_start > 0 and body[word_start - 1].isalnum():
        word_start -= 1
    while word_end < len(body) and body[word_end].isalnum():
        word_end += 1
    return word_start, word_end


def whole_words(body: str, start: int, end: int, *, old: tuple[int, int] | None = None) -> None:
    """ValidationError when the span's start or end falls inside a word ("b|ygga"), as a
    pledge added by its words never does; a bound left where it was (`old`, the span before
    an edit, as extraction may have set it) is not checked again."""
    for name, at, was in (("start", start, old and old[0]), ("end", end, old and old[1])):
        word = None if at == was else inside_word(body, at)
        if word is not None:
            raise ValidationError(
                f"the span's {name} at {at} falls inside the word "
                f"{body[word[0] : word[1]]!r}: start and end between words "
                f"(at {word[0]} or {word[1]})",
                (name,),
            )


def _kin(rows: Iterable[SpanRow], own: int) -> set[int]:
    """`own`, its groups (parent, grandparent …) and its parts at any depth: the pledges
    whose spans hold or lie in its own by design (not its groups' other parts)."""
    parent = {r.id: r.parent_id for r in rows}
    kin, up = {own}, parent.get(own)
    while up is not None and up not in kin:  # its groups
        kin.add(up)
        up = parent.get(up)
    frontier = {own}
    while frontier:  # its parts, and theirs
        frontier = {i for i, p in parent.items() if p in frontier and i not in kin}
        kin |= frontier
    return kin


def refuse_overlap(
    rows: Iterable[SpanRow],
    start: int,
    end: int,
    own: int | None,
    *,
    old: tuple[int, int] | None = None,
) -> None:
    """ValidationError naming the live (not rejected) pledges of `rows` (one document's) whose
    spans overlap `start`–`end`, other than `own` (the pledge changed, when there is one), its
    groups and its parts. `old`: the span before an edit; a pledge it overlapped already is
    no new overlap (data made before these rules must stay editable)."""
    rows = list(rows)
    kin = _kin(rows, own) if own is not None else set()
    overlapping = [
        r
        for r in sorted(rows, key=lambda r: (r.start, r.id))
        if r.id not in kin
        and r.state != PledgeState.REJECTED.value
        and r.start < end
        and r.end > start
        and not (old is not None and r.start < old[1] and r.end > old[0])
    ]
    if not overlapping:
        return
    named = ", ".join(str(r.id) for r in overlapping[:NAMED])
    if len(overlapping) > NAMED:
        named += ", …"
    who = f"pledge {named}" if len(overlapping) == 1 else f"pledges {named}"
    raise ValidationError(
        f"the span {start}–{end} overlaps {who}, which quotes these words already: edit or "
        "reject it first, or choose other words"
        if len(overlapping) == 1
        else f"the span {start}–{end} overlaps {who}, which quote these words already: edit "
        "or reject them first, or choose other words"
    )
