"""A small tracker for the web tests: pledges, evidence, verdict-ready data and four accounts.

Rows are written directly (as in tests/review), so the tests do not depend on the extractor or
the linker. Some ingested text holds markup to prove the pages show it inert.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from lofte.config import Settings
from lofte.model import Role
from lofte.review import users
from lofte.store import audit
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import Base, DocumentRow, EvidenceRow, PledgeRow
from lofte.web.app import create_app

PASSWORD = "ett långt lösenord"
SCRIPT = "<script>alert('x')</script>"
PROGRAM = (
    "Idrott och fritid\n\n"
    "Vi ska bygga en ny simhall i Norrvik.\n\n"
    "Vi ska sänka taxan i förskolan och anställa fler förskollärare.\n\n"
    f"Vi ska plantera tusen träd {SCRIPT} längs ån.\n\n"
    "Vi vill att det ska bli bättre.\n"
)
NEWS_POOL = "Den nya simhallen i Norrvik invigdes i dag av kommunalrådet."
NEWS_PRESCHOOL = "Taxan i förskolan sänks från januari, beslutade fullmäktige."
NEWS_TREES = f"Träden längs ån planteras i vår {SCRIPT} enligt parkförvaltningen."


@dataclass
class Site:
    store: Store
    slug: str
    program: int
    news: dict[str, int]
    pool: int  # pledge ids
    preschool: int
    trees: int
    vague: int  # rejected
    group: int  # the preschool item split into two children
    children: tuple[int, int]
    ev_pool: int  # evidence ids, all suggested
    ev_preschool: int
    ev_trees: int


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def build_site(store: Store) -> Site:
    with store.session() as s:
        tracker_store.ensure_tracker(s, "sjovik")
        tracker = tracker_store.get_tracker_row(s, "sjovik")  # the fixture sets columns directly
        tracker.name = "Sjövik 2022–2026"
        tracker.term_start = dt.date(2022, 10, 15)
        tracker.term_end = dt.date(2026, 10, 14)
        tracker.actors = ["S", "V"]
        # public (a tracker is a draft until published), and showing its unreviewed candidates
        # marked, so the public pages have a candidate to show (tests/web/test_visibility.py
        # covers drafts and confirmed-only)
        tracker.published_at = dt.datetime(2024, 1, 1)
        tracker.show_candidates = True
        s.flush()
        docs: dict[str, DocumentRow] = {}
        for key, body, kind, day in (
            ("program", PROGRAM, "program", dt.date(2022, 8, 1)),
            ("pool", NEWS_POOL, "news", dt.date(2024, 3, 2)),
            ("preschool", NEWS_PRESCHOOL, "news", dt.date(2024, 11, 20)),
            ("trees", NEWS_TREES, "news", dt.date(2025, 4, 1)),
        ):
            raw = document_store.put_raw(s, body.encode(), "text/plain")
            title = f"Nyhet: {key} {SCRIPT}" if key == "trees" else f"Nyhet: {key}"
            if key == "program":
                title = "Valprogram 2022"
            doc = DocumentRow(
                tracker_id=tracker.id,
                origin=f"{key}.txt",
                item_key="0",
                kind=kind,
                title=title,
                body=body,
                content_hash=key,
                raw_sha256=raw,
                stage="parse:test",
                stage_version="1",
                date_value=day,
                date_precision="day",
                date_provenance="explicit",
            )
            s.add(doc)
            docs[key] = doc
        s.flush()

        def pledge(
            part: str,
            area: str | None,
            state: str = "candidate",
            parent: int | None = None,
            within: tuple[int, int] | None = None,
        ) -> PledgeRow:
            start, end = _span(PROGRAM, part) if within is None else within
            row = PledgeRow(
                tracker_id=tracker.id,
                document_id=docs["program"].id,
                start=start,
                end=end,
                quote=PROGRAM[start:end],
                area=area,
                attributes={"type": "action", "checkable": True},
                confidence=0.9,
                stage="extract",
                stage_version="1",
                state=state,
                parent_id=parent,
            )
            s.add(row)
            s.flush()
            return row

        pool = pledge("Vi ska bygga en ny simhall i Norrvik.", "Idrott och fritid", "confirmed")
        group = pledge("Vi ska sänka taxan i förskolan och anställa fler förskollärare.", "Skola")
        a, b = _span(PROGRAM, "Vi ska sänka taxan i förskolan")
        preschool = pledge("", "Skola", "confirmed", parent=group.id, within=(a, b))
        c, d = _span(PROGRAM, "anställa fler förskollärare.")
        teachers = pledge("", "Skola", "confirmed", parent=group.id, within=(c, d))
        trees = pledge(f"Vi ska plantera tusen träd {SCRIPT} längs ån.", f"Miljö {SCRIPT}")
        vague = pledge("Vi vill att det ska bli bättre.", None, "rejected")
        # the event the library writes when it makes pledges, so the store verifies
        audit.record_event(
            s,
            "pledge.extract",
            "document",
            docs["program"].id,
            "tester",
            pledges=[
                audit.pledge_state(r) for r in (pool, group, preschool, teachers, trees, vague)
            ],
        )

        def evidence(
            pledge_row: PledgeRow, key: str, features: dict[str, Any], score: float
        ) -> EvidenceRow:
            body = docs[key].body
            row = EvidenceRow(
                pledge_id=pledge_row.id,
                document_id=docs[key].id,
                start=0,
                end=len(body),
                score=score,
                features=features,
                stage="link",
                stage_version="1",
                stance="supports",
            )
            s.add(row)
            s.flush()
            return row

        ev_pool = evidence(
            pool,
            "pool",
            {
                "matched_terms": [["simhall", "simhallen"], ["Norrvik", "Norrvik"]],
                "passage": [0, NEWS_POOL.index(" av ")],
                "checks": {  # as pipeline/constraints.py's Checks.as_dict gives them
                    "date_ok": True,
                    "in_term": None,
                    "jurisdiction": "own",
                    "actor": True,
                    "weight": 1.25,
                },
                "status_hint": "kept",
                "hint_confidence": 0.8,
                "dense": {
                    "cosine": 0.87,
                    "lexical_rank": 3,
                    "dense_rank": 1,
                    "fused_rank": 1,
                    "placed_by": "dense",
                },
            },
            0.9,
        )
        ev_preschool = evidence(preschool, "preschool", {}, 0.7)  # no explanation at all
        ev_trees = evidence(
            trees,
            "trees",
            {
                "matched_terms": [["träd", "Träden"], ["ån", "ån"]],
                "passage": "broken",
                "checks": None,
            },
            0.5,
        )
        site = Site(
            store,
            "sjovik",
            docs["program"].id,
            {k: v.id for k, v in docs.items()},
            pool.id,
            preschool.id,
            trees.id,
            vague.id,
            group.id,
            (preschool.id, teachers.id),
            ev_pool.id,
            ev_preschool.id,
            ev_trees.id,
        )
    users.add_user(store, "admin1", PASSWORD, Role.ADMIN, actor="tester")
    users.add_user(store, "anna", PASSWORD, Role.EDITOR, actor="tester")
    users.add_user(store, "bo", PASSWORD, Role.EDITOR, actor="tester")
    users.add_user(store, "vera", PASSWORD, Role.VIEWER, actor="tester")
    return site


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with small parameters: the web tests log in often, not to test hashing."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def site(store: Store) -> Site:
    return build_site(store)


def make_app(store: Store) -> FastAPI:
    settings = Settings(secret_key="test-secret-key-for-the-web-tests", _env_file=None)  # type: ignore[call-arg]
    app = create_app(store, settings)
    app.state.login_pause = 0.01  # the tarpit's wait on a throttled login, short for the tests
    return app


def make_client(
    store: Store,
    base_url: str = "http://testserver",
    address: str = "testclient",
    app: FastAPI | None = None,
) -> TestClient:
    """A browser; `address` is the client address the server sees, `app` shares one server."""
    return TestClient(
        app or make_app(store), base_url=base_url, follow_redirects=False, client=(address, 50000)
    )


@pytest.fixture
def client(site: Site) -> TestClient:
    return make_client(site.store)


def snapshot(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the login bookkeeping, to see that nothing changed."""
    with site.store.session() as s:
        return {
            t.name: sorted(map(tuple, s.execute(select(t)).all()), key=repr)
            for t in Base.metadata.sorted_tables
            if t.name not in {"login_failures"}
        }


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def login(client: TestClient, username: str) -> str:
    """Log in through the form; returns the session's CSRF token for later posts."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/edit"},
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/edit").text)


@contextlib.contextmanager
def live_server(store: Store) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL.

    Closer to production than TestClient: requests from several client threads really run at
    the same time in the server's thread pool, each with its own database session.
    """
    import uvicorn

    settings = Settings(secret_key="test-secret-key-for-the-web-tests", _env_file=None)  # type: ignore[call-arg]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store, settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def login_http(client: httpx.Client, username: str) -> str:
    """`login` for an httpx client talking to a live server."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/edit"},
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/edit").text)


@pytest.fixture
def served(sqlite_store: Store) -> Iterator[tuple[str, Site]]:
    """The test site served live on 127.0.0.1, for the browser tests."""
    site = build_site(sqlite_store)
    with live_server(sqlite_store) as base:
        yield base, site


def browser_login(tab: Any, base: str, next_path: str, name: str = "anna") -> None:
    """Sign in through the login form in a real browser tab, landing on `next_path`."""
    tab.goto(f"{base}/login?next={next_path}")
    tab.get_by_label("Användarnamn").fill(name)
    tab.get_by_label("Lösenord").fill(PASSWORD)
    tab.get_by_role("button", name="Logga in").click()


class _Collected(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def logged(level: int = logging.WARNING) -> Iterator[list[logging.LogRecord]]:
    """What the Löfte and uvicorn loggers get at `level` and above while it is entered: an
    operator's log, one record per line."""
    handler = _Collected(level)
    loggers = [logging.getLogger("lofte"), logging.getLogger("uvicorn")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
