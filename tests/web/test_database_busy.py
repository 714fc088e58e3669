"""The site while another process holds the SQLite database's write lock longer than the busy
wait (LOFTE_SQLITE_BUSY_WAIT): a 503 with Retry-After in the reader's language and one log line,
as when the database cannot be reached; any other refusal of the database a 500 with one log
line naming it. Never a traceback per request."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lofte.errors import BusyError
from lofte.store.db import Store, open_store
from lofte.web.i18n import translate

from .conftest import build_site, csrf_of, live_server, logged

WAIT = 0.3  # seconds a statement waits for the lock here, instead of 30


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    open_store(url, create=True).dispose()
    served = Store(url, busy_wait=WAIT)
    build_site(served)
    yield served
    served.dispose()


def _hold_write_lock(store: Store) -> sqlite3.Connection:
    """Another process's long write (an ingest, a restore): its transaction holds the lock."""
    assert store.engine.url.database
    holder = sqlite3.connect(store.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE trackers SET name = name")
    return holder


def _assert_one_line_each(records: list[logging.LogRecord], count: int, *words: str) -> None:
    assert len(records) == count, [r.getMessage() for r in records]
    for record in records:
        assert record.exc_info is None and record.name == "lofte.web"
        line = record.getMessage()
        assert "\n" not in line and "Traceback" not in line
        for word in words:
            assert word in line, line


def test_a_write_while_another_process_holds_the_lock_is_503_in_the_readers_language(
    store: Store,
) -> None:
    with live_server(store) as base:
        # two readers, each with her language (kept in her session)
        clients = {lang: httpx.Client(base_url=base, timeout=30) for lang in ("sv", "en")}
        tokens = {lang: csrf_of(c.get(f"/login?lang={lang}").text) for lang, c in clients.items()}
        holder = _hold_write_lock(store)
        try:
            with logged() as records:
                answers = {
                    lang: client.post(  # a failed login is counted: a write
                        "/login",
                        data={
                            "username": "nobody",
                            "password": "fel",
                            "csrf_token": tokens[lang],
                            "next": "/edit",
                        },
                    )
                    for lang, client in clients.items()
                }
                # reads go on meanwhile (WAL): the public pages still answer
                assert clients["sv"].get("/").status_code == 200
        finally:
            holder.rollback()
            holder.close()
        for lang, answer in answers.items():
            assert answer.status_code == 503, answer.text
            assert answer.headers["retry-after"].isdigit()
            assert f'<html lang="{lang}">' in answer.text
            assert translate("error_busy", lang) in answer.text
            assert translate("error_busy_text", lang) in answer.text
            assert "database is locked" not in answer.text
        _assert_one_line_each(records, 2, "POST /login: 503", "database is locked")
        # the lock gone, the same form is answered as usual (a refused login)
        again = clients["sv"].post(
            "/login",
            data={
                "username": "nobody",
                "password": "fel",
                "csrf_token": tokens["sv"],
                "next": "/edit",
            },
        )
        for client in clients.values():
            client.close()
        assert again.status_code == 401, again.text


def test_other_database_errors_are_500_with_one_line_naming_them(store: Store) -> None:
    """A database that refuses (here a table gone from under the server): a 500 and one log
    line naming the refusal, not a traceback per request; the answer names nothing of it."""
    assert store.engine.url.database
    other = sqlite3.connect(store.engine.url.database, isolation_level=None)
    other.execute("PRAGMA foreign_keys=OFF")
    other.execute("DROP TABLE trackers")
    other.close()
    with (
        live_server(store) as base,
        httpx.Client(base_url=base, timeout=30) as client,
        logged() as records,
    ):
        answers = [client.get(path) for path in ("/", "/api/trackers")]
    assert [a.status_code for a in answers] == [500, 500]
    assert translate("error_generic", "sv") in answers[0].text
    assert answers[1].json() == {"error": "Something went wrong."}  # QA: "error_generic"
    assert all("trackers" not in a.text for a in answers)
    _assert_one_line_each(records, 2, ": 500: ", "no such table: trackers")


def test_the_busy_wait_is_a_setting_and_a_lock_held_longer_is_busy_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lofte.config import get_settings
    from lofte.store import trackers as tracker_store

    monkeypatch.setenv("LOFTE_SQLITE_BUSY_WAIT", "0.2")
    get_settings.cache_clear()
    try:
        other = Store(store.url)
    finally:
        get_settings.cache_clear()
    holder = _hold_write_lock(store)
    try:
        with (
            pytest.raises(BusyError, match="database is locked"),
            other.session() as session,
        ):
            tracker_store.ensure_tracker(session, "ny")
    finally:
        holder.rollback()
        holder.close()
        other.dispose()
