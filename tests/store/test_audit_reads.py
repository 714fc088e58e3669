"""store.audit's reads for `lofte audit verify`: the chain as records, the current states."""

from __future__ import annotations

from lofte.model import ReviewState, Role, VerdictStatus
from lofte.review import users
from lofte.review.pledges import confirm
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import audit
from lofte.store import users as user_store
from lofte.store.db import Store
from tests.review.fixtures import PROGRAM, pledge_with_evidence


def test_chain_events_carry_their_links_and_content_hash(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="admin")
    decide_evidence(store, evidence_id, True, actor="anna")
    with store.session() as s:
        events = list(audit.chain_events(s, batch=2))  # more than one batch
        head = audit.chain_head(s)
    assert [e.seq for e in events] == [1, 2]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert all(e.content_hash == e.hash for e in events)
    assert head == audit.ChainHead(2, events[1].hash)
    assert events[1].details["evidence"] == [
        {"id": evidence_id, "pledge_id": pledge_id, "review_state": "accepted"}
    ]


def test_current_states(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    anna = users.add_user(store, "anna", "ett långt lösenord", Role.EDITOR, actor="admin")
    with store.session() as s:
        assert audit.decided_evidence(s) == []
        assert audit.pledges_and_their_text(s) == [(pledge_id, "candidate", 1, PROGRAM, PROGRAM)]
        assert audit.current_evidence_state(s, evidence_id) == {
            "id": evidence_id,
            "pledge_id": pledge_id,
            "review_state": "suggested",
        }
        assert audit.current_evidence_state(s, evidence_id + 100) is None
        assert audit.current_pledge_state(s, pledge_id + 100) is None
        assert audit.current_pledge_state(s, pledge_id)["version"] == 1  # type: ignore[index]
    decide_evidence(store, evidence_id, True, actor="anna")
    confirm(store, pledge_id, actor="anna")  # verdicts are for confirmed pledges
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.KEPT, "Invigd.", [evidence_id], author=anna
    )
    with store.session() as s:
        assert audit.decided_evidence(s) == [(evidence_id, ReviewState.ACCEPTED.value)]
        [state] = audit.current_verdict_states(s, user_store.usernames(s))
        [event] = [e for e in audit.list_events(s) if e.action == "verdict.set"]
        # the state the event records, with the as-of date it records beside it
        assert state == event.details["verdict"] | {"as_of": event.details.get("as_of")}
        assert state["id"] == verdict.id and state["author"] == "anna"
        assert audit.current_pledge_state(s, pledge_id) == event.details["pledges"][0]
        # without the author's name (a removed account) the state has none
        [state] = audit.current_verdict_states(s, {})
        assert state["author"] is None and state["author_id"] == anna.id
