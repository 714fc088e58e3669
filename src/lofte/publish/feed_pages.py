"""Page data for the feeds that follow one party or one policy area of a tracker: the newest
published verdicts of its public pledges, newest first (the shape of `pages.verdict_changes`).

Built from the tracker's cached public view, so the same visibility rules hold as on the pages:
a draft tracker, and a party or an area no public pledge has, are NotFoundError (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import NotFoundError
from ..model import Pledge, Tracker
from ..store import verdicts as verdict_store
from ..store.db import Session
from . import cache, visibility
from .matching import match_key, same_name, spelled
from .meter import area_spellings
from .pages import change_records, public_view, tracker_dict

FEED_ITEMS = 50


def _changes(
    session: Session,
    slug: str,
    name: str,
    chosen: Callable[[Pledge], bool],
    limit: int,
    known: Callable[[Tracker], str | None] = lambda _: None,
) -> tuple[dict[str, Any], list[Pledge], str | None]:
    """The changes of the chosen pledges; NotFoundError when none is chosen and `known` does
    not name the thing anyway (a party among the tracker's actors has a page, pledges or not)."""
    tracker = visibility.public_tracker(session, slug)
    now = cache.fresh(session, tracker)
    pledges = [p for p in public_view(session, now).pledges if chosen(p)]
    named = known(tracker)
    if not pledges and named is None:
        raise NotFoundError(f"no {name} in tracker {slug!r}")
    shown = {p.id for p in pledges}

    def compute() -> dict[str, Any]:
        changes = [
            c
            for c in verdict_store.recent_changes(session, tracker.id, None)
            if c.verdict.pledge_id in shown
        ]
        return {"tracker": tracker_dict(tracker), "changes": change_records(changes, limit)}

    # per party or area and tracker stamp: a feed reader's poll reads no verdicts
    return cache.cached(session, f"feed {name}", now, compute, extra=limit), pledges, named


def party_changes(
    session: Session, slug: str, party: str, limit: int = FEED_ITEMS
) -> dict[str, Any]:
    """Verdict changes of the public pledges of `party` (matched as the pledge list matches
    it, `match_key`), spelled as the pledges spell it."""
    wanted = bool(match_key(party))
    data, pledges, actor = _changes(
        session,
        slug,
        f"party {party!r}",
        lambda p: wanted and same_name(p.party, party),
        limit,
        lambda t: spelled(party, t.actors),
    )
    return data | {"party": actor or pledges[0].party}


def area_changes(session: Session, slug: str, area: str, limit: int = FEED_ITEMS) -> dict[str, Any]:
    """Verdict changes of the public pledges of policy area `area` (as the pledge list's
    area filter matches it, `match_key`), named as the pledges spell it."""
    wanted = bool(match_key(area))
    data, pledges, _ = _changes(
        session, slug, f"area {area!r}", lambda p: wanted and same_name(p.area, area), limit
    )
    # named as the meter names it: its most used spelling (review: the first pledge's)
    return data | {"area": area_spellings(pledges)[match_key(area)]}
