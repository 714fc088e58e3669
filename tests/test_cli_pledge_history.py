"""`lofte pledge history ID`: the audit events about a pledge and its evidence, oldest first,
as the editor's pledge page shows them; control characters escaped for the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.publish.editor_pages import pledge_history
from lofte.review.pledges import confirm
from lofte.store.db import open_store
from tests.review.fixtures import pledge_with_evidence

runner = CliRunner()


def test_pledge_history_oldest_first(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(db, create=True)
    try:
        pledge_id, evidence_id = pledge_with_evidence(store)
        confirm(store, pledge_id, actor="anna\x1b[2J")  # a name straight from the library
    finally:
        store.dispose()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["--db", db, *args])
        return result.exit_code, result.output

    assert run("accept-evidence", str(evidence_id), "--actor", "bo")[0] == 0
    code, out = run(
        "verdict",
        str(pledge_id),
        "--status",
        "kept",
        "--evidence",
        str(evidence_id),
        "--rationale",
        "Simhallen är invigd.",
        "--actor",
        "cecilia",
    )
    assert code == 0, out
    code, out = run("pledge", "history", str(pledge_id))
    assert code == 0, out
    lines = out.splitlines()
    assert len(lines) == 3
    assert "anna\\x1b[2J  pledge.confirm: " in lines[0] and "\x1b" not in out
    assert f"bo  evidence.accept (evidence {evidence_id}): " in lines[1]
    assert "cecilia  verdict.set: " in lines[2] and "status: kept" in lines[2]
    assert "Simhallen är invigd." in lines[2] and "draft" not in lines[2]
    # QA: a draft's verdict.set read like a published verdict's
    draft = ["verdict", str(pledge_id), "--status", "broken", "--rationale", "Inte än."]
    assert run(*draft, "--draft", "--evidence", str(evidence_id))[0] == 0
    assert "draft: true" in run("pledge", "history", str(pledge_id))[1].splitlines()[3]

    code, out = run("pledge", "history", str(pledge_id), "--json")
    assert code == 0, out
    events = json.loads(out)
    actions = ["pledge.confirm", "evidence.accept", "verdict.set", "verdict.set"]
    assert [e["action"] for e in events] == actions
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    store = open_store(db)
    try:
        with store.session() as session:
            assert events == pledge_history(session, pledge_id)  # what the web page shows
    finally:
        store.dispose()

    code, out = run("pledge", "history", str(pledge_id + 100))
    assert code == 1 and "no pledge" in out
