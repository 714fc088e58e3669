"""The editor's pages' data (publish/editor_pages.py)."""

from __future__ import annotations

from lofte.publish.editor_pages import editor_pledge
from lofte.store.db import Store
from tests.review.fixtures import pledge_row, program_document


def test_a_pledge_whose_words_stand_twice_in_the_program_names_the_other(store: Store) -> None:
    """QA: a manifesto repeats bullets in two chapters (three pairs in one program); nothing
    told the editor, and confirmed both, the meter counted one promise twice."""
    body = (
        "Skola\n\nVi ska bygga en ny simhall i Norrvik.\n\nVi ska sänka taxan.\n\n"
        "Idrott\n\nVI SKA BYGGA EN NY SIMHALL I NORRVIK!\n\nVi ska bygga en ny simhall."
    )
    doc = program_document(store, body)
    first = pledge_row(store, doc, "Vi ska bygga en ny simhall i Norrvik.")
    other = pledge_row(store, doc, "Vi ska sänka taxan.")
    again = pledge_row(store, doc, "VI SKA BYGGA EN NY SIMHALL I NORRVIK!")
    shorter = pledge_row(store, doc, "Vi ska bygga en ny simhall.")
    rejected = pledge_row(store, doc, "Vi ska bygga en ny simhall i Norrvik", state="rejected")
    with store.session() as s:
        assert editor_pledge(s, first)["same_text"] == [again]
        assert editor_pledge(s, again)["same_text"] == [first]
        assert editor_pledge(s, other)["same_text"] == []
        assert editor_pledge(s, shorter)["same_text"] == []
    assert rejected  # a rejected copy is no second count: not named
