"""Evidence suggestions: which later documents report on which pledges, and why.

`PledgeIndex` holds a tracker's pledges; `link` scores documents against all of them:

1. **Constraints** (`constraints.py`): a document dated before the program or outside the term
   is never scored; one naming only another jurisdiction weighs less.
2. **Passages**: windows of `PASSAGE_SENTENCES` consecutive sentences of the body (the title
   frames each one when it is not just the body's first words). A pledge's value for the
   document is its best passage's.
3. **Lexical score** (`link_index.py`): BM25 over stems and compound parts fused with
   character 4-grams, 0-1.
4. **Calibration**: a logistic curve through `MIDPOINT` (see `docs/linking.md` for how the
   constants were set and on which data), times the place weight. `SUGGEST_THRESHOLD` is the
   score from which a pair is a suggestion.
5. **Explanation and hint**: terms matched in the best passage and the pledge's best-matching
   sentence as written in each, the passage span, the checks, and a stance/status hint from
   the passage's wording (`status.py`).

Pure: records in, records out; the store keeps what it needs of a `Suggestion` through
`Suggestion.features()`.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..language.analyze import Analyzer, get_analyzer
from ..language.segment import split_sentences
from ..model import DateValue, Stance, VerdictStatus
from .constraints import Checks, LinkContext, check_document
from .link_index import LexicalIndex
from .status import status_hint

LINKER = "link"
LINKER_VERSION = "1"

PASSAGE_SENTENCES = 2  # a report and its consequence usually sit in adjacent sentences
TOP_K = 5  # suggestions kept per document
# Calibration: score = 1 / (1 + exp(-SLOPE * (lexical - MIDPOINT))) x place weight.
MIDPOINT = 0.30
SLOPE = 12.0
SUGGEST_THRESHOLD = 0.5  # = a lexical value of MIDPOINT for a document of the own place
MAX_MATCHED = 12  # matched terms kept in an explanation
FORM_CACHE = 20_000  # texts whose word forms are kept (pledge units and recent passages)
MAX_PASSAGES = 2048  # passages scored together: bounds the dense (passages x pledges) arrays

_WORD = re.compile(r"[^\W_]+")

__all__ = [
    "LINKER",
    "LINKER_VERSION",
    "SUGGEST_THRESHOLD",
    "Checks",
    "DocumentText",
    "LinkContext",
    "MatchedTerm",
    "PledgeIndex",
    "PledgeText",
    "Suggestion",
    "by_pledge",
    "calibrate",
    "passages",
]


@dataclass(frozen=True)
class PledgeText:
    id: Hashable
    text: str
    area: str | None = None  # carried into explanations; scoring reads the text only


@dataclass(frozen=True)
class DocumentText:
    id: Hashable
    title: str
    body: str
    date: DateValue | None = None


@dataclass(frozen=True)
class MatchedTerm:
    term: str  # the analyzed term (a stem or a compound part's stem)
    document: tuple[str, ...]  # words carrying it in the passage (or title), as written
    pledge: tuple[str, ...]  # words carrying it in the pledge sentence, as written
    weight: float  # its share of the BM25 evidence, 0-1


@dataclass(frozen=True)
class Suggestion:
    document_id: Hashable
    pledge_id: Hashable
    score: float  # calibrated 0-1, place weight included
    span: tuple[int, int]  # best passage, offsets into the document body
    pledge_span: tuple[int, int]  # the pledge sentence it matched best, offsets into its text
    matched: tuple[MatchedTerm, ...]
    checks: Checks
    stance: Stance
    status_hint: VerdictStatus | None
    stance_confidence: float
    cues: tuple[str, ...]  # the wording the hint rests on
    lexical: float  # fused lexical value before calibration
    bm25: float
    ngram: float

    def features(self) -> dict[str, Any]:
        """JSON-ready explanation for `Evidence.features`."""
        return {
            "linker": LINKER,
            "linker_version": LINKER_VERSION,
            "lexical": round(self.lexical, 4),
            "bm25": round(self.bm25, 4),
            "ngram": round(self.ngram, 4),
            "pledge_span": list(self.pledge_span),
            "matched": [
                {
                    "term": m.term,
                    "document": list(m.document),
                    "pledge": list(m.pledge),
                    "weight": round(m.weight, 3),
                }
                for m in self.matched
            ],
            "checks": self.checks.as_dict(),
            "status_hint": self.status_hint.value if self.status_hint else None,
            "stance_confidence": self.stance_confidence,
            "cues": list(self.cues),
        }


def calibrate(lexical: Any) -> Any:
    """The lexical value (float or array) mapped to 0-1; MIDPOINT maps to 0.5."""
    return 1.0 / (1.0 + np.exp(-SLOPE * (np.asarray(lexical, dtype=float) - MIDPOINT)))


def passages(body: str) -> list[tuple[int, int]]:
    """Windows of PASSAGE_SENTENCES consecutive sentences (the whole body if shorter)."""
    spans = split_sentences(body)
    if len(spans) <= PASSAGE_SENTENCES:
        return [(spans[0][0], spans[-1][1])] if spans else []
    return [
        (spans[i][0], spans[i + PASSAGE_SENTENCES - 1][1])
        for i in range(len(spans) - PASSAGE_SENTENCES + 1)
    ]


@dataclass
class _Group:
    docs: list[DocumentText] = field(default_factory=list)
    checks: list[Checks] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # passage texts (title-framed)
    owners: list[int] = field(default_factory=list)  # passage -> position in docs
    spans: list[tuple[int, int]] = field(default_factory=list)


def _frame(doc: DocumentText) -> str:
    """The title when it adds to the body (not merely its first words, as in excerpts)."""
    title = doc.title.strip().rstrip("….").strip()
    return "" if not title or doc.body.lstrip().startswith(title) else title


class PledgeIndex:
    """A tracker's pledges, ready to score documents. Build once per batch.

    `background`: texts of the tracker's other documents (or a sample). Their document
    frequencies keep words that every news item uses from looking rare; scores then depend on
    them slightly, so pass the same background when comparing runs.
    """

    def __init__(
        self,
        pledges: Sequence[PledgeText],
        *,
        background: Sequence[str] = (),
        analyzer: Analyzer | None = None,
    ) -> None:
        self.pledges = tuple(pledges)
        self.analyzer = analyzer or get_analyzer()
        self._position = {p.id: i for i, p in enumerate(self.pledges)}
        self.lexical = LexicalIndex([p.text for p in self.pledges], self.analyzer, background)
        self._form_cache: dict[str, dict[str, list[str]]] = {}

    def score_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated scores (texts x pledges) of bare texts: no dates, no place, no passages."""
        scores: np.ndarray = calibrate(self.lexical.score(texts).fused)
        return scores

    def link(
        self,
        documents: Iterable[DocumentText],
        context: LinkContext,
        *,
        top_k: int | None = TOP_K,
        min_score: float = SUGGEST_THRESHOLD,
        pledge_ids: Collection[Hashable] | None = None,
    ) -> list[Suggestion]:
        """Suggestions for each document, best first per document.

        `top_k=None, min_score=0` gives every allowed pair (for ranking from the pledge side);
        `pledge_ids` restricts the output to some pledges (new or edited ones).
        """
        if not self.pledges:
            return []
        columns = (
            np.arange(len(self.pledges))
            if pledge_ids is None
            else np.array(
                sorted(self._position[i] for i in pledge_ids if i in self._position), dtype=np.int64
            )
        )
        out: list[Suggestion] = []
        for group in self._groups(documents, context):
            out += self._link_group(group, columns, top_k, min_score)
        return out

    def _groups(self, documents: Iterable[DocumentText], context: LinkContext) -> Iterator[_Group]:
        """Allowed documents with their passages, in groups of at most MAX_PASSAGES."""
        group = _Group()
        for doc in documents:
            check = check_document(f"{doc.title}\n{doc.body}", doc.date, context)
            if not check.allowed:
                continue  # before the program or outside the term: never evidence
            frame = _frame(doc)
            if group.texts and len(group.texts) >= MAX_PASSAGES:
                yield group
                group = _Group()
            for start, end in passages(doc.body) or [(0, 0)]:
                text = doc.body[start:end]
                group.texts.append(f"{frame}\n{text}" if frame else text)
                group.owners.append(len(group.docs))
                group.spans.append((start, end))
            group.docs.append(doc)
            group.checks.append(check)
        if group.texts:
            yield group

    def _link_group(
        self, group: _Group, columns: np.ndarray, top_k: int | None, min_score: float
    ) -> list[Suggestion]:
        scores = self.lexical.score(group.texts)
        owners = np.array(group.owners)
        bounds = np.flatnonzero(np.r_[True, np.diff(owners) != 0, True])
        out: list[Suggestion] = []
        for d, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            block = scores.fused[lo:hi][:, columns]
            best_row = block.argmax(axis=0)
            values = calibrate(block[best_row, np.arange(len(columns))]) * group.checks[d].weight
            order = np.argsort(-values, kind="stable")
            if top_k is not None:
                order = order[:top_k]
            for k in order:
                if values[k] < min_score:
                    break
                row, col = int(lo) + int(best_row[k]), int(columns[k])
                out.append(
                    self._suggestion(
                        group.docs[d],
                        group.checks[d],
                        group.spans[row],
                        group.texts[row],
                        col,
                        float(values[k]),
                        scores,
                        row,
                    )
                )
        return out

    def score_matrix(
        self, documents: Iterable[DocumentText], context: LinkContext
    ) -> tuple[list[Hashable], np.ndarray]:
        """Every allowed document's score for every pledge, as `link` ranks them but without
        explanations: (document ids, array documents x pledges). For evaluation at corpus
        scale, where building an explanation per pair would cost more than the scoring."""
        ids: list[Hashable] = []
        rows: list[np.ndarray] = []
        for group in self._groups(documents, context):
            fused = self.lexical.score(group.texts).fused
            owners = np.array(group.owners)
            bounds = np.flatnonzero(np.r_[True, np.diff(owners) != 0, True])
            for d, (lo, hi) in enumerate(itertools.pairwise(bounds)):
                best = fused[lo:hi].max(axis=0)
                rows.append(calibrate(best) * group.checks[d].weight)
                ids.append(group.docs[d].id)
        matrix = np.vstack(rows) if rows else np.zeros((0, len(self.pledges)))
        return ids, matrix

    def search(
        self,
        pledge_id: Hashable,
        documents: Iterable[DocumentText],
        context: LinkContext,
        *,
        top_k: int = 10,
        min_score: float = 0.0,
    ) -> list[Suggestion]:
        """From a pledge to documents: its best-scoring documents, best first."""
        found = self.link(
            documents, context, top_k=None, min_score=min_score, pledge_ids=[pledge_id]
        )
        return sorted(found, key=lambda s: -s.score)[:top_k]

    # -- explanation ------------------------------------------------------------------------

    def _suggestion(
        self,
        doc: DocumentText,
        check: Checks,
        span: tuple[int, int],
        query: str,
        col: int,
        score: float,
        scores: Any,
        row: int,
    ) -> Suggestion:
        pledge = self.pledges[col]
        unit = self.lexical.units[int(scores.unit[row, col])]
        hint = status_hint(doc.body[span[0] : span[1]], pledge.text)
        return Suggestion(
            document_id=doc.id,
            pledge_id=pledge.id,
            score=round(score, 4),
            span=span,
            pledge_span=(unit.start, unit.end),
            matched=self.matched_terms(query, pledge.text[unit.start : unit.end]),
            checks=check,
            stance=hint.stance,
            status_hint=hint.status,
            stance_confidence=hint.confidence,
            cues=hint.cues,
            lexical=float(scores.fused[row, col]),
            bm25=float(scores.bm25[row, col]),
            ngram=float(scores.ngram[row, col]),
        )

    def matched_terms(self, document_text: str, pledge_text: str) -> tuple[MatchedTerm, ...]:
        """Terms both texts carry, with the words carrying them in each, by weight."""
        doc_forms, pledge_forms = self._forms(document_text), self._forms(pledge_text)
        return self._matched(doc_forms, pledge_forms)

    def _matched(
        self, doc_forms: dict[str, list[str]], pledge_forms: dict[str, list[str]]
    ) -> tuple[MatchedTerm, ...]:
        shared = [t for t in doc_forms if t in pledge_forms and t in self.lexical.terms]
        weight = {t: float(self.lexical.idf[self.lexical.terms[t]]) for t in shared}
        total = sum(weight.values()) or 1.0
        ranked = sorted(shared, key=lambda t: -weight[t])[:MAX_MATCHED]
        return tuple(
            MatchedTerm(t, tuple(doc_forms[t]), tuple(pledge_forms[t]), round(weight[t] / total, 3))
            for t in ranked
        )

    def _forms(self, text: str) -> dict[str, list[str]]:
        """Term -> the words of `text` carrying it, as written (cached for pledge units and
        for the passage being explained: one passage explains up to TOP_K pledges)."""
        hit = self._form_cache.get(text)
        if hit is not None:
            return hit
        forms: dict[str, list[str]] = {}
        for m in _WORD.finditer(text):
            word = m.group()
            stem, parts, stop = self.analyzer.word(word)
            if stop:
                continue
            for term in (stem, *parts):
                found = forms.setdefault(term, [])
                if word not in found:
                    found.append(word)
        if len(self._form_cache) > FORM_CACHE:
            self._form_cache.clear()
        self._form_cache[text] = forms
        return forms


def by_pledge(suggestions: Iterable[Suggestion]) -> dict[Hashable, list[Suggestion]]:
    """Suggestions grouped by pledge, best first: the pledge side of the same scores."""
    grouped: dict[Hashable, list[Suggestion]] = defaultdict(list)
    for s in suggestions:
        grouped[s.pledge_id].append(s)
    return {k: sorted(v, key=lambda s: (-s.score, str(s.document_id))) for k, v in grouped.items()}
