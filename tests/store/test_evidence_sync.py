"""`store.evidence.sync_suggestions`: the linker's suggestions kept by their pair and passage."""

from __future__ import annotations

from lofte.model import ReviewState, Stance
from lofte.review.verdicts import decide_evidence
from lofte.store import evidence as evidence_store
from lofte.store.db import Store
from lofte.store.schema import EvidenceRow, PledgeRow
from tests.review.fixtures import NEWS, PROGRAM, pledge_row, pledge_with_evidence


def _suggestion(
    pledge_id: int, document_id: int, end: int, score: float
) -> evidence_store.NewSuggestion:
    return evidence_store.NewSuggestion(
        pledge_id, document_id, 0, end, score, {"why": score}, Stance.MENTIONS, "link", "2"
    )


def _row(store: Store, evidence_id: int) -> EvidenceRow | None:
    with store.session() as s:
        row = s.get(EvidenceRow, evidence_id)
        if row is not None:
            s.expunge(row)
        return row


def _second_pledge(store: Store, pledge_id: int) -> int:
    with store.session() as s:
        first = s.get(PledgeRow, pledge_id)
        assert first is not None
        document_id = first.document_id
    return pledge_row(store, document_id, PROGRAM[:2])


def test_a_pair_at_the_same_passage_keeps_its_id_and_another_passage_gets_a_new_one(
    store: Store,
) -> None:
    """Review: a kept id whose passage the linker moved let an editor holding the id accept a
    passage they never saw. The same passage keeps its id (values updated, modified_at
    moved); another passage is a new row, and the old id is gone."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    before = _row(store, evidence_id)
    assert before is not None
    doc = before.document_id
    other = _second_pledge(store, pledge_id)
    # the other pledge's suggestion comes after it: the moved one's id is not the highest
    # (SQLite gives a deleted highest id to the next row, as it always did)
    same_passage = [_suggestion(pledge_id, doc, len(NEWS), 0.7), _suggestion(other, doc, 5, 0.6)]
    with store.session() as s:
        synced = evidence_store.sync_suggestions(s, [doc], same_passage)
    assert synced == (set(), {(other, doc)}, set())  # only the other pledge's pair is new
    same = _row(store, evidence_id)
    assert same is not None and same.score == 0.7 and same.features == {"why": 0.7}
    assert same.stage_version == "2" and same.modified_at >= before.modified_at
    moved = [_suggestion(pledge_id, doc, 10, 0.8), _suggestion(other, doc, 5, 0.6)]
    with store.session() as s:
        synced = evidence_store.sync_suggestions(s, [doc], moved)
    assert synced == (set(), set(), set())  # a passage moved: neither new nor gone
    assert _row(store, evidence_id) is None  # the id an editor held is gone, not moved
    with store.session() as s:
        rows = s.query(EvidenceRow).filter_by(document_id=doc).order_by(EvidenceRow.id).all()
        found = [(r.pledge_id, r.start, r.end, r.score, r.review_state) for r in rows]
    assert found == [(other, 0, 5, 0.6, "suggested"), (pledge_id, 0, 10, 0.8, "suggested")]


def test_a_decided_pair_is_left_and_reported(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="anna")
    row = _row(store, evidence_id)
    assert row is not None
    with store.session() as s:
        decided = evidence_store.sync_suggestions(
            s, [row.document_id], [_suggestion(pledge_id, row.document_id, 10, 0.8)]
        )
    assert decided == ({(pledge_id, row.document_id)}, set(), set())
    again = _row(store, evidence_id)
    assert again is not None and again.review_state == ReviewState.ACCEPTED.value
    assert (again.end, again.score) == (len(NEWS), 0.9)  # untouched


def test_the_columns_a_suggestion_sets_are_the_ones_read_back_and_updated() -> None:
    values = evidence_store._suggestion_values(_suggestion(1, 2, 3, 0.5))
    assert tuple(values) == evidence_store._SUGGESTION_COLUMNS


def test_a_pair_no_longer_found_is_gone_and_a_new_pair_is_new(store: Store) -> None:
    """Review: `lofte link` counted every pair found again as a suggestion and said nothing of
    those it deleted; the sync names the new pairs and the pairs gone."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    before = _row(store, evidence_id)
    assert before is not None
    doc = before.document_id
    other = _second_pledge(store, pledge_id)
    with store.session() as s:
        synced = evidence_store.sync_suggestions(s, [doc], [_suggestion(other, doc, 5, 0.6)])
    assert synced == (set(), {(other, doc)}, {(pledge_id, doc)})
    with store.session() as s:
        left = s.query(EvidenceRow.pledge_id).filter_by(document_id=doc).all()
    assert [p for (p,) in left] == [other]
    with store.session() as s:  # found again unchanged: neither
        synced = evidence_store.sync_suggestions(s, [doc], [_suggestion(other, doc, 5, 0.6)])
    assert synced == (set(), set(), set())


def test_a_row_a_merge_moves_meanwhile_is_neither_changed_back_nor_deleted(store: Store) -> None:
    """Review: the update and delete named a row by its id alone, so a suggestion a merge
    moved to the merged pledge between the linker's read and its write was set back to the
    merged-away pledge (a new linker version changes every row), or deleted."""
    from sqlalchemy import update

    from tests.interleave import meanwhile

    pledge_id, evidence_id = pledge_with_evidence(store)
    row = _row(store, evidence_id)
    assert row is not None
    doc = row.document_id
    merged = _second_pledge(store, pledge_id)

    def merge() -> None:
        with store.session() as s:
            s.execute(
                update(EvidenceRow).where(EvidenceRow.id == evidence_id).values(pledge_id=merged)
            )

    rescored = [_suggestion(pledge_id, doc, len(NEWS), 0.7)]  # the same passage, a new score
    for wanted in (rescored, []):  # changed, then no longer found
        with store.session() as s:
            s.execute(
                update(EvidenceRow).where(EvidenceRow.id == evidence_id).values(pledge_id=pledge_id)
            )
        with meanwhile(store, merge) as seen, store.session() as s:
            evidence_store.sync_suggestions(s, [doc], wanted)
        assert seen  # the merge ran before the linker's first write
        after = _row(store, evidence_id)
        assert after is not None and after.pledge_id == merged
