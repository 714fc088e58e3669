"""The lexical stage's inner loop: sparse passage queries against the pledges' posting lists,
fused and reduced to each pledge's best unit.

SciPy's sparse x sparse product builds a sparse result, then a dense copy of it, and fusing
and taking each pledge's best unit were more passes over (passages x units) arrays. The
compiled kernel (`_link_kernel.c`, built by `pip install`) sums each passage into one scratch
row of the units and reads it once: the work is the postings touched plus one pass over the
units, with no allocation but the (passages x pledges) results. Its sums run in the order of
SciPy's `csr_matmat`, so both paths give the same numbers bit for bit
(tests/pipeline/test_link_kernel.py); the NumPy path below serves where the extension was not
built (no C compiler).

The explanation's loops are here too, compiled with Python twins (`term_forms`, `matched`,
`matched_words`): run per passage and per explained pair, they were most of the time of a link
run after the scoring itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

try:
    from . import _link_kernel  # type: ignore[attr-defined]

    COMPILED = True
except ImportError:  # pragma: no cover - a wheel or checkout built without a C compiler
    COMPILED = False

WORD = re.compile(r"[^\W_]+")  # the lexical stage's words: letters and digits


def best_units(
    query: Any,
    grams: Any,
    term_postings: Any,
    gram_postings: Any,
    unit_pledge: np.ndarray,
    n_pledges: int,
    max_idf: float,
    half: float,
    weight: float,
    *,
    out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    compiled: bool = COMPILED,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(fused, unit, bm25, ngram), each (passages x pledges): for each passage, a pledge's best
    unit (the last of equals), its fused value and the two signals behind it.

    `out`: four C-contiguous arrays of that shape (float, int64, float, float) the compiled
    kernel writes into and returns, instead of new ones (see `LexicalIndex`'s workspace).

    `query` (passages x terms, BM25 query weights) and `grams` (passages x n-grams, TF-IDF
    rows) are CSR; the postings are CSR (terms or n-grams x units, the units' BM25 and TF-IDF
    weights); `unit_pledge` maps each unit to its pledge, units grouped by pledge in order."""
    n = query.shape[0]
    if not compiled:
        return _best_units_numpy(
            query,
            grams,
            term_postings,
            gram_postings,
            unit_pledge,
            n_pledges,
            max_idf,
            half,
            weight,
        )
    # every cell is written (each pledge has a unit): no zeroing
    if out is None:
        out = (
            np.empty((n, n_pledges)),
            np.empty((n, n_pledges), dtype=np.int64),
            np.empty((n, n_pledges)),
            np.empty((n, n_pledges)),
        )
    fused, unit, bm25, ngram = out
    types = (np.float64, np.int64, np.float64, np.float64)
    if any(
        a.shape != (n, n_pledges) or a.dtype != t or not a.flags.c_contiguous
        for a, t in zip(out, types, strict=True)
    ):
        raise ValueError(
            f"best_units: out must be C-contiguous {n} x {n_pledges} arrays of "
            "float64, int64, float64, float64"
        )
    _link_kernel.best_units(
        *_csr(query),
        *_csr(grams),
        *_csr(term_postings),
        *_csr(gram_postings),
        np.ascontiguousarray(unit_pledge, dtype=np.int64),
        fused,
        unit,
        bm25,
        ngram,
        float(max_idf),
        float(half),
        float(weight),
    )
    return fused, unit, bm25, ngram


def kernel_ready(m: Any) -> Any:
    """`m` (CSR) with the index and value types the kernel reads, so that converting a posting
    matrix happens once when an index is built, not on every batch (`_csr` then copies
    nothing)."""
    m = m.copy()
    m.indptr = np.ascontiguousarray(m.indptr, dtype=np.int64)
    m.indices = np.ascontiguousarray(m.indices, dtype=np.int64)
    m.data = np.ascontiguousarray(m.data, dtype=np.float64)
    return m


def _csr(m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.ascontiguousarray(m.indptr, dtype=np.int64),
        np.ascontiguousarray(m.indices, dtype=np.int64),
        np.ascontiguousarray(m.data, dtype=np.float64),
    )


def _best_units_numpy(
    query: Any,
    grams: Any,
    term_postings: Any,
    gram_postings: Any,
    unit_pledge: np.ndarray,
    n_pledges: int,
    max_idf: float,
    half: float,
    weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = query.shape[0]
    if not len(unit_pledge):
        empty = np.zeros((n, n_pledges))
        return empty, empty.astype(np.int64), empty, empty
    bm = np.asarray((query @ term_postings).todense()) / max_idf
    bm = bm / (bm + half)
    cos = np.asarray((grams @ gram_postings).todense())
    fused_units = weight * bm + (1 - weight) * cos
    starts = np.flatnonzero(np.r_[True, np.diff(unit_pledge) != 0])
    fused = np.maximum.reduceat(fused_units, starts, axis=1)
    # each pledge's last unit with its best value: the largest unit index that reaches it
    hit = fused_units == fused[:, unit_pledge]
    index = np.where(hit, np.arange(len(unit_pledge)), -1)
    unit = np.maximum.reduceat(index, starts, axis=1)
    rows = np.arange(n)[:, None]
    return fused, unit.astype(np.int64), bm[rows, unit], cos[rows, unit]


Forms = dict[str, tuple[str, ...]]  # term -> the words carrying it, as written
Heaviest = list[tuple[str, float, tuple[str, ...]]]  # (term, IDF, words), heaviest first


def term_forms(
    words: list[str],
    surface_terms: dict[str, tuple[str, ...]],
    term_idf: dict[str, float],
    known_terms: Callable[[str], tuple[str, ...]],
    *,
    compiled: bool = COMPILED,
) -> tuple[Forms, Heaviest]:
    """(forms, heaviest) of a text given its word forms, each once, in order.

    A word's terms come from `surface_terms`, else from `known_terms(word)` (which may add to
    the dict). forms: term -> its words in the text's order; heaviest: (term, IDF, words) by
    IDF, highest first, ties in the text's order."""
    if compiled:
        forms, heaviest = _link_kernel.term_forms(words, surface_terms, term_idf, known_terms)
        return forms, heaviest
    found = _words_by_term(words, surface_terms, known_terms, None)
    kept = {t: tuple(v) for t, v in found.items()}
    order = sorted(kept, key=term_idf.__getitem__, reverse=True)  # stable: text order on ties
    return kept, [(t, term_idf[t], kept[t]) for t in order]


def _words_by_term(
    words: list[str],
    surface_terms: dict[str, tuple[str, ...]],
    known_terms: Callable[[str], tuple[str, ...]],
    wanted: Forms | None,
) -> dict[str, list[str]]:
    """Each term of the words (only those in `wanted`, when given) with the words carrying it,
    in the text's order: the twins' common loop."""
    found: dict[str, list[str]] = {}
    for word in words:
        terms = surface_terms.get(word)
        if terms is None:
            terms = known_terms(word)
        for term in terms:
            if wanted is None or term in wanted:
                found.setdefault(term, []).append(word)
    return found


def matched(
    heaviest: Heaviest,
    pledge_forms: Forms,
    matched_type: type[tuple[Any, ...]],
    max_matched: int,
    *,
    compiled: bool = COMPILED,
) -> tuple[Any, ...]:
    """The document's terms (`heaviest`, as `term_forms` gives them) the pledge also has,
    heaviest first, at most `max_matched`: each a `matched_type` of (term, document words,
    pledge words, its share of the IDF of all shared terms)."""
    if compiled:
        found: tuple[Any, ...] = _link_kernel.matched(
            heaviest, pledge_forms, matched_type, max_matched
        )
        return found
    shared = [t for t in heaviest if t[0] in pledge_forms]
    total = sum([t[1] for t in shared]) or 1.0
    make = tuple.__new__
    return tuple(
        [
            make(matched_type, (term, words, pledge_forms[term], weight / total))
            for term, weight, words in shared[:max_matched]
        ]
    )


def matched_words(
    words: list[str],
    surface_terms: dict[str, tuple[str, ...]],
    term_idf: dict[str, float],
    known_terms: Callable[[str], tuple[str, ...]],
    pledge_forms: Forms,
    matched_type: type[tuple[Any, ...]],
    max_matched: int,
    *,
    compiled: bool = COMPILED,
) -> tuple[Any, ...]:
    """`matched(term_forms(words, ...)[1], pledge_forms, ...)` in one pass per pair: only the
    terms the pledge has are collected. A passage is explained against three or four pledges,
    and building all of its terms' forms cost more than matching them. Same order, same
    weights (the shared IDFs are summed heaviest first, as `matched` sums them)."""
    if compiled:
        found: tuple[Any, ...] = _link_kernel.matched_words(
            words, surface_terms, term_idf, known_terms, pledge_forms, matched_type, max_matched
        )
        return found
    shared = _words_by_term(words, surface_terms, known_terms, pledge_forms)
    order = sorted(shared, key=term_idf.__getitem__, reverse=True)  # stable: text order on ties
    total = sum([term_idf[t] for t in order]) or 1.0
    make = tuple.__new__
    return tuple(
        [
            make(matched_type, (t, tuple(shared[t]), pledge_forms[t], term_idf[t] / total))
            for t in order[:max_matched]
        ]
    )


def word_columns(
    texts: list[str],
    column: dict[str, int],
    resolve: Callable[[str], int],
    *,
    compiled: bool = COMPILED,
) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """(words, rows, cols) of a batch of texts: each text's words (`WORD`'s runs of letters
    and digits) and, for each occurrence of a word with a column, its text's row and its
    column, in order. `column` maps a word to its column (negative: left out); on a miss
    `resolve(word)` gives it and it is kept there. Per occurrence, a tokenizer's match and a
    dict look-up in Python were a sixth of the lexical stage's time."""
    if compiled:
        words, rows, cols = _link_kernel.word_columns(texts, column, resolve)
        return words, np.frombuffer(rows, dtype=np.int64), np.frombuffer(cols, dtype=np.int64)
    found = [WORD.findall(text) for text in texts]
    row_list: list[int] = []
    col_list: list[int] = []
    for r, surfaces in enumerate(found):
        for surface in surfaces:
            c = column.get(surface)
            if c is None:
                c = column[surface] = resolve(surface)
            if c >= 0:
                row_list.append(r)
                col_list.append(c)
    return found, np.array(row_list, dtype=np.int64), np.array(col_list, dtype=np.int64)


_WORD_RUN = re.compile(r"\w+")  # re's words: where the status cues' look-behind lets one start


def word_starts(
    text: str, prefixes: dict[str, tuple[str, ...]], *, compiled: bool = COMPILED
) -> list[int]:
    """The positions in `text` where a word starts (as `\\w` reads words) with one of the
    `prefixes` listed under its first character, in order (the status hint's cue scan)."""
    if compiled:
        found: list[int] = _link_kernel.word_starts(text, prefixes)
        return found
    return [
        m.start()
        for m in _WORD_RUN.finditer(text)
        if text.startswith(prefixes.get(text[m.start()], ()), m.start())
    ]
