"""What the public sees, defined once: every public page, JSON twin, `/api/v1` route, feed,
search, the widget and the static site ask this module.

- A tracker is public when an editor has published it; a draft answers NotFoundError (404)
  to the public. An archived tracker stays public (a past term's record) but is not listed on
  the home page (`listed_trackers`). Editors see every tracker in /edit.
- Its public pledges are the counted ones (see `store.pledges.checkable_ids`: not rejected,
  not a group with live parts) that an editor has confirmed; with the tracker's
  `show_candidates` also the unreviewed candidates, which the pages mark as not reviewed.
- A pledge's page is public for more than the public pledges (`pledges_with_pages`): a
  group keeps its page, and so does a rejected pledge the public could see before
  (`_was_shown`). The live site answers those pages and the static site writes them.
- Only published verdicts are public (drafts wait for an editor); the current status is the
  published one about the latest moment (`store.verdicts.current_verdict_ids`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import NotFoundError, TrackerDeletedError, TrackerNotFoundError
from ..language.collate import swedish_key
from ..model import Pledge, PledgeState, Tracker, Verdict
from ..store import audit
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store.audit import EarlierValues
from ..store.db import Session
from .dates import local_day


def is_public(tracker: Tracker) -> bool:
    return tracker.published_at is not None


def shown_states(tracker: Tracker) -> tuple[PledgeState, ...]:
    """The pledge states the public sees in `tracker`."""
    if tracker.show_candidates:
        return (PledgeState.CONFIRMED, PledgeState.CANDIDATE)
    return (PledgeState.CONFIRMED,)


def public_tracker(session: Session, slug: str) -> Tracker:
    """The published tracker `slug`; NotFoundError for a draft, with the same message as for a
    missing one (a draft's existence is not public); TrackerDeletedError for a published
    one that was deleted since."""
    try:
        tracker = tracker_store.get_tracker(session, slug)
    except TrackerNotFoundError:
        deleted = audit.deleted_public_tracker(session, slug)
        if deleted is None:
            raise
        raise _deleted(slug, deleted) from None
    if not is_public(tracker):
        raise TrackerNotFoundError(f"no tracker named {slug!r}")
    return tracker


def missing_record(session: Session, kind: str, record_id: int, error: NotFoundError) -> Exception:
    """What to raise for a pledge or document (`kind`) that is not in the store: a
    TrackerDeletedError when a published tracker's deletion took it (its tracker's 410), else
    `error`."""
    deleted = audit.deleted_with_public_tracker(session, kind, record_id)
    if deleted is None:
        return error
    return _deleted(*deleted)


def _deleted(slug: str, when: dt.datetime) -> TrackerDeletedError:
    """The 410 of a published tracker deleted at `when` (its day in Sweden, as pages say)."""
    return TrackerDeletedError(f"the tracker {slug!r} was deleted on {local_day(when).isoformat()}")


def public_tracker_by_id(session: Session, tracker_id: int) -> Tracker:
    tracker = tracker_store.get_tracker_by_id(session, tracker_id)
    if not is_public(tracker):
        raise NotFoundError(f"no tracker with id {tracker_id}")
    return tracker


def public_trackers(session: Session) -> list[Tracker]:
    return [t for t in tracker_store.list_trackers(session) if is_public(t)]


def listed_trackers(session: Session) -> list[Tracker]:
    """The public trackers the home page and the search form offer: not the archived ones,
    by name in Swedish alphabetical order (`language.collate`)."""
    return _by_name(t for t in public_trackers(session) if t.archived_at is None)


def archived_trackers(session: Session) -> list[Tracker]:
    """The public trackers that are archived (earlier terms), in the order of
    `listed_trackers`: the home page names them apart, so a finished term can be found."""
    return _by_name(t for t in public_trackers(session) if t.archived_at is not None)


def _by_name(trackers: Iterable[Tracker]) -> list[Tracker]:
    """By name in Swedish alphabetical order (`language.collate`), then slug."""
    return sorted(trackers, key=lambda t: (swedish_key(t.name), t.slug))


def public_ids(tracker: Tracker, outline: Iterable[tuple[int, int | None, str]]) -> set[int]:
    """Of a tracker's (id, parent id, state) triples, the ids of its public pledges."""
    rows = list(outline)
    counted = pledge_store.checkable_ids(rows)
    shown = {s.value for s in shown_states(tracker)}
    return {i for i, _, state in rows if i in counted and state in shown}


def public_pledges(tracker: Tracker, pledges: Sequence[Pledge]) -> list[Pledge]:
    """Of all of a tracker's pledges, the public ones, in the order given."""
    keep = public_ids(tracker, ((p.id, p.parent_id, p.state.value) for p in pledges))
    return [p for p in pledges if p.id in keep]


def tracker_public_pledges(session: Session, tracker: Tracker) -> list[Pledge]:
    """The public pledges of `tracker` (see the module's rule)."""
    return public_pledges(tracker, pledge_store.list_pledges(session, tracker.id))


@dataclass(frozen=True)
class OutlinedPledge:
    """A public pledge as the meter counts it: its id, state, area and party (no whole record)."""

    id: int
    state: PledgeState
    area: str | None
    party: str | None


def public_outline(
    session: Session,
    tracker: Tracker,
    until: dt.datetime | None = None,
    *,
    earlier: EarlierValues | None = None,
) -> list[OutlinedPledge]:
    """The tracker's public pledges in id order, read once for the meter and the party
    breakdown. With `until` (naive UTC), those public just before then, by the same rule as now
    applied to the pledges' states from the audit log (`store.pledges.outline_at`): confirmed
    by then (or made confirmed by an editor's split or merge), or with `show_candidates` a
    candidate extracted by then, each with the state, area and party it had then (`earlier`:
    the log's earlier values when already read). A pledge confirmed later was not public yet;
    one rejected later still was."""
    rows = (
        pledge_store.pledge_outline(session, tracker.id)
        if until is None
        else pledge_store.outline_at(session, tracker.id, until, earlier)
    )
    keep = public_ids(tracker, ((i, parent, state) for i, parent, state, _, _ in rows))
    return [
        OutlinedPledge(i, PledgeState(state), area, party)
        for i, _, state, area, party in rows
        if i in keep
    ]


def public_parts(session: Session, tracker: Tracker, pledge_id: int) -> list[Pledge]:
    """The public pledges `pledge_id` was split into, in program order, read with the parts'
    own parts only (whether a part is itself a group), not the tracker's every pledge."""
    parts = pledge_store.list_parts(session, [pledge_id])
    inner = pledge_store.list_parts(session, [p.id for p in parts])
    keep = public_ids(tracker, ((p.id, p.parent_id, p.state.value) for p in (*parts, *inner)))
    return [p for p in parts if p.id in keep]


def listed(session: Session, tracker: Tracker, pledge: Pledge) -> bool:
    """Whether `pledge` is one of the tracker's public pledges (counted, in the lists, marked in
    its document), not only a pledge with a page (a group, a rejected one): read with its own
    parts only."""
    parts = pledge_store.list_parts(session, [pledge.id])
    rows = ((p.id, p.parent_id, p.state.value) for p in (pledge, *parts))
    return pledge.id in public_ids(tracker, rows)


def public_pledge(session: Session, pledge_id: int) -> tuple[Pledge, Tracker]:
    """A public pledge and its tracker; NotFoundError for any other (TrackerDeletedError for
    one its published tracker's deletion took)."""
    try:
        pledge = pledge_store.get_pledge(session, pledge_id)
    except NotFoundError as exc:
        raise missing_record(session, "pledge", pledge_id, exc) from None
    tracker = tracker_store.get_tracker_by_id(session, pledge.tracker_id)
    if not has_page(session, tracker, pledge):
        raise NotFoundError(f"no pledge with id {pledge_id}")
    return pledge, tracker


def has_page(session: Session, tracker: Tracker, pledge: Pledge) -> bool:
    """Whether `pledge` of `tracker` has a public page (`public_pledge`'s rule)."""
    return is_public(tracker) and _has_page(session, tracker, pledge)


def pledges_with_pages(session: Session, tracker: Tracker) -> list[int]:
    """The ids of the tracker's pledges that have a public page (`public_pledge`):
    more than its public pledges (the groups and the rejected ones the public could see keep
    their pages, linked from no list), in program order. The static site writes these; [] for
    a draft."""
    if not is_public(tracker):
        return []
    pledges = pledge_store.list_pledges(session, tracker.id)
    # read once for all: the tracker's history, and the log of its rejected pledges if needed
    shown = candidates_shown(session, tracker)
    rejected: dict[int, pledge_store.Rejection] | None = None
    if not shown.candidates.always and any(p.state is PledgeState.REJECTED for p in pledges):
        rejected = pledge_store.rejections(session, tracker.id)
    return [p.id for p in pledges if _has_page(session, tracker, p, shown, rejected)]


def shown_parent(session: Session, tracker: Tracker, pledge: Pledge) -> int | None:
    """The pledge's group, when that has a public page: else None, as the open-data tables
    blank it (a group no editor confirmed is a 404 to the public; its id led nowhere)."""
    if pledge.parent_id is None:
        return None
    parent = pledge_store.get_pledge(session, pledge.parent_id)
    return parent.id if _has_page(session, tracker, parent) else None


def _has_page(
    session: Session,
    tracker: Tracker,
    pledge: Pledge,
    shown: CandidatesShown | None = None,
    rejected: dict[int, pledge_store.Rejection] | None = None,
) -> bool:
    """Whether a pledge of a public tracker has a public page: a group (a split list item)
    keeps its page, which lists its public parts; a rejected pledge that the public could see
    keeps its page saying it was removed (and where it was merged into). `shown` and
    `rejected`: `_was_shown`'s reads when already made for the tracker's every pledge."""
    return pledge.state in shown_states(tracker) or (
        pledge.state is PledgeState.REJECTED
        and _was_shown(session, tracker, pledge, shown, rejected)
    )


@dataclass(frozen=True)
class Timeline:
    """A yes/no of a tracker over time, from the audit log: its value at the tracker's creation
    (`initial`) and after each change since, as (seq, time, value) in chain order."""

    initial: bool
    changes: tuple[tuple[int, dt.datetime, bool], ...]

    @property
    def always(self) -> bool:
        return self.initial and all(value for _, _, value in self.changes)

    @property
    def never(self) -> bool:
        return not self.initial and not any(value for _, _, value in self.changes)

    def during(self, start: dt.datetime, end_seq: int | None, end_at: dt.datetime) -> bool:
        """Whether it was yes at some moment from `start` until the event `end_seq` (by chain
        order, exact), or until the time `end_at` when no event is known."""
        value = self.initial
        for seq, at, after in self.changes:
            if (seq >= end_seq) if end_seq is not None else (at >= end_at):
                break
            if at > start and value:
                return True  # yes from `start` (or an earlier change) until this one
            value = after
        return value

    def first_yes(self, start: dt.datetime = dt.datetime.min) -> dt.datetime | None:
        """The first moment from `start` on when it was yes (`start` itself when it was yes
        then); None when it never was since."""
        value = self.initial
        for _, at, after in self.changes:
            if at > start:
                if value:
                    return start
                if after:
                    return at
            value = after
        return start if value else None


@dataclass(frozen=True)
class CandidatesShown:
    """When the public could see a tracker's pledges (`published`) and its candidates too
    (`candidates`: published and showing candidates)."""

    published: Timeline
    candidates: Timeline


_PUBLISHING = {"tracker.publish": True, "tracker.unpublish": False}


def candidates_shown(session: Session, tracker: Tracker) -> CandidatesShown:
    """The tracker's history of showing its pledges and its candidates to the public: its
    `show_candidates` (`tracker.edit` events record each change's before and after:
    review/tracker_admin.py) while it was published (`tracker.publish` / `tracker.unpublish`;
    QA: a candidate rejected while the tracker was a draft showing candidates got a page once it
    was published). One query, a tracker's own few events. Never edited or published through
    Löfte (made before the log, or imported), it has had its current values since it was
    made."""
    # (seq, time, which setting, its value before, after), in chain order
    steps: list[tuple[int, dt.datetime, str, bool, bool]] = []
    for event in audit.list_events(session, "tracker", tracker.id):
        if event.action == "tracker.delete":
            steps = []  # a deleted tracker's id given to a new one (SQLite): not its past
            continue
        if event.action in _PUBLISHING:
            after = _PUBLISHING[event.action]
            steps.append((event.seq, event.created_at, "published", not after, after))
        change = (event.details.get("changes") or {}).get("show_candidates")
        if event.action == "tracker.edit" and isinstance(change, dict) and "after" in change:
            before, after = bool(change.get("before")), bool(change["after"])
            steps.append((event.seq, event.created_at, "show", before, after))
    state = {"show": tracker.show_candidates, "published": is_public(tracker)}
    for which in state:  # before its first change, each had the value that change started from
        state[which] = next((b for _, _, w, b, _ in steps if w == which), state[which])
    first = dict(state)
    published, candidates = [], []
    for seq, at, which, _, after in steps:
        state[which] = after
        published.append((seq, at, state["published"]))
        candidates.append((seq, at, state["show"] and state["published"]))
    return CandidatesShown(
        Timeline(first["published"], tuple(published)),
        Timeline(first["show"] and first["published"], tuple(candidates)),
    )


def _was_shown(
    session: Session,
    tracker: Tracker,
    pledge: Pledge,
    shown: CandidatesShown | None = None,
    rejected: dict[int, pledge_store.Rejection] | None = None,
) -> bool:
    """Whether a rejected pledge was public before: a candidate while its tracker was published
    and showed candidates, or a pledge a person confirmed while the tracker was published. A
    machine's candidate rejected in a tracker of confirmed pledges never was, and its quote
    stays private, merged into another pledge or not (QA: merging two candidates gave both a
    public page); nor does showing candidates or publishing the tracker later make it public
    (QA: the tracker's current settings were asked, not those it had while the pledge was
    live). The pledge's time runs from its creation to the event that rejected it
    (`store.pledges.rejections`), or to its last change when no event did. When a person
    confirmed it is not read: a pledge confirmed at some time and live while the tracker was
    published counts as seen (a draft's pledges, confirmed and rejected before it was
    published, never were: review)."""
    shown = shown if shown is not None else candidates_shown(session, tracker)
    if shown.candidates.always:
        return True  # every candidate was public while it was one: no need to read the log
    if shown.published.never:
        return False
    if rejected is None:
        rejected = pledge_store.rejections(session, tracker.id, pledge)
    mark = rejected.get(pledge.id)
    start = pledge.created_at or dt.datetime.min
    end_at = mark.at if mark is not None and mark.at is not None else pledge.modified_at
    end_seq = mark.seq if mark is not None else None
    seen = shown.published if mark is not None and mark.confirmed else shown.candidates
    return seen.during(start, end_seq, end_at or dt.datetime.max)


def public_verdicts(verdicts: Sequence[Verdict], until: dt.datetime | None = None) -> list[Verdict]:
    """The published ones; with `until` (naive UTC), those public before then: a verdict is
    public from its `modified_at` (see store/verdicts.py: publishing is its only change)."""
    return [
        v
        for v in verdicts
        if v.published and (until is None or (v.modified_at or v.created_at) < until)
    ]


def unreviewed(pledge: Pledge) -> bool:
    """Whether a shown pledge carries the "not reviewed" mark."""
    return pledge.state is PledgeState.CANDIDATE
