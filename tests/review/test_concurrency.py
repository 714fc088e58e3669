"""Concurrent changes through the library: the version check holds in the database itself.

Each round, WRITERS threads wait at a barrier and then make a change with the same expected
version (or decide the same suggestion). Exactly one may succeed; the others get ConflictError,
nothing of theirs is left behind, and the audit log gains exactly one event per round.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from lofte.errors import AlreadySavedError, ConflictError, ValidationError
from lofte.model import PledgeState, VerdictStatus
from lofte.review import pledges as review
from lofte.review import users
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import pledges as pledge_store
from lofte.store.db import Store
from lofte.store.schema import AuditEventRow, EvidenceRow, PledgeRow, VerdictRow
from tests.web.conftest import build_site

WRITERS = 4
ROUNDS = 10

Change = Callable[[int, int], object]  # (round, writer) -> anything; raises ConflictError on losing


def _count(store: Store, model: type, *where: object) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _version(store: Store, pledge_id: int) -> int:
    with store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def _round(
    store: Store, change: Change, round_no: int, refusals: tuple[type[Exception], ...]
) -> tuple[int, list[str]]:
    """WRITERS threads try `change` at once: (winners, unexpected errors)."""
    barrier = threading.Barrier(WRITERS)
    won, errors = [0], []
    lock = threading.Lock()

    def writer(i: int) -> None:
        barrier.wait()
        try:
            change(round_no, i)
        except refusals:
            return
        except Exception as exc:  # noqa: BLE001 - anything but a conflict is a failure of the test
            with lock:
                errors.append(f"round {round_no} writer {i}: {type(exc).__name__}: {exc}")
            return
        with lock:
            won[0] += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return won[0], errors


def _race(
    store: Store,
    name: str,
    change: Change,
    events: Callable[[], int],
    before_round: Callable[[int], None] = lambda _: None,
    refusals: tuple[type[Exception], ...] = (ConflictError,),
) -> None:
    doubled, problems = 0, []
    for round_no in range(ROUNDS):
        before_round(round_no)
        events_before = events()
        winners, errors = _round(store, change, round_no, refusals)
        problems += errors
        doubled += winners > 1
        if winners != 1:
            problems.append(f"round {round_no}: {winners} winners")
        elif events() != events_before + 1:
            problems.append(f"round {round_no}: {events() - events_before} audit events")
    dialect = store.engine.dialect.name
    assert doubled == 0, f"{name} {dialect}: {doubled}/{ROUNDS} rounds with more than one winner"
    assert not problems, problems


def _events(
    store: Store, entity_type: str, entity_id: int | None = None, action: str | None = None
) -> Callable[[], int]:
    where = [AuditEventRow.entity_type == entity_type]
    if entity_id is not None:
        where.append(AuditEventRow.entity_id == entity_id)
    if action is not None:
        where.append(AuditEventRow.action == action)
    return lambda: _count(store, AuditEventRow, *where)


def test_verdicts_edits_and_state_changes_have_one_winner(store: Store) -> None:
    site = build_site(store)
    editor = next(u for u in users.list_users(store) if u.username == "anna")
    versions: dict[int, int] = {}

    def remember(_: int) -> None:
        versions[site.pool] = _version(store, site.pool)

    def verdict(round_no: int, i: int) -> object:
        return set_verdict(
            store,
            site.pool,
            VerdictStatus.IN_THE_WORKS,
            f"Skäl {round_no}-{i}",
            author=editor,
            expected_version=versions[site.pool],
        )

    _race(store, "verdict", verdict, _events(store, "pledge", site.pool), remember)
    # the losers' verdicts were rolled back with their conflict
    assert _count(store, VerdictRow, VerdictRow.pledge_id == site.pool) == ROUNDS

    def edit(round_no: int, i: int) -> object:
        return review.edit(
            store,
            site.pool,
            area=f"Område {round_no}-{i}",
            actor="anna",
            expected_version=versions[site.pool],
        )

    _race(store, "edit", edit, _events(store, "pledge", site.pool), remember)

    def state(round_no: int, i: int) -> object:
        change = review.confirm if i % 2 else review.reject
        return change(store, site.pool, actor="anna", expected_version=versions[site.pool])

    _race(store, "confirm/reject", state, _events(store, "pledge", site.pool), remember)


def test_the_same_verdict_sent_at_once_is_saved_once(store: Store) -> None:
    """A double-click on Save, or one form open in two tabs: writers send the same verdict
    without an expected version. One row each round; the others are told it is saved already
    (they read after the winner) or that the pledge changed (they read before it)."""
    site = build_site(store)
    editor = next(u for u in users.list_users(store) if u.username == "anna")

    def same_verdict(round_no: int, _: int) -> object:
        return set_verdict(
            store, site.pool, VerdictStatus.IN_THE_WORKS, f"Skäl {round_no}", author=editor
        )

    _race(store, "same verdict", same_verdict, _events(store, "pledge", site.pool))
    assert _count(store, VerdictRow, VerdictRow.pledge_id == site.pool) == ROUNDS


@pytest.mark.parametrize("draft", [True, False])
def test_one_form_sent_twice_at_once_is_saved_once_and_told_so(store: Store, draft: bool) -> None:
    """A double click on Save sends one form twice, with the version it was opened on. One row
    each round, and the other sending is told the verdict is saved (QA: a draft, which raises
    no version, was saved twice and both copies could be published; a published verdict's
    second sending was told another editor had changed the pledge)."""
    site = build_site(store)
    editor = next(u for u in users.list_users(store) if u.username == "anna")
    seen: list[int] = []

    def remember(_: int) -> None:
        seen[:] = [_version(store, site.pool)]

    def same_form(round_no: int, _: int) -> object:
        return set_verdict(
            store,
            site.pool,
            VerdictStatus.IN_THE_WORKS,
            f"Skäl {round_no}",
            author=editor,
            draft=draft,
            expected_version=seen[0],
        )

    _race(
        store,
        "same form",
        same_form,
        _events(store, "pledge", site.pool),
        remember,
        refusals=(AlreadySavedError,),
    )
    assert _count(store, VerdictRow, VerdictRow.pledge_id == site.pool) == ROUNDS


def test_evidence_accept_and_reject_have_one_winner(store: Store) -> None:
    site = build_site(store)

    def suggest_again(_: int) -> None:
        with store.session() as s:
            s.execute(
                update(EvidenceRow)
                .where(EvidenceRow.id == site.ev_pool)
                .values(review_state="suggested")
            )

    def decide(_: int, i: int) -> object:
        return decide_evidence(store, site.ev_pool, i % 2 == 0, actor="anna")

    _race(store, "evidence", decide, _events(store, "evidence", site.ev_pool), suggest_again)


def test_split_and_merge_have_one_winner(store: Store) -> None:
    site = build_site(store)
    quote_start: dict[str, int] = {}

    def unsplit(_: int) -> None:  # the children of the last round are rejected: split it again
        with store.session() as s:
            s.execute(
                update(PledgeRow)
                .where(PledgeRow.parent_id == site.pool)
                .values(state=PledgeState.REJECTED.value)
            )
            row = pledge_store.get_pledge_row(s, site.pool)
            quote_start["start"], quote_start["end"] = row.start, row.end
            quote_start["version"] = row.version

    def split(_: int, i: int) -> object:
        cut = quote_start["start"] + 5 + i
        return review.split(
            store, site.pool, [cut], actor="anna", expected_version=quote_start["version"]
        )

    # a writer that reads the pledge after the winner committed is told it is split already
    _race(
        store,
        "split",
        split,
        _events(store, "pledge", site.pool, "pledge.split"),
        unsplit,
        (ConflictError, ValidationError),
    )
    live = PledgeRow.state != PledgeState.REJECTED.value
    assert _count(store, PledgeRow, PledgeRow.parent_id == site.pool, live) == 2

    pairs: dict[str, tuple[int, int, int, int]] = {}

    def two_new_pledges(_: int) -> None:
        with store.session() as s:
            if pairs:  # the last round's pair, if an edit won it, leaves (a merge refuses
                # live pledges inside its span, and these would be)
                old = [pairs["now"][0], pairs["now"][2]]
                s.execute(
                    update(PledgeRow)
                    .where(PledgeRow.id.in_(old))
                    .values(state=PledgeState.REJECTED.value)
                )
            row = pledge_store.get_pledge_row(s, site.trees)
            made = []
            for start, end in ((row.start, row.start + 10), (row.start + 11, row.end)):
                new = PledgeRow(
                    tracker_id=row.tracker_id,
                    document_id=row.document_id,
                    start=start,
                    end=end,
                    quote=row.quote,
                    attributes={},
                    confidence=1.0,
                    stage="extract",
                    stage_version="1",
                )
                s.add(new)
                s.flush()
                made.append(new)
            pairs["now"] = (made[0].id, made[0].version, made[1].id, made[1].version)

    def merge_or_edit(_: int, i: int) -> object:
        a, va, b, vb = pairs["now"]
        if i == WRITERS - 1:  # one writer edits a pledge the others are merging
            return review.edit(store, b, topic="annat", actor="bo", expected_version=vb)
        return review.merge(store, [a, b], actor="anna", expected_versions={a: va, b: vb})

    def merge_events() -> int:
        return (
            _events(store, "pledge", action="pledge.merge")()
            + _events(store, "pledge", pairs["now"][2] if pairs else None, "pledge.edit")()
        )

    _race(store, "merge", merge_or_edit, merge_events, two_new_pledges)
    merged = _count(
        store, PledgeRow, PledgeRow.stage == review.EDITOR_STAGE, PledgeRow.parent_id.is_(None)
    )
    assert merged == _events(store, "pledge", action="pledge.merge")()
