"""Deleting a document ingested by mistake (QA: a document ingested into the wrong tracker
could not be removed, and on a published tracker it was public at once)."""

from __future__ import annotations

import pytest

from lofte.errors import LinkBusyError, NotFoundError, ValidationError
from lofte.model import ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.audit import verify
from lofte.review.documents import delete_document, deletion_preview
from lofte.review.pledges import confirm, reject
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import audit, link_claims
from lofte.store import marks as stage_marks
from lofte.store import search as search_store
from lofte.store.db import Store, utcnow
from lofte.store.freshness import tracker_stamp
from lofte.store.schema import (
    DocumentRow,
    EvidenceRow,
    LinkBackgroundRow,
    PledgeRow,
    RawBlobRow,
    StageMarkRow,
    TrackerRow,
)
from tests.review.fixtures import (
    NEWS,
    PROGRAM,
    news_suggestion,
    pledge_row,
    pledge_with_evidence,
    program_document,
)


def _counts(store: Store) -> tuple[int, int, int, int]:
    with store.session() as s:
        return (
            s.query(DocumentRow).count(),
            s.query(PledgeRow).count(),
            s.query(EvidenceRow).count(),
            s.query(StageMarkRow).count(),
        )


def _document_of(store: Store, evidence_id: int) -> int:
    with store.session() as s:
        row = s.get(EvidenceRow, evidence_id)
        assert row is not None
        return row.document_id


def _program_of(store: Store, pledge_id: int) -> int:
    with store.session() as s:
        row = s.get(PledgeRow, pledge_id)
        assert row is not None
        return row.document_id


def _verified(store: Store) -> list[str]:
    with store.session() as s:
        return [str(p) for p in verify(s).problems]


def test_a_news_item_goes_with_its_suggestions_audited(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    doc_id = _document_of(store, evidence_id)
    other = news_suggestion(store, pledge_id, "Simhallen i Norrvik får nytt tak.", key="tak")
    decide_evidence(store, other, False, actor="anna", reason="Handlar om taket.")
    rejected_doc = _document_of(store, other)
    with store.session() as s:
        tracker_id = s.query(TrackerRow.id).scalar()
        stage_marks.set_marks(s, "link", "document", [(doc_id, None), (rejected_doc, None)], "v1")
        s.add(
            LinkBackgroundRow(
                tracker_id=tracker_id, version="v", max_document_id=9, revision=1, data=b""
            )
        )
        before = tracker_stamp(s, tracker_id)
        found = search_store.search_documents(s, "invigdes", reuse=True)
        assert [d.id for d in found.items] == [doc_id]
    # the older one first: the newest document and evidence stay, and only the tracker's
    # row tells the pages' and search's caches that something went
    removed = delete_document(store, doc_id, actor="anna", confirm=f" {doc_id} ")
    assert removed.evidence == [evidence_id] and removed.title == "n"
    assert removed.pledges == [] and removed.tracker_slug == "sjovik"
    with store.session() as s:
        assert s.get(DocumentRow, doc_id) is None and s.get(EvidenceRow, evidence_id) is None
        assert s.get(PledgeRow, pledge_id) is not None  # the program and its pledge stay
        assert s.query(LinkBackgroundRow).count() == 0  # counted afresh at the next link
        assert tracker_stamp(s, tracker_id) != before  # the public pages' caches notice
        again = search_store.search_documents(s, "invigdes", reuse=True)
        assert again.items == [] and again.total == 0  # not the page kept before
    removed = delete_document(store, rejected_doc, actor="anna", confirm=str(rejected_doc))
    assert removed.evidence == [other] and removed.decided == {pledge_id: [other]}
    with store.session() as s:
        assert not s.query(StageMarkRow).filter(StageMarkRow.entity_type == "document").count()
        # QA: the pledge's history lost the decision on evidence deleted with its document
        history = [(e.action, e.entity_id) for e in audit.pledge_events(s, pledge_id)]
        assert history[-2:] == [
            ("evidence.reject", other),
            ("pledge.evidence_removed", pledge_id),
        ]
        # that event vouches for nothing of the pledge itself: a candidate changed by hand
        # is still reported
        s.get(PledgeRow, pledge_id).state = "confirmed"  # type: ignore[union-attr]
    assert _verified(store) == [
        f"pledge {pledge_id}: is confirmed at version 1 but no audit event records it "
        "(changed outside Löfte)"
    ]
    with store.session() as s:
        s.get(PledgeRow, pledge_id).state = "candidate"  # type: ignore[union-attr]
        (event,) = [
            e
            for e in audit.recent_events(s, limit=9)
            if e.action == "document.delete" and e.entity_id == doc_id
        ]
    assert event.action == "document.delete" and event.actor == "anna"
    assert event.details["removed_evidence"] == [evidence_id]
    assert event.details["tracker"] == "sjovik" and event.details["origin"] == "n.txt"
    assert _verified(store) == []  # the rejected suggestion's event expects it gone


def test_what_a_person_decided_keeps_the_document_and_is_named(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    doc_id = _document_of(store, evidence_id)
    before = _counts(store)
    with pytest.raises(ValidationError) as accepted:
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert str(accepted.value) == (  # QA: "withdraw it first" did not say how
        f"document {doc_id} is accepted evidence (evidence {evidence_id} of pledge {pledge_id}): "
        f"withdraw it first (`lofte reject-evidence {evidence_id} --any-state`, or Withdraw on "
        "the pledge's page)"
    )
    # a verdict cites it: that is said first, as nothing undoes it (QA: withdrawing the
    # evidence as advised took a new verdict, and then the delete was refused all the same)
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor
    )
    cites = (
        f"document {doc_id} cannot be deleted: verdict {verdict.id} cited it, and a verdict's "
        "sources stay in its pledge's timeline"
    )
    with pytest.raises(ValidationError) as cited:
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert str(cited.value) == cites
    with pytest.raises(ValidationError, match="cannot be deleted"):  # before the question
        deletion_preview(store, doc_id)
    set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, "Ej prövbart.", author=editor)
    with pytest.raises(ValidationError, match="a published verdict's sources stay"):
        decide_evidence(store, evidence_id, False, actor="anna", **WITHDRAW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as still:  # under a newer verdict: the same
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert str(still.value) == cites
    program_id = _program_of(store, pledge_id)
    with pytest.raises(ValidationError) as rated:
        delete_document(store, program_id, actor="anna", confirm=str(program_id))
    assert str(rated.value) == (
        f"document {program_id} is the program of rated pledges (pledge {pledge_id}): their "
        "verdicts keep it"
    )
    assert _counts(store) == before
    with pytest.raises(ValidationError, match=f"type the document's id {doc_id}"):
        delete_document(store, doc_id, actor="anna", confirm="ja")
    with pytest.raises(ValidationError, match="needs an actor"):
        delete_document(store, doc_id, actor=" ", confirm=str(doc_id))
    with pytest.raises(NotFoundError):
        delete_document(store, doc_id + 100, actor="anna", confirm=str(doc_id + 100))
    assert _verified(store) == []


WITHDRAW = {"expected_state": ReviewState.ACCEPTED, "reason": "Fel mätare."}


def test_each_refusal_of_a_program_names_what_undoes_it(store: Store) -> None:
    """QA: "reject them first" came back unchanged after the pledges were rejected, their
    accepted evidence being what kept the program; each refusal now says what keeps it."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    decide_evidence(store, evidence_id, True, actor="anna")
    program_id = _program_of(store, pledge_id)
    with pytest.raises(ValidationError) as confirmed:
        delete_document(store, program_id, actor="anna", confirm=str(program_id))
    assert str(confirmed.value) == (
        f"document {program_id} is the program of confirmed pledges (pledge {pledge_id}): reject "
        f"them first (`lofte pledge reject {pledge_id}`, or Reject on the pledge's page)"
    )
    reject(store, pledge_id, actor="anna", reason="Fel mätare.")
    with pytest.raises(ValidationError) as evidenced:
        delete_document(store, program_id, actor="anna", confirm=str(program_id))
    assert str(evidenced.value) == (
        f"document {program_id} is the program of pledges with accepted evidence (evidence "
        f"{evidence_id} of pledge {pledge_id}): withdraw it first (`lofte reject-evidence "
        f"{evidence_id} --any-state`, or Withdraw on the pledge's page)"
    )
    decide_evidence(store, evidence_id, False, actor="anna", **WITHDRAW)  # type: ignore[arg-type]
    removed = delete_document(store, program_id, actor="anna", confirm=str(program_id))
    assert removed.pledges == [pledge_id] and removed.evidence == [evidence_id]
    assert _verified(store) == []


def test_a_program_goes_with_its_unconfirmed_pledges_and_their_suggestions(store: Store) -> None:
    doc_id = program_document(store, PROGRAM + " Vi ska sänka taxan.", key="fel")
    group = pledge_row(store, doc_id, PROGRAM)
    part = pledge_row(store, doc_id, "Vi ska sänka taxan.", parent=group)
    suggestion = news_suggestion(store, part, NEWS, key="nyhet")
    reject(store, group, actor="anna", reason="Inte ett löfte.")
    removed = delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert removed.pledges == [group, part] and removed.evidence == [suggestion]
    with store.session() as s:
        assert s.query(PledgeRow).count() == 0 and s.query(EvidenceRow).count() == 0
        assert s.get(DocumentRow, _document_of_news(s)) is not None  # the news item stays
    assert _verified(store) == []  # the rejection's event expects the pledge gone


def _document_of_news(s) -> int:  # type: ignore[no-untyped-def]
    return s.query(DocumentRow.id).filter(DocumentRow.kind == "news").scalar()


def test_its_oldest_copy_becomes_the_original_of_the_others(store: Store) -> None:
    """Review: every copy stood alone after the delete, and a program's pledges were then
    extracted from each of them."""
    doc_id = program_document(store, PROGRAM, key="original")
    first = program_document(store, PROGRAM, key="kopia")
    second = program_document(store, PROGRAM, key="kopia2")
    with store.session() as s:
        for copy_id in (first, second):
            s.get(DocumentRow, copy_id).duplicate_of = doc_id  # type: ignore[union-attr]
        stage_marks.set_marks(s, "extract", "document", [(first, None), (second, None)], "v1")
    removed = delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert removed.copies == [first, second]
    with store.session() as s:
        assert s.get(DocumentRow, first).duplicate_of is None  # type: ignore[union-attr]
        assert s.get(DocumentRow, second).duplicate_of == first  # type: ignore[union-attr]
        marked = s.query(StageMarkRow.entity_id).all()
    assert marked == [(second,)]  # the new original is extracted as itself at the next run


def test_deleted_ids_are_never_given_again(store: Store) -> None:
    """Review, QA: SQLite gave the newest deleted rows' ids to the next ones, so a new pledge
    showed a deleted one's history, and `audit verify` vouched for a reused id changed by
    hand. Migration 0019 keeps them apart; verify no longer vouches for a removed id."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(store, evidence_id, False, actor="anna", reason="Fel simhall.")
    doc_id = _document_of(store, evidence_id)
    delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    again = news_suggestion(store, pledge_id, NEWS, key="ny")
    assert again > evidence_id and _document_of(store, again) > doc_id
    with store.session() as s:  # a row put back with the removed id (a restore, a hand)
        row = s.get(EvidenceRow, again)
        assert row is not None
        row.id, row.review_state = evidence_id, "accepted"
    assert _verified(store) == [
        f"evidence {evidence_id}: is accepted but no audit event records that decision "
        "(changed outside Löfte)"
    ]


def test_the_input_s_bytes_go_unless_another_document_was_read_from_them(store: Store) -> None:
    """A document that should not be kept at all: its raw bytes are not left behind (review)."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    first = _document_of(store, evidence_id)
    second = _document_of(store, news_suggestion(store, pledge_id, NEWS, key="b"))  # same bytes
    with store.session() as s:
        raw = s.get(DocumentRow, first).raw_sha256  # type: ignore[union-attr]
    delete_document(store, first, actor="anna", confirm=str(first))
    with store.session() as s:
        assert s.get(RawBlobRow, raw) is not None  # the other document was read from them
    delete_document(store, second, actor="anna", confirm=str(second))
    with store.session() as s:
        assert s.get(RawBlobRow, raw) is None


def test_refused_while_a_link_run_holds_the_tracker(store: Store) -> None:
    _, evidence_id = pledge_with_evidence(store)
    doc_id = _document_of(store, evidence_id)
    with store.session() as s:
        tracker_id = s.query(TrackerRow.id).scalar()
        now = utcnow()
        assert link_claims.claim(s, tracker_id, "host:1:41", now, now.replace(year=now.year + 1))
    before = _counts(store)
    with pytest.raises(LinkBusyError, match=f"document {doc_id} not deleted: a `lofte link` run"):
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert _counts(store) == before
    with store.session() as s:
        assert link_claims.current(s, tracker_id).holder == "host:1:41"  # type: ignore[union-attr]
        link_claims.release(s, tracker_id, "host:1:41")
    delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    with store.session() as s:
        assert link_claims.current(s, tracker_id) is None  # the delete's own claim is freed


def test_evidence_accepted_as_the_delete_begins_keeps_the_document(store: Store) -> None:
    """The delete reads the document's evidence under its locks: an editor's accept committed
    before its first write is seen, and the document stays with the accepted evidence."""
    from tests.interleave import meanwhile

    pledge_id, evidence_id = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    doc_id = _document_of(store, evidence_id)
    accept = lambda: decide_evidence(store, evidence_id, True, actor="bo")  # noqa: E731
    with meanwhile(store, accept) as seen, pytest.raises(ValidationError, match="is accepted"):
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert seen
    with store.session() as s:
        kept = s.get(EvidenceRow, evidence_id)
        assert kept is not None and kept.review_state == "accepted"
        assert s.get(DocumentRow, doc_id) is not None


def test_a_term_edit_holding_the_tracker_and_a_delete_both_finish(store: Store) -> None:
    """Review: the delete held the document and its marks, then wrote the tracker's row; a term
    edit holds the tracker, then drops every document's link marks: a deadlock on PostgreSQL.
    The delete now holds the tracker first and waits."""
    import datetime as dt
    import threading
    import time

    from sqlalchemy import event

    from lofte.review import tracker_admin

    _, evidence_id = pledge_with_evidence(store)
    doc_id = _document_of(store, evidence_id)
    with store.session() as s:
        stage_marks.set_marks(s, "link", "document", [(doc_id, None)], "v1")
    holding = threading.Event()
    outcome: dict[str, str] = {}

    def slow_after_the_tracker(conn, cursor, statement, *rest) -> None:  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "edit" and statement.lstrip().upper().startswith(
            "UPDATE TRACKERS"
        ):
            holding.set()
            time.sleep(1.0)  # the delete starts while the edit holds the tracker

    def edit() -> None:
        term = {"term_start": dt.date(2022, 1, 1), "term_end": dt.date(2026, 1, 1)}
        try:
            tracker_admin.edit(store, "sjovik", actor="ed", **term)  # type: ignore[arg-type]
            outcome["edit"] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is what is tested
            outcome["edit"] = repr(exc)

    def remove() -> None:
        holding.wait(10)
        try:
            delete_document(store, doc_id, actor="admin", confirm=str(doc_id))
            outcome["delete"] = "ok"
        except Exception as exc:  # noqa: BLE001
            outcome["delete"] = repr(exc)

    event.listen(store.engine, "after_cursor_execute", slow_after_the_tracker)
    try:
        threads = [threading.Thread(target=edit, name="edit"), threading.Thread(target=remove)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(store.engine, "after_cursor_execute", slow_after_the_tracker)
    assert outcome == {"edit": "ok", "delete": "ok"}
    assert _verified(store) == []


def test_a_removal_leaves_the_settings_form_s_token_as_it_was(store: Store) -> None:
    """Review: the delete stamped the tracker's `modified_at`, the settings form's token, and
    an editor's open form was refused as changed by someone else."""
    from lofte.review import tracker_admin
    from lofte.store import trackers as tracker_store

    _, evidence_id = pledge_with_evidence(store)
    doc_id = _document_of(store, evidence_id)
    with store.session() as s:
        seen = tracker_store.get_tracker_row(s, "sjovik").modified_at
    delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    edited = tracker_admin.edit(store, "sjovik", actor="anna", name="Sjövik", seen=seen)
    assert edited.name == "Sjövik"


def test_a_link_claim_left_by_a_run_that_stopped_here_is_taken_over(store: Store) -> None:
    """Review: a crashed run's claim refused deletes for its lease's ten minutes; the next
    link run takes such a claim over, and so does a delete."""
    from lofte.linking_claim import holder_of

    _, evidence_id = pledge_with_evidence(store)
    doc_id = _document_of(store, evidence_id)
    dead = holder_of(999_999_999, "gone")  # this host, no such process
    with store.session() as s:
        tracker_id = s.query(TrackerRow.id).scalar()
        now = utcnow()
        assert link_claims.claim(s, tracker_id, dead, now, now.replace(year=now.year + 1))
    delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    with store.session() as s:
        assert link_claims.current(s, tracker_id) is None
