"""Verdicts: rules for evidence and reasons, append-only history, conflicts between editors."""

from __future__ import annotations

import pytest

from lofte.errors import AlreadySavedError, ConflictError, ValidationError
from lofte.model import ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import audit
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store
from tests.review.fixtures import PROGRAM, news_suggestion, pledge_row
from tests.review.fixtures import confirmed_pledge_with_evidence as pledge_with_evidence


def test_kept_needs_accepted_evidence(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    with pytest.raises(ValidationError, match="needs at least one accepted"):
        set_verdict(store, pledge_id, VerdictStatus.KEPT, "Simhallen är invigd.", author=editor)
    with pytest.raises(ValidationError, match="not accepted"):
        set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor)
    decide_evidence(store, evidence_id, True, actor="anna")
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=editor
    )
    assert verdict.status is VerdictStatus.KEPT and verdict.author == "anna"
    assert verdict.evidence_ids == (evidence_id,)


def test_evidence_of_another_pledge_is_refused_naming_its_pledge(store: Store) -> None:
    """QA: "evidence 7 belongs to another pledge" left the editor to find which."""
    from lofte.review.pledges import confirm

    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="anna")
    with store.session() as s:
        doc_id = pledge_store.get_pledge(s, pledge_id).document_id
    other = pledge_row(store, doc_id, PROGRAM, confidence=1.0)
    confirm(store, other, actor="tester")
    own = news_suggestion(store, other, key="other")
    decide_evidence(store, own, True, actor="anna")
    editor = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="tester")
    with pytest.raises(ValidationError) as refused:
        set_verdict(store, other, VerdictStatus.KEPT, "Invigd.", [own, evidence_id], author=editor)
    assert (
        str(refused.value) == f"evidence {evidence_id} belongs to pledge {pledge_id}, not {other}"
    )
    assert refused.value.fields == ("evidence",)


def test_not_checkable_needs_a_reason_and_history_is_append_only(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    with pytest.raises(ValidationError, match="reason"):
        set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, "  ", actor="tester")
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Upphandling pågår.", actor="tester")
    set_verdict(
        store, pledge_id, VerdictStatus.NOT_CHECKABLE, "Löftet saknar mätbart mål.", actor="tester"
    )
    with store.session() as s:
        history = verdict_store.verdict_history(s, pledge_id)
        assert [v.status for v in history] == [
            VerdictStatus.IN_THE_WORKS,
            VerdictStatus.NOT_CHECKABLE,
        ]
        assert verdict_store.statuses(s)[pledge_id] is VerdictStatus.NOT_CHECKABLE
        actions = [e.action for e in audit.list_events(s, "pledge", pledge_id)]
        assert actions == ["pledge.confirm"] + ["verdict.set"] * 2


def test_an_invisible_or_overlong_rationale_area_or_topic_is_refused(store: Store) -> None:
    """QA: a rationale of two zero-width spaces passed "needs a rationale" and was published;
    an area of one made an invisible row on the meter; 200,000 characters were taken."""
    from lofte.review import pledges as pledge_review
    from lofte.review.reasons import MAX_LABEL_LENGTH, MAX_RATIONALE_LENGTH

    pledge_id, _ = pledge_with_evidence(store)
    for invisible in ("\u200b\u200b", " \u2060\ufeff "):
        with pytest.raises(ValidationError, match="needs the reason"):
            set_verdict(store, pledge_id, VerdictStatus.NOT_CHECKABLE, invisible, actor="t")
    with pytest.raises(ValidationError, match="the rationale has 10001 characters"):
        set_verdict(
            store,
            pledge_id,
            VerdictStatus.IN_THE_WORKS,
            "x" * (MAX_RATIONALE_LENGTH + 1),
            actor="t",
        )
    edited = pledge_review.edit(store, pledge_id, area="Skola", actor="t")
    assert edited.area == "Skola"
    assert pledge_review.edit(store, pledge_id, area="\u200b", actor="t").area is None
    with pytest.raises(ValidationError, match="the area has 201 characters"):
        pledge_review.edit(store, pledge_id, area="å" * (MAX_LABEL_LENGTH + 1), actor="t")
    with pytest.raises(ValidationError, match="the topic has 201 characters"):
        pledge_review.edit(store, pledge_id, topic="å" * (MAX_LABEL_LENGTH + 1), actor="t")


def test_two_editors_at_once_the_second_gets_a_conflict(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    with store.session() as s:
        seen = pledge_store.get_pledge(s, pledge_id).version
    set_verdict(
        store,
        pledge_id,
        VerdictStatus.IN_THE_WORKS,
        "Beslut fattat.",
        expected_version=seen,
        actor="tester",
    )
    with pytest.raises(ConflictError):
        set_verdict(
            store,
            pledge_id,
            VerdictStatus.STALLED,
            "Inget händer.",
            expected_version=seen,
            actor="tester",
        )
    decide_evidence(store, evidence_id, False, actor="anna")
    with pytest.raises(ConflictError, match="already rejected"):
        decide_evidence(store, evidence_id, True, actor="bo")
    with store.session() as s:
        (evidence,) = evidence_store.list_evidence(s, pledge_id=pledge_id)
        assert evidence.review_state is ReviewState.REJECTED
        assert [v.status for v in verdict_store.verdict_history(s, pledge_id)] == [
            VerdictStatus.IN_THE_WORKS
        ]


def test_a_rejected_pledge_gets_no_verdict(store: Store) -> None:
    from lofte.review.pledges import reject

    pledge_id, _ = pledge_with_evidence(store)
    reject(store, pledge_id, reason="inget löfte", actor="tester")
    with pytest.raises(ValidationError, match="rejected"):
        set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Något händer.", actor="tester")


def test_a_rejected_pledge_s_suggestions_can_be_rejected_not_accepted_or_queued(
    store: Store,
) -> None:
    """QA: the queue kept and counted a rejected pledge's suggestions, and accepting one put it
    on the rejected pledge's public page, while attaching refused the pledge."""
    from lofte.review.pledges import reject
    from lofte.store import review_queue

    pledge_id, evidence_id = pledge_with_evidence(store)
    with store.session() as s:
        tracker_id = pledge_store.get_pledge(s, pledge_id).tracker_id
        assert evidence_store.count_suggested(s, tracker_id) == 1
    reject(store, pledge_id, reason="inget löfte", actor="tester")
    with pytest.raises(ValidationError, match="rejected: it takes no evidence"):
        decide_evidence(store, evidence_id, True, actor="anna")
    with store.session() as s:
        assert evidence_store.count_suggested(s, tracker_id) == 0
        found, total = review_queue.queue_page(
            s, tracker_id, review_queue.QueueFilter(), limit=10, offset=0
        )
        assert (found, total) == ([], 0)
        (evidence,) = evidence_store.list_evidence(s, pledge_id=pledge_id)
        assert evidence.review_state is ReviewState.SUGGESTED  # nothing half-done
    assert decide_evidence(store, evidence_id, False, actor="anna").review_state is (
        ReviewState.REJECTED
    )


def test_a_published_verdict_s_source_cannot_be_withdrawn_a_draft_s_can(
    store: Store,
) -> None:
    """QA: withdrawing the evidence a published "kept" cited left the page saying "based on
    evidence 5", with no evidence 5 on it, and the meter counting it kept. And under a newer
    verdict (QA, a party's press officer): the earlier verdict's page, API record and open
    data cited nothing."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="anna")
    set_verdict(store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], actor="anna")
    with pytest.raises(ValidationError, match="source of the current verdict"):
        decide_evidence(store, evidence_id, False, actor="anna", expected_state=None)
    with store.session() as s:
        (evidence,) = evidence_store.list_evidence(s, pledge_id=pledge_id)
        assert evidence.review_state is ReviewState.ACCEPTED  # nothing half-done
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Omprövad.", actor="anna")
    with pytest.raises(ValidationError, match=r"published verdict \d+: a published verdict's"):
        decide_evidence(store, evidence_id, False, actor="anna", expected_state=None)
    other = news_suggestion(store, pledge_id, body="Simhallen invigs i maj.", key="n2")
    decide_evidence(store, other, True, actor="anna")
    set_verdict(store, pledge_id, VerdictStatus.KEPT, "Utkast.", [other], actor="anna", draft=True)
    withdrawn = decide_evidence(store, other, False, actor="anna", expected_state=None)
    assert withdrawn.review_state is ReviewState.REJECTED  # a draft is no public record


def test_the_same_verdict_twice_is_saved_once(store: Store) -> None:
    """A form sent again (Back, then Save) adds no second, identical history entry."""
    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(store, evidence_id, True, actor="anna")

    def save(rationale: str = "Invigd.", draft: bool = False, version: int | None = None) -> int:
        return set_verdict(
            store,
            pledge_id,
            VerdictStatus.KEPT,
            rationale,
            [evidence_id],
            actor="anna",
            as_of="2024-03",
            draft=draft,
            expected_version=version,
        ).id

    with store.session() as s:
        before = pledge_store.get_pledge(s, pledge_id).version
    first = save()
    with store.session() as s:
        version = pledge_store.get_pledge(s, pledge_id).version
    with pytest.raises(AlreadySavedError, match=f"already has this verdict \\({first}\\)"):
        save(" Invigd. ", version=version)
    # the same form sent twice (a double click) carries the version the first one changed:
    # not another editor's change
    with pytest.raises(AlreadySavedError, match=f"already has this verdict \\({first}\\)"):
        save(version=before)
    with pytest.raises(ConflictError) as refused:  # a different verdict on it is a conflict
        save("Invigd i mars.", version=before)
    assert not isinstance(refused.value, AlreadySavedError)
    # any difference is a new verdict: here the draft flag, then the draft's publication
    save(draft=True)
    save()
    with store.session() as s:
        history = verdict_store.verdict_history(s, pledge_id)
        assert [v.published for v in history] == [True, False, True]
        # the draft left the (public) version as it was; the published verdict raised it
        assert pledge_store.get_pledge(s, pledge_id).version == version + 1
        actions = [e.action for e in audit.list_events(s, "pledge", pledge_id)]
        assert actions.count("verdict.set") == 3


def test_a_decisions_reason_is_kept_in_its_event_on_one_line(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    decide_evidence(
        store, evidence_id, False, actor="anna", reason="  Ett förslag,\n\tinte ett beslut. "
    )
    with store.session() as s:
        (event,) = audit.list_events(s, "evidence", evidence_id)
    assert event.action == "evidence.reject"
    assert event.details["reason"] == "Ett förslag, inte ett beslut."
    decide_evidence(store, evidence_id, True, actor="bo", expected_state=None, reason=" \n ")
    with store.session() as s:
        events = audit.list_events(s, "evidence", evidence_id)
    assert "reason" not in events[-1].details  # no reason given: none recorded


def test_a_reason_too_long_is_refused_and_nothing_is_decided(store: Store) -> None:
    from lofte.review.verdicts import MAX_REASON_LENGTH

    pledge_id, evidence_id = pledge_with_evidence(store)
    with pytest.raises(ValidationError, match=f"at most {MAX_REASON_LENGTH}"):
        decide_evidence(store, evidence_id, False, actor="anna", reason="x" * 2001)
    with store.session() as s:
        assert evidence_store.get_evidence(s, evidence_id).review_state is ReviewState.SUGGESTED
        assert audit.list_events(s, "evidence", evidence_id) == []
    decide_evidence(store, evidence_id, False, actor="anna", reason="x" * MAX_REASON_LENGTH)


def test_an_empty_not_rated_verdict_on_an_unrated_pledge_is_refused(store: Store) -> None:
    """Enter in the verdict form with its default status would publish an entry saying
    nothing; setting a rated pledge back to not rated needs no rationale."""
    pledge_id, _ = pledge_with_evidence(store)
    with pytest.raises(ValidationError, match="not rated already"):
        set_verdict(store, pledge_id, VerdictStatus.NOT_RATED, "  ", actor="anna")
    with store.session() as s:
        assert verdict_store.verdict_history(s, pledge_id) == []
    set_verdict(store, pledge_id, VerdictStatus.NOT_RATED, "Inget beslut ännu.", actor="anna")
    set_verdict(store, pledge_id, VerdictStatus.STALLED, "Inget händer.", actor="anna")
    set_verdict(store, pledge_id, VerdictStatus.NOT_RATED, "", actor="anna")  # back to unrated
    with store.session() as s:
        assert verdict_store.current_status(s, pledge_id) is VerdictStatus.NOT_RATED


def test_a_verdict_is_not_authored_in_the_name_of_a_viewer_or_a_disabled_account(
    store: Store,
) -> None:
    """QA, an insider: `lofte verdict … --actor lasare` published a verdict whose author was a
    viewer's account. A name that is no account stays possible (the CLI has no login)."""
    pledge_id, _ = pledge_with_evidence(store)
    users.add_user(store, "lasare", "ett långt lösenord", Role.VIEWER, actor="admin")
    users.add_user(store, "bo", "ett långt lösenord", Role.EDITOR, actor="admin")
    users.disable_user(store, "bo", actor="admin")
    for name, said in (("lasare", "a viewer"), ("bo", "a disabled account")):
        with pytest.raises(ValidationError, match=f"'{name}' is {said}, who cannot write"):
            set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Pågår.", actor=name)
    set_verdict(store, pledge_id, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="redaktionen")
    with store.session() as s:
        (verdict,) = verdict_store.verdict_history(s, pledge_id)
    assert verdict.author is None
