"""The login throttle: per address (any usernames) with back-off, per username only for the
failing addresses, counts forgotten after the window, atomic under concurrency. Both databases."""

from __future__ import annotations

import threading

from sqlalchemy import select

from lofte.review.login_throttle import LoginThrottle, ThrottlePolicy, address_key
from lofte.store.db import Store
from lofte.store.schema import LoginFailureRow


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _throttle(store: Store, clock: Clock, **policy: float) -> LoginThrottle:
    return LoginThrottle(
        store,
        ThrottlePolicy(
            **({"address_limit": 3, "user_limit": 2, "window": 60, "max_delay": 20} | policy)
        ),
        clock,
    )  # type: ignore[arg-type]


def test_guesses_spread_over_usernames_are_limited_per_address(store: Store) -> None:
    clock = Clock()
    throttle = _throttle(store, clock)
    for n in range(3):
        assert not throttle.refused("10.0.0.1", f"gissning{n}")
        throttle.failed("10.0.0.1", f"gissning{n}")
    assert throttle.refused("10.0.0.1", "nagon-annan")  # a name never tried before
    assert not throttle.refused("10.0.0.2", "nagon-annan")  # other addresses are not affected
    clock.now += 1.01  # back-off: 1 s after the limit is reached …
    assert not throttle.refused("10.0.0.1", "nagon-annan")
    throttle.failed("10.0.0.1", "nagon-annan")
    clock.now += 1.01  # … then 2 s
    assert throttle.refused("10.0.0.1", "x")
    clock.now += 1.0
    assert not throttle.refused("10.0.0.1", "x")
    for n in range(10):  # the back-off doubles up to max_delay, never beyond
        throttle.failed("10.0.0.1", f"y{n}")
    clock.now += 19.9
    assert throttle.refused("10.0.0.1", "z")
    clock.now += 0.2
    assert not throttle.refused("10.0.0.1", "z")


def test_a_locked_username_still_lets_an_address_in_that_has_not_failed(store: Store) -> None:
    clock = Clock()
    throttle = _throttle(store, clock, address_limit=100)
    throttle.failed("10.0.0.1", "anna")
    throttle.failed("10.0.0.1", "Anna ")
    assert throttle.refused("10.0.0.1", "anna")  # the guesser's address
    assert not throttle.refused("10.0.0.2", "anna")  # anna at her own desk
    throttle.failed("10.0.0.3", "anna")  # another address fails once for anna: now it is out too
    assert throttle.refused("10.0.0.3", "anna")
    throttle.succeeded("10.0.0.2", "anna")  # anna logs in: the lock on her name ends
    assert not throttle.refused("10.0.0.1", "anna")


def test_failures_are_forgotten_after_the_window(store: Store) -> None:
    clock = Clock()
    throttle = _throttle(store, clock)
    for _ in range(3):
        throttle.failed("10.0.0.1", "anna")
    assert throttle.refused("10.0.0.1", "anna")
    clock.now += 61
    assert not throttle.refused("10.0.0.1", "anna")
    throttle.failed("10.0.0.9", "bo")  # a new address window drops the expired rows
    with store.session() as s:
        assert {r.key for r in s.scalars(select(LoginFailureRow))} == {
            "10.0.0.9",
            "bo",
            "bo 10.0.0.9",
        }


def test_concurrent_failures_are_all_counted(store: Store) -> None:
    throttle = _throttle(store, Clock(), address_limit=1000)
    threads, barrier = 8, threading.Barrier(8)
    errors: list[BaseException] = []

    def fail(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                throttle.failed("10.0.0.1", f"namn{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=fail, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    with store.session() as s:
        count = s.scalar(select(LoginFailureRow.failures).where(LoginFailureRow.scope == "address"))
    assert count == threads * 5


def test_ipv6_addresses_count_by_their_64_network() -> None:
    assert (
        address_key("2001:db8:1:2:aaaa::1")
        == address_key("2001:db8:1:2:bbbb::2")
        == "2001:db8:1:2::/64"
    )
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert address_key("10.0.0.1") == "10.0.0.1" and address_key(None) == "unknown"


def test_after_a_wait_only_one_of_many_concurrent_guesses_goes_through(store: Store) -> None:
    clock = Clock()
    throttle = _throttle(store, clock)
    for n in range(3):
        throttle.failed("10.0.0.1", f"n{n}")
    clock.now += 1.01
    barrier, answers = threading.Barrier(6), []

    def attempt() -> None:
        barrier.wait()
        answers.append(throttle.refused("10.0.0.1", "ny"))

    workers = [threading.Thread(target=attempt) for _ in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(answers) == [False] + [True] * 5
