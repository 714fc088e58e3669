"""CLI commands for accounts: `lofte user add|list|passwd|role|disable|enable|unlock|remove`.

Registered on the main app by `cli.py`. Thin: the library (`review.users`) checks, audits and
ends sessions. Passwords are read from a hidden prompt (asked twice) or from stdin with
`--password-stdin`, never from an argument that would stay in the shell history.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from .cli import (
    ActorOption,
    _store,
    app,
    cli_actor,
    confirm_or_refuse,
    console,
    handle_errors,
)
from .errors import ValidationError
from .model import Role
from .review import users
from .review.login_throttle import Released

user_app = typer.Typer(help="Manage editor accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def _read_password(from_stdin: bool, extra: str = "") -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ValidationError("no password on stdin")
        return line
    try:
        if not sys.stdin.isatty():  # piped: read as the prompt would, without getpass's own
            return _piped_password()  # warnings about echo (QA: they came before the error)
        return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))
    except typer.Abort:
        # nothing answered the prompt (no terminal: end of input), where click says "Aborted."
        raise ValidationError(
            "no terminal to ask for the password: pass --password-stdin (first line of stdin)"
            f"{extra}"
        ) from None


def _piped_password() -> str:
    """The password and its repetition from two lines of a pipe, as the prompt reads them."""
    first, again = sys.stdin.readline(), sys.stdin.readline()
    if not first.strip():
        raise typer.Abort
    if first.rstrip("\r\n") != again.rstrip("\r\n"):
        raise ValidationError("the two passwords given differ")
    return first.rstrip("\r\n")


@user_app.command("add")
@handle_errors
def user_add(
    username: str,
    role: Annotated[Role, typer.Option(help="admin, editor or viewer.")] = Role.EDITOR,
    password: Annotated[
        str | None,
        typer.Option(
            help="Read from the prompt when not given (not echoed).", envvar="LOFTE_NEW_PASSWORD"
        ),
    ] = None,
    password_stdin: PasswordStdin = False,
    actor: ActorOption = None,
) -> None:
    """Add an account; the password is stored as an argon2 hash."""
    users.check_username(username)  # before the password is asked for (QA: a bad name was
    # answered "no terminal to ask for the password", its real fault said only later)
    if password is None:
        password = _read_password(
            password_stdin, ", --password, or set the environment variable LOFTE_NEW_PASSWORD"
        )
    with _store() as store:
        user = users.add_user(store, username, password, role, actor=cli_actor(actor))
    console.print(f"user {user.username} added ({user.role.value})")


@user_app.command("list")
@handle_errors
def user_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List accounts, their roles and whether they are disabled."""
    with _store() as store:
        found = users.list_users(store)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": u.id,
                        "username": u.username,
                        "role": u.role.value,
                        "disabled": u.disabled,
                    }
                    for u in found
                ]
            )
        )
        return
    table = Table("id", "username", "role", "disabled")
    for u in found:
        table.add_row(str(u.id), u.username, u.role.value, "yes" if u.disabled else "")
    console.print(table)


def _released(username: str, released: Released) -> str:
    """What a released login lock was, in words: how many failures, which addresses."""
    parts = []
    if released.failures:
        parts.append(f"{released.failures} failed logins for {username}")
    if released.addresses:
        parts.append(f"the lock for {', '.join(released.addresses)}")
    return " and ".join(parts)


@user_app.command("passwd")
@handle_errors
def user_passwd(
    username: str, password_stdin: PasswordStdin = False, actor: ActorOption = None
) -> None:
    """Set a new password; the account's open sessions end and its login lock is released."""
    password = _read_password(password_stdin)
    with _store() as store:
        users.set_password(store, username, password, actor=cli_actor(actor))
    console.print(
        f"password of {username} changed; their sessions ended and any lock of failed logins "
        "on the account was released"
    )


@user_app.command("role")
@handle_errors
def user_role(
    username: str,
    role: Annotated[Role, typer.Argument(help="admin, editor or viewer.")],
    actor: ActorOption = None,
) -> None:
    """Change an account's role; its open sessions end."""
    with _store() as store:
        user = users.set_role(store, username, role, actor=cli_actor(actor))
    console.print(f"{user.username} is now {user.role.value}; their sessions ended")


@user_app.command("disable")
@handle_errors
def user_disable(username: str, actor: ActorOption = None) -> None:
    """Stop an account from logging in; its open sessions end."""
    with _store() as store:
        users.disable_user(store, username, actor=cli_actor(actor))
    console.print(f"{username} disabled; their sessions ended")


@user_app.command("enable")
@handle_errors
def user_enable(username: str, actor: ActorOption = None) -> None:
    """Let a disabled account log in again (its login lock released)."""
    with _store() as store:
        try:
            users.enable_user(store, username, actor=cli_actor(actor))
        except ValidationError as exc:  # enabled already (QA: tried on a locked-out editor)
            raise ValidationError(
                f"{exc}; to release a login locked by failed logins: lofte user unlock {username}"
            ) from exc
    console.print(f"{username} enabled (any lock of failed logins on the account was released)")


@user_app.command("unlock")
@handle_errors
def user_unlock(username: str, actor: ActorOption = None) -> None:
    """Release the lock failed logins put on an account, without waiting LOFTE_LOGIN_WINDOW."""
    with _store() as store:
        released = users.unlock_user(store, username, actor=cli_actor(actor))
    if released:
        console.print(f"{username} unlocked: released {_released(username, released)}")
    else:
        console.print(f"{username} was not locked: no failed logins counted for it")


@user_app.command("remove")
@handle_errors
def user_remove(
    username: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
    actor: ActorOption = None,
) -> None:
    """Delete an account (its verdicts stay, without an author); its sessions end."""
    if not yes and not confirm_or_refuse(f"removing user {username}", f"remove user {username}?"):
        raise ValidationError(f"user {username} not removed: you answered no")
    with _store() as store:
        users.remove_user(store, username, actor=cli_actor(actor))
    console.print(f"{username} removed")
