"""`Timeline.first_yes` (publish/visibility.py): the first moment a tracker's yes/no was yes
from a given moment on, which dates the start of a pledge's public change list."""

from __future__ import annotations

import datetime as dt

from lofte.publish.visibility import Timeline


def _at(day: int) -> dt.datetime:
    return dt.datetime(2024, 1, day)


def test_the_first_yes_is_the_start_when_yes_then_else_the_next_change_to_yes() -> None:
    # published on the 2nd, a draft on the 5th, published again on the 9th
    timeline = Timeline(False, ((1, _at(2), True), (2, _at(5), False), (3, _at(9), True)))
    assert timeline.first_yes() == _at(2)
    assert timeline.first_yes(_at(3)) == _at(3)  # yes then
    assert timeline.first_yes(_at(6)) == _at(9)  # a draft then: the next publication
    assert timeline.first_yes(_at(20)) == _at(20)


def test_no_yes_since_the_start_is_none() -> None:
    assert Timeline(False, ()).first_yes() is None
    assert Timeline(False, ((1, _at(2), True), (2, _at(5), False))).first_yes(_at(6)) is None
    assert Timeline(True, ()).first_yes(_at(4)) == _at(4)
