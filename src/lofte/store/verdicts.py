"""Verdicts: the editors' ratings of pledges, append-only. Each function takes an open session.

The current status of a pledge is defined here once (`current_verdict_ids`): of its *published*
verdicts, the one about the latest moment, its as-of date when the editor gave one (a verdict
recorded today about May 2023 is history, not the present), else when it was recorded; on the
same moment the later-recorded one. A pledge without a published verdict is not rated. The
status timeline (`status_timeline`) keeps each pledge's verdicts in the same order, so its last
point is the current status (it places a verdict dated to a month, a season or a year in the
middle of that period, `timeline_moment`).

The status at a past moment (`until`, the final account's date): the same rule over the
verdicts public before that moment. A verdict row is never changed but to publish a draft
(`publish_verdict`, which sets `modified_at`), so `modified_at` is when it became public: its
recording for a verdict published at once, its publishing for a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import AlreadySavedError, ConflictError, NotFoundError, ValidationError
from ..model import (
    DatePrecision,
    Evidence,
    Pledge,
    PledgeState,
    ReviewState,
    Verdict,
    VerdictChange,
    VerdictStatus,
    period_end,
)
from . import audit
from .evidence import change_review_state, evidence_record, get_evidence_row, hold_open_pledge
from .pledges import get_pledge_row, pledge_record
from .schema import EvidenceRow, PledgeRow, UserRow, VerdictRow, utcnow


def _record(v: VerdictRow, author: str | None) -> Verdict:
    return Verdict(
        id=v.id,
        pledge_id=v.pledge_id,
        status=VerdictStatus(v.status),
        rationale=v.rationale,
        evidence_ids=tuple(v.evidence_ids or ()),
        author=author,
        created_at=v.created_at,
        published=v.published,
        modified_at=v.modified_at,
        as_of=v.as_of_value,
        as_of_precision=None if v.as_of_precision is None else DatePrecision(v.as_of_precision),
    )


def verdict_history(session: Session, pledge_id: int) -> list[Verdict]:
    """Every verdict of a pledge, oldest first: the timeline."""
    query = (
        select(VerdictRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == VerdictRow.author_id)
        .where(VerdictRow.pledge_id == pledge_id)
        .order_by(VerdictRow.id)
    )
    return [_record(v, name) for v, name in session.execute(query)]


def newest_verdict(session: Session, pledge_id: int) -> Verdict | None:
    """A pledge's newest verdict, published or draft; None before its first."""
    query = (
        select(VerdictRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == VerdictRow.author_id)
        .where(VerdictRow.pledge_id == pledge_id)
        .order_by(VerdictRow.id.desc())
        .limit(1)
    )
    found = session.execute(query).first()
    return None if found is None else _record(found[0], found[1])


def list_verdicts(session: Session) -> list[Verdict]:
    """Every verdict, in id order, with its author's username (None when the account is gone)."""
    query = (
        select(VerdictRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == VerdictRow.author_id)
        .order_by(VerdictRow.id)
    )
    return [_record(v, name) for v, name in session.execute(query)]


def statuses(
    session: Session,
    tracker_id: int | None = None,
    *,
    pledge_ids: Iterable[int] | None = None,
    until: dt.datetime | None = None,
) -> dict[int, VerdictStatus]:
    """The current status of each pledge that has a published verdict (see
    `current_verdict_ids`, the one rule); with `until` (naive UTC), the status as it stood
    then: only the verdicts public before that moment count (see the module's doc)."""
    query = select(
        VerdictRow.id,
        VerdictRow.pledge_id,
        VerdictRow.published,
        VerdictRow.status,
        VerdictRow.created_at,
        VerdictRow.as_of_value,
    )
    if until is not None:
        query = query.where(VerdictRow.modified_at < until)
    if tracker_id is not None:
        query = query.join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id).where(
            PledgeRow.tracker_id == tracker_id
        )
    if pledge_ids is not None:
        query = query.where(VerdictRow.pledge_id.in_(list(pledge_ids)))
    rows = session.execute(query).all()
    status_of = {row.id: row.status for row in rows}
    current = current_verdict_ids(
        (row.id, row.pledge_id, row.published, status_moment(row.as_of_value, row.created_at))
        for row in rows
    )
    return {pledge: VerdictStatus(status_of[v]) for pledge, v in current.items()}


def current_status(session: Session, pledge_id: int) -> VerdictStatus:
    return statuses(session, pledge_ids=[pledge_id]).get(pledge_id, VerdictStatus.NOT_RATED)


def published_timeline(
    session: Session, tracker_id: int
) -> list[tuple[int, VerdictStatus, dt.datetime]]:
    """(pledge id, status, time) of every published verdict of a tracker, oldest first."""
    query = (
        select(VerdictRow.pledge_id, VerdictRow.status, VerdictRow.created_at)
        .join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id)
        .where(PledgeRow.tracker_id == tracker_id, VerdictRow.published.is_(True))
        .order_by(VerdictRow.created_at, VerdictRow.id)
    )
    return [(p, VerdictStatus(s), t) for p, s, t in session.execute(query)]


def published_at() -> Any:
    """When a published verdict became public, as a column expression: `modified_at` (see the
    module's doc: publishing a draft sets it), else its recording."""
    return func.coalesce(VerdictRow.modified_at, VerdictRow.created_at)


def recent_changes(
    session: Session, tracker_id: int, limit: int | None = 50
) -> list[VerdictChange]:
    """The newest published verdicts of a tracker, newest first by when they became public (a
    draft published today is today's change), with the pledge they rate."""
    query = (
        select(VerdictRow, PledgeRow.quote, PledgeRow.area)
        .join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id)
        .where(PledgeRow.tracker_id == tracker_id, VerdictRow.published.is_(True))
        .order_by(published_at().desc(), VerdictRow.id.desc())
        .limit(limit)
    )
    return [
        VerdictChange(verdict=_record(v, None), quote=quote, area=area)
        for v, quote, area in session.execute(query)
    ]


def status_dates(session: Session, tracker_id: int | None = None) -> dict[int, dt.date]:
    """The day each pledge's current status was published (`status_times`' day)."""
    return {p: moment.date() for p, moment in status_times(session, tracker_id).items()}


def status_times(session: Session, tracker_id: int | None = None) -> dict[int, dt.datetime]:
    """When each pledge's current status was published: when its current verdict became
    public (`published_at`), not when a draft of it was recorded. The moment, not the day:
    "latest change first" orders one day's changes too (QA)."""
    query = select(
        VerdictRow.id,
        VerdictRow.pledge_id,
        published_at(),
        VerdictRow.created_at,
        VerdictRow.as_of_value,
    ).where(VerdictRow.published.is_(True))
    if tracker_id is not None:
        query = query.join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id).where(
            PledgeRow.tracker_id == tracker_id
        )
    rows = session.execute(query).all()
    public = {row[0]: row[2] for row in rows}
    current = current_verdict_ids(
        (verdict_id, pledge_id, True, status_moment(as_of, created))
        for verdict_id, pledge_id, _, created, as_of in rows
    )
    return {pledge_id: public[verdict_id] for pledge_id, verdict_id in current.items()}


# --- rating a pledge and deciding on evidence (the rules are in review/verdicts.py) ----------


def pledge_to_rate(session: Session, pledge_id: int, expected_version: int | None = None) -> Pledge:
    """The pledge a verdict is for; ConflictError when it changed since `expected_version`."""
    return pledge_record(get_pledge_row(session, pledge_id, expected_version))


def cited_evidence(session: Session, evidence_id: int) -> Evidence:
    """A piece of evidence a verdict is to cite; NotFoundError when there is none."""
    return evidence_record(get_evidence_row(session, evidence_id))


def add_verdict(
    session: Session,
    pledge_id: int,
    status: VerdictStatus,
    rationale: str,
    evidence_ids: Sequence[int],
    *,
    author_id: int | None,
    actor: str,
    expected_version: int | None = None,
    published: bool = True,
    as_of: dt.date | None = None,
    as_of_precision: DatePrecision | None = None,
) -> Verdict:
    """Append a verdict, bump the pledge's version and record the `verdict.set` event with the
    states it produced, in the caller's transaction. `published=False` saves a draft (not
    public, no status until `publish_verdict`); `as_of` is when the rated thing happened. The
    version bump is the ORM's `UPDATE … WHERE version = ?`: of two editors rating one pledge at
    once the second gets a ConflictError.

    A draft leaves the pledge's row as it is (version, `modified_at`): both are public, and a
    draft must not change what readers see or let them learn that one exists (a researcher's
    client saw the pledge, and the API's validators, change on every draft). It is still saved
    only on the version the editor saw, checked in the database (`_hold_version`)."""
    pledge = get_pledge_row(session, pledge_id, expected_version)
    ids = list(evidence_ids)
    verdict = VerdictRow(
        pledge_id=pledge_id,
        status=status.value,
        rationale=rationale,
        evidence_ids=ids,
        author_id=author_id,
        published=published,
        as_of_value=as_of,
        as_of_precision=None if as_of is None else (as_of_precision or DatePrecision.DAY).value,
    )
    session.add(verdict)
    if published:
        pledge.version += 1
    else:
        _hold_version(session, pledge_id, pledge.version)
    session.flush()
    audit.record_event(
        session,
        "verdict.set",
        "pledge",
        pledge_id,
        actor,
        status=status.value,
        verdict_id=verdict.id,
        evidence_ids=ids,
        verdict=audit.verdict_state(verdict, actor if author_id else None),
        pledges=[audit.pledge_state(pledge)],
        **_as_of_detail(verdict),
    )
    return verdict_history(session, pledge_id)[-1]


def _hold_version(session: Session, pledge_id: int, version: int) -> None:
    """ConflictError unless the pledge is still at `version`, checked by an UPDATE that changes
    nothing (so nothing public moves): it takes the row's lock until the caller's commit, so a
    change committed meanwhile makes it match no row, and one made after waits for ours."""
    held = session.execute(
        update(PledgeRow)
        .where(PledgeRow.id == pledge_id, PledgeRow.version == version)
        # modified_at named: its `onupdate` would otherwise set it
        .values(version=PledgeRow.version, modified_at=PledgeRow.modified_at)
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"pledge {pledge_id} was changed by someone else (you saw version {version}); "
            "reload it and apply your change again"
        )


def decide_evidence(
    session: Session,
    evidence_id: int,
    new: ReviewState,
    expected: ReviewState | None,
    *,
    actor: str,
    reason: str | None = None,
) -> Evidence:
    """Set a piece of evidence's review state if it still is `expected` (a compare-and-set
    UPDATE, see store.evidence.change_review_state) and record the decision's event, with the
    editor's reason when one was given."""
    accepted = new is ReviewState.ACCEPTED
    if accepted:  # QA: accepted, it went public on a rejected pledge
        pledge_id = session.scalar(
            select(EvidenceRow.pledge_id).where(EvidenceRow.id == evidence_id)
        )
        if pledge_id is not None:  # (none: change_review_state names the missing id)
            hold_open_pledge(session, pledge_id)
    row, before = change_review_state(session, evidence_id, new, expected)
    held: dict[str, Any] = {}
    if before is ReviewState.ACCEPTED and not accepted:
        # the withdrawal raised the pledge's version: the event records the state it left, or
        # `audit verify` finds the pledge changed outside Löfte (QA: export then refused)
        held["pledges"] = [_refuse_withdrawing_a_source(session, evidence_id, row.pledge_id)]
    audit.record_event(
        session,
        f"evidence.{'accept' if accepted else 'reject'}",
        "evidence",
        row.id,
        actor,
        pledge_id=row.pledge_id,
        document_id=row.document_id,
        before=before.value,
        evidence=[audit.evidence_state(row)],
        **held,
        **({"reason": reason} if reason else {}),
    )
    return evidence_record(row)


def _refuse_withdrawing_a_source(
    session: Session, evidence_id: int, pledge_id: int
) -> dict[str, Any]:
    """Accepted evidence the pledge's current verdict cites stays (QA: withdrawn, the public
    page went on saying "kept, based on evidence 5" with no evidence 5 on it). The pledge's
    version is raised first, in the database: a verdict saved meanwhile on the version read
    before conflicts, and on PostgreSQL one committed meanwhile is seen by the check below.
    Returns the pledge's state after that raise, for the withdrawal's audit event."""
    session.execute(
        update(PledgeRow)
        .where(PledgeRow.id == pledge_id)
        .values(version=PledgeRow.version + 1, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    # read back in the UPDATE's transaction, which holds the row until commit: the version
    # written above (an ORM copy loaded earlier would still hold the old one)
    pledge = session.get(PledgeRow, pledge_id, populate_existing=True)
    if pledge is None:
        raise NotFoundError(f"no pledge with id {pledge_id}")
    rows = session.execute(
        select(
            VerdictRow.id,
            VerdictRow.published,
            VerdictRow.created_at,
            VerdictRow.as_of_value,
            VerdictRow.status,
            VerdictRow.evidence_ids,
        ).where(VerdictRow.pledge_id == pledge_id)
    ).all()
    current = current_verdict_ids(
        (r.id, pledge_id, r.published, status_moment(r.as_of_value, r.created_at)) for r in rows
    ).get(pledge_id)
    for r in rows:
        if r.id == current and evidence_id in (r.evidence_ids or []):
            raise ValidationError(
                f"evidence {evidence_id} is a source of the current verdict of pledge "
                f"{pledge_id} ({r.status}): set a new verdict without it first"
            )
    # an earlier published verdict's sources stay too: its page, the API and the open data
    # go on citing them (QA, a party's press officer: withdrawn, "based on evidence 4118"
    # pointed at nothing and the export's verdict had no source)
    earlier = sorted(r.id for r in rows if r.published and evidence_id in (r.evidence_ids or []))
    if earlier:
        raise ValidationError(
            f"evidence {evidence_id} is a source of pledge {pledge_id}'s published "
            f"{'verdict' if len(earlier) == 1 else 'verdicts'} {', '.join(map(str, earlier))}: "
            "a published verdict's sources stay in its history; a new verdict can say the "
            "evidence did not hold"
        )
    return audit.pledge_state(pledge)


def status_moment(as_of: dt.date | None, created_at: dt.datetime) -> dt.datetime:
    """From when a verdict's status holds: the start of its as-of day, else its recording
    (naive UTC). The current status and the timeline both order verdicts by it, then by id."""
    return created_at if as_of is None else dt.datetime.combine(as_of, dt.time())


def current_verdict_ids(
    verdicts: Iterable[tuple[int, int, bool, dt.datetime]],
) -> dict[int, int]:
    """The current-status rule, defined once: of (verdict id, pledge id, published, its
    `status_moment`) in any order, each pledge's published verdict of the latest moment (on the
    same moment the highest id). `statuses` applies it to the database, the final account to a
    pledge's history, the open-data export to an export's verdicts."""
    best: dict[int, tuple[dt.datetime, int]] = {}
    for verdict_id, pledge_id, published, moment in verdicts:
        key = (moment, verdict_id)
        if published and (pledge_id not in best or key > best[pledge_id]):
            best[pledge_id] = key
    return {pledge_id: verdict_id for pledge_id, (_, verdict_id) in best.items()}


def corrections(verdicts: Iterable[tuple[int, int, bool, dt.datetime]]) -> dict[int, int]:
    """Which published verdict corrects which: of (verdict id, pledge id, published, its
    `status_moment`), each published verdict mapped to the next one recorded about the same
    moment of the same pledge, which replaced it under the current-status rule. A later
    verdict about a later moment is a new status, not a correction; one about an earlier
    moment fills in the history. QA, a party's press officer: a broken verdict corrected to
    kept showed as two entries of the same month, nothing saying the second replaced it."""
    by_moment: dict[tuple[int, dt.datetime], list[int]] = {}
    for verdict_id, pledge_id, published, moment in verdicts:
        if published:
            by_moment.setdefault((pledge_id, moment), []).append(verdict_id)
    corrected: dict[int, int] = {}
    for ids in by_moment.values():
        ids.sort()
        corrected.update(zip(ids, ids[1:], strict=False))
    return corrected


# --- draft verdicts and the as-of date (issue 12) ---------------------------------------------


def _as_of_detail(row: VerdictRow) -> dict[str, Any]:
    """The as-of date for an audit event's details; nothing when the verdict has none."""
    as_of = audit.as_of_detail(row)
    return {} if as_of is None else {"as_of": as_of}


def get_verdict(session: Session, verdict_id: int) -> Verdict:
    query = (
        select(VerdictRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == VerdictRow.author_id)
        .where(VerdictRow.id == verdict_id)
    )
    found = session.execute(query).first()
    if found is None:
        raise NotFoundError(f"no verdict with id {verdict_id}")
    return _record(found[0], found[1])


def publish_verdict(session: Session, verdict_id: int, *, actor: str) -> Verdict:
    """Publish a draft verdict: a conditional UPDATE (`… WHERE published IS FALSE`), so of two
    editors publishing at once one does it and the other gets a ConflictError. Bumps the
    pledge's version (its status may change) and records `verdict.publish`."""
    row = session.get(VerdictRow, verdict_id)
    if row is None:
        raise NotFoundError(f"no verdict with id {verdict_id}")
    # The pledge is held first (its version raised in the database), as withdrawing evidence
    # holds it: of a withdrawal and this publication at once, the second to take the row sees
    # the first's commit in the check below (QA: a draft citing evidence withdrawn after it
    # was saved went public as "kept", citing evidence no longer on the page).
    # Only while it is confirmed, in the same UPDATE: a pledge rejected meanwhile (its reject
    # committed before this row was taken) is no pledge to publish a verdict of (QA: a publish
    # and a reject at once both succeeded, 11 of 40 times, the rejected pledge showing the new
    # status); a reject after it meets the raised version.
    held = session.execute(
        update(PledgeRow)
        .where(PledgeRow.id == row.pledge_id, PledgeRow.state == PledgeState.CONFIRMED.value)
        .values(version=PledgeRow.version + 1, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        state = session.scalar(select(PledgeRow.state).where(PledgeRow.id == row.pledge_id))
        raise ValidationError(
            f"pledge {row.pledge_id} is {state}, not confirmed: its verdicts cannot be published"
        )
    if row.as_of_value is not None:
        # a verdict about the same moment published since the draft was saved wins the
        # current-status rule's tie (the higher id): published, the draft would change nothing
        # and read as corrected by a verdict the public saw before it (review)
        newer = session.scalar(
            select(VerdictRow.id)
            .where(
                VerdictRow.pledge_id == row.pledge_id,
                VerdictRow.published.is_(True),
                VerdictRow.as_of_value == row.as_of_value,
                VerdictRow.id > row.id,
            )
            .limit(1)
        )
        if newer is not None:
            raise ValidationError(
                f"verdict {newer}, about the same moment, was published after draft "
                f"{verdict_id} was saved: save the draft's verdict again to make it the newer one"
            )
    cited = [int(i) for i in row.evidence_ids or ()]
    if cited:
        withdrawn = sorted(
            session.scalars(
                select(EvidenceRow.id).where(
                    EvidenceRow.id.in_(cited),
                    EvidenceRow.review_state != ReviewState.ACCEPTED.value,
                )
            )
        )
        if withdrawn:
            raise ValidationError(
                f"verdict {verdict_id} cites evidence {', '.join(map(str, withdrawn))}, no "
                "longer accepted: save the verdict again with the evidence that stands"
            )
    done = session.execute(
        update(VerdictRow)
        .where(VerdictRow.id == verdict_id, VerdictRow.published.is_(False))
        .values(published=True, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        # a second click, or another editor first: nothing more to do, and nothing was written
        raise AlreadySavedError(f"verdict {verdict_id} is published already")
    session.refresh(row)
    pledge = get_pledge_row(session, row.pledge_id)
    session.refresh(pledge)  # its version was raised above, not through the ORM
    audit.record_event(
        session,
        "verdict.publish",
        "pledge",
        row.pledge_id,
        actor,
        verdict_id=row.id,
        status=row.status,
        pledges=[audit.pledge_state(pledge)],
        **_as_of_detail(row),
    )
    return get_verdict(session, verdict_id)


def timeline_moment(
    as_of: dt.date | None, precision: DatePrecision | str | None, created_at: dt.datetime
) -> dt.datetime:
    """Where the term's timeline places a verdict: an as-of that names a period (a month, a
    season, a year: `as_of` is its first day) at the period's middle day, never after the
    verdict was recorded; a day, or no as-of, as `status_moment`. QA: a verdict known only to
    its year was drawn from that January, a status held for months before anyone knew it."""
    moment = status_moment(as_of, created_at)
    if as_of is None or precision is None or DatePrecision(precision) is DatePrecision.DAY:
        return moment
    last = period_end(as_of, DatePrecision(precision))
    middle = as_of + (last - as_of) // 2
    return max(moment, min(dt.datetime.combine(middle, dt.time()), created_at))


def status_timeline(
    session: Session, tracker_id: int, *, until: dt.datetime | None = None
) -> list[tuple[int, VerdictStatus, dt.datetime]]:
    """(pledge id, status, time) of every published verdict of a tracker in the order things
    happened, each at its `timeline_moment`. A pledge's verdicts keep the order of the
    current-status rule (`status_moment`, then the later-recorded one): a verdict placed in
    its period's middle is moved back to its pledge's next verdict when that is earlier, so
    the last point is the current status. With `until` (naive UTC), only the verdicts public
    before that moment (a verdict recorded later about an earlier day is left out: the
    timeline is the one that could be drawn then)."""
    query = (
        select(
            VerdictRow.id,
            VerdictRow.pledge_id,
            VerdictRow.status,
            VerdictRow.created_at,
            VerdictRow.as_of_value,
            VerdictRow.as_of_precision,
        )
        .join(PledgeRow, PledgeRow.id == VerdictRow.pledge_id)
        .where(PledgeRow.tracker_id == tracker_id, VerdictRow.published.is_(True))
    )
    if until is not None:
        query = query.where(VerdictRow.modified_at < until)
    ordered = sorted(
        (status_moment(as_of, created), verdict_id, pledge_id, VerdictStatus(status), placed)
        for verdict_id, pledge_id, status, created, as_of, precision in session.execute(query)
        for placed in [timeline_moment(as_of, precision, created)]
    )
    out = []
    following: dict[int, dt.datetime] = {}  # each pledge's next verdict's place
    for key, verdict_id, pledge_id, status, placed in reversed(ordered):
        if pledge_id in following:
            placed = min(placed, following[pledge_id])
        following[pledge_id] = placed
        out.append((placed, key, verdict_id, pledge_id, status))
    out.sort()
    return [(p, s, placed) for placed, _, _, p, s in out]
