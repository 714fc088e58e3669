"""Open data columns a researcher codes with: a deadline the text gives only in words
(`deadline_text`), a merge told apart from a rejection (`merged_into`), a program's party in
documents.csv, and the `excel` flavour of the tables (BOM, ";", decimal comma)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from lofte.extraction import extract
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import DatePrecision, DateProvenance, DateValue, RawInput, SourceKind
from lofte.publish import opendata
from lofte.publish.export import export_database
from lofte.review import pledges as review
from lofte.review.trackers import publish_tracker
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store

PROGRAM = """Vårt program för Sjövik 2022

Bostäder

Vi ska bygga 500 nya bostäder under mandatperioden.

Vi ska öppna en ny simhall i Norrvik till 2030.

Vi ska sänka taxan för kulturskolan med 25 procent.

Vi ska rusta upp biblioteket i Norrvik.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A published tracker with the program of party S: four pledges, all confirmed but the
    last two, which an editor merged into one (a merge's pledge is confirmed)."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'lofte.db'}", create=True)
    try:
        with store.session() as s:
            tracker_store.ensure_tracker(s, "sjovik")
            tracker_store.get_tracker_row(s, "sjovik").actors = ["S", "V"]
        year = DateValue(dt.date(2022, 1, 1), DatePrecision.YEAR, DateProvenance.EXPLICIT)
        report = ingest_raw(
            store,
            RawInput(PROGRAM.encode(), "program.txt", "text/plain"),
            IngestOptions(tracker="sjovik", kind=SourceKind.PROGRAM, date=year, party="S"),
        )
        assert report.error is None
        extract(store, "sjovik")
        with store.session() as s:
            ids = {p.quote.split()[2]: p.id for p in pledge_store.list_pledges(s)}
        assert sorted(ids) == ["bygga", "rusta", "sänka", "öppna"]
        for word in ("bygga", "öppna"):
            review.confirm(store, ids[word], actor="anna")
        review.merge(store, [ids["sänka"], ids["rusta"]], actor="anna")  # confirmed: chosen
        publish_tracker(store, "sjovik", actor="anna")
        yield store
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def export(store: Store) -> dict[str, Any]:
    with store.session() as s:
        return export_database(s)


def _table(files: dict[str, bytes], name: str, delimiter: str = ",") -> list[dict[str, str]]:
    text = files[name].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _by_quote(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["text"]: r for r in rows}


def test_a_deadline_in_words_is_in_the_pledge_table(export: dict[str, Any]) -> None:
    """QA: "under mandatperioden" and "till 2030" were not in pledges.csv (only a deadline an
    editor set is a date there): the words the text sets are, beside it."""
    header = opendata.TABLES["pledges"].header
    assert header.index("deadline_text") == header.index("deadline") + 1
    rows = _by_quote(_table(opendata.package_files(export, "csv"), "pledges.csv"))
    assert rows["Vi ska bygga 500 nya bostäder under mandatperioden."]["deadline_text"] == (
        "under mandatperioden"
    )
    assert rows["Vi ska öppna en ny simhall i Norrvik till 2030."]["deadline_text"] == "till 2030"
    merged = next(r for q, r in rows.items() if q.startswith("Vi ska sänka"))
    assert merged["deadline_text"] == "" and merged["deadline"] == ""


def test_a_merged_pledge_names_the_pledge_it_was_merged_into(
    export: dict[str, Any], tmp_path: Path
) -> None:
    """QA: a pledge merged into another was coded as a plain rejection."""
    files = opendata.package_files(export, "csv", include_unpublished=True)
    rows = _by_quote(_table(files, "pledges.csv"))
    merged = next(r for q, r in rows.items() if q.startswith("Vi ska sänka") and "\n" in q)
    taxa = rows["Vi ska sänka taxan för kulturskolan med 25 procent."]
    library = rows["Vi ska rusta upp biblioteket i Norrvik."]
    for part in (taxa, library):
        assert (part["review_state"], part["merged_into"]) == ("rejected", merged["pledge_id"])
    assert all(
        r["merged_into"] == "" for r in (merged, rows[next(q for q in rows if "bygga" in q)])
    )
    # a foreign key to the pledges table, which holds the merged pledge: the package validates
    package = opendata.package_files(export, "datapackage", include_unpublished=True)
    opendata.write_package(package, tmp_path / "pkg", export["exported_at"])
    assert validate(tmp_path / "pkg" / "datapackage.json").valid
    # the public table holds no rejected pledge, so no merge either
    public = _table(opendata.package_files(export, "csv"), "pledges.csv")
    assert {r["merged_into"] for r in public} == {""} and len(public) == 3


def test_merged_into_only_while_the_merge_stands() -> None:
    """A pledge confirmed again once the merged pledge was rejected is a pledge of its own: its
    `merged_into` attribute (still recorded) is no longer what it is coded by."""
    base = {"parent_id": None, "attributes": {"merged_into": 9}}
    ids = {1, 9}
    assert opendata._merged_into(base | {"id": 1, "state": "rejected"}, ids) == 9
    assert opendata._merged_into(base | {"id": 1, "state": "confirmed"}, ids) is None
    assert opendata._merged_into(base | {"id": 1, "state": "rejected"}, {1}) is None  # gone
    plain = {"id": 1, "state": "rejected", "parent_id": None, "attributes": {}}
    assert opendata._merged_into(plain, ids) is None


def test_the_documents_table_names_a_programs_party(export: dict[str, Any]) -> None:
    (program,) = _table(opendata.package_files(export, "csv"), "documents.csv")
    assert (program["kind"], program["party"]) == ("program", "S")


def test_the_excel_flavour_opens_in_swedish_excel(export: dict[str, Any]) -> None:
    """QA: the CSV opened garbled in Swedish Excel (UTF-8 without BOM, ","). `excel`: a BOM,
    ";" between cells, decimal commas; the default stays RFC 4180 UTF-8 without a BOM."""
    plain = opendata.package_files(export, "csv")
    excel = opendata.package_files(export, opendata.EXCEL)
    assert sorted(excel) == sorted(plain)
    assert excel["codebook.json"] == plain["codebook.json"]
    for name in (n for n in plain if n.endswith(".csv")):
        assert not plain[name].startswith(b"\xef\xbb\xbf")
        assert excel[name].startswith(b"\xef\xbb\xbf"), name
        assert plain[name].split(b"\r\n", 1)[0].count(b",") > 0
        header = excel[name][3:].split(b"\r\n", 1)[0].decode()
        assert header.split(";") == opendata.TABLES[name[:-4]].header
    rows = _table(excel, "pledges.csv", ";")
    plain_rows = _table(plain, "pledges.csv")
    assert [r["text"] for r in rows] == [r["text"] for r in plain_rows]
    assert any("å" in r["text"] or "ö" in r["text"] for r in rows)
    for row, plain_row in zip(rows, plain_rows, strict=True):
        assert row["confidence"] == plain_row["confidence"].replace(".", ",")
        assert "," in row["confidence"]


def test_an_excel_cell_holds_at_most_what_excel_holds() -> None:
    """QA, a political scientist: a program's body (76,277 characters) went whole into one
    cell of the Excel flavour, past the 32,767 Excel holds; the csv flavour keeps it whole."""
    table = opendata.Table(
        "t", "", (opendata.Column("id", "integer", ""), opendata.Column("body", "string", "")), "id"
    )
    body = "Vi ska bygga förskolor. " * 3200  # 76,800 characters
    rows = [{"id": 1, "body": body}, {"id": 2, "body": "=" + body[:40]}]
    excel = opendata.to_csv(table, rows, excel=True).decode("utf-8")
    cut, short = [r[1] for r in csv.reader(io.StringIO(excel[1:], newline=""), delimiter=";")][1:]
    assert len(cut) == opendata.EXCEL_CELL_MAX
    assert cut.startswith(body[:30_000]) and cut.endswith("holds all 76,800 characters]")
    assert short == "'=" + body[:40]  # a short cell as before
    plain = opendata.to_csv(table, rows).decode("utf-8")
    assert [r[1] for r in csv.reader(io.StringIO(plain, newline=""))][1] == body
    # Excel counts UTF-16 units: an emoji is two (review)
    wide = opendata.to_csv(table, [{"id": 3, "body": "🗳️ röst " * 5000}], excel=True)
    (cell,) = [
        r[1] for r in csv.reader(io.StringIO(wide.decode("utf-8")[1:], newline=""), delimiter=";")
    ][1:]
    assert (
        len(cell.encode("utf-16-le")) // 2 <= opendata.EXCEL_CELL_MAX < len("🗳️ röst " * 5000) * 1.1
    )
    assert "cut for Excel" in cell


def test_excel_cells_that_would_start_a_formula_stay_text() -> None:
    table = opendata.Table(
        "t",
        "",
        (
            opendata.Column("id", "integer", ""),
            opendata.Column("title", "string", ""),
            opendata.Column("score", "number", ""),
        ),
        "id",
    )
    rows = [
        {"id": 1, "title": '=HYPERLINK("http://x.invalid";"klicka")', "score": -0.5},
        {"id": 2, "title": "- punkt; med semikolon", "score": 1.25},
        {"id": 3, "title": "Vanlig titel", "score": None},
    ]
    text = opendata.to_csv(table, rows, excel=True).decode("utf-8")
    assert text.startswith("\ufeffid;title;score\r\n")
    got = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))[1:]
    assert got == [
        ["1", '\'=HYPERLINK("http://x.invalid";"klicka")', "-0,5"],
        ["2", "'- punkt; med semikolon", "1,25"],
        ["3", "Vanlig titel", ""],
    ]
    assert opendata.to_csv(table, rows).decode("utf-8").splitlines()[2] == (
        "2,- punkt; med semikolon,1.25"
    )
