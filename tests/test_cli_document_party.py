"""`lofte document edit --party` (cli_editorial.py): a program's party corrected by an editor,
audited, carried to its pledges that had the old one; an empty value clears it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import _pledge_db, run


def _db(tmp_path: Path) -> tuple[str, int]:
    db, pledge_id = _pledge_db(f"sqlite:///{tmp_path / 'l.db'}")
    assert run(db, "tracker", "edit", "sjovik", "--party", "S", "--party", "V")[0] == 0
    # a reviewed pledge: its audited state (version) must still match after the correction
    assert run(db, "pledge", "confirm", str(pledge_id), "--actor", "anna")[0] == 0
    return db, pledge_id


def _pledge_party(db: str, pledge_id: int) -> str | None:
    code, out = run(db, "pledges", "--json")
    assert code == 0, out
    (pledge,) = [p for p in json.loads(out) if p["id"] == pledge_id]
    party = pledge["party"]
    assert party is None or isinstance(party, str)
    return party


def _edits(db: str) -> list[dict[str, object]]:
    from lofte.store import audit
    from lofte.store.db import open_store

    store = open_store(db)
    try:
        with store.session() as s:
            events = [e for e in audit.recent_events(s, limit=50) if e.action == "document.edit"]
            return [dict(e.details, actor=e.actor) for e in reversed(events)]
    finally:
        store.dispose()


def test_document_edit_sets_and_clears_a_program_s_party(tmp_path: Path) -> None:
    db, pledge_id = _db(tmp_path)
    code, out = run(db, "document", "edit", "1", "--party", "v", "--actor", "bo", "--json")
    assert code == 0, out
    assert json.loads(out)["party"] == "V"  # spelled as the tracker spells it
    assert _pledge_party(db, pledge_id) == "V"  # carried to the program's pledge
    code, out = run(db, "document", "edit", "1", "--party", "S", "--actor", "bo")
    assert code == 0 and "party S" in out, out
    assert _pledge_party(db, pledge_id) == "S"
    code, out = run(db, "document", "edit", "1", "--party", "", "--actor", "bo", "--json")
    assert code == 0, out
    assert json.loads(out)["party"] is None  # an empty value clears it
    assert _pledge_party(db, pledge_id) is None
    edits = _edits(db)
    assert [(e["before"], e["after"], e["actor"]) for e in edits] == [
        ({"party": None}, {"party": "V"}, "bo"),
        ({"party": "V"}, {"party": "S"}, "bo"),
        ({"party": "S"}, {"party": None}, "bo"),
    ]
    assert all(e["changed"] == ["party"] for e in edits)
    # the pledge's version rose with each carry, and each event records its new state
    code, out = run(db, "audit", "verify")
    assert code == 0, out


def test_document_edit_refuses_a_party_not_among_the_actors(tmp_path: Path) -> None:
    db, pledge_id = _db(tmp_path)
    code, out = run(db, "document", "edit", "1", "--party", "KD", "--actor", "bo")
    assert code == 1 and "not one of the tracker's actors" in out, out
    assert _pledge_party(db, pledge_id) is None and _edits(db) == []
    code, out = run(db, "document", "edit", "1", "--party", "S", "--actor", "bo")
    assert code == 0, out
    # the same party again changes nothing and records nothing
    assert run(db, "document", "edit", "1", "--party", " s ", "--actor", "bo")[0] == 0
    assert len(_edits(db)) == 1
    code, out = run(db, "document", "edit", "1")
    assert code == 1 and "--party" in out  # named among what can be changed


def test_a_party_is_for_programs(tmp_path: Path) -> None:
    from lofte.store.db import open_store
    from lofte.store.schema import PledgeRow

    db, pledge_id = _db(tmp_path)
    store = open_store(db)
    with store.session() as s:  # a program without pledges can become news
        s.delete(s.get(PledgeRow, pledge_id))
    store.dispose()
    assert run(db, "document", "edit", "1", "--kind", "news", "--actor", "bo")[0] == 0
    code, out = run(db, "document", "edit", "1", "--party", "S", "--actor", "bo")
    assert code == 1 and "a party is for programs" in out, out


def test_a_program_read_again_with_another_party_keeps_the_audit_chain(tmp_path: Path) -> None:
    """QA (review of the withdrawal fix): ingesting a program again with another --party
    carried the party to its pledges and raised their versions without an event, so `audit
    verify` found the confirmed pledge changed outside Löfte (and export refused)."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    program = tmp_path / "program.txt"
    program.write_text(
        "Vi ska bygga 500 nya förskoleplatser i Sjövik.\n\nVi ska sänka taxan för kollektivtrafik.",
        encoding="utf-8",
    )
    assert run(db, "init")[0] == 0
    assert run(db, "tracker", "add", "k", "--actor", "S", "--actor", "V")[0] == 0
    ingest = ["ingest", str(program), "--tracker", "k", "--kind", "program", "--party"]
    assert run(db, *ingest, "S")[0] == 0
    assert run(db, "extract", "--tracker", "k")[0] == 0
    code, out = run(db, "pledges", "--json")
    pledge_ids = [p["id"] for p in json.loads(out)]
    assert code == 0 and pledge_ids, out
    assert run(db, "pledge", "confirm", str(pledge_ids[0]), "--actor", "anna")[0] == 0
    code, out = run(db, *ingest, "V", "--actor", "bertil")
    assert code == 0, out
    assert {_pledge_party(db, p) for p in pledge_ids} == {"V"}
    code, out = run(db, "audit", "verify")
    assert code == 0, out
    (edit,) = _edits(db)
    assert (edit["before"], edit["after"], edit["actor"]) == (
        {"party": "S"},
        {"party": "V"},
        "bertil",  # who read it in again (`lofte` until ingest took --actor)
    )
    assert sorted(p["id"] for p in edit["pledges"]) == pledge_ids


def test_a_program_read_again_with_another_date_is_recorded_as_a_correction(
    tmp_path: Path,
) -> None:
    """QA, a political scientist: `ingest --date 2018-08` of a published program re-dated it
    (and its rated pledges' election year in the open data) with no event and no word, and a
    party the re-read carried to a pledge was missing from the pledge's history. It is now
    what `document edit` records, and the pledge's history lists it; a news item nobody
    cited, re-read with another date, records nothing."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    (tmp_path / "2022" / "08").mkdir(parents=True)  # the folders date it: August 2022
    program, news = tmp_path / "2022" / "08" / "program.txt", tmp_path / "news.txt"
    program.write_text(
        "Vi ska bygga 500 nya förskoleplatser i Sjövik.\n\nVi ska sänka taxan för kollektivtrafik.",
        encoding="utf-8",
    )
    news.write_text("Kommunen har öppnat en ny förskola i Sjövik.", encoding="utf-8")
    assert run(db, "init")[0] == 0
    assert run(db, "tracker", "add", "k", "--actor", "S", "--actor", "V")[0] == 0
    read = ["ingest", str(program), "--tracker", "k", "--kind", "program", "--party", "S"]
    assert run(db, *read)[0] == 0
    assert run(db, "ingest", str(news), "--tracker", "k", "--date", "2023-03")[0] == 0
    assert run(db, "extract", "--tracker", "k")[0] == 0
    code, out = run(db, "pledges", "--json")
    pledge_id = json.loads(out)[0]["id"]
    assert run(db, "pledge", "confirm", str(pledge_id), "--actor", "anna")[0] == 0
    # the same month given by hand is no change of date (review: it was one, and threw away
    # the tracker's link results)
    assert run(db, *read, "--date", "2022-08")[0] == 0
    assert _edits(db) == []
    code, out = run(db, *read[:-1], "V", "--date", "2018-08", "--actor", "bertil")
    assert code == 0, out
    assert run(db, "ingest", str(news), "--tracker", "k", "--date", "2023-04")[0] == 0
    (edit,) = _edits(db)
    assert edit["actor"] == "bertil" and edit["changed"] == ["date", "party"]
    assert (edit["before"]["date"]["value"], edit["after"]["date"]["value"]) == (  # type: ignore[index]
        "2022-08-01",
        "2018-08-01",
    )
    assert (edit["before"]["party"], edit["after"]["party"]) == ("S", "V")  # type: ignore[index]
    code, out = run(db, "pledge", "history", str(pledge_id))
    assert code == 0 and "document.edit" in out and "S → V" in out, out
    code, out = run(db, "audit", "verify")
    assert code == 0, out
