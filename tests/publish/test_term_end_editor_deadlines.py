"""The editors' pages, the final account and the CLI state a pledge "for the term" as due on
its tracker's own term end too (the public pages and the API do: tests/web/test_term_deadline.py);
they said 30 September while the public page said the tracker's day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.publish import editor_pages, evidence_pages, report
from lofte.store.db import Store, open_store
from lofte.store.schema import PledgeRow, TrackerRow
from tests.review.fixtures import confirmed_pledge_with_evidence

TERM_END = dt.date(2026, 9, 13)


def _for_the_term(store: Store) -> tuple[int, int, str]:
    """(pledge id, document id, tracker slug) of a pledge "under mandatperioden" in a tracker
    whose term ends on TERM_END."""
    pledge_id, _ = confirmed_pledge_with_evidence(store)
    with store.session() as s:
        row = s.get(PledgeRow, pledge_id)
        assert row is not None
        row.attributes = {"deadline": "under mandatperioden", "deadline_year": 2026}
        tracker = s.get(TrackerRow, row.tracker_id)
        assert tracker is not None
        tracker.term_start, tracker.term_end = dt.date(2022, 10, 18), TERM_END
        return pledge_id, row.document_id, tracker.slug


def test_editors_pages_and_the_account_say_the_trackers_term_end(store: Store) -> None:
    pledge_id, document_id, slug = _for_the_term(store)
    due = TERM_END.isoformat()
    with store.session() as s:
        (pledge,) = editor_pages.editor_pledges(s, slug, "confirmed")["pledges"]
        assert pledge["deadline"] == due
        (item,) = editor_pages.review_queue(s, slug)["items"]
        assert item["pledge"]["deadline"] == due
        (own,) = editor_pages.editor_document(s, document_id)["pledges"]
        assert own["deadline"] == due
        (account,) = report.report_data(s, slug, include_draft=True)["pledges"]
        assert account["deadline"] == {"date": due, "source": "term"}
    assert evidence_pages.pledge_search(store, pledge_id)["pledge"]["deadline"] == due


def test_the_cli_shows_the_trackers_term_end(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(db, create=True)
    try:
        pledge_id, _, _ = _for_the_term(store)
    finally:
        store.dispose()
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "deadline", "set", str(pledge_id), "2025-06-30"])
    assert result.exit_code == 0 and "deadline 2025-06-30 (editor)" in result.output
    result = runner.invoke(app, ["--db", db, "deadline", "clear", str(pledge_id)])
    assert result.exit_code == 0, result.output
    assert f"deadline {TERM_END} (term)" in result.output
