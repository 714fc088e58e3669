"""A tracker is a draft until an editor publishes it; both directions are audited."""

from __future__ import annotations

import pytest

from lofte.errors import ConflictError, NotFoundError, ValidationError
from lofte.publish import pages, visibility
from lofte.review.trackers import publish_tracker, unpublish_tracker
from lofte.store import audit
from lofte.store import trackers as tracker_store
from lofte.store.db import Store


def _new(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "sjovik", "Sjövik")


def test_a_new_tracker_is_a_draft_the_public_cannot_see(store: Store) -> None:
    _new(store)
    with store.session() as s:
        assert tracker_store.get_tracker(s, "sjovik").published_at is None
        assert visibility.public_trackers(s) == []
        assert pages.trackers_overview(s) == []
        with pytest.raises(NotFoundError, match="no tracker named 'sjovik'"):
            pages.tracker_meter(s, "sjovik")


def test_publish_and_unpublish_are_audited_and_not_repeated(store: Store) -> None:
    _new(store)
    published = publish_tracker(store, "sjovik", actor="anna")
    assert published.published_at is not None
    with store.session() as s:
        assert [t.slug for t in visibility.public_trackers(s)] == ["sjovik"]
        assert pages.tracker_meter(s, "sjovik")["tracker"]["slug"] == "sjovik"
    with pytest.raises(ConflictError, match="published already"):
        publish_tracker(store, "sjovik", actor="bo")
    assert unpublish_tracker(store, "sjovik", actor="anna").published_at is None
    with pytest.raises(ConflictError, match="a draft already"):
        unpublish_tracker(store, "sjovik", actor="anna")
    with store.session() as s:
        events = [(e.action, e.actor) for e in audit.recent_events(s, limit=10)]
    assert ("tracker.publish", "anna") in events and ("tracker.unpublish", "anna") in events
    assert ("tracker.publish", "bo") not in events


def test_publishing_needs_an_actor_and_a_tracker(store: Store) -> None:
    _new(store)
    with pytest.raises(ValidationError):
        publish_tracker(store, "sjovik", actor=" ")
    with pytest.raises(NotFoundError):
        publish_tracker(store, "saknas", actor="anna")
