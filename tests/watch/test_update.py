"""`update` against a local HTTP server: new items, 304s, failures, back-off, claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from lofte.model import SourceKind
from lofte.store import watched
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, SourceRunRow
from lofte.watch import schedule
from lofte.watch.update import UpdateProgress, update
from tests.localweb import LocalSite
from tests.watch.pages import (
    T0,
    article,
    fail,
    listing,
    make_tracker,
    one_site,
    polite,
    rss,
    serve,
    settings_for,
    sitemap,
)

HOUR = dt.timedelta(hours=1)


def _watch(store: Store, tracker_id: int, url: str, name: str = "nyheter", **kw: Any) -> int:
    with store.session() as s:
        return watched.add_source(
            s, tracker_id, name, url, kw.pop("kind", SourceKind.NEWS), every_seconds=6 * 3600, **kw
        ).id


def _articles(site: LocalSite, numbers: range) -> None:
    for n in numbers:
        serve(site, f"/a/{n}", article(f"Nyhet nummer {n} om skolan"))


def _three_items(site: LocalSite, path: str = "/nyheter", *, articles: bool = True) -> None:
    """A listing of three news items (/a/1 … /a/3), with their article pages unless told not."""
    serve(site, path, listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2, 3)]))
    if articles:
        _articles(site, range(1, 4))


def _origins(store: Store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(DocumentRow.origin)))


def _run(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("link_evidence", False)
    return update(*args, **kwargs)


def test_listing_new_items_then_one_conditional_request(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        serve(
            site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2, 3)], "/nyheter/2")
        )
        serve(site, "/nyheter/2", listing([(f"/a/{n}", f"Nyhet {n}") for n in (4, 5, 6)]))
        _articles(site, range(1, 8))
        _watch(store, tid, site.url("/nyheter"))
        settings, politeness = settings_for(site), polite()

        first = _run(store, settings=settings, now=T0, politeness=politeness)
        (outcome,) = first.sources
        assert (outcome.status, outcome.new, outcome.failed, outcome.fetched) == ("ok", 6, 0, 8)
        assert _origins(store) == {site.url(f"/a/{n}") for n in range(1, 7)}
        assert outcome.next_due_at == T0 + 6 * HOUR and first.ok

        # not due yet: nothing happens
        assert _run(store, settings=settings, now=T0 + HOUR, politeness=politeness).sources == ()

        # due again, unchanged on the server: one conditional request, a 304, nothing new
        seen_before = len(site.seen)
        second = _run(store, settings=settings, now=T0 + 7 * HOUR, politeness=politeness)
        (outcome,) = second.sources
        assert (outcome.status, outcome.fetched, outcome.new) == ("not_modified", 1, 0)
        assert site.seen[seen_before:] == ["/nyheter"]

        # a new item on the first page: it is fetched, page 2 is read once (no new item there:
        # the pager stops)
        serve(
            site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (7, 1, 2)], "/nyheter/2")
        )
        seen_before = len(site.seen)
        third = _run(store, settings=settings, now=T0 + 14 * HOUR, politeness=politeness)
        (outcome,) = third.sources
        assert (outcome.status, outcome.new, outcome.unchanged) == ("ok", 1, 5)
        assert site.seen[seen_before:] == ["/nyheter", "/a/7", "/nyheter/2"]
    with store.session() as s:
        runs = s.scalars(select(SourceRunRow).order_by(SourceRunRow.id)).all()
        assert [r.status for r in runs] == ["ok", "not_modified", "ok"]
        assert [r.new for r in runs] == [6, 0, 1]
        kinds = set(s.scalars(select(DocumentRow.kind)))
        assert kinds == {"news"}


def test_a_failing_source_backs_off_and_records_its_error(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        fail(site, "/nere", 503)
        sid = _watch(store, tid, site.url("/nere"))
        settings, politeness = settings_for(site), polite()
        report = _run(store, settings=settings, now=T0, politeness=politeness)
        (outcome,) = report.sources
        assert outcome.status == "failed" and "503" in (outcome.error or "")
        assert outcome.failures == 1 and not report.ok
        assert outcome.next_due_at == T0 + dt.timedelta(
            seconds=schedule.backoff_seconds(6 * 3600, 1)
        )
        second = _run(store, settings=settings, now=outcome.next_due_at, politeness=politeness)
        assert second.sources[0].failures == 2
        assert second.sources[0].next_due_at == outcome.next_due_at + 24 * HOUR
        # the source comes back: failures reset, the interval again
        _three_items(site, "/nere")
        later = second.sources[0].next_due_at
        third = _run(store, settings=settings, now=later, politeness=politeness)
        assert (third.sources[0].status, third.sources[0].failures) == ("ok", 0)
        assert third.sources[0].next_due_at == later + 6 * HOUR
    with store.session() as s:
        runs = watched.recent_runs(s, sid)
        assert [r.status for r in runs] == ["ok", "failed", "failed"]
        assert "503" in (runs[-1].error or "")
        assert watched.get_source_by_id(s, sid).failures == 0


def test_a_failing_item_does_not_stop_the_others_and_is_retried(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site, articles=False)
        serve(site, "/a/1", article("Första nyheten"))
        fail(site, "/a/2", 404)
        serve(site, "/a/3", article("Tredje nyheten"))
        sid = _watch(store, tid, site.url("/nyheter"))
        settings, politeness = settings_for(site), polite()
        (outcome,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (outcome.status, outcome.new, outcome.failed) == ("ok", 2, 1)
        assert outcome.items_failed[0].url == site.url("/a/2")
        assert "404" in outcome.items_failed[0].error
        with store.session() as s:
            (run,) = watched.recent_runs(s, sid)
            assert run.details["items_failed"][0]["url"] == site.url("/a/2")
        # the listing's validators were not kept: the next run reads it again and gets the item
        serve(site, "/a/2", article("Andra nyheten"))
        (again,) = _run(store, settings=settings, now=T0 + 6 * HOUR, politeness=politeness).sources
        assert (again.status, again.new, again.failed, again.unchanged) == ("ok", 1, 0, 2)


def test_a_feed_is_ingested_as_it_is_and_idempotently(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        entries = [(f"https://example.org/p/{n}", f"Pressmeddelande {n}") for n in (1, 2)]
        site.page("/feed.xml", rss(entries), "application/rss+xml")  # no ETag: always 200
        _watch(store, tid, site.url("/feed.xml"), "press", kind=SourceKind.DECISION)
        settings, politeness = settings_for(site), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (first.new, first.fetched, first.unchanged) == (2, 1, 0)
        (second,) = _run(
            store, settings=settings, force=True, now=T0, politeness=politeness
        ).sources
        assert (second.status, second.new, second.unchanged) == ("ok", 0, 2)
    with store.session() as s:
        rows = s.scalars(select(DocumentRow)).all()
        assert {r.url for r in rows} == {e[0] for e in entries}
        assert {r.kind for r in rows} == {"decision"}
        assert all(r.source_id is not None for r in rows)


def test_sitemap_and_the_item_cap(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        urls = [(site.url(f"/a/{n}"), f"2025-0{n}-01") for n in (1, 2, 3)]
        serve(site, "/sitemap.xml", sitemap(urls), "application/xml")
        _articles(site, range(1, 4))
        _watch(store, tid, site.url("/sitemap.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site, watch_max_items=2), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (first.new, first.capped) == (2, True)
        assert _origins(store) == {site.url("/a/3"), site.url("/a/2")}  # newest first
        (second,) = _run(store, settings=settings, now=T0 + 6 * HOUR, politeness=politeness).sources
        assert (second.status, second.new, second.capped) == ("ok", 1, False)


def test_a_source_another_process_runs_is_left_alone_even_forced(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site, articles=False)
        sid = _watch(store, tid, site.url("/nyheter"))
        with store.session() as s:  # another process claimed it and is running it
            assert watched.claim(s, sid, None, T0 + 2 * HOUR, T0) is not None
        report = _run(store, settings=settings_for(site), now=T0, force=True, politeness=polite())
        assert report.sources == ()
        assert report.skipped == ("stad/nyheter",)  # said so (found by QA: nothing was said)
        assert "/nyheter" not in site.seen


def test_a_source_claimed_between_reading_and_claiming_is_skipped(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site, articles=False)
        sid = _watch(store, tid, site.url("/nyheter"))
        read = watched.due_sources
        raced: list[bool] = []

        def read_then_lose_the_race(*args: Any, **kwargs: Any) -> Any:
            due = read(*args, **kwargs)
            if not raced:  # the other process claims right after our first read
                with store.session() as s:
                    assert watched.claim(s, sid, None, T0 + 2 * HOUR, T0) is not None
                raced.append(True)
            return due

        monkeypatch.setattr(watched, "due_sources", read_then_lose_the_race)
        report = _run(store, settings=settings_for(site), now=T0, politeness=polite())
        assert report.sources == () and report.skipped == ("stad/nyheter",)
        assert "/nyheter" not in site.seen


def test_two_updates_at_once_run_a_source_once(store: Store) -> None:
    import threading

    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site)
        _watch(store, tid, site.url("/nyheter"))
        settings = settings_for(site)
        barrier = threading.Barrier(2)
        reports: list[Any] = []

        def run() -> None:
            barrier.wait()
            reports.append(_run(store, settings=settings, now=T0, politeness=polite()))

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ran = [o for r in reports for o in r.sources]
        skipped = [name for r in reports for name in r.skipped]
        assert len(reports) == 2 and len(ran) + len(skipped) <= 2
        assert len(ran) == 1
        assert site.seen.count("/nyheter") == 1
        assert len(_origins(store)) == 3


def test_new_documents_are_linked_per_tracker(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        site.page(
            "/feed.xml", rss([("https://example.org/p/1", "Ett beslut")]), "application/rss+xml"
        )
        _watch(store, tid, site.url("/feed.xml"), "press")
        report = update(
            store, settings=settings_for(site), now=T0, politeness=polite(), dense=False
        )
        assert report.linked == ("stad",) and report.errors == ()
        # nothing new: nothing to link
        report = update(
            store, settings=settings_for(site), now=T0, force=True, politeness=polite(), dense=False
        )
        assert report.linked == ()


def test_a_tracker_another_link_run_holds_is_no_failure_of_the_update(store: Store) -> None:
    """An admin's `lofte link` holds the tracker while the timer's update runs: the update
    does not link it (that run does) and does not fail for it (review)."""
    import os

    from lofte.linking_claim import LEASE, holder_of
    from lofte.store import link_claims
    from lofte.store.db import utcnow

    with one_site() as site:
        tid = make_tracker(store)
        site.page(
            "/feed.xml", rss([("https://example.org/p/1", "Ett beslut")]), "application/rss+xml"
        )
        _watch(store, tid, site.url("/feed.xml"), "press")
        with store.session() as s:
            now = utcnow()
            assert link_claims.claim(s, tid, holder_of(os.getpid(), "admin"), now, now + LEASE)
        report = update(
            store, settings=settings_for(site), now=T0, politeness=polite(), dense=False
        )
        assert report.linked == () and report.errors == ()


def test_an_unknown_page_fails_the_source(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        serve(site, "/artikel", article("Bara en artikel"))
        _watch(store, tid, site.url("/artikel"))
        (outcome,) = _run(store, settings=settings_for(site), now=T0, politeness=polite()).sources
        assert outcome.status == "failed" and "neither a feed" in (outcome.error or "")


def test_a_tarpit_source_hits_the_deadline_and_backs_off(store: Store) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        site.trickle("/tarpit", interval=0.2, total=10_000)
        _watch(store, tid, site.url("/tarpit"))
        settings = settings_for(site, fetch_deadline=1.0, fetch_timeout=0.5)
        (outcome,) = _run(store, settings=settings, now=T0, politeness=polite()).sources
    assert outcome.status == "failed" and "LOFTE_FETCH_DEADLINE" in (outcome.error or "")
    assert outcome.failures == 1 and outcome.next_due_at == T0 + 12 * HOUR


def test_two_trackers_watching_one_url_each_get_its_items(store: Store) -> None:
    """Validators are per source: the second tracker's first run is no 304."""
    with one_site() as site:
        _three_items(site)
        first, second = make_tracker(store, "stad"), make_tracker(store, "region")
        _watch(store, first, site.url("/nyheter"))
        settings, politeness = settings_for(site), polite()
        (one,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        _watch(store, second, site.url("/nyheter"))
        (two,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (one.tracker, one.status, one.new) == ("stad", "ok", 3)
        assert (two.tracker, two.status, two.new) == ("region", "ok", 3)


def _index(children: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<sitemap><loc>{loc}</loc><lastmod>{mod}</lastmod></sitemap>" for loc, mod in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


def test_a_sitemap_index_reads_its_newest_sitemaps_first_up_to_the_page_cap(store: Store) -> None:
    import gzip

    with one_site() as site:
        tid = make_tracker(store)
        children = [
            (site.url("/s2023.xml"), "2023-01-01"),
            (site.url("/s2025.xml.gz"), "2025-01-01"),
            (site.url("/s2024.xml"), "2024-01-01"),
        ]
        serve(site, "/index.xml", _index(children), "application/xml")
        newest = sitemap([(site.url("/a/1"), "2025-01-01"), (site.url("/a/2"), "2024-12-01")])
        serve(site, "/s2025.xml.gz", gzip.compress(newest), "application/gzip")
        fail(site, "/s2024.xml", 500)  # a failed child counts as a page too
        serve(site, "/s2023.xml", sitemap([(site.url("/a/3"), "2023-01-01")]), "application/xml")
        _articles(site, range(1, 4))
        _watch(store, tid, site.url("/index.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site, watch_max_pages=3), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (first.status, first.new, first.failed, first.capped) == ("ok", 2, 1, True)
        sitemaps = [p for p in site.seen if p.startswith(("/index", "/s20"))]
        assert sitemaps == ["/index.xml", "/s2025.xml.gz", "/s2024.xml"]
        assert "/s2023.xml" not in site.seen
        assert _origins(store) == {site.url("/a/1"), site.url("/a/2")}
        # capped: the index's validators were not kept, so it is read again (no 304), and the
        # run goes on with the sitemaps left: the failed one again and the one not read
        before = len(site.seen)
        (second,) = _run(store, settings=settings, now=T0 + 6 * HOUR, politeness=politeness).sources
        assert (second.status, second.new, second.failed, second.capped) == ("ok", 1, 1, False)
        assert site.seen[before : before + 3] == ["/index.xml", "/s2024.xml", "/s2023.xml"]
        assert second.resume == (site.url("/s2024.xml"),)  # failed: tried again next run
        assert _origins(store) == {site.url(f"/a/{n}") for n in (1, 2, 3)}


def test_an_item_failing_three_runs_is_given_up_and_the_source_gets_its_304s(
    store: Store,
) -> None:
    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site, articles=False)
        serve(site, "/a/1", article("Första nyheten"))
        fail(site, "/a/2", 404)
        serve(site, "/a/3", article("Tredje nyheten"))
        sid = _watch(store, tid, site.url("/nyheter"))
        settings, politeness = settings_for(site), polite()

        def once() -> Any:
            (outcome,) = _run(
                store, settings=settings, now=T0, force=True, politeness=politeness
            ).sources
            return outcome

        for _ in range(3):
            outcome = once()
            assert (outcome.status, outcome.failed, outcome.items_given_up) == ("ok", 1, ())
        assert site.seen.count("/a/2") == 3
        fourth = once()
        assert (fourth.status, fourth.failed) == ("ok", 0)
        assert fourth.items_given_up == (site.url("/a/2"),)
        assert site.seen.count("/a/2") == 3  # not fetched again
        with store.session() as s:
            assert watched.recent_runs(s, sid)[0].details["items_given_up"] == [site.url("/a/2")]
        # the run was complete: the listing's validators were kept
        assert once().status == "not_modified"


def test_a_run_whose_lease_another_process_took_over_stops(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lofte.store.schema import SourceRow
    from lofte.watch import update as update_module

    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site)
        sid = _watch(store, tid, site.url("/nyheter"))
        real_fetch = update_module.fetch
        taken_over = T0 + 100 * HOUR

        def fetch_then_lose_the_lease(url: str, **kwargs: Any) -> Any:
            result = real_fetch(url, **kwargs)
            if url.endswith("/a/1"):  # the lease expired: another process claims the source
                with store.session() as s:
                    held = s.get(SourceRow, sid).next_due_at  # type: ignore[union-attr]
                    assert watched.claim(s, sid, held, taken_over, T0 + 50 * HOUR) is not None
            return result

        monkeypatch.setattr(update_module, "fetch", fetch_then_lose_the_lease)
        (outcome,) = _run(store, settings=settings_for(site), now=T0, politeness=polite()).sources
        assert outcome.status == "failed" and "lease" in (outcome.error or "")
        assert "/a/2" not in site.seen and "/a/3" not in site.seen
        with store.session() as s:
            source = watched.get_source_by_id(s, sid)
            assert (source.next_due_at, source.failures) == (taken_over, 0)
            runs = watched.recent_runs(s, sid)
            assert [r.status for r in runs] == ["running", "failed"]
            assert "lease" in (runs[1].error or "")


def test_a_malformed_feed_is_named_by_its_url_in_the_run(store: Store) -> None:
    """feedparser names the stream "<unknown>": the run's error and warnings name the feed's
    URL instead, and where in it the fault is."""
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Press</title><item'
    partly = rss([("https://example.org/p/1", "Beslut om skolor")]).replace(
        b"</channel>", b"<item><title>a & b</title></item></channel>"
    )
    with one_site() as site:
        tid = make_tracker(store)
        site.page("/broken.rss", broken, "application/rss+xml")
        site.page("/partly.rss", partly, "application/rss+xml")
        _watch(store, tid, site.url("/broken.rss"), "trasig", shape="feed")
        _watch(store, tid, site.url("/partly.rss"), "delvis", shape="feed")
        report = _run(store, settings=settings_for(site), now=T0, politeness=polite())
    outcomes = {o.name: o for o in report.sources}
    failed, read = outcomes["trasig"], outcomes["delvis"]
    assert failed.status == "failed" and failed.error is not None
    assert failed.error.startswith(f"{site.url('/broken.rss')}: malformed feed: line 1, column")
    assert "<unknown>" not in failed.error
    assert read.status == "ok" and read.new >= 1  # the entries before the fault
    [warning] = read.warnings
    assert warning.startswith(f"{site.url('/partly.rss')}: malformed feed (line 1, column")
    assert "<unknown>" not in warning
    with store.session() as s:
        runs = {r.source_id: r for r in s.scalars(select(SourceRunRow))}
    assert runs[failed.source_id].error == failed.error
    assert runs[read.source_id].details["warnings"] == [warning]


def test_a_listing_walk_cut_short_by_the_page_cap_goes_on_next_run(store: Store) -> None:
    """After an outage the listing has more new pages than LOFTE_WATCH_MAX_PAGES: the run is
    capped and says where it stopped; the next run, whose first pages are all known, goes on
    from there instead of ending at the known items (the rest used to be skipped for good)."""
    pages = {n: (3 * n - 2, 3 * n - 1, 3 * n) for n in range(1, 6)}
    with one_site() as site:
        tid = make_tracker(store)
        for n, items in pages.items():
            path = "/nyheter" if n == 1 else f"/nyheter/{n}"
            following = f"/nyheter/{n + 1}" if n + 1 in pages else None
            serve(site, path, listing([(f"/a/{i}", f"Nyhet {i}") for i in items], following))
        _articles(site, range(1, 16))
        _watch(store, tid, site.url("/nyheter"))
        settings, politeness = settings_for(site, watch_max_pages=2), polite()
        outcomes = [
            _run(store, settings=settings, now=T0 + k * 7 * HOUR, politeness=politeness).sources[0]
            for k in range(5)
        ]
    # every run reads the first page (known after the first run) and one more
    assert [(o.status, o.new, o.capped) for o in outcomes[:4]] == [
        ("ok", 6, True),
        ("ok", 3, True),
        ("ok", 3, True),
        ("ok", 3, False),
    ]
    assert [o.resume for o in outcomes[:4]] == [
        (site.url("/nyheter/3"),),
        (site.url("/nyheter/4"),),
        (site.url("/nyheter/5"),),
        (),
    ]
    # the backlog read: the next run is the usual one conditional request
    assert (outcomes[4].status, outcomes[4].fetched) == ("not_modified", 1)
    assert _origins(store) == {site.url(f"/a/{n}") for n in range(1, 16)}
    with store.session() as s:
        details = [r.details for r in s.scalars(select(SourceRunRow).order_by(SourceRunRow.id))]
    assert [d.get("resume") for d in details[:2]] == [
        [site.url("/nyheter/3")],
        [site.url("/nyheter/4")],
    ]
    assert [d["capped"] for d in details[:4]] == [True, True, True, False]


def test_a_listing_walk_cut_short_by_the_item_cap_goes_on_next_run(store: Store) -> None:
    pages = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9)}
    with one_site() as site:
        tid = make_tracker(store)
        for n, items in pages.items():
            path = "/nyheter" if n == 1 else f"/nyheter/{n}"
            following = f"/nyheter/{n + 1}" if n + 1 in pages else None
            serve(site, path, listing([(f"/a/{i}", f"Nyhet {i}") for i in items], following))
        _articles(site, range(1, 10))
        _watch(store, tid, site.url("/nyheter"))
        settings, politeness = settings_for(site, watch_max_items=4), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (first.new, first.capped, first.resume) == (4, True, (site.url("/nyheter/2"),))
        (second,) = _run(store, settings=settings, now=T0 + 7 * HOUR, politeness=politeness).sources
        assert (second.new, second.capped, second.resume) == (4, True, (site.url("/nyheter/3"),))
        (third,) = _run(store, settings=settings, now=T0 + 14 * HOUR, politeness=politeness).sources
        assert (third.new, third.capped, third.resume) == (1, False, ())
    assert _origins(store) == {site.url(f"/a/{n}") for n in range(1, 10)}


def test_a_gzipped_feed_is_read_unpacked_and_archived_as_fetched(store: Store) -> None:
    import gzip
    import hashlib

    from lofte.store.schema import ArchivedResponseRow, RawBlobRow

    feed = rss([(f"https://example.org/p/{n}", f"Pressmeddelande {n}") for n in (1, 2)])
    packed = gzip.compress(feed)
    bomb = gzip.compress(feed + b" " * 400_000)  # small packed, over the budget unpacked
    with one_site() as site:
        tid = make_tracker(store)
        serve(site, "/feed.xml.gz", packed, "application/gzip")
        serve(site, "/bomb.xml.gz", bomb, "application/gzip")
        _watch(store, tid, site.url("/feed.xml.gz"), "press", shape="feed")
        _watch(store, tid, site.url("/bomb.xml.gz"), "bomb", shape="feed")
        settings = settings_for(site, max_input_bytes=100_000)
        report = _run(store, settings=settings, now=T0, politeness=polite())
    outcomes = {o.name: o for o in report.sources}
    read, refused = outcomes["press"], outcomes["bomb"]
    assert (read.status, read.new, read.error) == ("ok", 2, None)
    assert refused.status == "failed" and refused.error is not None
    assert "larger than 100,000 bytes" in refused.error
    with store.session() as s:
        docs = s.scalars(select(DocumentRow)).all()
        assert {d.url for d in docs} == {"https://example.org/p/1", "https://example.org/p/2"}
        # the stored input is what the reader read; the archived copy the response as fetched
        (blob,) = s.scalars(select(RawBlobRow)).all()
        assert blob.data == feed and {d.raw_sha256 for d in docs} == {blob.sha256}
        (copy,) = s.scalars(select(ArchivedResponseRow)).all()
        assert copy.payload_sha256 == hashlib.sha256(packed).hexdigest()
        assert copy.url == site.url("/feed.xml.gz")


def _backlog_site(site: LocalSite, count: int) -> list[str]:
    """An index of `count` monthly sitemaps (newest first: /s1 is the newest), two articles
    each; the paths of the children, newest first."""
    paths = [f"/s{k}.xml" for k in range(1, count + 1)]
    children = [(site.url(p), f"2025-{13 - k:02d}-01") for k, p in enumerate(paths, start=1)]
    serve(site, "/index.xml", _index(children), "application/xml")
    for k, path in enumerate(paths, start=1):
        urls = [(site.url(f"/a/{2 * k - 1}"), None), (site.url(f"/a/{2 * k}"), None)]
        serve(site, path, sitemap(urls), "application/xml")
    _articles(site, range(1, 2 * count + 1))
    return paths


def test_a_sitemap_index_over_the_page_cap_goes_on_with_its_older_sitemaps_next_run(
    store: Store,
) -> None:
    """Seven child sitemaps, a page cap of 3 (the index and two children): each run reads the
    next two children instead of the two newest again (which used to be read every run, the
    older ones never), until all 14 articles are stored; then the index answers 304."""
    with one_site() as site:
        tid = make_tracker(store)
        paths = _backlog_site(site, 7)
        _watch(store, tid, site.url("/index.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site, watch_max_pages=3), polite()
        outcomes, read = [], []
        for k in range(5):
            before = len(site.seen)
            now = T0 + k * 7 * HOUR
            outcomes.append(
                _run(store, settings=settings, now=now, politeness=politeness).sources[0]
            )
            read.append([p for p in site.seen[before:] if p.startswith("/s")])
    assert read[:4] == [paths[0:2], paths[2:4], paths[4:6], paths[6:7]]
    assert [(o.status, o.new, o.capped) for o in outcomes[:4]] == [
        ("ok", 4, True),
        ("ok", 4, True),
        ("ok", 4, True),
        ("ok", 2, False),
    ]
    assert outcomes[0].resume == tuple(site.url(p) for p in paths[2:])
    assert outcomes[3].resume == ()
    assert _origins(store) == {site.url(f"/a/{n}") for n in range(1, 15)}
    # the backlog read and the run complete: the index's validators were kept
    assert (outcomes[4].status, outcomes[4].fetched, read[4]) == ("not_modified", 1, [])


def test_a_sitemap_changed_since_it_was_read_is_read_again_and_the_backlog_still_moves(
    store: Store,
) -> None:
    """Five sitemaps, two read per run. After the first run the two read ones change (a newer
    <lastmod>, an article more each): the next run reads one of them and, though they alone
    would fill the cap, one sitemap of the backlog; sitemaps read and not changed since are
    not fetched again."""
    with one_site() as site:
        tid = make_tracker(store)
        paths = _backlog_site(site, 5)
        _watch(store, tid, site.url("/index.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site, watch_max_pages=3), polite()

        def run(k: int) -> tuple[Any, list[str]]:
            before = len(site.seen)
            now = T0 + k * 7 * HOUR
            (outcome,) = _run(store, settings=settings, now=now, politeness=politeness).sources
            return outcome, [p for p in site.seen[before:] if p.startswith("/s")]

        first = run(0)
        assert first[1] == paths[:2] and first[0].capped
        # both change an hour after the first run's start
        changed = [(site.url(p), "2026-01-05T10:00:00+01:00") for p in paths[:2]]
        rest = [(site.url(p), f"2025-{13 - k:02d}-01") for k, p in enumerate(paths, 1)][2:]
        serve(site, "/index.xml", _index(changed + rest), "application/xml")
        for k, path in enumerate(paths[:2], start=1):
            urls = [(site.url(f"/a/{n}"), None) for n in (2 * k - 1, 2 * k, 20 + k)]
            serve(site, path, sitemap(urls), "application/xml")
        _articles(site, range(21, 23))
        outcomes = [run(k) for k in range(1, 5)]
    assert [r for _, r in outcomes] == [
        ["/s1.xml", "/s3.xml"],
        ["/s2.xml", "/s4.xml"],  # s2 waited: it is read before the rest of the backlog
        ["/s5.xml"],
        [],
    ]
    assert [(o.status, o.new, o.capped) for o, _ in outcomes] == [
        ("ok", 3, True),
        ("ok", 3, True),
        ("ok", 2, False),
        ("not_modified", 0, False),
    ]
    assert _origins(store) == {site.url(f"/a/{n}") for n in (*range(1, 11), 21, 22)}


def test_a_sitemaps_lastmod_as_a_time() -> None:
    from lofte.watch.update import lastmod_time

    assert lastmod_time("2025-03-04T10:30:00+01:00") == dt.datetime(2025, 3, 4, 9, 30)
    assert lastmod_time("2025-03-04T10:30Z") == dt.datetime(2025, 3, 4, 10, 30)
    # a date alone: its end, since a sitemap changed later that day says the same date
    assert lastmod_time("2025-03-04") == dt.datetime(2025, 3, 5)
    assert lastmod_time("2025-12") == dt.datetime(2026, 1, 1)
    assert lastmod_time("2025") == dt.datetime(2026, 1, 1)
    assert lastmod_time("igår") is None and lastmod_time(None) is None
    assert lastmod_time("2025-13-45") is None
    assert lastmod_time("2025-13") is None and lastmod_time("2025-00") is None


def test_faulty_sitemaps_are_named_by_their_url_and_the_rest_of_the_run_goes_on(
    store: Store,
) -> None:
    """What an admin may point `lofte update` at: a sitemap that is not XML, one malformed
    half-way, a cut gzip, an index listing itself, a malformed child and a child that is an
    index. Each says which URL is at fault; every other source and child is read."""
    import gzip

    def url(path: str) -> str:
        return site.url(path)

    with one_site() as site:
        tid = make_tracker(store)
        xml = "application/xml"
        serve(site, "/trasig.xml", b'<?xml version="1.0"?><urlset><<<', xml)
        half = sitemap([(url("/a/1"), None)]).replace(b"</urlset>", b"<url><loc>x</urlset>")
        serve(site, "/halv.xml", half, xml)
        packed = gzip.compress(sitemap([(url("/a/2"), None)]))
        serve(site, "/kort.xml.gz", packed[: len(packed) // 2], "application/gzip")
        serve(site, "/hel.xml.gz", packed, "application/gzip")
        children = [
            (url("/index.xml"), "2025-05-01"),
            (url("/trasig.xml"), "2025-04-01"),
            (url("/annat-index.xml"), "2025-03-01"),
            (url("/s3.xml"), "2025-02-01"),
        ]
        serve(site, "/index.xml", _index(children), xml)
        serve(site, "/annat-index.xml", _index([(url("/s4.xml"), "2025-01-01")]), xml)
        serve(site, "/s3.xml", sitemap([(url("/a/3"), None)]), xml)
        serve(site, "/s4.xml", sitemap([(url("/a/4"), None)]), xml)
        _articles(site, range(1, 5))
        for name, path in [
            ("trasig", "/trasig.xml"),
            ("halv", "/halv.xml"),
            ("kort", "/kort.xml.gz"),
            ("hel", "/hel.xml.gz"),
            ("index", "/index.xml"),
        ]:
            _watch(store, tid, url(path), name)
        report = _run(store, settings=settings_for(site), now=T0, politeness=polite())
    runs = {o.name: o for o in report.sources}
    index = runs["index"]
    assert (index.status, index.new) == ("ok", 1)  # /a/3 of /s3.xml; /s4.xml is not read
    assert [(f.url, f.error.split(":")[0]) for f in index.items_failed] == [
        (url("/trasig.xml"), "unreadable sitemap")
    ]
    assert index.warnings == (
        f"{url('/index.xml')}: the sitemap index lists itself: not read again",
        f"{url('/annat-index.xml')}: a sitemap index listed in a sitemap index: the sitemaps it "
        "lists are not read (an index may list sitemaps only; watch this one as a source of "
        "its own)",
    )
    assert site.seen.count("/index.xml") == 1 and "/s4.xml" not in site.seen
    assert _origins(store) == {url(f"/a/{n}") for n in (1, 2, 3)}
    assert runs["trasig"].status == "failed"
    assert str(runs["trasig"].error).startswith(
        f"{url('/trasig.xml')}: unreadable sitemap: malformed XML: line 1, column"
    )
    assert runs["halv"].status == "ok" and runs["halv"].new == 1
    assert runs["halv"].warnings[0].startswith(f"{url('/halv.xml')}: malformed XML: line 1")
    assert runs["kort"].status == "failed" and url("/kort.xml.gz") in str(runs["kort"].error)
    assert "unreadable gzip" in str(runs["kort"].error)
    assert (runs["hel"].status, runs["hel"].new) == ("ok", 1)


def test_a_source_moved_to_another_sitemap_index_reads_all_its_sitemaps(store: Store) -> None:
    """The time the last run read an index says which sitemaps are read already only for that
    index: after the source's URL is edited to another index, its older sitemaps are read."""
    with one_site() as site:
        tid = make_tracker(store)
        paths = _backlog_site(site, 2)
        serve(site, "/nytt-index.xml", _index([(site.url("/s9.xml"), "2024-06-01")]), "text/xml")
        serve(site, "/s9.xml", sitemap([(site.url("/a/9"), None)]), "application/xml")
        _articles(site, range(9, 10))
        sid = _watch(store, tid, site.url("/index.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert (first.new, first.capped) == (4, False) and set(paths) <= set(site.seen)
        with store.session() as s:
            watched.edit_source(s, sid, url=site.url("/nytt-index.xml"))
        (moved,) = _run(store, settings=settings, now=T0 + 7 * HOUR, politeness=politeness).sources
    assert (moved.status, moved.new) == ("ok", 1) and "/s9.xml" in site.seen


def test_an_index_with_urls_of_its_own_keeps_its_sitemaps_when_the_item_cap_stops_it(
    store: Store,
) -> None:
    """A (non-standard) index listing pages as well as sitemaps: when the item cap stops the
    run in its own pages, all its sitemaps wait for the next run, not only the last one."""
    with one_site() as site:
        tid = make_tracker(store)
        own = "".join(f"<url><loc>{site.url(f'/a/{n}')}</loc></url>" for n in (1, 2, 3))
        index = _index([(site.url("/s1.xml"), "2025-02-01"), (site.url("/s2.xml"), "2025-01-01")])
        serve(site, "/index.xml", index.replace(b"<sitemap>", own.encode() + b"<sitemap>", 1))
        serve(site, "/s1.xml", sitemap([(site.url("/a/4"), None)]), "application/xml")
        serve(site, "/s2.xml", sitemap([(site.url("/a/5"), None)]), "application/xml")
        _articles(site, range(1, 6))
        _watch(store, tid, site.url("/index.xml"), "karta", shape="sitemap")
        settings, politeness = settings_for(site, watch_max_items=2), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert first.capped and first.resume == (site.url("/s1.xml"), site.url("/s2.xml"))
        for k in (1, 2):
            _run(store, settings=settings, now=T0 + k * 7 * HOUR, politeness=politeness)
    assert _origins(store) == {site.url(f"/a/{n}") for n in range(1, 6)}


def test_pages_left_by_a_run_of_the_sources_old_url_are_not_read_after_an_edit(
    store: Store,
) -> None:
    """A capped listing run leaves /gamla/3 to go on from; the source is then edited to
    watch another listing: the next run reads the new one, not the old one's pages."""
    with one_site() as site:
        tid = make_tracker(store)
        for n in (1, 2, 3):
            path = "/gamla" if n == 1 else f"/gamla/{n}"
            following = f"/gamla/{n + 1}" if n < 3 else None
            items = [(f"/a/{i}", f"Nyhet {i}") for i in range(3 * n - 2, 3 * n + 1)]
            serve(site, path, listing(items, following))
        serve(site, "/nya", listing([(f"/a/{i}", f"Nyhet {i}") for i in (10, 11, 12)]))
        _articles(site, range(1, 13))
        sid = _watch(store, tid, site.url("/gamla"))
        settings, politeness = settings_for(site, watch_max_pages=2), polite()
        (first,) = _run(store, settings=settings, now=T0, politeness=politeness).sources
        assert first.resume == (site.url("/gamla/3"),)
        with store.session() as s:
            watched.edit_source(s, sid, url=site.url("/nya"))
        (moved,) = _run(store, settings=settings, now=T0 + 7 * HOUR, politeness=politeness).sources
    assert (moved.status, moved.new, moved.capped, moved.resume) == ("ok", 3, False, ())
    assert "/gamla/3" not in site.seen


def test_a_source_held_by_a_killed_run_is_named_though_not_due(store: Store) -> None:
    """QA: a source held by a `lofte update` killed mid-run was left out of the next runs
    without a word ("0 sources run") until `--force` named it."""
    with one_site() as site:
        tid = make_tracker(store)
        serve(site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2)]))
        sid = _watch(store, tid, site.url("/nyheter"))
        with store.session() as s:  # a run that took the source and died: lease 2 h ahead
            assert watched.claim(s, sid, None, T0 + 2 * HOUR, T0) is not None
        report = _run(store, settings=settings_for(site), now=T0 + HOUR, politeness=polite())
        assert report.sources == () and report.skipped == ("stad/nyheter",)
        assert "/nyheter" not in site.seen


def test_progress_tells_each_sources_items_and_the_linking(store: Store) -> None:
    # QA: a listing with 60 new items was silent for 17 s: `update` told nothing as it went
    told: list[tuple[str, int, int | None]] = []
    linked: list[tuple[str, int, int]] = []
    progress = UpdateProgress(
        on_items=lambda source, done, found: told.append((source, done, found)),
        on_link=lambda tracker, done, total: linked.append((tracker, done, total)),
    )
    with one_site() as site:
        tid = make_tracker(store)
        serve(site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2, 3)], "/n/2"))
        serve(site, "/n/2", listing([(f"/a/{n}", f"Nyhet {n}") for n in (4, 5, 6)]))
        _articles(site, range(1, 7))
        _watch(store, tid, site.url("/nyheter"))
        entries = [(f"https://example.org/p/{n}", f"Pressmeddelande {n}") for n in (1, 2)]
        site.page("/feed.xml", rss(entries), "application/rss+xml")
        _watch(store, tid, site.url("/feed.xml"), "press")
        _program_with_a_pledge(store)
        settings, politeness = settings_for(site, watch_max_items=5), polite()
        report = update(store, settings=settings, now=T0, politeness=politeness, progress=progress)
    assert report.ok and report.linked == ("stad",)
    listing_told = [t[1:] for t in told if t[0] == "stad/nyheter"]
    # the total grows as the pages are read, up to the item cap (the 6th waits)
    assert listing_told == [
        (0, None), (0, 3), (1, 3), (2, 3), (3, 3), (3, 5), (4, 5), (5, 5),
    ]  # fmt: skip
    assert [t[1:] for t in told if t[0] == "stad/press"] == [(0, None), (2, 2)]
    assert linked[0] == ("stad", 0, 7) and linked[-1] == ("stad", 7, 7)


def _program_with_a_pledge(store: Store) -> None:
    """A pledge in tracker "stad": the update's new documents are linked to it."""
    from lofte.extraction import extract
    from lofte.ingest import ingest_raw
    from lofte.ingest_records import IngestOptions
    from lofte.model import RawInput

    raw = RawInput(
        data="Vårt program\n\n- Vi ska rusta upp skolan i ytterstaden.\n".encode(),
        media_type="text/plain",
        origin="program.txt",
    )
    assert not ingest_raw(store, raw, IngestOptions(tracker="stad", kind=SourceKind.PROGRAM)).error
    assert sum(r.inserted for r in extract(store, "stad")) >= 1


def test_a_source_paused_while_it_runs_stops_after_the_item_it_is_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA at the term's end: archiving a tracker (which pauses its sources) while `lofte
    update` ran one of them let the run store and link every item into the archived tracker.
    The lease's renewal now needs the source not paused."""
    from lofte.review import tracker_admin
    from lofte.watch import update as update_module

    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site)
        _watch(store, tid, site.url("/nyheter"))
        real_fetch = update_module.fetch

        def fetch_then_archive(url: str, **kwargs: Any) -> Any:
            result = real_fetch(url, **kwargs)
            if url.endswith("/a/1"):  # an admin archives the tracker meanwhile
                tracker_admin.archive(store, "stad", actor="admin")
            return result

        monkeypatch.setattr(update_module, "fetch", fetch_then_archive)
        (outcome,) = _run(store, settings=settings_for(site), now=T0, politeness=polite()).sources
        assert outcome.status == "failed" and "paused while it ran" in (outcome.error or "")
        assert "/a/2" not in site.seen and "/a/3" not in site.seen  # the item it was on only
        assert outcome.new == 1


def test_a_source_paused_between_reading_and_claiming_is_said_paused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: it was "in progress elsewhere", and the `lofte source release` advised then failed."""
    with one_site() as site:
        tid = make_tracker(store)
        _three_items(site, articles=False)
        sid = _watch(store, tid, site.url("/nyheter"))
        read = watched.due_sources

        def read_then_pause(*args: Any, **kwargs: Any) -> Any:
            due = read(*args, **kwargs)
            with store.session() as s:
                if not watched.get_source_by_id(s, sid).paused:
                    watched.set_paused(s, sid, True)
            return due

        monkeypatch.setattr(watched, "due_sources", read_then_pause)
        report = _run(store, settings=settings_for(site), now=T0, politeness=polite())
        assert report.sources == () and report.skipped == ()
        assert report.paused == ("stad/nyheter",)
        assert "/nyheter" not in site.seen
