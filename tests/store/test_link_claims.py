"""store.link_claims: one holder at a time, decided by the database's conditional UPDATEs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from lofte.errors import NotFoundError
from lofte.store import link_claims
from lofte.store import trackers as tracker_store
from lofte.store.db import Store

NOW = dt.datetime(2026, 12, 5, 21, 0)
LATER = NOW + dt.timedelta(minutes=10)


def _tracker(store: Store, slug: str = "t") -> int:
    with store.session() as s:
        return tracker_store.add_tracker(s, slug, slug.upper()).id


def _claim(store: Store, tracker_id: int, holder: str, now: dt.datetime, **kw: str) -> bool:
    with store.session() as s:
        return link_claims.claim(s, tracker_id, holder, now, now + dt.timedelta(minutes=10), **kw)


def test_one_holder_until_it_releases(store: Store) -> None:
    tid = _tracker(store)
    assert _claim(store, tid, "a", NOW)
    assert not _claim(store, tid, "b", NOW + dt.timedelta(minutes=1))
    with store.session() as s:
        held = link_claims.current(s, tid)
        assert held == link_claims.Claim("a", NOW, LATER)
        assert not link_claims.release(s, tid, "b")  # only the holder frees it
        assert not link_claims.renew(s, tid, "b", LATER)
        assert link_claims.renew(s, tid, "a", LATER + dt.timedelta(minutes=5))
    assert not _claim(store, tid, "b", LATER + dt.timedelta(minutes=1))  # renewed: still held
    with store.session() as s:
        assert link_claims.release(s, tid, "a")
        assert link_claims.current(s, tid) is None
    assert _claim(store, tid, "b", NOW)


def test_a_lease_that_ran_out_or_a_dead_holder_is_taken_over(store: Store) -> None:
    tid = _tracker(store)
    assert _claim(store, tid, "a", NOW)
    assert not _claim(store, tid, "b", NOW + dt.timedelta(minutes=9))
    assert not _claim(store, tid, "b", NOW, dead="c")  # naming another holder dead: no
    assert _claim(store, tid, "b", NOW, dead="a")
    assert _claim(store, tid, "c", NOW + dt.timedelta(minutes=11))  # b's lease ran out
    with store.session() as s:
        assert not link_claims.renew(s, tid, "b", LATER)  # b lost it
        assert link_claims.current(s, tid) == link_claims.Claim(
            "c", NOW + dt.timedelta(minutes=11), NOW + dt.timedelta(minutes=21)
        )


def test_claims_of_two_trackers_are_apart(store: Store) -> None:
    one, two = _tracker(store, "one"), _tracker(store, "two")
    assert _claim(store, one, "a", NOW) and _claim(store, two, "b", NOW)


def test_racing_claims_have_one_winner(store: Store) -> None:
    """Eight rounds of four threads, each with its own session, claiming a new tracker at
    the same moment (the first also inserts its row): exactly one wins each round."""
    for round_ in range(8):
        tid = _tracker(store, f"r{round_}")
        start = threading.Barrier(4)
        won: list[str] = []
        failed: list[BaseException] = []

        def take(
            name: str,
            tid: int = tid,
            start: threading.Barrier = start,
            won: list[str] = won,
            failed: list[BaseException] = failed,
        ) -> None:
            try:
                start.wait()
                if _claim(store, tid, name, NOW):
                    won.append(name)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failed.append(exc)

        threads = [threading.Thread(target=take, args=(f"h{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failed and len(won) == 1, (failed, won)
        with store.session() as s:
            held = link_claims.current(s, tid)
            assert held is not None and held.holder == won[0]


def test_a_claim_on_no_tracker_is_not_found_not_held_by_another(store: Store) -> None:
    """The claim's row could not be inserted for a tracker that is gone (its foreign key): that
    was swallowed as if another run had inserted it, and the claim then read as held."""
    gone = _tracker(store) + 100
    with pytest.raises(NotFoundError, match=f"no tracker with id {gone}"):
        _claim(store, gone, "a", NOW)
