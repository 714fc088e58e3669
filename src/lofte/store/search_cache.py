"""Reuse of document search pages on SQLite (issue 14): a page's ids are kept per query,
scope and paging while `documents_stamp` stays the same, so a popular search is ranked once
per change of the documents instead of once per request. `store.search` uses it when asked
(`search_documents(reuse=True)`, the public search page)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

PAGE_CACHE_SIZE = 512  # search pages (ids only) kept per store


@dataclass(frozen=True)
class Hits:
    """A page of a document search as ids, best first, with the count and how it was found."""

    total: int
    capped: bool
    method: str
    ids: tuple[int, ...]


def documents_stamped(session: Session) -> bool:
    """Whether `documents_stamp` notices every change: on SQLite. PostgreSQL hands out ids and
    modification times before commit, so a document committed after a later one could go
    unnoticed: its searches are never reused."""
    return session.get_bind().dialect.name == "sqlite"


def documents_stamp(session: Session) -> tuple[object, ...]:
    """Changes whenever a document search's answer may have (SQLite; see
    `documents_stamped`): index probes only.

    - the highest document id: every insert raises it (SQLite holds one writer at a time, so
      ids are given in commit order);
    - per tracker (its id and creation time) the newest modification of its documents: every
      update sets `modified_at` (ix_documents_tracker_modified); documents are deleted only
      with their tracker, which leaves the list.

    All of the store's documents, not the searched trackers' only: bm25 weighs a word by how
    many documents of the whole index hold it."""
    rows = session.execute(
        text(
            "SELECT (SELECT max(id) FROM documents), t.id, t.created_at, "
            "(SELECT max(d.modified_at) FROM documents d WHERE d.tracker_id = t.id) "
            "FROM trackers t ORDER BY t.id"
        )
    ).all()
    return tuple(tuple(row) for row in rows)


class _PageCache:
    """Document search pages (ids only) per (query, scope, paging, method, documents_stamp),
    the least recently used dropped beyond `size`: a popular search is ranked once per change
    of the documents instead of once per request (issue 14: a common word's bm25 over the
    newest thousand hits costs several times a plain page)."""

    def __init__(self, size: int = PAGE_CACHE_SIZE) -> None:
        self._lock = threading.Lock()
        self._pages: OrderedDict[Hashable, Hits] = OrderedDict()
        self._size = size

    def get(self, key: Hashable) -> Hits | None:
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
            return found

    def put(self, key: Hashable, hits: Hits) -> None:
        with self._lock:
            self._pages[key] = hits
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


_PAGES: weakref.WeakKeyDictionary[Engine, _PageCache] = weakref.WeakKeyDictionary()
_PAGES_LOCK = threading.Lock()


def page_cache(session: Session) -> _PageCache:
    """The page cache of the session's store (one per engine: stores never share pages)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _PAGES_LOCK:
        found = _PAGES.get(engine)
        if found is None:
            found = _PAGES[engine] = _PageCache()
        return found
