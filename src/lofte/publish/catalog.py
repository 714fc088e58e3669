"""Listing rules of the public API (`/api/v1`): filters, pages and validators, no database.

The web layer loads records through the store and the read side, then asks this module which
of them a request selects and which page of them it shows. Keeping the rules here lets the
API, the CLI and tests agree on them without a server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import ValidationError

T = TypeVar("T")

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def envelope(self, serialize: Callable[[T], object]) -> dict[str, object]:
        return {
            "items": [serialize(x) for x in self.items],
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def paginate(items: Sequence[T], page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page[T]:
    """One page of `items`; ValidationError for a page below 1 or a size outside 1..100."""
    if page < 1:
        raise ValidationError("page must be 1 or more")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    start = (page - 1) * per_page
    return Page(list(items[start : start + per_page]), page, per_page, len(items))


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds; None is open. A record without a date is outside any bounded range."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> DateRange:
        def day(value: str | None, name: str) -> dt.date | None:
            if value is None or not value.strip():
                return None
            text = value.strip()
            try:
                if len(text) != 10 or text[4] != "-":  # 3.11 also reads 20240101
                    raise ValueError(text)
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(f"{name} must be a date as YYYY-MM-DD") from None

        out = cls(day(start, "from"), day(end, "to"))
        if out.start and out.end and out.start > out.end:
            raise ValidationError("from must not be after to")
        return out

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def holds(self, day: dt.date | None, last: dt.date | None = None) -> bool:
        """Whether `day` is in the range; with `last`, whether the period `day`..`last` (a date
        of month or year precision) overlaps it: "October 2024" is in 2024-10-02..2024-10-31
        (QA: compared as its first day, it was left out of every range that missed the 1st)."""
        if not self.bounded:
            return True
        if day is None:
            return False
        last = day if last is None else last
        return (self.start is None or last >= self.start) and (self.end is None or day <= self.end)


def etag(body: bytes) -> str:
    """A strong validator of the exact bytes served."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches_etag(header: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (or is "*")."""
    if not header:
        return False
    names = [part.strip() for part in header.split(",")]
    return "*" in names or tag in names or f"W/{tag}" in names


def http_date(moment: dt.datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def last_modified(moment: dt.datetime, *, now: dt.datetime | None = None) -> dt.datetime:
    """The Last-Modified to send for what last changed at `moment`: its second, or the second
    before while that one is not over. HTTP dates are whole seconds: a second change within
    the same second carries the same date, and a client whose copy was of the first answered
    304 to its If-Modified-Since (QA). A copy made after the second is over has every change
    of it; one made during it is sent a date that any later answer is newer than."""
    second = _naive_utc(moment).replace(microsecond=0)
    current = _naive_utc(now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return second - dt.timedelta(seconds=1) if current <= second else second


def not_modified_since(
    header: str | None, moment: dt.datetime | None, *, now: dt.datetime | None = None
) -> bool:
    """Whether an If-Modified-Since `header` says the client's copy of what last changed at
    `moment` is current: its date is at or after `moment`, to the second. A date that cannot be
    read, or one later than the server's clock (`now`), is invalid and ignored (RFC 9110
    §13.1.3; security QA: a date in 2100 got 304 for ever). The API and the static files both
    ask this. Naive datetimes are UTC, as the store keeps them."""
    if not header or moment is None:
        return False
    try:
        since = dt.datetime.strptime(header.strip(), "%a, %d %b %Y %H:%M:%S GMT")
    except ValueError:
        return False  # an unreadable date: answer in full
    if since > _naive_utc(now or dt.datetime.now(dt.UTC)):
        return False
    return _naive_utc(moment).replace(microsecond=0) <= since


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
