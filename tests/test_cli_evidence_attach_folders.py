"""`lofte evidence attach --file`: a file is read as `lofte ingest` reads it (QA)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from tests.review.fixtures import database_with_evidence

runner = CliRunner()


def test_attach_file_dates_and_files_it_by_its_folders_as_ingest_does(tmp_path: Path) -> None:
    """QA: `--file …/pressmeddelanden/2024/01/x.md` was stored with the year 2024 inferred
    from its text (confidence 0.42) and no category; `lofte ingest` gives the month from the
    folders and the category `pressmeddelanden`."""
    db, pledge_id, _ = database_with_evidence(tmp_path / "cli.db")
    month = tmp_path / "regeringen" / "pressmeddelanden" / "2024" / "01"
    month.mkdir(parents=True)
    news = month / "simhallen.md"
    news.write_text(
        "# Simhallen byggs\n\nBygget av simhallen i Norrvik har börjat 2024.\n", "utf-8"
    )
    args = ["--db", db, "evidence", "attach", str(pledge_id), "--file", str(news), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document_id = json.loads(result.output)["document_id"]
    result = runner.invoke(app, ["--db", db, "documents", "--json"])
    (doc,) = [d for d in json.loads(result.output) if d["id"] == document_id]
    assert doc["category"] == "pressmeddelanden" and doc["kind"] == "news"
    assert doc["date"] == {
        "value": "2024-01-01",
        "precision": "month",
        "provenance": "path",
        "confidence": 1.0,
    }
