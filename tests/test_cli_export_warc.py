"""`lofte export --warc FILE`: the archived responses behind the exported documents, one
.warc.gz that warcio reads back record by record."""

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


def test_export_writes_the_archived_responses_as_one_warc(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lofte.db'}"
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    store = open_store(db)
    try:
        for i, (url, page) in enumerate(PAGES.items()):
            when = dt.datetime(2024, 3, 5 + i, 9, 0, tzinfo=dt.UTC)
            raw = RawInput(page.encode(), url, "text/html", when, {"etag": f'"{i}"'}, 200)
            assert ingest_raw(store, raw, IngestOptions()).error is None
        local = RawInput(b"En fil utan arkiv.", str(tmp_path / "fil.txt"), "text/plain")
        assert ingest_raw(store, local, IngestOptions()).error is None
    finally:
        store.dispose()
    out, warc = tmp_path / "export.json", tmp_path / "arkiv.warc.gz"
    result = runner.invoke(app, ["--db", db, "export", "-o", str(out), "--warc", str(warc)])
    assert result.exit_code == 0, result.output
    assert "2 archived responses" in " ".join(result.output.split())
    assert len(json.loads(out.read_text(encoding="utf-8"))["documents"]) == 3
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
    assert stored == {url: hashlib.sha256(found[url][2]).hexdigest() for url in found}
    assert not list(tmp_path.glob(".arkiv.warc.gz.*"))  # no temporary file left behind
