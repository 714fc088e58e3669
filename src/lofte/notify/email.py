"""A digest by e-mail: one multipart/alternative message (plain text and HTML) over SMTP.

The SMTP server comes from the settings (LOFTE_SMTP_*). `smtp_factory` builds the connection
(default `smtplib.SMTP`), so tests and callers may substitute it. Every failure (no server
configured, refused connection, login, a refused recipient, a time-out) is a NotifyError.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

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
    factory = smtp_factory or smtplib.SMTP
    try:
        with factory(
            host=settings.smtp_host, port=settings.smtp_port, timeout=settings.smtp_timeout
        ) as smtp:
            if settings.smtp_starttls:
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
