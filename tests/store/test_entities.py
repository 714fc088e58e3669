"""Store entity modules, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from lofte.errors import ConflictError, NotFoundError, ValidationError
from lofte.model import SourceKind
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store


def test_tracker_round_trip(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(
            s,
            "sthlm-2022",
            "Rödgröna styret",
            jurisdiction="Stockholms stad",
            actors=["S", "V", "MP"],
            term_start=dt.date(2022, 10, 15),
            term_end=dt.date(2026, 10, 14),
        )
    with store.session() as s:
        t = tracker_store.get_tracker(s, "sthlm-2022")
    assert t.actors == ("S", "V", "MP")
    assert t.term_start == dt.date(2022, 10, 15)
    assert t.jurisdiction == "Stockholms stad"


def test_duplicate_tracker_is_a_conflict(store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "a", "A")
    with pytest.raises(ConflictError), store.session() as s:
        tracker_store.add_tracker(s, "a", "A again")


@pytest.mark.parametrize("slug", ["", "Has Space", "ÅÄÖ", "-lead", "x" * 101])
def test_bad_slugs_are_refused(store: Store, slug: str) -> None:
    with pytest.raises(ValidationError), store.session() as s:
        tracker_store.add_tracker(s, slug, "X")


def test_term_must_not_end_before_it_starts(store: Store) -> None:
    with pytest.raises(ValidationError), store.session() as s:
        tracker_store.add_tracker(
            s, "t", "T", term_start=dt.date(2026, 1, 1), term_end=dt.date(2022, 1, 1)
        )


def test_missing_tracker_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError), store.session() as s:
        tracker_store.get_tracker(s, "nope")


def test_ensure_tracker_creates_once(store: Store) -> None:
    with store.session() as s:
        first = tracker_store.ensure_tracker(s, "standard").id
    with store.session() as s:
        assert tracker_store.ensure_tracker(s, "standard").id == first
        assert len(tracker_store.list_trackers(s)) == 1


def test_raw_bytes_are_content_addressed(store: Store) -> None:
    data = "Vi vill bygga fler förskolor.".encode()
    with store.session() as s:
        first = document_store.put_raw(s, data, "text/plain")
        second = document_store.put_raw(s, data, "text/plain")
    assert first == second == hashlib.sha256(data).hexdigest()
    with store.session() as s:
        assert document_store.get_raw(s, first) == data


def test_sources_are_created_once_per_tracker_and_name(store: Store) -> None:
    with store.session() as s:
        t = tracker_store.ensure_tracker(s, "t")
        a = tracker_store.ensure_source(s, t.id, "Pressmeddelanden", SourceKind.NEWS).id
        b = tracker_store.ensure_source(s, t.id, "Pressmeddelanden", SourceKind.NEWS).id
        assert a == b
        assert [x.name for x in tracker_store.list_sources(s, t.id)] == ["Pressmeddelanden"]
