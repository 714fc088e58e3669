"""store.logins: the failed-login counts behind review.login_throttle, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from lofte.store import logins as login_store
from lofte.store.db import Store

T0 = dt.datetime(2027, 1, 15, 12, 0, 0)


def _count(store: Store, scope: str, key: str, at: dt.datetime, forget_before: dt.datetime) -> int:
    with store.session() as s:
        return login_store.count_failure(s, scope, key, at, forget_before)


def test_failures_are_counted_per_scope_and_key(store: Store) -> None:
    old = T0 - dt.timedelta(hours=1)
    assert _count(store, "address", "10.0.0.1", T0, old) == 1
    assert _count(store, "address", "10.0.0.1", T0 + dt.timedelta(seconds=1), old) == 2
    assert _count(store, "user", "anna", T0, old) == 1
    with store.session() as s:
        recent = login_store.recent_failures(
            s, [("address", "10.0.0.1"), ("user", "anna"), ("pair", "anna 10.0.0.1")], old
        )
    assert recent == {"address": (2, T0 + dt.timedelta(seconds=1)), "user": (1, T0)}
    with store.session() as s:  # only failures after the cutoff count as recent
        assert login_store.recent_failures(s, [("user", "anna")], T0) == {}


def test_a_count_older_than_the_window_starts_again(store: Store) -> None:
    _count(store, "address", "a", T0, T0 - dt.timedelta(minutes=15))
    _count(store, "address", "a", T0, T0 - dt.timedelta(minutes=15))
    later = T0 + dt.timedelta(minutes=20)
    assert _count(store, "address", "a", later, later - dt.timedelta(minutes=15)) == 1


def test_a_claim_succeeds_once_for_a_reading(store: Store) -> None:
    _count(store, "address", "a", T0, T0 - dt.timedelta(hours=1))
    now = T0 + dt.timedelta(seconds=5)
    with store.session() as s:
        assert login_store.claim(s, "address", "a", 1, T0, now)
    with store.session() as s:  # the same reading again: the row has moved on
        assert not login_store.claim(s, "address", "a", 1, T0, now)
    with store.session() as s:
        assert login_store.recent_failures(s, [("address", "a")], T0) == {"address": (1, now)}


def test_forget_and_forget_before(store: Store) -> None:
    old = T0 - dt.timedelta(hours=1)
    for scope, key in (("user", "anna"), ("pair", "anna x"), ("address", "x")):
        _count(store, scope, key, T0, old)
    _count(store, "address", "y", T0 + dt.timedelta(minutes=30), old)
    keys = [("user", "anna"), ("pair", "anna x"), ("address", "x"), ("address", "y")]
    with store.session() as s:
        login_store.forget(s, [("user", "anna"), ("pair", "anna x")])
    with store.session() as s:
        assert set(login_store.recent_failures(s, keys, old)) == {"address"}
        login_store.forget_before(s, T0)
    with store.session() as s:
        assert login_store.recent_failures(s, keys, old) == {
            "address": (1, T0 + dt.timedelta(minutes=30))
        }
