"""The CSV tables and the Data Package hold only what is public (published trackers, confirmed
pledges, accepted evidence, published verdicts); `include_unpublished` gives everything, marked
internal. The JSON export stays whole."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate
from typer.testing import CliRunner

from lofte.cli import app
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import RawInput, VerdictStatus
from lofte.publish import opendata, visibility
from lofte.publish.export import export_database
from lofte.review.pledges import confirm
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store
from tests.web.conftest import Site, build_site

# what must never reach the public tables; each is written into the store once
DRAFT_RATIONALE = "UTKASTMOTIVERING-7f3a"
DRAFT_TRACKER = "HEMLIGBEVAKNING-7f3a"
DRAFT_BODY = "HEMLIGTEXT-7f3a: Vi lovar att bygga en hemlig bro över ån."
MARKERS = ("7f3a", "hemlig")
runner = CliRunner()


@dataclass(frozen=True)
class Setup:
    store: Store
    site: Site
    published_verdict: int
    draft_verdict: int
    secret_pledge: int
    secret_document: int


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'lofte.db'}", create=True)
    try:
        yield _build(store)
    finally:
        store.dispose()


def _build(store: Store) -> Setup:
    """The web tests' published tracker "sjovik" (it shows its candidates on its pages):
    pool confirmed, with a published verdict and a newer draft; trees a candidate; a candidate
    group of two confirmed parts; a rejected pledge; evidence accepted (pool), suggested
    (preschool) and rejected (trees). Beside it a draft tracker with a document, a confirmed
    pledge, an accepted link and a published verdict: none of it is public."""
    site = build_site(store)
    decide_evidence(store, site.ev_pool, True, actor="anna")
    decide_evidence(store, site.ev_trees, False, actor="anna")
    published = set_verdict(
        store, site.pool, VerdictStatus.KEPT, "Simhallen invigdes.", [site.ev_pool], actor="anna"
    )
    draft = set_verdict(
        store,
        site.pool,
        VerdictStatus.BROKEN,
        DRAFT_RATIONALE,
        [site.ev_pool],
        actor="anna",
        draft=True,
    )
    with store.session() as s:
        tracker_store.add_tracker(s, "utkast", DRAFT_TRACKER)
    report = ingest_raw(
        store,
        RawInput(DRAFT_BODY.encode(), "https://example.org/hemlig", "text/plain"),
        IngestOptions(tracker="utkast", title="HEMLIGTITEL-7f3a"),
    )
    assert report.error is None, report.error
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, "utkast")
        (doc,) = document_store.list_documents(s, tracker.id)
        start = DRAFT_BODY.index("Vi lovar")
        found = [
            pledge_store.NewPledge(
                start, len(DRAFT_BODY), DRAFT_BODY[start:], None, {"checkable": True}, 0.9
            )
        ]
        (secret,) = pledge_store.replace_candidates(s, doc, found, "extract", "1").inserted
    confirm(store, secret.id, actor="anna")
    set_verdict(store, secret.id, VerdictStatus.IN_THE_WORKS, "hemlig motivering", actor="anna")
    return Setup(store, site, published.id, draft.id, secret.id, doc.id)


@pytest.fixture(scope="module")
def export(setup: Setup) -> dict[str, Any]:
    with setup.store.session() as s:
        return export_database(s)


def _table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"), newline="")))


def _ids(files: dict[str, bytes], name: str, column: str) -> set[int]:
    return {int(r[column]) for r in _table(files, name)}


def test_the_public_tables_hold_nothing_unpublished(
    setup: Setup, export: dict[str, Any], tmp_path: Path
) -> None:
    site = setup.site
    files = opendata.package_files(export, "datapackage")
    # foreign keys hold although rows were left out (a part whose group is a candidate)
    opendata.write_package(files, tmp_path / "pkg", export["exported_at"])
    report = validate(tmp_path / "pkg" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    for name, data in files.items():
        if name != "codebook.json":  # the codebook describes the columns, not the rows
            text = data.decode("utf-8").lower()
            assert not [m for m in MARKERS if m.lower() in text], name
    assert _ids(files, "pledges", "pledge_id") == {site.pool, *site.children}
    pledges = {int(r["pledge_id"]): r for r in _table(files, "pledges")}
    assert {r["review_state"] for r in pledges.values()} == {"confirmed"}
    # the pool's status is its newest published verdict, not the newer draft
    assert (pledges[site.pool]["status"], pledges[site.pool]["verdict_id"]) == (
        "kept",
        str(setup.published_verdict),
    )
    # the parts of a candidate group keep no reference to it (it is not in the table)
    assert {pledges[c]["parent_id"] for c in site.children} == {""}
    assert _ids(files, "evidence", "evidence_id") == {site.ev_pool}
    verdicts = _table(files, "verdicts")
    assert [int(v["verdict_id"]) for v in verdicts] == [setup.published_verdict]
    assert verdicts[0]["published"] == "true" and verdicts[0]["author"] == ""
    assert _ids(files, "documents", "document_id") == set(site.news.values())
    package = json.loads(files["datapackage.json"])
    assert package["title"] == "Election pledges and their fulfilment: Sjövik 2022–2026"
    assert opendata.INTERNAL_TITLE not in json.dumps(package)


def test_the_public_trackers_are_the_public_pages_ones(
    setup: Setup, export: dict[str, Any]
) -> None:
    with setup.store.session() as s:
        public = {t.slug for t in visibility.public_trackers(s)}
    documents = _table(opendata.package_files(export, "csv"), "documents")
    assert public == {"sjovik"} == {d["tracker"] for d in documents}


def test_include_unpublished_gives_everything_marked_internal(
    setup: Setup, export: dict[str, Any], tmp_path: Path
) -> None:
    files = opendata.package_files(export, "datapackage", include_unpublished=True)
    for table in ("pledges", "evidence", "verdicts", "documents"):
        assert len(_table(files, table)) == len(export[table]), table
    everything = b"".join(files.values()).decode("utf-8")
    assert DRAFT_RATIONALE in everything and "HEMLIGTEXT-7f3a" in everything
    package = json.loads(files["datapackage.json"])
    assert package["title"].startswith(opendata.INTERNAL_TITLE)
    assert DRAFT_TRACKER in package["title"]
    assert package["description"].startswith(opendata.INTERNAL_TITLE)
    # said in the CSV and Excel flavours too, which have no datapackage.json (QA: a folder
    # passed on looked like the public one)
    for flavour in ("csv", "excel", "datapackage"):
        marked = opendata.package_files(export, flavour, include_unpublished=True)
        assert opendata.INTERNAL_TITLE in marked[opendata.INTERNAL_FILE].decode("utf-8")
        notice = json.loads(marked["codebook.json"])["notice"]
        assert notice.startswith(opendata.INTERNAL_TITLE)
        public = opendata.package_files(export, flavour)
        assert opendata.INTERNAL_FILE not in public
        assert "notice" not in json.loads(public["codebook.json"])
    # the public tables written over an internal folder take its mark away (review)
    folder = tmp_path / "reused"
    opendata.write_package(files, folder, export["exported_at"])
    assert (folder / opendata.INTERNAL_FILE).is_file()
    opendata.write_package(opendata.package_files(export, "csv"), folder, export["exported_at"])
    assert not (folder / opendata.INTERNAL_FILE).exists()
    # and its datapackage.json, which still said internal and described the old tables (QA)
    assert not (folder / opendata.DATAPACKAGE_FILE).exists()
    # a datapackage.json that is not Löfte's stays (review: `-o .` in a project folder)
    theirs = b'{"name": "our-own-package"}'
    (folder / opendata.DATAPACKAGE_FILE).write_bytes(theirs)
    opendata.write_package(opendata.package_files(export, "csv"), folder, export["exported_at"])
    assert (folder / opendata.DATAPACKAGE_FILE).read_bytes() == theirs
    opendata.write_package(files, tmp_path / "pkg", export["exported_at"])
    assert validate(tmp_path / "pkg" / "datapackage.json").valid


def test_the_cli_writes_the_public_tables_and_warns_on_everything(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = setup.store.url
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "csv", "-o", str(tmp_path / "a")]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "3 pledges, 1 evidence, 1 verdicts" in out and "internal" not in out
    assert DRAFT_RATIONALE not in (tmp_path / "a" / "verdicts.csv").read_text(encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "--db",
            db,
            "export",
            "--format",
            "csv",
            "--include-unpublished",
            "-o",
            str(tmp_path / "b"),
        ],
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "warning:" in out and "not for publication" in out
    assert DRAFT_RATIONALE in (tmp_path / "b" / "verdicts.csv").read_text(encoding="utf-8")
    # the JSON export is the transfer format: whole, and the option does not apply to it
    result = runner.invoke(app, ["--db", db, "export", "--include-unpublished"])
    assert result.exit_code == 1 and "always holds everything" in " ".join(result.output.split())
    result = runner.invoke(app, ["--db", db, "export"])
    assert result.exit_code == 0 and DRAFT_RATIONALE in result.stdout
    assert "no tracker is published" not in " ".join(result.output.split())
    # with nothing published the tables are empty, and it says why (QA, a political scientist)
    assert runner.invoke(app, ["--db", db, "tracker", "unpublish", "sjovik"]).exit_code == 0
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "csv", "-o", str(tmp_path / "c")]
    )
    out = " ".join(result.output.split())
    assert result.exit_code == 0 and "0 pledges" in out, out
    assert "note: no tracker is published, so the public tables are empty (2 draft)" in out
