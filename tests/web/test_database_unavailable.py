"""The site while its database cannot be reached: a 503 that says so, in the reader's language
(JSON for the API, a short body for /healthz), one log line per request and no traceback, and
the usual answers again as soon as the database is back, without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lofte.store.db import Store, open_store
from lofte.web.i18n import translate

from .conftest import build_site, live_server, logged, login, make_client

SECRET = "hemligt"
DOWN = f"postgresql://lofte:{SECRET}@127.0.0.1:1/lofte"  # port 1: nothing listens, refused


@pytest.fixture
def down() -> Iterator[Store]:
    store = Store(DOWN)  # as if the server went down after `lofte serve` started
    yield store
    store.dispose()


def test_every_answer_is_503_saying_the_database_cannot_be_reached(down: Store) -> None:
    client = make_client(down)
    for path, lang in (("/", "sv"), ("/pledges/1", "sv"), ("/?lang=en", "en")):
        page = client.get(path)
        assert page.status_code == 503, path
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["retry-after"].isdigit()
        assert f'<html lang="{lang}">' in page.text
        assert translate("error_unavailable", lang) in page.text
        assert translate("error_unavailable_text", lang) in page.text
        assert SECRET not in page.text and "127.0.0.1" not in page.text
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json() == {"status": "unavailable"}
    for path in ("/api/trackers", "/api/v1/trackers"):
        answer = client.get(path)
        assert answer.status_code == 503, path
        assert "cannot be reached" in answer.json()["error"]
        assert SECRET not in answer.text
        assert answer.headers["retry-after"].isdigit()
        # a v1 error is readable by any origin, as every other v1 answer (it had no CORS)
        shown = answer.headers.get("access-control-allow-origin")
        assert shown == ("*" if path.startswith("/api/v1/") else None), path


def test_each_failure_is_one_log_line_without_traceback_or_password(down: Store) -> None:
    """Served by uvicorn as `lofte serve` does: what an operator's log gets per request."""
    with live_server(down) as base, logged() as records, httpx.Client(base_url=base) as client:
        statuses = [client.get(p).status_code for p in ("/", "/healthz", "/api/trackers")]
    assert statuses == [503, 503, 503]
    assert len(records) == 3
    for record in records:
        assert record.exc_info is None
        line = record.getMessage()
        assert "\n" not in line and SECRET not in line
        assert "postgresql+psycopg://lofte:***@127.0.0.1:1/lofte" in line


def test_the_site_answers_again_when_the_database_is_back(tmp_path: Path) -> None:
    """The database's folder gone and back (an unmounted volume); an editor logged in before
    sees the 503 page meanwhile and is still logged in afterwards."""
    folder = tmp_path / "data"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'lofte.db'}", create=True)
    try:
        build_site(store)
        client = make_client(store)
        login(client, "anna")
        assert client.get("/healthz").status_code == 200
        store.dispose()  # as a server restart closes the pool's connections
        folder.rename(tmp_path / "away")
        for path in ("/edit", "/", "/healthz"):
            assert client.get(path).status_code == 503, path
        page = client.get("/edit")
        assert translate("error_unavailable", "sv") in page.text
        (tmp_path / "away").rename(folder)
        assert client.get("/healthz").status_code == 200
        editor = client.get("/edit")
        assert editor.status_code == 200 and "anna" in editor.text
    finally:
        store.dispose()


def test_a_store_file_deleted_while_served_is_503_not_lost_writes(tmp_path: Path) -> None:
    """QA: after `rm -rf` of the store's folder, with its connections still open, pages and
    `/healthz` answered 200 and a login was written into the deleted file."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "lofte.db"
    store = open_store(f"sqlite:///{path}", create=True)
    try:
        build_site(store)
        client = make_client(store)
        assert client.get("/healthz").status_code == 200  # connections open, kept in the pool
        saved = path.read_bytes()
        path.unlink()
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json() == {"status": "unavailable"}
        assert client.get("/").status_code == 503  # every answer, and so no write either
        path.write_bytes(saved)  # restored: the pool opens the file anew
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        store.dispose()
