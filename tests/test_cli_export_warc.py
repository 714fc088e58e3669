"""`lofte export --warc FILE`: the archived responses behind the published trackers'
documents (with --include-unpublished, behind every document), one .warc.gz that warcio reads
back record by record."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from lofte.cli import app
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import RawInput
from lofte.store.db import open_store
from lofte.store.schema import ArchivedResponseRow

runner = CliRunner()
PAGES = {
    "https://example.org/a": "<html><body><h1>Simhallen</h1><p>Invigd i dag.</p></body></html>",
    "https://example.org/b": "<html><body><h1>Förskolan</h1><p>Taxan sänks.</p></body></html>",
}


DRAFT_PAGE = "<html><body><h1>Utkastet</h1><p>Inte publicerat.</p></body></html>"


def _ingest(db: str, pages: dict[str, str], tracker: str, day: int = 5) -> None:
    store = open_store(db)
    try:
        for i, (url, page) in enumerate(pages.items()):
            when = dt.datetime(2024, 3, day + i, 9, 0, tzinfo=dt.UTC)
            raw = RawInput(page.encode(), url, "text/html", when, {"etag": f'"{i}"'}, 200)
            assert ingest_raw(store, raw, IngestOptions(tracker=tracker)).error is None
    finally:
        store.dispose()


def _store_with_a_public_and_a_draft_tracker(tmp_path: Path) -> str:
    """Tracker "offentlig" (published) read PAGES, tracker "utkast" (a draft) DRAFT_PAGE."""
    db = f"sqlite:///{tmp_path / 'lofte.db'}"
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    for slug in ("offentlig", "utkast"):
        assert runner.invoke(app, ["--db", db, "tracker", "add", slug]).exit_code == 0
    published = runner.invoke(app, ["--db", db, "tracker", "publish", "offentlig"])
    assert published.exit_code == 0, published.output
    _ingest(db, PAGES, "offentlig")
    _ingest(db, {"https://example.org/utkast": DRAFT_PAGE}, "utkast", day=20)
    return db


def _responses(warc: Path) -> dict[str, bytes]:
    return {
        record.rec_headers.get_header("WARC-Target-URI"): record.content_stream().read()
        for record in ArchiveIterator(io.BytesIO(warc.read_bytes()))
        if record.rec_type == "response"
    }


def test_export_writes_the_archived_responses_as_one_warc(tmp_path: Path) -> None:
    db = _store_with_a_public_and_a_draft_tracker(tmp_path)
    store = open_store(db)
    try:
        local = RawInput(b"En fil utan arkiv.", str(tmp_path / "fil.txt"), "text/plain")
        assert ingest_raw(store, local, IngestOptions(tracker="offentlig")).error is None
    finally:
        store.dispose()
    out, warc = tmp_path / "export.json", tmp_path / "arkiv.warc.gz"
    result = runner.invoke(app, ["--db", db, "export", "-o", str(out), "--warc", str(warc)])
    assert result.exit_code == 0, result.output
    assert "2 archived responses" in " ".join(result.output.split())
    assert len(json.loads(out.read_text(encoding="utf-8"))["documents"]) == 4  # all, drafts too
    found = {}
    for record in ArchiveIterator(io.BytesIO(warc.read_bytes())):
        if record.rec_type == "response":
            url = record.rec_headers.get_header("WARC-Target-URI")
            found[url] = (
                record.rec_headers.get_header("WARC-Date"),
                record.http_headers.get_statuscode(),
                record.content_stream().read(),
            )
    assert found == {
        "https://example.org/a": (
            "2024-03-05T09:00:00Z",
            "200",
            PAGES["https://example.org/a"].encode(),
        ),
        "https://example.org/b": (
            "2024-03-06T09:00:00Z",
            "200",
            PAGES["https://example.org/b"].encode(),
        ),
    }
    store = open_store(db)
    try:
        with store.session() as s:
            query = select(ArchivedResponseRow.url, ArchivedResponseRow.payload_sha256)
            stored = {url: sha for url, sha in s.execute(query)}
    finally:
        store.dispose()
    # the SHA-256 the store keeps beside each record is that of the record's payload
    assert {url: stored[url] for url in found} == {
        url: hashlib.sha256(found[url][2]).hexdigest() for url in found
    }
    assert not list(tmp_path.glob(".arkiv.warc.gz.*"))  # no temporary file left behind


def test_the_warc_holds_a_draft_tracker_s_pages_only_when_asked(tmp_path: Path) -> None:
    db = _store_with_a_public_and_a_draft_tracker(tmp_path)
    public, everything = tmp_path / "offentlig.warc.gz", tmp_path / "allt.warc.gz"
    tables = tmp_path / "tabeller"
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "csv", "-o", str(tables), "--warc", str(public)]
    )
    assert result.exit_code == 0, result.output
    assert _responses(public) == {url: page.encode() for url, page in PAGES.items()}
    assert "warning" not in result.output

    result = runner.invoke(
        app,
        ["--db", db, "export", "-o", str(tmp_path / "e.json")]
        + ["--warc", str(everything), "--include-unpublished"],
    )
    assert result.exit_code == 0, result.output
    assert set(_responses(everything)) == {*PAGES, "https://example.org/utkast"}
    said = " ".join(result.output.split())
    assert "3 archived responses" in said and "not for publication" in said

    # a page both trackers read is one record, and public through the published tracker
    _ingest(db, {"https://example.org/a": PAGES["https://example.org/a"]}, "utkast")
    assert runner.invoke(app, ["--db", db, "export", "--warc", str(public)]).exit_code == 0
    assert set(_responses(public)) == set(PAGES)


def test_include_unpublished_with_json_needs_the_warc(tmp_path: Path) -> None:
    db = _store_with_a_public_and_a_draft_tracker(tmp_path)
    result = runner.invoke(app, ["--db", db, "export", "--include-unpublished"])
    assert result.exit_code == 1
    assert "--warc" in " ".join(result.output.split())


def test_a_failing_export_leaves_no_warc_of_its_own_behind(tmp_path: Path) -> None:
    # QA: `export -o /dev/null --warc arkiv.warc.gz` said "wrote arkiv.warc.gz", then failed on
    # the JSON and exited 1 with the WARC left behind
    db = _store_with_a_public_and_a_draft_tracker(tmp_path)
    warc = tmp_path / "arkiv.warc.gz"
    folder = tmp_path / "en-mapp"
    folder.mkdir()
    result = runner.invoke(app, ["--db", db, "export", "-o", str(folder), "--warc", str(warc)])
    assert result.exit_code == 1 and "it is a folder" in result.output
    assert not warc.exists() and "wrote" not in result.output
    # a failure after the WARC was written (the open data's folder cannot be made) removes it
    blocked = tmp_path / "fil"
    blocked.write_text("x", encoding="utf-8")
    result = runner.invoke(
        app,
        ["--db", db, "export", "--format", "csv", "-o", str(blocked / "ut"), "--warc", str(warc)],
    )
    assert result.exit_code == 1 and not warc.exists(), result.output
