"""Pledge deadlines: which date a pledge must be kept by, and which pledges are past it.

A deadline set by an editor (`pledges.deadline`) wins; else the year the pledge's own text
sets (`attributes["deadline_year"]`, pipeline.attributes) counts until its last day. A pledge
is overdue when that date has passed and it has no published verdict other than `not_rated`:
nobody has yet said what became of it. Rejected pledges are never overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..model import Pledge, PledgeState, VerdictStatus
from ..store.pledges import list_pledges
from ..store.verdicts import statuses


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    source: str  # "editor" or "text"


def effective_deadline(
    editor_set: dt.date | None, attributes: Mapping[str, Any]
) -> Deadline | None:
    if editor_set is not None:
        return Deadline(editor_set, "editor")
    year = attributes.get("deadline_year")
    if isinstance(year, int) and dt.MINYEAR <= year <= dt.MAXYEAR:
        return Deadline(dt.date(year, 12, 31), "text")
    return None


def pledge_deadline(pledge: Pledge) -> Deadline | None:
    return effective_deadline(pledge.deadline, pledge.attributes)


def is_past(deadline: Deadline | None, today: dt.date) -> bool:
    return deadline is not None and deadline.date < today


@dataclass(frozen=True)
class OverduePledge:
    pledge: Pledge
    deadline: Deadline


def overdue_pledges(session: Session, tracker_id: int, today: dt.date) -> list[OverduePledge]:
    """The tracker's pledges past their deadline without a verdict, earliest deadline first."""
    pledges = list_pledges(
        session, tracker_id, states=[PledgeState.CANDIDATE, PledgeState.CONFIRMED]
    )
    rated = {
        pledge_id
        for pledge_id, status in statuses(session, tracker_id).items()
        if status is not VerdictStatus.NOT_RATED
    }
    overdue = []
    for pledge in pledges:
        deadline = pledge_deadline(pledge)
        if deadline is not None and is_past(deadline, today) and pledge.id not in rated:
            overdue.append(OverduePledge(pledge, deadline))
    overdue.sort(key=lambda o: (o.deadline.date, o.pledge.id))
    return overdue
