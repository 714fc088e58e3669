"""Accounts: usernames, argon2 password hashes, roles (admin, editor, viewer), and their sessions.

Sessions end on the server: each account has a session generation that every session cookie
carries; logout, a password or role change, disabling and removal bump it (or drop the row), so
a cookie issued before is refused on its next request (see `session_user`). Every change to an
account is audited; passwords never appear in the audit details.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import Role, User
from ..store.db import Store
from ..store.audit import record_event
from ..store.schema import UserRow

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000  # argon2 reads all of it; nobody types more
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def _record(row: UserRow) -> User:
    return User(id=row.id, username=row.username, role=Role(row.role), disabled=row.disabled,
                session_generation=row.session_generation)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (review/common_passwords.txt), loaded once."""
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _folded(password: str) -> str:
    return "".join(unicodedata.normalize("NFC", password).casefold().split())


def check_password(password: str) -> None:
    """Raise ValidationError unless the password is long enough and not an obvious guess:
    not on the common-passwords list and not one character or one short piece repeated."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")
    folded = _folded(password)
    if folded in _common_passwords():
        raise ValidationError("that password is among the most common ones: choose another")
    # A string is a repetition of a shorter piece exactly when it occurs inside itself doubled
    # with the ends cut off ("aaaa", "abcabc"); str.find keeps this linear in practice.
    if len(set(folded)) <= 1 or (folded + folded).find(folded, 1) < len(folded):
        raise ValidationError("the password repeats one character or one short piece: choose another")


def add_user(store: Store, username: str, password: str, role: Role, *, actor: str) -> User:
    if not _USERNAME.match(username):
        raise ValidationError(
            f"username {username!r}: 2–50 lower-case letters, digits, '.', '_' or '-'"
        )
    check_password(password)
    with store.session() as session:
        if session.scalar(select(UserRow.id).where(UserRow.username == username)):
            raise ConflictError(f"user {username!r} already exists")
        row = UserRow(username=username, password_hash=_hasher.hash(password), role=role.value)
        session.add(row)
        session.flush()
        record_event(session, "user.add", "user", row.id, actor, username=username, role=role.value)
        return _record(row)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user when the password matches and the account is enabled, else None (the same
    answer, after the same work, for unknown and disabled users)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH + 1]  # still wrong, but never costly to hash
    with store.session() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            _hasher.hash(password)  # spend the same time as a real check
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if row.disabled:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return _record(row)


def get_user(store: Store, user_id: int) -> User:
    with store.session() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        return _record(row)


def session_user(store: Store, user_id: int, generation: int) -> User | None:
    """The user a session cookie names, if that session is still valid: the account exists,
    is enabled, and has not ended its sessions since the cookie was issued."""
    with store.session() as session:
        row = session.get(UserRow, user_id)
        if row is None or row.disabled or row.session_generation != generation:
            return None
        return _record(row)


def list_users(store: Store) -> list[User]:
    with store.session() as session:
        return [_record(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def can_edit(user: User | None) -> bool:
    return user is not None and user.role in (Role.ADMIN, Role.EDITOR)


# --- ending sessions and changing accounts ----------------------------------------------------


def _end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every cookie issued to the user: one atomic increment in the database."""
    session.execute(update(UserRow).where(UserRow.id == user_id)
                    .values(session_generation=UserRow.session_generation + 1))


def log_out(store: Store, user_id: int) -> None:
    """End all of the user's sessions (every browser): a cookie saved before is refused."""
    with store.session() as session:
        _end_sessions(session, user_id)


def _row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise NotFoundError(f"no user named {username!r}")
    return row


def _keep_an_admin(session: Session, row: UserRow, what: str) -> None:
    """Refuse to leave the store without an enabled admin (nobody could manage accounts)."""
    if row.role != Role.ADMIN.value or row.disabled:
        return
    admins = session.scalar(select(func.count()).select_from(UserRow)
                            .where(UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False)))
    if (admins or 0) <= 1:
        raise ConflictError(f"cannot {what} {row.username!r}: it is the last enabled admin")


def set_password(store: Store, username: str, password: str, *, actor: str) -> User:
    check_password(password)
    with store.session() as session:
        row = _row(session, username)
        row.password_hash = _hasher.hash(password)
        _end_sessions(session, row.id)
        record_event(session, "user.passwd", "user", row.id, actor, username=username)
    return get_user(store, row.id)


def set_role(store: Store, username: str, role: Role, *, actor: str) -> User:
    with store.session() as session:
        row = _row(session, username)
        before = row.role
        if role is not Role.ADMIN:
            _keep_an_admin(session, row, "demote")
        row.role = role.value
        _end_sessions(session, row.id)
        record_event(session, "user.role", "user", row.id, actor, username=username,
                     before=before, after=role.value)
    return get_user(store, row.id)


def disable_user(store: Store, username: str, *, actor: str) -> User:
    """The account can no longer log in, and its open sessions end."""
    with store.session() as session:
        row = _row(session, username)
        _keep_an_admin(session, row, "disable")
        row.disabled = True
        _end_sessions(session, row.id)
        record_event(session, "user.disable", "user", row.id, actor, username=username)
    return get_user(store, row.id)


def enable_user(store: Store, username: str, *, actor: str) -> User:
    with store.session() as session:
        row = _row(session, username)
        row.disabled = False
        record_event(session, "user.enable", "user", row.id, actor, username=username)
    return get_user(store, row.id)


def remove_user(store: Store, username: str, *, actor: str) -> None:
    """Delete the account (its verdicts keep their text; their author becomes unknown)."""
    with store.session() as session:
        row = _row(session, username)
        _keep_an_admin(session, row, "remove")
        user_id = row.id
        record_event(session, "user.remove", "user", user_id, actor, username=username, role=row.role)
        session.execute(delete(UserRow).where(UserRow.id == user_id))
