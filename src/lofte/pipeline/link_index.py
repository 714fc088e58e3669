"""Lexical scoring of passages against pledge units: BM25 and character n-grams, fused.

The pledges are the collection, a passage of a later document is the query. Each pledge is
indexed as itself and, when it has several sentences, as each sentence too ("units"): election
bullets bundle many commitments, and a news item usually reports on one of them, which the whole
bullet's length normalisation would drown (a breakfast item against a six-sentence school
bullet).

Two signals, both computed as sparse matrix products so a batch of passages is scored at once:

- **BM25** (k1 1.2, b 0.75) over the analyzer's terms (stems and compound-part stems). IDF counts
  pledges, not units, so splitting a bullet into sentences does not make its words look rare.
  Query terms count once (weights capped at 1: a compound part alone 0.5). The raw score is
  divided by the collection's largest IDF, making it roughly "rare words matched", comparable
  between collections of 40 and of 4 000 pledges, then saturated: x / (x + BM25_HALF).
- **Character 4-grams** of content words (padded with spaces, so word starts and ends count):
  TF-IDF cosine. It meets inflections and compounds the dictionary does not know
  ("lärfritids", new coinages) and is bounded 0-1 by construction.

Fused = BM25_WEIGHT * bm25 + (1 - BM25_WEIGHT) * cosine, in [0, 1]; a pledge's value is the best
of its units. Calibration to a probability-like score lives in `link.py`.
"""

from __future__ import annotations

import marshal
import math
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..language.analyze import PART_WEIGHT, Analyzer
from ..language.segment import split_sentences
from .link_kernel import WORD, best_units, kernel_ready, word_columns

K1, B = 1.2, 0.75
NGRAM = 4
BM25_HALF = 2.0  # rare-word equivalents at which the BM25 signal reaches 0.5
BM25_WEIGHT = 0.6  # BM25 is the sharper signal; n-grams add recall on unknown compounds
WORD_CACHE = 300_000  # word types whose features are kept
BATCH = 512  # passages scored per matrix product: bounds the dense (passages x units) block


@dataclass(frozen=True)
class Unit:
    pledge: int  # position of the pledge in the index
    start: int  # span in the pledge text
    end: int


@dataclass(frozen=True)
class Scores:
    """Each array is (texts, pledges): `fused` is the pledge's best unit's value; `unit`, `bm25`
    and `ngram` say which unit that is and the signals behind it, for the pairs that get
    explained."""

    fused: np.ndarray
    unit: np.ndarray
    bm25: np.ndarray  # saturated BM25 of that unit
    ngram: np.ndarray  # n-gram cosine of that unit
    # each text's words as scoring read them (`WORD`), for the explanation to reuse
    words: list[list[str]] = field(default_factory=list)


@dataclass
class _WordFeatures:
    term_ids: np.ndarray  # BM25 vocabulary ids (only terms the pledges have)
    term_weights: np.ndarray
    gram_ids: np.ndarray  # n-gram ids, in the pledge vocabulary or beyond it
    stop: bool


def pledge_units(texts: Sequence[str]) -> list[Unit]:
    """Every pledge whole, plus each of its sentences when it has more than one."""
    units = []
    for i, text in enumerate(texts):
        units.append(Unit(i, 0, len(text)))
        spans = split_sentences(text)
        if len(spans) > 1:
            units.extend(Unit(i, a, b) for a, b in spans)
    return units


def char_ngrams(word: str) -> list[str]:
    padded = f" {word.lower()} "
    return [padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1)]


STATS_FORMAT = 2  # of BackgroundStats.to_bytes (2: with the sample's cutoff)


@dataclass
class BackgroundStats:
    """Document frequencies of terms and character n-grams over a tracker's later texts: all
    the index needs of its background. Kept in the store (store.link_background), so a new
    document adds its own counts instead of the whole background being read again."""

    texts: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    grams: dict[str, int] = field(default_factory=dict)
    # Counted documents are those whose sample hash is below this (None: every one); later
    # documents are counted by the same rule, so the sample stays a uniform share of the store.
    cutoff: int | None = None

    @classmethod
    def of(cls, texts: Iterable[str], analyzer: Analyzer) -> BackgroundStats:
        stats = cls()
        stats.add(texts, analyzer)
        return stats

    def add(self, texts: Iterable[str], analyzer: Analyzer) -> None:
        terms, grams = self.terms, self.grams
        for text in texts:
            self.texts += 1
            for t in set(analyzer.terms(text)):
                terms[t] = terms.get(t, 0) + 1
            for g in {
                g
                for m in WORD.finditer(text)
                if not analyzer.word(m.group())[2]
                for g in char_ngrams(m.group())
            }:
                grams[g] = grams.get(g, 0) + 1

    def plus(self, texts: Sequence[str], analyzer: Analyzer) -> BackgroundStats:
        """A copy with `texts` added (the tracker's program paragraphs, per run)."""
        if not texts:
            return self
        copy = BackgroundStats(self.texts, dict(self.terms), dict(self.grams), self.cutoff)
        copy.add(texts, analyzer)
        return copy

    def to_bytes(self) -> bytes:
        kept = (STATS_FORMAT, self.texts, self.terms, self.grams, self.cutoff)
        return zlib.compress(marshal.dumps(kept), 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> BackgroundStats:
        """Raises ValueError for data of another format (rebuild it)."""
        try:
            fmt, texts, terms, grams, *rest = marshal.loads(zlib.decompress(data))
        except (ValueError, EOFError, TypeError, zlib.error) as exc:
            raise ValueError(f"unreadable background statistics: {exc}") from exc
        if fmt != STATS_FORMAT or len(rest) != 1:
            raise ValueError(f"background statistics of format {fmt}, not {STATS_FORMAT}")
        return cls(int(texts), terms, grams, rest[0])


class LexicalIndex:
    """BM25 and n-gram matrices over pledge units; scores batches of passage texts.

    `background`: the texts of the tracker's later documents, or their `BackgroundStats`."""

    def __init__(
        self,
        texts: Sequence[str],
        analyzer: Analyzer,
        background: Sequence[str] | BackgroundStats = (),
    ) -> None:
        self.analyzer = analyzer
        self.units = pledge_units(texts)
        self.n_pledges = len(texts)
        self.terms: dict[str, int] = {}
        self.grams: dict[str, int] = {}
        unit_terms = [analyzer.weighted_terms(texts[u.pledge][u.start : u.end]) for u in self.units]
        unit_grams = [
            self._text_grams(texts[u.pledge][u.start : u.end], grow=True) for u in self.units
        ]
        self.n_grams_vocab = len(self.grams)
        self._background(background)
        self._bm25 = self._bm25_matrix(unit_terms)
        self._ngram = self._ngram_matrix(unit_grams)
        # Posting lists (term or n-gram -> units), as the compiled kernel walks them.
        self._term_postings = kernel_ready(self._bm25.T.tocsr())
        self._gram_postings = kernel_ready(self._ngram.T.tocsr())
        self._unit_pledge = np.array([u.pledge for u in self.units], dtype=np.int64)
        self._words: dict[str, _WordFeatures] = {}
        self._workspace = threading.local()  # per thread: see `_outputs`

    # -- building ---------------------------------------------------------------------------

    def _text_grams(self, text: str, grow: bool) -> list[int]:
        ids = []
        for m in WORD.finditer(text):
            w = m.group()
            if self.analyzer.word(w)[2]:
                continue
            for g in char_ngrams(w):
                gid = self.grams.get(g)
                if gid is None and grow:
                    gid = self.grams[g] = len(self.grams)
                if gid is not None:
                    ids.append(gid)
        return ids

    def _background(self, background: Sequence[str] | BackgroundStats) -> None:
        """Document frequencies in later documents: words every news item uses ("budget", "det
        rödgröna styret") are rare among pledges but say nothing about which pledge a news item
        reports on."""
        stats = (
            background
            if isinstance(background, BackgroundStats)
            else BackgroundStats.of(background, self.analyzer)
        )
        self.n_background = stats.texts
        self.bg_terms = stats.terms
        # only the pledges' own n-grams have an IDF to lower
        self.bg_grams = {g: stats.grams[g] for g in self.grams if g in stats.grams}

    def _bm25_matrix(self, unit_terms: list[dict[str, float]]) -> sparse.csr_matrix:
        df: dict[str, set[int]] = {}
        for u, terms in zip(self.units, unit_terms, strict=True):
            for t in terms:
                df.setdefault(t, set()).add(u.pledge)
                self.terms.setdefault(t, len(self.terms))
        n = max(self.n_pledges + self.n_background, 1)
        idf = np.zeros(len(self.terms))
        for t, pledges in df.items():
            d = len(pledges) + self.bg_terms.get(t, 0)
            idf[self.terms[t]] = math.log(1 + (n - d + 0.5) / (d + 0.5))
        self.max_idf = math.log(1 + (n - 0.5) / 1.5)
        lengths = np.array([sum(t.values()) for t in unit_terms]) if unit_terms else np.zeros(0)
        avg = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        rows, cols, vals = [], [], []
        for r, terms in enumerate(unit_terms):
            norm = K1 * (1 - B + B * lengths[r] / avg)
            for t, tf in terms.items():
                c = self.terms[t]
                rows.append(r)
                cols.append(c)
                vals.append(idf[c] * tf * (K1 + 1) / (tf + norm))
        self.idf = idf
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(self.units), len(self.terms)))

    def _ngram_matrix(self, unit_grams: list[list[int]]) -> sparse.csr_matrix:
        n = max(self.n_pledges + self.n_background, 1)
        df = np.zeros(self.n_grams_vocab)
        seen: dict[int, set[int]] = {}
        for u, ids in zip(self.units, unit_grams, strict=True):
            for g in set(ids):
                seen.setdefault(g, set()).add(u.pledge)
        for g, pledges in seen.items():
            df[g] = len(pledges)
        for gram, count in self.bg_grams.items():
            df[self.grams[gram]] += count
        self.gram_idf = np.log((1 + n) / (1 + df)) + 1
        self.unknown_gram_idf = math.log(1 + n) + 1  # an n-gram no pledge has: rarest
        rows = [r for r, ids in enumerate(unit_grams) for _ in ids]
        cols = [g for ids in unit_grams for g in ids]
        m = sparse.csr_matrix(
            (np.ones(len(cols)), (rows, cols)), shape=(len(self.units), self.n_grams_vocab)
        )
        return _tfidf_rows(m, self.gram_idf)

    # -- queries ----------------------------------------------------------------------------

    def word(self, surface: str) -> _WordFeatures:
        hit = self._words.get(surface)
        if hit is None:
            if len(self._words) >= WORD_CACHE:
                # Unknown n-grams only serve query norms: drop them with the word cache
                # rather than grow without end; the pledge vocabulary keeps its ids.
                self._words.clear()
                self.grams = {g: i for g, i in self.grams.items() if i < self.n_grams_vocab}
            stem, parts, stop = self.analyzer.word(surface)
            ids, weights = [], []
            if not stop:
                for t, w in ((stem, 1.0), *((p, PART_WEIGHT) for p in parts)):
                    if t in self.terms:
                        ids.append(self.terms[t])
                        weights.append(w)
            grams = (
                []
                if stop
                else [self.grams.setdefault(g, len(self.grams)) for g in char_ngrams(surface)]
            )
            hit = _WordFeatures(
                np.array(ids, dtype=np.int64),
                np.array(weights),
                np.array(grams, dtype=np.int64),
                stop,
            )
            self._words[surface] = hit
        return hit

    def score(self, texts: Sequence[str]) -> Scores:
        """Each text against every pledge: its best unit's fused value and the signals behind
        it, (texts x pledges) arrays.

        For at most BATCH texts (a link group) the arrays are this thread's workspace of the
        index, overwritten by its next call: read them, or copy them, before scoring again."""
        if len(texts) <= BATCH:
            return self._score_batch(texts, self._outputs(len(texts)))
        parts = [self._score_batch(texts[lo : lo + BATCH]) for lo in range(0, len(texts), BATCH)]
        if not parts:
            empty = np.zeros((0, self.n_pledges))
            return Scores(empty, empty.astype(np.int32), empty, empty)
        if len(parts) == 1:  # a link group: no copy
            return parts[0]
        fused, unit, bm, ng = (np.vstack([getattr(p, f) for p in parts]) for f in _FIELDS)
        return Scores(fused, unit, bm, ng, [w for p in parts for w in p.words])

    def score_kept(self, texts: Sequence[str], leaders: int) -> tuple[Scores, np.ndarray]:
        """`score` of one document's passages, however many, in bounded memory: a batch at a
        time, keeping only the rows that can still matter (each pledge's best passage so far,
        the first on a tie as `score`'s readers take it, and the `leaders` passages of the
        highest best value), with their positions in `texts`, ascending. Every row of every
        pledge kept for a 20 MB upload attached as evidence took 18.7 GB."""
        kept: Scores | None = None
        at = np.zeros(0, dtype=np.int64)
        for lo in range(0, len(texts), BATCH):
            part = self.score(texts[lo : lo + BATCH])  # this thread's workspace: copied below
            rows = np.arange(lo, lo + len(part.fused))
            if kept is not None:
                fused, unit, bm, ng = (
                    np.vstack([getattr(kept, f), getattr(part, f)]) for f in _FIELDS
                )
                part = Scores(fused, unit, bm, ng, kept.words + part.words)
                rows = np.concatenate([at, rows])
            choose = _worth_keeping(part.fused, leaders)
            fused, unit, bm, ng = (getattr(part, f)[choose] for f in _FIELDS)
            kept = Scores(fused, unit, bm, ng, [part.words[i] for i in choose])
            at = rows[choose]
        if kept is None:
            return self.score(texts), at
        return kept, at

    def _outputs(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Four (n x pledges) arrays for the kernel's results, the first n rows of this thread's
        BATCH-row workspace. New arrays for each batch cost a page fault per 4 kB on first write
        (the allocator gives such large blocks back to the system when they are freed): about
        a seventh of retrieval's time at 1,000 pledges."""
        kept = getattr(self._workspace, "arrays", None)
        if kept is None:
            shape = (BATCH, self.n_pledges)
            kept = (
                np.empty(shape),
                np.empty(shape, dtype=np.int64),
                np.empty(shape),
                np.empty(shape),
            )
            self._workspace.arrays = kept
        return kept[0][:n], kept[1][:n], kept[2][:n], kept[3][:n]

    def _score_batch(
        self,
        texts: Sequence[str],
        out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> Scores:
        # Each word form of the batch once: a (texts x word forms) count matrix times each
        # form's terms and n-grams, rather than one small array per occurrence to concatenate
        # (a batch of news repeats most of its words). Counts and weights (1 and 0.5) are
        # exact in floating point, so the sums equal those added occurrence by occurrence.
        kept: list[_WordFeatures] = []  # the batch's word forms that are not stop words
        cached, word = self._words.get, self.word  # a hit costs one look-up, not a call

        def resolve(surface: str) -> int:
            f = cached(surface) or word(surface)
            if f.stop:
                return -1
            kept.append(f)
            return len(kept) - 1

        words, rows, cols = word_columns(list(texts), {}, resolve)
        n = len(texts)
        counts = sparse.csr_matrix(
            (np.ones(len(cols)), (rows, cols)),
            shape=(n, len(kept)),
        )
        ids, weights = [f.term_ids for f in kept], [f.term_weights for f in kept]
        q = _canonical(counts @ _stacked(ids, weights, len(self.terms)))
        q.data = np.minimum(q.data, 1.0)  # a query term counts once, whatever its repeats
        width = max(len(self.grams), self.n_grams_vocab)
        qg = _canonical(counts @ _stacked([f.gram_ids for f in kept], None, width))
        idf = np.full(width, self.unknown_gram_idf)
        idf[: self.n_grams_vocab] = self.gram_idf
        qg = _tfidf_rows(qg, idf)[:, : self.n_grams_vocab]
        if not self.units:
            empty = np.zeros((n, 0))
            return Scores(empty, empty.astype(np.int32), empty, empty, words)
        return Scores(
            *best_units(
                q,
                qg,
                self._term_postings,
                self._gram_postings,
                self._unit_pledge,
                self.n_pledges,
                self.max_idf,
                BM25_HALF,
                BM25_WEIGHT,
                out=out,
            ),
            words,
        )


_FIELDS = ("fused", "unit", "bm25", "ngram")


def _worth_keeping(fused: np.ndarray, leaders: int) -> np.ndarray:
    """Rows (ascending) that are some pledge's first best, or among the `leaders` rows of the
    highest best value (the first on a tie)."""
    if fused.shape[1] == 0:
        return np.arange(min(len(fused), leaders))
    best = np.argmax(fused, axis=0)  # the first row on a tie
    top = np.argsort(-fused.max(axis=1), kind="stable")[:leaders]
    return np.unique(np.concatenate([best, top]))


def _stacked(
    cols: list[np.ndarray], vals: list[np.ndarray] | None, width: int
) -> sparse.csr_matrix:
    """One row per word form from its column array (values 1 when None), duplicates summed."""
    lengths = np.fromiter(map(len, cols), dtype=np.int64, count=len(cols))
    indptr = np.zeros(len(cols) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    val = np.ones(len(col)) if vals is None or not vals else np.concatenate(vals)
    m = sparse.csr_matrix((val, col, indptr), shape=(len(cols), width))
    m.sum_duplicates()  # a word with a repeated n-gram
    return m


def _canonical(m: sparse.csr_matrix) -> sparse.csr_matrix:
    """Indices sorted within each row, as the kernel's sums (and the NumPy path's) expect."""
    m = sparse.csr_matrix(m)
    m.sum_duplicates()
    return m


def _tfidf_rows(m: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF x IDF, rows scaled to unit length (empty rows stay zero)."""
    m = m.tocsr(copy=True)
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)
