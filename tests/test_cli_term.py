"""`lofte deadline set|clear` and `lofte term worklist` (cli_term.py)."""

from __future__ import annotations

import csv
import io
import json

from lofte.store.db import open_store
from lofte.store.schema import PledgeRow, TrackerRow
from tests.test_cli import _actors, _pledge_db, run


def _slug(db: str) -> str:
    code, out = run(db, "tracker", "list", "--json")
    assert code == 0, out
    return str(json.loads(out)[0]["slug"])


def test_deadline_set_and_clear_with_the_version(db_url: str) -> None:
    db, pledge_id = _pledge_db(db_url)
    code, out = run(db, "deadline", "set", str(pledge_id), "2020-05-01", "--actor", "anna")
    assert code == 0, out
    assert "deadline 2020-05-01 (editor)" in out and "version 2" in out
    code, out = run(db, "deadline", "set", str(pledge_id), "2021-01-01", "--version", "1")
    assert code == 1 and "changed" in out, out  # a stale version is refused
    code, out = run(db, "deadline", "set", str(pledge_id), "1 maj 2020")
    assert code == 1 and "YYYY-MM-DD" in out
    code, out = run(db, "deadline", "clear", str(pledge_id), "--actor", "bo", "--version", "2")
    assert code == 0 and "deadline none" in out, out
    code, out = run(db, "deadline", "clear", str(pledge_id))
    assert code == 1 and "no deadline" in out
    assert [a for a in _actors(db) if a[0] == "pledge.deadline"] == [
        ("pledge.deadline", "anna"),
        ("pledge.deadline", "bo"),
    ]


def test_term_worklist_in_text_csv_and_json(db_url: str) -> None:
    db, pledge_id = _pledge_db(db_url)
    slug = _slug(db)
    store = open_store(db)
    with store.session() as s:
        row = s.get(PledgeRow, pledge_id)
        row.area = "Förskola"
        row.attributes = {"deadline_year": 2020}
        row.state = "confirmed"  # the worklist is of confirmed pledges
        s.get(TrackerRow, row.tracker_id).term_end = None
    store.dispose()
    code, out = run(db, "term", "worklist", slug)
    assert code == 0, out
    assert "no end date" in out and "1 open" in out and "OVERDUE deadline 2020-12-31" in out
    code, out = run(db, "term", "worklist", slug, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["term_ended"] is False and data["term_end"] is None
    assert data["pledges"][0]["pledge_id"] == pledge_id
    assert data["pledges"][0]["overdue"] is True
    assert data["pledges"][0]["deadline_source"] == "text"
    code, out = run(db, "term", "worklist", slug, "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["pledge_id"], r["area"], r["status"]) for r in rows] == [
        (str(pledge_id), "Förskola", "not_rated")
    ]
    code, out = run(db, "term", "worklist", "nowhere")
    assert code == 1 and "nowhere" in out
