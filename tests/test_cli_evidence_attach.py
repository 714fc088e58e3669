"""`lofte evidence attach`: a document, a file; the listing still works beside it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.store.db import open_store
from tests.review.fixtures import database_with_evidence, pledge_with_evidence

runner = CliRunner()


def run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_evidence_attach_from_the_cli(tmp_path: Path) -> None:
    db, pledge_id, evidence_id = database_with_evidence(tmp_path / "cli.db")
    report = tmp_path / "rapport.txt"
    report.write_text("Bygget av simhallen i Norrvik har börjat, meddelar kommunen.", "utf-8")
    code, out = run(
        db, "evidence", "attach", str(pledge_id), "--file", str(report), "--actor", "anna"
    )
    assert code == 0, out
    assert "attached as evidence of pledge" in out
    code, out = run(db, "evidence", "--pledge", str(pledge_id), "--json")
    assert code == 0, out
    listed = json.loads(out)
    attached = [e for e in listed if e["id"] != evidence_id]
    assert len(attached) == 1 and attached[0]["review_state"] == "accepted"
    # the linker's suggestion of the same pledge: accepted by attaching its document
    doc = next(e["document_id"] for e in listed if e["id"] == evidence_id)
    code, out = run(db, "evidence", "attach", str(pledge_id), "--document", str(doc), "--json")
    assert code == 0, out
    assert json.loads(out)["id"] == evidence_id
    code, out = run(db, "evidence", "attach", str(pledge_id), "--document", str(doc))
    assert code == 1 and "already evidence" in out
    code, out = run(db, "evidence", "attach", str(pledge_id), "--url", "ftp://x.example/")
    assert code == 1 and "ftp://x.example/" in out
    code, out = run(db, "evidence", "attach", str(pledge_id))
    assert code == 1 and "exactly one" in out
    code, out = run(db, "audit", "verify")
    assert code == 0 and "OK" in out, out


def test_attaching_a_document_from_before_the_term_warns(tmp_path: Path) -> None:
    import datetime as dt

    from lofte.store.schema import TrackerRow

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(db, create=True)
    try:
        pledge_id, _ = pledge_with_evidence(store)
        with store.session() as s:
            s.query(TrackerRow).filter_by(slug="sjovik").one().term_start = dt.date(2022, 10, 15)
    finally:
        store.dispose()
    old = tmp_path / "gammal.txt"
    old.write_text("Simhallen i Norrvik får vänta, meddelar kommunen.", "utf-8")
    code, out = run(db, "ingest", str(old), "--tracker", "sjovik", "--date", "2019-04")
    assert code == 0, out
    code, out = run(db, "documents", "--json")
    doc = max(d["id"] for d in json.loads(out))  # the one just ingested
    code, out = run(db, "evidence", "attach", str(pledge_id), "--document", str(doc))
    assert code == 0, out
    assert f"warning: document {doc} is dated before the program or outside" in out
    assert "attached as evidence of pledge" in out
