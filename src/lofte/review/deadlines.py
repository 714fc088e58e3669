"""Pledge deadlines: which date a pledge must be kept by, and which pledges are past it.

A deadline set by an editor (`pledges.deadline`) wins; else the year the pledge's own text
sets (`attributes["deadline_year"]`, pipeline.attributes) counts until its last day, or until
the term's last day when the words are the term itself ("under mandatperioden", "till nästa
val"): the tracker's own term end when it has one (`Tracker.term_end`, passed as `term_end`),
else 30 September of the election year (`Term`). A pledge
is overdue when that date has passed and it has no published verdict other than `not_rated`:
nobody has yet said what became of it. Rejected pledges are never overdue, nor is a group
(a split list item, checked through its parts).

At the end of a term the open pledges (no verdict, or the newest one says the work goes on,
has stalled or is not rated) are the editors' worklist: `worklist`; there every open pledge
past its deadline is overdue, rated in the works or stalled or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..language.collate import swedish_key
from ..language.dates import MAX_YEAR, MIN_YEAR
from ..model import Pledge, PledgeState, Tracker, VerdictStatus
from ..pipeline.attributes import Term, names_the_term
from ..pipeline.constraints import DECISIVE
from ..store import documents as document_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store.db import Session, Store
from ..store.verdicts import statuses

TERM_END = Term.after_election(2022).end  # its month and day: every term ends on that day
# The statuses that leave a pledge open at the end of a term.
OPEN_STATUSES = frozenset(
    {VerdictStatus.NOT_RATED, VerdictStatus.IN_THE_WORKS, VerdictStatus.STALLED}
)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    # "editor"; "text" (the year the pledge names); "term" (its words name the term, and the
    # tracker's own term end dates it)
    source: str


def effective_deadline(
    editor_set: dt.date | None, attributes: Mapping[str, Any], term_end: dt.date | None = None
) -> Deadline | None:
    """The pledge's deadline (see the module's doc); `term_end`: its tracker's, if set."""
    if editor_set is not None:
        return Deadline(editor_set, "editor")
    words = attributes.get("deadline")
    names_term = isinstance(words, str) and names_the_term(words)
    if names_term and term_end is not None:
        # the term the tracker follows ends on its own day (a government's term ends at the
        # election, 2026-09-13), whatever year extraction read (none, without a Term); its
        # source says so, as the date is the tracker's setting (QA: labelled "from the text")
        return Deadline(term_end, "term")
    year = attributes.get("deadline_year")
    # bool is an int too: a stray True is no year
    if isinstance(year, int) and not isinstance(year, bool) and dt.MINYEAR <= year <= dt.MAXYEAR:
        if names_term:
            # the term's last day (`Term.end`): "under mandatperioden" was still due in the
            # December after the election that ended the term
            return Deadline(dt.date(year, TERM_END.month, TERM_END.day), "text")
        return Deadline(dt.date(year, 12, 31), "text")
    return None


def pledge_deadline(pledge: Pledge, term_end: dt.date | None = None) -> Deadline | None:
    """`effective_deadline` of a pledge; `term_end`: its tracker's (None: 30 September)."""
    return effective_deadline(pledge.deadline, pledge.attributes, term_end)


def deadline_of(store: Store, pledge: Pledge) -> Deadline | None:
    """`pledge_deadline` with its tracker's term end, read from the store."""
    with store.session() as session:
        term_end = tracker_store.get_tracker_by_id(session, pledge.tracker_id).term_end
    return pledge_deadline(pledge, term_end)


def is_past(deadline: Deadline | None, today: dt.date) -> bool:
    return deadline is not None and deadline.date < today


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def deadline_fields(
    pledge: Pledge,
    status: VerdictStatus | None,
    today: dt.date,
    term_end: dt.date | None = None,
    *,
    group: bool = False,
) -> dict[str, Any]:
    """What a page and its JSON twin say of a pledge's deadline: the date, where it comes
    from, and whether it has passed with no verdict yet (the flag readers see). `term_end`:
    the pledge's tracker's, when it has one; `group`: the pledge is split into live parts,
    which are checked instead."""
    deadline = pledge_deadline(pledge, term_end)
    rated = status is not None and status is not VerdictStatus.NOT_RATED
    return {
        "deadline": deadline.date.isoformat() if deadline else None,
        "deadline_source": deadline.source if deadline else None,
        # never for what is not checked itself (QA: an editor's page of a split group said
        # its deadline had passed), as `overdue_pledges` has it
        "deadline_passed": is_past(deadline, today)
        and not rated
        and not group
        and pledge.state is not PledgeState.REJECTED,
    }


def _live_pledges(session: Session, tracker_id: int) -> list[Pledge]:
    """The tracker's pledges that get checked (not rejected, not groups), in program order."""
    pledges = pledge_store.list_pledges(
        session, tracker_id, states=[PledgeState.CANDIDATE, PledgeState.CONFIRMED]
    )
    counted = pledge_store.checkable_ids((p.id, p.parent_id, p.state.value) for p in pledges)
    return [p for p in pledges if p.id in counted]


@dataclass(frozen=True)
class OverduePledge:
    pledge: Pledge
    deadline: Deadline


def overdue_pledges(session: Session, tracker_id: int, today: dt.date) -> list[OverduePledge]:
    """The tracker's pledges past their deadline without a verdict, earliest deadline first."""
    term_end = tracker_store.get_tracker_by_id(session, tracker_id).term_end
    rated = {
        pledge_id
        for pledge_id, status in statuses(session, tracker_id).items()
        if status is not VerdictStatus.NOT_RATED
    }
    overdue = []
    for pledge in _live_pledges(session, tracker_id):
        deadline = pledge_deadline(pledge, term_end)
        if deadline is not None and is_past(deadline, today) and pledge.id not in rated:
            overdue.append(OverduePledge(pledge, deadline))
    overdue.sort(key=lambda o: (o.deadline.date, o.pledge.id))
    return overdue


# --- editors set a deadline -------------------------------------------------------------------


def set_deadline(
    store: Store,
    pledge_id: int,
    deadline: dt.date | None,
    *,
    actor: str,
    expected_version: int | None = None,
) -> Pledge:
    """Set (or, with None, clear) the deadline an editor gives a pledge; one audit event.

    Like every pledge edit it raises the version: a change since `expected_version` is a
    ConflictError, and the UPDATE's `WHERE version = <read>` settles a race in the database.
    """
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id, expected_version)
        if deadline is not None:
            check_not_before_program(session, pledge, deadline, f"the deadline {deadline}")
        if pledge.deadline == deadline:
            raise ValidationError(
                f"pledge {pledge_id} already has that deadline"
                if deadline
                else f"pledge {pledge_id} has no deadline set by an editor"
            )
        updated = pledge_store.update_pledge(session, pledge_id, pledge.version, deadline=deadline)
        pledge_store.record_pledge_event(
            session,
            "pledge.deadline",
            pledge_id,
            actor,
            [pledge_id],
            before=pledge.deadline.isoformat() if pledge.deadline else None,
            after=deadline.isoformat() if deadline else None,
        )
        return updated


def check_not_before_program(
    session: Session, pledge: Pledge, last_day: dt.date, what: str
) -> None:
    """ValidationError when a date an editor gives `pledge` (a period ending on `last_day`)
    lies wholly before the program it comes from: a mistyped year ("2004" for 2024) went
    through as history. Only a program date that states publication (given, or from its
    folder or its dateline) bounds it; one read from elsewhere in the text is a guess."""
    program = document_store.get_document(session, pledge.document_id).date
    if program is None or program.provenance not in DECISIVE:
        return
    if last_day < program.value:
        raise ValidationError(
            f"{what} is before the program the pledge comes from ({program.value.isoformat()})"
        )


def parse_deadline(text: str) -> dt.date:
    """A deadline typed as YYYY-MM-DD, in the years any date of Löfte may have (as `--as-of`:
    year 1 was taken); ValidationError otherwise."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"a deadline is a date YYYY-MM-DD, not {text.strip()!r}") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(f"a deadline's year must be {MIN_YEAR}–{MAX_YEAR}, not {day.year}")
    return day


# --- the end-of-term worklist -----------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    pledge: Pledge
    status: VerdictStatus
    deadline: Deadline | None
    overdue: bool


@dataclass(frozen=True)
class Worklist:
    tracker: Tracker
    today: dt.date
    term_ended: bool  # the tracker's term_end has passed
    items: tuple[WorkItem, ...]
    unreviewed: int = 0  # candidate pledges nobody has confirmed yet (not on the list)


def worklist(session: Session, slug: str, today: dt.date) -> Worklist:
    """The open confirmed pledges of tracker `slug` (no verdict, or the current one
    is in_the_works, stalled or not_rated): overdue ones first (earliest deadline first), then
    by area (pledges without one last), then in program order. Candidates are machine
    suggestions, not yet pledges to account for: only their number is given."""
    tracker = tracker_store.get_tracker(session, slug)
    current = statuses(session, tracker.id)
    # every pledge, so that a group counts through its live parts whatever their state (the
    # candidate count once took split groups in, and disagreed with the list it links to)
    every = pledge_store.list_pledges(session, tracker.id)
    counted = pledge_store.checkable_ids((p.id, p.parent_id, p.state.value) for p in every)
    confirmed = [p for p in every if p.state is PledgeState.CONFIRMED]
    unreviewed = sum(p.state is PledgeState.CANDIDATE and p.id in counted for p in every)
    items = []
    for pledge in (p for p in confirmed if p.id in counted):
        status = current.get(pledge.id, VerdictStatus.NOT_RATED)
        if status not in OPEN_STATUSES:
            continue
        deadline = pledge_deadline(pledge, tracker.term_end)
        # past its deadline and still open, whatever the open status: a pledge "in the works"
        # since 2024 with a 2025 deadline is what the term's end must account for (QA: it was
        # listed after the rest, unmarked). Pages and digests call only the unrated overdue.
        overdue = is_past(deadline, today)
        items.append(WorkItem(pledge, status, deadline, overdue))
    order = {item.pledge.id: i for i, item in enumerate(items)}

    def key(item: WorkItem) -> tuple[Any, ...]:
        when = item.deadline.date if item.overdue and item.deadline else dt.date.max
        area = item.pledge.area
        return (
            not item.overdue,
            when,
            area is None,
            swedish_key(area or ""),
            order[item.pledge.id],
        )

    items.sort(key=key)
    ended = tracker.term_end is not None and tracker.term_end < today
    return Worklist(tracker, today, ended, tuple(items), unreviewed)


def worklist_rows(work: Worklist) -> list[dict[str, Any]]:
    """The worklist as plain records (the CLI's JSON and CSV, the editor page)."""
    return [
        {
            "pledge_id": item.pledge.id,
            "quote": item.pledge.quote,
            "area": item.pledge.area,
            "party": item.pledge.party,
            "state": item.pledge.state.value,
            "status": item.status.value,
            "deadline": item.deadline.date.isoformat() if item.deadline else None,
            "deadline_source": item.deadline.source if item.deadline else None,
            "overdue": item.overdue,
        }
        for item in work.items
    ]
