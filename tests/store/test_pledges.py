"""store/pledges.py: storing an extraction, and editors' changes checked against the version read."""

from __future__ import annotations

import pytest

from lofte.errors import ConflictError
from lofte.model import Document, ParsedDocument, Pledge, PledgeState, SourceKind, Stance
from lofte.store import documents as document_store
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.interleave import meanwhile

BODY = "Vi ska bygga fler bostäder. Vi ska sänka skatten. Vi vill ha fler parker."


def _document(store: Store) -> int:
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "t")
        _, doc_id = document_store.save_document(
            s,
            tracker.id,
            "program.txt",
            ParsedDocument(title="Program", body=BODY, item_key="p"),
            content_hash="h",
            raw_sha256=document_store.put_raw(s, BODY.encode(), "text/plain"),
            parser="parse:test",
            parser_version="1",
            kind=SourceKind.PROGRAM,
            source_id=None,
        )
    return doc_id


def _found(*sentences: str) -> list[pledge_store.NewPledge]:
    out = []
    for sentence in sentences:
        start = BODY.index(sentence)
        out.append(pledge_store.NewPledge(start, start + len(sentence), sentence, None, {}, 0.9))
    return out


def test_a_new_extraction_replaces_only_untouched_unlinked_candidates(store: Store) -> None:
    doc_id = _document(store)
    with store.session() as s:
        document = document_store.get_document(s, doc_id)
        first = pledge_store.replace_candidates(
            s, document, _found("Vi ska bygga fler bostäder.", "Vi ska sänka skatten."), "x", "1"
        )
    built, taxes = first.inserted
    with store.session() as s:  # an editor confirms one
        pledge_store.update_pledge(s, built.id, built.version, state=PledgeState.CONFIRMED)
    with store.session() as s:
        second = pledge_store.replace_candidates(
            s, document, _found("Vi ska bygga fler bostäder.", "Vi vill ha fler parker."), "x", "2"
        )
        kept = pledge_store.list_pledges(s, document_id=doc_id)
    assert second.removed == [taxes.id]  # untouched and unlinked: replaced
    assert [p.quote for p in second.inserted] == ["Vi vill ha fler parker."]  # confirmed one stays
    assert {p.id for p in kept} == {built.id, second.inserted[0].id}
    assert pledge_store.unreviewed(PledgeState.CANDIDATE.value, 1)
    assert not pledge_store.unreviewed(PledgeState.CANDIDATE.value, 2)


def _one_candidate(store: Store) -> tuple[int, Document, Pledge]:
    """A document and the one candidate a first extraction (`x` 1) found in it."""
    doc_id = _document(store)
    with store.session() as s:
        document = document_store.get_document(s, doc_id)
        (pledge,) = pledge_store.replace_candidates(
            s, document, _found("Vi ska sänka skatten."), "x", "1"
        ).inserted
    return doc_id, document, pledge


def test_a_linked_candidate_is_kept(store: Store) -> None:
    doc_id, document, pledge = _one_candidate(store)
    with store.session() as s:
        evidence_store.sync_suggestions(
            s,
            [doc_id],
            [
                evidence_store.NewSuggestion(
                    pledge.id, doc_id, 0, 5, 0.5, {}, Stance.MENTIONS, "l", "1"
                )
            ],
        )
    with store.session() as s:
        again = pledge_store.replace_candidates(s, document, [], "x", "2")
    assert again.removed == []


def test_an_update_against_an_old_version_is_a_conflict(store: Store) -> None:
    _, _, pledge = _one_candidate(store)
    with store.session() as s:
        pledge_store.update_pledge(s, pledge.id, pledge.version, area="Ekonomi")
    with pytest.raises(ConflictError), store.session() as s:  # the version read before that change
        pledge_store.update_pledge(s, pledge.id, pledge.version, area="Skatt")
    with store.session() as s:
        assert pledge_store.get_pledge(s, pledge.id).area == "Ekonomi"


def test_a_candidate_linked_meanwhile_is_not_replaced_with_its_evidence(store: Store) -> None:
    """A new extraction read the candidate as unlinked; an editor attached evidence to it
    before the extraction wrote. The old code deleted the candidate, and its accepted evidence
    with it (ON DELETE CASCADE). Now the extraction is a conflict (tried again later)."""
    doc_id, document, pledge = _one_candidate(store)

    def attach() -> None:
        link = evidence_store.NewSuggestion(
            pledge.id, doc_id, 0, 5, 0.0, {}, Stance.MENTIONS, "editor", "1"
        )
        with store.session() as s:
            evidence_store.attach_evidence(s, link, actor="anna", how={"from": "document"})

    with meanwhile(store, attach) as seen, pytest.raises(ConflictError), store.session() as s:
        pledge_store.replace_candidates(s, document, [], "x", "2")
    assert seen
    with store.session() as s:
        assert [p.id for p in pledge_store.list_pledges(s, document_id=doc_id)] == [pledge.id]
        assert [e.pledge_id for e in evidence_store.list_evidence(s)] == [pledge.id]


def test_a_pledge_made_confirmed_by_a_merge_or_an_addition_counts_as_confirmed() -> None:
    """Review: only `pledge.confirm` (or a rejection from confirmed) counted, so a pledge a
    merge or an editor's addition made confirmed, merged away later, lost its public page."""
    from lofte.store.pledges import _confirmed_in

    merge = {"pledges": [{"id": 7, "state": "confirmed"}, {"id": 3, "state": "rejected"}]}
    assert _confirmed_in("pledge.merge", merge, 7) == {7}
    assert _confirmed_in("pledge.add", {"pledges": [{"id": 9, "state": "confirmed"}]}, 9) == {9}
    assert _confirmed_in("pledge.reject", {"before": "confirmed"}, 4) == {4}
    assert _confirmed_in("pledge.reject", {"before": "candidate"}, 4) == set()
    assert _confirmed_in("pledge.edit", {"pledges": [{"id": 5, "state": "candidate"}]}, 5) == set()
