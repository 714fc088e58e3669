"""The editor's pages' data (publish/editor_pages.py)."""

from __future__ import annotations

import pytest

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


def test_a_pledge_page_names_a_bounded_few_and_tries_a_bounded_few_neighbours(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile-input probe: one pledge page of a program of 760,000 identical candidates took
    88 s and was 37 MB: every copy was named, and every pledge was tried as a neighbour to
    merge with against every other (quadratic)."""
    from lofte.publish import editor_pages

    sentences = [f"Vi ska bygga {n} nya bostäder." for n in range(40)]
    body = "Bostäder\n\n" + "\n\n".join(sentences + ["Vi ska bygga 0 nya bostäder."] * 30)
    doc = program_document(store, body)
    first = pledge_row(store, doc, sentences[0])
    for text in sentences[1:] + ["Vi ska bygga 0 nya bostäder."] * 29:
        pledge_row(store, doc, text)
    tried: list[int] = []
    real = editor_pages._mergeable
    monkeypatch.setattr(
        editor_pages,
        "_mergeable",
        lambda me, other, live: tried.append(other.id) or real(me, other, live),
    )
    with store.session() as s:
        page = editor_pledge(s, first)
    assert len(page["same_text"]) == editor_pages.SAME_TEXT_SHOWN == 20
    assert page["same_text_more"] == 29 - 20
    assert 0 < len(page["neighbours"]) <= editor_pages.NEIGHBOURS
    assert len(tried) <= editor_pages.NEIGHBOURS * 4


def test_a_documents_editor_page_lists_and_marks_a_bounded_number_of_pledges(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile-input probe: a program of 760,000 candidates made its editors' page 138 s and
    266 MB. As the public page, it lists and marks the first DOCUMENT_MARKS_SHOWN live pledges
    in text order and says how many there are; only their whole records are read."""
    from lofte.publish import editor_pages
    from lofte.store import search

    sentences = [f"Vi ska bygga {n} nya bostäder." for n in range(5)]
    doc = program_document(store, "Bostäder\n\n" + "\n\n".join(sentences))
    ids = [pledge_row(store, doc, text) for text in sentences]
    pledge_row(store, doc, sentences[0], state="rejected")
    monkeypatch.setattr(editor_pages, "DOCUMENT_MARKS_SHOWN", 2)
    read: list[int] = []
    real = search.pledges_by_id
    monkeypatch.setattr(
        search, "pledges_by_id", lambda s, wanted: read.extend(wanted) or real(s, wanted)
    )
    with store.session() as s:
        page = editor_pages.editor_document(s, doc)
    assert [p["id"] for p in page["pledges"]] == ids[:2] == read
    assert page["pledges_total"] == 5  # the rejected one is not live
    marked = {label for piece in page["marked_body"] for label in piece["labels"]}
    assert marked == set(ids[:2])
