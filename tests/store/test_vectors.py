"""Stored embeddings (`store/vectors.py`): keyed by model, side and text; first write wins."""

from __future__ import annotations

import numpy as np

from lofte.store import vectors
from lofte.store.db import Store


def test_vectors_round_trip_by_model_side_and_text(store: Store) -> None:
    a, b = np.arange(4, dtype=np.float32), np.ones(4, dtype=np.float32)
    with store.session() as s:
        vectors.put_vectors(s, "m1", "query", [("första texten", a), ("andra", b)])
    with store.session() as s:
        found = vectors.get_vectors(s, "m1", "query", ["första texten", "andra", "saknas"])
        assert set(found) == {"första texten", "andra"}
        assert np.array_equal(found["första texten"], a) and found["andra"].dtype == np.float32
        assert vectors.get_vectors(s, "m1", "passage", ["andra"]) == {}  # the other side
        assert vectors.get_vectors(s, "m2", "query", ["andra"]) == {}  # another model


def test_a_second_write_of_a_text_keeps_the_first_vector(store: Store) -> None:
    """Two link runs encoding the same passage at once both succeed (ON CONFLICT DO NOTHING)."""
    with store.session() as s:
        vectors.put_vectors(s, "m", "query", [("text", np.zeros(3, dtype=np.float32))])
    with store.session() as s:
        vectors.put_vectors(s, "m", "query", [("text", np.ones(3, dtype=np.float32))])
    with store.session() as s:
        assert not vectors.get_vectors(s, "m", "query", ["text"])["text"].any()


def test_many_texts_are_looked_up_in_chunks(store: Store) -> None:
    texts = [f"text {i}" for i in range(1200)]
    with store.session() as s:
        vectors.put_vectors(
            s, "m", "passage", [(t, np.full(2, i, np.float32)) for i, t in enumerate(texts)]
        )
    with store.session() as s:
        found = vectors.get_vectors(s, "m", "passage", texts)
    assert len(found) == 1200 and found["text 1199"][0] == 1199
