"""Pledge extraction from a program document (stage `extract`): pure, no database.

Two signals:

1. **Structure.** A list introduced by a commitment lead-in ("… kommer vi:", "Vi vill:",
   "Moderaterna kommer att:") is a list of pledges, one per item. A list after any other colon
   (the program's policy areas, links to other programs) or one that looks like a table of
   contents is not. A list cut off from its lead-in by a chart label or a short caption goes on
   being a pledge list. An item holding several commitment sentences is a parent with one
   child per sentence (atomic pledges).
2. **Classifier.** Sentences outside pledge lists are scored by a sentence classifier
   (`classify.score_sentences` when that module is present); those at or above its threshold are
   pledges. With `prose="auto"`, prose is mined only in sections that state no pledge list:
   where a program lists its pledges, its prose argues for them and repeats them. Items of lists
   with no lead-in are scored as units.

Areas come from the section path (top level) when the document has headings, else from the
lead-in ("För att bidra till god hälsa … kommer vi:" → "Bidra till god hälsa …").

Every candidate's quote is `doc.body[start:end]`; a child's span lies inside its parent's and
its `parent` is the parent's index in the returned list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..language.segment import Block, document_blocks, page_reference, split_sentences
from ..model import ParsedDocument
from .areas import intro_label, is_commitment_intro, readable
from .attributes import commitment_type, pledge_attributes

EXTRACTOR = "extract"
EXTRACTOR_VERSION = "1"

Scorer = Callable[[Sequence[str]], Sequence[float]]

STRUCTURE_PRIOR = 0.9  # a list item under a commitment lead-in, before the classifier's view
DEFAULT_THRESHOLD = 0.5  # for a caller's own scorer without a threshold
_MIN_WORDS = 4  # shorter prose sentences are headings, captions or fragments
_BRIDGE_CHARS = 120  # a paragraph this short between two lists does not end a pledge list
_BRIDGE_BLOCKS = 3
_CONNECTOR = re.compile(r"^(?:och|samt|men|eller|liksom)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PledgeCandidate:
    """A pledge proposed by the extractor; `parent` indexes the list it was returned in."""

    start: int
    end: int
    quote: str
    area: str | None
    parent: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    method: str = "structure"  # "structure" | "classifier"


@dataclass
class _Group:
    """Consecutive list items of one kind and what introduced them."""

    items: list[Block]
    verdict: str = "open"  # "pledge", "reject" or "open" (no lead-in: the classifier decides)
    intro: str | None = None  # the lead-in sentence


@dataclass
class _Unit:
    """A span to become a candidate, with the spans of its commitment sentences."""

    start: int
    end: int
    area: str | None
    method: str
    parts: list[tuple[int, int]]
    score_parts: bool = True  # classifier units keep only parts at or above the threshold


def default_scorer() -> tuple[Scorer, float] | None:
    """The sentence classifier and its threshold, or None when the module is not there.

    A classifier module without its trained model is a broken install, not "no classifier":
    ConfigError says so rather than quietly extracting less.
    """
    try:
        from . import classify  # type: ignore[attr-defined]
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.classify":
            return None
        raise  # the module is there but a dependency is missing: say so
    try:
        model = classify.load_classifier()
    except FileNotFoundError as exc:
        raise ConfigError(
            f"the pledge classifier's model is missing ({exc.filename}); train it, or extract "
            "with use_classifier=False (structure only)"
        ) from exc
    return classify.score_sentences, float(model.threshold)


# -- list structure ---------------------------------------------------------------------------


def _kind(marker: str) -> str:
    return "number" if marker[:1].isdigit() or marker[1:2].isdigit() else marker


def _groups(blocks: list[Block]) -> tuple[list[_Group], dict[int, int]]:
    """List groups in order, and for each list-item block index its group's index."""
    groups: list[_Group] = []
    member: dict[int, int] = {}
    open_group: _Group | None = None
    for i, b in enumerate(blocks):
        if b.kind == "noise":
            continue
        if b.kind != "list_item" or b.level:  # numbered titles open sections, not lists
            open_group = None
            continue
        if open_group is None or _kind(open_group.items[-1].marker) != _kind(b.marker):
            open_group = _Group([])
            groups.append(open_group)
        open_group.items.append(b)
        member[i] = len(groups) - 1
    return groups, member


def _last_sentence(body: str, b: Block) -> str:
    spans = split_sentences(body, b.start, b.end)
    return body[spans[-1][0] : spans[-1][1]] if spans else ""


def _looks_like_contents(body: str, group: _Group) -> bool:
    refs = sum(page_reference(body[b.start : b.end], max_digits=3) is not None
               for b in group.items)
    return len(group.items) >= 3 and refs * 2 >= len(group.items)


def _judge(blocks: list[Block], body: str, groups: list[_Group], member: dict[int, int]) -> None:
    """Set each group's verdict and lead-in from the blocks before it."""
    index = {id(b): i for i, b in enumerate(blocks)}
    for group in groups:
        if _looks_like_contents(body, group):
            group.verdict = "reject"
            continue
        i = index[id(group.items[0])] - 1
        while i >= 0 and blocks[i].kind == "noise":
            i -= 1
        prev = blocks[i] if i >= 0 else None
        if prev and prev.kind in ("paragraph", "heading") and not prev.toc:
            lead = _last_sentence(body, prev)
            if lead.endswith(":"):
                group.intro = lead
                group.verdict = "pledge" if is_commitment_intro(lead) else "reject"
                continue
        earlier = _bridged_group(blocks, body, i, member, groups)
        if earlier is not None and earlier.verdict == "pledge":
            group.verdict, group.intro = "pledge", earlier.intro


def _bridged_group(
    blocks: list[Block], body: str, i: int, member: dict[int, int], groups: list[_Group]
) -> _Group | None:
    """The list just before block `i` when only a chart or box stands between, else None.

    A box is a heading or page noise, with at most short paragraphs ("31 miljarder per år.");
    prose alone between two lists ends the first.
    """
    seen = 0
    boxed = False
    while i >= 0 and seen <= _BRIDGE_BLOCKS:
        b = blocks[i]
        if b.kind == "list_item" and i in member:
            return groups[member[i]] if boxed else None
        if b.kind == "list_item" or (b.kind == "heading" and b.level == 1):
            return None  # a numbered title or a new chapter
        if b.kind == "paragraph" and (
            b.end - b.start > _BRIDGE_CHARS or body[b.start : b.end].rstrip().endswith(":")
        ):
            return None
        boxed = boxed or b.kind in ("heading", "noise")
        seen += b.kind != "noise"
        i -= 1
    return None


# -- units ------------------------------------------------------------------------------------


def _clauses(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences, with "Och att …" fragments joined to the sentence before."""
    out: list[tuple[int, int]] = []
    for s, e in split_sentences(body, start, end):
        text = body[s:e]
        if out and (_CONNECTOR.match(text) or text[:1].islower()):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _area(b: Block, group: _Group | None, sectioned: bool) -> str | None:
    if sectioned and b.section:
        return readable(b.section[0])
    if group and group.intro:
        return intro_label(group.intro)
    return None


def _units(doc: ParsedDocument, prose: str, classify: bool) -> list[_Unit]:
    body = doc.body
    blocks = document_blocks(doc)
    groups, member = _groups(blocks)
    _judge(blocks, body, groups, member)
    sectioned = any(b.level for b in blocks)
    listed = {b.section for g in groups if g.verdict == "pledge" for b in g.items}
    units: list[_Unit] = []
    for i, b in enumerate(blocks):
        group = groups[member[i]] if i in member else None
        area = _area(b, group, sectioned)
        if group and group.verdict == "pledge":
            parts = [c for c in _clauses(body, b.start, b.end) if commitment_type(body[c[0] : c[1]])]
            units.append(_Unit(b.start, b.end, area, "structure", parts, score_parts=False))
        elif not classify or (group and group.verdict == "reject") or b.kind == "heading":
            continue
        elif group:  # an item of a list without a lead-in: one unit, scored by its sentences
            units.append(_Unit(b.start, b.end, area, "classifier", _clauses(body, b.start, b.end)))
        elif b.kind in ("paragraph", "list_item") and not b.toc:
            if prose == "none" or (prose == "auto" and b.section in listed):
                continue
            start = b.label_end if b.kind == "list_item" else b.start  # a title's prose
            units += [
                _Unit(s, e, area, "classifier", [(s, e)])
                for s, e in _clauses(body, start, b.end)
                if len(body[s:e].split()) >= _MIN_WORDS and not body[s:e].endswith(("?", ":"))
            ]
    return units


# -- assembly ---------------------------------------------------------------------------------


def extract_pledges(
    doc: ParsedDocument,
    scorer: Scorer | None = None,
    *,
    threshold: float | None = None,
    use_classifier: bool = True,
    prose: str = "auto",
) -> list[PledgeCandidate]:
    """Pledge candidates of a program document, ordered by position, parents before children.

    `scorer` maps sentences to pledge probabilities; by default the shipped classifier when
    present. `use_classifier=False` keeps to structure. `prose` is "auto", "all" or "none".
    """
    if prose not in ("auto", "all", "none"):
        raise ValueError(f"prose must be 'auto', 'all' or 'none', not {prose!r}")
    if use_classifier and scorer is None:
        found = default_scorer()
        if found:
            scorer, default_threshold = found
            threshold = default_threshold if threshold is None else threshold
    if not use_classifier:
        scorer = None
    cut = DEFAULT_THRESHOLD if threshold is None else threshold
    body = doc.body
    units = _units(doc, prose, classify=scorer is not None)
    spans = sorted({p for u in units for p in u.parts} | {(u.start, u.end) for u in units})
    scores: dict[tuple[int, int], float] = {}
    if scorer is not None and spans:
        values = list(scorer([body[s:e] for s, e in spans]))
        if len(values) != len(spans):
            raise ValueError(f"the scorer returned {len(values)} scores for {len(spans)} texts")
        scores = dict(zip(spans, (float(v) for v in values)))
    out: list[PledgeCandidate] = []
    for unit in units:
        parts = unit.parts
        if unit.score_parts:
            parts = [p for p in parts if scores.get(p, 0.0) >= cut]
            if not parts:
                continue
        best = max((scores.get(p, 0.0) for p in parts), default=scores.get((unit.start, unit.end)))
        parent = len(out)
        out.append(_candidate(body, unit.start, unit.end, unit, None, best, scorer is not None))
        if len(parts) >= 2:
            out += [
                _candidate(body, s, e, unit, parent, scores.get((s, e)), scorer is not None)
                for s, e in parts
            ]
    return out


def _candidate(
    body: str, start: int, end: int, unit: _Unit, parent: int | None, score: float | None,
    scored: bool,
) -> PledgeCandidate:
    if unit.method == "structure":
        confidence = (STRUCTURE_PRIOR + score) / 2 if scored and score is not None else (
            STRUCTURE_PRIOR
        )
    else:
        confidence = score or 0.0
    quote = body[start:end]
    return PledgeCandidate(
        start=start,
        end=end,
        quote=quote,
        area=unit.area,
        parent=parent,
        attributes=pledge_attributes(quote),
        confidence=round(confidence, 4),
        method=unit.method,
    )
