"""The meter: how many pledges stand at each status, by policy area and over the term.

Counted are the public pledges (publish/visibility.py): those that get checked (not rejected
ones, and not groups whose children are pledges: a list item split into several commitments
counts as its children) and that an editor confirmed, or with the tracker's `show_candidates`
also the unreviewed candidates. The meter counts only what the pages show. A pledge without a
published verdict counts as not rated; the term timeline places a verdict at its as-of date
when it has one (one dated to a month, a season or a year in the middle of that period, see
`store.verdicts.timeline_moment`), else when it was recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from ..language.collate import swedish_key
from ..model import PledgeState, Tracker, VerdictStatus
from ..store import verdicts as verdict_store
from ..store.db import Session
from .matching import match_key
from .visibility import OutlinedPledge, public_outline

STATUS_ORDER: tuple[VerdictStatus, ...] = (
    VerdictStatus.KEPT,
    VerdictStatus.PARTIALLY_KEPT,
    VerdictStatus.BROKEN,
    VerdictStatus.IN_THE_WORKS,
    VerdictStatus.STALLED,
    VerdictStatus.NOT_RATED,
    VerdictStatus.NOT_CHECKABLE,
)
MAX_MONTHS = 180


def unreviewed(pledges: Iterable[Any]) -> int:
    """How many of the counted pledges no editor has confirmed (a tracker that shows its
    candidates counts them too): the pages say so beside the total, never only in the list."""
    return sum(p.state is PledgeState.CANDIDATE for p in pledges)


def empty_counts() -> dict[str, int]:
    return {s.value: 0 for s in STATUS_ORDER}


def count(pledges: Iterable[Any], current: Mapping[int, VerdictStatus]) -> dict[str, int]:
    counts = empty_counts()
    for p in pledges:
        counts[current.get(p.id, VerdictStatus.NOT_RATED).value] += 1
    return counts


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from `start`'s month up to `end`, then `end` itself."""
    points: list[dt.date] = []
    year, month = start.year, start.month
    while len(points) < MAX_MONTHS:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if last >= end:
            break
        points.append(last)
        year, month = nxt.year, nxt.month
    points.append(end)
    return points


def over_term(
    tracker: Tracker,
    pledges: Sequence[Any],
    verdicts: Sequence[tuple[int, VerdictStatus, dt.datetime]],
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Status counts at each month end of the term (so far), from the verdict history.

    `pledges` are the counted ones (anything with an `id`). The term runs to its end, or to the
    newest verdict when that came later (a final review), but never past today; the term's
    last day stays a point then (QA: its counts, what readers want at the end of a term, gave
    way to the month ends after it).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    start = tracker.term_start or (verdicts[0][2].date() if verdicts else None)
    if start is None:
        return []
    end = tracker.term_end or today
    if verdicts and verdicts[-1][2].date() > end:
        end = verdicts[-1][2].date()
    end = min(end, today)
    if end < start:
        return []
    counted = {p.id for p in pledges}
    state: dict[int, str] = {}
    counts = empty_counts()
    counts[VerdictStatus.NOT_RATED.value] = len(counted)
    points = []
    i = 0
    days = month_ends(start, end)
    term_end = tracker.term_end
    if term_end is not None and start <= term_end < end and term_end not in days:
        days = sorted([*days, term_end])
    for day in days:
        limit = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        while i < len(verdicts) and verdicts[i][2] < limit:
            pledge_id, status, _ = verdicts[i]
            if pledge_id in counted:
                counts[state.get(pledge_id, VerdictStatus.NOT_RATED.value)] -= 1
                state[pledge_id] = status.value
                counts[status.value] += 1
            i += 1
        points.append({"date": day.isoformat(), "counts": dict(counts)})
    return points


class _HasArea(Protocol):
    @property
    def area(self) -> str | None: ...


_P = TypeVar("_P", bound=_HasArea)


def area_spellings(pledges: Iterable[_HasArea]) -> dict[str, str]:
    """Each area's name as shown (`match_key` → its most used spelling among `pledges`, the
    tracker's public ones): the meter, the party pages and the area feeds name it alike."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for p in pledges:
        key = match_key(p.area)
        if key and p.area is not None:
            spellings[key][p.area] += 1
    return {
        key: min(counted, key=lambda a: (-counted[a], swedish_key(a), a))
        for key, counted in spellings.items()
    }


def areas_of(
    pledges: Iterable[_P], spellings: Mapping[str, str] | None = None
) -> dict[str | None, list[_P]]:
    """The pledges by area as the filters match areas (`match_key`: "Skola/förskola" and
    "skola/FÖRSKOLA" are one; QA: the meter counted them apart, and an app summing its area
    filters counted their pledges twice), each under its name in `spellings` (default: the
    most used spelling among `pledges`); None: no area."""
    pledges = list(pledges)
    names = area_spellings(pledges) if spellings is None else spellings
    groups: dict[str | None, list[_P]] = defaultdict(list)
    unnamed: list[_P] = []
    for p in pledges:
        key = match_key(p.area)
        if key:
            groups[names.get(key, p.area)].append(p)
        else:
            unnamed.append(p)
    return dict(groups) | ({None: unnamed} if unnamed else {})


def meter(
    session: Session,
    tracker: Tracker,
    today: dt.date | None = None,
    *,
    until: dt.datetime | None = None,
    pledges: list[OutlinedPledge] | None = None,
) -> dict[str, Any]:
    """Totals, counts by area (largest first, pledges without area last) and over the term;
    with `until` (naive UTC) of the pledges public before then, each under the area it had
    then, by the verdicts public before then (`store.verdicts.statuses`). `pledges`: the
    `public_outline` for the same `until`, when already read."""
    if pledges is None:
        pledges = public_outline(session, tracker, until)
    current = verdict_store.statuses(session, tracker.id, until=until)
    by_area = areas_of(pledges)
    areas = sorted(
        by_area.items(), key=lambda kv: (kv[0] is None, -len(kv[1]), swedish_key(kv[0] or ""))
    )
    return {
        "total": len(pledges),
        "unreviewed": unreviewed(pledges),
        "counts": count(pledges, current),
        "by_area": [
            {"area": area, "total": len(items), "counts": count(items, current)}
            for area, items in areas
        ],
        "over_term": over_term(
            tracker,
            pledges,
            verdict_store.status_timeline(session, tracker.id, until=until),
            today,
        ),
    }


def party_order(actors: Sequence[str], parties: Iterable[str | None]) -> list[str | None]:
    """The tracker's actors in their order, then other parties found (alphabetically), then
    None when some pledges carry no party."""
    found = set(parties)
    known = {match_key(a) for a in actors}
    others = sorted({p for p in found if p and match_key(p) not in known}, key=swedish_key)
    return [*actors, *others, *([None] if None in found else [])]


def by_party(
    session: Session,
    tracker: Tracker,
    *,
    until: dt.datetime | None = None,
    pledges: list[OutlinedPledge] | None = None,
) -> list[dict[str, Any]]:
    """Counts per party of the public pledges (the coalition's breakdown); empty when no
    pledge carries a party and the tracker names no actors. `until` and `pledges` as for
    `meter`, each pledge under the party it had then."""
    if pledges is None:
        pledges = public_outline(session, tracker, until)
    if not tracker.actors and not any(p.party for p in pledges):
        return []
    current = verdict_store.statuses(session, tracker.id, until=until)
    canonical = {match_key(a): a for a in tracker.actors}
    groups: dict[str | None, list[OutlinedPledge]] = defaultdict(list)
    for p in pledges:
        party = p.party
        groups[canonical.get(match_key(party), party) if party else None].append(p)
    return [
        {
            "party": party,
            "total": len(groups[party]),
            "unreviewed": unreviewed(groups[party]),
            "counts": count(groups[party], current),
        }
        for party in party_order(tracker.actors, groups)
    ]
