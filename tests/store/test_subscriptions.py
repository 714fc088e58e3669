"""Subscriptions: upsert per (user, tracker), removal, deliveries, the conditional advance and
the period's suggestions. Both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ConflictError
from lofte.store import subscriptions as subs
from lofte.store.db import Store
from lofte.store.schema import EvidenceRow, SubscriptionRow
from tests.notify.helpers import NOW, add_suggestion, seed


def test_set_is_an_upsert_that_keeps_the_last_digest_time(store: Store) -> None:
    site = seed(store)
    anna = site.users["anna"]
    with store.session() as s:
        first = subs.set_subscription(
            s, anna, site.tracker_id, email="a@x.example", webhook_url=None, webhook_secret=None
        )
        assert subs.advance(s, first.id, None, NOW)
    with store.session() as s:
        again = subs.set_subscription(
            s,
            anna,
            site.tracker_id,
            email=None,
            webhook_url="https://hooks.example/x",
            webhook_secret="s" * 16,
        )
        assert again.id == first.id
        assert (again.email, again.webhook_url, again.last_sent_at) == (
            None,
            "https://hooks.example/x",
            NOW,
        )
        assert again.username == "anna" and again.tracker_slug == "sjovik"
        assert subs.get_subscription(s, anna, site.tracker_id) == again
        assert subs.get_subscription(s, site.users["bo"], site.tracker_id) is None
        assert [x.id for x in subs.list_subscriptions(s, site.tracker_id)] == [first.id]
        assert subs.list_subscriptions(s, site.tracker_id + 99) == []


def test_a_second_row_for_the_same_user_and_tracker_is_refused(store: Store) -> None:
    site = seed(store)
    with pytest.raises(ConflictError), store.session() as s:
        for _ in range(2):
            s.add(SubscriptionRow(user_id=site.users["anna"], tracker_id=site.tracker_id))
        s.flush()


def test_remove_deletes_the_subscription_and_its_deliveries(store: Store) -> None:
    site = seed(store)
    with store.session() as s:
        sub = subs.set_subscription(
            s,
            site.users["anna"],
            site.tracker_id,
            email="a@x.example",
            webhook_url=None,
            webhook_secret=None,
        )
        for status in ("failed", "sent"):
            subs.add_delivery(
                s, sub.id, channel="email", status=status, attempts=1, error=None, payload={"n": 1}
            )
    with store.session() as s:
        recent = subs.recent_deliveries(s, sub.id)
        assert [d.status for d in recent] == ["sent", "failed"]  # newest first
        assert recent[0].payload == {"n": 1}
        assert subs.remove_subscription(s, site.users["anna"], site.tracker_id)
        assert not subs.remove_subscription(s, site.users["anna"], site.tracker_id)
    with store.session() as s:
        assert subs.recent_deliveries(s, sub.id) == []


def test_advance_only_from_the_value_read(store: Store) -> None:
    site = seed(store)
    with store.session() as s:
        sub = subs.set_subscription(
            s,
            site.users["anna"],
            site.tracker_id,
            email="a@x.example",
            webhook_url=None,
            webhook_secret=None,
        )
    later = NOW + dt.timedelta(hours=1)
    with store.session() as s:
        assert subs.advance(s, sub.id, None, NOW)
    with store.session() as s:
        assert not subs.advance(s, sub.id, None, later)  # a sender that read NULL is stale
        assert not subs.advance(s, sub.id, later, NOW)
        assert subs.advance(s, sub.id, NOW, later)
        assert subs.advance(s, sub.id, later, None)  # and back (a failed delivery)
        found = subs.get_subscription(s, site.users["anna"], site.tracker_id)
        assert found is not None and found.last_sent_at is None


def test_new_suggestions_are_those_still_suggested_in_the_period(store: Store) -> None:
    site = seed(store)
    before = add_suggestion(store, site, "before", NOW - dt.timedelta(days=2))
    inside = add_suggestion(store, site, "inside", NOW - dt.timedelta(hours=1), score=0.5)
    best = add_suggestion(store, site, "best", NOW - dt.timedelta(hours=2), score=0.9)
    decided = add_suggestion(store, site, "decided", NOW - dt.timedelta(hours=1))
    after = add_suggestion(store, site, "after", NOW + dt.timedelta(seconds=1))
    with store.session() as s:
        row = s.get(EvidenceRow, decided)
        assert row is not None
        row.review_state = "accepted"
    with store.session() as s:
        found = subs.new_suggestions(s, site.tracker_id, NOW - dt.timedelta(days=1), NOW)
    assert [f.evidence_id for f in found] == [best, inside]
    assert found[0].document_title == "Nyhet best"
    assert found[0].document_url == "https://news.example/best"
    assert found[0].quote == "Vi ska bygga en ny simhall i Norrvik."
    assert before not in [f.evidence_id for f in found] and after not in [
        f.evidence_id for f in found
    ]
