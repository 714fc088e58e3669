"""A digest by e-mail: one multipart/alternative message (plain text and HTML) over SMTP.

The SMTP server comes from the settings (LOFTE_SMTP_*). `smtp_factory` builds the connection
(default `smtplib.SMTP`, or `smtplib.SMTP_SSL` with LOFTE_SMTP_SSL, which then also gets a
verifying `context`), so tests and callers may substitute it. A login is refused before
connecting unless the connection is encrypted (STARTTLS or implicit TLS): a password never
goes in clear. Every failure (no server
configured, refused connection, login, a refused recipient, a time-out) is a NotifyError.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ..config import Settings
from ..errors import NotifyError
from .digest import Digest, render_html, render_text, subject

SmtpFactory = Callable[..., smtplib.SMTP]


def build_message(digest: Digest, *, to: str, sender: str, lang: str = "sv") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(digest, lang)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(render_text(digest, lang))
    message.add_alternative(render_html(digest, lang), subtype="html")
    return message


def send_message(
    message: EmailMessage, settings: Settings, smtp_factory: SmtpFactory | None = None
) -> None:
    """Hand the message to the configured SMTP server; NotifyError when it is not accepted."""
    if not settings.smtp_host:
        raise NotifyError("no SMTP server: set LOFTE_SMTP_HOST")
    if settings.smtp_username and not (settings.smtp_starttls or settings.smtp_ssl):
        raise NotifyError(
            "SMTP login without TLS would send the password in clear: turn on "
            "LOFTE_SMTP_STARTTLS or LOFTE_SMTP_SSL, or leave LOFTE_SMTP_USERNAME empty"
        )
    options: dict[str, Any] = {
        "host": settings.smtp_host,
        "port": settings.smtp_port,
        "timeout": settings.smtp_timeout,
    }
    if settings.smtp_ssl:
        options["context"] = ssl.create_default_context()
    factory = smtp_factory or (smtplib.SMTP_SSL if settings.smtp_ssl else smtplib.SMTP)
    try:
        with factory(**options) as smtp:
            if settings.smtp_starttls and not settings.smtp_ssl:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(
            f"e-mail to {message['To']} via {settings.smtp_host}:{settings.smtp_port} failed: {exc}"
        ) from exc
    if refused:
        raise NotifyError(f"the SMTP server refused {', '.join(sorted(refused))}")
