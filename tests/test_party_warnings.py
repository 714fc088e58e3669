"""`party_warnings.no_party_warnings`: one wording for ingest and extract."""

from __future__ import annotations

from lofte.model import Tracker
from lofte.party_warnings import no_party_warnings


def _tracker(*actors: str) -> Tracker:
    return Tracker(1, "rg", "Riksdagen", None, actors, None, None, None)


def test_programs_of_no_party_are_named_when_the_tracker_has_several_actors() -> None:
    (one,) = no_party_warnings(_tracker("S", "V"), [7], "Valprogram 2022")
    assert one.startswith("document 7 (Valprogram 2022) is a program of no party")
    assert "its pledges have no party" in one and "document edit 7 --party NAME" in one
    (many,) = no_party_warnings(_tracker("S", "V"), [7, 8, 9, 10])
    assert many.startswith("documents 7, 8, 9, … are programs of no party")
    assert "their pledges have no party" in many and "gives each one" in many


def test_no_warning_for_a_single_actor_or_no_program() -> None:
    assert no_party_warnings(_tracker("S"), [7]) == []
    assert no_party_warnings(_tracker("S", "V"), []) == []
