"""The day a PDF says it was made (its metadata) dates a document the user and its folders do
not: a program's text names target years ("senast 2025") more often than when it was written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jsonschema
import pytest

from lofte.ingest import ingest
from lofte.ingest_records import IngestOptions
from lofte.language.dates import parse_user_date
from lofte.model import DatePrecision, DateProvenance, RawInput, SourceKind
from lofte.publish.export import export_database, load_schema
from lofte.sources.pdf import PDF
from lofte.store.db import open_store
from lofte.store.documents import list_documents
from lofte.web.i18n import translate
from tests.sources.pdf_bytes import text_pdf

TEXT = [
    "Vi vill bygga fler förskolor i hela landet senast 2025.",
    "Vi ska anställa fler lärare i varje kommun till år 2026.",
]


def pdf_with_info(info: bytes) -> bytes:
    """One page of program text, with `info` as its document information dictionary."""
    return text_pdf(
        [f"BT /F1 11 Tf 60 {760 - 14 * i} Td ({t}) Tj ET" for i, t in enumerate(TEXT)], info
    )


@pytest.mark.parametrize(
    ("info", "made"),
    [
        (b"<< /CreationDate (D:20220829071732Z00'00') >>", "2022-08-29"),
        (b"<< /CreationDate (D:20210504) /ModDate (D:20230101) >>", "2021-05-04"),
        (b"<< /CreationDate (D:20211340) /ModDate (D:20220115120000+01'00') >>", "2022-01-15"),
        (b"<< /CreationDate (D:19700101000000Z) >>", ""),  # a clock never set
        (b"<< /CreationDate (yesterday) >>", ""),
        (b"<< /Title (Valplattform) >>", ""),
        (b"", ""),
    ],
)
def test_the_reader_gives_the_day_the_file_was_made(info: bytes, made: str) -> None:
    doc = PDF.parse(RawInput(pdf_with_info(info), "program.pdf"), None)[0]
    assert doc.extra["metadata_date"] == made
    assert doc.date is None  # the reader does not decide: ingest weighs it (below)


def _ingested(tmp_path: Path, info: bytes, **options: object) -> list:
    path = tmp_path / "valprogram.pdf"
    path.write_bytes(pdf_with_info(info))
    store = open_store(f"sqlite:///{tmp_path / 'dates.db'}", create=True)
    try:
        opts = IngestOptions(kind=SourceKind.PROGRAM, **options)  # type: ignore[arg-type]
        report = ingest(store, [str(path)], opts, workers=1)
        assert not report.failed and report.total("inserted") == 1, report
        with store.session() as session:
            return [d.date for d in list_documents(session)]
    finally:
        store.dispose()


def test_ingest_dates_a_program_by_its_metadata_not_its_target_years(tmp_path: Path) -> None:
    """Before, the text's latest year (2026, a target) dated the program."""
    [date] = _ingested(tmp_path, b"<< /CreationDate (D:20220829071732Z00'00') >>")
    assert (date.value, date.precision, date.provenance) == (
        dt.date(2022, 8, 29),
        DatePrecision.DAY,
        DateProvenance.METADATA,  # when the file was made, not a stated publication (QA)
    )


def test_the_users_date_wins_over_the_metadata(tmp_path: Path) -> None:
    [date] = _ingested(
        tmp_path,
        b"<< /CreationDate (D:20220829) >>",
        date=parse_user_date("2014"),
    )
    assert date.value == dt.date(2014, 1, 1) and date.precision is DatePrecision.YEAR


def test_a_metadata_day_after_today_is_a_wrong_clock(tmp_path: Path) -> None:
    later = (dt.date.today() + dt.timedelta(days=400)).strftime("%Y%m%d").encode()
    [date] = _ingested(tmp_path, b"<< /CreationDate (D:%s) >>" % later)
    assert date is None or date.provenance is DateProvenance.INFERRED  # the text's targets: none


def test_real_manifestos_are_dated_in_their_election_year(shared_dir: Path) -> None:
    """The four 2022 programs: made in 2022 by their metadata. From the text, Moderaterna's
    came out as 2025 (a target year)."""
    folder = shared_dir / "data" / "manifestos-2022"
    for path in sorted(folder.glob("*.pdf")):
        doc = PDF.parse(RawInput(path.read_bytes(), path.name), None)[0]
        assert doc.extra["metadata_date"].startswith("2022-"), path.name


def test_the_metadata_day_is_marked_as_the_files_not_as_given(tmp_path: Path) -> None:
    """A researcher read a PDF's CreationDate as a stated date ("explicit", as a user's --date;
    QA, a political scientist). It is marked `metadata` in the export (1.6), whose schema
    knows the value, and on the document's page."""
    path = tmp_path / "valprogram.pdf"
    path.write_bytes(pdf_with_info(b"<< /CreationDate (D:20220829) >>"))
    store = open_store(f"sqlite:///{tmp_path / 'dates.db'}", create=True)
    try:
        ingest(store, [str(path)], IngestOptions(kind=SourceKind.PROGRAM), workers=1)
        with store.session() as session:
            data = export_database(session)
    finally:
        store.dispose()
    jsonschema.validate(data, load_schema())
    [document] = data["documents"]
    assert document["date"]["provenance"] == "metadata"
    assert translate("provenance_metadata", "sv") != "provenance_metadata"
