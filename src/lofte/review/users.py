"""Accounts: usernames, argon2 password hashes, roles (admin, editor, viewer), and their sessions.

Sessions end on the server: each account has a session generation that every session cookie
carries; logout, a password or role change, disabling and removal bump it (or drop the row), so
a cookie issued before is refused on its next request (see `session_user`). Every change to an
account is audited; passwords never appear in the audit details.

An admin's new password, re-enabling an account and `unlock_user` release the login lock that
failed guesses put on its username (`login_throttle.release_username`); the audit event counts
what was released, without the addresses (the log is kept for ever, and exported).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import ConflictError, ValidationError
from ..model import Role, User
from ..store import users as user_store
from ..store.audit import record_event
from ..store.db import Session, Store
from .login_throttle import Released, release_username

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000  # argon2 reads all of it; nobody types more
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


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
        raise ValidationError(
            "the password repeats one character or one short piece: choose another"
        )


def check_username(username: str) -> None:
    """Raise ValidationError unless `username` is 2–50 of a–z, 0–9, '.', '_', '-' (the whole
    of it: `re.match` with `$` would let a trailing newline through, a second "anna"). The
    message says what to type instead, e.g. 'asa.lind' for 'Åsa Lind'."""
    if _USERNAME.fullmatch(username):
        return
    hint = ""
    suggestion = _suggested_username(username)
    if suggestion is not None:
        hint = f", e.g. {suggestion!r}"
    raise ValidationError(
        f"username {username!r}: use 2–50 of a–z, 0–9, '.', '_' and '-', starting with a letter "
        f"or digit (no spaces, capitals or letters such as å, ä, ö){hint}"
    )


def _suggested_username(username: str) -> str | None:
    """A name the rule accepts, made from what was typed: lower case, accents dropped
    (å → a, ö → o), spaces as '.'; None when nothing usable is left."""
    plain = unicodedata.normalize("NFKD", ".".join(username.lower().split()))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = "".join(c for c in plain if c in "abcdefghijklmnopqrstuvwxyz0123456789._-")
    plain = plain.strip("._-")[:50]
    return plain if _USERNAME.fullmatch(plain) and plain != username else None


def add_user(store: Store, username: str, password: str, role: Role, *, actor: str) -> User:
    check_username(username)
    check_password(password)
    with store.session() as session:
        if user_store.find_user(session, username) is not None:
            raise ConflictError(f"user {username!r} already exists")
        user = user_store.add_user(session, username, _hasher.hash(password), role)
        record_event(
            session, "user.add", "user", user.id, actor, username=username, role=role.value
        )
        return user


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user when the password matches and the account is enabled, else None (the same
    answer, after the same work, for unknown and disabled users)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[: MAX_PASSWORD_LENGTH + 1]  # still wrong, but never costly to hash
    with store.session() as session:
        found = user_store.find_login(session, username)
        if found is None:
            _hasher.hash(password)  # spend the same time as a real check
            return None
        user, password_hash = found
        try:
            _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if user.disabled:
            return None
        if _hasher.check_needs_rehash(password_hash):
            user_store.set_password_hash(session, user.id, _hasher.hash(password))
        return user


def disabled_account(store: Store, user_id: int) -> str | None:
    """The username of the account a session named when that account is disabled now, else
    None (enabled, or gone): why the session ended, for its login page."""
    with store.session() as session:
        user = user_store.find_user_by_id(session, user_id)
    return user.username if user is not None and user.disabled else None


def is_disabled(store: Store, username: str) -> bool:
    """Whether the account of this name exists and is disabled now."""
    with store.session() as session:
        user = user_store.find_user(session, username)
    return user is not None and user.disabled


def get_user(store: Store, user_id: int) -> User:
    with store.session() as session:
        return user_store.get_user(session, user_id)


def session_user(store: Store, user_id: int, generation: int) -> User | None:
    """The user a session cookie names, if that session is still valid: the account exists,
    is enabled, and has not ended its sessions since the cookie was issued."""
    with store.session() as session:
        user = user_store.find_user_by_id(session, user_id)
        if user is None or user.disabled or user.session_generation != generation:
            return None
        return user


def list_users(store: Store) -> list[User]:
    with store.session() as session:
        return user_store.list_users(session)


def can_edit(user: User | None) -> bool:
    return user is not None and user.role in (Role.ADMIN, Role.EDITOR)


# --- ending sessions and changing accounts ----------------------------------------------------


def log_out(store: Store, user_id: int) -> None:
    """End all of the user's sessions (every browser): a cookie saved before is refused."""
    with store.session() as session:
        user_store.end_sessions(session, user_id)


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    """Refuse to leave the store without an enabled admin (nobody could manage accounts).
    `user` is read by `user_to_change`, under the lock the count is made under: whether it
    is an enabled admin is as it is when the change is written."""
    if user.role is not Role.ADMIN or user.disabled:
        return
    if user_store.enabled_admins(session) <= 1:
        raise ConflictError(f"cannot {what} {user.username!r}: it is the last enabled admin")


def _released(released: Released) -> dict[str, int]:
    """An audit event's account of a lock released: counts only, no client addresses."""
    if not released:
        return {}
    return {"lock_failures": released.failures, "lock_addresses": len(released.addresses)}


def set_password(store: Store, username: str, password: str, *, actor: str) -> User:
    """A new password set by an admin: the account's sessions end, and the lock failed logins
    put on it is released (the admin vouched for whoever gets the password)."""
    check_password(password)
    with store.session() as session:
        user = user_store.user_named(session, username)
        user_store.set_password_hash(session, user.id, _hasher.hash(password))
        user_store.end_sessions(session, user.id)
        released = release_username(session, user.username)
        record_event(
            session, "user.passwd", "user", user.id, actor, username=username, **_released(released)
        )
    return get_user(store, user.id)


def set_role(store: Store, username: str, role: Role, *, actor: str) -> User:
    with store.session() as session:
        user = user_store.user_to_change(session, username)
        if role is not Role.ADMIN:
            _keep_an_admin(session, user, "demote")
        user_store.set_role(session, user.id, role)
        user_store.end_sessions(session, user.id)
        record_event(
            session,
            "user.role",
            "user",
            user.id,
            actor,
            username=username,
            before=user.role.value,
            after=role.value,
        )
    return get_user(store, user.id)


def disable_user(store: Store, username: str, *, actor: str) -> User:
    """The account can no longer log in, and its open sessions end."""
    with store.session() as session:
        user = user_store.user_to_change(session, username)
        _keep_an_admin(session, user, "disable")
        if not user_store.set_disabled(session, user.id, True):
            raise ValidationError(f"user {username!r} is disabled already")
        user_store.end_sessions(session, user.id)
        record_event(session, "user.disable", "user", user.id, actor, username=username)
    return get_user(store, user.id)


def enable_user(store: Store, username: str, *, actor: str) -> User:
    """Let a disabled account log in again, its login lock released (`unlock_user`)."""
    with store.session() as session:
        user = user_store.user_named(session, username)
        if not user_store.set_disabled(session, user.id, False):
            raise ValidationError(f"user {username!r} is not disabled")
        released = release_username(session, user.username)
        record_event(
            session, "user.enable", "user", user.id, actor, username=username, **_released(released)
        )
    return get_user(store, user.id)


def unlock_user(store: Store, username: str, *, actor: str) -> Released:
    """Release the lock failed logins put on the account's username, at once rather than when
    LOFTE_LOGIN_WINDOW has passed; what was released, audited as `user.unlock`. Nothing to
    release is no error and no event (an address's own back-off, which counts guesses at any
    name, is not the account's to release)."""
    with store.session() as session:
        user = user_store.user_named(session, username)
        released = release_username(session, user.username)
        if released:
            record_event(
                session,
                "user.unlock",
                "user",
                user.id,
                actor,
                username=username,
                **_released(released),
            )
    return released


def remove_user(store: Store, username: str, *, actor: str) -> None:
    """Delete the account (its verdicts keep their text; their author becomes unknown)."""
    with store.session() as session:
        user = user_store.user_to_change(session, username)
        _keep_an_admin(session, user, "remove")
        record_event(
            session, "user.remove", "user", user.id, actor, username=username, role=user.role.value
        )
        user_store.delete_user(session, user.id)
