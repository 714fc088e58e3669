"""Candidate ranking (issue 10): what counts as a rank and a precision, the filter and the order."""

from __future__ import annotations

import pytest

from lofte.errors import ValidationError
from lofte.model import Pledge, PledgeState
from lofte.review.ranking import RankFilter, parse_min_rank, precision_of, rank_of, rank_pledges


def _pledge(pid: int, start: int, **attributes: object) -> Pledge:
    return Pledge(
        id=pid,
        tracker_id=1,
        document_id=1,
        parent_id=None,
        start=start,
        end=start + 5,
        quote="x",
        area=None,
        topic=None,
        attributes=dict(attributes),
        extractor="extract",
        extractor_version="1",
        confidence=0.5,
        state=PledgeState.CANDIDATE,
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.4, 0.4),
        (1, 1.0),
        (0, 0.0),
        (True, None),
        ("0.4", None),
        (float("nan"), None),
        (1.2, None),
        (-0.1, None),
        (None, None),
    ],
)
def test_only_a_number_from_0_to_1_is_a_rank(value: object, expected: float | None) -> None:
    assert rank_of({"rank": value}) == expected


def test_only_the_two_labels_are_a_precision() -> None:
    assert precision_of({"precision": "vague"}) == "vague"
    assert precision_of({"precision": "Specific"}) is None and precision_of({}) is None


def test_rank_order_puts_unknown_last_and_keeps_document_order_for_ties() -> None:
    a, b, c, d = (
        _pledge(1, 30, rank=0.5),
        _pledge(2, 10, rank=0.9),
        _pledge(3, 20),
        _pledge(4, 0, rank=0.5),
    )
    assert [p.id for p in rank_pledges([a, b, c, d], RankFilter())] == [2, 4, 1, 3]
    assert [p.id for p in rank_pledges([a, b, c, d], RankFilter(sort="position"))] == [4, 2, 3, 1]
    assert [p.id for p in rank_pledges([a, b, c, d], RankFilter(min_rank=0.5))] == [2, 4, 1]


def test_parse_accepts_the_form_values_and_refuses_the_rest() -> None:
    assert RankFilter.parse("all", "", None) == RankFilter()
    assert RankFilter.parse("vague", "0,5", "position") == RankFilter("vague", 0.5, "position")
    assert RankFilter.parse(None, None, None, default_sort="position").sort == "position"
    assert parse_min_rank("1") == 1.0
    for bad in ("1.01", "inf", "x", "-1"):
        with pytest.raises(ValidationError, match="min_rank"):
            parse_min_rank(bad)
    with pytest.raises(ValidationError, match="precision"):
        RankFilter.parse("exact", None, None)
    with pytest.raises(ValidationError, match="sort"):
        RankFilter.parse(None, None, "random")
