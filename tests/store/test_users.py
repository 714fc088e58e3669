"""store.users: the accounts table behind review.users, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from lofte.errors import ConflictError, NotFoundError
from lofte.model import Role
from lofte.store import users as user_store
from lofte.store.db import Store


def test_account_round_trip(store: Store) -> None:
    with store.session() as s:
        added = user_store.add_user(s, "anna", "hash-a", Role.EDITOR)
    assert (added.username, added.role, added.disabled) == ("anna", Role.EDITOR, False)
    # sessions numbered from a random start: a reused id's old cookie names no new account
    with store.session() as s:
        other = [user_store.add_user(s, f"u{i}", "h", Role.VIEWER) for i in range(3)]
    assert added.session_generation >= 1
    assert len({added.session_generation, *(u.session_generation for u in other)}) == 4
    with store.session() as s:
        assert user_store.find_user(s, "anna") == added
        assert user_store.user_named(s, "anna") == added
        assert user_store.get_user(s, added.id) == added
        assert user_store.find_user_by_id(s, added.id) == added
        assert user_store.find_login(s, "anna") == (added, "hash-a")
        assert user_store.find_user(s, "nobody") is None
        assert user_store.find_login(s, "nobody") is None
        assert user_store.find_user_by_id(s, added.id + 100) is None
        with pytest.raises(NotFoundError):
            user_store.user_named(s, "nobody")
        with pytest.raises(NotFoundError):
            user_store.get_user(s, added.id + 100)


def test_a_taken_username_is_a_conflict(store: Store) -> None:
    with store.session() as s:
        user_store.add_user(s, "anna", "h", Role.EDITOR)
    with pytest.raises(ConflictError), store.session() as s:
        user_store.add_user(s, "anna", "h2", Role.VIEWER)


def test_changes_and_listing(store: Store) -> None:
    with store.session() as s:
        bo = user_store.add_user(s, "bo", "h", Role.ADMIN)
        anna = user_store.add_user(s, "anna", "h", Role.VIEWER)
    with store.session() as s:
        user_store.set_role(s, anna.id, Role.EDITOR)
        user_store.set_password_hash(s, anna.id, "new-hash")
        user_store.set_disabled(s, bo.id, True)
    with store.session() as s:
        assert [u.username for u in user_store.list_users(s)] == ["anna", "bo"]
        assert user_store.get_user(s, anna.id).role is Role.EDITOR
        assert user_store.find_login(s, "anna") == (user_store.get_user(s, anna.id), "new-hash")
        assert user_store.get_user(s, bo.id).disabled
        assert user_store.usernames(s) == {anna.id: "anna", bo.id: "bo"}


def test_ending_sessions_bumps_the_generation_in_the_database(store: Store) -> None:
    with store.session() as s:
        anna = user_store.add_user(s, "anna", "h", Role.EDITOR)
    for _ in range(2):
        with store.session() as s:
            user_store.end_sessions(s, anna.id)
    with store.session() as s:
        assert user_store.get_user(s, anna.id).session_generation == anna.session_generation + 2


def test_enabled_admins_counts_only_enabled_admins(store: Store) -> None:
    with store.session() as s:
        assert user_store.enabled_admins(s) == 0
        a = user_store.add_user(s, "a", "h", Role.ADMIN)
        user_store.add_user(s, "b", "h", Role.ADMIN)
        user_store.add_user(s, "c", "h", Role.EDITOR)
    with store.session() as s:
        assert user_store.enabled_admins(s) == 2
        user_store.set_disabled(s, a.id, True)
    with store.session() as s:
        assert user_store.enabled_admins(s) == 1


def test_delete_user(store: Store) -> None:
    with store.session() as s:
        anna = user_store.add_user(s, "anna", "h", Role.EDITOR)
    with store.session() as s:
        user_store.delete_user(s, anna.id)
    with store.session() as s:
        assert user_store.find_user(s, "anna") is None
        assert user_store.list_users(s) == []
