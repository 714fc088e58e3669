"""A pledge due "under mandatperioden" is due on its tracker's own term end when the tracker
has one (a government's term ends at the election, 2026-09-13), else on 30 September of the
election year, as before: on every path that states a deadline (the rule, the overdue list,
the end-of-term worklist)."""

from __future__ import annotations

import datetime as dt

from lofte.review import deadlines
from lofte.store import pledges as pledge_store
from lofte.store.db import Store
from lofte.store.schema import PledgeRow, TrackerRow

from .fixtures import confirmed_pledge_with_evidence

D = dt.date
TERM_END = D(2026, 9, 13)
FOR_THE_TERM = {"deadline": "under mandatperioden", "deadline_year": 2026}


def test_the_term_s_words_are_due_on_the_trackers_term_end() -> None:
    for words in ("under mandatperioden", "till nästa val", "vid mandatperiodens slut"):
        attributes = {"deadline": words, "deadline_year": 2026}
        got = deadlines.effective_deadline(None, attributes, TERM_END)
        assert got == deadlines.Deadline(TERM_END, "term"), words
        # without a term end: 30 September of the election year, as before
        assert deadlines.effective_deadline(None, attributes) == deadlines.Deadline(
            D(2026, 9, 30), "text"
        )
    # extraction without a Term leaves the year out; the tracker's term still dates it
    words_only = {"deadline": "under mandatperioden", "deadline_year": None}
    assert deadlines.effective_deadline(None, words_only, TERM_END) == deadlines.Deadline(
        TERM_END, "term"
    )
    assert deadlines.effective_deadline(None, words_only) is None
    # a year in the text, and the editor's date, are not the term's
    year = {"deadline": "till 2025", "deadline_year": 2025}
    assert deadlines.effective_deadline(None, year, TERM_END) == deadlines.Deadline(
        D(2025, 12, 31), "text"
    )
    assert deadlines.effective_deadline(D(2026, 1, 1), FOR_THE_TERM, TERM_END) == (
        deadlines.Deadline(D(2026, 1, 1), "editor")
    )


def _for_the_term(store: Store, term_end: dt.date | None) -> tuple[int, int, str]:
    """A confirmed pledge "under mandatperioden" of a tracker ending on `term_end`."""
    pledge_id, _ = confirmed_pledge_with_evidence(store)
    with store.session() as s:
        row = s.get(PledgeRow, pledge_id)
        assert row is not None
        row.attributes = dict(FOR_THE_TERM)
        tracker = s.get(TrackerRow, row.tracker_id)
        assert tracker is not None
        tracker.term_start = D(2022, 10, 18)
        tracker.term_end = term_end
        return pledge_id, tracker.id, tracker.slug


def test_overdue_and_the_worklist_use_the_trackers_term_end(store: Store) -> None:
    pledge_id, tracker_id, slug = _for_the_term(store, TERM_END)
    with store.session() as s:
        assert deadlines.overdue_pledges(s, tracker_id, TERM_END) == []
        (late,) = deadlines.overdue_pledges(s, tracker_id, D(2026, 9, 14))
        assert (late.pledge.id, late.deadline.date) == (pledge_id, TERM_END)
        (item,) = deadlines.worklist(s, slug, D(2026, 9, 14)).items
        assert item.overdue and item.deadline == deadlines.Deadline(TERM_END, "term")
        (row,) = deadlines.worklist_rows(deadlines.worklist(s, slug, D(2026, 9, 14)))
        assert row["deadline"] == "2026-09-13" and row["overdue"]
        pledge = pledge_store.get_pledge(s, pledge_id)
        fields = deadlines.deadline_fields(pledge, None, D(2026, 9, 14), TERM_END)
        assert fields == {
            "deadline": "2026-09-13",
            "deadline_source": "term",
            "deadline_passed": True,
        }


def test_without_a_term_end_it_is_30_september_as_before(store: Store) -> None:
    pledge_id, tracker_id, slug = _for_the_term(store, None)
    with store.session() as s:
        assert deadlines.overdue_pledges(s, tracker_id, D(2026, 9, 30)) == []
        (late,) = deadlines.overdue_pledges(s, tracker_id, D(2026, 10, 1))
        assert late.deadline.date == D(2026, 9, 30)
        (item,) = deadlines.worklist(s, slug, D(2026, 10, 1)).items
        assert item.deadline == deadlines.Deadline(D(2026, 9, 30), "text")


def test_a_group_or_a_rejected_pledge_never_says_its_deadline_passed(store: Store) -> None:
    """QA: the editor's page of a split list item said "Tidsfristen har passerat"; its parts
    are checked instead (and a rejected pledge is not checked at all)."""
    from lofte.publish.pages import pledge_detail

    from .fixtures import pledge_row, program_document

    body = "Vi ska bygga en simhall och en ishall före 2024.\n"
    doc = program_document(store, body)
    group = pledge_row(store, doc, body.strip(), state="confirmed")
    part = pledge_row(store, doc, "bygga en simhall", state="confirmed", parent=group)
    gone = pledge_row(store, doc, "en ishall före 2024", state="rejected")
    with store.session() as s:
        for pledge_id in (group, part, gone):
            row = s.get(PledgeRow, pledge_id)
            assert row is not None
            row.attributes = {"deadline": "före 2024", "deadline_year": 2024}
    with store.session() as s:
        passed = {
            pledge_id: pledge_detail(s, pledge_id, public=False)["deadline_passed"]
            for pledge_id in (group, part, gone)
        }
    assert passed == {group: False, part: True, gone: False}
