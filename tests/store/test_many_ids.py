"""Statements naming a tracker's every pledge stay within each database's parameter limit
(SQLite's 250,000 as Debian builds it, PostgreSQL's 65,535): a link run on a tracker of more
linkable pledges than that failed before it scored anything (a NOT IN of all of them)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from lofte.store import derived, evidence, marks, trackers
from lofte.store import pledges as pledge_store
from lofte.store.db import ID_CHUNK, Store
from lofte.store.schema import StageMarkRow
from tests.review import fixtures
from tests.review.fixtures import pledge_with_evidence

OVER_BOTH = 260_000  # ids in a read or a delete: over both limits
OVER_POSTGRES = 70_000  # marks: over PostgreSQL's limit, and quick to write and read


def _marks(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(StageMarkRow)) or 0)


def test_link_marks_of_more_pledges_than_a_statement_takes(store: Store) -> None:
    first = 1_000_000  # ids no pledge has: only the lists' lengths count
    written = range(first, first + OVER_POSTGRES)
    with store.session() as s:
        marks.set_marks(s, "link", "pledge", [(i, 1) for i in written], "v1")
    with store.session() as s:  # a mark written again replaces the one there is
        marks.set_marks_each(s, "link", "pledge", [(first, 2, "v2"), (first - 1, 1, "v2")])
    with store.session() as s:  # read in chunks
        found = marks.marks(s, "link", "pledge", range(first - 1, first + 3 * ID_CHUNK))
    assert len(found) == 3 * ID_CHUNK + 1
    assert found[first] == ("v2", 2) and found[first - 1] == ("v2", 1)
    assert found[first + 3 * ID_CHUNK - 1] == ("v1", 1)
    with store.session() as s:
        derived.forget_unlinked_pledges(s, written)
    assert _marks(store) == 1


def test_a_trackers_pledge_marks_are_read_without_a_list_of_its_pledges(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    other = fixtures.pledge_row(
        store, fixtures.program_document(store, fixtures.PROGRAM, slug="annan"), fixtures.PROGRAM
    )
    with store.session() as s:
        marks.set_marks(s, "link", "pledge", [(pledge_id, 1), (other, 1)], "v1")
        marks.set_marks(s, "link", "document", [(pledge_id, 1)], "v1")  # same id, a document
    with store.session() as s:
        tracker = trackers.get_tracker(s, "sjovik")
        assert marks.pledge_marks(s, "link", tracker.id) == {pledge_id: ("v1", 1)}


def test_suggestions_of_pledges_no_longer_linked_go_however_many_are_named(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    many = range(pledge_id + 1, pledge_id + 1 + OVER_BOTH)
    with store.session() as s:
        tracker = trackers.get_tracker(s, "sjovik")
        assert pledge_store.unlinked_ids(s, tracker.id, {pledge_id, *many}) == set()
        assert evidence.drop_unlinkable_suggestions(s, many) == 0  # none of them has any
        unlinked = pledge_store.unlinked_ids(s, tracker.id, many)
        assert unlinked == {pledge_id}
        assert evidence.drop_unlinkable_suggestions(s, [*many, *unlinked]) == 1
        assert evidence.list_evidence(s, pledge_id=pledge_id) == []


def test_a_mark_dropped_while_the_linker_writes_it_is_gone_after_both(store: Store) -> None:
    # review: the marks written as a delete and an insert; a drop waiting on the delete (a
    # changed document's ingest, on PostgreSQL) then missed the new row, and the document
    # looked linked
    with store.session() as s:
        marks.set_marks(s, "link", "document", [(7, None)], "v1")

    def drop() -> None:
        with store.session() as s:
            marks.drop_stage_mark(s, "link", "document", 7)

    with store.session() as s:  # the linker's write, not yet committed while the drop waits
        marks.set_marks(s, "link", "document", [(7, None)], "v2")
        waiting = threading.Thread(target=drop)
        waiting.start()
        time.sleep(0.5)
    waiting.join(30)
    assert _marks(store) == 0
