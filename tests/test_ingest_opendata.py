"""The open data's documents.csv ingested again (QA: its documents came back as news, without
their kinds and parties): each row's kind, party and date come along, in both flavours of the
table (`csv` and `excel`); `--kind` and `--party` still win."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lofte.errors import ParseError
from lofte.ingest import IngestOptions, ingest
from lofte.model import DatePrecision, SourceKind
from lofte.publish import opendata
from lofte.sources import tabular
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store

ROWS: list[dict[str, Any]] = [
    {
        "kind": "program",
        "party": "S",
        "title": "Valprogram 2022",
        "date": "2022-01-01",
        "date_precision": "year",
        "body": "Vi ska bygga 500 nya bostäder under mandatperioden.",
    },
    {
        "kind": "decision",
        "title": "Kommunfullmäktige beslutar om simhallen",
        "date": "2024-03-02",
        "date_precision": "day",
        "body": "Kommunfullmäktige beslutade i dag att bygga en ny simhall i Norrvik.",
    },
    {
        "kind": "news",
        "title": "Nytt bibliotek öppnar",
        "date": "2024-11-01",
        "date_precision": "month",
        "body": "Biblioteket i Norrvik öppnar efter renoveringen.",
    },
    {
        "kind": "budget",
        "title": "Budget 2025",
        "date": "2024-06-01",
        "date_precision": "season",
        "body": "Budgeten för 2025 ger kulturskolan mer pengar.",
    },
]


def _documents_csv(tmp_path: Path, *, excel: bool = False, name: str = "documents.csv") -> Path:
    """documents.csv as `lofte export --format csv` (or excel) writes it, of ROWS."""
    table = opendata.TABLES["documents"]
    rows = [
        dict.fromkeys(table.header)
        | {
            "document_id": i,
            "tracker": "sjovik",
            "content_hash": "0" * 64,
            "parser": "parse:plaintext/1",
        }
        | row
        for i, row in enumerate(ROWS, 1)
    ]
    path = tmp_path / name
    path.write_bytes(opendata.to_csv(table, rows, excel=excel))
    return path


def _stored(store: Store) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    with store.session() as s:
        return {
            d.title: (
                d.kind.value,
                d.party,
                d.date.value.isoformat() if d.date else None,
                d.date.precision.value if d.date else None,
            )
            for d in document_store.list_documents(s)
        }


def _tracker(store: Store, actors: list[str]) -> None:
    with store.session() as s:
        tracker_store.ensure_tracker(s, "sjovik")
        tracker_store.get_tracker_row(s, "sjovik").actors = actors


EXPECTED = {
    "Valprogram 2022": ("program", "S", "2022-01-01", "year"),
    "Kommunfullmäktige beslutar om simhallen": ("decision", None, "2024-03-02", "day"),
    "Nytt bibliotek öppnar": ("news", None, "2024-11-01", "month"),
    "Budget 2025": ("budget", None, "2024-06-01", "season"),
}


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel"])
def test_documents_csv_round_trips_kind_party_and_date(
    sqlite_store: Store, tmp_path: Path, excel: bool
) -> None:
    _tracker(sqlite_store, ["S", "V"])
    path = _documents_csv(tmp_path, excel=excel)
    report = ingest(sqlite_store, [str(path)], IngestOptions(tracker="sjovik"), workers=0)
    (item,) = report.inputs
    assert item.error is None and item.reader == "csv-import", item
    assert _stored(sqlite_store) == EXPECTED
    # read again: nothing changes
    again = ingest(sqlite_store, [str(path)], IngestOptions(tracker="sjovik"), workers=0)
    assert again.inputs[0].unchanged == len(ROWS) and again.inputs[0].inserted == 0


def test_kind_and_party_given_at_ingest_win_over_the_rows(
    sqlite_store: Store, tmp_path: Path
) -> None:
    _tracker(sqlite_store, [])
    path = _documents_csv(tmp_path)
    report = ingest(
        sqlite_store, [str(path)], IngestOptions(tracker="sjovik", kind=SourceKind.NEWS), workers=0
    )
    assert report.inputs[0].error is None
    assert {kind for kind, *_ in _stored(sqlite_store).values()} == {"news"}


def test_a_party_is_spelled_as_the_tracker_spells_it_and_must_be_an_actor(
    sqlite_store: Store, tmp_path: Path
) -> None:
    _tracker(sqlite_store, ["Socialdemokraterna", "V"])
    path = tmp_path / "in.csv"
    path.write_text("title,body,party\nProgram,Vi ska bygga bostäder.,socialdemokraterna\n")
    report = ingest(sqlite_store, [str(path)], IngestOptions(tracker="sjovik"), workers=0)
    assert report.inputs[0].error is None
    # a party without a kind is a program's, as with --party
    assert _stored(sqlite_store)["Program"][:2] == ("program", "Socialdemokraterna")
    other = tmp_path / "other.csv"
    other.write_text("title,body,party\nProgram M,Vi ska sänka skatten.,M\n")
    (item,) = ingest(sqlite_store, [str(other)], IngestOptions(tracker="sjovik"), workers=0).inputs
    assert item.error is not None and "'M' is not one of the actors" in item.error
    assert "Program M" not in _stored(sqlite_store)


def test_an_unknown_kind_fails_the_input_naming_the_row() -> None:
    with pytest.raises(ParseError, match=r"row 2 \(line 3\): kind 'nyhet' is not one of program"):
        tabular.parse_csv("title,body,kind\nA,B,News\nC,D,nyhet\n", "in.csv")
    (doc,) = tabular.parse_csv("title,body,kind,party,källa\nA,B,News, Mp ,SVT\n", "in.csv")
    plain, kind, party = tabular.row_kind_and_party(doc)
    assert (kind, party, plain.extra) == (SourceKind.NEWS, "Mp", {"källa": "SVT"})


def test_dates_survive_the_round_trip_with_their_precision() -> None:
    table = opendata.TABLES["documents"]
    text = opendata.to_csv(table, [dict.fromkeys(table.header) | ROWS[3]]).decode()
    (doc,) = tabular.parse_csv(text, "documents.csv")
    assert doc.date is not None
    assert (doc.date.value, doc.date.precision) == (dt.date(2024, 6, 1), DatePrecision.SEASON)


def test_a_date_read_from_the_text_stays_a_guess_when_imported_again(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """QA: documents.csv had no date provenance, so a date guessed from the text (an event the
    text names) came back as an explicit publication date."""
    from lofte.model import DateProvenance

    _tracker(sqlite_store, [])
    table = opendata.TABLES["documents"]
    rows = [
        dict.fromkeys(table.header)
        | {"document_id": 1, "tracker": "sjovik", "kind": "news", "title": "Yrkes-SM"}
        | {"body": "Yrkes-SM hålls den 6 maj 2026.", "date": "2026-05-06", "date_precision": "day"}
        | {"date_provenance": "inferred"}
    ]
    path = tmp_path / "documents.csv"
    path.write_bytes(opendata.to_csv(table, rows))
    assert not ingest(sqlite_store, [str(path)], IngestOptions(tracker="sjovik"), workers=0).failed
    with sqlite_store.session() as s:
        (doc,) = document_store.list_documents(s)
    assert doc.date is not None and doc.date.provenance is DateProvenance.INFERRED
    assert doc.date.value == dt.date(2026, 5, 6)
    bad = tmp_path / "bad.csv"
    bad.write_text("title,body,date,date_provenance\nT,B,2024,guessed\n")
    (item,) = ingest(sqlite_store, [str(bad)], IngestOptions(tracker="sjovik"), workers=0).inputs
    assert item.error and "date_provenance 'guessed' is not one of" in item.error
