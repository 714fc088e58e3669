"""Slows password guessing without letting a guesser lock real editors out.

Failed logins are counted per client address, per username and per (username, address) pair
in the `login_failures` table, so every server process (`--workers N`) sees the same counts.
Each count is forgotten `window` seconds after its last failure. Two rules, both checked
BEFORE any password is hashed, so a refused attempt costs one indexed read and no argon2 work:

- **Address back-off.** After `address_limit` failures from one address (any usernames), that
  address waits 1 s after its next failure, then 2 s, 4 s … (at most `max_delay`) between
  guesses, and when a wait is over only one request gets through (a compare-and-set claim),
  however many it sends at once. This is what stops a flood, and guesses spread over many
  usernames. Below the limit, requests already in flight together may overshoot it by their
  number.
- **Username lock, for the failing addresses only.** After `user_limit` failures for one
  username, attempts for it are refused from every address that has itself failed for it.
  An address that has not failed for it (the real editor at her own desk) is still let
  through to the password check, so a guesser cannot lock an account for everyone.

Counts change only through single conditional upserts (INSERT … ON CONFLICT DO UPDATE …
RETURNING), never a read-then-write in Python, so concurrent failures are all counted. IPv6
addresses are counted by their /64 network, the block one subscriber usually holds.

A refused attempt is logged at WARNING on the web's logger ("lofte.web"), naming the username
as typed and the address, never the password: an admin learns of a lock from the log, not
from the editor. An admin releases a username's lock at once (`release_username`: `lofte user
unlock`, and a new password or re-enabling the account do it too); the addresses' own counts
stay, since they count guesses at any name.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..store import logins as login_store
from ..store.db import Session, Store

ADDRESS, USER, PAIR = "address", "user", "pair"
# The web app's logger: a throttled login is the web's event, logged where its others are.
log = logging.getLogger("lofte.web")


@dataclass(frozen=True)
class ThrottlePolicy:
    address_limit: int = 10
    user_limit: int = 5
    window: float = 900.0  # seconds a failure is remembered after the last one
    max_delay: float = 300.0  # longest back-off between two guesses from one address


def address_key(host: str | None) -> str:
    """The client's address as counted: IPv4 as is, IPv6 by its /64 network."""
    if not host:
        return "unknown"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def username_key(username: str) -> str:
    return username.strip().casefold()[:100]


class LoginThrottle:
    def __init__(
        self,
        store: Store,
        policy: ThrottlePolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.policy, self.clock = store, policy or ThrottlePolicy(), clock

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC).replace(tzinfo=None)

    def _keys(self, address: str | None, username: str) -> dict[str, str]:
        addr, user = address_key(address), username_key(username)
        return {ADDRESS: addr, USER: user, PAIR: f"{user} {addr}"}

    def refused(self, address: str | None, username: str, *, claim: bool = True) -> bool:
        """Whether to answer this attempt with 429 without checking the password. With
        `claim=False` a pure read: it never takes the one guess allowed after a wait."""
        keys, now, p = self._keys(address, username), self._now(), self.policy
        cutoff = now - dt.timedelta(seconds=p.window)
        with self.store.session() as session:
            recent = login_store.recent_failures(session, keys.items(), cutoff)
        user_failures = recent.get(USER, (0, now))[0]
        if user_failures >= p.user_limit and PAIR in recent:
            _log_refused(
                address, username, f"the username is locked after {user_failures} failures"
            )
            return True
        failures, last_at = recent.get(ADDRESS, (0, now))
        if failures < p.address_limit:
            return False
        delay = min(p.max_delay, 2.0 ** min(failures - p.address_limit, 30))
        why = f"the address waits {delay:g} s after {failures} failures"
        if now < last_at + dt.timedelta(seconds=delay):
            _log_refused(address, username, why)
            return True
        if not claim:
            return False
        # The back-off is over: one guess may go through. Claim it with a compare-and-set on
        # the row as read, so that of many concurrent requests from the address only one
        # gets to hash; the claim restarts the wait.
        with self.store.session() as session:
            claimed = login_store.claim(session, ADDRESS, keys[ADDRESS], failures, last_at, now)
        if not claimed:
            _log_refused(address, username, why)
        return not claimed

    def failed(self, address: str | None, username: str) -> None:
        """Count a failed login for the address, the username and the pair."""
        now = self._now()
        cutoff = now - dt.timedelta(seconds=self.policy.window)
        counted = 0
        for scope, key in self._keys(address, username).items():
            # One statement per key, each its own transaction: no lock is held while waiting
            # for another, so concurrent failures cannot deadlock on PostgreSQL.
            with self.store.session() as session:
                result = login_store.count_failure(session, scope, key, now, cutoff)
                if scope == ADDRESS:
                    counted = result
        if counted == 1:
            self.forget_old()  # a new address window: a good moment to drop expired counts

    def succeeded(self, address: str | None, username: str) -> None:
        """A correct password: forget the username's failures and this address's for it. The
        address's own count stays, so logging in to one's own account cannot reset a flood."""
        keys = self._keys(address, username)
        with self.store.session() as session:
            login_store.forget(session, [(USER, keys[USER]), (PAIR, keys[PAIR])])

    def forget_old(self) -> None:
        cutoff = self._now() - dt.timedelta(seconds=self.policy.window)
        with self.store.session() as session:
            login_store.forget_before(session, cutoff)


def _log_refused(address: str | None, username: str, why: str) -> None:
    """One WARNING line per refused attempt (a request is refused by one call of `refused`):
    the name as typed, quoted so that no control character or newline can forge a line."""
    log.warning(
        "login throttled (429) for username %r from %s: %s",
        username.strip()[:100],
        address_key(address),
        why,
    )


@dataclass(frozen=True)
class Released:
    """What `release_username` dropped: the username's own count of failures (0: none), and
    the addresses (as counted) that were locked out of it."""

    failures: int = 0
    addresses: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.failures or self.addresses)


def release_username(session: Session, username: str) -> Released:
    """Drop the counts that lock `username` out (its own, and each address's for it), in the
    caller's transaction: an admin's doing, who knows the editor is who she says (QA: after 5
    wrong guesses at her own desk she waited 15 minutes). The addresses' own counts stay."""
    user = username_key(username)
    prefix = f"{user} "
    pairs = [
        key
        for key, _ in login_store.counts_starting(session, PAIR, prefix)
        if " " not in key[len(prefix) :]  # not another name that starts with this one's
    ]
    own = dict(login_store.counts_starting(session, USER, user)).get(user, 0)
    login_store.forget(session, [(USER, user), *((PAIR, key) for key in pairs)])
    return Released(own, [key[len(prefix) :] for key in pairs])
