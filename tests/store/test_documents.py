"""store/documents.py: saving documents with the input's documents read ahead (`known`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from lofte.model import ParsedDocument, SourceKind
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.documents import Saved

# (item key, text) in input order: a new text, its exact copy under another key, the same key
# again with the same text and then a changed one, a copy of the changed text, and the text
# that the change left behind under a new key
SEQUENCE = [
    ("a", "Första"),
    ("b", "Andra"),
    ("c", "Första"),  # an exact copy of a: a duplicate of a document of this same input
    ("a", "Första"),  # the same key and text again: unchanged
    ("b", "Tredje"),  # the same key, a changed text: b is updated
    ("d", "Tredje"),  # a copy of b's new text
    ("e", "Andra"),  # b's old text: no document has it any more
]


RAW = "d7439bee24773bcbfa2d0a97947ee36227b10d1022b1a55847e928965bb6bfde"  # put_raw of b"raw"


def _save(
    session: Session,
    tracker_id: int,
    key: str,
    text: str,
    known: document_store.KnownDocuments | None,
    origin: str = "in.txt",
    *,
    raw: bool = True,
) -> tuple[Saved, int]:
    return document_store.save_document(
        session,
        tracker_id,
        origin,
        ParsedDocument(title=key, body=text, item_key=key),
        content_hash=f"hash:{text}",
        raw_sha256=document_store.put_raw(session, b"raw", "text/plain") if raw else RAW,
        parser="parse:test",
        parser_version="1",
        kind=SourceKind.NEWS,
        source_id=None,
        known=known,
    )


def _run(store: Store, slug: str, *, read_ahead: bool) -> list[tuple[Saved, int]]:
    """SEQUENCE saved in one transaction: ids are given relative to the first one stored."""
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, slug)
        s.flush()
        known = None
        if read_ahead:
            pairs = [(key, f"hash:{text}") for key, text in SEQUENCE]
            known = document_store.known_documents(s, tracker.id, "in.txt", pairs)
        out = [_save(s, tracker.id, key, text, known) for key, text in SEQUENCE]
    first = out[0][1]
    return [(saved, doc_id - first) for saved, doc_id in out]


def test_reading_ahead_saves_exactly_what_looking_up_each_document_saves(store: Store) -> None:
    expected = [
        (Saved.INSERTED, 0),
        (Saved.INSERTED, 1),
        (Saved.DUPLICATE, 0),
        (Saved.UNCHANGED, 0),
        (Saved.UPDATED, 1),
        (Saved.DUPLICATE, 1),
        (Saved.INSERTED, 2),
    ]
    assert _run(store, "one-by-one", read_ahead=False) == expected
    assert _run(store, "read-ahead", read_ahead=True) == expected


def test_reading_ahead_again_finds_what_was_stored(store: Store) -> None:
    """The same input stored a second time: nothing new, and copies point at the oldest."""
    _run(store, "t", read_ahead=True)
    assert [saved for saved, _ in _run(store, "t", read_ahead=True)] == [
        Saved.UNCHANGED,
        Saved.UPDATED,  # b is stored as "Tredje": "Andra" under b changes it back
        Saved.DUPLICATE,
        Saved.UNCHANGED,
        Saved.UPDATED,
        Saved.DUPLICATE,
        Saved.UNCHANGED,
    ]


def test_the_oldest_copy_is_looked_for_in_the_same_tracker_only(store: Store) -> None:
    with store.session() as s:
        other = tracker_store.ensure_tracker(s, "other")
        mine = tracker_store.ensure_tracker(s, "mine")
        s.flush()
        _save(s, other.id, "x", "Samma text", None)
        _, first = _save(s, mine.id, "y", "Samma text", None, origin="old.txt")
        known = document_store.known_documents(s, mine.id, "in.txt", [("z", "hash:Samma text")])
        assert known.rows == {}
        assert known.oldest == {"hash:Samma text": first}
        assert _save(s, mine.id, "z", "Samma text", known) == (Saved.DUPLICATE, first)


def test_reading_ahead_reads_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many keys are read in several queries (a database bounds a statement's parameters)."""
    monkeypatch.setattr(document_store, "ID_CHUNK", 2)
    texts = [f"Text {i}" for i in range(5)]
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "t")
        s.flush()
        ids = [_save(s, tracker.id, str(i), text, None)[1] for i, text in enumerate(texts)]
        pairs = [(str(i), f"hash:{text}") for i, text in enumerate(texts)]
        pairs += [("new", "hash:Text 3")]
        known = document_store.known_documents(s, tracker.id, "in.txt", pairs)
        assert {key: row.id for key, row in known.rows.items()} == {
            str(i): doc_id for i, doc_id in enumerate(ids)
        }
        assert known.oldest == {"hash:Text 3": ids[3]}


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_with_documents_read_ahead_a_new_document_costs_one_insert(store: Store) -> None:
    n = 20
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "t")
        s.flush()
        _save(s, tracker.id, "first", "Den första", None)  # stores the raw bytes RAW
        pairs = [(str(i), f"hash:Text {i}") for i in range(n)]
        with _statements(store) as seen:
            known = document_store.known_documents(s, tracker.id, "in.txt", pairs)
            for i in range(n):
                _save(s, tracker.id, str(i), f"Text {i}", known, raw=False)
            s.flush()
    postgres = store.engine.dialect.name == "postgresql"
    # the keys and hashes together (and on PostgreSQL the new ids): not per document
    assert sum(q.startswith("SELECT") for q in seen) == (2 if postgres else 1)
    # on PostgreSQL rows with their ids taken ahead are written together
    assert seen.count("INSERT INTO DOCUMENTS") == (1 if postgres else n)
    with store.session() as s:
        assert document_store.count_documents(s, tracker.id) == n + 1


def test_a_single_new_document_costs_one_select_and_one_insert(store: Store) -> None:
    """The common input of a large ingest (one file, one new document): its key and hash are
    probed in one query and the row inserted returning its id, on both databases (no ids are
    taken ahead from PostgreSQL's sequence for one row)."""
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "t")
        s.flush()
        _save(s, tracker.id, "first", "Den första", None)  # stores the raw bytes RAW
        with _statements(store) as seen:
            known = document_store.known_documents(s, tracker.id, "in.txt", [("x", "hash:Ny")])
            saved, doc_id = _save(s, tracker.id, "x", "Ny", known, raw=False)
            s.flush()
        assert seen == ["SELECT DOCUMENTS.ID, DOCUMENTS.TRACKER_ID,", "INSERT INTO DOCUMENTS"]
        assert saved is Saved.INSERTED
        assert document_store.get_document(s, doc_id).body == "Ny"


def test_ids_in_a_period_are_those_whose_dated_period_overlaps_it(store: Store) -> None:
    """The API's document list pages ids read without texts (it read every body per request);
    which ids a range holds must be what `DateRange.holds` says of each document's period."""
    import datetime as dt
    import itertools

    from lofte.model import DatePrecision, DateProvenance, DateValue
    from lofte.publish.catalog import DateRange

    firsts = [dt.date(2023, 1, 1), dt.date(2023, 10, 1), dt.date(2023, 12, 1), dt.date(2024, 2, 1)]
    dates = [None] + [
        DateValue(first, precision, DateProvenance.EXPLICIT)
        for first, precision in itertools.product(firsts, DatePrecision)
    ]
    with store.session() as s:
        tracker_id = tracker_store.ensure_tracker(s, "period").id
        s.flush()
        ids = {}
        for n, date in enumerate(dates):
            _, doc_id = document_store.save_document(
                s,
                tracker_id,
                "in.txt",
                ParsedDocument(title=str(n), body=f"Text {n}", item_key=str(n), date=date),
                content_hash=f"hash:{n}",
                raw_sha256=document_store.put_raw(s, b"raw", "text/plain"),
                parser="parse:test",
                parser_version="1",
                kind=SourceKind.NEWS,
                source_id=None,
            )
            ids[doc_id] = date
    bounds = [None, dt.date(2022, 12, 31), dt.date(2023, 10, 15), dt.date(2023, 12, 31)]
    bounds += [dt.date(2024, 1, 1), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]
    checked = 0
    with store.session() as s:
        for start, end in itertools.product(bounds, bounds):
            if start and end and start > end:
                continue
            days = DateRange(start, end)
            wanted = [
                i
                for i, d in sorted(ids.items())
                if days.holds(*((d.value, d.latest()) if d else (None, None)))
            ]
            assert document_store.ids_in_period(s, tracker_id, start, end) == wanted
            checked += len(wanted)
    assert checked > 100  # the ranges hold documents, not only empty answers
