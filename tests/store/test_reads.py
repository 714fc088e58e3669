"""Read functions the public and editors' pages use (issue 11: the web no longer queries itself)."""

from __future__ import annotations

import datetime as dt

from lofte.model import PledgeState, ReviewState
from lofte.store import audit
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.web.conftest import build_site


def test_counts_by_review_state_and_pledge_state(store: Store) -> None:
    site = build_site(store)
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, site.slug)
        assert evidence_store.count_suggested(s, tracker.id) == 3
        evidence_store.change_review_state(
            s, site.ev_pool, ReviewState.ACCEPTED, ReviewState.SUGGESTED
        )
    with store.session() as s:
        assert evidence_store.count_suggested(s, tracker.id) == 2
        everything = pledge_store.list_pledges(s, tracker.id)
        for state in PledgeState:
            expected = sum(p.state is state for p in everything)
            assert pledge_store.count_pledges(s, tracker.id, state) == expected
        assert pledge_store.count_pledges(s, tracker.id, PledgeState.REJECTED) == 1
        assert evidence_store.count_suggested(s, tracker.id + 1000) == 0


def test_a_pledges_events_and_the_log_a_page_at_a_time(store: Store) -> None:
    site = build_site(store)
    with store.session() as s:
        audit.record_event(s, "pledge.edit", "pledge", site.pool, "anna", note="x")
        audit.record_event(s, "evidence.accept", "evidence", site.ev_pool, "anna")
        audit.record_event(s, "evidence.accept", "evidence", site.ev_trees, "bo")  # another pledge
    with store.session() as s:
        mine = audit.pledge_events(s, site.pool)
        assert [(e.action, e.entity_type) for e in mine] == [
            ("pledge.edit", "pledge"),
            ("evidence.accept", "evidence"),
        ]
        every = audit.list_events(s)
        assert audit.count_events(s) == len(every)
        assert audit.count_events(s, "evidence.accept") == 2
        newest = audit.recent_events(s, limit=2)
        assert [e.seq for e in newest] == [e.seq for e in reversed(every)][:2]
        second = audit.recent_events(s, limit=2, offset=2)
        assert [e.seq for e in second] == [e.seq for e in reversed(every)][2:4]
        only = audit.recent_events(s, limit=10, action="evidence.accept")
        assert [e.actor for e in only] == ["bo", "anna"]
        assert audit.actions(s) == sorted({e.action for e in every})


def test_the_current_verdict_rule_on_plain_values() -> None:
    from lofte.store.verdicts import current_verdict_ids

    may, june = dt.datetime(2023, 5, 1), dt.datetime(2025, 6, 1)
    # (verdict id, pledge id, published, moment), in any order: of the published ones, the one
    # about the latest moment; on the same moment the later-recorded (higher id) one
    rows = [(5, 1, False, june), (2, 1, True, may), (3, 1, True, may), (4, 2, False, may)]
    rows += [(1, 3, True, may)]
    assert current_verdict_ids(rows) == {1: 3, 3: 1}
    # recorded later (id 7) about an earlier month (a backdated verdict): history, not current
    assert current_verdict_ids([(6, 1, True, june), (7, 1, True, may)]) == {1: 6}
