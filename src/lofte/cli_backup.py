"""CLI commands `lofte backup FILE`, `lofte restore FILE` and `lofte copy SOURCE`; registered on the
app by `cli.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from .cli import (
    _db_url,
    _store,
    app,
    confirm_or_refuse,
    err_console,
    handle_errors,
    sigterm_as_ctrl_c,
)
from .errors import ValidationError
from .store import users as user_store
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
from .store.copy import copy_store
from .store.db import Store, head_revision, open_store, shown_url


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
    accounts_before = _current_accounts(url)  # what the restore replaces, said after it
    if not yes:
        shown = shown_url(url)
        # a damaged file, or one of the other kind of database, is refused before the question
        info = restorable(url_kind(url), file)
        sure = confirm_or_refuse(
            f"restoring {file} into {shown}",
            f"Replace everything in {shown} with the backup {file}?",
            before=lambda: _before_question(url, info, accounts_before),
        )
        if not sure:
            raise ValidationError("nothing restored: you answered no")
    store = Store(url)
    try:
        info = restore(store, file)
        accounts_after = user_store.store_accounts(store)
    finally:
        store.dispose()
    err_console.print(
        f"restored {file} ({info.kind}, schema revision {info.revision})",
        highlight=False,
        markup=False,
    )
    _say_accounts(_account_changes(accounts_before, accounts_after), before=False)
    if not info.current:
        err_console.print(
            f"its schema was migrated from revision {info.revision} to {head_revision()}",
            highlight=False,
            markup=False,
        )
    err_console.print(
        "every login session ended: editors sign in again", highlight=False, markup=False
    )


def _before_question(
    url: str, info: BackupInfo, accounts_before: dict[str, user_store.AccountState] | None
) -> None:
    """What the admin reads before answering; not printed without a terminal to answer on
    (cron: the refusal is the one line)."""
    _describe(url, info)
    _say_accounts(_account_changes(accounts_before, _backup_accounts(info)), before=True)


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


# --- the accounts a restore replaces ----------------------------------------------------------
# A restore brings the backup's accounts: one made since is gone, one removed since is back,
# and a role or a disabling since is undone. The admin is told which, by name, before the
# question (when the backup can be read: SQLite) and after the restore (QA: the counts alone
# said nothing of who could log in afterwards).


@dataclass(frozen=True)
class AccountChanges:
    gone: list[str]  # in the database, not in the backup: removed by the restore
    back: list[str]  # in the backup, not in the database: there again after it
    changed: list[str]  # in both, with another role or state: "anna (editor → admin)"
    kept: int  # in both, the same


def _current_accounts(url: str) -> dict[str, user_store.AccountState] | None:
    """The database's accounts now (None: no Löfte database; a SQLite file that is not there
    is not made by looking, as in `_describe`)."""
    file = sqlite_path(url)
    if file is not None and not file.is_file():
        return None
    store = Store(url)
    try:
        return user_store.store_accounts(store)
    finally:
        store.dispose()


def _backup_accounts(info: BackupInfo) -> dict[str, user_store.AccountState] | None:
    """The backup's accounts, read-only; None for a pg_dump archive (pg_restore alone reads
    it: its accounts are compared after the restore) or an unreadable file."""
    return user_store.sqlite_file_accounts(info.path) if info.kind == "sqlite" else None


def _state(account: user_store.AccountState) -> str:
    role, disabled = account
    return f"{role}, {'disabled' if disabled else 'enabled'}"


def _account_changes(
    now: dict[str, user_store.AccountState] | None,
    then: dict[str, user_store.AccountState] | None,
) -> AccountChanges | None:
    """What replacing the accounts `now` by `then` does; None when `then` is not known."""
    if then is None:
        return None
    now = now or {}
    changed = [
        f"{name} ({_state(now[name])} → {_state(then[name])})"
        for name in sorted(now.keys() & then.keys())
        if now[name] != then[name]
    ]
    return AccountChanges(
        gone=sorted(now.keys() - then.keys()),
        back=sorted(then.keys() - now.keys()),
        changed=changed,
        kept=len(now.keys() & then.keys()) - len(changed),
    )


def _say_accounts(changes: AccountChanges | None, *, before: bool) -> None:
    """The accounts a restore removes, brings back and changes: what it will do (`before`,
    with the question) or what it did."""
    if changes is None:
        if before:
            line = (
                "the backup's accounts cannot be read before the restore (a pg_dump archive "
                "is read by pg_restore alone): the changes are listed after it"
            )
            err_console.print(line, highlight=False, markup=False)
        return
    if before:
        gone = "accounts in the database that the backup does not have (they will disappear)"
        back = "accounts in the backup that the database does not have (they will come back)"
        changed = "accounts the backup has with another role or state (they will change)"
    else:
        gone = "accounts removed by the restore (not in the backup)"
        back = "accounts back from the backup"
        changed = "accounts changed by the restore"
    lines = [
        f"{label}: {', '.join(names)}"
        for label, names in ((gone, changes.gone), (back, changes.back), (changed, changes.changed))
        if names
    ]
    if not lines:
        same = changes.kept
        lines = [
            f"the accounts {'stay' if before else 'stayed'} as they are "
            f"({same} account{'' if same == 1 else 's'})"
        ]
    for line in lines:
        err_console.print(line, highlight=False, markup=False)


@app.command("copy")
@handle_errors
def copy_cmd(
    source: Annotated[
        str,
        typer.Argument(
            help="The database to copy from (a URL: sqlite:///lofte.db, postgresql://…)."
        ),
    ],
) -> None:
    """Copy every row of the database SOURCE into the empty database --db names, of either
    kind: the move from SQLite to PostgreSQL with nothing left out (see docs/deploy.md)."""
    target_url = _db_url()
    source_store = open_store(source)  # not created: a mistyped source is an error
    try:
        with sigterm_as_ctrl_c(), _store(create=True) as target:  # created, as import does
            counts = copy_store(
                source_store,
                target,
                progress=lambda table, rows: err_console.print(
                    f"{table}: {rows} rows", highlight=False, markup=False
                ),
            )
    finally:
        source_store.dispose()
    err_console.print(
        f"copied {shown_url(source)} into {shown_url(target_url)}: "
        f"{sum(counts.values())} rows in {len(counts)} tables",
        highlight=False,
        markup=False,
    )
