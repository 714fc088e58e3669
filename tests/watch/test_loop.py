"""`watch.loop.watch` when a pass stops on an exception: the source being run is not left
held by its lease."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from lofte.errors import StoreError
from lofte.model import SourceKind
from lofte.store import watched
from lofte.store.db import Store, utcnow
from lofte.store.schema import SourceRow, SourceRunRow
from lofte.watch import loop
from tests.watch.pages import make_tracker, one_site, polite, rss, serve, settings_for


def test_a_pass_stopped_by_an_error_records_the_run_and_frees_the_source(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database fails as the run is written (a lock, a dropped connection): the error
    ends the loop, but the run is recorded as stopped and the source is due again at once,
    not held as `running` until its lease (an hour or more) runs out."""
    finish_run = watched.finish_run
    calls: list[int] = []

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE sources", {}, Exception("database is locked"))
        return finish_run(*args, **kwargs)

    with one_site() as site:
        tid = make_tracker(store)
        serve(site, "/feed.rss", rss([(site.url("/a"), "Nytt beslut")]), "application/rss+xml")
        with store.session() as s:
            watched.add_source(
                s, tid, "press", site.url("/feed.rss"), SourceKind.NEWS, every_seconds=3600
            )
        settings, politeness = settings_for(site), polite()
        monkeypatch.setattr(watched, "finish_run", failing_once)
        with pytest.raises(StoreError, match="database is locked"):
            loop.watch(
                store,
                settings=settings,
                politeness=politeness,
                max_runs=1,
                link_evidence=False,
                notify=False,
            )
        with store.session() as s:
            [(status, error)] = s.execute(select(SourceRunRow.status, SourceRunRow.error)).all()
            assert status == "failed"
            assert error.startswith("stopped: an unexpected error")
            assert "database is locked" in error
            source = s.scalars(select(SourceRow)).one()
            assert source.next_due_at is not None and source.next_due_at <= utcnow()
            assert source.failures == 0
        runs = loop.watch(
            store,
            settings=settings,
            politeness=politeness,
            max_runs=1,
            link_evidence=False,
            notify=False,
        )
    assert runs == 1
    with store.session() as s:
        statuses = s.scalars(select(SourceRunRow.status).order_by(SourceRunRow.id)).all()
    # run again, not held: the feed came in with the stopped run, so this one gets a 304
    assert statuses == ["failed", "not_modified"]
