"""Which documents `lofte link` reads: the background sample and pages of ids.

A run never holds the ids of a whole store: counts, the newest id, the sample's cutoff and the
pages of ids it works through are asked of the database (`StoredIds`). `ListedIds` answers the
same questions from a list, for a part of a store (tests, and callers that have the ids).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from .model import SourceKind
from .store import documents as document_store
from .store.db import Store
from .store.documents import SAMPLE_MODULUS, SAMPLE_MULTIPLIER

PAGE = 500  # ids per page: `lofte link` reads, links and writes documents a page at a time


def sample_hash(document_id: int) -> int:
    """A document's place in the background sample (a bijection of 32-bit ids: no ties)."""
    return (document_id * SAMPLE_MULTIPLIER) % SAMPLE_MODULUS


def background_sample(ids: Sequence[int], limit: int) -> list[int]:
    """At most `limit` of the ids, chosen by a hash of each: the index's background needs
    document frequencies, which a sample of thousands estimates as well as the whole store, at
    a cost that does not grow with it. The hash keeps the sample stable as documents arrive (a
    new one enters only in place of one it out-ranks)."""
    if len(ids) <= limit:
        return list(ids)
    return sorted(sorted(ids, key=sample_hash)[:limit])


def sample_cutoff(ids: Sequence[int], limit: int) -> int | None:
    """The hash below which `background_sample(ids, limit)` takes an id (None: it takes all)."""
    if len(ids) <= limit:
        return None
    return sorted(sample_hash(i) for i in ids)[limit - 1] + 1


class EvidenceIds(Protocol):
    """A tracker's evidence documents, as the linker's background asks about them."""

    def count(self, after: int = 0, below: int | None = None) -> tuple[int, int]:
        """(how many, the highest id) of the ids above `after` with a hash below `below`."""
        ...

    def cutoff(self, limit: int) -> int | None:
        """As `sample_cutoff` over all the ids."""
        ...

    def pages(
        self, after: int = 0, below: int | None = None, size: int = PAGE
    ) -> Iterator[list[int]]:
        """The ids `count` counts, in id order, `size` at a time."""
        ...


class ListedIds:
    def __init__(self, ids: Sequence[int]) -> None:
        self.ids = sorted(ids)

    def _chosen(self, after: int, below: int | None) -> list[int]:
        return [i for i in self.ids if i > after and (below is None or sample_hash(i) < below)]

    def count(self, after: int = 0, below: int | None = None) -> tuple[int, int]:
        chosen = self._chosen(after, below)
        return len(chosen), max(chosen, default=0)

    def cutoff(self, limit: int) -> int | None:
        return sample_cutoff(self.ids, limit)

    def pages(
        self, after: int = 0, below: int | None = None, size: int = PAGE
    ) -> Iterator[list[int]]:
        chosen = self._chosen(after, below)
        for lo in range(0, len(chosen), size):
            yield chosen[lo : lo + size]


class StoredIds:
    """The tracker's documents of `kinds` (originals only when `originals`) in the store."""

    def __init__(
        self, store: Store, tracker_id: int, kinds: Sequence[SourceKind], originals: bool
    ) -> None:
        self.store, self.tracker_id = store, tracker_id
        self.kinds, self.originals = tuple(kinds), originals

    def count(self, after: int = 0, below: int | None = None) -> tuple[int, int]:
        with self.store.session() as session:
            return document_store.count_document_ids(
                session,
                self.tracker_id,
                kinds=self.kinds,
                originals=self.originals,
                after=after,
                below=below,
            )

    def cutoff(self, limit: int) -> int | None:
        with self.store.session() as session:
            found = document_store.sample_hashes_from(
                session, self.tracker_id, limit, 2, kinds=self.kinds, originals=self.originals
            )
        # the limit-th hash, unless no id comes after it: then the sample takes them all
        return found[0] + 1 if len(found) == 2 else None

    def pages(
        self, after: int = 0, below: int | None = None, size: int = PAGE
    ) -> Iterator[list[int]]:
        while True:
            with self.store.session() as session:
                page = document_store.document_ids(
                    session,
                    self.tracker_id,
                    kinds=self.kinds,
                    originals=self.originals,
                    after=after,
                    limit=size,
                    below=below,
                )
            if not page:
                return
            yield page
            after = page[-1]
