"""Accounts: argon2 hashes, roles, no account enumeration by timing-free answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from lofte.errors import ConflictError, NotFoundError, ValidationError
from lofte.model import Role
from lofte.review import users
from lofte.store import audit
from lofte.store.db import Store
from lofte.store.schema import UserRow
from tests.interleave import meanwhile


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


@pytest.mark.parametrize(
    "password",
    [
        "lösenord123",
        "Lösenord 123",
        "sommar2024",
        "SOMMAR2024!",
        "qwertyuiop",
        "password123",
        "1234567890",
        "aaaaaaaaaaaa",
        "ÅÅÅÅÅÅÅÅÅÅ",
        "          ",
        "abcabcabcabc",
        "hejhejhejhej",
    ],
)
def test_common_and_repeated_passwords_are_refused(store: Store, password: str) -> None:
    with pytest.raises(ValidationError, match="common|repeats"):
        users.add_user(store, "cecilia", password, Role.EDITOR, actor="test")
    users.add_user(store, "bo", "ett långt lösenord", Role.VIEWER, actor="test")
    with pytest.raises(ValidationError, match="common|repeats"):
        users.set_password(store, "bo", password, actor="test")


def test_the_common_passwords_list_ships_with_the_package() -> None:
    common = users._common_passwords()
    assert len(common) > 1000 and "lösenord123" in common and "sommar2024" in common
    assert not any(line.startswith("#") for line in common)


def test_account_changes_end_sessions_and_are_audited(store: Store) -> None:
    from lofte.store.audit import list_events

    users.add_user(store, "admin1", "ett långt lösenord", Role.ADMIN, actor="test")
    anna = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="test")
    generation = anna.session_generation
    assert users.session_user(store, anna.id, generation) == anna

    users.set_password(store, "anna", "ett annat långt lösenord", actor="admin1")
    assert users.session_user(store, anna.id, generation) is None  # old cookies refused
    assert users.authenticate(store, "anna", "ett långt lösenord") is None
    anna = users.authenticate(store, "anna", "ett annat långt lösenord")
    assert anna is not None and users.session_user(store, anna.id, anna.session_generation) == anna

    viewer = users.set_role(store, "anna", Role.VIEWER, actor="admin1")
    assert (
        viewer.role is Role.VIEWER
        and users.session_user(store, anna.id, anna.session_generation) is None
    )

    disabled = users.disable_user(store, "anna", actor="admin1")
    assert disabled.disabled
    assert (
        users.session_user(store, anna.id, disabled.session_generation) is None
    )  # disabled: no session
    assert users.authenticate(store, "anna", "ett annat långt lösenord") is None
    # twice is refused, not "done" again with a second event (QA: both said disabled)
    with pytest.raises(ValidationError, match="disabled already"):
        users.disable_user(store, "anna", actor="admin1")
    enabled = users.enable_user(store, "anna", actor="admin1")
    with pytest.raises(ValidationError, match="is not disabled"):
        users.enable_user(store, "anna", actor="admin1")
    assert users.authenticate(store, "anna", "ett annat långt lösenord") == enabled

    users.log_out(store, anna.id)
    assert users.session_user(store, anna.id, enabled.session_generation) is None

    users.remove_user(store, "anna", actor="admin1")
    assert [u.username for u in users.list_users(store)] == ["admin1"]
    assert users.session_user(store, anna.id, enabled.session_generation + 1) is None
    with pytest.raises(NotFoundError):
        users.disable_user(store, "anna", actor="test")

    with store.session() as s:
        events = [(e.action, e.actor, e.details) for e in list_events(s, "user", anna.id)]
    assert [a for a, _, _ in events] == [
        "user.add",
        "user.passwd",
        "user.role",
        "user.disable",
        "user.enable",
        "user.remove",
    ]
    assert all(actor == "admin1" for _, actor, _ in events[1:])
    assert events[2][2] == {"username": "anna", "before": "editor", "after": "viewer"}
    assert not any("lösenord" in str(details) for _, _, details in events)  # no password in the log


def test_a_removed_accounts_id_and_history_are_not_the_next_accounts(store: Store) -> None:
    """Insider QA: on SQLite the next account took the newest removed one's id, and with it
    the removed account's events as its history."""
    users.add_user(store, "anna", "ett långt lösenord", Role.ADMIN, actor="tester")
    bo = users.add_user(store, "bo", "ett långt lösenord", Role.EDITOR, actor="tester")
    users.remove_user(store, "bo", actor="anna")
    cecilia = users.add_user(store, "cecilia", "ett långt lösenord", Role.VIEWER, actor="anna")
    assert cecilia.id > bo.id
    with store.session() as s:
        history = [
            e.action
            for e in audit.all_events(s)
            if e.entity_type == "user" and e.entity_id == cecilia.id
        ]
    assert history == ["user.add"]


def test_the_last_enabled_admin_cannot_be_removed_disabled_or_demoted(store: Store) -> None:
    users.add_user(store, "admin1", "ett långt lösenord", Role.ADMIN, actor="test")
    for change in (
        lambda: users.remove_user(store, "admin1", actor="test"),
        lambda: users.disable_user(store, "admin1", actor="test"),
        lambda: users.set_role(store, "admin1", Role.EDITOR, actor="test"),
    ):
        with pytest.raises(ConflictError, match="last enabled admin"):
            change()
    users.add_user(store, "admin2", "ett långt lösenord", Role.ADMIN, actor="test")
    users.disable_user(store, "admin1", actor="test")
    with pytest.raises(ConflictError):
        users.remove_user(store, "admin2", actor="test")


def test_a_username_with_a_trailing_newline_is_no_second_account(store: Store) -> None:
    """`re.match` with `$` let "bo\\n" through: a second "bo" beside the real one."""
    users.add_user(store, "bo", "ett långt lösenord", Role.VIEWER, actor="tester")
    with pytest.raises(ValidationError, match="username 'bo\\\\n'"):
        users.add_user(store, "bo\n", "ett långt lösenord", Role.ADMIN, actor="tester")
    assert [u.username for u in users.list_users(store)] == ["bo"]


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Åsa Lind", "asa.lind"), ("anna  svensson", "anna.svensson"), ("Örjan", "orjan")],
)
def test_a_refused_username_says_what_to_type_instead(
    store: Store, typed: str, suggested: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        users.add_user(store, typed, "ett långt lösenord", Role.EDITOR, actor="tester")
    message = str(caught.value)
    assert "a–z" in message and "no spaces, capitals or letters such as å, ä, ö" in message
    assert message.endswith(f"e.g. {suggested!r}")
    users.add_user(store, suggested, "ett långt lösenord", Role.EDITOR, actor="tester")


def test_two_admins_disabling_each_other_at_once_leave_one_enabled(store: Store) -> None:
    """The last-admin check holds under concurrency: the first disables the second while the
    second's own request waits on the database (not a count read first and written later)."""
    import threading

    users.add_user(store, "adam", "ett långt lösenord", Role.ADMIN, actor="tester")
    users.add_user(store, "bea", "ett långt lösenord", Role.ADMIN, actor="tester")
    outcome: list[BaseException | None] = []
    with store.session() as first:
        # the first request has counted the admins (two) and not yet written or committed
        from lofte.store import users as user_store

        assert user_store.enabled_admins(first) == 2

        def second() -> None:
            try:
                users.disable_user(store, "adam", actor="bea")
                outcome.append(None)
            except Exception as exc:  # noqa: BLE001 - which refusal it is, is asserted below
                outcome.append(exc)

        worker = threading.Thread(target=second)
        worker.start()
        worker.join(0.5)  # it waits on the first transaction's lock (or runs, without one)
        bea = user_store.user_named(first, "bea")
        user_store.set_disabled(first, bea.id, True)
    worker.join(30)
    assert not worker.is_alive() and len(outcome) == 1
    with store.session() as s:
        enabled = s.scalars(
            select(UserRow.username).where(UserRow.role == "admin", UserRow.disabled.is_(False))
        ).all()
    assert enabled == ["adam"], (enabled, outcome)
    assert isinstance(outcome[0], ConflictError), outcome


def _promote_bea_and_disable_adam(store: Store) -> None:
    users.enable_user(store, "bea", actor="adam")
    users.set_role(store, "bea", Role.ADMIN, actor="adam")
    users.disable_user(store, "adam", actor="bea")  # two admins counted: allowed


@pytest.mark.parametrize(
    "change",
    [
        lambda store: users.disable_user(store, "bea", actor="cid"),
        lambda store: users.set_role(store, "bea", Role.VIEWER, actor="cid"),
        lambda store: users.remove_user(store, "bea", actor="cid"),
    ],
    ids=["disable", "demote", "remove"],
)
def test_the_last_admin_check_reads_the_account_as_it_is_when_it_writes(
    store: Store, change: Callable[[Store], object]
) -> None:
    """cid's page showed bea as a disabled editor, so his change skipped the last-admin
    check; meanwhile bea became an enabled admin and adam was disabled (two admins then, so
    allowed). cid's change, written on the stale reading, left no enabled admin at all."""
    users.add_user(store, "adam", "ett långt lösenord", Role.ADMIN, actor="tester")
    users.add_user(store, "bea", "ett långt lösenord", Role.EDITOR, actor="tester")
    users.disable_user(store, "bea", actor="tester")
    with (
        meanwhile(store, lambda: _promote_bea_and_disable_adam(store)) as seen,
        pytest.raises(ConflictError, match="last"),
    ):
        change(store)
    assert seen
    with store.session() as s:
        enabled = s.scalars(
            select(UserRow.username).where(UserRow.role == "admin", UserRow.disabled.is_(False))
        ).all()
    assert enabled == ["bea"]
