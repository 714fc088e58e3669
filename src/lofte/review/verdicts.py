"""Verdicts and evidence decisions: the editor's judgement, append-only and audited.

A verdict is for a confirmed pledge only (a list item split into live parts is rated through
its parts) and needs a rationale; only "not rated" may go
without one, and only when it changes the pledge's status (back from a rating). Kept,
partially kept and broken need at least one accepted piece of evidence of the same pledge; not
checkable needs the reason in its rationale. A verdict saved as a draft is not public until
`publish_verdict`. Setting a verdict bumps the pledge's version, so two editors rating the same
pledge at once cannot overwrite each other: the second gets a ConflictError and can reload. A
draft is saved on the version the editor saw too (a stale one is a ConflictError), but leaves
the version, which is public, as it is: nothing a reader sees moves until it is published,
which bumps it. A verdict identical to the pledge's newest one is not saved twice:
AlreadySavedError, also when the form sent again (a double click, or Back then Save) carries
the version its first sending changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..errors import AlreadySavedError, ConflictError, NotFoundError, ValidationError, about
from ..language.dates import parse_user_date
from ..model import (
    DatePrecision,
    DateValue,
    Evidence,
    PledgeState,
    ReviewState,
    Role,
    Tracker,
    User,
    Verdict,
    VerdictStatus,
)
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import users as user_store
from ..store import verdicts as verdict_store
from ..store.db import Session, Store
from .deadlines import check_not_before_program
from .reasons import MAX_RATIONALE_LENGTH, checked_length, checked_reason, visible
from .reasons import MAX_REASON_LENGTH as MAX_REASON_LENGTH  # where callers found it

_SHOWN_LENGTH = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}
NEEDS_EVIDENCE = frozenset({VerdictStatus.KEPT, VerdictStatus.PARTIALLY_KEPT, VerdictStatus.BROKEN})


def set_verdict(
    store: Store,
    pledge_id: int,
    status: VerdictStatus,
    rationale: str,
    evidence_ids: Sequence[int] = (),
    *,
    author: User | None = None,
    actor: str | None = None,
    expected_version: int | None = None,
    draft: bool = False,
    as_of: str | DateValue | None = None,
) -> Verdict:
    """Rate a confirmed pledge. `actor` (who, for the audit log) defaults to the author's
    username; one of the two is required. `draft=True` saves the verdict unpublished (not
    public, not counted) until `publish_verdict`. `as_of` is when the rated thing happened:
    "YYYY", "YYYY-MM" or "YYYY-MM-DD", kept at that precision."""
    actor = actor or (author.username if author else None)
    if not actor:
        raise ValidationError("a verdict needs an author or an actor (who sets it)")
    rationale = rationale.strip() if visible(rationale) else ""
    _check_rationale(status, rationale)
    when = parse_as_of(as_of)
    with store.session() as session:
        ids = sorted(set(evidence_ids))
        wanted = (
            status,
            rationale,
            tuple(ids),
            None if when is None else when.value,
            None if when is None else when.precision,
            not draft,
        )
        # Held first: a form sent twice at once (a double click) waits here for the first,
        # then finds its verdict below, a draft too (a draft raises no version: QA saved two)
        pledge_store.hold_pledge(session, pledge_id)
        try:
            pledge = verdict_store.pledge_to_rate(session, pledge_id, expected_version)
        except ConflictError:
            # The same form sent twice (a double click, or Back then Save) carries the version
            # the first one changed: that is no other editor's change, the verdict is saved.
            _refuse_repeat(session, pledge_id, wanted)
            raise
        if pledge.state is not PledgeState.CONFIRMED:
            raise ValidationError(
                f"pledge {pledge_id} is {pledge.state.value}, not confirmed: "
                "only a confirmed pledge gets a verdict (confirm it first)"
            )
        live_parts = [
            p.id
            for p in pledge_store.children(session, pledge_id)
            if p.state is not PledgeState.REJECTED
        ]
        if live_parts:
            # a split list item is checked through its parts: a verdict here would show on its
            # page and be counted nowhere (not in the meter, the report or the open data)
            raise ValidationError(
                f"pledge {pledge_id} is split into parts ({', '.join(map(str, live_parts))}), "
                "which are checked instead: rate the parts"
            )
        if when is not None:
            shown = when.value.isoformat()[: _SHOWN_LENGTH.get(when.precision, 10)]
            with about("date"):
                check_not_before_program(session, pledge, when.latest(), f"the as-of date {shown}")
        for evidence_id in ids:
            try:
                evidence = verdict_store.cited_evidence(session, evidence_id)
            except NotFoundError as exc:  # a source the form names: its value is wrong
                raise ValidationError(str(exc), ("evidence",)) from None
            if evidence.pledge_id != pledge_id:
                raise ValidationError(
                    f"evidence {evidence_id} belongs to pledge {evidence.pledge_id}, "
                    f"not {pledge_id}",
                    ("evidence",),
                )
            if evidence.review_state is not ReviewState.ACCEPTED:
                raise ValidationError(
                    f"evidence {evidence_id} is not accepted; accept it first", ("evidence",)
                )
        if (
            status is VerdictStatus.NOT_RATED
            and not rationale
            and verdict_store.current_status(session, pledge_id) is VerdictStatus.NOT_RATED
        ):
            # e.g. Enter pressed in the form with its default status: a public entry saying
            # nothing. Setting a rated pledge back to not rated stays possible.
            raise ValidationError(
                f"pledge {pledge_id} is not rated already: a 'not_rated' verdict without a "
                "rationale would record nothing; write why it is not rated"
            )
        if status in NEEDS_EVIDENCE and not ids:
            raise _needs_evidence(status)
        # Repeats stop here: a concurrent one waited at `hold_pledge` for the first's commit.
        _refuse_repeat(session, pledge_id, wanted)
        # from the CLI there is no login: the actor is the author when an account has that name
        if author is not None:
            author_id: int | None = author.id
        else:
            account = user_store.find_user(session, actor)
            if account is not None and (
                account.disabled or account.role not in (Role.ADMIN, Role.EDITOR)
            ):
                # the author a page names is that person (QA, an insider: `--actor` named a
                # viewer, who became a published verdict's author)
                state = "a disabled account" if account.disabled else f"a {account.role.value}"
                raise ValidationError(
                    f"{actor!r} is {state}, who cannot write verdicts: give --actor an "
                    "editor's name, or a name that is no account"
                )
            author_id = account.id if account else None
        return verdict_store.add_verdict(
            session,
            pledge_id,
            status,
            rationale,
            ids,
            author_id=author_id,
            actor=actor,
            # the version the checks above read: a change since is a conflict
            expected_version=pledge.version,
            published=not draft,
            as_of=None if when is None else when.value,
            as_of_precision=None if when is None else when.precision,
        )


def _refuse_repeat(session: Session, pledge_id: int, wanted: tuple[object, ...]) -> None:
    """AlreadySavedError when the pledge's newest verdict is `wanted` (status, rationale,
    evidence ids, as-of value and precision, published): nothing new to add."""
    newest = verdict_store.newest_verdict(session, pledge_id)
    if (
        newest is not None
        and (
            newest.status,
            newest.rationale,
            tuple(newest.evidence_ids),
            newest.as_of,
            newest.as_of_precision,
            newest.published,
        )
        == wanted
    ):
        raise AlreadySavedError(f"pledge {pledge_id} already has this verdict ({newest.id})")


def _needs_evidence(status: VerdictStatus) -> ValidationError:
    return ValidationError(
        f"a verdict '{status.value}' needs at least one accepted piece of evidence", ("evidence",)
    )


def _check_rationale(status: VerdictStatus, rationale: str) -> None:
    checked_length("rationale", rationale, MAX_RATIONALE_LENGTH)
    if not rationale and status is VerdictStatus.NOT_CHECKABLE:
        raise ValidationError(
            f"a verdict '{status.value}' needs the reason it cannot be checked in its rationale",
            ("rationale",),
        )
    if not rationale and status is not VerdictStatus.NOT_RATED:
        raise ValidationError(f"a verdict '{status.value}' needs a rationale", ("rationale",))


def form_problems(
    status: str, rationale: str, as_of: str, evidence_ids: Sequence[int] = ()
) -> list[ValidationError]:
    """Every rule a verdict form's own fields break, at once, before the store is asked (the
    rules `set_verdict` checks of them; newsroom QA: the form named one error at a time, and a
    second send met the next); each names its field (status, rationale, evidence, date)."""
    problems: list[ValidationError] = []
    text = rationale.strip() if visible(rationale) else ""
    try:
        chosen = VerdictStatus(status)
    except ValueError:
        problems.append(ValidationError("choose a status", ("status",)))
        if not text:  # every status but "not rated" needs one: said now, not after the next send
            problems.append(ValidationError("write a rationale", ("rationale",)))
    else:
        try:
            _check_rationale(chosen, text)
        except ValidationError as exc:
            problems.append(exc)
        if chosen in NEEDS_EVIDENCE and not evidence_ids:
            problems.append(_needs_evidence(chosen))
    try:
        parse_as_of(as_of)
    except ValidationError as exc:
        problems.append(exc)
    return problems


def parse_as_of(value: str | DateValue | None) -> DateValue | None:
    """An as-of date from a form or the CLI: "" or None is none; a future day is refused (a
    verdict rates what has happened)."""
    if value is None or isinstance(value, DateValue):
        when = value
    elif not value.strip():
        return None
    else:
        with about("date"):
            when = parse_user_date(value)
    if when is not None and when.value > dt.datetime.now(dt.UTC).date():
        # at the precision typed ("2030", not "2030-01-01")
        shown = when.value.isoformat()[: _SHOWN_LENGTH.get(when.precision, 10)]
        raise ValidationError(f"the as-of date {shown} is in the future", ("date",))
    return when


def publish_verdict(store: Store, verdict_id: int, *, actor: str) -> Verdict:
    """Publish a draft verdict (one action): it becomes the pledge's status if it is the
    published one about the latest moment (`store.verdicts.current_verdict_ids`). Audited as
    `verdict.publish`; a published verdict is a conflict."""
    if not actor or not actor.strip():
        raise ValidationError("publishing a verdict needs an actor (who does it)")
    with store.session() as session:
        verdict = verdict_store.get_verdict(session, verdict_id)
        pledge = verdict_store.pledge_to_rate(session, verdict.pledge_id)
        if pledge.state is not PledgeState.CONFIRMED:
            raise ValidationError(
                f"pledge {pledge.id} is {pledge.state.value}, not confirmed: "
                "its verdicts cannot be published"
            )
        return verdict_store.publish_verdict(session, verdict_id, actor=actor.strip())


def is_current(store: Store, verdict: Verdict) -> bool:
    """Whether a published verdict is its pledge's status now: a backdated one (its as-of before
    a newer verdict's moment) is saved and public in the timeline, but does not change the
    status, which the editor is told (QA: "saved and published", and the status stayed)."""
    with store.session() as session:
        history = verdict_store.verdict_history(session, verdict.pledge_id)
    rows = (
        (v.id, v.pledge_id, v.published, verdict_store.status_moment(v.as_of, v.created_at))
        for v in history
    )
    return verdict_store.current_verdict_ids(rows).get(verdict.pledge_id) == verdict.id


def after_the_term(store: Store, verdict: Verdict) -> dt.date | None:
    """The tracker's term end when a published verdict rates a moment wholly after it: its
    as-of date, else the day it was recorded (review: a final verdict recorded after the term
    without --as-of is about that day). Such a verdict is kept (a pledge kept late is news)
    but, as the newest moment, it becomes the status the finished term's pages show, which the
    editor is told (QA: "as of 2026-11" on a term that ended in September was saved without a
    word). A draft is not shown: None."""
    moment = verdict.as_of or (verdict.created_at.date() if verdict.created_at else None)
    if not verdict.published or moment is None:
        return None
    term_end = tracker_of(store, verdict).term_end
    return term_end if term_end is not None and moment > term_end else None


def tracker_of(store: Store, verdict: Verdict) -> Tracker:
    """The tracker of the verdict's pledge: whether it is public at all (a draft tracker's
    published verdict is public only once the tracker is; QA: "sparad och publicerad" on a
    draft tracker), and its term."""
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, verdict.pledge_id)
        return tracker_store.get_tracker_by_id(session, pledge.tracker_id)


def decide_evidence(
    store: Store,
    evidence_id: int,
    accept: bool,
    *,
    actor: str,
    expected_state: ReviewState | None = ReviewState.SUGGESTED,
    reason: str | None = None,
) -> Evidence:
    """Accept or reject a suggestion. A decision someone else made meanwhile is a conflict.
    `reason` (why: "reports a proposal, not a decision") is kept in the decision's audit event,
    where the pledge's history and the next editor read it."""
    new = ReviewState.ACCEPTED if accept else ReviewState.REJECTED
    reason = checked_reason(reason)
    with store.session() as session:
        return verdict_store.decide_evidence(
            session, evidence_id, new, expected_state, actor=actor, reason=reason
        )
