"""Editors correct a document's date, title and kind after ingest, audited."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.errors import NotFoundError, ValidationError
from lofte.model import DatePrecision, DateProvenance, SourceKind
from lofte.review.documents import edit_document
from lofte.store import audit
from lofte.store import documents as document_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow
from tests.interleave import meanwhile
from tests.review.fixtures import pledge_with_evidence


def _news_id(store: Store) -> int:
    pledge_with_evidence(store)
    with store.session() as s:
        return next(d.id for d in document_store.list_documents(s) if d.kind is SourceKind.NEWS)


def test_date_title_and_kind_are_corrected_and_audited(store: Store) -> None:
    doc_id = _news_id(store)
    doc = edit_document(
        store, doc_id, actor="anna", title="  Simhallen  invigd ", kind="decision", date="2024-05"
    )
    assert doc.title == "Simhallen invigd" and doc.kind is SourceKind.DECISION
    assert doc.date is not None
    assert (doc.date.value, doc.date.precision) == (dt.date(2024, 5, 1), DatePrecision.MONTH)
    assert doc.date.provenance is DateProvenance.EXPLICIT
    with store.session() as s:
        (event,) = [e for e in audit.recent_events(s, limit=5) if e.action == "document.edit"]
    assert event.actor == "anna" and event.entity_id == doc_id
    assert event.details["changed"] == ["date", "kind", "title"]
    assert event.details["after"]["date"]["precision"] == "month"
    cleared = edit_document(store, doc_id, actor="anna", date="none")
    assert cleared.date is None and cleared.title == "Simhallen invigd"


def test_nothing_changed_records_nothing_and_bad_input_is_refused(store: Store) -> None:
    doc_id = _news_id(store)
    edit_document(store, doc_id, actor="anna", title="n")  # the title it has
    with store.session() as s:
        assert not [e for e in audit.recent_events(s, limit=5) if e.action == "document.edit"]
    with pytest.raises(ValidationError, match="kind must be"):
        edit_document(store, doc_id, actor="anna", kind="blog")
    with pytest.raises(ValidationError, match="invalid date"):
        edit_document(store, doc_id, actor="anna", date="13 maj")
    with pytest.raises(NotFoundError):
        edit_document(store, doc_id + 100, actor="anna", title="x")


def test_reading_the_input_again_keeps_what_an_editor_corrected(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An editor's title, kind and date survive a re-ingest of the same (even changed) file;
    what the editor did not touch follows the input."""
    from lofte.ingest import IngestOptions, ingest

    news = tmp_path / "nyhet.txt"
    news.write_text("Simhallen öppnar\n\nSimhallen i Norrvik öppnar i mars.\n", encoding="utf-8")
    options = IngestOptions(tracker="sjovik", kind=SourceKind.NEWS)
    (doc_id,) = ingest(store, [str(news)], options).inputs[0].document_ids
    edit_document(store, doc_id, actor="anna", title="Simhallen invigd", date="2024-03")
    news.write_text(
        "Simhallen öppnar\n\nSimhallen i Norrvik öppnar i mars, ett år sent.\n", encoding="utf-8"
    )
    report = ingest(store, [str(news)], options)
    assert report.inputs[0].updated == 1
    with store.session() as s:
        doc = document_store.get_document(s, doc_id)
    assert doc.title == "Simhallen invigd" and "ett år sent" in doc.body
    assert doc.date is not None and (doc.date.value, doc.date.precision) == (
        dt.date(2024, 3, 1),
        DatePrecision.MONTH,
    )
    assert doc.kind is SourceKind.NEWS


def test_two_corrections_at_once_keep_both(store: Store) -> None:
    """bo corrects the date between anna's read of the document and her write. On the old
    code (FOR UPDATE is no lock on SQLite) anna's write rested on the row as she read it: her
    `corrected` list dropped bo's "date", so reading the input again overwrote his date."""
    doc_id = _news_id(store)

    def bo() -> object:
        return edit_document(store, doc_id, actor="bo", date="2023-02-01")

    with meanwhile(store, bo) as seen:
        edit_document(store, doc_id, actor="anna", title="Simhallen invigd")
    assert seen
    with store.session() as s:
        row = s.get(DocumentRow, doc_id)
        assert row is not None
        assert (row.title, row.date_value) == ("Simhallen invigd", dt.date(2023, 2, 1))
        assert sorted(row.structure["corrected"]) == ["date", "title"]


def test_an_address_is_given_kept_through_a_new_read_and_cleared(
    store: Store,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """QA, a party's press officer: a program read from a local file could not link to its
    PDF on the party's site, so a reader could not check a quote against the original."""
    from lofte.ingest import IngestOptions, ingest

    news = tmp_path / "program.txt"
    news.write_text("Vårt program\n\nVi ska bygga en simhall i Norrvik.\n", encoding="utf-8")
    options = IngestOptions(tracker="sjovik", kind=SourceKind.NEWS)
    (doc_id,) = ingest(store, [str(news)], options).inputs[0].document_ids
    address = "https://parti.example/valprogram-2022.pdf"
    doc = edit_document(store, doc_id, actor="anna", url=f"  {address} ")
    assert doc.url == address
    with store.session() as s:
        (event,) = [e for e in audit.recent_events(s, limit=5) if e.action == "document.edit"]
    assert event.details["changed"] == ["url"]
    assert (event.details["before"]["url"], event.details["after"]["url"]) == (None, address)
    news.write_text("Vårt program\n\nVi ska bygga två simhallar.\n", encoding="utf-8")
    assert ingest(store, [str(news)], options).inputs[0].updated == 1
    with store.session() as s:
        assert document_store.get_document(s, doc_id).url == address  # the editor's stays
    for bad in (
        "javascript:alert(1)",
        "parti.example/program.pdf",
        "https://user:secret@parti.example/p.pdf",
        "https://parti.example/a b.pdf",
        "ftp://parti.example/p.pdf",
        "https://parti.example/" + "a" * 2000,
        "http://[abc/x",  # review: ValueError out of urlsplit, not a refusal
    ):
        with pytest.raises(ValidationError, match="not an absolute http"):
            edit_document(store, doc_id, actor="anna", url=bad)
    assert edit_document(store, doc_id, actor="anna", url="none").url is None
    # an address ingest kept (a feed's link with a space) sent back unchanged by the form:
    # the correction of the title goes through (review: every correction was refused)
    with store.session() as s:
        row = s.get(DocumentRow, doc_id)
        assert row is not None
        row.url = "https://kommun.example/nyheter/simhall invigd"
    corrected = edit_document(
        store,
        doc_id,
        actor="anna",
        title="Nytt",
        url="https://kommun.example/nyheter/simhall invigd",
    )
    assert corrected.title == "Nytt" and corrected.url.endswith("simhall invigd")
