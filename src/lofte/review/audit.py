"""`lofte audit verify`: is the audit chain whole, and does the store still say what it says?

Two checks, every problem reported with the entity named:
1. the chain: seq runs 1, 2, 3 … without gaps, each event links to the hash of the one before,
   each event's content hashes to its own hash, and the head row names the last event (and,
   when given, a head published earlier is still part of the chain);
2. the state: every verdict has its `verdict.set` event with the same content, every pledge and
   evidence decision with a recorded state still has that state, and nothing the log vouches
   for has disappeared.

One pattern of older logs is accounted for, not reported: withdrawing accepted evidence raised
its pledge's version (store.verdicts._refuse_withdrawing_a_source) while its `evidence.reject`
event did not yet record the pledge's state (QA: `lofte export` then refused the store). Each
such event, in the chain, explains at most one version more than the pledge's last recorded
state (at most: whether the Löfte that wrote it raised the version is not recorded). Every
other field is still compared, and a version below the recorded one or above what the log
explains is still a change outside Löfte. Withdrawals record the pledge's state now.

A forger with database access can rewrite the whole chain consistently; only a head kept
outside the database (an export, a published hash) catches that, hence `expected_head`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..store import audit, audit_guards
from ..store import pledges as pledge_store
from ..store import users as user_store
from ..store.db import Session

# events from before the chain (migration 0005) carried these verdict fields only
_LEGACY_VERDICT_FIELDS = ("status", "evidence_ids")


@dataclass(frozen=True)
class Problem:
    entity: str  # "audit event 12", "audit head", "verdict 5", "pledge 3", "evidence 7"
    message: str

    def __str__(self) -> str:
        return f"{self.entity}: {self.message}"


@dataclass
class VerifyReport:
    head: audit.ChainHead | None
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    # seqs of events whose stored row cannot be read at all (edited by hand into no JSON, no
    # date): the export cannot carry them, not even as unverified
    unreadable: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": None if self.head is None else {"seq": self.head.seq, "hash": self.head.hash},
            "problems": [{"entity": p.entity, "message": p.message} for p in self.problems],
        }


_VOUCHES_FOR_NOTHING = frozenset({"pledge.evidence_removed"})


@dataclass
class _Recorded:
    """The newest recorded state per entity, with the seq of the event that recorded it."""

    verdicts: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    pledges: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    evidence: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    # the role each account's last user.add / user.role event recorded
    roles: dict[int, tuple[int, str]] = field(default_factory=dict)
    # the username each account's last event recorded, and the accounts whose last event
    # removed them (an id SQLite gives again to a row inserted by hand)
    names: dict[int, tuple[int, str]] = field(default_factory=dict)
    removed: dict[int, int] = field(default_factory=dict)
    # entities with any event, also one from before the chain that recorded no state
    touched: set[tuple[str, int]] = field(default_factory=set)
    # per pledge, the withdrawals since its last recorded state whose events did not record
    # the version they raised (see the module's doc)
    unrecorded_raises: dict[int, int] = field(default_factory=dict)

    def add(
        self,
        seq: int,
        row_action: str,
        entity_type: str,
        entity_id: int | None,
        details: dict[str, Any],
    ) -> None:
        # an event vouches for its entity, except one that only says what left it (evidence
        # deleted with its document says nothing of the pledge's own state)
        if entity_id is not None and row_action not in _VOUCHES_FOR_NOTHING:
            self.touched.add((entity_type, entity_id))
        if row_action == "verdict.set":
            verdict = details.get("verdict")
            if isinstance(verdict, dict) and "id" in verdict:
                # its as-of date beside it: it decides the pledge's current status (QA, an
                # insider: an as-of moved by SQL flipped a status, and verify said OK)
                self.verdicts[verdict["id"]] = (seq, verdict | {"as_of": details.get("as_of")})
            elif "verdict_id" in details:  # before the chain: what the event had
                legacy = {k: details.get(k) for k in _LEGACY_VERDICT_FIELDS}
                self.verdicts[details["verdict_id"]] = (seq, legacy | {"pledge_id": entity_id})
        elif row_action == "verdict.publish":  # a draft published: the one field it changes
            verdict_id = details.get("verdict_id")
            if isinstance(verdict_id, int) and verdict_id in self.verdicts:
                state = self.verdicts[verdict_id][1]
                self.verdicts[verdict_id] = (seq, state | {"published": True})
        if entity_type == "user" and entity_id is not None:
            role = details.get("role" if row_action == "user.add" else "after")
            if row_action in ("user.add", "user.role") and isinstance(role, str):
                self.roles[entity_id] = (seq, role)
            elif row_action == "user.remove":
                self.roles.pop(entity_id, None)
            username = details.get("username")
            if isinstance(username, str):
                self.names[entity_id] = (seq, username)
            if row_action == "user.remove":
                self.removed[entity_id] = seq
            else:
                self.removed.pop(entity_id, None)
        withdrawn_from = details.get("pledge_id")
        if (
            row_action == "evidence.reject"
            and details.get("before") == "accepted"
            and "pledges" not in details
            and isinstance(withdrawn_from, int)
        ):
            raised = self.unrecorded_raises.get(withdrawn_from, 0) + 1
            self.unrecorded_raises[withdrawn_from] = raised
        for state in details.get("pledges") or []:
            self.pledges[state["id"]] = (seq, state)
            self.unrecorded_raises.pop(state["id"], None)
        for state in details.get("evidence") or []:
            self.evidence[state["id"]] = (seq, state)
        # a deleted tracker or document took these along: no event vouches for a row that
        # has their id later (review: a reused id passed as recorded, changed by hand)
        for pledge_id in details.get("removed_pledges") or []:
            self.pledges.pop(pledge_id, None)
            self.unrecorded_raises.pop(pledge_id, None)
            self.touched.discard(("pledge", pledge_id))
        for verdict_id in details.get("removed_verdicts") or []:
            self.verdicts.pop(verdict_id, None)
        for evidence_id in details.get("removed_evidence") or []:
            self.evidence.pop(evidence_id, None)
            self.touched.discard(("evidence", evidence_id))


def verify(session: Session, expected_head: audit.ChainHead | None = None) -> VerifyReport:
    report = VerifyReport(head=audit.chain_head(session))
    recorded = _Recorded()
    hashes_at: dict[int, str] = {}
    want_seq, prev = 1, audit.GENESIS_HASH
    for row in audit.chain_events(session):
        report.events += 1
        name = f"audit event {row.seq}"
        if row.seq != want_seq:
            missing = f"{want_seq}" if row.seq == want_seq + 1 else f"{want_seq}–{row.seq - 1}"
            report.problems.append(
                Problem(
                    f"audit event {missing}", "missing: the chain has a gap (events were deleted)"
                )
            )
        if row.prev_hash != prev:
            report.problems.append(
                Problem(name, "does not link to the event before it (its previous hash differs)")
            )
        if row.unreadable is not None:
            report.unreadable.append(row.seq)
            report.problems.append(
                Problem(
                    name,
                    f"{row.action} on {row.entity_type} {row.entity_id}: cannot be read, "
                    f"{row.unreadable} (the event was edited)",
                )
            )
        elif row.content_hash != row.hash:
            report.problems.append(
                Problem(
                    name,
                    f"{row.action} on {row.entity_type} "
                    f"{row.entity_id}: content does not match its hash "
                    "(the event was edited)",
                )
            )
        if expected_head is not None and row.seq == expected_head.seq:
            hashes_at[row.seq] = row.hash
        recorded.add(row.seq, row.action, row.entity_type, row.entity_id, row.details)
        want_seq, prev = row.seq + 1, row.hash
    _check_head(report, want_seq - 1, prev, expected_head, hashes_at)
    _check_verdicts(session, recorded, report)
    _check_states(
        session,
        recorded.pledges,
        audit.current_pledge_state,
        "pledge",
        report,
        recorded.unrecorded_raises,
    )
    _check_states(session, recorded.evidence, audit.current_evidence_state, "evidence", report)
    _check_unrecorded(session, recorded, report)
    _check_roles(session, recorded, report)
    _check_guards(session, report)
    return report


def _check_guards(session: Session, report: VerifyReport) -> None:
    """The append-only triggers are in place: without them an event can be changed or deleted
    with plain SQL (the chain then catches it, but only afterwards). QA: dropped by hand, and
    `audit verify` said OK."""
    for name in audit_guards.missing_guards(session):
        report.problems.append(
            Problem(
                "audit log",
                f"its append-only guard {name} is missing or disabled (changed in the database "
                "by hand?): events can be changed unseen until it is back; `lofte init` puts "
                "it back",
            )
        )


def put_back_guards(session: Session, actor: str) -> list[str]:
    """Make the missing append-only guards again (`lofte init`), recorded as an event."""
    restored = audit_guards.put_back_guards(session)
    if restored:
        audit.record_event(
            session, "audit.guards_restored", "audit_log", None, actor, guards=restored
        )
    return restored


def _check_roles(session: Session, recorded: _Recorded, report: VerifyReport) -> None:
    """Every account whose role an event recorded still has that role: an editor made admin
    in the database by hand is found. An enabled account no event names at all was added
    outside Löfte (QA: an admin inserted by hand passed). A disabled account without events is
    not a problem: an import makes them, and enabling one is an event."""
    for user_id, username, role, enabled in audit.current_user_roles(session):
        if enabled and ("user", user_id) not in recorded.touched:
            report.problems.append(
                Problem(
                    f"user {user_id}",
                    f"{username!r} ({role}) can log in, but no audit event records the "
                    "account (added outside Löfte)",
                )
            )
            continue
        if enabled and user_id in recorded.removed:  # QA: inserted by hand into a freed id
            report.problems.append(
                Problem(
                    f"user {user_id}",
                    f"{username!r} ({role}) can log in, but its last event (audit event "
                    f"{recorded.removed[user_id]}) removed the account (added outside Löfte)",
                )
            )
            continue
        if user_id in recorded.names and recorded.names[user_id][1] != username:
            seq, named = recorded.names[user_id]
            report.problems.append(
                Problem(
                    f"user {user_id}",
                    f"{username!r} was {named!r} in its last event (audit event {seq}) "
                    "(renamed outside Löfte)",
                )
            )
        if user_id not in recorded.roles:
            continue
        seq, want = recorded.roles[user_id]
        if role != want:
            report.problems.append(
                Problem(
                    f"user {user_id}",
                    f"{username!r} is {role}, but its last role event (audit event {seq}) "
                    f"made it {want} (changed outside Löfte)",
                )
            )


def _check_head(
    report: VerifyReport,
    last_seq: int,
    last_hash: str,
    expected: audit.ChainHead | None,
    hashes_at: dict[int, str],
) -> None:
    head = report.head
    if head is None:
        report.problems.append(Problem("audit head", "missing (the head row was deleted)"))
    elif (head.seq, head.hash) != (last_seq, last_hash):
        report.problems.append(
            Problem(
                "audit head",
                f"names event {head.seq} ({head.hash[:12]}…) but the last event is "
                f"{last_seq} ({last_hash[:12]}…): events at the end were removed or added",
            )
        )
    if expected is not None and hashes_at.get(expected.seq) != expected.hash:
        report.problems.append(
            Problem(
                "audit head",
                f"the head given (event {expected.seq}, {expected.hash[:12]}…) is not "
                "part of this chain: history was rewritten since it was published",
            )
        )


def _differs(current: dict[str, Any], recorded: dict[str, Any]) -> list[str]:
    return [k for k in sorted(recorded) if k in current and current[k] != recorded[k]]


def _check_verdicts(session: Session, recorded: _Recorded, report: VerifyReport) -> None:
    usernames = user_store.usernames(session)
    seen = set()
    for current in audit.current_verdict_states(session, usernames):
        verdict_id, author_id = current["id"], current["author_id"]
        seen.add(verdict_id)
        name = f"verdict {verdict_id} (pledge {current['pledge_id']})"
        found = recorded.verdicts.get(verdict_id)
        if found is None:
            report.problems.append(Problem(name, "has no verdict.set event in the audit log"))
            continue
        seq, state = found
        fields = [k for k in _differs(current, state) if k != "author"]
        # a removed account leaves its verdicts without author: not a forgery
        if "author_id" in fields and author_id is None and state.get("author_id") not in usernames:
            fields.remove("author_id")
        if fields:
            report.problems.append(
                Problem(
                    name,
                    f"differs from audit event {seq} in "
                    f"{', '.join(fields)} (changed outside Löfte)",
                )
            )
    for verdict_id, (seq, _) in sorted(recorded.verdicts.items()):
        if verdict_id not in seen:
            report.problems.append(
                Problem(
                    f"verdict {verdict_id}",
                    f"recorded by audit event {seq} but missing from the store",
                )
            )


def _check_states(
    session: Session,
    recorded: dict[int, tuple[int, dict[str, Any]]],
    state_of: Callable[[Session, int], dict[str, Any] | None],
    label: str,
    report: VerifyReport,
    unrecorded_raises: dict[int, int] | None = None,
) -> None:
    """Each recorded entity still exists and is as its last event left it; its version may be
    up to `unrecorded_raises` more (older withdrawals, see the module's doc)."""
    for entity_id, (seq, state) in sorted(recorded.items()):
        current = state_of(session, entity_id)
        if current is None:
            report.problems.append(
                Problem(
                    f"{label} {entity_id}",
                    f"recorded by audit event {seq} but missing from the store",
                )
            )
            continue
        fields = _differs(current, state)
        raised = (unrecorded_raises or {}).get(entity_id, 0)
        if "version" in fields and _within(current["version"], state["version"], raised):
            fields.remove("version")
        if fields:
            report.problems.append(
                Problem(
                    f"{label} {entity_id}",
                    f"differs from audit event {seq} in "
                    f"{', '.join(fields)} (changed outside Löfte)",
                )
            )


def _within(current: Any, recorded: Any, raised: int) -> bool:
    """Whether a version is the recorded one raised by at most `raised` unrecorded raises."""
    if not isinstance(current, int) or not isinstance(recorded, int):
        return False
    return recorded <= current <= recorded + raised


def _check_unrecorded(session: Session, recorded: _Recorded, report: VerifyReport) -> None:
    """What no event vouches for may only be pipeline output nobody reviewed (a candidate at
    version 1, a suggestion); and every pledge's quote must be its document's text at its span,
    recorded ones too: an event vouches for the pledge's row, not for the document's text under
    it (QA: a letter changed in a program under a confirmed pledge passed verify)."""
    for pledge_id, state, version, quote, text in audit.pledges_and_their_text(session):
        vouched = pledge_id in recorded.pledges or ("pledge", pledge_id) in recorded.touched
        # an older withdrawal may have raised an unrecorded candidate's version: logged, so
        # the candidate is unreviewed at any version it explains (see the module's doc)
        unreviewed = pledge_store.unreviewed(state, 1) and _within(
            version, 1, recorded.unrecorded_raises.get(pledge_id, 0)
        )
        if not vouched and not unreviewed:
            report.problems.append(
                Problem(
                    f"pledge {pledge_id}",
                    f"is {state} at version {version} "
                    "but no audit event records it (changed outside Löfte)",
                )
            )
        elif text is not None and quote != text:  # None: its text left a changed document
            report.problems.append(
                Problem(
                    f"pledge {pledge_id}",
                    "its quote is not its document's text at its span (changed outside Löfte)",
                )
            )
    for evidence_id, state in audit.decided_evidence(session):
        if (
            evidence_id not in recorded.evidence
            and ("evidence", evidence_id) not in recorded.touched
        ):
            report.problems.append(
                Problem(
                    f"evidence {evidence_id}",
                    f"is {state} but no audit event records that decision (changed outside Löfte)",
                )
            )
