"""CLI commands for accounts: `lofte user add|list`. Registered on the main app by `cli.py`."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.table import Table

from .cli import ActorOption, _store, app, cli_actor, console, handle_errors
from .model import Role
from .review import users

user_app = typer.Typer(help="Manage editor accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@handle_errors
def user_add(
    username: str,
    role: Annotated[Role, typer.Option(help="admin, editor or viewer.")] = Role.EDITOR,
    password: Annotated[
        Optional[str],
        typer.Option(help="Read from the prompt when not given (not echoed).", envvar="LOFTE_NEW_PASSWORD"),
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Add an account; the password is stored as an argon2 hash."""
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with _store() as store:
        user = users.add_user(store, username, password, role, actor=cli_actor(actor))
    console.print(f"user {user.username} added ({user.role.value})")


@user_app.command("list")
@handle_errors
def user_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List accounts and their roles."""
    with _store() as store:
        found = users.list_users(store)
    if as_json:
        print(json.dumps([{"id": u.id, "username": u.username, "role": u.role.value} for u in found]))
        return
    table = Table("id", "username", "role")
    for u in found:
        table.add_row(str(u.id), u.username, u.role.value)
    console.print(table)
