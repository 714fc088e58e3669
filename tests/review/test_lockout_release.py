"""An admin releases an editor locked out by failed logins (QA: `lofte user passwd` and `lofte
user enable` left the lock, and the only way out was to wait 15 minutes): a new password,
re-enabling the account and `lofte user unlock NAME` drop the username's counts and its
(username, address) pairs, never an address's own count; a throttled login is logged at
WARNING on the web's logger naming the username and address, never the password."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lofte.cli import app
from lofte.model import Role
from lofte.review import users
from lofte.review.login_throttle import LoginThrottle, ThrottlePolicy
from lofte.store.audit import list_events
from lofte.store.db import Store
from lofte.store.schema import LoginFailureRow
from tests.web.conftest import PASSWORD, csrf_of, logged, make_app, make_client

runner = CliRunner()
WRONG = "fel lösenord igen"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def accounts(store: Store) -> Store:
    users.add_user(store, "admin1", PASSWORD, Role.ADMIN, actor="test")
    users.add_user(store, "anna", PASSWORD, Role.EDITOR, actor="test")
    return store


def _rows(store: Store) -> set[tuple[str, str]]:
    with store.session() as s:
        return {(r.scope, r.key) for r in s.scalars(select(LoginFailureRow))}


def _lock(store: Store, address: str = "127.0.0.1", name: str = "anna") -> LoginThrottle:
    """Five wrong passwords for `name` from `address`: locked there (the default policy)."""
    throttle = LoginThrottle(store, ThrottlePolicy())
    for _ in range(5):
        throttle.failed(address, name)
    assert throttle.refused(address, name)
    return throttle


def _cli(store: Store, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", store.url, "user", *args], input=stdin)
    return result.exit_code, result.output


def test_the_qa_case_locked_out_then_unlocked_by_the_admin_and_logged(accounts: Store) -> None:
    """Five wrong logins at her desk, then her right password gets 429 (logged); `lofte user
    unlock anna` says what it released, and she logs in from the same address at once."""
    browser = make_client(accounts, address="127.0.0.1", app=make_app(accounts))
    token = csrf_of(browser.get("/login").text)
    with logged(logging.WARNING) as records:
        for _ in range(5):
            wrong = browser.post(
                "/login", data={"username": "anna", "password": WRONG, "csrf_token": token}
            )
            assert wrong.status_code == 401
        refused = browser.post(
            "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
        )
    assert refused.status_code == 429
    throttled = [r for r in records if "throttled" in r.getMessage()]
    assert len(throttled) == 1  # one line per refused attempt
    line = throttled[0]
    assert line.name == "lofte.web" and line.levelno == logging.WARNING
    assert "'anna'" in line.getMessage() and "127.0.0.1" in line.getMessage()
    assert "locked after 5 failures" in line.getMessage()
    assert not any(
        secret in r.getMessage() for r in records for secret in (WRONG, PASSWORD)
    )  # never a password, right or wrong

    code, out = _cli(accounts, "unlock", "anna", "--actor", "admin1")
    assert code == 0, out
    assert (
        out.strip() == "anna unlocked: released 5 failed logins for anna and the lock for 127.0.0.1"
    )
    assert _rows(accounts) == {("address", "127.0.0.1")}  # the address's own count stays
    again = browser.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 303  # in, without waiting LOFTE_LOGIN_WINDOW

    code, out = _cli(accounts, "unlock", "anna")
    assert (code, out.strip()) == (0, "anna was not locked: no failed logins counted for it")
    with accounts.session() as s:
        anna = users.list_users(accounts)[1]
        events = [(e.action, e.actor, e.details) for e in list_events(s, "user", anna.id)]
    # audited once (the second unlock released nothing), counts only: no client address
    assert events[-1] == (
        "user.unlock",
        "admin1",
        {"username": "anna", "lock_failures": 5, "lock_addresses": 1},
    )
    assert [a for a, _, _ in events].count("user.unlock") == 1


def test_an_admins_new_password_releases_the_lock(accounts: Store) -> None:
    throttle = _lock(accounts)
    code, out = _cli(
        accounts, "passwd", "anna", "--password-stdin", "--actor", "admin1",
        stdin="ett nytt långt lösenord\n",
    )  # fmt: skip
    assert code == 0, out
    assert not throttle.refused("127.0.0.1", "anna")
    assert _rows(accounts) == {("address", "127.0.0.1")}
    with accounts.session() as s:
        event = list_events(s, "user")[-1]
    assert (event.action, event.details) == (
        "user.passwd",
        {"username": "anna", "lock_failures": 5, "lock_addresses": 1},
    )


def test_enabling_a_disabled_account_releases_its_lock(accounts: Store) -> None:
    throttle = _lock(accounts)
    users.disable_user(accounts, "anna", actor="admin1")
    code, out = _cli(accounts, "enable", "anna", "--actor", "admin1")
    assert code == 0, out
    assert not throttle.refused("127.0.0.1", "anna")
    assert _rows(accounts) == {("address", "127.0.0.1")}


def test_enable_of_an_enabled_account_names_unlock(accounts: Store) -> None:
    """QA: the admin tried `user enable` on the locked-out editor and was told only that the
    account is not disabled."""
    _lock(accounts)
    code, out = _cli(accounts, "enable", "anna", "--actor", "admin1")
    assert code == 1
    assert "is not disabled" in out and "lofte user unlock anna" in out


def test_unlock_releases_only_that_usernames_counts(accounts: Store) -> None:
    """Not an address's own count, not another name's (one that begins with this one, or with
    this one and a space: a guess typed as "anna x"), not a name with a LIKE wildcard's match."""
    users.add_user(accounts, "anna_b", PASSWORD, Role.EDITOR, actor="test")
    _lock(accounts, "10.0.0.1", "anna")
    _lock(accounts, "2001:db8::1", "Anna ")  # counted as anna, its /64
    _lock(accounts, "10.0.0.3", "annabelle")
    _lock(accounts, "10.0.0.4", "anna x")
    _lock(accounts, "10.0.0.5", "annaXb")  # what `anna_b` as a LIKE pattern would match
    before = _rows(accounts)
    released = users.unlock_user(accounts, "anna", actor="admin1")
    assert released.failures == 10
    assert sorted(released.addresses) == ["10.0.0.1", "2001:db8::/64"]
    assert before - _rows(accounts) == {
        ("user", "anna"),
        ("pair", "anna 10.0.0.1"),
        ("pair", "anna 2001:db8::/64"),
    }
    assert not users.unlock_user(accounts, "anna_b", actor="admin1")  # nothing of annaXb's
    code, out = _cli(accounts, "unlock", "nobody")
    assert code == 1 and "no user named 'nobody'" in out
