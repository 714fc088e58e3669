"""Verdicts need a confirmed pledge; a draft verdict is neither public nor counted until an
editor publishes it (one audited action); a verdict has an as-of date at its precision."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ConflictError, ValidationError
from lofte.model import DatePrecision, Tracker, VerdictStatus
from lofte.publish.meter import over_term
from lofte.review.pledges import confirm
from lofte.review.verdicts import is_current, publish_verdict, set_verdict
from lofte.store import audit
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def test_a_verdict_needs_a_confirmed_pledge(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)  # a candidate, as extracted
    with pytest.raises(ValidationError, match="not confirmed"):
        set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="anna")
    confirm(store, pledge_id, actor="anna")
    verdict = set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="anna")
    assert verdict.published


def test_a_draft_gives_no_status_until_published(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    draft = set_verdict(
        store, pledge_id, VerdictStatus.STALLED, "Inget händer.", actor="anna", draft=True
    )
    assert not draft.published
    with store.session() as s:
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.NOT_RATED
        assert (
            verdict_store.status_timeline(s, pledge_store.get_pledge(s, pledge_id).tracker_id) == []
        )
    published = publish_verdict(store, draft.id, actor="bo")
    assert published.published and published.id == draft.id
    with store.session() as s:
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.STALLED
        events = [(e.action, e.actor) for e in audit.recent_events(s, limit=5)]
    assert ("verdict.publish", "bo") in events
    with pytest.raises(ConflictError, match="published already"):
        publish_verdict(store, draft.id, actor="bo")


def test_as_of_is_kept_at_its_precision_and_orders_the_timeline(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    first = set_verdict(
        store, pledge_id, VerdictStatus.IN_THE_WORKS, "Budgeten.", actor="anna", as_of="2023"
    )
    second = set_verdict(
        store, pledge_id, VerdictStatus.STALLED, "Pausat.", actor="anna", as_of="2025-03"
    )
    assert (first.as_of, first.as_of_precision) == (dt.date(2023, 1, 1), DatePrecision.YEAR)
    assert (second.as_of, second.as_of_precision) == (dt.date(2025, 3, 1), DatePrecision.MONTH)
    with pytest.raises(ValidationError, match="invalid date"):
        set_verdict(store, pledge_id, VerdictStatus.STALLED, "x", actor="anna", as_of="maj")
    with pytest.raises(ValidationError, match="future"):
        set_verdict(store, pledge_id, VerdictStatus.STALLED, "x", actor="anna", as_of="2099")
    with store.session() as s:
        timeline = verdict_store.status_timeline(
            s, pledge_store.get_pledge(s, pledge_id).tracker_id
        )
    # each in the middle of the period its as-of names (QA: "2023" was drawn from January)
    assert [(t.date(), status) for _, status, t in timeline] == [
        (dt.date(2023, 7, 2), VerdictStatus.IN_THE_WORKS),
        (dt.date(2025, 3, 16), VerdictStatus.STALLED),
    ]
    # the term chart moves when things happened, not when they were recorded
    tracker = Tracker(1, "t", "T", None, (), dt.date(2022, 10, 15), dt.date(2026, 10, 14), None)

    class P:
        id = pledge_id

    points = over_term(tracker, [P()], timeline, today=dt.date(2026, 1, 1))
    by_day = {p["date"]: p["counts"] for p in points}
    assert by_day["2022-12-31"]["not_rated"] == 1
    assert by_day["2023-06-30"]["not_rated"] == 1
    assert by_day["2023-07-31"]["in_the_works"] == 1
    assert by_day["2025-03-31"]["stalled"] == 1


def test_a_backdated_verdict_adds_history_and_leaves_the_current_status(store: Store) -> None:
    # Recorded second, about an earlier month: the status is still the one about 2025, on every
    # page that states it (status, its date, the meter, its timeline, the pledge page, the
    # final account and the open data); found by exploratory QA, where the meter's counts and
    # the last point of its own timeline disagreed.
    from lofte.publish import opendata, pages, records, report
    from lofte.publish.meter import meter

    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    later = set_verdict(
        store, pledge_id, VerdictStatus.IN_THE_WORKS, "Beslut.", actor="anna", as_of="2025-06"
    )
    earlier = set_verdict(
        store, pledge_id, VerdictStatus.STALLED, "Historik.", actor="anna", as_of="2023-05"
    )
    assert earlier.id > later.id
    # what the editor is told: the later-recorded one is not the status (QA)
    assert is_current(store, later) and not is_current(store, earlier)
    with store.session() as s:
        tracker = pledge_store.get_pledge(s, pledge_id).tracker_id
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.IN_THE_WORKS
        assert verdict_store.status_dates(s, tracker) == {pledge_id: later.created_at.date()}
        history = verdict_store.verdict_history(s, pledge_id)
        detail = pages.pledge_detail(s, pledge_id, public=False)
        counted = meter(s, tracker_store.get_tracker(s, "sjovik"), dt.date(2026, 1, 1))
    assert [v["id"] for v in detail["timeline"]] == [earlier.id, later.id]  # the last: current
    assert counted["counts"]["in_the_works"] == 1 and counted["counts"]["stalled"] == 0
    assert counted["over_term"][-1]["counts"] == counted["counts"]
    until = dt.datetime(2027, 1, 1)
    current = report._current(history, until)
    assert current is not None and current.id == later.id
    exported = opendata.current_verdicts(records.verdict(v) for v in history)
    assert exported[pledge_id]["id"] == later.id
    # the same moment: the later-recorded verdict wins (a correction)
    fixed = set_verdict(
        store, pledge_id, VerdictStatus.STALLED, "Rättat.", actor="anna", as_of="2025-06"
    )
    with store.session() as s:
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.STALLED
        assert report._current(verdict_store.verdict_history(s, pledge_id), until).id == fixed.id


def test_dates_before_the_program_are_refused_as_typos(store: Store) -> None:
    # found by QA: "Gäller per 1999" and a deadline of 1900-01-01 were saved without a word
    from lofte.review.deadlines import set_deadline
    from lofte.store.schema import DocumentRow, PledgeRow

    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    with store.session() as s:
        program = s.get(DocumentRow, s.get(PledgeRow, pledge_id).document_id)
        program.date_value, program.date_precision = dt.date(2022, 8, 20), "day"
        program.date_provenance = "explicit"
    with pytest.raises(
        ValidationError, match=r"as-of date 1999 is before the program .*2022-08-20"
    ):
        set_verdict(store, pledge_id, VerdictStatus.STALLED, "x", actor="anna", as_of="1999")
    with pytest.raises(ValidationError, match="deadline 1900-01-01 is before the program"):
        set_deadline(store, pledge_id, dt.date(1900, 1, 1), actor="anna")
    # the program's own year, at year precision, may hold a later day: not refused
    kept = set_verdict(store, pledge_id, VerdictStatus.STALLED, "x", actor="anna", as_of="2022")
    assert kept.as_of == dt.date(2022, 1, 1)
    assert set_deadline(store, pledge_id, dt.date(2026, 9, 13), actor="anna").deadline
    with store.session() as s:  # a date read from the program's text is a guess: no bound
        s.get(DocumentRow, s.get(PledgeRow, pledge_id).document_id).date_provenance = "inferred"
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "y", actor="anna", as_of="2001")


def test_a_draft_citing_evidence_withdrawn_since_is_not_published(store: Store) -> None:
    """QA: a draft "kept" saved on evidence 8, evidence 8 withdrawn by another editor, and the
    draft published: the public page said "kept, based on evidence 8" with no evidence 8."""
    from lofte.model import ReviewState
    from lofte.review.verdicts import decide_evidence

    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    draft = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Klart.", [evidence_id], actor="anna", draft=True
    )
    decide_evidence(store, evidence_id, False, actor="bo", expected_state=ReviewState.ACCEPTED)
    with pytest.raises(ValidationError, match=f"cites evidence {evidence_id}, no longer accepted"):
        publish_verdict(store, draft.id, actor="anna")
    with store.session() as s:
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.NOT_RATED
        assert not verdict_store.get_verdict(s, draft.id).published
    decide_evidence(store, evidence_id, True, actor="bo", expected_state=ReviewState.REJECTED)
    assert publish_verdict(store, draft.id, actor="anna").published  # accepted again: it may


def test_a_draft_about_a_moment_a_newer_verdict_rates_is_not_published(store: Store) -> None:
    """Review: a draft (broken, June 2025) published after a verdict about June 2025 was
    published lost the current-status rule's tie, read as corrected by a verdict the public
    saw before it, and changed nothing."""
    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    june = {"actor": "anna", "as_of": "2025-06"}
    draft = set_verdict(store, pledge_id, VerdictStatus.STALLED, "Står still.", draft=True, **june)
    newer = set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Pågår.", **june)
    with pytest.raises(ValidationError) as refused:
        publish_verdict(store, draft.id, actor="bo")
    assert str(refused.value) == (
        f"verdict {newer.id}, about the same moment, was published after draft {draft.id} was "
        "saved: save the draft's verdict again to make it the newer one"
    )
    with store.session() as s:
        assert not verdict_store.get_verdict(s, draft.id).published
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.IN_THE_WORKS
    other = set_verdict(  # about another moment: published as before
        store,
        pledge_id,
        VerdictStatus.STALLED,
        "Står still.",
        draft=True,
        actor="anna",
        as_of="2025-07",
    )
    assert publish_verdict(store, other.id, actor="bo").published
