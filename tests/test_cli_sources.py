"""`lofte source add|list|edit|pause|resume|remove`, `lofte update` and `lofte watch`."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from lofte.config import get_settings
from lofte.store import audit
from lofte.store.db import open_store
from tests.cli_support import run_cli as _run
from tests.cli_support import with_city_tracker
from tests.localweb import LocalSite
from tests.watch.pages import article, fail, listing, one_site, serve

runner = CliRunner()


@pytest.fixture
def db(db_url: str) -> str:
    return with_city_tracker(db_url)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    with one_site() as local:
        monkeypatch.setenv("LOFTE_FETCH_ALLOW_HOSTS", f"127.0.0.1:{local.port}")
        monkeypatch.setenv("LOFTE_FETCH_MIN_INTERVAL", "0")
        monkeypatch.setenv("LOFTE_LINK_DENSE", "false")
        get_settings.cache_clear()
        yield local
    get_settings.cache_clear()


def _list(db: str) -> list[dict]:
    code, out = _run(db, "source", "list", "--json")
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def test_add_list_edit_pause_resume_remove_are_audited(db: str) -> None:
    code, out = _run(
        db, "source", "add", "nyheter", "https://example.se/nyheter", "--tracker", "stad",
        "--kind", "news", "--every", "6h", "--publisher", "Staden", "--actor", "anna",
    )  # fmt: skip
    assert code == 0, out
    assert "watching stad/nyheter" in out and "due now" in out
    (row,) = _list(db)
    assert (row["every"], row["shape"], row["paused"], row["last_run"]) == (
        "6h",
        "auto",
        False,
        None,
    )
    code, out = _run(db, "source", "list")
    assert code == 0 and "never run" in out and "https://example.se/nyheter" in out
    code, out = _run(
        db, "source", "edit", "nyheter", "--tracker", "stad", "--every", "1d", "--shape", "listing"
    )
    assert code == 0, out
    assert _list(db)[0]["every"] == "1d" and _list(db)[0]["shape"] == "listing"
    assert _run(db, "source", "pause", "nyheter", "--tracker", "stad")[0] == 0
    assert _list(db)[0]["paused"] is True
    code, out = _run(db, "source", "pause", "nyheter", "--tracker", "stad")
    assert code == 1 and "paused already" in out
    assert _run(db, "source", "resume", "nyheter", "--tracker", "stad")[0] == 0
    assert _run(db, "source", "remove", "nyheter", "--tracker", "stad")[0] == 0
    assert _list(db) == []
    store = open_store(db)
    try:
        with store.session() as s:
            events = audit.list_events(s, entity_type="source")
    finally:
        store.dispose()
    actions = [e.action for e in events]
    assert sorted(actions) == sorted(
        ["source.add", "source.edit", "source.pause", "source.resume", "source.remove"]
    )
    assert any(e.actor == "anna" for e in events if e.action == "source.add")
    edit = next(e for e in events if e.action == "source.edit")
    assert edit.details["changes"]["every_seconds"] == {"before": 21600, "after": 86400}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "ftp://example.se/", "--tracker", "stad"], "only http(s) URLs"),
        (["x", "https://user:pw@example.se/", "--tracker", "stad"], "credentials"),
        (["x", "https://example.se/", "--tracker", "stad", "--every", "often"], "interval"),
        (["x", "https://example.se/", "--tracker", "stad", "--every", "5s"], "interval"),
        (["x", "https://example.se/", "--tracker", "finns-inte"], "no tracker named"),
    ],
)
def test_bad_values_give_one_clear_line(db: str, args: list[str], message: str) -> None:
    code, out = _run(db, "source", "add", *args)
    assert code == 1 and message in out
    assert "user:pw" not in out  # a refused URL's password is not printed back
    assert "Traceback" not in out and _list(db) == []


def test_unknown_kind_and_duplicate_name(db: str) -> None:
    code, out = _run(
        db, "source", "add", "x", "https://example.se/", "--tracker", "stad", "--kind", "blog"
    )
    assert code != 0 and "blog" in out
    assert _run(db, "source", "add", "x", "https://example.se/", "--tracker", "stad")[0] == 0
    code, out = _run(db, "source", "add", "x", "https://example.se/b", "--tracker", "stad")
    assert code == 1 and "already" in out
    code, out = _run(db, "source", "pause", "y", "--tracker", "stad")
    assert code == 1 and "no watched source named 'y'" in out


def test_update_reports_each_source_and_exits_1_when_one_failed(db: str, site: LocalSite) -> None:
    serve(site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2, 3)]))
    for n in (1, 2, 3):
        serve(site, f"/a/{n}", article(f"Nyhet {n} om parkerna"))
    fail(site, "/trasig", 500)
    assert _run(db, "source", "add", "nyheter", site.url("/nyheter"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "update", "--no-link")
    assert code == 0, out
    assert "stad/nyheter: ok: fetched 4, new or changed 3, unchanged 0, failed 0" in out
    assert "1 sources run, 0 failed, 3 new or changed documents" in out
    assert _run(db, "source", "add", "trasig", site.url("/trasig"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "update", "--no-link")
    assert code == 1
    assert "stad/trasig: failed" in out and "HTTP 500" in out
    rows = {r["name"]: r for r in _list(db)}
    assert rows["trasig"]["failures"] == 1 and "HTTP 500" in rows["trasig"]["last_run"]["error"]
    assert rows["nyheter"]["last_run"]["new"] == 3
    code, out = _run(db, "update", "--source", "nyheter", "--force", "--json", "--no-link")
    assert code == 0, out
    (only,) = json.loads(out)["sources"]
    assert only["source"] == "nyheter" and only["new"] == 0


def test_watch_runs_passes_and_stops(db: str, site: LocalSite) -> None:
    serve(site, "/nyheter", listing([(f"/a/{n}", f"Nyhet {n}") for n in (1, 2, 3)]))
    for n in (1, 2, 3):
        serve(site, f"/a/{n}", article(f"Nyhet {n} om badhusen"))
    assert _run(db, "source", "add", "nyheter", site.url("/nyheter"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "watch", "--max-runs", "1", "--tick", "1", "--no-link")
    assert code == 0, out
    assert "stad/nyheter: ok" in out and "watch stopped after 1 pass\n" in out


def test_source_list_names_the_items_given_up(db: str) -> None:
    import datetime as dt

    from lofte.store import trackers as tracker_store
    from lofte.store import watched

    code, out = _run(
        db, "source", "add", "nyheter", "https://example.se/n", "--tracker", "stad", "--every", "6h"
    )
    assert code == 0, out
    store = open_store(db)
    try:
        with store.session() as s:
            tid = tracker_store.get_tracker(s, "stad").id
            sid = watched.get_source(s, tid, "nyheter").id
            details = {"items_failed": [], "items_given_up": ["https://example.se/trasig"]}
            t0 = dt.datetime(2026, 1, 5, 8, 0)
            watched.record_run(s, sid, watched.NewRun(t0, t0, "ok", details=details))
    finally:
        store.dispose()
    (row,) = _list(db)
    assert row["last_run"]["given_up"] == ["https://example.se/trasig"]
    code, out = _run(db, "source", "list")
    assert code == 0 and "given up 1" in out


def test_a_capped_listing_run_says_where_the_next_goes_on_and_what_to_do(
    db: str, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOFTE_WATCH_MAX_PAGES", "2")
    get_settings.cache_clear()
    for page in (1, 2, 3):
        path, following = ("/nyheter" if page == 1 else f"/nyheter/{page}"), f"/nyheter/{page + 1}"
        items = [(f"/a/{n}", f"Nyhet {n}") for n in range(3 * page - 2, 3 * page + 1)]
        serve(site, path, listing(items, following if page < 3 else None))
    for n in range(1, 10):
        serve(site, f"/a/{n}", article(f"Nyhet {n} om parkerna"))
    assert _run(db, "source", "add", "nyheter", site.url("/nyheter"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "update", "--no-link", "--no-notify")
    assert code == 0, out
    said = " ".join(out.split())  # the console wraps long lines
    assert (
        "stad/nyheter: ok: fetched 8, new or changed 6" in said and "LOFTE_WATCH_MAX_PAGES" in said
    )
    assert f"the next run goes on from {site.url('/nyheter/3')}" in said
    assert "lofte update --tracker stad --source nyheter --force" in said
    (row,) = _list(db)
    assert row["last_run"]["capped"] and row["last_run"]["resume"] == [site.url("/nyheter/3")]
    code, out = _run(db, "update", "--no-link", "--no-notify", "--force")
    assert code == 0, out
    (row,) = _list(db)
    assert row["last_run"]["new"] == 3 and row["last_run"]["resume"] == []
    assert not row["last_run"]["capped"]


def test_a_capped_sitemap_index_run_says_where_the_next_goes_on_and_how_many_are_left(
    db: str, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOFTE_WATCH_MAX_PAGES", "2")
    get_settings.cache_clear()
    children = "".join(
        f"<sitemap><loc>{site.url(f'/s{k}.xml')}</loc><lastmod>2025-0{9 - k}-01</lastmod></sitemap>"
        for k in (1, 2, 3)
    )
    serve(site, "/index.xml", f"<sitemapindex>{children}</sitemapindex>".encode(), "text/xml")
    for k in (1, 2, 3):
        urlset = f"<urlset><url><loc>{site.url(f'/a/{k}')}</loc></url></urlset>"
        serve(site, f"/s{k}.xml", urlset.encode(), "text/xml")
        serve(site, f"/a/{k}", article(f"Nyhet {k} om parkerna"))
    add = ("source", "add", "karta", site.url("/index.xml"), "--tracker", "stad")
    assert _run(db, *add, "--shape", "sitemap")[0] == 0
    code, out = _run(db, "update", "--no-link", "--no-notify")
    assert code == 0, out
    said = " ".join(out.split())
    assert f"the next run goes on from {site.url('/s2.xml')} (and 1 more left)" in said
    (row,) = _list(db)
    assert row["last_run"]["resume"] == [site.url("/s2.xml"), site.url("/s3.xml")]
    for _ in (1, 2):
        assert _run(db, "update", "--no-link", "--no-notify", "--force")[0] == 0
    (row,) = _list(db)
    assert (row["last_run"]["capped"], row["last_run"]["resume"]) == (False, [])
    code, out = _run(db, "source", "list")
    assert "capped" not in out


def test_a_missing_default_tracker_is_named_as_the_default(db: str) -> None:
    # found by QA: "no tracker named 'standard'", a name the admin never typed
    code, out = _run(db, "source", "pause", "nyheter")
    default = get_settings().default_tracker
    assert code == 1
    assert f"no tracker named '{default}', the default (LOFTE_DEFAULT_TRACKER)" in out
    assert "--tracker" in out
    code, out = _run(db, "source", "pause", "nyheter", "--tracker", "stadd")
    assert code == 1 and "no tracker named 'stadd'" in out and "default" not in out


def test_a_source_held_by_a_killed_run_is_named_and_released_by_hand(db: str) -> None:
    """QA: after `kill -9` of an update, the source was skipped as running for its whole lease
    (an hour or more), `source list` said it was due "now", and nothing freed it sooner."""
    import datetime as dt

    from lofte.store import trackers as tracker_store
    from lofte.store import watched
    from lofte.store.db import utcnow

    code, out = _run(
        db, "source", "add", "nyheter", "https://example.se/n", "--tracker", "stad", "--every", "6h"
    )
    assert code == 0, out
    store = open_store(db)
    try:
        with store.session() as s:  # a process claimed it, then died without a word
            source = watched.get_source(s, tracker_store.get_tracker(s, "stad").id, "nyheter")
            now = utcnow()
            assert watched.claim(s, source.id, None, now + dt.timedelta(hours=1), now)
    finally:
        store.dispose()
    code, out = _run(db, "update", "--source", "nyheter", "--force", "--no-link", "--no-notify")
    assert "1 skipped" in out and "lofte source release nyheter --tracker stad" in out, out
    code, out = _run(db, "source", "list")
    assert code == 0 and "after the run in progress" in out and " now " not in out
    code, out = _run(db, "source", "release", "nyheter", "--tracker", "stad", "--actor", "ops")
    assert code == 0 and "released stad/nyheter: due now" in out, out
    (row,) = _list(db)
    assert row["next_due_at"] is None and row["last_run"]["status"] == "failed"
    assert "released by an operator" in row["last_run"]["error"]
    code, out = _run(db, "source", "release", "nyheter", "--tracker", "stad")
    assert code == 1 and "nothing to release" in out
    store = open_store(db)
    try:
        with store.session() as s:
            assert "source.release" in {e.action for e in audit.list_events(s)}
    finally:
        store.dispose()
