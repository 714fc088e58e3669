"""`lofte evidence attach --reason … --passage …`: the editor's reason and chosen passage."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.store import audit
from lofte.store.db import open_store
from tests.review.fixtures import database_with_evidence

runner = CliRunner()
TEXT = "Kommunen meddelar att bygget av simhallen i Norrvik har börjat.\n\nDet regnade i går."


def run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_attach_with_a_reason_and_a_passage(tmp_path: Path) -> None:
    db, pledge_id, _ = database_with_evidence(tmp_path / "cli.db")
    report = tmp_path / "rapport.txt"
    report.write_text(TEXT, "utf-8")
    code, out = run(
        db,
        "evidence",
        "attach",
        str(pledge_id),
        "--file",
        str(report),
        "--passage",
        "det snöade i går",
        "--actor",
        "anna",
    )
    assert code == 1 and "the passage 'det snöade i går' is not in the document" in out
    code, out = run(db, "evidence", "--pledge", str(pledge_id), "--json")
    assert len(json.loads(out)) == 1  # nothing stored by the refused attach
    code, out = run(
        db,
        "evidence",
        "attach",
        str(pledge_id),
        "--file",
        str(report),
        "--passage",
        "bygget av simhallen i Norrvik",
        "--reason",
        "Byggstarten.",
        "--actor",
        "anna",
        "--json",
    )
    assert code == 0, out
    attached = json.loads(out)
    start, end = attached["span"]["start"], attached["span"]["end"]
    assert TEXT[start:end] == "bygget av simhallen i Norrvik"
    store = open_store(db)
    try:
        with store.session() as s:
            event = next(
                e for e in audit.pledge_events(s, pledge_id) if e.action == "evidence.attach"
            )
    finally:
        store.dispose()
    assert event.actor == "anna" and event.details["reason"] == "Byggstarten."
    code, out = run(db, "pledge", "history", str(pledge_id))
    assert code == 0, out
    assert "Byggstarten." in out
