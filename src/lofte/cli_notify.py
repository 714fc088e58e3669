"""CLI commands for editors' digests: subscriptions and `lofte notify send` (issue 15).

Registered on the main app by `cli.py`. The rules live in `notify.subscribe`, the sending in
`notify.send`; these commands only parse and print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Annotated

import typer
from rich.text import Text

from .cli import _store, app, console, err_console, handle_errors, sigterm_as_ctrl_c
from .config import get_settings
from .errors import ValidationError
from .notify.send import NotifyReport, send_digests
from .notify.send import Outcome as DeliveryOutcome
from .notify.subscribe import account_problem, subscribe, unsubscribe
from .notify.webhook import redact, refusal
from .store import subscriptions as subs
from .store import trackers as tracker_store
from .store import users as user_store

SECRET_ENV = "LOFTE_WEBHOOK_SECRET"

notify_app = typer.Typer(
    help="Digests for editors: new suggestions and overdue pledges, by e-mail or webhook.",
    no_args_is_help=True,
)
app.add_typer(notify_app, name="notify")


@notify_app.command("subscribe")
@handle_errors
def notify_subscribe(
    tracker: Annotated[str, typer.Argument(help="Slug of the tracker.")],
    user: Annotated[str, typer.Option("--user", help="The editor's username.")],
    email: Annotated[str | None, typer.Option(help="Send the digest to this address.")] = None,
    webhook: Annotated[
        str | None, typer.Option(help="POST the digest as signed JSON to this http(s) URL.")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            help="The webhook's HMAC key (at least 16 characters). Safer: leave it out and set "
            f"{SECRET_ENV} or type it at the hidden prompt (not in shell history or ps)."
        ),
    ] = None,
) -> None:
    """Set how USER hears of TRACKER (replaces earlier channels; the last digest time stays)."""
    if secret and not webhook:
        raise ValidationError("--secret belongs to --webhook")
    if webhook and not secret:
        secret = _secret()
    with _store() as store:
        sub = subscribe(
            store, tracker, user, email=email, webhook_url=webhook, webhook_secret=secret
        )
    console.print(Text(f"{sub.username} follows {sub.tracker_slug}: {_channels(sub)}"))
    why = refusal(webhook, get_settings()) if webhook else None
    if why:  # subscribed as asked, but every send would fail without a word until then
        err_console.print(Text(f"warning: digests to this webhook will be refused: {why}"))


@notify_app.command("unsubscribe")
@handle_errors
def notify_unsubscribe(
    tracker: Annotated[str, typer.Argument(help="Slug of the tracker.")],
    user: Annotated[str, typer.Option("--user", help="The editor's username.")],
) -> None:
    """Stop USER's digests of TRACKER."""
    with _store() as store:
        removed = unsubscribe(store, tracker, user)
    said = "no longer follows" if removed else "did not follow"
    console.print(Text(f"{user} {said} {tracker}"))


@notify_app.command("list")
@handle_errors
def notify_list(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker's subscriptions.")] = None,
) -> None:
    """Every subscription: who, which tracker, the channels and the last digest."""
    with _store() as store, store.session() as session:
        tracker_id = None if tracker is None else tracker_store.get_tracker(session, tracker).id
        found = subs.list_subscriptions(session, tracker_id)
        accounts = {u.id: u for u in user_store.list_users(session)}
    if not found:
        console.print("no subscriptions")
    for sub in found:
        last = sub.last_sent_at.strftime("%Y-%m-%d %H:%M") if sub.last_sent_at else "never"
        line = f"{sub.tracker_slug}  {sub.username}  {_channels(sub)}  last digest: {last}"
        account = accounts.get(sub.user_id)
        problem = account_problem(account) if account is not None else None
        if problem:  # kept, but sent nothing until the account is an enabled editor again
            line += f"  (account {problem}: no digests)"
        if sub.tracker_archived:  # kept, but sent nothing until the tracker is unarchived
            line += "  (tracker archived: no digests)"
        console.print(Text(line))


@notify_app.command("send")
@handle_errors
def notify_send(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker's digests.")] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Also send digests younger than LOFTE_NOTIFY_MIN_INTERVAL."),
    ] = False,
) -> None:
    """Send every due digest that has something new. Exits 1 when a delivery failed (it is
    tried again, with what came since, on the next run)."""
    # SIGTERM as Ctrl-C: a delivery cut short gives its period back (notify/send.py)
    with sigterm_as_ctrl_c(), _store() as store:
        report = send_digests(store, settings=get_settings(), tracker=tracker, force=force)
    print_deliveries(report.outcomes)
    console.print(
        Text(
            f"{report.sent} sent, {len(report.outcomes) - report.sent} failed, "
            f"{report.empty} with nothing new, {report.not_due} not due yet, "
            f"{report.stale} taken by another sender" + _skipped_accounts(report)
        )
    )
    if report.failed:
        raise typer.Exit(1)


def _skipped_accounts(report: NotifyReport) -> str:
    """The subscriptions skipped for their account or their archived tracker, said apart from
    "nothing new" (QA)."""
    text = f", {report.disabled} skipped (account disabled)" if report.disabled else ""
    if report.not_editor:
        text += f", {report.not_editor} skipped (account not an editor)"
    if report.archived:
        text += f", {report.archived} skipped (tracker archived)"
    return text


def _secret() -> str:
    """The webhook secret from the environment, else from a prompt that does not echo it."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    try:
        return str(typer.prompt("Webhook secret", hide_input=True))
    except typer.Abort:  # no terminal and no input (cron, CI), or Ctrl-C
        raise ValidationError(
            f"--webhook needs a secret: set {SECRET_ENV} or type it at the prompt"
        ) from None


def _channels(sub: subs.Subscription) -> str:
    parts = []
    if sub.email:
        parts.append(f"e-mail {sub.email}")
    if sub.webhook_url:
        parts.append(f"webhook {redact(sub.webhook_url)}")  # its path can be the secret
    return ", ".join(parts) or "none"


def print_deliveries(
    outcomes: Iterable[DeliveryOutcome], *, failed_only: bool = False, prefix: str = ""
) -> None:
    """A line per delivery: sent ones on stdout, failed ones with their tries and error on
    stderr (also in `update`'s and `watch`'s logs, which only counted them). `prefix` starts
    each line (`watch`: the time)."""
    for o in outcomes:
        line = f"{prefix}{o.status}: {o.tracker} → {o.username} by {o.channel} ({o.target})"
        if o.status == "failed":
            err_console.print(Text(f"{line}, {o.attempts} tries: {o.error}"))
        elif not failed_only:
            console.print(Text(line))
