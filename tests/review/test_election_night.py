"""Two editors at once on one pledge, at the moment a race needs (`tests.interleave`): the
rule holds in the database (QA, five editors on one tracker: a draft verdict was published on
a pledge rejected at the same moment; a suggestion accepted on a group just split)."""

from __future__ import annotations

import threading

import pytest

from lofte.errors import AlreadySavedError, ConflictError, ValidationError
from lofte.model import PledgeState, ReviewState, VerdictStatus
from lofte.review import pledges as review
from lofte.review.bulk import decide_many
from lofte.review.verdicts import decide_evidence, publish_verdict, set_verdict
from lofte.store import audit as audit_store
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store
from tests.interleave import meanwhile
from tests.review.fixtures import (
    PROGRAM,
    confirmed_pledge_with_evidence,
    news_suggestion,
    pledge_row,
    program_document,
)


def test_a_draft_is_not_published_on_a_pledge_rejected_meanwhile(store: Store) -> None:
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="ed1")
    draft = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], actor="ed1", draft=True
    )
    with (
        meanwhile(store, lambda: review.reject(store, pledge_id, actor="ed2")) as seen,
        pytest.raises(ValidationError, match=rf"pledge {pledge_id} is rejected, not confirmed"),
    ):
        publish_verdict(store, draft.id, actor="ed1")
    assert seen  # the reject ran between the publish's reads and its first write
    with store.session() as s:
        assert pledge_store.get_pledge(s, pledge_id).state is PledgeState.REJECTED
        assert not verdict_store.get_verdict(s, draft.id).published


def test_a_reject_after_the_publish_meets_its_raised_version(store: Store) -> None:
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="ed1")
    draft = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], actor="ed1", draft=True
    )
    with store.session() as s:
        seen = pledge_store.get_pledge(s, pledge_id).version
    publish_verdict(store, draft.id, actor="ed1")
    with pytest.raises(ConflictError):
        review.reject(store, pledge_id, actor="ed2", expected_version=seen)


def test_a_suggestion_of_a_group_split_meanwhile_is_not_accepted(store: Store) -> None:
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    cut = PROGRAM.index(" en ny")
    with (
        meanwhile(store, lambda: review.split(store, pledge_id, [cut], actor="ed2")) as seen,
        pytest.raises(ValidationError, match=rf"pledge {pledge_id} is split into parts"),
    ):
        decide_evidence(store, evidence_id, True, actor="ed1")
    assert seen
    with store.session() as s:
        evidence = evidence_store.get_evidence(s, evidence_id)
        assert evidence.review_state is ReviewState.SUGGESTED
    # rejecting it stays possible: nothing is counted for a rejected suggestion
    decide_evidence(store, evidence_id, False, actor="ed1")


def _two_pledges_and_a_suggestion(store: Store) -> tuple[int, int, int]:
    """Two confirmed neighbours of one program and a suggestion for the second: (a, b, its
    suggestion)."""
    body = "Vi ska bygga en ny simhall i Norrvik. Vi ska rusta upp elljusspåret."
    doc = program_document(store, body)
    a = pledge_row(store, doc, "Vi ska bygga en ny simhall i Norrvik.", state="confirmed")
    b = pledge_row(store, doc, "Vi ska rusta upp elljusspåret.", state="confirmed")
    return a, b, news_suggestion(store, b, "Elljusspåret är upprustat.")


def test_a_suggestion_accepted_during_a_merge_never_stays_with_a_merged_away_pledge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The accept starts after the merge read the pledges' evidence and before it writes (QA:
    on PostgreSQL the accepted evidence stayed with the rejected pledge, 6 of 15 rounds): it
    waits for the merge and is refused, or went first and refuses the merge."""
    a, b, suggestion = _two_pledges_and_a_suggestion(store)
    outcome: list[object] = []

    def accept() -> None:
        try:
            outcome.append(decide_evidence(store, suggestion, True, actor="ed2"))
        except ValidationError as exc:
            outcome.append(exc)

    accepting = threading.Thread(target=accept)
    real = review._refuse_rated

    def then_accept(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        accepting.start()
        accepting.join(timeout=1.0)  # long enough to finish, unless it waits for the merge

    monkeypatch.setattr(review, "_refuse_rated", then_accept)
    try:
        review.merge(store, [a, b], actor="ed1")
    except ValidationError as exc:  # the accept went first: the merge refuses a rated pledge
        assert "accepted evidence" in str(exc)
    accepting.join()
    with store.session() as s:
        evidence = evidence_store.get_evidence(s, suggestion)
        pledge = pledge_store.get_pledge(s, evidence.pledge_id)
        if evidence.review_state is ReviewState.ACCEPTED:
            assert pledge.state is not PledgeState.REJECTED, outcome
    assert len(outcome) == 1


def test_a_bulk_accept_reports_a_suggestion_of_a_split_pledge_and_goes_on(store: Store) -> None:
    """Refused for its pledge (split, or rejected, meanwhile), a suggestion is reported beside
    the others and the rest are decided (review: the refusal escaped as a 400 page, the
    suggestions after it never tried)."""
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    a, b, other = _two_pledges_and_a_suggestion(store)
    review.split(store, pledge_id, [PROGRAM.index(" en ny")], actor="ed2")
    result = decide_many(store, [evidence_id, other], True, actor="ed1")
    assert "is split into parts" in result.conflicts[evidence_id]
    assert [e.id for e in result.decided] == [other]


def test_a_second_reject_with_another_reason_is_a_conflict_not_silence(store: Store) -> None:
    pledge_id, _ = confirmed_pledge_with_evidence(store)
    review.reject(store, pledge_id, reason="En dubblett.", actor="ed1")
    with pytest.raises(ConflictError, match="rejected already, with another reason"):
        review.reject(store, pledge_id, reason="Inget löfte.", actor="ed2")
    for same in ("En dubblett.", None):  # a second click, or no reason to lose
        with pytest.raises(AlreadySavedError):
            review.reject(store, pledge_id, reason=same, actor="ed1")


@pytest.mark.parametrize("second", ["En dubblett.", "Inget löfte."])
def test_a_reject_that_meets_one_made_meanwhile_reads_it_before_deciding(
    store: Store, second: str
) -> None:
    # QA: two editors rejecting at once with the same reason; the one who read first and wrote
    # second got a 409 (nothing to reload: the pledge was rejected as they wished)
    pledge_id, _ = confirmed_pledge_with_evidence(store)
    version = _version(store, pledge_id)
    other = lambda: review.reject(store, pledge_id, reason="En dubblett.", actor="ed1")  # noqa: E731
    with meanwhile(store, other) as seen:
        if second == "En dubblett.":
            with pytest.raises(AlreadySavedError):
                review.reject(
                    store, pledge_id, reason=second, actor="ed2", expected_version=version
                )
        else:
            with pytest.raises(ConflictError, match="rejected already, with another reason"):
                review.reject(
                    store, pledge_id, reason=second, actor="ed2", expected_version=version
                )
    assert seen
    with store.session() as s:
        events = audit_store.list_events(s, "pledge", pledge_id)
    assert [e.actor for e in events if e.action == "pledge.reject"] == ["ed1"]


def _version(store: Store, pledge_id: int) -> int:
    with store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def test_confirming_a_group_while_its_parts_are_merged_does_not_deadlock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review: confirm's hold of the group (FOR UPDATE) waited for the merge's insert of a part
    # under it (which locks the group KEY SHARE) while the merge waited for the parts confirm
    # was updating: PostgreSQL broke the deadlock with a 409 for nothing
    import time

    body = "Vi ska bygga en ny simhall i Norrvik och vi ska sänka taxan för kollektivtrafiken."
    group = pledge_row(store, program_document(store, body), body)
    first, second = (p.id for p in review.split(store, group, [body.index(" och ")], actor="ed0"))
    confirming = threading.Event()
    real = pledge_store.confirm_candidate_parts

    def slow(session: object, group_id: int) -> list[int]:
        confirming.set()
        time.sleep(1.5)  # the merge meanwhile holds the parts, and inserts under the group
        return real(session, group_id)  # type: ignore[arg-type]

    monkeypatch.setattr(pledge_store, "confirm_candidate_parts", slow)
    done: dict[str, object] = {}

    def confirm() -> None:
        try:
            done["confirm"] = review.confirm(store, group, actor="ed1")
        except Exception as exc:  # noqa: BLE001 - reported below, with its kind
            done["confirm"] = exc

    def merge() -> None:
        confirming.wait(10)
        try:
            done["merge"] = review.merge(store, [first, second], actor="ed2")
        except Exception as exc:  # noqa: BLE001
            done["merge"] = exc

    threads = [threading.Thread(target=confirm), threading.Thread(target=merge)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(isinstance(v, Exception) for v in done.values()), done
