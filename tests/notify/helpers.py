"""Shared setup of the notify tests: a tracker with editors, suggestions and deadlines written as
rows (so the tests do not depend on the linker), a local SMTP server (aiosmtpd) and a local
webhook receiver (http.server), both on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from lofte.config import Settings
from lofte.model import Role
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store import users as user_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow

SCRIPT = "<script>alert(1)</script>"
NOW = dt.datetime(2026, 11, 20, 12, 0)


@dataclass
class Seed:
    tracker_id: int
    slug: str
    users: dict[str, int]
    pledge: int
    program: int


def seed(store: Store) -> Seed:
    """Tracker "sjovik" (a name with markup), editors anna and bo, admin ada, viewer vera, one
    confirmed pledge without a deadline."""
    with store.session() as s:
        tracker_store.ensure_tracker(s, "sjovik")
        row = tracker_store.get_tracker_row(s, "sjovik")
        row.name = f"Sjövik {SCRIPT}"
        s.flush()
        ids = {
            name: user_store.add_user(s, name, "x", role).id
            for name, role in (
                ("anna", Role.EDITOR),
                ("bo", Role.EDITOR),
                ("ada", Role.ADMIN),
                ("vera", Role.VIEWER),
            )
        }
        program = _document(s, row.id, "program", "Valprogram", "program")
        pledge = _pledge(s, row.id, program, "Vi ska bygga en ny simhall i Norrvik.", None)
        return Seed(row.id, "sjovik", ids, pledge, program)


def _document(s: Any, tracker_id: int, key: str, title: str, kind: str = "news") -> int:
    body = f"Text av {key}."
    raw = document_store.put_raw(s, body.encode(), "text/plain")
    doc = DocumentRow(
        tracker_id=tracker_id,
        origin=f"{key}.txt",
        item_key="0",
        kind=kind,
        title=title,
        body=body,
        url=f"https://news.example/{key}",
        content_hash=key,
        raw_sha256=raw,
        stage="parse:test",
        stage_version="1",
    )
    s.add(doc)
    s.flush()
    return doc.id


def _pledge(s: Any, tracker_id: int, document_id: int, quote: str, deadline: dt.date | None) -> int:
    row = PledgeRow(
        tracker_id=tracker_id,
        document_id=document_id,
        start=0,
        end=len(quote),
        quote=quote,
        attributes={},
        confidence=1.0,
        stage="extract",
        stage_version="1",
        state="confirmed",
        deadline=deadline,
    )
    s.add(row)
    s.flush()
    return row.id


def add_suggestion(
    store: Store, seed: Seed, key: str, at: dt.datetime, *, score: float = 0.8, title: str = ""
) -> int:
    """A news document `key` and a suggested piece of evidence for the seed's pledge, created at
    `at`; returns the evidence id."""
    with store.session() as s:
        doc = _document(s, seed.tracker_id, key, title or f"Nyhet {key}")
        row = EvidenceRow(
            pledge_id=seed.pledge,
            document_id=doc,
            start=0,
            end=5,
            score=score,
            features={},
            stage="link",
            stage_version="1",
            created_at=at,
            modified_at=at,
        )
        s.add(row)
        s.flush()
        return row.id


def add_deadline_pledge(store: Store, seed: Seed, quote: str, deadline: dt.date) -> int:
    with store.session() as s:
        return _pledge(s, seed.tracker_id, seed.program, quote, deadline)


def settings(**values: Any) -> Settings:
    base: dict[str, Any] = {
        "public_url": "https://lofte.example/",
        "smtp_from": "lofte@lofte.example",
        "smtp_starttls": False,
        "smtp_timeout": 10.0,
        "webhook_timeout": 10.0,
        "notify_backoff": 0.5,
        "notify_attempts": 3,
        "notify_min_interval": 0,  # every run; the interval has its own tests
    }
    return Settings(_env_file=None, **(base | values))  # type: ignore[call-arg]


# -- a local SMTP server ------------------------------------------------------------------------


class _Controller(Controller):
    """aiosmtpd 1.4 connects to `port` to check the server is up: with port 0 (any free port)
    it must first learn the port the server was given."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Inbox:
    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"


@contextlib.contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    inbox = Inbox(0)
    controller = _Controller(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()


# -- a local webhook receiver -------------------------------------------------------------------


@dataclass
class Receiver:
    url: str
    port: int
    answers: list[int]  # status codes to give, in order; the last one repeats
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@contextlib.contextmanager
def webhook_receiver(answers: list[int] | None = None) -> Iterator[Receiver]:
    receiver = Receiver("", 0, list(answers or [200]))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            index = min(len(receiver.requests), len(receiver.answers)) - 1
            self.send_response(receiver.answers[index])
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    receiver.url = f"http://127.0.0.1:{receiver.port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
