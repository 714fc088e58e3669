"""Accounts: argon2 hashes, roles, no account enumeration by timing-free answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lofte.errors import ConflictError, ValidationError
from lofte.model import Role
from lofte.review import users
from lofte.store.db import Store
from lofte.store.schema import UserRow


def test_a_user_logs_in_with_the_right_password_only(store: Store) -> None:
    anna = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    assert users.authenticate(store, "anna", "ett långt lösenord") == anna
    assert users.authenticate(store, "anna", "fel lösenord!!") is None
    assert users.authenticate(store, "okand", "ett långt lösenord") is None
    with store.session() as s:
        stored = s.scalar(select(UserRow.password_hash))
    assert stored.startswith("$argon2id$") and "långt" not in stored


def test_bad_usernames_passwords_and_duplicates_are_refused(store: Store) -> None:
    users.add_user(store, "bo", "ett långt lösenord", Role.VIEWER, actor="tester")
    with pytest.raises(ConflictError):
        users.add_user(store, "bo", "ett annat långt lösenord", Role.ADMIN, actor="tester")
    with pytest.raises(ValidationError, match="at least"):
        users.add_user(store, "cecilia", "kort", Role.EDITOR, actor="tester")
    with pytest.raises(ValidationError, match="username"):
        users.add_user(store, "<script>", "ett långt lösenord", Role.EDITOR, actor="tester")


def test_only_admins_and_editors_can_edit(store: Store) -> None:
    viewer = users.add_user(store, "vera", "ett långt lösenord", Role.VIEWER, actor="tester")
    editor = users.add_user(store, "erik", "ett långt lösenord", Role.EDITOR, actor="tester")
    assert not users.can_edit(viewer) and users.can_edit(editor) and not users.can_edit(None)
