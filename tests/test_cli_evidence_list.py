"""`lofte evidence`: each row shows what an editor decides by (the document's title and date,
the pledge and its text, score, state), the title escaped for the terminal; `--json` stays the
evidence record, byte for byte as the API and the export give it (tests/web/test_one_record.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.store.db import open_store
from lofte.store.schema import DocumentRow, EvidenceRow
from tests.review.fixtures import NEWS, PROGRAM, pledge_with_evidence

runner = CliRunner()

TITLE = "Simhallen i Norrvik invigd \x1b[31m" + "med bad och bastu för alla " * 6


def _db(tmp_path: Path) -> tuple[str, int, int]:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(db, create=True)
    try:
        pledge_id, evidence_id = pledge_with_evidence(store)
        with store.session() as s:
            ev = s.get(EvidenceRow, evidence_id)
            assert ev is not None
            doc = s.get(DocumentRow, ev.document_id)
            assert doc is not None and doc.body == NEWS
            doc.title = TITLE
            doc.date_value = dt.date(2024, 5, 3)
            doc.date_precision = "day"
            doc.date_provenance = "explicit"
    finally:
        store.dispose()
    return db, pledge_id, evidence_id


def test_evidence_rows_show_title_date_and_pledge_text(tmp_path: Path) -> None:
    db, pledge_id, evidence_id = _db(tmp_path)
    result = runner.invoke(app, ["--db", db, "evidence"])
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.stdout.splitlines() if line.startswith(f"│ {evidence_id} ")]
    assert "2024-05-03" in row
    assert "Simhallen i Norrvik invigd \\x1b[31mmed bad" in row  # escaped, not a colour code
    assert "\x1b" not in result.stdout
    assert "…" in row and row.count("bastu") < TITLE.count("bastu")  # shortened
    assert f"│ {pledge_id} " in row
    assert PROGRAM[:30] in row
    assert "0.90" in row and "suggested" in row


def test_evidence_json_is_the_evidence_record(tmp_path: Path) -> None:
    db, pledge_id, evidence_id = _db(tmp_path)
    result = runner.invoke(app, ["--db", db, "evidence", "--json"])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    assert set(item) == {
        "id",
        "pledge_id",
        "document_id",
        "span",
        "score",
        "features",
        "stance",
        "review_state",
        "provenance",
        "created_at",
        "modified_at",
    }
    assert item["id"] == evidence_id and item["pledge_id"] == pledge_id


def test_evidence_of_a_pledge_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    db, pledge_id, _ = _db(tmp_path)
    shown = runner.invoke(app, ["--db", db, "evidence", "--pledge", str(pledge_id)])
    assert shown.exit_code == 0, shown.output
    missing = runner.invoke(app, ["--db", db, "evidence", "--pledge", str(pledge_id + 999)])
    assert missing.exit_code == 1
    assert f"no pledge with id {pledge_id + 999}" in missing.output
    assert "┃" not in missing.output  # no empty table that reads as "no evidence yet"


def test_the_link_line_counts_the_documents_left_out_by_their_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: a national tracker's first month (October 2022, a month straddling the term's
    start) was left out without a word; the line now says how many documents the date rules
    left out, and says nothing when there are none."""
    from lofte.cli_evidence import _print_link_reports
    from lofte.linking import LinkReport

    _print_link_reports([LinkReport("k", pledges=3, documents_scored=10, documents_out_of_dates=4)])
    out = " ".join(capsys.readouterr().out.split())
    assert "k: 0 suggestions from 10 new documents" in out
    assert "4 of the documents left out by their dates" in out
    _print_link_reports([LinkReport("k", pledges=3, documents_scored=10)])
    assert "left out" not in capsys.readouterr().out


def test_the_link_line_says_how_many_suggestions_are_new_and_gone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Review: "8 suggestions" after a run that found 8 pairs again read as 8 new ones, and
    suggestions deleted because no longer found were not reported."""
    from lofte.cli_evidence import _print_link_reports
    from lofte.linking import LinkReport

    _print_link_reports([LinkReport("k", suggestions=8, suggestions_new=2, suggestions_gone=1)])
    out = " ".join(capsys.readouterr().out.split())
    assert "k: 8 suggestions from" in out
    assert "2 new ones, 1 earlier ones no longer found" in out
    _print_link_reports([LinkReport("k", suggestions=8, suggestions_new=8)])  # all new
    assert "new ones" not in capsys.readouterr().out
