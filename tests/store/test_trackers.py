"""store.trackers: the whole string is a slug, or it is refused; a tracker's making is
audited when someone is named for it."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ValidationError
from lofte.store import audit
from lofte.store.db import Store
from lofte.store.trackers import add_tracker, check_slug, ensure_tracker_id


@pytest.mark.parametrize("slug", ["a", "sthlm", "val-2026", "0x", "a" * 100])
def test_a_slug_passes(slug: str) -> None:
    check_slug(slug)


@pytest.mark.parametrize(
    "slug", ["", "abc\n", "abc\n\n", "\nabc", "abc ", "Abc", "-abc", "a/b", "a" * 101]
)
def test_anything_else_is_refused(slug: str) -> None:
    """ "abc\\n" passed while the pattern was matched with `$` (which also matches before a
    final newline); a slug names URLs and files, so the whole string must be one."""
    with pytest.raises(ValidationError, match="tracker slug"):
        check_slug(slug)


def test_a_tracker_made_by_someone_starts_its_history_with_its_values(store: Store) -> None:
    """Insider QA: `lofte tracker add` and the first ingest into a tracker recorded no event,
    so a tracker's first parties and term were in no history."""
    with store.session() as s:
        made = add_tracker(
            s,
            "sthlm",
            "Stockholm",
            actors=["S", "V"],
            term_start=dt.date(2022, 10, 15),
            actor="anna",
        )
        ingested, new = ensure_tracker_id(s, "nyheter", "bertil")
        assert new
        add_tracker(s, "fixture", "Made by a test fixture")  # nobody named: no event
        events = [e for e in audit.all_events(s) if e.entity_type == "tracker"]
    assert [(e.action, e.entity_id, e.actor) for e in events] == [
        ("tracker.add", made.id, "anna"),
        ("tracker.add", ingested, "bertil"),
    ]
    assert events[0].details["actors"] == ["S", "V"]
    assert events[0].details["term_start"] == "2022-10-15"
