"""`lofte audit verify`: forged state and removed history are found and named; a sound store passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from lofte.cli import app
from lofte.errors import AuditError
from lofte.extraction import extract
from lofte.ingest import IngestOptions, ingest
from lofte.model import Role, SourceKind, VerdictStatus
from lofte.publish.export import export_database
from lofte.review import pledges as pledge_review
from lofte.review import users
from lofte.review.audit import verify
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import audit
from lofte.store.db import Store
from lofte.store.pledges import list_pledges
from tests.review.fixtures import PROGRAM, pledge_with_evidence


def _reviewed(store: Store) -> dict[str, int]:
    """A store with every kind of audited change, all made through Löfte."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="admin")
    users.add_user(store, "mallory", "ett långt lösenord", Role.EDITOR, actor="admin")
    pledge_review.confirm(store, pledge_id, actor="anna")
    # the span moved to the pool's words: the words before it are free for a pledge of their own
    pledge_review.edit(
        store, pledge_id, area="Idrott", start=PROGRAM.index("simhall"), actor="anna"
    )
    decide_evidence(store, evidence_id, True, actor="anna")
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Simhallen invigdes.", [evidence_id], author=editor
    )
    # a second pledge an editor added, split (a rated pledge is not split)
    with store.session() as s:
        program = list_pledges(s)[0].document_id
    added = pledge_review.add(store, program, quote="Vi kommer att bygga en ny", actor="bo")
    parts = pledge_review.split(store, added.id, [len("Vi kommer att bygga")], actor="bo")
    return {
        "pledge": pledge_id,
        "evidence": evidence_id,
        "verdict": verdict.id,
        "part": parts[0].id,
    }


def _problems(store: Store) -> list[str]:
    with store.session() as s:
        return [str(p) for p in verify(s).problems]


def _sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def _drop_triggers(store: Store) -> None:
    if store.engine.dialect.name == "sqlite":
        for name in (
            "audit_events_no_update",
            "audit_events_no_delete",
            "audit_head_no_delete",
            "audit_head_forward_only",
        ):
            _sql(store, f"DROP TRIGGER {name}")
    else:
        _sql(store, "DROP TRIGGER audit_events_no_change ON audit_events")
        _sql(store, "DROP TRIGGER audit_head_guard ON audit_head")


def test_a_store_changed_only_through_loefte_verifies(store: Store) -> None:
    _reviewed(store)
    with store.session() as s:
        report = verify(s)
        assert report.ok, report.problems
        assert report.head is not None and report.head.seq == report.events >= 7
        data = export_database(s)
    log = data["audit"].pop("log")  # the events themselves (schema 1.2), for `lofte import`
    assert data["audit"] == {
        "head": {"seq": report.head.seq, "hash": report.head.hash},
        "events": report.events,
        "verified": True,
        "problems": [],
    }
    assert [e["seq"] for e in log] == list(range(1, report.events + 1))
    assert log[-1]["hash"] == report.head.hash


def test_a_forged_verdict_is_found_and_named_and_not_exported(store: Store) -> None:
    ids = _reviewed(store)
    _sql(
        store,
        "UPDATE verdicts SET status = 'broken', created_at = '2020-01-01 00:00:00', "
        "author_id = (SELECT id FROM users WHERE username = 'mallory') WHERE id = :v",
        v=ids["verdict"],
    )
    problems = _problems(store)
    assert len(problems) == 1
    assert problems[0].startswith(f"verdict {ids['verdict']} (pledge {ids['pledge']})")
    assert "status" in problems[0] and "author_id" in problems[0] and "created_at" in problems[0]
    with store.session() as s:
        with pytest.raises(AuditError, match=f"verdict {ids['verdict']}"):
            export_database(s)
        data = export_database(s, allow_unverified=True)
    assert data["audit"]["verified"] is False and data["audit"]["problems"] == problems


def test_a_verdict_s_as_of_date_moved_by_hand_is_found(store: Store) -> None:
    """QA, an insider: an as-of date moved by SQL flipped a pledge's current status and moved
    the meter, and verify said OK (the event keeps the date beside the verdict's state)."""
    ids = _reviewed(store)
    assert _problems(store) == []
    _sql(
        store,
        "UPDATE verdicts SET as_of_value = '2026-10-01', as_of_precision = 'day' WHERE id = :v",
        v=ids["verdict"],
    )
    problems = _problems(store)
    assert len(problems) == 1 and "as_of" in problems[0], problems
    assert problems[0].startswith(f"verdict {ids['verdict']} (pledge {ids['pledge']})")


def test_a_verdict_without_its_event_or_gone_from_the_store_is_found(store: Store) -> None:
    ids = _reviewed(store)
    _sql(
        store,
        "INSERT INTO verdicts (pledge_id, status, rationale, evidence_ids, published, "
        "created_at, modified_at) VALUES (:p, 'kept', 'x', '[]', true, "
        "'2024-01-01 00:00:00', '2024-01-01 00:00:00')",
        p=ids["part"],
    )
    _sql(store, "DELETE FROM verdicts WHERE id = :v", v=ids["verdict"])
    problems = _problems(store)
    assert any(
        p.startswith(f"verdict {ids['verdict'] + 1} ") and "no verdict.set event" in p
        for p in problems
    ), problems
    assert any(
        p.startswith(f"verdict {ids['verdict']}:") and "missing from the store" in p
        for p in problems
    ), problems


def test_forged_pledge_and_evidence_states_are_found(store: Store) -> None:
    ids = _reviewed(store)
    _sql(
        store,
        "UPDATE pledges SET state = 'rejected', quote = 'Vi lovar inget.' WHERE id = :p",
        p=ids["part"],
    )
    _sql(store, "UPDATE evidence SET review_state = 'rejected' WHERE id = :e", e=ids["evidence"])
    problems = _problems(store)
    assert any(
        p.startswith(f"pledge {ids['part']}:") and "state" in p and "quote_sha256" in p
        for p in problems
    ), problems
    assert any(
        p.startswith(f"evidence {ids['evidence']}:") and "review_state" in p for p in problems
    ), problems


def test_a_rated_pledges_party_topic_or_deadline_changed_by_hand_is_found(store: Store) -> None:
    """Insider QA: an SQL update moved a rated pledge from one party to another (and with it
    the meter by party), and verify said OK."""
    ids = _reviewed(store)
    assert _problems(store) == []
    _sql(
        store,
        "UPDATE pledges SET party = 'SD', topic = 'Skatter', deadline = :d WHERE id = :p",
        p=ids["pledge"],
        d="2030-01-01",
    )
    [problem] = _problems(store)
    assert problem.startswith(f"pledge {ids['pledge']}:"), problem
    assert all(name in problem for name in ("party", "topic", "deadline")), problem


def test_deleted_events_are_found_when_the_triggers_are_dropped(store: Store) -> None:
    _reviewed(store)
    _drop_triggers(store)
    _sql(store, "DELETE FROM audit_events WHERE seq = 3")
    problems = _problems(store)
    assert any(p.startswith("audit event 3:") and "gap" in p for p in problems), problems
    assert any(p.startswith("audit event 4:") and "does not link" in p for p in problems), problems


def test_dropped_guards_are_named_by_verify_and_put_back_by_init(store: Store) -> None:
    """QA: with the append-only triggers dropped by hand, `audit verify` said OK and `lofte
    init` left them dropped. Verify names each one; init makes them again, records that it did,
    and an event cannot be changed any more."""
    _reviewed(store)
    _drop_triggers(store)
    guards = [p for p in _problems(store) if p.startswith("audit log:")]
    dropped = ["audit_events_no_update", "audit_events_no_delete", "audit_head_no_delete"]
    dropped += ["audit_head_forward_only"] if store.engine.dialect.name == "sqlite" else []
    if store.engine.dialect.name != "sqlite":
        dropped = ["audit_events_no_change", "audit_head_guard"]
    assert len(guards) == len(dropped), guards
    assert all(any(name in p for p in guards) for name in dropped), guards
    assert all("`lofte init` puts it back" in p for p in guards), guards

    result = CliRunner().invoke(app, ["--db", store.url, "init"])
    assert result.exit_code == 0, result.output
    assert "append-only guards put back: " + ", ".join(dropped) in result.output
    assert _problems(store) == []
    with store.session() as s:
        (event,) = audit.list_events(s, "audit_log")
    assert event.action == "audit.guards_restored" and event.details == {"guards": dropped}
    with pytest.raises(Exception, match="append-only"):
        _sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    again = CliRunner().invoke(app, ["--db", store.url, "init"])  # nothing to put back
    assert again.exit_code == 0 and "put back" not in again.output, again.output


def test_a_disabled_guard_is_named_and_enabled_again(store: Store) -> None:
    """PostgreSQL can keep a trigger and switch it off: that is as good as dropped."""
    _reviewed(store)
    if store.engine.dialect.name == "sqlite":
        _sql(store, "DROP TRIGGER audit_events_no_delete")
        name = "audit_events_no_delete"
    else:
        _sql(store, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        name = "audit_events_no_change"
    assert [p for p in _problems(store) if name in p], _problems(store)
    assert CliRunner().invoke(app, ["--db", store.url, "init"]).exit_code == 0
    assert _problems(store) == []
    with pytest.raises(Exception, match="append-only"):
        _sql(store, "DELETE FROM audit_events")


def test_a_guard_made_to_do_nothing_under_its_own_name_is_found_and_made_again(
    store: Store,
) -> None:
    """Review: only the guards' names were checked, so a trigger re-made to do nothing (SQLite:
    WHEN 0), one enabled for replication only, or a guard function whose body no longer
    refuses (PostgreSQL) passed, and `init` left them so."""
    _reviewed(store)
    if store.engine.dialect.name == "sqlite":
        _sql(store, "DROP TRIGGER audit_events_no_update")
        _sql(
            store,
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events WHEN 0 "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        )
        changed = ["audit_events_no_update"]
    else:
        _sql(store, "ALTER TABLE audit_events ENABLE REPLICA TRIGGER audit_events_no_change")
        _sql(
            store,
            "CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        )
        changed = ["audit_events_no_change", "audit_head_guard", "audit_head_no_truncate"]
    _sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1")  # not refused now
    problems = [p for p in _problems(store) if p.startswith("audit log:")]
    assert sorted(n for n in changed if any(n in p for p in problems)) == sorted(changed)
    assert len(problems) == len(changed), problems
    assert CliRunner().invoke(app, ["--db", store.url, "init"]).exit_code == 0
    assert not [p for p in _problems(store) if p.startswith("audit log:")]
    with pytest.raises(Exception, match="append-only"):
        _sql(store, "UPDATE audit_events SET actor = 'eve' WHERE seq = 2")
    with pytest.raises(Exception, match="only moves forward"):
        _sql(store, "UPDATE audit_head SET seq = 0")


def test_removed_tail_events_and_edited_events_are_found(store: Store) -> None:
    _reviewed(store)
    _drop_triggers(store)
    with store.session() as s:
        last = audit.chain_head(s)
    assert last is not None
    _sql(store, "DELETE FROM audit_events WHERE seq = :s", s=last.seq)
    _sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    problems = _problems(store)
    assert any(p.startswith("audit head:") and f"names event {last.seq}" in p for p in problems), (
        problems
    )
    assert any(
        p.startswith("audit event 2:") and "does not match its hash" in p for p in problems
    ), problems


def test_a_head_published_earlier_must_still_be_in_the_chain(store: Store) -> None:
    _reviewed(store)
    with store.session() as s:
        head = audit.chain_head(s)
        assert head is not None
        assert verify(s, head).ok
        assert not verify(s, audit.ChainHead(head.seq, "f" * 64)).ok
        assert not verify(s, audit.ChainHead(head.seq + 5, head.hash)).ok


def test_review_events_carry_the_state_they_produced(store: Store) -> None:
    ids = _reviewed(store)
    with store.session() as s:
        events = audit.list_events(s, "pledge", ids["pledge"])
    verdict_event = next(e for e in events if e.action == "verdict.set")
    assert verdict_event.actor == "anna"
    assert verdict_event.details["verdict"] | {"created_at": None} == {
        "id": ids["verdict"],
        "pledge_id": ids["pledge"],
        "status": "kept",
        "rationale": "Simhallen invigdes.",
        "evidence_ids": [ids["evidence"]],
        "author_id": verdict_event.details["verdict"]["author_id"],
        "author": "anna",
        "published": True,
        "created_at": None,
    }
    assert verdict_event.details["pledges"][0]["version"] == 4  # confirm, edit, verdict
    assert {e.actor for e in events} == {"anna"}
    with store.session() as s:  # bo added and split another pledge
        parent = next(p.parent_id for p in list_pledges(s) if p.id == ids["part"])
        assert parent is not None
        added_events = audit.list_events(s, "pledge", parent)
    assert [(e.action, e.actor) for e in added_events] == [
        ("pledge.add", "bo"),
        ("pledge.split", "bo"),
    ]


def test_untouched_pipeline_output_changed_in_the_database_is_found(store: Store) -> None:
    """No editor has touched the candidate or the suggestion yet: forging them is found too."""
    pledge_id, evidence_id = pledge_with_evidence(store)  # rows as the pipeline leaves them
    assert _problems(store) == []
    _sql(store, "UPDATE pledges SET state = 'confirmed' WHERE id = :p", p=pledge_id)
    _sql(store, "UPDATE evidence SET review_state = 'accepted' WHERE id = :e", e=evidence_id)
    problems = _problems(store)
    assert any(p.startswith(f"pledge {pledge_id}:") and "no audit event" in p for p in problems), (
        problems
    )
    assert any(
        p.startswith(f"evidence {evidence_id}:") and "no audit event" in p for p in problems
    ), problems
    _sql(
        store,
        "UPDATE pledges SET state = 'candidate', quote = 'Vi avskaffar alla skatter.' "
        "WHERE id = :p",
        p=pledge_id,
    )
    _sql(store, "UPDATE evidence SET review_state = 'suggested' WHERE id = :e", e=evidence_id)
    assert [p for p in _problems(store) if "quote is not" in p] == [
        f"pledge {pledge_id}: its quote is not its document's text at its span (changed outside Löfte)"
    ]


def test_extracted_candidates_are_recorded_and_checked(store: Store, tmp_path: Path) -> None:
    program = tmp_path / "program.txt"
    program.write_text(
        "Skola\n\nVi vill:\n\n• anställa 500 fler lärare till år 2026.\n\n"
        "• bygga tre nya skolor i Norrvik före 2025.\n",
        encoding="utf-8",
    )
    report = ingest(store, [str(program)], IngestOptions(kind=SourceKind.PROGRAM))
    assert report.inputs[0].error is None
    extract(store)
    with store.session() as s:
        extracted = [p.id for p in list_pledges(s)]
    assert extracted and _problems(store) == []
    _sql(store, "UPDATE pledges SET area = 'Skatter' WHERE id = :p", p=extracted[0])
    assert any(p.startswith(f"pledge {extracted[0]}:") and "area" in p for p in _problems(store))
    # extracting again after the text changed drops and moves candidates, and says so
    _sql(store, "UPDATE pledges SET area = 'Skola' WHERE id = :p", p=extracted[0])
    program.write_text(
        "Skola\n\nInledning.\n\nVi vill:\n\n• anställa 500 fler lärare till år 2026.\n",
        encoding="utf-8",
    )
    ingest(store, [str(program)], IngestOptions(kind=SourceKind.PROGRAM))
    extract(store)
    assert _problems(store) == []


def test_a_program_text_changed_under_a_recorded_pledge_is_found(
    store: Store, tmp_path: Path
) -> None:
    """QA: a letter changed in the program under an extracted (recorded) pledge, or under a
    confirmed one, passed verify: the events vouch for the pledge's row, not for the text."""
    program = tmp_path / "program.txt"
    program.write_text("Skola\n\nVi vill:\n\n• anställa 500 fler lärare till år 2026.\n")
    ingest(store, [str(program)], IngestOptions(kind=SourceKind.PROGRAM))
    extract(store)
    with store.session() as s:
        (pledge,) = list_pledges(s)
    pledge_review.confirm(store, pledge.id, actor="anna")
    assert _problems(store) == []
    _sql(
        store,
        "UPDATE documents SET body = replace(body, '500 fler', '900 fler') WHERE id = :d",
        d=pledge.document_id,
    )
    assert _problems(store) == [
        f"pledge {pledge.id}: its quote is not its document's text at its span "
        "(changed outside Löfte)"
    ]


def test_events_edited_into_unreadable_rows_are_named_not_a_crash(sqlite_store: Store) -> None:
    """An admin edits audit rows with sqlite3: details that are no JSON (object), a time that
    is no date. Each such event is one named problem; the rest of the check still runs."""
    store = sqlite_store
    _reviewed(store)
    _drop_triggers(store)
    _sql(store, "UPDATE audit_events SET details = 'not json' WHERE seq = 1")
    _sql(store, "UPDATE audit_events SET details = '[1, 2]' WHERE seq = 2")
    _sql(store, "UPDATE audit_events SET created_at = 'igår' WHERE seq = 3")
    _sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")
    problems = _problems(store)
    assert any(p.startswith("audit event 1:") and "details are not JSON" in p for p in problems)
    assert any(p.startswith("audit event 2:") and "not a JSON object" in p for p in problems)
    assert any(p.startswith("audit event 3:") and "'igår' is not a date" in p for p in problems)
    assert any(p.startswith("audit event 4:") and "does not match its hash" in p for p in problems)
    result = CliRunner().invoke(app, ["--db", str(store.engine.url), "audit", "verify"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "problem: audit event 1:" in result.output


def test_an_empty_database_verifies(sqlite_store: Store) -> None:
    result = CliRunner().invoke(app, ["--db", str(sqlite_store.engine.url), "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit log: 0 events" in result.output and "OK" in result.output


def test_an_unreadable_event_is_refused_by_an_unverified_export_too(sqlite_store: Store) -> None:
    """--allow-unverified exports a log that does not verify, but an event whose row cannot be
    read is no event it can write: a clear AuditError naming it, not a crash half way."""
    store = sqlite_store
    _reviewed(store)
    _drop_triggers(store)
    _sql(store, "UPDATE audit_events SET created_at = 'igår' WHERE seq = 3")
    with store.session() as s, pytest.raises(AuditError, match="cannot be read") as caught:
        export_database(s, allow_unverified=True)
    assert (
        caught.value.problems
        == [p for p in _problems(store) if p.startswith("audit event 3:")]
        != []
    )
    result = CliRunner().invoke(
        app, ["--db", str(store.engine.url), "export", "--allow-unverified"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output


def test_a_role_changed_by_hand_is_found(store: Store) -> None:
    """`UPDATE users SET role = 'admin'` in the database: the account no longer has the role
    its last user.add / user.role event gave it."""
    _reviewed(store)
    users.set_role(store, "anna", Role.VIEWER, actor="admin")
    assert _problems(store) == []
    _sql(store, "UPDATE users SET role = 'admin' WHERE username = 'mallory'")
    _sql(store, "UPDATE users SET role = 'editor' WHERE username = 'anna'")
    problems = _problems(store)
    assert any("'mallory' is admin" in p and "made it editor" in p for p in problems), problems
    assert any("'anna' is editor" in p and "made it viewer" in p for p in problems), problems


def test_an_account_added_by_hand_is_found_unless_disabled(store: Store) -> None:
    """QA: an admin INSERTed into `users` with a copied hash could log in and verify said OK.
    A disabled account without events is what an import makes: not a problem."""
    _reviewed(store)
    hashed = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
    for name, disabled in (("eve", True), ("mallet", False)):
        _sql(
            store,
            "INSERT INTO users (username, password_hash, role, session_generation, disabled, "
            f"created_at, modified_at) VALUES ('{name}', '{hashed}', 'admin', 1, "
            f"{'TRUE' if disabled else 'FALSE'}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        )
    problems = _problems(store)
    assert [p for p in problems if "no audit event records the account" in p] == [
        f"user {_user_id(store, 'mallet')}: 'mallet' (admin) can log in, but no audit event "
        "records the account (added outside Löfte)"
    ], problems


def test_an_account_inserted_into_a_removed_ones_id_or_renamed_by_hand_is_found(
    sqlite_store: Store,
) -> None:
    """QA: after `lofte user remove anna`, an admin INSERTed by hand got anna's id (her events
    made it look recorded), and `UPDATE users SET username = …` passed too."""
    store = sqlite_store
    users.add_user(store, "boss", "ett långt lösenord", Role.ADMIN, actor="test")
    users.add_user(store, "mallory", "ett långt lösenord", Role.EDITOR, actor="boss")
    users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="boss")
    anna = _user_id(store, "anna")
    users.remove_user(store, "anna", actor="boss")
    assert _problems(store) == []
    hashed = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
    _sql(
        store,
        "INSERT INTO users (id, username, password_hash, role, session_generation, disabled, "
        f"created_at, modified_at) VALUES ({anna}, 'mallet', '{hashed}', 'admin', 1, FALSE, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    )
    mallory = _user_id(store, "mallory")
    _sql(store, "UPDATE users SET username = 'boss2' WHERE username = 'mallory'")
    problems = _problems(store)
    assert any(
        p.startswith(f"user {anna}: 'mallet' (admin) can log in, but its last event")
        and "removed the account" in p
        for p in problems
    ), problems
    assert any(
        p.startswith(f"user {mallory}: 'boss2' was 'mallory'") and "renamed" in p for p in problems
    ), problems


def _user_id(store: Store, name: str) -> int:
    return next(u.id for u in users.list_users(store) if u.username == name)


def test_a_draft_verdict_published_through_loefte_verifies(sqlite_store: Store) -> None:
    """`lofte verdict … --draft` then `lofte verdict publish ID` is a change made through
    Löfte: its `verdict.publish` event vouches for the published flag, so verify passes and
    the export is not refused. A flag flipped in the database by hand is still found."""
    from lofte.review.verdicts import publish_verdict

    pledge_id, _ = pledge_with_evidence(sqlite_store)
    pledge_review.confirm(sqlite_store, pledge_id, actor="anna")
    draft = set_verdict(
        sqlite_store, pledge_id, VerdictStatus.STALLED, "Inget händer.", actor="anna", draft=True
    )
    publish_verdict(sqlite_store, draft.id, actor="bo")
    assert _problems(sqlite_store) == []
    with sqlite_store.session() as s:
        assert export_database(s)["audit"]["verified"] is True
    _sql(sqlite_store, "UPDATE verdicts SET published = 0 WHERE id = :v", v=draft.id)
    (problem,) = _problems(sqlite_store)
    assert problem.startswith(f"verdict {draft.id}") and "published" in problem
