"""The JSON export validates against the shipped schema, with every record kind present."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import jsonschema
import pytest

from lofte.model import DatePrecision, DateProvenance, DateValue, SourceKind
from lofte.publish.export import export_database, load_schema
from lofte.store import audit
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow, UserRow, VerdictRow


def _fill(store: Store) -> None:
    with store.session() as s:
        t = tracker_store.ensure_tracker(s, "sjovik")
        src = tracker_store.ensure_source(s, t.id, "Valprogram", SourceKind.PROGRAM)
        sha = document_store.put_raw(s, b"program", "text/plain")
        doc = DocumentRow(
            tracker_id=t.id,
            source_id=src.id,
            kind="program",
            origin="demo/p.txt",
            item_key="0",
            title="Valprogram",
            body="Vi ska bygga 500 förskoleplatser.",
            content_hash="a" * 64,
            raw_sha256=sha,
            stage="parse:plaintext",
            stage_version="1",
        )
        document_store.set_document_date(
            doc, DateValue(dt.date(2022, 8, 1), DatePrecision.MONTH, DateProvenance.EXPLICIT)
        )
        s.add(doc)
        s.flush()
        pledge = PledgeRow(
            tracker_id=t.id,
            document_id=doc.id,
            start=3,
            end=33,
            quote=doc.body[3:33],
            area="Förskola",
            attributes={"quantity": "500"},
            confidence=0.9,
            stage="extract",
            stage_version="1",
        )
        s.add(pledge)
        s.flush()
        ev = EvidenceRow(
            pledge_id=pledge.id,
            document_id=doc.id,
            start=0,
            end=5,
            score=0.7,
            features={"terms": ["förskol"]},
            stage="link",
            stage_version="1",
        )
        user = UserRow(username="redaktor", password_hash="x", role="editor")
        s.add_all([ev, user])
        s.flush()
        # as review.users.add_user records it: an account no event records does not verify
        audit.record_event(
            s, "user.add", "user", user.id, "test", username="redaktor", role="editor"
        )
        verdict = VerdictRow(
            pledge_id=pledge.id,
            status="in_the_works",
            rationale="Budget 2024",
            evidence_ids=[ev.id],
            author_id=user.id,
        )
        s.add(verdict)
        s.flush()
        # as review.verdicts.set_verdict records it, so the store verifies
        audit.record_event(
            s,
            "verdict.set",
            "pledge",
            pledge.id,
            user.username,
            verdict=audit.verdict_state(verdict, user.username),
            pledges=[audit.pledge_state(pledge)],
        )


def test_export_validates_against_the_schema(store: Store) -> None:
    _fill(store)
    with store.session() as s:
        data = export_database(s)
    jsonschema.validate(data, load_schema())
    assert [
        len(data[k])
        for k in ("trackers", "sources", "documents", "pledges", "evidence", "verdicts")
    ] == [1, 1, 1, 1, 1, 1]
    assert data["documents"][0]["date"]["precision"] == "month"
    assert data["verdicts"][0]["author"] == "redaktor"
    assert data["pledges"][0]["provenance"] == {"stage": "extract", "version": "1"}


def test_the_schema_rejects_what_it_should(store: Store) -> None:
    _fill(store)
    with store.session() as s:
        data = export_database(s)
    broken = copy.deepcopy(data)
    broken["verdicts"][0]["status"] = "probably_kept"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, load_schema())
    broken = copy.deepcopy(data)
    del broken["documents"][0]["raw_sha256"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, load_schema())


def test_the_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema())


def test_no_output_carries_a_server_path() -> None:
    """A local file's origin is its path on the server: the record shows none; a URL stays."""
    from lofte.publish.records import public_origin

    assert public_origin("/srv/lofte/inbox/program.pdf") is None
    assert public_origin("C:\\\\data\\\\program.pdf") is None
    assert public_origin("https://parti.example/program") == "https://parti.example/program"


def test_export_md_names_every_field_of_every_record() -> None:
    """docs/export.md lists the fields of each kind of record; a reader of the export (or of
    `lofte import`'s round trip) learns from it what survives: every field the schema has is
    named there (created_at and modified_at are named once for all records)."""
    doc = (Path(__file__).parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    items = {line.split("`")[1]: line for line in doc.split("\n- ") if line.startswith("`")}
    schema = load_schema()
    missing = {}
    for key in ("trackers", "sources", "documents", "pledges", "evidence", "verdicts"):
        names = schema["properties"][key]["items"]["properties"]
        listed = set(re.findall(r"\w+", items[key]))
        gone = [n for n in names if n not in listed and n not in ("created_at", "modified_at")]
        if gone:
            missing[key] = gone
    assert missing == {}
    assert "`created_at` and `modified_at`" in doc
