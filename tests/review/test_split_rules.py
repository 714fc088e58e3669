"""Split rules of issue 12: '|' with or without spaces; parts start in their parent's state."""

from __future__ import annotations

import pytest

from lofte.errors import ValidationError
from lofte.model import PledgeState
from lofte.review import pledges as review
from lofte.store.db import Store
from lofte.store.schema import PledgeRow

from .test_pledges import BODY, _pledge

TEXT = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
PARTS = ["Bygga 500 nya bostäder före 2026.", "Öppna en ny simhall i Norrvik."]


@pytest.mark.parametrize(
    "marked",
    [
        TEXT.replace(" Öppna", " |Öppna"),
        TEXT.replace(" Öppna", "| Öppna"),
        TEXT.replace(" Öppna", " | Öppna"),
        TEXT.replace(" Öppna", "|Öppna"),
        TEXT.replace(" Öppna", "  |  Öppna") + "\r\n",
    ],
)
def test_bars_with_or_without_spaces(marked: str) -> None:
    start = BODY.index(TEXT)
    cuts = review.cut_points(TEXT, marked, start)
    assert len(cuts) == 1
    assert BODY[start : cuts[0]].strip() == PARTS[0]
    assert BODY[cuts[0] : start + len(TEXT)].strip() == PARTS[1]


def test_bars_may_not_change_the_text() -> None:
    with pytest.raises(ValidationError, match="do not change"):
        review.cut_points(TEXT, TEXT.replace(" Öppna", " | öppna"), 0)
    with pytest.raises(ValidationError, match="do not change"):
        review.cut_points(TEXT, TEXT.replace(" Öppna", "|Öppna") + " och mer", 0)
    with pytest.raises(ValidationError, match="at least one"):
        review.cut_points(TEXT, TEXT, 0)


def _state(store: Store, pledge_id: int, state: PledgeState) -> None:
    with store.session() as s:
        s.get(PledgeRow, pledge_id).state = state.value  # type: ignore[union-attr]


def test_a_candidates_parts_are_candidates(store: Store) -> None:
    pid = _pledge(store, TEXT)
    _state(store, pid, PledgeState.CANDIDATE)
    with store.session() as s:
        s.get(PledgeRow, pid).party = "S"  # type: ignore[union-attr]
    parts = review.split_marked(store, pid, TEXT.replace(" Öppna", " | Öppna"), actor="anna")
    assert [p.quote for p in parts] == PARTS
    assert [p.state for p in parts] == [PledgeState.CANDIDATE] * 2
    assert [p.party for p in parts] == ["S", "S"]


def test_a_confirmed_pledges_parts_stay_confirmed_and_a_merge_is_confirmed(store: Store) -> None:
    pid = _pledge(store, TEXT)
    _state(store, pid, PledgeState.CONFIRMED)
    parts = review.split(store, pid, [BODY.index("Öppna")], actor="anna")
    assert [p.state for p in parts] == [PledgeState.CONFIRMED] * 2
    merged = review.merge(store, [p.id for p in parts], actor="anna")
    assert merged.state is PledgeState.CONFIRMED


def test_a_group_with_live_parts_gets_no_verdict_its_parts_do(store: Store) -> None:
    # a verdict on the group would show on its page and be counted nowhere
    from lofte.model import VerdictStatus
    from lofte.review.verdicts import set_verdict

    pid = _pledge(store, TEXT)
    _state(store, pid, PledgeState.CONFIRMED)
    parts = review.split(store, pid, [BODY.index("Öppna")], actor="anna")
    with pytest.raises(
        ValidationError, match=f"split into parts \\({parts[0].id}, {parts[1].id}\\)"
    ):
        set_verdict(store, pid, VerdictStatus.IN_THE_WORKS, "Utredning tillsatt.", actor="anna")
    assert set_verdict(store, parts[0].id, VerdictStatus.IN_THE_WORKS, "Utredning.", actor="anna")
    for part in parts:
        _state(store, part.id, PledgeState.REJECTED)
    # with no live part the item is checked as a whole again
    assert set_verdict(store, pid, VerdictStatus.IN_THE_WORKS, "Utredning tillsatt.", actor="anna")


def test_pledges_with_verdicts_or_accepted_evidence_are_not_merged(store: Store) -> None:
    """QA: merging rejected a partially kept pledge, and its status left the meter silently."""
    from lofte.model import VerdictStatus
    from lofte.review.verdicts import set_verdict

    pid = _pledge(store, TEXT)
    _state(store, pid, PledgeState.CONFIRMED)
    left, right = review.split(store, pid, [BODY.index("Öppna")], actor="anna")
    set_verdict(store, left.id, VerdictStatus.IN_THE_WORKS, "Utredning.", actor="anna")
    with pytest.raises(
        ValidationError, match=f"pledge {left.id} has a verdict or accepted evidence"
    ):
        review.merge(store, [left.id, right.id], actor="anna")
    with store.session() as s:
        assert s.get(PledgeRow, left.id).state == PledgeState.CONFIRMED.value  # type: ignore[union-attr]
