"""The tracker stamp (store/freshness.py) is read before every kept page and API answer: its
pledge part reads one index, not every pledge row of the tracker (migration 0015)."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import sqlite

from lofte.store import freshness
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def test_the_stamp_s_pledge_part_reads_the_index_alone(sqlite_store: Store) -> None:
    pledge_with_evidence(sqlite_store)
    statement = freshness._stamp_statement().compile(dialect=sqlite.dialect())
    sql = str(statement)
    with sqlite_store.engine.connect() as conn:
        steps = [
            str(row[-1])
            for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {sql}", (1,) * sql.count("?")
            ).all()
        ]
    on_pledges = [s for s in steps if " pledges " in f"{s} "]
    assert on_pledges, steps
    # count, newest id, version sum and newest change: each from an index, none from the rows
    assert all("COVERING INDEX" in s for s in on_pledges), on_pledges
    assert any("ix_pledges_tracker_modified" in s for s in on_pledges), on_pledges


@pytest.mark.parametrize("change", ["version", "modified_at"])
def test_a_pledge_change_moves_the_stamp(store: Store, change: str) -> None:
    import datetime as dt

    from lofte.store.schema import PledgeRow

    pledge_id, _ = pledge_with_evidence(store)
    with store.session() as s:
        tracker_id = s.get(PledgeRow, pledge_id).tracker_id  # type: ignore[union-attr]
        before = freshness.tracker_stamp(s, tracker_id)
    with store.session() as s:
        row = s.get(PledgeRow, pledge_id)
        assert row is not None
        if change == "version":
            row.version += 1
        else:
            row.modified_at = row.modified_at + dt.timedelta(seconds=1)
    with store.session() as s:
        assert freshness.tracker_stamp(s, tracker_id) != before
