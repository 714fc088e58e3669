"""Deleting a document ingested by mistake (QA: a document ingested into the wrong tracker
could not be removed, and on a published tracker it was public at once)."""

from __future__ import annotations

import pytest

from lofte.errors import LinkBusyError, NotFoundError, ValidationError
from lofte.model import ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.audit import verify
from lofte.review.documents import delete_document
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
    assert removed.evidence == [other]
    with store.session() as s:
        assert not s.query(StageMarkRow).filter(StageMarkRow.entity_type == "document").count()
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
    assert str(accepted.value) == (
        f"document {doc_id} is accepted evidence (evidence {evidence_id} of pledge {pledge_id}): "
        "withdraw it first"
    )
    with store.session() as s:
        program_id = s.get(PledgeRow, pledge_id).document_id  # type: ignore[union-attr]
    with pytest.raises(
        ValidationError, match=rf"confirmed, rated or gave evidence \(pledge {pledge_id}\): their"
    ):
        delete_document(store, program_id, actor="anna", confirm=str(program_id))
    # a verdict cited it, and it was withdrawn since: it stays in the pledge's timeline
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor
    )
    set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, "Går inte att pröva.", author=editor)
    withdraw = {"expected_state": ReviewState.ACCEPTED, "reason": "Fel simhall."}
    decide_evidence(store, evidence_id, False, actor="anna", **withdraw)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=rf"cited by verdict {verdict.id}: it stays"):
        delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert _counts(store) == before
    with pytest.raises(ValidationError, match=f"type the document's id {doc_id}"):
        delete_document(store, doc_id, actor="anna", confirm="ja")
    with pytest.raises(ValidationError, match="needs an actor"):
        delete_document(store, doc_id, actor=" ", confirm=str(doc_id))
    with pytest.raises(NotFoundError):
        delete_document(store, doc_id + 100, actor="anna", confirm=str(doc_id + 100))
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


def test_its_copies_stand_alone_and_are_processed_again(store: Store) -> None:
    doc_id = program_document(store, PROGRAM, key="original")
    copy_id = program_document(store, PROGRAM, key="kopia")
    with store.session() as s:
        s.get(DocumentRow, copy_id).duplicate_of = doc_id  # type: ignore[union-attr]
        stage_marks.set_marks(s, "extract", "document", [(copy_id, None)], "v1")
    removed = delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    assert removed.copies == [copy_id]
    with store.session() as s:
        assert s.get(DocumentRow, copy_id).duplicate_of is None  # type: ignore[union-attr]
        assert s.query(StageMarkRow).count() == 0  # extracted as itself at the next run


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
