"""Documents' MinHash bucket keys (`document_bands`), for ingest's near-duplicate lookup.

The keys of an input's texts are looked up together in indexed queries, so memory holds the
candidates of one input, whatever the number of stored documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from .db import ID_CHUNK, id_chunks
from .schema import DocumentBandRow, DocumentRow

_BANDS, _DOCUMENTS = cast(Table, DocumentBandRow.__table__), cast(Table, DocumentRow.__table__)
# Built once: ingest runs it once an input, and building it cost more than running it
_SHARING_KEYS = (
    select(_BANDS.c.key, _DOCUMENTS.c.id, _DOCUMENTS.c.duplicate_of, _DOCUMENTS.c.minhash)
    .join(_DOCUMENTS, _DOCUMENTS.c.id == _BANDS.c.document_id)
    .where(
        _BANDS.c.tracker_id == bindparam("tracker"),
        _BANDS.c.key.in_(bindparam("keys", expanding=True)),
        _DOCUMENTS.c.minhash.is_not(None),
    )
)
_INSERT_KEYS = insert(_BANDS)


def sharing_keys(
    session: Session, tracker_id: int, keys: Sequence[int]
) -> tuple[dict[int, list[int]], dict[int, tuple[int | None, bytes]]]:
    """The tracker's documents with any of `keys`: the ids under each key, and each such
    document's (duplicate_of, MinHash). One query per ID_CHUNK keys."""
    under: dict[int, list[int]] = {}
    found: dict[int, tuple[int | None, bytes]] = {}
    ordered = sorted(set(keys))
    connection = session.connection()  # Core, not the ORM: half the overhead, once an input
    for lo in range(0, len(ordered), ID_CHUNK):
        params = {"tracker": tracker_id, "keys": ordered[lo : lo + ID_CHUNK]}
        for key, doc_id, duplicate_of, minhash in connection.execute(_SHARING_KEYS, params):
            under.setdefault(key, []).append(doc_id)
            if doc_id not in found and minhash is not None:
                found[doc_id] = (duplicate_of, minhash)
    return under, found


def replace_keys(
    session: Session, documents: Sequence[tuple[int, int, Sequence[int], bool]]
) -> None:
    """Set the keys of these (tracker id, document id, keys, stored before) documents,
    replacing the ones they had when stored before (no keys: a text too short to compare).
    Their rows must be flushed already."""
    latest = {doc_id: (tracker_id, keys) for tracker_id, doc_id, keys, _ in documents}
    ids = sorted({doc_id for _, doc_id, _, before in documents if before})
    connection = session.connection()
    for chunk in id_chunks(ids):
        connection.execute(delete(_BANDS).where(_BANDS.c.document_id.in_(chunk)))
    values = [
        {"document_id": doc_id, "band": band, "tracker_id": tracker_id, "key": key}
        for doc_id, (tracker_id, keys) in latest.items()
        for band, key in enumerate(keys)
    ]
    if values:
        connection.execute(_INSERT_KEYS, values)


def keys_of(session: Session, document_id: int) -> list[int]:
    """A document's keys in band order (for tests and checks)."""
    query = (
        select(DocumentBandRow.key)
        .where(DocumentBandRow.document_id == document_id)
        .order_by(DocumentBandRow.band)
    )
    return list(session.scalars(query))
