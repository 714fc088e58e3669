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

import contextlib
import copy
import gc
import itertools
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..language.analyze import Analyzer, get_analyzer
from ..language.segment import split_sentences
from ..model import DateValue, Stance, VerdictStatus
from . import dense as dense_stage
from . import link_kernel
from .constraints import Checks, LinkContext, check_document
from .link_index import BATCH, WORD_CACHE, BackgroundStats, LexicalIndex, Scores
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
MAX_PASSAGES = BATCH  # passages scored together (one batch of the lexical index, its workspace):
# bounds the dense (passages x pledges) arrays
PASSAGE_FORMS = MAX_PASSAGES  # passages whose word forms are kept: a group's, emptied after it


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


class MatchedTerm(NamedTuple):
    """One term both texts carry (a named tuple: a linked batch makes hundreds of thousands)."""

    term: str  # the analyzed term (a stem or a compound part's stem)
    document: tuple[str, ...]  # words carrying it in the passage (or title), as written
    pledge: tuple[str, ...]  # words carrying it in the pledge sentence, as written
    weight: float  # its share of the BM25 evidence, 0-1 (rounded where it is stored: a
    # `round` per term, on hundreds of thousands of terms, was a tenth of explaining a run)


@dataclass(frozen=True)
class DensePlace:
    """Why a pledge stands where it does among a document's pledges when both signals rank."""

    cosine: float  # best e5 cosine of the document's encoded passages and title
    lexical_rank: int  # 1 = the document's best pledge by the lexical value
    dense_rank: int  # 1 = the document's best pledge by the cosine
    fused_rank: int  # the place RRF gave it (and so its share of the document's scores)

    @property
    def placed_by(self) -> str:
        """`both`, `lexical` or `dense`: which signal put the pledge where it is."""
        if self.lexical_rank <= self.fused_rank and self.dense_rank <= self.fused_rank:
            return "both"
        return "lexical" if self.lexical_rank < self.dense_rank else "dense"

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": dense_stage.MODEL,
            "cosine": round(self.cosine, 4),
            "lexical_rank": self.lexical_rank,
            "dense_rank": self.dense_rank,
            "fused_rank": self.fused_rank,
            "placed_by": self.placed_by,
        }


# slots: no __dict__ per suggestion, one object less for the cyclic collector to walk, of the
# tens of thousands a batch keeps. Not frozen: a frozen dataclass sets each of its 15 fields
# through object.__setattr__, which made building them a twentieth of a link run; nothing
# hashes or mutates a suggestion.
@dataclass(slots=True)
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
    dense: DensePlace | None = None  # where each signal put the pledge, when the dense stage ran

    def features(self) -> dict[str, Any]:
        """JSON-ready explanation for `Evidence.features`."""
        out = {
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
        if self.dense is not None:
            out["dense"] = self.dense.as_dict()
        return out


def calibrate(lexical: Any) -> Any:
    """The lexical value (float or array) mapped to 0-1; MIDPOINT maps to 0.5."""
    if np.ndim(lexical) == 0:
        return 1.0 / (1.0 + np.exp(-SLOPE * (float(lexical) - MIDPOINT)))
    # in one new array, the same operations in the same order: five temporaries of a
    # group's size, each paid for in page faults, took 13 ms for 512 x 1,000 (now 5 ms)
    out = np.subtract(lexical, MIDPOINT, dtype=float)
    out *= -SLOPE
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


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

    def keep(self, passages: list[int]) -> None:
        """Only these passages (positions, ascending): those a long document's scoring kept."""
        self.texts = [self.texts[i] for i in passages]
        self.owners = [self.owners[i] for i in passages]
        self.spans = [self.spans[i] for i in passages]


@dataclass(frozen=True)
class Signals:
    """Documents x pledges arrays for evaluation: the scores `link` ranks by, the calibrated
    lexical scores before fusion and the dense cosines (None without the dense stage)."""

    scores: np.ndarray
    lexical: np.ndarray
    dense: np.ndarray | None

    @staticmethod
    def stack(parts: Sequence[Signals], width: int) -> Signals:
        if not parts:
            return Signals(np.zeros((0, width)), np.zeros((0, width)), None)
        dense = [p.dense for p in parts if p.dense is not None]
        return Signals(
            np.vstack([p.scores for p in parts]),
            np.vstack([p.lexical for p in parts]),
            np.vstack(dense) if len(dense) == len(parts) else None,
        )


@dataclass
class _Scored:
    """A group's scores: `values` and `rows` are documents x pledges."""

    lexical: Scores  # of the group's passages
    values: np.ndarray  # the score of each pair (fused when the dense stage ran)
    rows: np.ndarray  # the passage row that explains each pair
    dense: np.ndarray | None = None  # best cosine per pair
    before: np.ndarray | None = None  # `values` before the dense stage re-ordered them
    lexical_ranks: np.ndarray | None = None
    dense_ranks: np.ndarray | None = None
    fused_ranks: np.ndarray | None = None

    def place(self, d: int, col: int) -> DensePlace | None:
        if self.dense is None or self.lexical_ranks is None or self.dense_ranks is None:
            return None
        if np.isnan(self.dense[d, col]):
            return None  # this document has no vector (a look-up-only encoder)
        assert self.fused_ranks is not None
        return DensePlace(
            cosine=float(self.dense[d, col]),
            lexical_rank=int(self.lexical_ranks[d, col]),
            dense_rank=int(self.dense_ranks[d, col]),
            fused_rank=int(self.fused_ranks[d, col]),
        )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one group is scored and explained. A group
    makes hundreds of thousands of small objects (matched terms, suggestions) that live until
    it is done and form no cycles; each collection they trigger walked them and every cache
    of the index again (about a fifth of a link run). Reference counting still frees them.
    The switch is process-wide: a collector another thread turned off meanwhile is on again
    when the group is done."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _bounds(owners: list[int]) -> np.ndarray:
    """Start of each document's run of passages, and the end: for itertools.pairwise."""
    return np.flatnonzero(np.r_[True, np.diff(np.array(owners)) != 0, True])


def _best_rows(fused: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per document (runs of rows between `bounds`) and pledge: the best passage value and the
    first row that has it. Most documents have one passage: their first row is the answer, and
    only the others are compared, one further passage at a time (reducing all rows with
    `reduceat` and finding the row again took twice as long on news)."""
    starts = bounds[:-1]
    if len(starts) == len(fused):  # one passage per document (short news items): nothing to pick
        # a read-only view, not a (documents x pledges) array of the same row numbers
        return fused, np.broadcast_to(starts[:, None], fused.shape)
    rows = np.repeat(starts[:, None], fused.shape[1], axis=1)
    best = fused[starts]
    counts = np.diff(bounds)
    several = np.flatnonzero(counts > 1)
    for extra in range(1, int(counts.max())):
        docs = several[counts[several] > extra]
        row = starts[docs] + extra
        candidate, current = fused[row], best[docs]
        better = candidate > current  # on a tie the first row stays
        best[docs] = np.where(better, candidate, current)
        rows[docs] = np.where(better, row[:, None], rows[docs])
    return best, rows


def _top_pairs(values: np.ndarray, top_k: int | None, min_score: float) -> list[tuple[int, int]]:
    """(row, column) of each row's best values >= min_score, best first within a row (ties
    by column), at most top_k per row; rows in order."""
    rows, cols = _top_arrays(values, top_k, min_score)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _top_arrays(
    values: np.ndarray, top_k: int | None, min_score: float
) -> tuple[np.ndarray, np.ndarray]:
    """`_top_pairs` as two arrays, rows and columns."""
    rows, cols = np.nonzero(values >= min_score)
    if not len(rows):
        return rows, cols
    order = np.lexsort((cols, -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    if top_k is not None:
        first = np.searchsorted(rows, rows, side="left")  # where each row's run starts
        keep = np.arange(len(rows)) - first < top_k
        rows, cols = rows[keep], cols[keep]
    return rows, cols


class _TermForms(NamedTuple):
    """A text's terms that some pledge has, with the words carrying them as written."""

    forms: dict[str, tuple[str, ...]]  # term -> its words
    heaviest: list[tuple[str, float, tuple[str, ...]]]  # (term, IDF, words), heaviest first


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
        background: Sequence[str] | BackgroundStats = (),
        analyzer: Analyzer | None = None,
        encoder: dense_stage.Encoder | None = None,
    ) -> None:
        self.pledges = tuple(pledges)
        self.analyzer = analyzer or get_analyzer()
        self.encoder = encoder  # None: lexical only; else the dense stage fuses (dense.py)
        self._position = {p.id: i for i, p in enumerate(self.pledges)}
        self.lexical = LexicalIndex([p.text for p in self.pledges], self.analyzer, background)
        # one string per unit, so that the caches keyed by it hash it once; one span tuple
        # per unit, not one per suggestion
        self._unit_texts = [
            self.pledges[u.pledge].text[u.start : u.end] for u in self.lexical.units
        ]
        self._unit_spans = [(u.start, u.end) for u in self.lexical.units]
        self._form_cache: dict[str, _TermForms] = {}  # pledge units: all kept
        self._passage_forms: dict[str, _TermForms] = {}  # passages asked by `matched_terms`
        self._surface_terms: dict[str, tuple[str, ...]] = {}  # word form -> its known terms
        idf = self.lexical.idf.tolist()
        self._term_idf = {t: float(idf[i]) for t, i in self.lexical.terms.items()}
        self._pledge_vectors: np.ndarray | None = None

    def pledge_vectors(self) -> np.ndarray:
        """The pledges' e5 vectors (`passage:` side), encoded on first use."""
        assert self.encoder is not None
        if self._pledge_vectors is None:
            self._pledge_vectors = self.encoder.passages([p.text for p in self.pledges])
        return self._pledge_vectors

    def link(
        self,
        documents: Iterable[DocumentText],
        context: LinkContext,
        *,
        top_k: int | None = TOP_K,
        min_score: float = SUGGEST_THRESHOLD,
        pledge_ids: Collection[Hashable] | None = None,
        fuse: bool = True,
    ) -> list[Suggestion]:
        """Suggestions for each document, best first per document.

        `top_k=None, min_score=0` gives every allowed pair (for ranking from the pledge side);
        `pledge_ids` restricts the output to some pledges (new or edited ones); `fuse=False`
        leaves out the dense stage (the pledge side's order, see `search`).
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
            with collector_paused():
                out += self._link_group(group, columns, top_k, min_score, fuse)
        return out

    def rank(
        self,
        documents: Iterable[DocumentText],
        context: LinkContext,
        *,
        top_k: int | None = TOP_K,
        min_score: float = SUGGEST_THRESHOLD,
    ) -> list[tuple[Hashable, Hashable, float]]:
        """(document id, pledge id, score) of the pairs `link` would suggest, in its order,
        without their explanations: retrieval alone, for evaluation and benchmarks."""
        out: list[tuple[Hashable, Hashable, float]] = []
        for group in self._groups(documents, context):
            with collector_paused():
                values = self._score(group).values
            out += [
                (group.docs[d].id, self.pledges[k].id, float(values[d, k]))
                for d, k in _top_pairs(values, top_k, min_score)
            ]
        return out

    def _groups(self, documents: Iterable[DocumentText], context: LinkContext) -> Iterator[_Group]:
        """Allowed documents with their passages, in groups of at most MAX_PASSAGES passages
        (or one document that has more)."""
        group = _Group()
        for doc in documents:
            check = check_document(f"{doc.title}\n{doc.body}", doc.date, context)
            if not check.allowed:
                continue  # before the program or outside the term: never evidence
            frame = _frame(doc)
            spans = passages(doc.body) or [(0, 0)]
            # the group is full before this document's passages would take it past the bound:
            # one batch of the lexical index, scored into its workspace (only a document
            # longer than the bound makes a group of its own that is longer)
            if group.texts and len(group.texts) + len(spans) > MAX_PASSAGES:
                yield group
                group = _Group()
            for start, end in spans:
                text = doc.body[start:end]
                group.texts.append(f"{frame}\n{text}" if frame else text)
                group.owners.append(len(group.docs))
                group.spans.append((start, end))
            group.docs.append(doc)
            group.checks.append(check)
        if group.texts:
            yield group

    def _score(self, group: _Group, fuse: bool = True) -> _Scored:
        """Each document's value for every pledge (its best passage's, calibrated, times the
        place weight; re-ordered by the dense stage when there is an encoder and `fuse`) and
        the passage behind it."""
        if len(group.texts) > MAX_PASSAGES:  # one long document (`_groups`)
            lexical, kept = self.lexical.score_kept(group.texts, dense_stage.QUERY_PASSAGES)
            group.keep(kept.tolist())
        else:
            lexical = self.lexical.score(group.texts)
        bounds = _bounds(group.owners)
        best, rows = _best_rows(lexical.fused, bounds)
        weights = np.array([c.weight for c in group.checks])
        values = calibrate(best)
        values *= weights[:, None]
        scored = _Scored(lexical, values, rows)
        if fuse and self.encoder is not None and values.size:
            self._fuse(group, bounds, scored)
        return scored

    def _fuse(self, group: _Group, bounds: np.ndarray, scored: _Scored) -> None:
        """The dense stage: encode each document's best passages, rank both ways, re-order by
        RRF. Pairs the lexical stage found nothing for show the best dense passage."""
        assert self.encoder is not None
        texts: list[str] = []
        owners: list[int] = []
        sources: list[int] = []  # passage row of each encoded text
        for d, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            for i in dense_stage.chosen_passages(scored.lexical.fused[lo:hi]):
                texts.append(group.texts[lo + i])  # title-framed, as the lexical stage scores it
                owners.append(d)
                sources.append(int(lo) + i)
        if not texts:
            return
        vectors = self.encoder.queries(texts)
        known = ~np.isnan(vectors).any(axis=1)  # an encoder that only looks up may lack some
        if not known.any():
            return  # no vector at all: the lexical order stands (and no model is loaded)
        pledges = self.pledge_vectors()
        own = np.array(owners, dtype=np.int64)[known]
        src = np.array(sources, dtype=np.int64)[known]
        vectors = vectors[known]
        cosine = dense_stage.cosine_best(vectors, own, pledges, len(group.docs))
        encoded = np.zeros(len(group.docs), dtype=bool)
        encoded[own] = True
        if len(vectors):
            sims = vectors @ pledges.T
            scored.rows = np.array(scored.rows)  # writable (`_best_rows` may give a view)
            for d in (int(i) for i in np.flatnonzero(encoded)):
                mine = np.flatnonzero(own == d)
                best = src[mine[sims[mine].argmax(axis=0)]]
                unmatched = scored.lexical.fused[scored.rows[d], np.arange(len(pledges))] <= 0
                scored.rows[d, unmatched] = best[unmatched]
        # Documents with no vector keep the lexical order (rrf of a rank with itself).
        cosine[~encoded] = scored.values[~encoded]
        scored.dense = np.where(encoded[:, None], cosine, np.nan)
        scored.lexical_ranks = dense_stage.ranks(scored.values)
        scored.dense_ranks = dense_stage.ranks(cosine)
        rrf = dense_stage.rrf(scored.values, cosine)
        scored.fused_ranks = dense_stage.ranks(rrf)
        scored.before = scored.values
        scored.values = dense_stage.transfer(scored.values, rrf)

    def _link_group(
        self,
        group: _Group,
        columns: np.ndarray,
        top_k: int | None,
        min_score: float,
        fuse: bool,
    ) -> list[Suggestion]:
        scored = self._score(group, fuse)
        out: list[Suggestion] = []
        every = len(columns) == scored.values.shape[1]  # all pledges: no (documents x pledges) copy
        docs, picked = _top_arrays(
            scored.values if every else scored.values[:, columns], top_k, min_score
        )
        # What each pair's explanation reads of the arrays, gathered at once into lists: a
        # NumPy scalar read per pair and value cost more than the rest of the record.
        cols = columns[picked]
        rows = scored.rows[docs, cols]
        lexical = scored.lexical
        # Per passage row, read once for all of its pledges: its text as the hint reads it
        # and its word forms, each once (from the words scoring found).
        passages: dict[int, str] = {}
        words: dict[int, list[str]] = {}
        pledges, unit_spans, unit_texts = self.pledges, self._unit_spans, self._unit_texts
        pledge_forms, known = self._form_cache, self._form_cache.get
        surface, idf, known_terms = self._surface_terms, self._term_idf, self._known_terms
        for d, col, row, value, unit_at, bm25, ngram, fused in zip(
            docs.tolist(),
            cols.tolist(),
            rows.tolist(),
            scored.values[docs, cols].tolist(),
            lexical.unit[rows, cols].tolist(),
            lexical.bm25[rows, cols].tolist(),
            lexical.ngram[rows, cols].tolist(),
            lexical.fused[rows, cols].tolist(),
            strict=True,
        ):
            doc, span, pledge = group.docs[d], group.spans[row], pledges[col]
            passage = passages.get(row)
            if passage is None:
                passage = passages[row] = doc.body[span[0] : span[1]]
                words[row] = list(dict.fromkeys(lexical.words[row]))
            unit_text = unit_texts[unit_at]
            unit_forms = known(unit_text) or self._forms(unit_text, pledge_forms, None)
            hint = status_hint(passage, pledge.text)
            out.append(
                Suggestion(
                    document_id=doc.id,
                    pledge_id=pledge.id,
                    score=round(value, 4),
                    span=span,
                    pledge_span=unit_spans[unit_at],
                    matched=link_kernel.matched_words(
                        words[row],
                        surface,
                        idf,
                        known_terms,
                        unit_forms.forms,
                        MatchedTerm,
                        MAX_MATCHED,
                    ),
                    checks=group.checks[d],
                    stance=hint.stance,
                    status_hint=hint.status,
                    stance_confidence=hint.confidence,
                    cues=hint.cues,
                    lexical=fused,
                    bm25=bm25,
                    ngram=ngram,
                    dense=None if scored.dense is None else scored.place(d, col),
                )
            )
        return out

    def score_matrix(
        self, documents: Iterable[DocumentText], context: LinkContext
    ) -> tuple[list[Hashable], Signals]:
        """Every allowed document's score for every pledge, as `link` ranks them but without
        explanations, with the signals behind it. For evaluation at corpus scale, where
        building an explanation per pair would cost more than the scoring."""
        ids: list[Hashable] = []
        parts: list[Signals] = []
        for group in self._groups(documents, context):
            with collector_paused():
                scored = self._score(group)
            lexical = scored.values if scored.before is None else scored.before
            parts.append(Signals(scored.values, lexical, scored.dense))
            ids += [d.id for d in group.docs]
        return ids, Signals.stack(parts, len(self.pledges))

    def with_encoder(self, encoder: dense_stage.Encoder | None) -> PledgeIndex:
        """The same index (lexical part shared, not rebuilt) with another dense encoder."""
        other = copy.copy(self)
        other.encoder, other._pledge_vectors = encoder, None
        other._form_cache, other._passage_forms = {}, {}
        return other

    def search(
        self,
        pledge_id: Hashable,
        documents: Iterable[DocumentText],
        context: LinkContext,
        *,
        top_k: int = 10,
        min_score: float = 0.0,
    ) -> list[Suggestion]:
        """From a pledge to documents: its best-scoring documents, best first.

        Lexical scores only: the dense stage orders a document's pledges, and measured from the
        pledge side the fused orders were not better on both dev sets (docs/linking.md)."""
        found = self.link(
            documents, context, top_k=None, min_score=min_score, pledge_ids=[pledge_id], fuse=False
        )
        return sorted(found, key=lambda s: -s.score)[:top_k]

    # -- explanation ------------------------------------------------------------------------

    def matched_terms(self, document_text: str, pledge_text: str) -> tuple[MatchedTerm, ...]:
        """Terms both texts carry, with the words carrying them in each, by weight."""
        # the caches asked here first: a hit (most pairs) then costs no call
        doc_terms = self._passage_forms.get(document_text)
        if doc_terms is None:
            doc_terms = self._forms(document_text, self._passage_forms, PASSAGE_FORMS)
        pledge_terms = self._form_cache.get(pledge_text)
        if pledge_terms is None:
            pledge_terms = self._forms(pledge_text, self._form_cache, None)
        return self._matched(doc_terms, pledge_terms.forms)

    def _matched(
        self, doc_terms: _TermForms, pledge_forms: dict[str, tuple[str, ...]]
    ) -> tuple[MatchedTerm, ...]:
        return link_kernel.matched(doc_terms.heaviest, pledge_forms, MatchedTerm, MAX_MATCHED)

    def _forms(self, text: str, cache: dict[str, _TermForms], limit: int | None) -> _TermForms:
        """The terms of `text` with the words carrying them, as written, kept in `cache`
        (emptied at `limit` entries: passages come and go, a tracker's pledge units stay)."""
        hit = cache.get(text)
        if hit is not None:
            return hit
        entry = self._forms_of(link_kernel.WORD.findall(text))
        if limit is not None and len(cache) >= limit:
            cache.clear()
        cache[text] = entry
        return entry

    def _forms_of(self, words: list[str]) -> _TermForms:
        """`_forms` of a text given its words (`WORD`'s, as scoring found them)."""
        forms, heaviest = link_kernel.term_forms(
            list(dict.fromkeys(words)),  # each word form once, in order
            self._surface_terms,
            self._term_idf,
            self._known_terms,
        )
        return _TermForms(forms, heaviest)

    def _known_terms(self, surface: str) -> tuple[str, ...]:
        """The terms of a word that some pledge has (stem first, then compound parts), kept
        per word form: the analyzer and the vocabulary are asked once, not per passage."""
        stem, parts, stop = self.analyzer.word(surface)
        known = self._term_idf
        # each term once: a word whose stem is also one of its parts carries it once
        terms = () if stop else tuple(dict.fromkeys(t for t in (stem, *parts) if t in known))
        if len(self._surface_terms) >= WORD_CACHE:
            self._surface_terms.clear()
        self._surface_terms[surface] = terms
        return terms


def by_pledge(suggestions: Iterable[Suggestion]) -> dict[Hashable, list[Suggestion]]:
    """Suggestions grouped by pledge, best first: the pledge side of the same scores."""
    grouped: dict[Hashable, list[Suggestion]] = defaultdict(list)
    for s in suggestions:
        grouped[s.pledge_id].append(s)
    return {k: sorted(v, key=lambda s: (-s.score, str(s.document_id))) for k, v in grouped.items()}
