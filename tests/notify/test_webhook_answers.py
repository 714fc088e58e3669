"""What a webhook receiver answers after its status line is not Löfte's business: the body of
the answer is never read, so a receiver that accepted the digest (2xx) and then trickles or
floods its body neither fails the delivery (which would post the digest again and again) nor
fills the sender's memory. The receiver is a local http.server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lofte.notify import webhook

from .helpers import settings

SECRET = "a-secret-of-enough-length"


@contextlib.contextmanager
def _endless_receiver(pause: float) -> Iterator[tuple[str, int, list[bytes]]]:
    """Answers 200 at once, then writes a body without end (a byte per `pause` seconds, or as
    fast as it can with 0) until the client hangs up."""
    posted: list[bytes] = []
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posted.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no length: the body lasts until the connection closes
            chunk = b"x" * (65536 if pause == 0 else 1)
            try:
                while not done.is_set():
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if pause:
                        time.sleep(pause)
            except OSError:
                pass  # the client hung up: what we want

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/hook", port, posted
    finally:
        done.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_2xx_whose_body_trickles_is_a_delivery_not_a_failure() -> None:
    with _endless_receiver(pause=0.1) as (url, port, posted):
        result = webhook.post(
            url,
            {"type": "lofte.digest"},
            SECRET,
            settings=settings(fetch_allow_hosts=f"127.0.0.1:{port}", webhook_timeout=1.0),
            sleep=lambda _: None,
        )
    # one try, accepted: not three tries each ended by the time-out
    assert (result.attempts, result.status) == (1, 200)
    assert len(posted) == 1


def test_a_flooding_receiver_is_not_read() -> None:
    with _endless_receiver(pause=0) as (url, port, posted):
        result = webhook.post(
            url,
            {"type": "lofte.digest"},
            SECRET,
            settings=settings(fetch_allow_hosts=f"127.0.0.1:{port}", webhook_timeout=1.0),
            sleep=lambda _: None,
        )
    assert (result.attempts, result.status) == (1, 200) and len(posted) == 1
