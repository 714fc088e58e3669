"""Publishing a tracker: a tracker is a draft (not on the public site) until an editor
publishes it. Both directions are audited; the store's conditional UPDATE makes a double
publish a ConflictError rather than a second event."""

from __future__ import annotations

from ..errors import ValidationError
from ..model import Tracker
from ..store import trackers as tracker_store
from ..store.db import Store


def _actor(actor: str) -> str:
    if not actor or not actor.strip():
        raise ValidationError("publishing a tracker needs an actor (who does it)")
    return actor.strip()


def publish_tracker(store: Store, slug: str, *, actor: str) -> Tracker:
    """Make the tracker public (its pages, feeds, API and widget)."""
    with store.session() as session:
        return tracker_store.set_tracker_published(session, slug, True, actor=_actor(actor))


def unpublish_tracker(store: Store, slug: str, *, actor: str) -> Tracker:
    """Take the tracker back to draft: the public gets 404, editors still see it."""
    with store.session() as session:
        return tracker_store.set_tracker_published(session, slug, False, actor=_actor(actor))
