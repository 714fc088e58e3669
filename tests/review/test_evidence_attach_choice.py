"""Attaching evidence by hand with the editor's reason and a passage of their choice."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import ValidationError
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import RawInput, ReviewState, Stance
from lofte.publish import editor_pages
from lofte.review import audit as audit_review
from lofte.review import evidence as attach
from lofte.store import audit
from lofte.store import evidence as evidence_store
from lofte.store.db import Store
from tests.review.fixtures import NEWS, pledge_with_evidence

REPORT = (
    "Kommunen meddelar att arbetet med parken fortsätter.\n\n"
    "Simhallen i Norrvik byggs nu, och bygget av den nya simhallen blir klart nästa år.\n\n"
    "Budgeten för simhallen i Norrvik slopas, meddelade kommunen senare.\n\n"
    "Det var allt för i dag."
)


def _raw(text: str, origin: str) -> RawInput:
    return RawInput(text.encode(), origin, "text/plain", dt.datetime.now(dt.UTC))


def _stored(store: Store, text: str, origin: str) -> int:
    report = ingest_raw(store, _raw(text, origin), IngestOptions(tracker="sjovik"))
    assert report.error is None, report.error
    return report.document_ids[0]


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        return len(evidence_store.list_evidence(s)), audit.count_events(s)


def _body(store: Store, document_id: int) -> str:
    from lofte.store import documents as document_store

    with store.session() as s:
        return document_store.get_document(s, document_id).body


def test_a_reason_and_a_chosen_passage_are_kept_and_shown_in_the_history(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    body = _body(store, doc_id)
    # the editor's quote: its own line breaks and letter case, not the document's
    done = attach.attach_document(
        store,
        pledge_id,
        doc_id,
        actor="anna",
        reason="Beslutet om budgeten <b>är</b> det som räknas.",
        passage="budgeten för  simhallen\ni NORRVIK slopas",
    )
    ev = done.evidence
    assert body[ev.start : ev.end] == "Budgeten för simhallen i Norrvik slopas"
    assert ev.features["passage_chosen_by"] == "anna"
    assert ev.stance is Stance.AGAINST  # read from the chosen passage ("slopas")
    with store.session() as s:
        history = editor_pages.pledge_history(s, pledge_id)
        assert audit_review.verify(s).ok
    event = next(e for e in history if e["action"] == "evidence.attach")
    assert event["details"]["reason"] == "Beslutet om budgeten <b>är</b> det som räknas."
    assert event["details"]["passage"] == "editor"


def test_without_reason_or_passage_the_linker_s_passage_is_taken_as_before(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    ev = attach.attach_document(store, pledge_id, doc_id, actor="anna", reason=" ", passage="")
    ev = ev.evidence
    assert "Simhallen i Norrvik byggs nu" in _body(store, doc_id)[ev.start : ev.end]
    assert "passage_chosen_by" not in ev.features
    with store.session() as s:
        event = next(e for e in audit.pledge_events(s, pledge_id) if e.entity_id == ev.id)
    assert "reason" not in event.details and "passage" not in event.details


@pytest.mark.parametrize(
    "passage",
    [
        "simhallen i Norrvik rivs",  # not there
        "imhallen i Norrvik",  # the end of a word, not a whole word
        "Simhallen i Norr",  # the start of one
    ],
)
def test_a_passage_the_document_does_not_hold_is_refused_and_nothing_is_written(
    store: Store, passage: str
) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    before = _counts(store)
    with pytest.raises(ValidationError, match=f"is not in document {doc_id} \\(as whole words\\)"):
        attach.attach_document(store, pledge_id, doc_id, actor="anna", passage=passage)
    assert _counts(store) == before


def test_a_chosen_passage_of_an_upload_is_checked_before_anything_is_stored(
    store: Store,
) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    before = _counts(store)
    with pytest.raises(ValidationError, match="is not in the document"):
        attach.attach_upload(
            store, pledge_id, REPORT.encode(), "r.txt", actor="anna", passage="ingen sådan text"
        )
    assert _counts(store) == before
    done = attach.attach_upload(
        store, pledge_id, REPORT.encode(), "r.txt", actor="anna", passage="arbetet med parken"
    )
    body = _body(store, done.document_id)
    assert body[done.evidence.start : done.evidence.end] == "arbetet med parken"


def test_attaching_a_suggested_document_with_a_passage_moves_the_suggestion_s_span(
    store: Store,
) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    with store.session() as s:
        suggested = evidence_store.get_evidence(s, evidence_id)
    assert (suggested.start, suggested.end) == (0, len(NEWS))
    done = attach.attach_document(
        store,
        pledge_id,
        suggested.document_id,
        actor="anna",
        reason="Invigningen.",
        passage="invigdes i dag",
    )
    assert done.was_suggested and done.evidence.id == evidence_id
    ev = done.evidence
    assert ev.review_state is ReviewState.ACCEPTED
    assert NEWS[ev.start : ev.end] == "invigdes i dag"
    assert ev.features["passage_chosen_by"] == "anna"
    with store.session() as s:
        event = next(e for e in audit.pledge_events(s, pledge_id) if e.entity_id == ev.id)
        assert audit_review.verify(s).ok
    assert event.action == "evidence.accept" and event.details["reason"] == "Invigningen."


def test_find_passage_prefers_the_occurrence_inside_the_linker_s_passage() -> None:
    body = "Norrvik får en simhall. Senare: Norrvik får en simhall, säger kommunen."
    assert attach.find_passage(body, "norrvik får en simhall") == (0, 22)
    assert attach.find_passage(body, "Norrvik får en simhall", near=(24, len(body))) == (32, 54)
    assert attach.find_passage(body, "får en sim") is None


def test_a_too_long_reason_is_refused_before_anything_is_written(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    before = _counts(store)
    with pytest.raises(ValidationError, match="the reason has"):
        attach.attach_document(store, pledge_id, doc_id, actor="anna", reason="x" * 3000)
    assert _counts(store) == before
