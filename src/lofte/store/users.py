"""Accounts: the rows behind `review.users`. Each function takes an open session.

Password hashing, the rules on usernames and passwords and the audit of every change stay in
`review.users`; this module only reads and writes the `users` table.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..model import Role, User
from .db import Store, hold_write_lock
from .schema import UserRow


def user_record(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=Role(row.role),
        disabled=row.disabled,
        session_generation=row.session_generation,
    )


def add_user(session: Session, username: str, password_hash: str, role: Role) -> User:
    """Insert an account (a username taken meanwhile is a ConflictError at commit/flush)."""
    # A new account's sessions are numbered from a random start, not 0: an id freed by a
    # removed account (or a restore) is given again, and the old account's cookie (id,
    # number) must not name the new one (QA: a removed viewer's cookie became an admin's).
    first = secrets.randbelow(2**30) + 1
    row = UserRow(
        username=username, password_hash=password_hash, role=role.value, session_generation=first
    )
    session.add(row)
    session.flush()
    return user_record(row)


def find_user(session: Session, username: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return None if row is None else user_record(row)


def user_named(session: Session, username: str) -> User:
    """The account with this username; NotFoundError when there is none."""
    user = find_user(session, username)
    if user is None:
        raise NotFoundError(f"no user named {username!r}")
    return user


def user_to_change(session: Session, username: str) -> User:
    """The account with this username, read under the lock the last-admin check counts under
    (see `enabled_admins`): the write lock on SQLite, taken before the read; on PostgreSQL the
    row, with every enabled admin's, `FOR UPDATE` in id order in one statement (two such
    changes lock in the same order and so never deadlock). A change decided on this reading
    (whether the account is an enabled admin, so whether to check) cannot rest on a state
    another request changed before this one writes. NotFoundError when there is none."""
    hold_write_lock(session)
    rows = session.scalars(
        select(UserRow)
        .where(
            or_(
                UserRow.username == username,
                and_(UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False)),
            )
        )
        .order_by(UserRow.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for row in rows:
        if row.username == username:
            return user_record(row)
    raise NotFoundError(f"no user named {username!r}")


def find_user_by_id(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id, populate_existing=True)
    return None if row is None else user_record(row)


def get_user(session: Session, user_id: int) -> User:
    user = find_user_by_id(session, user_id)
    if user is None:
        raise NotFoundError(f"no user with id {user_id}")
    return user


def find_login(session: Session, username: str) -> tuple[User, str] | None:
    """The account and its password hash, for checking a login; None for an unknown name."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return None if row is None else (user_record(row), row.password_hash)


def list_users(session: Session) -> list[User]:
    return [user_record(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def usernames(session: Session) -> dict[int, str]:
    """Username by user id, of every account."""
    return {i: name for i, name in session.execute(select(UserRow.id, UserRow.username))}


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.execute(
        update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
    )


def set_role(session: Session, user_id: int, role: Role) -> None:
    session.execute(update(UserRow).where(UserRow.id == user_id).values(role=role.value))


def set_disabled(session: Session, user_id: int, disabled: bool) -> bool:
    """Whether the account changed: a conditional UPDATE, so of two admins disabling it at
    once one does (and its event is written once)."""
    done = session.execute(
        update(UserRow)
        .where(UserRow.id == user_id, UserRow.disabled.is_(not disabled))
        .values(disabled=disabled)
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every cookie issued to the user: one atomic increment in the database."""
    session.execute(
        update(UserRow)
        .where(UserRow.id == user_id)
        .values(session_generation=UserRow.session_generation + 1)
    )


def enabled_admins(session: Session) -> int:
    """How many enabled admin accounts there are, their rows locked until the transaction
    ends (`FOR UPDATE` on PostgreSQL, the write lock on SQLite): two admins disabling
    or demoting each other at once cannot both pass the last-admin check, the second waits
    for the first and counts its change."""
    hold_write_lock(session)
    ids = session.scalars(
        select(UserRow.id)
        .where(UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False))
        .with_for_update()
    ).all()
    return len(ids)


def delete_user(session: Session, user_id: int) -> None:
    session.execute(delete(UserRow).where(UserRow.id == user_id))


# --- the accounts a restore replaces (cli_backup.py) -----------------------------------------

# An account as a restore compares it: its role, and whether it is disabled.
AccountState = tuple[str, bool]
_ACCOUNTS = "SELECT username, role, disabled FROM users"
_ACCOUNTS_BEFORE_DISABLING = "SELECT username, role, 0 FROM users"  # a schema without it


def _accounts(rows: Iterable[Sequence[Any]]) -> dict[str, AccountState]:
    return {str(name): (str(role), bool(disabled)) for name, role, disabled in rows}


def store_accounts(store: Store) -> dict[str, AccountState] | None:
    """Every account of the store by username, read as stored (any schema revision: a restore
    may bring an older one); None when the store holds no accounts table or cannot be read."""
    for query in (_ACCOUNTS, _ACCOUNTS_BEFORE_DISABLING):
        try:
            with store.engine.connect() as conn:
                return _accounts(conn.execute(text(query)).all())
        except SQLAlchemyError:
            continue
    return None


def sqlite_file_accounts(path: Path) -> dict[str, AccountState] | None:
    """Every account of a SQLite database file (a backup), opened read-only; None when it
    cannot be read."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        for query in (_ACCOUNTS, _ACCOUNTS_BEFORE_DISABLING):
            try:
                return _accounts(conn.execute(query).fetchall())
            except sqlite3.Error:
                continue
        return None
    finally:
        conn.close()
