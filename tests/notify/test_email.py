"""A digest by e-mail, received by a local aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket

import pytest

from lofte.config import Settings
from lofte.errors import NotifyError
from lofte.notify.digest import build_digest
from lofte.notify.email import build_message, send_message
from lofte.store.subscriptions import NewSuggestion

from .helpers import SCRIPT, settings, smtp_inbox

UNTIL = dt.datetime(2026, 11, 20, 12, 0)


def _digest():  # type: ignore[no-untyped-def]
    suggestion = NewSuggestion(
        evidence_id=5,
        pledge_id=3,
        quote="Vi ska bygga en ny simhall i Norrvik.",
        document_id=9,
        document_title=f"Simhallen invigd {SCRIPT}",
        document_url="https://news.example/simhall",
        score=0.9,
        created_at=UNTIL,
    )
    return build_digest(
        tracker_slug="sjovik",
        tracker_name="Sjövik",
        last_sent_at=None,
        until=UNTIL,
        suggestions=[suggestion],
        overdue=[],
        base_url="https://lofte.example",
    )


def test_the_local_server_receives_a_multipart_digest() -> None:
    message = build_message(_digest(), to="anna@redaktion.example", sender="lofte@lofte.example")
    with smtp_inbox() as inbox:
        send_message(message, settings(smtp_host="127.0.0.1", smtp_port=inbox.port))
    assert len(inbox.messages) == 1
    recipients, received = inbox.messages[0]
    assert recipients == ["anna@redaktion.example"]
    assert received["Subject"] == "Löfte: Sjövik: 1 nya förslag, 0 löften efter tidsgränsen"
    assert received["From"] == "lofte@lofte.example"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert text is not None and html is not None
    assert "Vi ska bygga en ny simhall i Norrvik." in text.get_content()
    assert "https://lofte.example/edit/pledges/3" in text.get_content()
    assert "&lt;script&gt;" in html.get_content() and "<script>" not in html.get_content()


def test_english_when_asked() -> None:
    message = build_message(_digest(), to="a@b.example", sender="l@b.example", lang="en")
    assert message["Subject"] == "Löfte: Sjövik: 1 new suggestions, 0 pledges past their deadline"


def test_no_server_configured_is_a_notify_error() -> None:
    message = build_message(_digest(), to="a@b.example", sender="l@b.example")
    with pytest.raises(NotifyError, match="LOFTE_SMTP_HOST"):
        send_message(message, settings(smtp_host=""))


def test_a_refused_connection_is_a_notify_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message = build_message(_digest(), to="a@b.example", sender="l@b.example")
    with pytest.raises(NotifyError, match="a@b.example"):
        send_message(message, settings(smtp_host="127.0.0.1", smtp_port=port))


def test_login_uses_the_configured_secret() -> None:
    calls: list[tuple[str, ...]] = []

    class FakeSMTP:
        def __init__(self, **kwargs: object) -> None:
            calls.append(("connect", str(kwargs["host"]), str(kwargs["port"])))

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *args: object) -> None:
            pass

        def starttls(self, context: object) -> None:
            calls.append(("starttls",))

        def login(self, user: str, password: str) -> None:
            calls.append(("login", user, password))

        def send_message(self, message: object) -> dict[str, object]:
            return {}

    message = build_message(_digest(), to="a@b.example", sender="l@b.example")
    send_message(
        message,
        settings(
            smtp_host="smtp.example",
            smtp_port=587,
            smtp_starttls=True,
            smtp_username="lofte",
            smtp_password="hemligt-lösen",
        ),
        smtp_factory=FakeSMTP,  # type: ignore[arg-type]
    )
    assert calls == [
        ("connect", "smtp.example", "587"),
        ("starttls",),
        ("login", "lofte", "hemligt-lösen"),
    ]
    assert "hemligt" not in repr(settings(smtp_password="hemligt-lösen"))


class _Recorder:
    """An SMTP stand-in that records its class, its arguments and the calls made on it."""

    calls: list[tuple[str, ...]] = []

    def __init__(self, **kwargs: object) -> None:
        type(self).calls.append(
            (type(self).__name__, str(kwargs["port"]), type(kwargs.get("context")).__name__)
        )

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def starttls(self, context: object) -> None:
        type(self).calls.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        type(self).calls.append(("login", user))

    def send_message(self, message: object) -> dict[str, object]:
        type(self).calls.append(("send",))
        return {}


def test_a_password_is_never_sent_without_tls() -> None:
    _Recorder.calls = []
    message = build_message(_digest(), to="a@b.example", sender="l@b.example")
    clear = settings(
        smtp_host="smtp.example", smtp_starttls=False, smtp_username="lofte", smtp_password="pw"
    )
    with pytest.raises(NotifyError, match="LOFTE_SMTP_STARTTLS") as failure:
        send_message(message, clear, smtp_factory=_Recorder)  # type: ignore[arg-type]
    assert "LOFTE_SMTP_SSL" in str(failure.value) and "pw" not in str(failure.value)
    assert _Recorder.calls == []  # not even connected
    # without a login a local relay without TLS is still fine
    send_message(message, settings(smtp_host="relay.local", smtp_starttls=False), _Recorder)  # type: ignore[arg-type]
    assert _Recorder.calls == [("_Recorder", "587", "NoneType"), ("send",)]


def test_implicit_tls_uses_smtp_ssl_with_a_verifying_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class FakeSSL(_Recorder):
        pass

    class FakePlain(_Recorder):
        pass

    FakeSSL.calls = FakePlain.calls = _Recorder.calls = []
    monkeypatch.setattr(smtplib, "SMTP_SSL", FakeSSL)
    monkeypatch.setattr(smtplib, "SMTP", FakePlain)
    message = build_message(_digest(), to="a@b.example", sender="l@b.example")
    implicit = settings(
        smtp_host="smtp.example",
        smtp_port=465,
        smtp_ssl=True,
        smtp_starttls=True,  # ignored: the connection is TLS from the start
        smtp_username="lofte",
        smtp_password="pw",
    )
    send_message(message, implicit)
    assert _Recorder.calls == [("FakeSSL", "465", "SSLContext"), ("login", "lofte"), ("send",)]
    assert Settings(_env_file=None).smtp_ssl is False  # type: ignore[call-arg]
