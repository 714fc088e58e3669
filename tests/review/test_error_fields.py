"""The values a refused review action is about (`ValidationError.fields`): the library names
them, so that a form points at its field without reading the message's words (re-read: the web
matched the English wording, and a reworded message silently lost its field)."""

from __future__ import annotations

import pytest

from lofte.errors import AmbiguousQuoteError, FormProblems, ValidationError, about
from lofte.model import VerdictStatus
from lofte.review.documents import edit_document
from lofte.review.pledges import add, edit, reject
from lofte.review.verdicts import form_problems, set_verdict
from lofte.store.db import Store
from tests.review.fixtures import confirmed_pledge_with_evidence, program_document

BODY = "Vi ska bygga en simhall. Vi ska bygga en simhall. Vi ska sänka skatten i Norrvik."


def _refused(call, *args, **kwargs) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_about_names_the_values_unless_the_error_names_its_own() -> None:
    with pytest.raises(ValidationError) as deep, about("date"):
        raise ValidationError("invalid date '2022-13'")
    assert deep.value.fields == ("date",)
    with pytest.raises(ValidationError) as own, about("start", "end"):
        raise ValidationError("the span's end at 9 falls inside a word", ("end",))
    assert own.value.fields == ("end",)
    with pytest.raises(ValueError), about("date"):  # other errors pass untouched
        raise ValueError("not ours")


def test_a_verdict_forms_problems_each_name_their_field() -> None:
    problems = form_problems("", "", "2022-13-45")
    assert [p.fields for p in problems] == [("status",), ("rationale",), ("date",)]
    problems = form_problems("kept", "Klart.", "2999")
    assert [p.fields for p in problems] == [("evidence",), ("date",)]
    assert FormProblems(problems).fields == ("evidence",)  # the first's, as its message


def test_a_verdict_refused_in_the_store_names_its_field(store: Store) -> None:
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    kept = VerdictStatus.KEPT
    assert _refused(set_verdict, store, pledge_id, kept, "", actor="a").fields == ("rationale",)
    refused = _refused(set_verdict, store, pledge_id, kept, "Klart.", [evidence_id], actor="a")
    assert "is not accepted" in str(refused) and refused.fields == ("evidence",)
    refused = _refused(set_verdict, store, pledge_id, kept, "Klart.", actor="a", as_of="2022-02-30")
    assert refused.fields == ("date",)


def test_an_added_pledge_names_its_words_its_place_or_its_area(store: Store) -> None:
    doc = program_document(store, BODY)
    assert _refused(add, store, doc, quote="Vi ska riva", actor="a").fields == ("quote",)
    twice = _refused(add, store, doc, quote="Vi ska bygga en simhall.", actor="a")
    assert isinstance(twice, AmbiguousQuoteError) and twice.fields == ("place",)
    refused = _refused(add, store, doc, quote="en simhall.", start=3, actor="a")
    assert refused.fields == ("quote",)  # not the words at the place chosen
    refused = _refused(add, store, doc, quote="sänka skatten", area="..", actor="a")
    assert refused.fields == ("area",)


def test_an_edited_span_names_its_bounds_and_a_bound_inside_a_word_itself(store: Store) -> None:
    doc = program_document(store, BODY)
    pledge = add(store, doc, quote="Vi ska sänka skatten i Norrvik.", actor="a")
    assert _refused(edit, store, pledge.id, start=-4, actor="a").fields == ("start", "end")
    assert _refused(edit, store, pledge.id, end=pledge.end - 3, actor="a").fields == ("end",)
    assert _refused(edit, store, pledge.id, topic="x" * 500, actor="a").fields == ("topic",)
    assert _refused(edit, store, pledge.id, party="..", actor="a").fields == ("party",)
    assert _refused(reject, store, pledge.id, reason="x" * 3000, actor="a").fields == ("reason",)


def test_a_corrected_document_names_its_title_kind_or_date(store: Store) -> None:
    doc = program_document(store, BODY)
    assert _refused(edit_document, store, doc, actor="a", title="x" * 5000).fields == ("title",)
    assert _refused(edit_document, store, doc, actor="a", kind="tweet").fields == ("kind",)
    assert _refused(edit_document, store, doc, actor="a", date="2022-13").fields == ("date",)
