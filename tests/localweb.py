"""Tiny HTTP servers on 127.0.0.1 for tests that need real sockets (the SSRF guard, deadlines).

Each `LocalSite` serves routes given as functions of the request handler, logs every path asked
for, and has a `stop` event: slow routes (trickle, stall) end as soon as the site is torn down,
so a test that fails on a hang never keeps the suite waiting.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

Route = Callable[[BaseHTTPRequestHandler], None]
T = TypeVar("T")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a refused TLS handshake is part of some tests


class _Server6(_Server):
    address_family = socket.AF_INET6


class LocalSite:
    """A server on 127.0.0.1 (or `host`, e.g. "::1"), over TLS when given (cert, key) files."""

    def __init__(self, host: str = "127.0.0.1", tls: tuple[str, str] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[str] = []
        self.stop = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.seen.append(self.path)
                route = site.routes.get(self.path)
                try:
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = (_Server6 if ":" in host else _Server)((host, 0), Handler)
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.host = host
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        host = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{self.scheme}://{host}:{self.port}{path}"

    def page(self, path: str, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = send

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = send

    def trickle(self, path: str, interval: float = 0.5, total: int = 10_000) -> None:
        """Headers at once, then one byte every `interval` seconds until `total` or teardown."""

        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain; charset=utf-8")
            handler.send_header("Content-Length", str(total))
            handler.end_headers()
            handler.wfile.flush()
            for _ in range(total):
                if self.stop.wait(interval):
                    return
                handler.wfile.write(b"x")
                handler.wfile.flush()

        self.routes[path] = send

    def stall(self, path: str, *, after_headers: bool) -> None:
        """Say nothing (or only the headers) until teardown."""

        def send(handler: BaseHTTPRequestHandler) -> None:
            if after_headers:
                handler.send_response(200)
                handler.send_header("Content-Type", "text/plain")
                handler.send_header("Content-Length", "100")
                handler.end_headers()
                handler.wfile.write(b"a few bytes, then silence")
                handler.wfile.flush()
            self.stop.wait(120)

        self.routes[path] = send

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def local_sites(count: int = 1, **options: Any) -> Iterator[list[LocalSite]]:
    sites = [LocalSite(**options) for _ in range(count)]
    try:
        yield sites
    finally:
        for site in sites:
            site.close()


def finishes_within(seconds: float, work: Callable[[], T]) -> tuple[T | BaseException, float]:
    """Run `work` in a thread; its result (or the exception it raised) and the time it took.

    Fails the test if `work` is still running after `seconds`, instead of hanging the suite.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["value"] = exc

    start = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - start
    assert not thread.is_alive(), f"still running after {seconds:g} s"
    return outcome["value"], elapsed
