"""Withdrawing accepted evidence raises its pledge's version: the audit chain must account for it.

QA: `reject-evidence --any-state` (the web's "Dra tillbaka") left the pledge at a version no
event recorded, `audit verify` named the pledge "changed outside Löfte" and `lofte export`
refused to run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text, update
from typer.testing import CliRunner

from lofte.cli import app
from lofte.demo import build_demo
from lofte.errors import ValidationError
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import PledgeState, RawInput, ReviewState, VerdictStatus
from lofte.publish.export import export_database
from lofte.review import evidence as attach
from lofte.review import pledges as pledge_review
from lofte.review.audit import verify
from lofte.review.bulk import decide_many
from lofte.review.deadlines import set_deadline
from lofte.review.verdicts import decide_evidence, publish_verdict, set_verdict
from lofte.store import audit
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store.db import Store
from lofte.store.evidence import change_review_state
from lofte.store.schema import PledgeRow
from tests.review.fixtures import pledge_with_evidence

REPORT = "Simhallen i Norrvik byggs nu, och bygget av den nya simhallen blir klart nästa år."


def _problems(store: Store) -> list[str]:
    with store.session() as s:
        return [str(p) for p in verify(s).problems]


def _version(store: Store, pledge_id: int) -> int:
    with store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def _withdraw(store: Store, evidence_id: int) -> None:
    decide_evidence(store, evidence_id, False, actor="anna", expected_state=None, reason="fel")


def test_withdrawing_accepted_evidence_keeps_the_chain_verifying(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    pledge_review.confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    assert _problems(store) == []
    before = _version(store, pledge_id)
    _withdraw(store, evidence_id)
    # the raise stays (a verdict form opened before conflicts) and is recorded
    assert _version(store, pledge_id) == before + 1
    assert _problems(store) == []
    with store.session() as s:
        event = audit.newest_event(s, "evidence", evidence_id, ["evidence.reject"])
        export_database(s)  # refused on a chain that does not verify
    assert event is not None and event.details["before"] == "accepted"
    assert [p["id"] for p in event.details["pledges"]] == [pledge_id]
    assert event.details["pledges"][0]["version"] == before + 1
    # accepted again, withdrawn again: each time verified
    decide_evidence(store, evidence_id, True, actor="anna", expected_state=None)
    assert _problems(store) == []
    _withdraw(store, evidence_id)
    assert _problems(store) == []


def test_a_refused_withdrawal_changes_nothing_the_chain_would_miss(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    pledge_review.confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], actor="anna")
    version = _version(store, pledge_id)
    with pytest.raises(ValidationError, match="source of the current verdict"):
        _withdraw(store, evidence_id)
    assert _version(store, pledge_id) == version  # rolled back with the refusal
    assert _problems(store) == []


def test_every_editor_action_leaves_the_chain_verifying(store: Store) -> None:
    """Every change an editor makes through Löfte, the chain verified after each."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    report = ingest_raw(
        store,
        RawInput(REPORT.encode(), "rapport.txt", "text/plain", dt.datetime.now(dt.UTC)),
        IngestOptions(tracker="sjovik"),
    )
    assert report.error is None, report.error
    document_id = report.document_ids[0]

    def check(step: str) -> None:
        assert _problems(store) == [], step

    pledge_review.confirm(store, pledge_id, actor="anna")
    check("confirm")
    pledge_review.edit(store, pledge_id, area="Idrott", actor="anna")
    check("edit")
    set_deadline(store, pledge_id, dt.date(2026, 6, 30), actor="anna")
    check("deadline")
    attached = attach.attach_document(store, pledge_id, document_id, actor="anna").evidence
    check("attach")
    decide_many(store, [evidence_id], True, actor="anna")
    check("bulk accept")
    _withdraw(store, attached.id)
    check("withdraw the attached")
    decide_evidence(store, attached.id, True, actor="anna", expected_state=None)
    check("accept the withdrawn again")
    draft = set_verdict(
        store,
        pledge_id,
        VerdictStatus.IN_THE_WORKS,
        "Bygget pågår.",
        [attached.id],
        actor="anna",
        draft=True,
    )
    check("draft")
    publish_verdict(store, draft.id, actor="anna")
    check("publish")
    set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], actor="anna")
    check("verdict")
    with pytest.raises(ValidationError, match="published verdict"):
        _withdraw(store, attached.id)  # the earlier published verdict's source stays
    check("withdrawal of an earlier verdict's source refused")
    with pytest.raises(ValidationError):
        _withdraw(store, evidence_id)
    check("withdrawal refused")
    set_verdict(store, pledge_id, VerdictStatus.STALLED, "Omprövad.", actor="anna")
    check("a verdict without sources")
    decide_many(store, [evidence_id], True, actor="anna")  # accepted already: a conflict
    check("bulk on a decided one")
    pledge_review.reject(store, pledge_id, reason="inget löfte", actor="anna")
    check("reject")
    with store.session() as s:
        # the sources of its published verdicts, kept with them
        assert {e.review_state for e in evidence_store.list_evidence(s, pledge_id=pledge_id)} == {
            ReviewState.ACCEPTED
        }
        export_database(s)


def _old_withdrawal(store: Store, evidence_id: int) -> None:
    """A withdrawal as Löfte recorded it before the fix: the pledge's version raised, the
    `evidence.reject` event without the pledge's state."""
    with store.session() as s:
        row, before = change_review_state(s, evidence_id, ReviewState.REJECTED, None)
        s.execute(
            update(PledgeRow)
            .where(PledgeRow.id == row.pledge_id)
            .values(version=PledgeRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        audit.record_event(
            s,
            "evidence.reject",
            "evidence",
            row.id,
            "anna",
            pledge_id=row.pledge_id,
            document_id=row.document_id,
            before=before.value,
            evidence=[audit.evidence_state(row)],
        )


def _set_version(store: Store, pledge_id: int, version: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE pledges SET version = :v WHERE id = :p"), {"v": version, "p": pledge_id}
        )


def test_a_store_broken_by_an_older_withdrawal_verifies_but_outside_changes_do_not(
    store: Store,
) -> None:
    """An older log explains the raise by its own `evidence.reject` events: one raise each
    at most. A version beyond that, below the recorded one, or any other field changed is
    still reported."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    pledge_review.confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    recorded = _version(store, pledge_id)
    _old_withdrawal(store, evidence_id)
    assert _problems(store) == []
    _set_version(store, pledge_id, recorded)  # a Löfte that did not raise it: explained too
    assert _problems(store) == []
    for forged in (recorded + 2, recorded - 1):
        _set_version(store, pledge_id, forged)
        (problem,) = _problems(store)
        assert problem.startswith(f"pledge {pledge_id}:") and "version" in problem, problem
    _set_version(store, pledge_id, recorded + 1)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE pledges SET area = 'Skola' WHERE id = :p"), {"p": pledge_id})
    (problem,) = _problems(store)
    assert "area" in problem and "version" not in problem, problem
    # a state recorded since starts the count afresh
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE pledges SET area = NULL WHERE id = :p"), {"p": pledge_id})
    pledge_review.edit(store, pledge_id, area="Idrott", actor="anna")
    assert _problems(store) == []
    _set_version(store, pledge_id, _version(store, pledge_id) + 1)
    assert len(_problems(store)) == 1


def test_an_unrecorded_candidate_raised_by_an_older_withdrawal_verifies(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)  # a candidate no event names
    decide_evidence(store, evidence_id, True, actor="anna")
    _old_withdrawal(store, evidence_id)
    assert _version(store, pledge_id) == 2
    assert _problems(store) == []
    _set_version(store, pledge_id, 3)
    (problem,) = _problems(store)
    assert problem.startswith(f"pledge {pledge_id}:") and "no audit event" in problem


def test_the_qa_steps_on_the_demo_verify_and_export(tmp_path: Path) -> None:
    """QA's steps through the CLI: accept a suggestion of the demo, withdraw it, verify, export."""
    path = tmp_path / "demo.db"
    store = build_demo(path)
    try:
        with store.session() as s:
            suggested = evidence_store.list_evidence(s, states=[ReviewState.SUGGESTED])
            evidence_id = next(
                e.id
                for e in suggested
                if pledge_store.get_pledge(s, e.pledge_id).state is not PledgeState.REJECTED
            )
    finally:
        store.dispose()
    db = f"sqlite:///{path}"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("accept-evidence", str(evidence_id), "--actor", "qa")
    run("reject-evidence", str(evidence_id), "--any-state", "--reason", "fel", "--actor", "qa")
    assert "OK" in run("audit", "verify")
    run("export", "--output", str(tmp_path / "export.json"))
    assert (tmp_path / "export.json").stat().st_size > 0
