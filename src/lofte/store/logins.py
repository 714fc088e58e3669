"""Failed logins: the `login_failures` table behind `review.login_throttle`.

Each function takes an open session. Counts change only through single statements whose
condition the database checks (a compare-and-set UPDATE, an INSERT … ON CONFLICT DO UPDATE …
RETURNING), never a read-then-write in Python, so concurrent requests are all counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .schema import LoginFailureRow


def recent_failures(
    session: Session, keys: Iterable[tuple[str, str]], after: dt.datetime
) -> dict[str, tuple[int, dt.datetime]]:
    """(failures, last failure) per scope, of the (scope, key) pairs failing after `after`."""
    rows = session.execute(
        select(LoginFailureRow.scope, LoginFailureRow.failures, LoginFailureRow.last_at).where(
            or_(
                *(
                    and_(LoginFailureRow.scope == scope, LoginFailureRow.key == key)
                    for scope, key in keys
                )
            ),
            LoginFailureRow.last_at > after,
        )
    ).all()
    return {scope: (failures, last_at) for scope, failures, last_at in rows}


def claim(
    session: Session,
    scope: str,
    key: str,
    failures: int,
    last_at: dt.datetime,
    now: dt.datetime,
) -> bool:
    """Compare-and-set: move the count's last failure to `now` if it still is as read
    (`failures`, `last_at`). Of many concurrent claims on the same reading one wins."""
    result = session.execute(
        update(LoginFailureRow)
        .where(
            LoginFailureRow.scope == scope,
            LoginFailureRow.key == key,
            LoginFailureRow.failures == failures,
            LoginFailureRow.last_at == last_at,
        )
        .values(last_at=now, modified_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def count_failure(
    session: Session, scope: str, key: str, now: dt.datetime, forget_before: dt.datetime
) -> int:
    """Add one failure to the (scope, key) count in one upsert and return the new count; a
    count whose last failure is at or before `forget_before` starts again at 1."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(LoginFailureRow)
        .values(
            scope=scope,
            key=key,
            failures=1,
            last_at=now,
            created_at=now,
            modified_at=now,
        )
        .on_conflict_do_update(
            index_elements=[LoginFailureRow.scope, LoginFailureRow.key],
            set_={
                # a count whose last failure is older than the window starts again
                "failures": case(
                    (LoginFailureRow.last_at <= forget_before, 1),
                    else_=LoginFailureRow.failures + 1,
                ),
                "last_at": now,
                "modified_at": now,
            },
        )
        .returning(LoginFailureRow.failures)
    )
    return int(session.execute(statement).scalar_one())


def forget(session: Session, keys: Iterable[tuple[str, str]]) -> None:
    """Drop the counts of these (scope, key) pairs."""
    session.execute(
        delete(LoginFailureRow).where(
            or_(
                *(
                    and_(LoginFailureRow.scope == scope, LoginFailureRow.key == key)
                    for scope, key in keys
                )
            )
        )
    )


def counts_starting(session: Session, scope: str, prefix: str) -> list[tuple[str, int]]:
    """(key, failures) of the counts of `scope` whose key starts with `prefix`, whenever their
    last failure. Compared exactly, not with LIKE (a '_' in a username is no wildcard, and
    SQLite's LIKE ignores case)."""
    rows = session.execute(
        select(LoginFailureRow.key, LoginFailureRow.failures)
        .where(
            LoginFailureRow.scope == scope,
            func.substr(LoginFailureRow.key, 1, len(prefix)) == prefix,
        )
        .order_by(LoginFailureRow.key)
    ).all()
    return [(key, failures) for key, failures in rows]


def forget_before(session: Session, cutoff: dt.datetime) -> None:
    """Drop every count whose last failure is at or before `cutoff`."""
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.last_at <= cutoff))
