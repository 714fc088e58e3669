from __future__ import annotations

import datetime as dt
import threading

import pytest

from lofte.errors import ConflictError, NotFoundError, ValidationError
from lofte.model import SourceKind
from lofte.sources.fetch import Validators
from lofte.store import trackers as tracker_store
from lofte.store import watched
from lofte.store.db import Session, Store
from lofte.store.documents import put_raw
from lofte.store.schema import DocumentRow, SourceRow
from tests.interleave import meanwhile

T0 = dt.datetime(2026, 1, 5, 8, 0)
HOUR = dt.timedelta(hours=1)


def _tracker(store: Store, slug: str = "stad") -> int:
    with store.session() as s:
        return tracker_store.add_tracker(s, slug, slug).id


def _add(store: Store, tracker_id: int, name: str = "nyheter", every: int = 3600) -> int:
    with store.session() as s:
        return watched.add_source(
            s, tracker_id, name, "https://example.se/nyheter", SourceKind.NEWS, every_seconds=every
        ).id


def test_add_get_list_with_last_run(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    _add(store, tid, "beslut")
    with store.session() as s:
        got = watched.get_source(s, tid, "nyheter")
        assert (got.id, got.url, got.shape, got.every_seconds, got.tracker) == (
            sid,
            "https://example.se/nyheter",
            "auto",
            3600,
            "stad",
        )
        assert got.next_due_at is None and not got.paused and got.failures == 0
        for status, new in (("ok", 3), ("failed", 0)):
            error = "boom" if new == 0 else None
            watched.record_run(
                s, sid, watched.NewRun(T0, T0, status, fetched=1, new=new, error=error)
            )
        rows = {r.source.name: r for r in watched.list_with_last_run(s, tid)}
    assert set(rows) == {"nyheter", "beslut"}
    assert rows["beslut"].last_run is None
    last = rows["nyheter"].last_run
    assert last is not None and last.status == "failed" and last.error == "boom"


def test_duplicate_names_conflict_and_unknown_names_are_not_found(store: Store) -> None:
    tid = _tracker(store)
    _add(store, tid)
    with pytest.raises(ConflictError), store.session() as s:
        watched.add_source(s, tid, "nyheter", "https://x.se", SourceKind.NEWS, every_seconds=60)
    with pytest.raises(NotFoundError), store.session() as s:
        watched.get_source(s, tid, "finns inte")
    with pytest.raises(ValidationError), store.session() as s:
        watched.add_source(
            s, tid, "x", "https://x.se", SourceKind.NEWS, every_seconds=60, shape="pdf"
        )


def test_an_ingest_label_becomes_watched(store: Store) -> None:
    tid = _tracker(store)
    with store.session() as s:
        label = tracker_store.ensure_source(s, tid, "pressrum", SourceKind.NEWS, "fil.txt")
        assert watched.list_sources(s, tid) == []  # a label is not watched
        added = watched.add_source(
            s, tid, "pressrum", "https://x.se/press", SourceKind.DECISION, every_seconds=600
        )
    assert added.id == label.id and added.kind is SourceKind.DECISION


def test_due_sources_skip_paused_and_future_ones(store: Store) -> None:
    tid = _tracker(store)
    due_now, later, paused = (_add(store, tid, n) for n in ("a", "b", "c"))
    with store.session() as s:
        s.get(SourceRow, later).next_due_at = T0 + HOUR  # type: ignore[union-attr]
        watched.set_paused(s, paused, True)
    with store.session() as s:
        assert [x.id for x in watched.due_sources(s, T0)] == [due_now]
        assert [x.id for x in watched.due_sources(s, T0 + HOUR)] == [due_now, later]
        assert {x.id for x in watched.due_sources(s, T0, force=True)} == {due_now, later}
        assert watched.next_due_time(s, tid) == T0 + HOUR


def test_pause_twice_conflicts_and_resume_makes_it_due(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    with store.session() as s:
        s.get(SourceRow, sid).next_due_at = T0 + HOUR  # type: ignore[union-attr]
    with store.session() as s:
        assert watched.set_paused(s, sid, True).paused
    with pytest.raises(ConflictError, match="paused already"), store.session() as s:
        watched.set_paused(s, sid, True)
    with store.session() as s:
        resumed = watched.set_paused(s, sid, False)
    assert not resumed.paused and resumed.next_due_at is None


def test_claim_is_won_once(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    with store.session() as s:
        run_id = watched.claim(s, sid, None, T0 + HOUR, T0)
        assert run_id is not None
    with store.session() as s:
        assert watched.claim(s, sid, None, T0 + HOUR, T0) is None  # it saw the old value
        assert watched.due_sources(s, T0) == []  # leased: not due until the lease ends
        # forced, it is still left alone while its run is in progress
        assert watched.due_sources(s, T0, force=True, busy_since=T0 - HOUR) == []
        assert [x.id for x in watched.due_sources(s, T0, force=True)] == [sid]
        (running,) = watched.recent_runs(s, sid)
        assert (running.id, running.status) == (run_id, "running")


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    with store.session() as s:
        first = watched.claim(s, sid, None, T0 + HOUR, T0)
    # the process died; after the lease the source is due and another process claims it
    with store.session() as s:
        (due,) = watched.due_sources(s, T0 + 2 * HOUR)
        second = watched.claim(s, sid, due.next_due_at, T0 + 3 * HOUR, T0 + 2 * HOUR)
    assert first is not None and second is not None
    with store.session() as s:
        runs = {r.id: r for r in watched.recent_runs(s, sid)}
    assert runs[first].status == "failed" and "interrupted" in (runs[first].error or "")
    assert runs[second].status == "running"


def test_two_threads_claiming_at_once_one_wins(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def claim(n: int) -> None:
        barrier.wait()
        with store.session() as s:
            results.append(watched.claim(s, sid, None, T0 + n * HOUR, T0) is not None)

    threads = [threading.Thread(target=claim, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [False, True]


def test_finish_run_keeps_a_schedule_changed_meanwhile(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    lease = T0 + HOUR
    with store.session() as s:
        run_id = watched.claim(s, sid, None, lease, T0)
        assert run_id is not None
    with store.session() as s:
        run = watched.NewRun(T0, T0, "ok", fetched=1)
        watched.finish_run(s, run_id, run, lease=lease, next_due_at=T0 + 6 * HOUR, failures=0)
        assert watched.get_source_by_id(s, sid).next_due_at == T0 + 6 * HOUR
    with store.session() as s:  # a second finish without the lease leaves the schedule alone
        run = watched.NewRun(T0, T0, "failed", error="x")
        watched.finish_run(s, run_id, run, lease=lease, next_due_at=T0 + 99 * HOUR, failures=5)
        source = watched.get_source_by_id(s, sid)
        assert (source.next_due_at, source.failures) == (T0 + 6 * HOUR, 0)
        (recorded,) = watched.recent_runs(s, sid)
        assert (recorded.status, recorded.error) == ("failed", "x")


def test_edit_and_remove(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    other = _add(store, tid, "annan")
    with store.session() as s:
        before, after = watched.edit_source(s, sid, url="https://x.se/ny", every_seconds=7200)
        assert (before.url, after.url, after.every_seconds) == (
            "https://example.se/nyheter",
            "https://x.se/ny",
            7200,
        )
    with pytest.raises(ConflictError), store.session() as s:
        watched.edit_source(s, sid, name="annan")
    with store.session() as s:
        _document_from(s, tid, sid, "u")
        s.flush()
        watched.remove_source(s, sid)
        watched.remove_source(s, other)
    with store.session() as s:
        assert watched.list_sources(s, tid) == []
        # the source with documents stays as their label; the other is gone
        assert s.get(SourceRow, sid) is not None and s.get(SourceRow, other) is None


def test_stored_urls_by_url_or_origin(store: Store) -> None:
    tid = _tracker(store)
    other = _tracker(store, "annan")
    from lofte.store.documents import put_raw

    with store.session() as s:
        raw = put_raw(s, b"x", "text/plain")
        for n, (tracker, origin, url) in enumerate(
            (
                (tid, "https://x.se/feed", "https://x.se/a"),
                (tid, "https://x.se/b", None),
                (other, "https://x.se/c", None),
            )
        ):
            s.add(
                DocumentRow(
                    tracker_id=tracker,
                    origin=origin,
                    url=url,
                    item_key=str(n),
                    kind="news",
                    title="t",
                    body="b",
                    content_hash=str(n),
                    raw_sha256=raw,
                    stage="parse:test",
                    stage_version="1",
                )
            )
        s.flush()
        found = watched.stored_urls(s, tid, ["https://x.se/a", "https://x.se/b", "https://x.se/c"])
    assert found == {"https://x.se/a", "https://x.se/b"}


def test_stored_validators(store: Store) -> None:
    sid = _add(store, _tracker(store))
    cache = watched.StoredValidators(store, sid)
    assert cache.get("https://x.se/") is None
    cache.put("https://x.se/", Validators('"e1"', None))
    cache.put("https://x.se/", Validators('"e2"', "Mon, 03 Nov 2025 10:00:00 GMT"))
    assert cache.get("https://x.se/") == Validators('"e2"', "Mon, 03 Nov 2025 10:00:00 GMT")
    cache.forget("https://x.se/")
    assert cache.get("https://x.se/") is None


def test_validators_are_kept_per_source(store: Store) -> None:
    """Two sources on one URL must not answer each other's conditional GETs."""
    first = _add(store, _tracker(store, "stad"))
    second = _add(store, _tracker(store, "region"))
    watched.StoredValidators(store, first).put("https://example.se/nyheter", Validators('"e1"'))
    assert watched.StoredValidators(store, second).get("https://example.se/nyheter") is None
    watched.StoredValidators(store, second).put("https://example.se/nyheter", Validators('"e2"'))
    assert watched.StoredValidators(store, first).get("https://example.se/nyheter") == (
        Validators('"e1"')
    )


@pytest.mark.parametrize(
    ("change", "cleared"),
    [
        ({"url": "https://example.se/ny"}, True),
        ({"shape": "listing"}, True),
        ({"kind": SourceKind.DECISION}, True),
        ({"publisher": "Staden"}, False),
        ({"every_seconds": 7200}, False),
    ],
)
def test_editing_what_is_fetched_clears_the_validators(
    store: Store, change: dict[str, object], cleared: bool
) -> None:
    sid = _add(store, _tracker(store))
    cache = watched.StoredValidators(store, sid)
    cache.put("https://example.se/nyheter", Validators('"e1"'))
    with store.session() as s:
        watched.edit_source(s, sid, **change)
    assert (cache.get("https://example.se/nyheter") is None) is cleared


@pytest.mark.parametrize("with_documents", [False, True])
def test_a_removed_and_re_added_source_starts_without_validators(
    store: Store, with_documents: bool
) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)
    watched.StoredValidators(store, sid).put("https://example.se/nyheter", Validators('"e1"'))
    if with_documents:  # the row stays as the documents' label
        with store.session() as s:
            _document_from(s, tid, sid, "https://example.se/a")
    with store.session() as s:
        watched.remove_source(s, sid)
    again = _add(store, tid)
    assert watched.StoredValidators(store, again).get("https://example.se/nyheter") is None


def _finished(store: Store, sid: int, failed: list[str], given_up: tuple[str, ...] = ()) -> None:
    details = {
        "items_failed": [{"url": u, "error": "HTTP 404"} for u in failed],
        "items_given_up": list(given_up),
    }
    with store.session() as s:
        watched.record_run(s, sid, watched.NewRun(T0, T0, "ok", details=details))


def test_an_item_failing_in_the_last_three_runs_is_given_up(store: Store) -> None:
    sid = _add(store, _tracker(store))
    with store.session() as s:
        assert watched.given_up_urls(s, sid) == set()
    _finished(store, sid, ["https://x.se/a", "https://x.se/b"])
    _finished(store, sid, ["https://x.se/a", "https://x.se/b"])
    with store.session() as s:
        assert watched.given_up_urls(s, sid) == set()  # two runs only
        watched.record_run(s, sid, watched.NewRun(T0, T0, "not_modified"))  # not counted
    _finished(store, sid, ["https://x.se/a"])
    with store.session() as s:
        assert watched.given_up_urls(s, sid) == {"https://x.se/a"}
    _finished(store, sid, [], ("https://x.se/a",))  # given up stays given up
    with store.session() as s:
        assert watched.given_up_urls(s, sid) == {"https://x.se/a"}


def test_a_lease_is_renewed_only_by_its_holder(store: Store) -> None:
    sid = _add(store, _tracker(store))
    with store.session() as s:
        assert watched.claim(s, sid, None, T0 + HOUR, T0) is not None
    with store.session() as s:
        assert watched.renew_lease(s, sid, T0 + HOUR, T0 + 2 * HOUR)
    with store.session() as s:  # the lease ran out: another process takes the source over
        assert watched.claim(s, sid, T0 + 2 * HOUR, T0 + 5 * HOUR, T0 + 3 * HOUR) is not None
    with store.session() as s:
        assert not watched.renew_lease(s, sid, T0 + 2 * HOUR, T0 + 4 * HOUR)
        assert watched.get_source_by_id(s, sid).next_due_at == T0 + 5 * HOUR


def _document_from(s: Session, tracker_id: int, source_id: int, origin: str) -> None:
    """A stored document that names the source (it stays their label when removed)."""
    s.add(
        DocumentRow(
            tracker_id=tracker_id,
            source_id=source_id,
            origin=origin,
            item_key="0",
            kind="news",
            title="t",
            body="b",
            content_hash="h",
            raw_sha256=put_raw(s, b"x", "text/plain"),
            stage="parse:test",
            stage_version="1",
        )
    )


# --- another process's change between the reads and the first write (tests/interleave.py) ----


def test_a_label_made_watched_meanwhile_is_not_added_again(store: Store) -> None:
    """Both requests read the ingest label as unwatched; the other one made it watched first.
    This one must lose as it would one after the other, not overwrite its URL and schedule."""
    tid = _tracker(store)
    with store.session() as s:
        tracker_store.ensure_source(s, tid, "pressrum", SourceKind.NEWS, "fil.txt")

    def other() -> None:
        with store.session() as s:
            watched.add_source(
                s, tid, "pressrum", "https://x.se/forst", SourceKind.NEWS, every_seconds=600
            )

    late = ("pressrum", "https://x.se/sist", SourceKind.DECISION)
    with (
        meanwhile(store, other) as seen,
        pytest.raises(ConflictError, match="already"),
        store.session() as s,
    ):
        watched.add_source(s, tid, *late, every_seconds=60)
    assert seen
    with store.session() as s:
        source = watched.get_source(s, tid, "pressrum")
    assert (source.url, source.every_seconds) == ("https://x.se/forst", 600)


def test_a_source_removed_meanwhile_is_not_removed_again(store: Store) -> None:
    tid = _tracker(store)
    sid = _add(store, tid)

    def other() -> None:
        with store.session() as s:
            watched.remove_source(s, sid)

    with meanwhile(store, other) as seen, pytest.raises(NotFoundError), store.session() as s:
        watched.remove_source(s, sid)
    assert seen
    with store.session() as s:
        assert s.get(SourceRow, sid) is None
