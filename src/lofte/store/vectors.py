"""Stored embeddings (`dense_vectors`): look up by text, add what is missing.

Writes are INSERT … ON CONFLICT DO NOTHING, so two link runs encoding the same passage at once
both succeed and keep one vector (the same model gives the same vector for the same text).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .schema import DenseVectorRow, utcnow

_LOOKUP_CHUNK = 500  # hashes per IN (…): well under SQLite's variable limit


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_vectors(
    session: Session, model: str, side: str, texts: Sequence[str]
) -> dict[str, np.ndarray]:
    """Text -> its stored vector, for the texts that have one."""
    by_key = {text_key(t): t for t in texts}
    keys = list(by_key)
    found: dict[str, np.ndarray] = {}
    for i in range(0, len(keys), _LOOKUP_CHUNK):
        rows = session.execute(
            select(DenseVectorRow.text_sha256, DenseVectorRow.vector).where(
                DenseVectorRow.model == model,
                DenseVectorRow.side == side,
                DenseVectorRow.text_sha256.in_(keys[i : i + _LOOKUP_CHUNK]),
            )
        )
        for key, blob in rows:
            found[by_key[key]] = np.frombuffer(blob, dtype="<f4")
    return found


def put_vectors(
    session: Session, model: str, side: str, items: Iterable[tuple[str, np.ndarray]]
) -> None:
    """Keep (text, vector) pairs; a vector already stored for a text is left as it is."""
    now = utcnow()
    rows = [
        {
            "model": model,
            "side": side,
            "text_sha256": text_key(text),
            "vector": np.asarray(vector, dtype="<f4").tobytes(),
            "created_at": now,
            "modified_at": now,
        }
        for text, vector in items
    ]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DenseVectorRow).on_conflict_do_nothing(
        index_elements=["model", "side", "text_sha256"]
    )
    session.execute(statement, rows)
