"""`lofte serve`: forwarded headers are believed only from the proxies named in
LOFTE_TRUSTED_PROXIES; `--workers N` runs N processes that share the store and session key."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lofte.config import get_settings
from lofte.model import VerdictStatus
from lofte.review import verdicts
from lofte.store.db import Store, open_store
from lofte.web import server

from .conftest import build_site


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [("", (False, None)), ("127.0.0.1, 10.0.0.5", (True, "127.0.0.1, 10.0.0.5"))],
)
def test_forwarded_headers_are_believed_only_from_trusted_proxies(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, proxies: str, expected: tuple[bool, Any]
) -> None:
    seen = _served_with(monkeypatch, sqlite_store, "", proxies)
    assert (seen["proxy_headers"], seen["forwarded_allow_ips"]) == expected


def test_workers_get_the_store_and_one_session_key_from_the_environment(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.delenv("LOFTE_SECRET_KEY", raising=False)
    monkeypatch.setenv("LOFTE_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv(server.SUPERVISOR_ENV, "")  # run_server sets it: undone after the test
    get_settings.cache_clear()
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    try:
        server.run_server(sqlite_store, "127.0.0.1", 8123, workers=3)
        assert os.environ[server.SUPERVISOR_ENV] == str(os.getpid())  # the workers' parent
        # what a worker process does with that environment
        get_settings.cache_clear()
        assert get_settings().database_url == sqlite_store.url
        key = get_settings().secret_key.get_secret_value()
    finally:
        get_settings.cache_clear()
    assert seen["app"] == "lofte.web.server:app_from_environment"
    assert (seen["factory"], seen["workers"], seen["host"]) == (True, 3, "127.0.0.1")
    assert key != server.PLACEHOLDER_SECRET and len(key) >= 32  # random, and one for all


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _serving(
    tmp_path: Path, env: dict[str, str], workers: int, *, healthy: bool = True
) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """The real `lofte serve --workers N` on a free port of 127.0.0.1 (the default address),
    its log in tmp_path/serve.log: (process, base URL, log) once `/healthz` answers (200 when
    `healthy`, else any status); stopped with its workers on leaving."""
    port = _free_port()
    env = {k: v for k, v in env.items() if k != "LOFTE_HOST"}
    serve_log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "lofte", "serve", "--workers", str(workers)]
    with serve_log.open("wb") as log_file:
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200 or not healthy:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, serve_log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield proc, base, serve_log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        with contextlib.suppress(ProcessLookupError):  # workers left by a killed supervisor
            os.killpg(proc.pid, signal.SIGKILL)


def test_lofte_serve_with_two_workers_answers_and_sees_changes(tmp_path: Path) -> None:
    """`lofte serve --workers 2` on a free port of 127.0.0.1: pages answer from both worker
    processes, and a verdict set meanwhile (by another process) shows on the meter at once."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    store = open_store(url, create=True)
    site = build_site(store)
    env = dict(os.environ, LOFTE_DATABASE_URL=url, LOFTE_SECRET_KEY="k" * 40)
    try:
        serving = _serving(tmp_path, env, workers=2)
        with serving as (_, base, serve_log), httpx.Client(base_url=base, timeout=30) as client:
            for path in ("/", "/trackers/sjovik", f"/pledges/{site.pool}", "/api/trackers"):
                response = client.get(path)
                assert response.status_code == 200, path
                assert response.headers["x-content-type-options"] == "nosniff"
            # an uptime monitor's HEAD: the GET's answer without its body, over real HTTP
            head = client.head("/healthz")
            assert head.status_code == 200 and head.content == b""
            assert (
                head.headers["content-length"] == client.get("/healthz").headers["content-length"]
            )
            before = client.get("/api/trackers/sjovik").json()["meter"]["counts"]
            verdicts.set_verdict(
                store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
            )
            # new connections, so that both workers answer some of them
            counts = [
                httpx.get(f"{base}/api/trackers/sjovik", timeout=30).json()["meter"]["counts"]
                for _ in range(8)
            ]
        assert all(c["in_the_works"] == before["in_the_works"] + 1 for c in counts)
    finally:
        store.dispose()
    log = serve_log.read_text()
    # listening on 127.0.0.1 (the default), with two worker processes
    assert f"Uvicorn running on {base}" in log, log
    assert log.count("Started server process") >= 2, log


def _worker_app(monkeypatch: pytest.MonkeyPatch, url: str) -> Any:
    """The app a uvicorn worker of `lofte serve` builds from its environment, for `url`."""
    monkeypatch.setenv("LOFTE_DATABASE_URL", url)
    monkeypatch.setenv("LOFTE_SECRET_KEY", "x" * 32)
    get_settings.cache_clear()
    try:
        return server.app_from_environment()
    finally:
        get_settings.cache_clear()


def test_a_worker_started_while_the_database_is_down_answers_503(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """uvicorn restarts a worker while PostgreSQL is down: it serves 503s (and recovers as the
    single-process server does) instead of failing to start."""
    from fastapi.testclient import TestClient

    app = _worker_app(monkeypatch, "postgresql://lofte:hemligt@127.0.0.1:1/lofte")
    try:
        health = TestClient(app).get("/healthz")
    finally:
        app.state.store.dispose()
    assert health.status_code == 503 and health.json() == {"status": "unavailable"}


_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<name>lofte[\w.]*)"
    r"\[(?P<pid>\d+)\]: (?P<message>.*)$"
)


@pytest.mark.parametrize("workers", [1, 2])
def test_lofte_serve_log_lines_carry_time_level_and_logger(tmp_path: Path, workers: int) -> None:
    """An operator's log of `lofte serve`: Löfte's own lines (the parent's warning about the
    session key, a worker's line about a failed request) carry a time, the level, the logger
    and the process, in the parent and in each worker process; before, they came out bare."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    store = open_store(url, create=True)
    build_site(store)
    store.dispose()
    env = dict(os.environ, LOFTE_DATABASE_URL=url)
    env.pop("LOFTE_SECRET_KEY", None)  # no key: a warning
    with _serving(tmp_path, env, workers) as (proc, base, serve_log):
        # a table gone from under the server: each request a 500 and one line of lofte.web
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path, isolation_level=None) as other:
            other.execute("PRAGMA foreign_keys=OFF")
            other.execute("DROP TABLE trackers")
        statuses = [httpx.get(f"{base}/", timeout=30).status_code for _ in range(4)]
    assert statuses == [500] * 4
    log = serve_log.read_text()
    ours = [line for line in log.splitlines() if "lofte" in line.lower() or "GET /" in line]
    shaped = [m for m in map(_LINE.match, ours) if m]
    bare = [line for line in ours if not _LINE.match(line) and "HTTP/1.1" not in line]
    assert not bare, log  # uvicorn's access lines ("GET / HTTP/1.1" 500) keep their format
    warnings = [m for m in shaped if m["level"] == "WARNING" and "LOFTE_SECRET_KEY" in m["message"]]
    failures = [
        m for m in shaped if m["level"] == "ERROR" and m["message"].startswith("GET /: 500")
    ]
    assert warnings and all(m["name"] == "lofte.web" for m in warnings + failures), log
    assert len(failures) == 4, log
    if workers > 1:  # the parent warned; the worker processes answered and logged
        parent = {m["pid"] for m in warnings}
        assert parent == {str(proc.pid)} and not parent & {m["pid"] for m in failures}, log


@pytest.mark.parametrize("workers", [1, 2])
def test_lofte_serve_started_during_an_outage_answers_503(tmp_path: Path, workers: int) -> None:
    """`lofte serve` while PostgreSQL cannot be reached (a closed port of 127.0.0.1): it starts,
    logs one warning naming the store without its password, and answers 503 (the site's page,
    `/healthz` "unavailable") instead of refusing to start."""
    secret = "hemligt"
    env = dict(
        os.environ,
        LOFTE_DATABASE_URL=f"postgresql://lofte:{secret}@127.0.0.1:1/lofte",
        LOFTE_SECRET_KEY="k" * 40,
        LOFTE_PUBLIC_URL="https://lofte.example.se",  # no warning about feed links either
        LOFTE_TRUSTED_PROXIES="127.0.0.1",  # nor about the https site's proxy
    )
    with _serving(tmp_path, env, workers, healthy=False) as (proc, base, serve_log):
        health = httpx.get(f"{base}/healthz", timeout=5)
        page = httpx.get(f"{base}/", timeout=30)
        api = httpx.get(f"{base}/api/v1/trackers", timeout=30)
    log = serve_log.read_text()
    assert health.status_code == 503 and health.json() == {"status": "unavailable"}, log
    assert page.status_code == 503 and "Databasen går inte att nå just nu" in page.text
    assert page.headers["retry-after"].isdigit()
    assert api.status_code == 503 and "cannot be reached" in api.json()["error"]
    assert secret not in log and secret not in page.text
    shown = "postgresql+psycopg://lofte:***@127.0.0.1:1/lofte"
    warnings = [m for m in map(_LINE.match, log.splitlines()) if m and m["level"] == "WARNING"]
    assert len(warnings) == 1, log
    assert warnings[0]["pid"] == str(proc.pid) and shown in warnings[0]["message"], log
    assert "Traceback" not in log, log


def test_a_worker_does_not_serve_pages_before_the_schema_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker of a server started during an outage, whose database came back without
    `lofte init`: 503 (not pages against a missing schema, not a worker dying at start), and
    the usual answers once the database is migrated, without a restart."""
    from fastapi.testclient import TestClient

    url = f"sqlite:///{tmp_path / 'later.db'}"
    app = _worker_app(monkeypatch, url)
    client = TestClient(app)
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json() == {"status": "unmigrated"}
        page = client.get("/?lang=en")
        assert page.status_code == 503 and "The site is being updated" in page.text
        assert client.get("/api/v1/trackers").status_code == 503
        open_store(url, create=True).dispose()  # `lofte init`
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        app.state.store.dispose()


@pytest.mark.parametrize(
    ("public_url", "warned"), [(None, True), ("https://lofte.example.se", False)]
)
def test_serve_warns_when_feeds_would_have_relative_links(
    sqlite_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    public_url: str | None,
    warned: bool,
) -> None:
    """QA: without LOFTE_PUBLIC_URL every feed link is root-relative, which RSS readers cannot
    resolve; `lofte serve` said nothing of it."""
    monkeypatch.setenv("LOFTE_SECRET_KEY", "x" * 32)
    if public_url:
        monkeypatch.setenv("LOFTE_PUBLIC_URL", public_url)
    else:
        monkeypatch.delenv("LOFTE_PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: None)
    try:
        with caplog.at_level("WARNING"):
            server.run_server(sqlite_store, "127.0.0.1", 8123)
    finally:
        get_settings.cache_clear()
    assert ("LOFTE_PUBLIC_URL is not set" in caplog.text) is warned


def test_the_workers_end_when_lofte_serve_is_killed_hard(tmp_path: Path) -> None:
    """QA: after `kill -9` of `lofte serve --workers 2` both workers went on serving and held
    the port (their command lines do not say lofte). Each asks Linux for SIGTERM when its
    supervisor dies."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    open_store(url, create=True).dispose()
    env = dict(os.environ, LOFTE_DATABASE_URL=url, LOFTE_SECRET_KEY="k" * 40)
    with _serving(tmp_path, env, workers=2) as (proc, base, serve_log):
        proc.kill()  # SIGKILL to the supervisor only: its workers are not told
        proc.wait()
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=2)
            except httpx.TransportError:
                break  # nobody listens: the workers are gone
            assert time.monotonic() < deadline, f"workers still serving: {serve_log.read_text()}"
            time.sleep(0.2)


def _served_with(
    monkeypatch: pytest.MonkeyPatch, store: Store, public_url: str, proxies: str
) -> dict[str, Any]:
    """What `run_server` hands uvicorn with these settings (uvicorn itself not started)."""
    seen: dict[str, Any] = {}
    monkeypatch.setenv("LOFTE_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("LOFTE_PUBLIC_URL", public_url)
    monkeypatch.setenv("LOFTE_TRUSTED_PROXIES", proxies)
    get_settings.cache_clear()
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: seen.update(kw))
    try:
        server.run_server(store, "127.0.0.1", 8123)
    finally:
        get_settings.cache_clear()
    return seen


def test_serve_warns_of_a_public_address_with_a_path(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """QA, an operations engineer: under https://example.se/lofte/ every page linked
    /static/style.css and /login at the host's root, and no setting changed it. The server
    answers at a host's root only and says so as it starts; it still starts, for a site whose
    public pages are static files under that path (review)."""
    with caplog.at_level("WARNING"):
        assert _served_with(monkeypatch, sqlite_store, "https://example.se/lofte/", "127.0.0.1")
    assert re.search(r"has a path \(/lofte\).*docs/deploy.md", caplog.text)
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert _served_with(monkeypatch, sqlite_store, "https://val.example.se/", "127.0.0.1")
    assert "has a path" not in caplog.text


@pytest.mark.parametrize(
    ("public_url", "proxies", "warning"),
    [
        ("https://val.example.se", "*", "LOFTE_TRUSTED_PROXIES has *"),
        ("https://val.example.se", "10.0.0.5, *", "LOFTE_TRUSTED_PROXIES has *"),
        ("https://val.example.se", "", "LOFTE_PUBLIC_URL is https but LOFTE_TRUSTED_PROXIES"),
        ("https://val.example.se", "127.0.0.1", None),
        ("http://127.0.0.1:8000", "", None),
    ],
)
def test_serve_warns_of_proxy_settings_that_leave_the_site_open(
    sqlite_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    public_url: str,
    proxies: str,
    warning: str | None,
) -> None:
    """QA: with `*` a client chose the address the login throttle counted (14 failed logins,
    no 429) and wrote any text into the log; an https address without a trusted proxy sent
    the login cookie without Secure and no HSTS. Neither said a word at start."""
    with caplog.at_level("WARNING"):
        _served_with(monkeypatch, sqlite_store, public_url, proxies)
    warned = [r.getMessage() for r in caplog.records if "PROXIES" in r.getMessage()]
    if warning is None:
        assert warned == []
    else:
        assert len(warned) == 1 and warned[0].startswith(warning)


WORKER_CHECK = """
import os, signal, sys
from lofte.web import server
if sys.argv[1] == "pid1":  # `lofte serve` as a container's pid 1: every worker's parent is 1
    os.getppid = lambda: 1
server._end_with_the_supervisor()
print("serving")
"""


@pytest.mark.parametrize(
    ("case", "supervisor", "serves"),
    [("pid1", "1", True), ("parent", "parent", True), ("parent", "999999", False)],
)
def test_a_worker_ends_only_when_its_supervisor_is_gone(
    case: str, supervisor: str, serves: bool
) -> None:
    """QA: `lofte serve --workers 2` as a container's pid 1 restarted its workers twelve times
    in 35 s and never served: a worker took "my parent is pid 1" for "my supervisor died".
    The supervisor's own pid is the test now; a worker whose parent is not it ends."""
    env = dict(os.environ)
    env[server.SUPERVISOR_ENV] = str(os.getpid()) if supervisor == "parent" else supervisor
    done = subprocess.run(
        [sys.executable, "-c", WORKER_CHECK, case],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if serves:
        assert done.returncode == 0 and done.stdout.strip() == "serving", done.stderr
    else:
        assert done.returncode == -signal.SIGTERM and "serving" not in done.stdout


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_ends_lofte_serve_with_exit_code_0(tmp_path: Path, workers: int) -> None:
    """A supervisor's stop is a clean end in one process as with workers (QA, an operations
    engineer: one process ended as killed, 143, which systemd's and a container's logs read
    as a failure), after uvicorn has finished its requests."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    open_store(url, create=True).dispose()
    env = dict(os.environ, LOFTE_DATABASE_URL=url, LOFTE_SECRET_KEY="k" * 40)
    with _serving(tmp_path, env, workers=workers) as (proc, _, serve_log):
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, serve_log.read_text()
        assert "Finished server process" in serve_log.read_text()
