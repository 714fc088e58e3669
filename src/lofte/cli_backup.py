"""CLI commands `lofte backup FILE` and `lofte restore FILE`; registered on the app by `cli.py`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import click
import typer

from .cli import _db_url, app, err_console, handle_errors, sigterm_as_ctrl_c
from .errors import ValidationError
from .store.backup import (
    BackupInfo,
    backup,
    backup_counts,
    restorable,
    restore,
    sqlite_path,
    store_counts,
    url_kind,
)
from .store.db import Store, head_revision, shown_url


@app.command("backup")
@handle_errors
def backup_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file to write (replaced if present).")],
) -> None:
    """Write a backup of the database to FILE (SQLite: a database file; PostgreSQL: pg_dump)."""
    store = Store(_db_url())  # no revision check: an old store can be backed up too
    try:
        with sigterm_as_ctrl_c():  # killed half way: the unfinished copy is removed
            info = backup(store, file)
    finally:
        store.dispose()
    err_console.print(
        f"wrote {info.path}: {info.kind} backup, schema revision {info.revision}, "
        f"{info.size} bytes",
        highlight=False,
        markup=False,
    )


@app.command("restore")
@handle_errors
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `lofte backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before replacing the content.")
    ] = False,
) -> None:
    """Replace everything in the database with the backup in FILE."""
    url = _db_url()
    if not yes:
        shown = shown_url(url)
        # a damaged file, or one of the other kind of database, is refused before the question
        _describe(url, restorable(url_kind(url), file))
        try:
            sure = typer.confirm(f"Replace everything in {shown} with the backup {file}?")
        except (click.exceptions.Abort, typer.Abort, EOFError) as exc:  # no answer (cron, a pipe)
            raise ValidationError(
                "nothing restored: no answer to the question (no terminal?); "
                "pass --yes to restore without asking"
            ) from exc
        if not sure:
            raise ValidationError("nothing restored: you answered no")
    store = Store(url)
    try:
        info = restore(store, file)
    finally:
        store.dispose()
    err_console.print(
        f"restored {file} ({info.kind}, schema revision {info.revision})",
        highlight=False,
        markup=False,
    )
    if not info.current:
        err_console.print(
            f"its schema was migrated from revision {info.revision} to {head_revision()}",
            highlight=False,
            markup=False,
        )
    err_console.print(
        "every login session ended: editors sign in again", highlight=False, markup=False
    )


def _holding(counts: dict[str, int] | None) -> str:
    if counts is None:
        return ""
    # "1 tracker", "2 trackers": the tables' names are plural
    return " holds " + ", ".join(f"{n} {t[:-1] if n == 1 else t}" for t, n in counts.items())


def _describe(url: str, info: BackupInfo) -> None:
    """What the database holds now and what the backup brings, before the question."""
    now = None
    file = sqlite_path(url)
    if file is None or file.is_file():  # not a SQLite file made by looking: "no" leaves none
        store = Store(url)
        try:
            now = store_counts(store)
        finally:
            store.dispose()
    written = dt.datetime.fromtimestamp(info.path.stat().st_mtime, dt.UTC)
    lines = [
        f"the database {shown_url(url)}{_holding(now) or ' holds no Löfte data'}",
        f"the backup {info.path} ({info.kind}, schema revision {info.revision}, written "
        f"{written:%Y-%m-%d %H:%M} UTC){_holding(backup_counts(info))}",
    ]
    for line in lines:
        err_console.print(line, highlight=False, markup=False)
