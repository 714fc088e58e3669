"""`lofte import`: export → import → export gives the same bytes, the audit chain included, and
bad input or a non-empty store is refused with nothing written."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lofte.demo import build_demo
from lofte.errors import AuditError, ConflictError, StoreError, ValidationError
from lofte.publish import importer, opendata
from lofte.publish.export import export_database, load_schema
from lofte.review.audit import verify
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store
from lofte.store.imports import nonempty_tables

EPOCH = "1767225600"  # 2026-01-01: fixes `exported_at`, so two exports can be compared as bytes


def _bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The JSON export of the demo (built in SQLite), with its audit chain."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    store = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    try:
        with store.session() as s:
            yield export_database(s)
    finally:
        store.dispose()
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _export(store: Store) -> dict[str, Any]:
    with store.session() as s:
        return export_database(s)


def test_the_demo_round_trips_exactly(demo_export: dict[str, Any], store: Store) -> None:
    assert demo_export["audit"]["events"] > 0 and demo_export["verdicts"]  # a real chain to carry
    jsonschema.validate(demo_export, load_schema())
    report = importer.import_export(store, copy.deepcopy(demo_export))
    assert report.counts["pledges"] == len(demo_export["pledges"])
    assert report.head is not None and report.head.hash == demo_export["audit"]["head"]["hash"]
    with store.session() as s:
        check = verify(s)
    assert check.ok, check.problems
    again = _export(store)  # refuses to export unless the imported chain verifies
    assert _bytes(again) == _bytes(demo_export)
    for fmt in ("csv", "datapackage"):  # the open-data files follow, being made from the JSON
        assert opendata.package_files(again, fmt) == opendata.package_files(demo_export, fmt)


def test_an_imported_store_keeps_working(demo_export: dict[str, Any], store: Store) -> None:
    """New rows after an import get new ids (PostgreSQL's sequences moved past the imported
    ones), and an editor's change is audited on top of the imported chain."""
    from lofte.model import VerdictStatus
    from lofte.review.verdicts import set_verdict

    importer.import_export(store, copy.deepcopy(demo_export))
    with store.session() as s:
        tracker = tracker_store.add_tracker(s, "ny", "Ny")
    assert tracker.id > max(t["id"] for t in demo_export["trackers"])
    pledge = next(p["id"] for p in demo_export["pledges"] if p["state"] == "confirmed")
    verdict = set_verdict(store, pledge, VerdictStatus.IN_THE_WORKS, "Pågår.", [], actor="anna")
    assert verdict.id > max(v["id"] for v in demo_export["verdicts"])
    with store.session() as s:
        check = verify(s)
    assert check.ok, check.problems
    assert check.events == demo_export["audit"]["events"] + 1


def _assert_empty(store: Store) -> None:
    with store.session() as s:
        assert nonempty_tables(s) == []


def test_a_store_with_content_is_refused(demo_export: dict[str, Any], store: Store) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "redan-har", "Redan här")
    with pytest.raises(ConflictError, match="needs an empty store.*trackers"):
        importer.import_export(store, copy.deepcopy(demo_export))
    with store.session() as s:
        assert [t.slug for t in tracker_store.list_trackers(s)] == ["redan-har"]


def test_a_tracker_added_between_the_emptiness_check_and_the_writes_stops_the_import(
    demo_export: dict[str, Any], sqlite_store: Store
) -> None:
    # the import counted the tables, then wrote, without the write lock: another writer in
    # between (a second import, an ingest) passed the same check, and the import deleted its
    # tracker ("the bare one of `lofte init`") and wrote the export over what was there
    from ..interleave import meanwhile

    def add() -> object:
        with sqlite_store.session() as s:
            return tracker_store.add_tracker(s, "redan-har", "Redan här")

    with meanwhile(sqlite_store, add) as seen, pytest.raises(ConflictError, match="trackers"):
        importer.import_export(sqlite_store, copy.deepcopy(demo_export))
    assert seen
    with sqlite_store.session() as s:
        assert [t.slug for t in tracker_store.list_trackers(s)] == ["redan-har"]
        assert nonempty_tables(s) == ["trackers"]


def test_the_bare_tracker_of_lofte_init_is_replaced(
    demo_export: dict[str, Any], store: Store
) -> None:
    with store.session() as s:
        tracker_store.ensure_tracker(s, "default")
    importer.import_export(store, copy.deepcopy(demo_export), init_tracker="default")
    assert _bytes(_export(store)) == _bytes(demo_export)


@pytest.mark.parametrize(
    "text, message",
    [
        (b"\x89PNG\r\n", "not a Löfte export"),
        (b"[1, 2]", "not a Löfte export"),
        (b'{"schema": "https://example.org/other"}', "not a Löfte export"),
        # a backup given to import (QA, an admin moving to PostgreSQL): restore is named
        (b"SQLite format 3\x00\x10\x00", r"not an export: .* `lofte restore .*in\.json`"),
        (b"PGDMP\x01\x0e\x00", "pg_dump archive, not an export"),
    ],
)
def test_what_is_not_an_export_is_refused(tmp_path: Path, text: bytes, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(text)
    with pytest.raises(ValidationError, match=message):
        importer.read_export(path)


def _broken(export: dict[str, Any], how: str) -> dict[str, Any]:
    data = copy.deepcopy(export)
    if how == "version":
        data["schema_version"] = "2.0"
    elif how == "newer":
        data["schema_version"] = "1.99"
    elif how == "schema":
        data["pledges"][0]["state"] = "maybe"
    elif how == "event":  # an event's content edited after export: its hash no longer fits
        data["audit"]["log"][0]["actor"] = "mallory"
    elif how == "unverified":
        data["audit"]["verified"] = False
        data["audit"]["problems"] = ["verdict 1: differs"]
    elif how == "no-log":  # a 1.1 export: names events it does not carry
        del data["audit"]["log"]
        data["schema_version"] = "1.1"
    elif how == "duplicate":
        data["evidence"].append(copy.deepcopy(data["evidence"][0]))
    elif how == "script-url":  # a page would link it
        data["documents"][0]["url"] = "javascript:alert(1)"
    elif how == "data-origin":
        data["sources"][0]["origin"] = "data:text/html,<script>alert(1)</script>"
    elif how == "tampered":  # a whole chain, but a row changed beside it (QA)
        verdict = data["verdicts"][0]
        verdict["status"] = "kept" if verdict["status"] != "kept" else "broken"
    elif how == "dangling":  # passes every check, fails in the database half-way
        data["verdicts"][-1]["pledge_id"] = 10**6
    return data


@pytest.mark.parametrize(
    "how, error, message",
    [
        ("version", ValidationError, "schema version 2.0; this Löfte imports versions 1.0 to 1."),
        ("newer", ValidationError, "schema version 1.99"),
        ("schema", ValidationError, "does not match the export schema.*pledges/0/state"),
        ("event", AuditError, "not a whole chain"),
        ("unverified", AuditError, "--allow-unverified"),
        ("no-log", ValidationError, "does not carry them"),
        ("duplicate", ValidationError, "evidence with the same id"),
        ("script-url", ValidationError, "export schema.*documents/0/url"),
        ("data-origin", ValidationError, "export schema.*sources/0/origin"),
        ("dangling", StoreError, "the database refused"),
        ("tampered", AuditError, "does not match its audit log.*verdict"),
    ],
)
def test_bad_input_writes_nothing(
    demo_export: dict[str, Any], store: Store, how: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        importer.import_export(store, _broken(demo_export, how))
    _assert_empty(store)


def test_read_export_checks_the_file(demo_export: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_bytes(_bytes(_broken(demo_export, "version")))
    with pytest.raises(ValidationError, match=r"old\.json is an export in schema version 2\.0"):
        importer.read_export(path)
    path.write_bytes(_bytes(demo_export))
    assert importer.read_export(path) == demo_export


def test_the_plan_rebuilds_authors_and_versions(demo_export: dict[str, Any]) -> None:
    """Accounts come back under the ids the log recorded, disabled; pledge versions as the log
    last recorded them (what `audit verify` compares)."""
    rows = importer.plan_import(demo_export, demo_export["audit"]["log"])
    authors = {v["author"] for v in demo_export["verdicts"]}
    assert {u["username"] for u in rows.users} == authors
    assert all(u["disabled"] and not u["password_hash"].startswith("$argon2") for u in rows.users)
    recorded = {}
    for event in demo_export["audit"]["log"]:
        for state in event["details"].get("pledges") or []:
            recorded[state["id"]] = state["version"]
    versions = {p["id"]: p["version"] for p in rows.pledges}
    assert recorded and all(versions[i] == v for i, v in recorded.items())
    assert max(versions.values()) > 1


def test_into_another_dialect(demo_export: dict[str, Any], store: Store, tmp_path: Path) -> None:
    """Imported on one database kind, exported and imported on SQLite: still the same bytes."""
    importer.import_export(store, copy.deepcopy(demo_export))
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}", create=True)
    try:
        importer.import_export(other, _export(store))
        assert _bytes(_export(other)) == _bytes(demo_export)
    finally:
        other.dispose()


def test_an_editor_deadline_round_trips_and_no_webhook_secret_is_exported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export 1.4 carries a pledge's editor-set deadline through an import; subscriptions
    (addresses, webhook secrets) are no open data and stay out of the export."""
    import datetime as dt
    import hashlib

    from argon2 import PasswordHasher
    from sqlalchemy import select

    from lofte.review import users
    from lofte.review.deadlines import set_deadline
    from lofte.store.schema import DocumentRow, SubscriptionRow
    from tests.web.conftest import build_site

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    source = open_store(f"sqlite:///{tmp_path / 'source.db'}", create=True)
    try:
        site = build_site(source)
        set_deadline(source, site.pool, dt.date(2026, 6, 30), actor="anna")
        anna = next(u for u in users.list_users(source) if u.username == "anna")
        with source.session() as s:
            tracker_id = tracker_store.get_tracker(s, site.slug).id
            for doc in s.scalars(select(DocumentRow)):  # the fixture's hashes are names
                doc.content_hash = hashlib.sha256(doc.content_hash.encode()).hexdigest()
            s.add(
                SubscriptionRow(
                    user_id=anna.id,
                    tracker_id=tracker_id,
                    email="anna@example.org",
                    webhook_url="https://hooks.example.org/x",
                    webhook_secret="hemlig-nyckel-123",
                )
            )
        data = _export(source)
    finally:
        source.dispose()
    text = json.dumps(data, ensure_ascii=False)
    assert "hemlig-nyckel-123" not in text and "anna@example.org" not in text
    jsonschema.validate(data, load_schema())
    assert data["schema_version"] == "1.6"
    by_id = {p["id"]: p for p in data["pledges"]}
    assert by_id[site.pool]["deadline"] == "2026-06-30"
    assert by_id[site.trees]["deadline"] is None
    importer.import_export(store, copy.deepcopy(data))
    again = _export(store)
    assert _bytes(again) == _bytes(data)
    table = opendata.package_files(again, "csv")["pledges.csv"].decode()
    (row,) = [r for r in csv.DictReader(io.StringIO(table)) if r["pledge_id"] == str(site.pool)]
    assert (row["deadline"], row["deadline_text"]) == ("2026-06-30", "")  # no words in its text


def test_repeated_ids_are_found_in_linear_time() -> None:
    """The same-id check of an export counts each id once (a store of 100,000 documents is one
    export): ids are compared a few times each, not each with every other (counting each id
    in the whole list was quadratic). Counted comparisons, not a timing: it cannot flake."""
    compared = 0

    class Id(int):
        def __eq__(self, other: object) -> bool:
            nonlocal compared
            compared += 1
            return int(self) == other

        __hash__ = int.__hash__

    def records(n: int) -> list[dict[str, Any]]:
        return [{"id": Id(i)} for i in range(n)] + [{"id": Id(7)}, {"id": [1]}, {"id": [1]}, "x"]

    assert importer.repeated_ids(records(50)) == [7, "[1]"]
    for n in (2_000, 16_000):
        compared = 0
        assert importer.repeated_ids(records(n)) == [7, "[1]"]
        assert compared < 10, (n, compared)  # a count per id: n x n comparisons


def test_an_imported_store_can_be_backed_up_and_restored(
    demo_export: dict[str, Any], store: Store, tmp_path: Path
) -> None:
    """QA: the backup called an import's empty raw inputs (an export carries no bytes)
    damaged, so a store moved by export and import could never be backed up."""
    from lofte.store.backup import backup, restore

    importer.import_export(store, copy.deepcopy(demo_export))
    backup(store, tmp_path / "imported.backup")
    with store.session() as s:
        tracker_store.add_tracker(s, "efter", "Efter säkerhetskopian")
    restore(store, tmp_path / "imported.backup")
    with store.session() as s:
        assert "efter" not in {t.slug for t in tracker_store.list_trackers(s)}
        check = verify(s)
    assert check.ok, check.problems


def test_ids_the_imported_log_names_are_not_given_again(store: Store, tmp_path: Path) -> None:
    """Review: an export holds only the accounts that authored verdicts, and none of the
    deleted rows; the next account made after the import took the id (and so the history)
    of one the imported log names."""
    from lofte.model import Role
    from lofte.review import users

    source = open_store(f"sqlite:///{tmp_path / 'source.db'}", create=True)
    users.add_user(source, "anna", "ett långt lösenord", Role.ADMIN, actor="tester")
    bo = users.add_user(source, "bo", "ett långt lösenord", Role.EDITOR, actor="anna")
    carl = users.add_user(source, "carl", "ett långt lösenord", Role.EDITOR, actor="anna")
    users.remove_user(source, "carl", actor="anna")
    exported = _export(source)
    source.dispose()
    importer.import_export(store, exported)
    cecilia = users.add_user(store, "cecilia", "ett långt lösenord", Role.VIEWER, actor="anna")
    assert cecilia.id > carl.id > bo.id
    with store.session() as s:
        assert verify(s).ok
