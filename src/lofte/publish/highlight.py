"""Highlighting as data: text cut into pieces that say which marks they carry.

Templates loop over the pieces and wrap each in `<mark>` as told, letting Jinja escape the text
of every piece. No HTML is ever built from ingested text here, so nothing needs `|safe`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

CONTEXT_CHARS = 280  # characters of context shown on each side of a quote or passage


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def window(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """A window around `start`–`end`, widened by `context` and snapped to word boundaries."""
    a = _clamp(start - context, 0, len(text))
    b = _clamp(end + context, 0, len(text))
    if a > 0:
        space = text.find(" ", a, start)
        a = space + 1 if space != -1 else a
    if b < len(text):
        space = text.rfind(" ", end, b)
        b = space if space != -1 else b
    return a, b


def _term_patterns(terms: Iterable[str]) -> list[re.Pattern[str]]:
    # IGNORECASE on the text itself: casefolding a whole 45 MB body for a snippet cost 0.8 s
    return [
        re.compile(r"(?<!\w)" + re.escape(term) + r"\w*", re.IGNORECASE)
        for term in {t.casefold() for t in terms if t and t.strip()}
    ]


def term_spans(
    text: str, terms: Iterable[str], start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Where the terms occur in text[start:end], case-insensitively, at word starts; merged."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for pattern in _term_patterns(terms):
        spans += [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


SNIPPET_SCAN_CHARS = 1_000_000  # how far into a text a snippet looks for the terms (bounded)


def first_term(text: str, terms: Iterable[str], limit: int = SNIPPET_SCAN_CHARS) -> int | None:
    """Where the first of the terms occurs (as `term_spans` finds them) within text[:limit];
    each term is looked for only before the earliest found so far (QA: a common word's snippet
    of a 45 MB document took 2.8 s, as every occurrence was found in the casefolded text)."""
    first: int | None = None
    for pattern in _term_patterns(terms):
        found = pattern.search(text, 0, min(len(text), limit) if first is None else first)
        if found:
            first = found.start()
    return first


def pieces(
    text: str,
    start: int,
    end: int,
    *,
    mark: tuple[int, int] | None = None,
    terms: Sequence[tuple[int, int]] = (),
) -> list[dict[str, Any]]:
    """text[start:end] cut at the edges of `mark` (a passage) and `terms` (words to emphasise).

    Each piece is {"text", "mark", "term"}; pieces with neither flag are plain context.
    """
    start, end = _clamp(start, 0, len(text)), _clamp(end, 0, len(text))
    cuts = {start, end}
    if mark:
        cuts |= {_clamp(mark[0], start, end), _clamp(mark[1], start, end)}
    for a, b in terms:
        cuts |= {_clamp(a, start, end), _clamp(b, start, end)}
    points = sorted(cuts)
    out: list[dict[str, Any]] = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        in_mark = bool(mark) and mark[0] <= a and b <= mark[1]  # type: ignore[index]
        in_term = any(ta <= a and b <= tb for ta, tb in terms)
        if out and out[-1]["mark"] == in_mark and out[-1]["term"] == in_term:
            out[-1]["text"] += text[a:b]
        else:
            out.append({"text": text[a:b], "mark": in_mark, "term": in_term})
    return out


def in_context(
    text: str, start: int, end: int, *, terms: Iterable[str] = (), context: int = CONTEXT_CHARS
) -> dict[str, Any]:
    """The span `start`–`end` of text marked inside its context, with terms emphasised."""
    start, end = _clamp(start, 0, len(text)), _clamp(end, 0, len(text))
    a, b = window(text, start, end, context)
    return {
        "pieces": pieces(text, a, b, mark=(start, end), terms=term_spans(text, terms, a, b)),
        "cut_before": a > 0,
        "cut_after": b < len(text),
    }


def evidence_context(
    body: str, title: str, start: int, end: int, *, terms: Iterable[str] = ()
) -> dict[str, Any]:
    """`in_context` of an evidence passage; for a document that is only a title (a press
    page with no text) its title, which is what the linker read (QA: an empty quote)."""
    if body.strip():
        return in_context(body, start, end, terms=terms)
    return in_context(title, 0, len(title), terms=terms)


def snippet(text: str, terms: Sequence[str], length: int = 240) -> dict[str, Any]:
    """A short excerpt around the first occurrence of any term, with the terms emphasised; the
    text's start when none is in its first `SNIPPET_SCAN_CHARS`."""
    first = first_term(text, terms)
    if first is not None:
        a, b = window(text, first, first, length // 2)
    else:
        a, b = 0, min(len(text), length)
        if b < len(text):
            space = text.rfind(" ", 0, b)
            b = space if space > 0 else b
    shown = [s for s in term_spans(text, terms, a, b) if s[0] >= a and s[1] <= b]
    return {
        "pieces": pieces(text, a, b, terms=shown),
        "cut_before": a > 0,
        "cut_after": b < len(text),
    }


def layered(text: str, spans: Sequence[tuple[int, int, Any]]) -> list[dict[str, Any]]:
    """All of `text` cut at the edges of labelled spans (they may overlap or nest).

    Each piece is {"text", "labels", "anchors"}: the labels of the spans covering it, and the
    labels of the spans starting there (for an `id` the page can link to).
    """
    clean = [(_clamp(a, 0, len(text)), _clamp(b, 0, len(text)), label) for a, b, label in spans]
    clean = [s for s in clean if s[0] < s[1]]
    # one sweep over the edges, keeping the spans open there: linear in the spans, where asking
    # every span about every piece was quadratic (QA: 22 s for 15,557 pledges in one program)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, (a, b, _) in enumerate(clean):
        starts.setdefault(a, []).append(i)
        ends.setdefault(b, []).append(i)
    points = sorted({0, len(text)} | starts.keys() | ends.keys())
    open_spans: set[int] = set()
    out: list[dict[str, Any]] = []
    for a, b in zip(points, points[1:], strict=False):
        open_spans.difference_update(ends.get(a, ()))
        open_spans.update(starts.get(a, ()))
        out.append(
            {
                "text": text[a:b],
                "labels": [clean[i][2] for i in sorted(open_spans)],
                "anchors": [clean[i][2] for i in starts.get(a, ())],
            }
        )
    return out
