"""Ingest: idempotent, all-or-nothing per input, and a bad input never stops the batch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lofte.config import Settings
from lofte.ingest import IngestOptions, Outcome, ingest
from lofte.model import DatePrecision, DateProvenance, DateValue, RawInput, SourceKind
from lofte.review.audit import verify
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, RawBlobRow

NEWS = "Stadsdelen Ekbacken får en ny fritidsgård.\n\nFritidsgården öppnar efter sommaren och drivs av staden.\n"


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _count(store: Store, model=DocumentRow) -> int:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_ingesting_the_same_file_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "nyhet.txt", NEWS)
    first = ingest(store, [str(path)])
    second = ingest(store, [str(path)])
    assert first.inputs[0].outcome is Outcome.INSERTED
    assert second.inputs[0].outcome is Outcome.UNCHANGED
    assert (_count(store), _count(store, RawBlobRow)) == (1, 1)


def test_what_an_ingest_was_given_stays_when_the_file_is_read_again_without_it(
    store: Store, tmp_path: Path
) -> None:
    """QA: a second ingest of a program without its --title, --date and --source "updated"
    it back to the file's name and an inferred year, and the next extract renumbered its
    pledges."""
    path = _write(tmp_path, "program.txt", NEWS)
    when = DateValue(dt.date(2022, 8, 20), DatePrecision.DAY, DateProvenance.EXPLICIT)
    given = IngestOptions(title="Valprogram 2022", date=when, source="Valprogram")
    assert ingest(store, [str(path)], given).inputs[0].outcome is Outcome.INSERTED
    again = ingest(store, [str(path)])
    assert again.inputs[0].outcome is Outcome.UNCHANGED
    with store.session() as s:
        (doc,) = document_store.list_documents(s)
    assert (doc.title, doc.date, doc.source_id is not None) == ("Valprogram 2022", when, True)
    # given anew, the new value counts
    retitled = ingest(store, [str(path)], IngestOptions(title="Program"))
    assert retitled.inputs[0].outcome is Outcome.UPDATED
    with store.session() as s:
        assert document_store.list_documents(s)[0].title == "Program"


def test_a_program_with_pledges_is_not_turned_into_news_by_a_folder_read_as_news(
    store: Store, tmp_path: Path
) -> None:
    """QA: the README's `ingest folder --kind news` made the program news, and the linker
    then proposed it as evidence for its own pledges."""
    from lofte.extraction import extract

    program = "Vi kommer att bygga en ny simhall i Ekbacken.\n\nVi ska anställa 20 fler lärare.\n"
    (tmp_path / "mapp").mkdir()
    path = _write(tmp_path / "mapp", "program.txt", program)
    ingest(store, [str(path)], IngestOptions(kind=SourceKind.PROGRAM))
    assert sum(r.inserted for r in extract(store)) >= 1
    report = ingest(store, [str(tmp_path / "mapp")], IngestOptions(kind=SourceKind.NEWS))
    (item,) = report.inputs
    assert any("stays a program" in w for w in item.warnings), item.warnings
    with store.session() as s:
        (doc,) = document_store.list_documents(s)
    assert doc.kind is SourceKind.PROGRAM


def test_a_changed_file_updates_its_document(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "nyhet.txt", NEWS)
    ingest(store, [str(path)])
    path.write_text(NEWS + "Invigningen sker i september.\n", encoding="utf-8")
    report = ingest(store, [str(path)])
    assert report.inputs[0].outcome is Outcome.UPDATED
    assert _count(store) == 1
    with store.session() as s:
        assert "september" in document_store.list_documents(s)[0].body


def test_the_same_text_under_another_name_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    ingest(store, [str(_write(tmp_path, "a.txt", NEWS))])
    report = ingest(store, [str(_write(tmp_path, "b.txt", NEWS.replace("\n", "\r\n")))])
    assert report.inputs[0].duplicates == 1
    assert _count(store) == 1


def test_bad_inputs_fail_by_name_and_the_rest_lands(store: Store, tmp_path: Path) -> None:
    good1 = _write(tmp_path, "1.txt", NEWS)
    empty = _write(tmp_path, "2-empty.txt", b"")
    binary = _write(tmp_path, "3-binary.bin", bytes(range(256)) * 40)
    missing = tmp_path / "4-missing.txt"
    good2 = _write(
        tmp_path, "5.txt", "Biblioteket i Kvarnby får längre öppettider från och med januari."
    )
    report = ingest(store, [str(good1), str(empty), str(binary), str(missing), str(good2)])
    outcomes = {Path(r.origin).name: r for r in report.inputs}
    assert outcomes["1.txt"].outcome is Outcome.INSERTED
    assert outcomes["5.txt"].outcome is Outcome.INSERTED
    assert "empty" in (outcomes["2-empty.txt"].error or "")
    assert outcomes["3-binary.bin"].error
    assert "no such file" in (outcomes["4-missing.txt"].error or "")
    assert {Path(r.origin).name for r in report.failed} == {
        "2-empty.txt",
        "3-binary.bin",
        "4-missing.txt",
    }
    assert _count(store) == 2


def test_a_file_over_the_size_cap_is_refused_before_reading(store: Store, tmp_path: Path) -> None:
    big = _write(tmp_path, "big.txt", b"a" * 5000)
    report = ingest(store, [str(big)], settings=Settings(max_input_bytes=1000))
    assert "over the limit" in (report.inputs[0].error or "")
    assert _count(store) == 0


def test_a_crash_while_storing_leaves_no_half_written_input(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second document of a two-document input makes the store fail: neither is kept."""
    from lofte.model import ParsedDocument
    from lofte.sources.plaintext import PlainTextReader
    from lofte.store import documents as document_store

    def two_documents(self, raw, text):  # type: ignore[no-untyped-def]
        return [
            ParsedDocument(title="A", body="Första", item_key="a"),
            ParsedDocument(title="B", body="Andra", item_key="b"),
        ]

    real_save = document_store.save_document

    def failing_save(session, tracker_id, origin, doc, **kwargs):  # type: ignore[no-untyped-def]
        if doc.item_key == "b":
            raise RuntimeError("disk on fire")
        return real_save(session, tracker_id, origin, doc, **kwargs)

    monkeypatch.setattr(PlainTextReader, "parse", two_documents)
    monkeypatch.setattr(document_store, "save_document", failing_save)
    crash = _write(tmp_path, "crash.txt", "x")
    report = ingest(store, [str(crash)])
    assert "RuntimeError: disk on fire" in (report.inputs[0].error or "")
    assert _count(store) == 0
    assert _count(store, RawBlobRow) == 0


def test_a_folder_is_ingested_recursively(store: Store, tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    _write(tmp_path / "in", "a.txt", NEWS)
    _write(tmp_path / "in" / "sub", "b.txt", "Ny cykelbana längs Strandvägen invigs i maj.")
    _write(tmp_path / "in", ".hidden.txt", "skipped")
    report = ingest(store, [str(tmp_path / "in")])
    assert len(report.inputs) == 2 and not report.failed


def test_a_file_name_that_is_not_utf8_is_read_and_stored_with_escapes(
    store: Store, tmp_path: Path
) -> None:
    """Bytes of a name in another encoding (a cp1252 'åäö' from an old zip) became lone
    surrogates that the database refused; the origin keeps them as \\xNN escapes."""
    import os

    name = os.fsdecode(b"nyhet_\xe5\xe4\xf6.txt")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_text(NEWS, encoding="utf-8")
    report = ingest(store, [str(tmp_path / "in")])
    assert not report.failed, report.failed
    with store.session() as s:
        (doc,) = document_store.list_documents(s)
    assert doc.origin is None or doc.origin.endswith("nyhet_\\xe5\\xe4\\xf6.txt")
    assert report.inputs[0].origin.endswith("nyhet_\\xe5\\xe4\\xf6.txt")


def test_a_link_out_of_the_folder_is_named_and_not_stored(store: Store, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    secret = _write(tmp_path, "secret.txt", "Lösenordet är hemligt och ska aldrig publiceras.")
    _write(tmp_path / "in", "a.txt", NEWS)
    (tmp_path / "in" / "b.txt").symlink_to(secret)
    seen: list[str] = []
    report = ingest(store, [str(tmp_path / "in")], on_input=lambda item: seen.append(item.origin))
    assert sorted(seen) == [str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "b.txt")]
    (refused,) = report.failed
    assert refused.origin == str(tmp_path / "in" / "b.txt")
    assert "outside the folder" in (refused.error or "")
    assert _count(store) == 1
    with store.session() as s:
        assert all("hemligt" not in d.body for d in document_store.list_documents(s))


def test_options_set_tracker_kind_source_and_date(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "program.txt", "Vi vill bygga 500 nya förskoleplatser.")
    date = DateValue(dt.date(2022, 8, 1), DatePrecision.MONTH, DateProvenance.EXPLICIT)
    options = IngestOptions(
        tracker="sjovik", kind=SourceKind.PROGRAM, source="Valprogram", date=date
    )
    ingest(store, [str(path)], options)
    with store.session() as s:
        t = tracker_store.get_tracker(s, "sjovik")
        (doc,) = document_store.list_documents(s, t.id)
        assert doc.kind is SourceKind.PROGRAM
        assert doc.date == date
        assert doc.source_id == tracker_store.list_sources(s, t.id)[0].id
        assert doc.parser == "parse:plaintext" and doc.parser_version


def test_cp1252_text_is_decoded(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path, "latin.txt", "Äldreomsorgen i Göteborg får mer pengar.".encode("cp1252")
    )
    ingest(store, [str(path)])
    with store.session() as s:
        assert document_store.list_documents(s)[0].body.startswith("Äldreomsorgen i Göteborg")


def test_without_tracker_inputs_go_to_the_default_tracker(store: Store, tmp_path: Path) -> None:
    ingest(
        store,
        [str(_write(tmp_path, "a.txt", NEWS))],
        settings=Settings(default_tracker="min-matare"),
    )
    with store.session() as s:
        assert [t.slug for t in tracker_store.list_trackers(s)] == ["min-matare"]


def test_control_characters_never_reach_the_store(store: Store, tmp_path: Path) -> None:
    """Every reader's output passes `registry.parse_input`: no control character is stored."""
    from lofte.language.controls import has_forbidden
    from tests.sources.test_registry import CONTROL_INPUTS

    paths = [str(_write(tmp_path, name, data)) for name, data in CONTROL_INPUTS]
    report = ingest(store, paths, IngestOptions(tracker="sjovik"))
    assert not report.failed, [r.error for r in report.failed]
    with store.session() as s:
        rows = list(s.scalars(select(DocumentRow)))
    assert len(rows) == len(CONTROL_INPUTS)
    for row in rows:
        assert not has_forbidden(f"{row.title}{row.body}{row.category or ''}{row.structure}"), (
            row.origin
        )


def test_a_cut_off_feed_keeps_its_entries_and_is_warned_about(store: Store, tmp_path: Path) -> None:
    """The parser's complaint was kept only in each document's structure: no word in the report."""
    whole = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
        "<item><title>Ett</title><link>https://e.org/1</link><description>Kommunen bygger en "
        "simhall.</description></item>"
    )
    cut = _write(
        tmp_path, "cut.rss", whole + "<item><title>Två</title><link>https://e.org/2</link><descri"
    )
    fine = _write(tmp_path, "fine.rss", whole + "</channel></rss>")
    report = ingest(store, [str(cut), str(fine)])
    broken, ok = report.inputs
    # the entry cut off before its text is not read (sources/feed.py): "Två" had no body
    assert broken.inserted == 1 and ok.error is None
    assert len(broken.warnings) == 1 and "malformed feed" in broken.warnings[0]
    assert "1 entries read" in broken.warnings[0]
    assert ok.warnings == []


def test_a_cp1252_feed_read_whole_is_not_called_malformed(store: Store, tmp_path: Path) -> None:
    # found by QA: no declared encoding (so UTF-8 by XML's rule), cp1252 bytes, text read
    # right, and still "malformed feed … may be cut short, merged or missing"
    text = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
        "<item><title>Räksmörgås</title><link>https://e.org/1</link><description>Kommunen "
        "bygger en simhall vid ån.</description></item></channel></rss>"
    )
    path = tmp_path / "cp.rss"
    path.write_bytes(text.encode("cp1252"))
    (only,) = ingest(store, [str(path)]).inputs
    assert only.error is None and only.inserted == 1
    assert len(only.warnings) == 1, only.warnings
    assert "not in the encoding it declares" in only.warnings[0]
    assert "malformed" not in only.warnings[0] and "cut short" not in only.warnings[0]


def test_a_file_mixing_encodings_is_stored_readable_and_warned_about(
    store: Store, tmp_path: Path
) -> None:
    from tests.sources.test_decode import MIXED_BYTES

    path = _write(tmp_path, "blandad.txt", MIXED_BYTES)
    clean = _write(tmp_path, "ren.txt", NEWS)
    report = ingest(store, [str(path), str(clean)])
    mixed, plain = report.inputs
    assert mixed.outcome is Outcome.INSERTED and plain.outcome is Outcome.INSERTED
    assert len(mixed.warnings) == 1 and "mixed encodings" in mixed.warnings[0]
    assert mixed.as_dict()["warnings"] == mixed.warnings and plain.warnings == []
    with store.session() as s:
        body = s.scalars(
            select(DocumentRow.body).where(DocumentRow.origin == str(path.resolve()))
        ).one()
    assert "Västerås" in body and "Ängsvägen" in body and "Ã" not in body


def test_an_input_is_stored_without_a_look_up_per_document(store: Store, tmp_path: Path) -> None:
    """Its documents' keys and hashes are read ahead: a second run of the same input reads
    them in a few statements and writes nothing; a copy inside the input points at the
    earlier document, and ids follow the input's order."""
    import json

    from sqlalchemy import event

    items = [{"id": f"k{i}", "title": f"Nyhet {i}", "body": f"Text nummer {i}."} for i in range(30)]
    items.append({"id": "kopia", "title": "Nyhet 3", "body": "Text nummer 3."})
    path = _write(tmp_path, "nyheter.json", json.dumps({"documents": items}))
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        first = ingest(store, [str(path)], workers=1).inputs[0]
        on_documents = [q for q in seen if "DOCUMENTS" in q]
        seen.clear()
        second = ingest(store, [str(path)], workers=1).inputs[0]
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert (first.inserted, first.duplicates) == (30, 1)
    ids = first.document_ids
    assert ids[:30] == sorted(ids[:30]) and ids[30] == ids[3]
    # keys and hashes together (on PostgreSQL also the new rows' ids): not one per document;
    # these texts are too short for a near-duplicate look-up
    postgres = store.engine.dialect.name == "postgresql"
    assert sum(q.startswith("SELECT") for q in on_documents) == (2 if postgres else 1)
    assert second.outcome is Outcome.UNCHANGED and second.document_ids == ids
    assert not [q for q in seen if q.startswith(("INSERT INTO DOCUMENTS", "UPDATE DOCUMENTS"))]
    assert len(seen) < 30  # a handful for the input, none per document


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (IngestOptions(tracker="Inte En Slug"), "tracker slug 'Inte En Slug'"),
        (IngestOptions(reader="saknas"), "no reader named 'saknas'"),
    ],
)
def test_an_impossible_tracker_or_reader_is_refused_once_before_any_input(
    store: Store, tmp_path: Path, options: IngestOptions, message: str
) -> None:
    from lofte.errors import ValidationError

    paths = [str(_write(tmp_path, f"nyhet-{i}.txt", NEWS + str(i))) for i in range(3)]
    seen: list[object] = []
    with pytest.raises(ValidationError, match=message):
        ingest(store, paths, options, on_input=seen.append)
    assert seen == [] and _count(store) == 0  # not three failed inputs


def test_prepared_hash_and_minhash_are_of_title_and_body():
    """Issue 9: title + body is normalized once for both the content hash and the MinHash."""
    from lofte.ingest_prepare import prepare_raw
    from lofte.pipeline.dedup import content_hash, minhash_signature

    body = "Vi lovar “fler” bostäder –\u00a0och kortare köer i vården.  " * 40
    raw = RawInput(f"Valprogram\n\n{body}\n".encode(), "/tmp/program.txt", "text/plain")
    prepared = prepare_raw(raw, IngestOptions(), Settings(input_time_budget=0))
    for ready in prepared.documents:
        text = f"{ready.doc.title}\n{ready.doc.body}"
        assert ready.content_hash == content_hash(text)
        assert ready.signature == minhash_signature(text)


def test_an_undated_texts_date_is_inferred_from_its_head_not_its_whole_length():
    """A date is guessed from the title and the first DATE_HEAD characters: a 50 MB
    single-document dump read whole took most of its ingest time to guess one. Here the head
    names 2023 and only the far tail names 2024 (the rule's "latest year" if read whole)."""
    from lofte.ingest_prepare import DATE_HEAD, prepare_raw

    head = "Kommunen beslutade den 3 mars 2023 om nya cykelbanor i centrum.\n\n"
    filler = "Cykelbanorna byggs längs ån och vid stationen, med nya träd.\n\n"
    tail = "Arbetet redovisades den 5 maj 2024 för nämnden.\n"
    body = head + filler * (DATE_HEAD // len(filler) + 1) + tail
    raw = RawInput(f"Cykelbanor\n\n{body}".encode(), "/tmp/cykel.txt", "text/plain")
    prepared = prepare_raw(raw, IngestOptions(), Settings(input_time_budget=0))
    (ready,) = prepared.documents
    assert ready.doc.date is not None
    assert ready.doc.date.provenance is DateProvenance.INFERRED
    assert ready.doc.date.value.year == 2023
    assert "5 maj 2024" in ready.doc.body  # the text itself is whole


@pytest.mark.parametrize(
    "text, title",
    [
        (
            "Valprogram för Sjövik 2022–2026\n\nVi ska bygga en skola.\n",
            "Valprogram för Sjövik 2022–2026",
        ),
        ("Sjövik ska vara en stad för alla.\n\nVi ska bygga en skola.\n", "Mitt program 2022"),
    ],
)
def test_a_text_program_keeps_its_first_line_as_title_when_it_is_a_heading(
    text: str, title: str
) -> None:
    """QA: a .txt program's heading gave way to its file's name, though docs/cli.md says a
    text program keeps its own first heading; a first sentence still does give way."""
    from lofte.config import get_settings
    from lofte.ingest_prepare import prepare_raw

    raw = RawInput(text.encode(), "mitt-program-2022.txt")
    prepared = prepare_raw(raw, IngestOptions(kind=SourceKind.PROGRAM), get_settings())
    assert prepared.documents[0].doc.title == title  # type: ignore[union-attr]


def test_replacing_a_cited_text_names_who_read_it_in(store: Store, tmp_path: Path) -> None:
    """Insider QA: re-ingesting a changed file replaced the text of a document that accepted
    evidence stood on, and the log named nobody (only the pipeline's own events)."""
    from lofte.review.verdicts import decide_evidence
    from lofte.store import audit
    from tests.review.fixtures import PROGRAM, pledge_row, program_document, suggestion

    options = IngestOptions(tracker="sjovik", kind=SourceKind.NEWS, actor="bertil")
    cited, other = _write(tmp_path, "cited.txt", NEWS), _write(tmp_path, "other.txt", NEWS + "X")
    report = ingest(store, [str(cited), str(other)], options)
    news_id = report.inputs[0].document_ids[0]
    pledge_id = pledge_row(store, program_document(store, PROGRAM), PROGRAM)
    evidence_id = suggestion(store, pledge_id, news_id, 40)
    decide_evidence(store, evidence_id, True, actor="anna")
    cited.write_text("Fritidsgården blir inte av.\n", encoding="utf-8")
    other.write_text(NEWS + "Y", encoding="utf-8")
    report = ingest(store, [str(cited), str(other)], options)
    assert [item.outcome for item in report.inputs] == [Outcome.UPDATED, Outcome.UPDATED]
    with store.session() as s:
        events = [e for e in audit.all_events(s) if e.action == "document.update"]
        assert verify(s).ok
    [event] = events  # the uncited text's change is no event
    assert (event.actor, event.entity_id) == ("bertil", news_id)
    assert event.details["counts"]["decided_evidence"] == 1
    assert event.details["before"]["content_hash"] != event.details["after"]["content_hash"]
