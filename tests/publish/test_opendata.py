"""Open data: CSV tables that follow the codebook, a Frictionless Data Package that validates
(offline), the CPP columns, and docs/codebook.md made from the same codebook."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from lofte.demo import build_demo
from lofte.errors import NotFoundError, ValidationError
from lofte.publish import opendata
from lofte.publish.export import export_database

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    store = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    try:
        with store.session() as s:
            yield export_database(s)
    finally:
        store.dispose()


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_tables_follow_the_codebook(export: dict[str, Any]) -> None:
    files = opendata.package_files(export, "csv")
    assert sorted(files) == [
        "codebook.json",
        "documents.csv",
        "evidence.csv",
        "pledges.csv",
        "trackers.csv",
        "verdicts.csv",
    ]
    book = json.loads(files["codebook.json"])
    public = opendata.public_content(export)
    for table in book["tables"]:
        rows = _rows(files[table["path"]])
        assert rows[0] == [f["name"] for f in table["schema"]["fields"]]
        assert len(rows) - 1 == len(public[table["name"]]) > 0
        assert all(len(r) == len(rows[0]) for r in rows)
    assert b"\r\n" in files["pledges.csv"] and not files["pledges.csv"].startswith(b"\xef\xbb\xbf")
    # QA: no table said what a tracker is; the others name it by slug
    (tracker,) = _rows(files["trackers.csv"])[1:]
    slug = public["trackers"][0]["slug"]
    assert tracker[0] == slug and {
        r[_rows(files["pledges.csv"])[0].index("tracker")] for r in _rows(files["pledges.csv"])[1:]
    } == {slug}
    cpp = [
        "pledge_id",
        "party",
        "election",
        "text",
        "policy_area",
        "specificity",
        "status",
        "status_date",
        "sources",
    ]
    own = ["tracker", "document_id", "span_start", "span_end", "review_state", "extractor"]
    assert opendata.TABLES["pledges"].header[: len(cpp) + len(own)] == cpp + own


def test_pledge_columns_code_the_current_status_and_specificity(export: dict[str, Any]) -> None:
    rows = {r["pledge_id"]: r for r in opendata.tables(export)["pledges"]}
    rated = [v for v in export["verdicts"] if v["published"]]
    assert rated
    verdict = rated[-1]
    row = rows[verdict["pledge_id"]]
    assert (row["status"], row["status_date"]) == (verdict["status"], verdict["created_at"][:10])
    assert row["sources"] and row["party"] == "; ".join(export["trackers"][0]["actors"])
    assert row["election"] == 2022
    pledges = {p["id"]: p for p in export["pledges"]}
    for pledge_id, r in rows.items():
        precision = pledges[pledge_id]["attributes"].get("precision")
        assert r["specificity"] == {"specific": "narrow", "vague": "broad"}.get(precision)
        assert r["text"] == pledges[pledge_id]["quote"]
    assert {r["specificity"] for r in rows.values()} >= {"narrow", "broad"}


def test_the_extractors_reading_of_each_pledge_is_in_the_tables(export: dict[str, Any]) -> None:
    """Type, quantity, deadline year, condition and checkability were in the JSON export only
    (QA, a political scientist replicating a CPP coding from the CSV)."""
    rows = {r["pledge_id"]: r for r in opendata.tables(export)["pledges"]}
    pledges = {p["id"]: p for p in export["pledges"]}
    for pledge_id, row in rows.items():
        read = pledges[pledge_id]["attributes"]
        assert row["commitment_type"] == read.get("type")
        assert row["quantity"] == read.get("quantity")
        assert row["deadline_year"] == read.get("deadline_year")
        assert (row["conditional"], row["checkable"]) == (read["conditional"], read["checkable"])
    assert {r["commitment_type"] for r in rows.values()} >= {"action", "outcome"}
    assert any(r["quantity"] for r in rows.values()) and any(
        r["deadline_year"] for r in rows.values()
    )
    assert {r["checkable"] for r in rows.values()} == {True, False}
    csv_rows = _rows(opendata.package_files(export, "csv")["pledges.csv"])
    header = csv_rows[0]
    assert header[-5:] == [
        "commitment_type",
        "quantity",
        "deadline_year",
        "conditional",
        "checkable",
    ]
    assert "true" in {r[header.index("checkable")] for r in csv_rows[1:]} <= {"true", "false"}
    assert "false" in {r[header.index("conditional")] for r in csv_rows[1:]} <= {"true", "false"}
    # an older store's pledge without the reading: empty cells, not a wrong value
    assert opendata._read_attributes(
        {"precision": "vague", "deadline_year": True}
    ) == dict.fromkeys(["commitment_type", "quantity", "deadline_year", "conditional", "checkable"])


def test_the_party_column_names_the_party_that_made_the_pledge(export: dict[str, Any]) -> None:
    """A tracker of a coalition (M, KD, L) with one party's program: that party's pledges are
    coded as its own, not as the whole coalition's; a pledge with no party keeps the actors."""
    data = copy.deepcopy(export)
    data["trackers"][0]["actors"] = ["M", "KD", "L"]
    own, other = data["pledges"][0], data["pledges"][1]
    own["party"], other["party"] = "M", None
    rows = {r["pledge_id"]: r for r in opendata.tables(data)["pledges"]}
    assert rows[own["id"]]["party"] == "M"
    assert rows[other["id"]]["party"] == "M; KD; L"


def test_the_current_published_verdict_is_the_status() -> None:
    day = {"created_at": "2025-01-10T09:00:00", "as_of": None}
    verdicts = [
        {"id": 1, "pledge_id": 7, "status": "in_the_works", "published": True} | day,
        {"id": 3, "pledge_id": 7, "status": "broken", "published": False} | day,
        {"id": 2, "pledge_id": 7, "status": "kept", "published": True} | day,
        {"id": 4, "pledge_id": 8, "status": "stalled", "published": False} | day,
        {"id": 5, "pledge_id": 9, "status": "kept", "published": True} | day,
        # recorded later about an earlier month: history, not the status (as in the store)
        {"id": 6, "pledge_id": 9, "status": "stalled", "published": True}
        | {"created_at": "2025-02-01T09:00:00+00:00", "as_of": {"value": "2023-05-01"}},
    ]
    current = opendata.current_verdicts(verdicts)
    assert {k: v["status"] for k, v in current.items()} == {7: "kept", 9: "kept"}


def test_the_data_package_validates(export: dict[str, Any], tmp_path: Path) -> None:
    files = opendata.package_files(export, "datapackage", "CC0-1.0")
    opendata.write_package(files, tmp_path / "pkg", export["exported_at"])
    report = validate(tmp_path / "pkg" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    package = json.loads(files["datapackage.json"])
    assert package["licenses"][0]["name"] == "CC0-1.0" and package["sources"]
    # the programs the pledges quote are sources, and the licence says it is not theirs (QA,
    # a political scientist: CC-BY over the manifestos' text, sources naming only Löfte)
    content = opendata.public_content(export)
    quoted = {p["document_id"] for p in content["pledges"]}
    titles = {d["title"] for d in content["documents"] if d["id"] in quoted}
    assert titles and titles <= {s["title"] for s in package["sources"]}
    assert package["description"].endswith(opendata.TEXTS_NOTE)
    pledges = next(r for r in package["resources"] if r["name"] == "pledges")
    assert pledges["schema"]["primaryKey"] == ["pledge_id"]
    assert {
        "fields": ["document_id"],
        "reference": {"resource": "documents", "fields": ["document_id"]},
    } in pledges["schema"]["foreignKeys"]
    assert "(CPP: specificity)" in next(
        f["description"] for f in pledges["schema"]["fields"] if f["name"] == "specificity"
    )


def test_a_headline_without_text_keeps_the_package_valid(
    export: dict[str, Any], tmp_path: Path
) -> None:
    # found by QA: a feed item with a title and no text is stored with an empty body, and the
    # codebook required one, so the package failed validation
    data = copy.deepcopy(export)
    news = next(d for d in data["documents"] if d["kind"] == "news")
    news["body"] = ""
    opendata.write_package(
        opendata.package_files(data, "datapackage"), tmp_path / "pkg", export["exported_at"]
    )
    report = validate(tmp_path / "pkg" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]


def test_validation_catches_a_broken_reference(export: dict[str, Any], tmp_path: Path) -> None:
    """The validation above can fail: evidence naming a pledge that is not in pledges.csv
    (in the package of everything: the public one leaves such a link out)."""
    data = copy.deepcopy(export)
    data["evidence"][0]["pledge_id"] = 999999
    opendata.write_package(
        opendata.package_files(data, "datapackage", include_unpublished=True),
        tmp_path / "pkg",
        export["exported_at"],
    )
    report = validate(tmp_path / "pkg" / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_a_zip_is_the_same_files_and_reproducible(export: dict[str, Any], tmp_path: Path) -> None:
    files = opendata.package_files(export, "datapackage")
    for name in ("a.zip", "b.zip"):
        opendata.write_package(files, tmp_path / name, export["exported_at"])
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == files


def test_docs_codebook_is_made_from_the_codebook() -> None:
    assert (DOCS / "codebook.md").read_text(encoding="utf-8") == opendata.codebook_markdown(), (
        "regenerate: python -m lofte.publish.opendata > docs/codebook.md"
    )


def test_a_file_where_the_folder_should_be_is_a_clear_error(tmp_path: Path) -> None:
    taken = tmp_path / "tables"
    taken.write_text("someone's file", encoding="utf-8")
    with pytest.raises(ValidationError, match="tables: it is a file, not a folder"):
        opendata.write_package({"a.csv": b"x"}, taken, "2024-01-01T00:00:00+00:00")
    assert taken.read_text(encoding="utf-8") == "someone's file"
    with pytest.raises(ValidationError, match=r"cannot write .*missing/x\.zip"):
        opendata.write_package({"a.csv": b"x"}, tmp_path / "missing" / "x.zip", "2024-01-01")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


@pytest.mark.parametrize("name", ["pledges.xlsx", "out.csv", "export.JSON"])
def test_a_folder_is_not_made_under_a_files_name(tmp_path: Path, name: str) -> None:
    """QA, a political scientist: `export --format excel -o pledges.xlsx` made a folder named
    pledges.xlsx (the help promised a workbook), and `-o out.csv` a folder named out.csv."""
    with pytest.raises(ValidationError, match=r"several files.*not an \.xlsx workbook"):
        opendata.write_package({"a.csv": b"x"}, tmp_path / name, "2024-01-01T00:00:00+00:00")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / name).mkdir()  # a folder someone made so named is theirs to use
    opendata.write_package({"a.csv": b"x"}, tmp_path / name, "2024-01-01T00:00:00+00:00")
    assert (tmp_path / name / "a.csv").read_bytes() == b"x"


def test_a_failure_part_way_leaves_the_earlier_tables_whole(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    old = {"pledges.csv": b"old pledges", "verdicts.csv": b"old verdicts"}
    opendata.write_package(old, out, "2024-01-01T00:00:00+00:00")
    # the second file cannot be written (its folder does not exist): as a full disk would
    new = {"pledges.csv": b"new pledges", "sub/verdicts.csv": b"new verdicts"}
    with pytest.raises(ValidationError, match="cannot write the tables into"):
        opendata.write_package(new, out, "2024-01-02T00:00:00+00:00")
    # not a new pledge table beside old verdicts, and nothing temporary left behind
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def _with_a_second_tracker(export: dict[str, Any]) -> dict[str, Any]:
    """The export with a copy of its tracker (new ids, another slug) beside it."""
    shift = 1_000_000
    combined = copy.deepcopy(export)
    (tracker,) = export["trackers"]
    combined["trackers"].append(tracker | {"id": tracker["id"] + shift, "slug": "nasta"})

    def moved(record: dict[str, Any], *keys: str) -> dict[str, Any]:
        return record | {k: record[k] + shift for k in keys if record.get(k) is not None}

    for table, keys in (
        ("sources", ("id", "tracker_id")),
        ("documents", ("id", "tracker_id", "source_id", "duplicate_of")),
        ("pledges", ("id", "tracker_id", "document_id", "parent_id")),
        ("evidence", ("id", "pledge_id", "document_id")),
    ):
        combined[table] += [moved(r, *keys) for r in export[table]]
    combined["verdicts"] += [
        moved(v, "id", "pledge_id") | {"evidence_ids": [i + shift for i in v["evidence_ids"]]}
        for v in export["verdicts"]
    ]
    return combined


def test_one_trackers_part_is_its_open_data_alone(export: dict[str, Any]) -> None:
    """QA at the term's end: the open data mixed every tracker (two terms'); `lofte export
    --tracker` writes one tracker's part, the same tables as a store holding it alone."""
    combined = _with_a_second_tracker(export)
    (slug,) = [t["slug"] for t in export["trackers"]]
    alone = opendata.package_files(export, "datapackage")
    assert opendata.package_files(opendata.of_tracker(combined, slug), "datapackage") == alone
    both = opendata.package_files(combined, "csv")
    assert both["pledges.csv"].count(b"\n") == 2 * alone["pledges.csv"].count(b"\n") - 1
    other = opendata.package_files(opendata.of_tracker(combined, "nasta"), "csv")
    assert other["pledges.csv"] != alone["pledges.csv"]  # the copy's ids
    assert other["pledges.csv"].count(b"\n") == alone["pledges.csv"].count(b"\n")
    with pytest.raises(NotFoundError, match="no tracker named 'nope'"):
        opendata.of_tracker(combined, "nope")
