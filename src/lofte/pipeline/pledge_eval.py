"""Pledge extraction measured on hand-labelled manifesto pages (the dev set, docs/pledge-devset.md).

A PDF program's body records which page each block of text came from (`block_pages`: start,
end, first page, last page). The *page text* of page p is every block that has a line on p, in
body order; a paragraph running over a page break belongs to both pages.

Labels never copy the text: each names its page, the first and the last words of a pledge
sentence (enough to be unique on the page), and its precision (`strict` or `vague`, the
Comparative Party Pledges Project's narrow and broad pledge). `locate` finds the sentence in the
body again.

Figures (`page_figures`): an atomic candidate (one with no children) is *on* a page when it
starts in the page text. A candidate and a gold sentence *meet* when they share at least half of
the longer of the two spans (mostly the same text: a candidate spanning a whole paragraph meets
none of its sentences). Recall counts gold sentences met by an atomic candidate; precision
counts atomic candidates on the labelled pages that meet a gold sentence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..language.segment import document_blocks
from ..model import ParsedDocument
from .extract import PledgeCandidate

SEED = 2022
PAGES_PER_MANIFESTO = 6
_MIN_CONTENT_WORDS = 120  # fewer words of prose and lists: a cover, divider or picture page
_BLOCK_KINDS_OF_CONTENT = ("paragraph", "list_item")


@dataclass(frozen=True)
class Label:
    page: int  # 1-based, as printed by a PDF viewer's page counter
    first: str
    last: str
    precision: str  # "strict" | "vague"


@dataclass(frozen=True)
class Figures:
    gold: int
    gold_strict: int
    found: int
    found_strict: int
    extracted: int  # atomic candidates on the labelled pages
    correct: int  # of those, the ones that meet a gold sentence

    @property
    def recall_lenient(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def recall_strict(self) -> float:
        return self.found_strict / self.gold_strict if self.gold_strict else 1.0

    @property
    def precision_lenient(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.gold,
            self.gold_strict,
            self.found,
            self.found_strict,
            self.extracted,
            self.correct,
        )


def block_pages(doc: ParsedDocument) -> list[tuple[int, int, int, int]]:
    """(start, end, first page, last page) of the body's blocks, pages 1-based. The reader
    records a block over a page break as one run per page (a pledge's pages are its own
    words'); the labels are of whole blocks, so the runs of one block, a space or nothing
    apart (blocks are a line break apart), are one block here again."""
    blocks: list[tuple[int, int, int, int]] = []
    for s, e, a, b in doc.extra.get("block_pages", ()):
        run = (int(s), int(e), int(a) + 1, int(b) + 1)
        if blocks and _same_block(doc.body, blocks[-1][1], run[0]):
            last = blocks[-1]
            run = (last[0], run[1], min(last[2], run[2]), max(last[3], run[3]))
            blocks[-1] = run
        else:
            blocks.append(run)
    return blocks


def _same_block(body: str, end: int, start: int) -> bool:
    return 0 <= start - end <= 1 and "\n" not in body[end:start]


def page_spans(doc: ParsedDocument, page: int) -> list[tuple[int, int]]:
    """Body spans of the blocks with a line on `page` (1-based), in body order."""
    return [(s, e) for s, e, a, b in block_pages(doc) if a <= page <= b]


def page_text(doc: ParsedDocument, page: int) -> str:
    """The page text as the labeller reads it: its blocks, one blank line apart."""
    return "\n\n".join(doc.body[s:e] for s, e in page_spans(doc, page))


def content_pages(doc: ParsedDocument) -> list[int]:
    """Pages with enough prose and list text to hold pledges, cover and contents excluded."""
    words: dict[int, int] = {}
    kinds = {b.end: b for b in document_blocks(doc)}  # a list item's block starts after its marker
    for s, e, a, b in block_pages(doc):
        block = kinds.get(e)
        if block is None or block.kind not in _BLOCK_KINDS_OF_CONTENT or block.toc:
            continue
        for page in range(a, b + 1):
            words[page] = words.get(page, 0) + len(doc.body[s:e].split()) // (b - a + 1)
    return sorted(p for p, n in words.items() if n >= _MIN_CONTENT_WORDS and p > 1)


def draw_pages(doc: ParsedDocument, k: int = PAGES_PER_MANIFESTO, seed: int = SEED) -> list[int]:
    """`k` content pages drawn with a fixed seed, in page order."""
    pages = content_pages(doc)
    return sorted(random.Random(seed).sample(pages, min(k, len(pages))))


def _words_pattern(words: str) -> re.Pattern[str]:
    # literal words with any whitespace between: linear, nothing to backtrack over
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def locate(doc: ParsedDocument, label: Label) -> tuple[int, int]:
    """The body span of a labelled sentence; ValueError when its words are not on its page."""
    for s, e in page_spans(doc, label.page):
        first = _words_pattern(label.first).search(doc.body, s, e)
        if not first:
            continue
        # the last words may be in a later block of the page only when the sentence runs on
        last = _words_pattern(label.last).search(doc.body, first.start(), e)
        if last:
            return first.start(), last.end()
    raise ValueError(f"page {label.page}: no sentence from {label.first!r} to {label.last!r}")


def meets(a: tuple[int, int], b: tuple[int, int]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    # mostly the same span: a whole paragraph does not "find" each of its sentences
    return overlap > 0 and overlap * 2 >= max(a[1] - a[0], b[1] - b[0])


def atomic_spans(candidates: Sequence[PledgeCandidate]) -> list[tuple[int, int]]:
    """Spans of the candidates that have no children (what an editor reviews one by one)."""
    parents = {c.parent for c in candidates}
    return [(c.start, c.end) for i, c in enumerate(candidates) if i not in parents]


def _atoms_on(
    doc: ParsedDocument, candidates: Sequence[PledgeCandidate], pages: Iterable[int]
) -> list[tuple[int, int]]:
    """Spans of the atomic candidates that start in the text of `pages`."""
    on_pages = [span for p in pages for span in page_spans(doc, p)]
    return [a for a in atomic_spans(candidates) if any(s <= a[0] < e for s, e in on_pages)]


def misses(
    doc: ParsedDocument,
    candidates: Sequence[PledgeCandidate],
    labels: Iterable[Label],
    pages: Iterable[int],
) -> tuple[list[Label], list[tuple[int, int]]]:
    """Gold sentences no atomic candidate meets, and atomic candidates that meet no gold."""
    labels = list(labels)
    gold = [locate(doc, label) for label in labels]
    atoms = _atoms_on(doc, candidates, pages)
    missed = [
        lab
        for lab, span in zip(labels, gold, strict=True)
        if not any(meets(span, a) for a in atoms)
    ]
    extra = [a for a in atoms if not any(meets(a, span) for span in gold)]
    return missed, extra


def page_figures(
    doc: ParsedDocument,
    candidates: Sequence[PledgeCandidate],
    labels: Iterable[Label],
    pages: Iterable[int],
) -> Figures:
    """Recall and precision of `candidates` on the labelled `pages` of `doc`."""
    labels, pages = list(labels), list(pages)
    missed, extra = misses(doc, candidates, labels, pages)
    strict = sum(label.precision == "strict" for label in labels)
    extracted = len(_atoms_on(doc, candidates, pages))
    return Figures(
        gold=len(labels),
        gold_strict=strict,
        found=len(labels) - len(missed),
        found_strict=strict - sum(label.precision == "strict" for label in missed),
        extracted=extracted,
        correct=extracted - len(extra),
    )
