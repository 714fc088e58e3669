"""Run the web app with uvicorn (bound to 127.0.0.1 unless told otherwise), in one process or
in several worker processes (`lofte serve --workers N`).

Workers are separate processes that uvicorn starts and restarts; each builds its own app and
store from the environment (`app_from_environment`): the database URL, and the session key,
which must be the same in every worker, else a session cookie signed by one worker would be
refused by the next. When LOFTE_SECRET_KEY is not set, one random key is made here and handed
to all of them (logins still end when the server stops). Several processes may share a SQLite
file: it is opened in WAL mode (readers never block the one writer) with a busy timeout.

Löfte's own log lines (the loggers under "lofte") go to standard error with a time, the level,
the logger's name and the process id, in the parent and in every worker (uvicorn applies its
logging configuration, ours included, in each worker process it starts); uvicorn's own access
and error lines keep uvicorn's format.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import logging
import os
import secrets
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from fastapi import FastAPI

from ..config import get_settings
from ..errors import MigrationError, UnavailableError
from ..log_setup import LOG_FORMAT, LOGGER, StderrHandler, configure_logging
from ..store.db import Store, open_store
from .app import PLACEHOLDER_SECRET, create_app

log = logging.getLogger("lofte.web")
DATABASE_ENV = "LOFTE_DATABASE_URL"
SECRET_ENV = "LOFTE_SECRET_KEY"
# The pid of `lofte serve --workers N`, for its workers: each ends when that process is no
# longer its parent (not "when the parent is pid 1": in a container `lofte serve` *is* pid 1)
SUPERVISOR_ENV = "LOFTE_SUPERVISOR_PID"


def log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging configuration plus a handler for Löfte's loggers ("lofte" and below):
    without one their lines went out through logging's last resort, the bare message. uvicorn
    applies it in the parent and in each worker process; `configure_logging` does the same
    for the lines logged before uvicorn starts."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    handler = f"{StderrHandler.__module__}.{StderrHandler.__qualname__}"  # a light import
    config["formatters"]["lofte"] = {"format": LOG_FORMAT}
    config["handlers"]["lofte"] = {"class": handler, "formatter": "lofte"}
    config["loggers"][LOGGER] = {"handlers": ["lofte"], "level": log_level.upper()}
    return config


def _end_with_the_supervisor() -> None:
    """Ask Linux to send this worker SIGTERM when the process that started it dies: after a
    `kill -9` of `lofte serve --workers N` its workers went on serving and held the port, and
    their command lines do not say lofte (QA). SIGTERM lets uvicorn finish its requests.
    The supervisor is the pid `run_server` left in SUPERVISOR_ENV; a worker uvicorn was asked
    to start some other way has none and lives as uvicorn's workers do."""
    supervisor = os.environ.get(SUPERVISOR_ENV, "")
    if not sys.platform.startswith("linux") or not supervisor.isdigit():
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the worker lives as before
        return
    if os.getppid() != int(supervisor):  # it died before the request took effect (QA: the
        # test was "parent is pid 1", and `lofte serve` as a container's pid 1 started
        # workers that ended at once, in a loop, never serving)
        os.kill(os.getpid(), signal.SIGTERM)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _warn_of_proxy_settings(public_url: str, proxies: str) -> None:
    """Warn of an address the server's pages do not work under and of settings that leave a
    public site open (QA, an operations engineer behind a TLS proxy). Warnings, not refusals:
    a site whose public pages are static files under a path names that path, and its
    editors' server still serves (review)."""
    path = urlsplit(public_url).path.strip("/")
    if path:  # every page links /static/…, /trackers/…: nothing of it works under a path
        log.warning(
            "LOFTE_PUBLIC_URL %r has a path (/%s): the pages `lofte serve` answers link from "
            "the root of the host, so they do not work under that path; serve them at a host "
            "of their own (e.g. https://lofte.example.se), or publish the public pages under "
            "the path with `lofte publish --static` (docs/deploy.md)",
            public_url,
            path,
        )
    if any(part.strip() == "*" for part in proxies.split(",")):
        log.warning(
            "LOFTE_TRUSTED_PROXIES has *: any client's X-Forwarded-For is believed, so a "
            "client can pass the login throttle and put any address in the log; name the "
            "proxy's address instead (docs/deploy.md)"
        )
    if public_url.startswith("https:") and not proxies:
        log.warning(
            "LOFTE_PUBLIC_URL is https but LOFTE_TRUSTED_PROXIES is empty: the TLS proxy's "
            "X-Forwarded-Proto is not believed, so the login cookie is not marked Secure and "
            "no HSTS header is sent; name the proxy's address (docs/deploy.md)"
        )


def app_from_environment() -> FastAPI:
    """The app of one worker process: the store at LOFTE_DATABASE_URL (uvicorn's factory)."""
    _end_with_the_supervisor()
    settings = get_settings()
    try:
        store = open_store(settings.database_url)
    except (UnavailableError, MigrationError) as exc:
        # A worker uvicorn (re)starts while the database is down, or one of a server started
        # during an outage whose database came back without its schema: it answers 503 until
        # the database is back at the newest schema (the app checks it before its first
        # page), instead of dying with a traceback, to be restarted and die again in a loop.
        log.error("worker started without its database: %s", exc)
        return create_app(Store(settings.database_url), settings, schema_checked=False)
    return create_app(store, settings)


@contextlib.contextmanager
def _stop_is_a_clean_end() -> Iterator[None]:
    """SIGTERM ends the one-process server with exit code 0, as it ends `--workers N`: uvicorn
    finishes its requests and then sends the signal to itself again, which made the process
    end as killed (143; QA, an operations engineer: a supervisor logged a stop as a failure).
    From the app's making on, a SIGTERM before uvicorn listens ends the start the same way;
    one during the imports and the database check before it still ends the process as killed."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are the main thread's (a test's server in a thread)
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_server(
    store: Store,
    host: str,
    port: int,
    *,
    workers: int = 1,
    log_level: str = "info",
    schema_checked: bool = True,
) -> None:
    """Serve `store`. `schema_checked`: `open_store` saw the schema current; when False (a
    start during an outage) the app answers 503 until it has (see `app.schema_gate`)."""
    # Forwarded headers decide the client address the login throttle counts and whether the
    # session cookie is Secure: believe them only from the proxies the operator named.
    configure_logging(log_level)
    settings = get_settings()
    if not settings.public_url:
        # RSS has no base address: a feed reader cannot follow a root-relative link (QA).
        log.warning(
            "LOFTE_PUBLIC_URL is not set: the RSS feeds' and the badge snippet's links are "
            "relative, and feed readers cannot follow them"
        )
    proxies = settings.trusted_proxies.strip()
    _warn_of_proxy_settings(settings.public_url, proxies)
    options = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "log_config": log_config(log_level),
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }
    if workers <= 1:
        with _stop_is_a_clean_end():
            uvicorn.run(create_app(store, schema_checked=schema_checked), **options)  # type: ignore[arg-type]
        return
    os.environ[DATABASE_ENV] = store.url  # the workers' store
    os.environ[SUPERVISOR_ENV] = str(os.getpid())
    if settings.secret_key.get_secret_value() == PLACEHOLDER_SECRET:
        log.warning(
            "LOFTE_SECRET_KEY is not set: using a random key; logins end when the server stops"
        )
        os.environ[SECRET_ENV] = secrets.token_urlsafe(32)  # one key for every worker
    store.dispose()  # each worker opens its own connections
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
