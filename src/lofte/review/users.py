"""Accounts: usernames, argon2 password hashes, roles (admin, editor, viewer)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import Role, User
from ..store.db import Store
from ..store.audit import record_event
from ..store.schema import UserRow

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def _record(row: UserRow) -> User:
    return User(id=row.id, username=row.username, role=Role(row.role))


def add_user(store: Store, username: str, password: str, role: Role, *, actor: str) -> User:
    if not _USERNAME.match(username):
        raise ValidationError(
            f"username {username!r}: 2–50 lower-case letters, digits, '.', '_' or '-'"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    with store.session() as session:
        if session.scalar(select(UserRow.id).where(UserRow.username == username)):
            raise ConflictError(f"user {username!r} already exists")
        row = UserRow(username=username, password_hash=_hasher.hash(password), role=role.value)
        session.add(row)
        session.flush()
        record_event(session, "user.add", "user", row.id, actor, username=username, role=role.value)
        return _record(row)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user when the password matches, else None (same answer for unknown users)."""
    with store.session() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            _hasher.hash(password)  # spend the same time as a real check
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
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


def list_users(store: Store) -> list[User]:
    with store.session() as session:
        return [_record(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def can_edit(user: User | None) -> bool:
    return user is not None and user.role in (Role.ADMIN, Role.EDITOR)


class LoginThrottle:
    """Slows password guessing: after `max_failures` failed logins for one username within
    `window` seconds, further attempts are refused until the oldest failure is that old.

    Kept in memory: a restart forgets it, which costs a guesser a restart per few tries.
    """

    def __init__(self, max_failures: int = 5, window: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, username: str) -> list[float]:
        cutoff = self.clock() - self.window
        recent = [t for t in self._failures.get(username.casefold(), []) if t > cutoff]
        self._failures[username.casefold()] = recent
        return recent

    def blocked(self, username: str) -> bool:
        with self._lock:
            return len(self._recent(username)) >= self.max_failures

    def failed(self, username: str) -> None:
        with self._lock:
            self._recent(username).append(self.clock())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username.casefold(), None)
