"""Documents' MinHash bucket keys (`document_bands`), for ingest's near-duplicate lookup.

The keys of an input's texts are looked up together in indexed queries, so memory holds the
candidates of one input, whatever the number of stored documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .documents import ID_CHUNK
from .schema import DocumentBandRow, DocumentRow


def sharing_keys(
    session: Session, tracker_id: int, keys: Sequence[int]
) -> tuple[dict[int, list[int]], dict[int, tuple[int | None, bytes]]]:
    """The tracker's documents with any of `keys`: the ids under each key, and each such
    document's (duplicate_of, MinHash). One query per ID_CHUNK keys."""
    under: dict[int, list[int]] = {}
    found: dict[int, tuple[int | None, bytes]] = {}
    ordered = sorted(set(keys))
    for lo in range(0, len(ordered), ID_CHUNK):
        query = (
            select(
                DocumentBandRow.key,
                DocumentRow.id,
                DocumentRow.duplicate_of,
                DocumentRow.minhash,
            )
            .join(DocumentRow, DocumentRow.id == DocumentBandRow.document_id)
            .where(
                DocumentBandRow.tracker_id == tracker_id,
                DocumentBandRow.key.in_(ordered[lo : lo + ID_CHUNK]),
                DocumentRow.minhash.is_not(None),
            )
        )
        for key, doc_id, duplicate_of, minhash in session.execute(query):
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
    for lo in range(0, len(ids), ID_CHUNK):
        session.execute(
            delete(DocumentBandRow).where(DocumentBandRow.document_id.in_(ids[lo : lo + ID_CHUNK]))
        )
    values = [
        {"document_id": doc_id, "band": band, "tracker_id": tracker_id, "key": key}
        for doc_id, (tracker_id, keys) in latest.items()
        for band, key in enumerate(keys)
    ]
    if values:
        session.execute(insert(DocumentBandRow), values)


def keys_of(session: Session, document_id: int) -> list[int]:
    """A document's keys in band order (for tests and checks)."""
    query = (
        select(DocumentBandRow.key)
        .where(DocumentBandRow.document_id == document_id)
        .order_by(DocumentBandRow.band)
    )
    return list(session.scalars(query))
