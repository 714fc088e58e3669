"""Reuse of document search pages (issue 14): a page's ids are kept per query,
scope and paging while `documents_stamp` stays the same, so a popular search is ranked once
per change of the documents instead of once per request. `store.search` uses it when asked
(`search_documents(reuse=True)`, the public search page)."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ..lru import BoundedLRU

PAGE_CACHE_SIZE = 512  # search pages (ids only) kept per store


@dataclass(frozen=True)
class Hits:
    """A page of a document search as ids, best first, with the count and how it was found."""

    total: int
    capped: bool
    method: str
    ids: tuple[int, ...]


def documents_stamped(session: Session) -> bool:
    """Whether `documents_stamp` notices every change of the documents: on SQLite and
    PostgreSQL (any other database makes its pages afresh)."""
    return session.get_bind().dialect.name in ("sqlite", "postgresql")


def documents_stamp(session: Session) -> tuple[object, ...]:
    """Changes whenever a document search's answer may have. Read before the search, so a
    page kept under a stamp is never older than the documents the stamp stands for.

    PostgreSQL: the statement's snapshot (`pg_current_snapshot()`: the oldest running
    transaction, the next to start, those running between). Equal snapshots see the same
    committed transactions, hence the same documents. Ids and modification times would not do
    there: they are handed out before commit, so a document committed after a later one could
    go unnoticed. Any write to the database changes the snapshot: a page is made again more
    often than needed, never served stale.

    SQLite (index probes only):
    - the highest document id: every insert raises it (SQLite holds one writer at a time, so
      ids are given in commit order);
    - per tracker (its id, creation time and last removal of a document) the newest
      modification of its documents: every update sets `modified_at`
      (ix_documents_tracker_modified); documents are deleted with their tracker, which leaves
      the list, or one by one (store.document_delete), which sets `contents_changed_at`.

    All of the store's documents, not the searched trackers' only: the rank weighs a word by
    how many documents of the whole index hold it."""
    if session.get_bind().dialect.name == "postgresql":
        return (session.execute(text("SELECT pg_current_snapshot()::text")).scalar_one(),)
    rows = session.execute(
        text(
            "SELECT (SELECT max(id) FROM documents), t.id, t.created_at, t.contents_changed_at, "
            "(SELECT max(d.modified_at) FROM documents d WHERE d.tracker_id = t.id) "
            "FROM trackers t ORDER BY t.id"
        )
    ).all()
    return tuple(tuple(row) for row in rows)


class _PageCache(BoundedLRU[Hits]):
    """Document search pages (ids only) per (query, scope, paging, method, documents_stamp),
    the least recently used dropped beyond `size`: a popular search is ranked once per change
    of the documents instead of once per request (issue 14: a common word's bm25 over the
    newest thousand hits costs several times a plain page)."""

    def __init__(self, size: int = PAGE_CACHE_SIZE) -> None:
        super().__init__(size)


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
