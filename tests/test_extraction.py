"""Extraction through the store: seed 002 in, candidate pledges out, idempotent and upgrade-safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte import extraction
from lofte.cli import app
from lofte.errors import ValidationError
from lofte.ingest import IngestOptions, ingest
from lofte.model import PledgeState, SourceKind
from lofte.review import pledges as review
from lofte.review.audit import verify
from lofte.store import audit
from lofte.store import pledges as pledge_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow


@pytest.fixture
def program(store: Store, seeds_dir: Path) -> Store:
    (path,) = sorted(seeds_dir.glob("002_*"))
    report = ingest(store, [str(path)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
    assert not report.failed
    return store


def _pledges(store: Store) -> list:  # type: ignore[type-arg]
    with store.session() as s:
        return pledge_store.list_pledges(s)


def test_extract_stores_verbatim_pledges_with_areas(program: Store) -> None:
    (report,) = extraction.extract(program, "sthlm")
    assert report.error is None and report.inserted >= 39
    pledges = _pledges(program)
    with program.session() as s:
        body = pledge_store.document_body(s, pledges[0].document_id)
    assert all(body[p.start : p.end] == p.quote for p in pledges)
    # list items sit under a lead-in that names their area; seed 002 has no headings, so its
    # prose sentences have none
    listed = [p for p in pledges if p.attributes["method"] == "structure"]
    assert len(listed) >= 39 and all(p.area for p in listed)
    assert all(p.attributes["precision"] in ("specific", "vague") for p in pledges)
    assert all(p.state is PledgeState.CANDIDATE for p in pledges)
    assert all(p.extractor == extraction.EXTRACTOR for p in pledges)
    ids = {p.id for p in pledges}
    assert all(p.parent_id in ids for p in pledges if p.parent_id is not None)
    # the list items split into parts, which the meter counts through the parts (QA, a
    # political scientist: "234 pledges" were 194 to count)
    groups = {p.parent_id for p in pledges if p.parent_id is not None}
    assert groups and report.groups == len(groups) == report.as_dict()["groups"]


def test_a_copy_of_a_program_under_another_name_is_not_extracted_again(
    program: Store, seeds_dir: Path, tmp_path: Path
) -> None:
    """QA: the same program as "kopia.txt" was a near-duplicate at ingest but was extracted
    too, so every pledge counted twice."""
    (path,) = sorted(seeds_dir.glob("002_*"))
    copy = tmp_path / "kopia.txt"
    copy.write_bytes(path.read_bytes())
    options = IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM)
    assert not ingest(program, [str(copy)], options).failed
    original, copied = extraction.extract(program, "sthlm")
    assert original.inserted >= 39 and copied.inserted == 0 and copied.error is None
    assert copied.duplicate_of == original.document_id and original.duplicate_of is None
    assert {p.document_id for p in _pledges(program)} == {original.document_id}
    result = CliRunner().invoke(
        app, ["--db", program.engine.url.render_as_string(hide_password=False), "extract"]
    )
    assert result.exit_code == 0, result.output
    assert f"Kopia: not extracted, a copy of document {original.document_id}" in result.output
    assert "from 1 program documents (1 copies of another not extracted)" in result.output


def test_a_program_ingest_took_for_a_copy_of_a_news_page_is_extracted(
    store: Store, seeds_dir: Path, tmp_path: Path
) -> None:
    """Only a copy of a program is skipped: the party's program would otherwise have no
    pledges when the same text was stored first as a news page (review)."""
    (path,) = sorted(seeds_dir.glob("002_*"))
    news = tmp_path / "nyhet.txt"
    news.write_bytes(path.read_bytes())
    ingest(store, [str(news)], IngestOptions(tracker="sthlm", kind=SourceKind.NEWS))
    ingest(store, [str(path)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
    with store.session() as s:
        rows = s.query(DocumentRow).order_by(DocumentRow.id).all()
        assert [r.kind for r in rows] == ["news", "program"] and rows[1].duplicate_of == rows[0].id
    (report,) = extraction.extract(store, "sthlm")
    assert report.duplicate_of is None and report.inserted >= 39


def test_extract_twice_changes_nothing(program: Store) -> None:
    extraction.extract(program, "sthlm")
    before = [(p.id, p.quote) for p in _pledges(program)]
    (again,) = extraction.extract(program, "sthlm")
    assert again.unchanged and again.inserted == 0
    assert [(p.id, p.quote) for p in _pledges(program)] == before


def test_a_new_extractor_version_keeps_what_editors_touched(
    program: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    extraction.extract(program, "sthlm")
    first = _pledges(program)
    leaf = next(p for p in first if p.parent_id is None)
    review.confirm(program, leaf.id, actor="anna")
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "99")
    (report,) = extraction.extract(program, "sthlm")
    assert report.removed >= len(first) - 1 - sum(1 for p in first if p.parent_id == leaf.id)
    after = _pledges(program)
    kept = [p for p in after if p.id == leaf.id]
    assert kept and kept[0].state is PledgeState.CONFIRMED
    # the confirmed pledge is not extracted a second time at the same span
    assert sum((p.start, p.end) == (leaf.start, leaf.end) for p in after) == 1
    versions = {p.extractor_version for p in after if p.id != leaf.id and p.extractor == "extract"}
    assert versions and all(v.startswith("99+") for v in versions)


def test_a_changed_program_keeps_quotes_true_and_is_extracted_again(
    program: Store, tmp_path: Path, seeds_dir: Path
) -> None:
    """Re-ingesting an edited program moves pledges whose text stayed, drops unreviewed ones
    whose text went, flags reviewed ones, and makes `extract` read the document again."""
    extraction.extract(program, "sthlm")
    (path,) = sorted(seeds_dir.glob("002_*"))
    text = path.read_text(encoding="utf-8")
    # a pledge whose quote stands on one line of the raw text, so the edit can remove it
    reviewed = next(p for p in _pledges(program) if len(p.quote) > 40 and p.quote in text)
    review.confirm(program, reviewed.id, actor="anna")
    # a reviewed pledge whose text stays: it moves, and its audit record follows it
    moved = next(
        p
        for p in _pledges(program)
        if p.id != reviewed.id
        and p.parent_id is None
        and p.quote in text
        and p.quote not in reviewed.quote
        and reviewed.quote not in p.quote
    )
    review.confirm(program, moved.id, actor="anna")
    edited = tmp_path / path.name
    edited.write_text(
        "Inledning tillagd i efterhand.\n\n" + text.replace(reviewed.quote, "Borttaget."),
        encoding="utf-8",
    )
    assert text != edited.read_text(encoding="utf-8")
    with program.session() as s:
        doc = s.get(DocumentRow, reviewed.document_id)
        doc.origin = str(edited)  # the same document, now read from the edited copy
    report = ingest(program, [str(edited)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
    assert report.inputs[0].updated == 1
    (again,) = extraction.extract(program, "sthlm")
    assert not again.unchanged
    with program.session() as s:
        body = pledge_store.document_body(s, reviewed.document_id)
        pledges = pledge_store.list_pledges(s)
    lost = [p for p in pledges if p.attributes.get("span_lost")]
    assert [p.id for p in lost] == [reviewed.id]
    assert all(body[p.start : p.end] == p.quote for p in pledges if p.id != reviewed.id)
    assert len([p for p in pledges if p.parent_id is None]) >= 39
    with program.session() as s:
        assert [e.action for e in audit.list_events(s, "pledge", moved.id)] == [
            "pledge.confirm",
            "pledge.move",
        ]
        report = verify(s)
    assert report.ok, report.problems


def test_an_undated_program_is_dated_from_the_start_of_the_term_it_plans_for(
    program: Store,
) -> None:
    """Seed 002 names its "reformagenda 2022-2026": written in 2022, not in 2026 (QA)."""
    from lofte.store import documents as document_store

    with program.session() as s:
        (doc,) = document_store.list_documents(s)
    assert doc.date is not None and doc.date.value.year == 2022
    assert doc.date.provenance.value == "inferred"


def test_a_program_over_the_candidate_limit_fails_named_and_the_others_are_extracted(
    program: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a 45 MB program of one pledge repeated took ten minutes and 4.4 GB to extract and
    stored 760,000 identical candidates; over LOFTE_MAX_PLEDGES_PER_DOCUMENT it fails, named,
    with nothing of it stored, and the batch goes on."""
    from lofte.config import get_settings

    huge = tmp_path / "upprepat.txt"
    huge.write_text(
        "Upprepat program\n\n" + "Vi ska anställa 500 poliser i Sjövik före 2026. " * 300,
        encoding="utf-8",
    )
    report = ingest(program, [str(huge)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
    assert not report.failed
    monkeypatch.setenv("LOFTE_MAX_PLEDGES_PER_DOCUMENT", "200")
    get_settings.cache_clear()  # read once per process: this test's value
    try:
        reports = extraction.extract(program, "sthlm")
    finally:
        monkeypatch.delenv("LOFTE_MAX_PLEDGES_PER_DOCUMENT")
        get_settings.cache_clear()
    (bad,) = [r for r in reports if r.error]
    (good,) = [r for r in reports if not r.error]
    assert f"document {bad.document_id} (Upprepat program)" in (bad.error or "")
    assert "more than 200 candidate pledges" in (bad.error or "")
    assert "LOFTE_MAX_PLEDGES_PER_DOCUMENT" in (bad.error or "")
    assert bad.inserted == 0 and good.inserted > 0
    with program.session() as s:
        assert not pledge_store.list_pledges(s, document_id=bad.document_id)
        assert len(pledge_store.list_pledges(s, document_id=good.document_id)) == good.inserted


def test_ctrl_c_during_extract_says_how_many_documents_were_stored(
    program: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: `lofte extract` stopped by Ctrl-C printed only "interrupted", where ingest and link
    say what they stored. Each document is its own transaction: the ones done stay."""
    for n in (1, 2):
        other = tmp_path / f"program-{n}.txt"
        other.write_text(
            f"Program {n}\n\nVi vill bygga {n * 100} nya bostäder i kommunen. "
            f"Vi ska anställa {n * 10} fler lärare i skolan.\n",
            "utf-8",
        )
        ingest(program, [str(other)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
    real = extraction.extract_pledges
    calls: list[int] = []

    def ctrl_c_at_the_second(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extraction, "extract_pledges", ctrl_c_at_the_second)
    result = CliRunner().invoke(
        app, ["--db", program.engine.url.render_as_string(hide_password=False), "extract"]
    )
    assert result.exit_code == 130, result.output
    stored = len(_pledges(program))
    assert stored >= 39  # the first program's, committed before the interrupt
    assert (
        f"1 of 3 program documents done before the interrupt: 1 extracted and stored ({stored} "
        "pledges); the other 2 were not extracted"
    ) in " ".join(result.output.split())


def test_a_document_of_another_tracker_is_refused_named(program: Store, tmp_path: Path) -> None:
    """QA: `extract --tracker A --document <B's>` extracted into B silently, as if --tracker
    were not given. It is refused, naming the document's own tracker; nothing is extracted."""
    news = tmp_path / "nyhet.txt"
    news.write_text("Nämnden beslutade om nya simhallar i Sjövik.\n", encoding="utf-8")
    assert not ingest(program, [str(news)], IngestOptions(tracker="annan")).failed
    with program.session() as s:
        (doc_id,) = s.query(DocumentRow.id).filter(DocumentRow.kind == "program").one()
    with pytest.raises(ValidationError) as refused:
        extraction.extract(program, "annan", [doc_id])
    assert refused.value.fields == ("document",)
    assert f"document {doc_id} is in tracker 'sthlm', not 'annan'" in str(refused.value)
    assert _pledges(program) == []
    (report,) = extraction.extract(program, "sthlm", [doc_id])  # its own tracker: extracted
    assert report.inserted >= 39
