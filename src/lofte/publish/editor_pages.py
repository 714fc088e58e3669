"""Page data for the editors' pages: review queue, pledge review, history, audit log."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..language.collate import swedish_key
from ..model import Pledge, PledgeState, ReviewState, Tracker, VerdictStatus
from ..review.ranking import (
    MIN_RANKS,
    PRECISIONS,
    SORTS,
    RankFacts,
    RankFilter,
    precision_of,
    precision_value,
    rank_facts,
    rank_of,
    rank_value,
)
from ..review.reasons import MAX_LABEL_LENGTH, MAX_REASON_LENGTH
from ..store import audit, search
from ..store import documents as document_store
from ..store import pledges as pledge_store
from ..store import review_queue as queue_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.db import Session
from ..store.review_queue import QUEUE_SORTS, QueueFilter
from . import highlight, records, visibility
from .pages import (
    DOCUMENT_MARKS_SHOWN,
    _paging,
    detail_of,
    document_dict,
    evidence_dict,
    page_offset,
    pledge_dict,
    tracker_dict,
)

QUEUE_SIZE = 25
NEIGHBOURS = 6
SAME_TEXT_SHOWN = 20  # pledges with the same words a pledge's page names (the rest counted)


def pledges_to_review(
    outline: Sequence[pledge_store.RankRow], state: PledgeState
) -> list[pledge_store.RankRow]:
    """The pledges in `state` as an editor reviews them: a group whose parts are live is left
    out (its parts are what gets confirmed, rejected and rated; `pledges.checkable_ids`). The
    pledge review list shows these; the editors' home counts the same rule from the outline
    (`editor_home`), so both agree."""
    counted = pledge_store.checkable_ids((p.id, p.parent_id, p.state) for p in outline)
    return [
        p
        for p in outline
        if p.state == state.value and (p.id in counted or state is PledgeState.REJECTED)
    ]


def rank_facts_of(outline: Sequence[pledge_store.RankRow]) -> list[RankFacts]:
    """What ranking reads of the outline's rows, by the rules it reads a record by (applied
    once a value: a program's 760,000 candidates have a few thousand ranks)."""
    ranks = {v: rank_value(v) for v in {r.rank for r in outline}}
    precisions = {v: precision_value(v) for v in {r.precision for r in outline}}
    return [
        RankFacts(r.id, r.document_id, r.start, ranks[r.rank], precisions[r.precision])
        for r in outline
    ]


def open_suggestions(session: Session, tracker_id: int) -> int:
    """The suggestions waiting in the review queue as it first opens (its default filter):
    the home page's count and the queue's header come from the same query."""
    return queue_store.queue_page(
        session, tracker_id, QueueQuery().store_filter(), limit=0, offset=0
    )[1]


def editor_home(session: Session) -> dict[str, Any]:
    """Each tracker with its open suggestions and its pledges to review by state."""
    trackers = []
    for t in tracker_store.list_trackers(session):
        # counted from the outline, as `pledges_to_review` counts (QA: every record was read,
        # 54 s and 3 GB for a program of 760,000 candidates)
        outline = [
            (i, parent, state)
            for i, parent, state, _, _ in pledge_store.pledge_outline(session, t.id)
        ]
        counted = pledge_store.checkable_ids(outline)
        states = Counter(state for i, _, state in outline if i in counted)
        trackers.append(
            tracker_dict(t)
            | {
                "suggestions": open_suggestions(session, t.id),
                "candidates": states[PledgeState.CANDIDATE.value],
                "confirmed": states[PledgeState.CONFIRMED.value],
            }
        )
    return {"trackers": trackers}


# Score bands of the queue's filter: [from, below) of a suggestion's score.
SCORE_BANDS: dict[str, tuple[float | None, float | None]] = {
    "high": (0.75, None),
    "medium": (0.6, 0.75),
    "low": (None, 0.6),
}
QUEUE_STATES = ("suggested", "accepted", "rejected", "all")


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filters and sort as the editor chose them (checked by `parse`)."""

    state: str = "suggested"
    area: str | None = None
    party: str | None = None
    band: str | None = None
    document: int | None = None
    sort: str = "score"

    @classmethod
    def parse(
        cls,
        state: str | None = None,
        area: str | None = None,
        party: str | None = None,
        band: str | None = None,
        document: str | None = None,
        sort: str | None = None,
    ) -> QueueQuery:
        """ValidationError (a 400) for a value that is not one of the choices."""
        state, band, sort = state or "suggested", band or None, sort or "score"
        if state not in QUEUE_STATES:
            raise ValidationError(f"unknown state {state!r}: use {', '.join(QUEUE_STATES)}")
        if band is not None and band not in SCORE_BANDS:
            raise ValidationError(f"unknown score band {band!r}: use {', '.join(SCORE_BANDS)}")
        if sort not in QUEUE_SORTS:
            raise ValidationError(f"unknown sort {sort!r}: use {', '.join(QUEUE_SORTS)}")
        doc = None
        if document:
            if not document.isdigit() or int(document) > 2**31:
                raise ValidationError(f"document must be a document id, not {document!r}")
            doc = int(document)
        return cls(state, area or None, party or None, band, doc, sort)

    def store_filter(self) -> QueueFilter:
        low, high = SCORE_BANDS[self.band] if self.band else (None, None)
        states = () if self.state == "all" else (ReviewState(self.state),)
        return QueueFilter(
            states=states,
            area=self.area,
            party=self.party,
            document_id=self.document,
            min_score=low,
            below_score=high,
            sort=self.sort,
        )

    def params(self) -> dict[str, str]:
        """The non-default choices as query parameters (for the pager and the forms' `back`)."""
        values = {
            "state": "" if self.state == "suggested" else self.state,
            "area": self.area or "",
            "party": self.party or "",
            "band": self.band or "",
            "document": str(self.document or ""),
            "sort": "" if self.sort == "score" else self.sort,
        }
        return {k: v for k, v in values.items() if v}


DOCUMENT_MENU = 300  # documents with evidence listed in the queue's filter menu, at most


def review_queue(
    session: Session,
    slug: str,
    page: int = 1,
    page_size: int = QUEUE_SIZE,
    query: QueueQuery | None = None,
) -> dict[str, Any]:
    """A tracker's evidence (suggested by default, best first), filtered, sorted and paged,
    each with its pledge and explanation, and the choices of the filter menus."""
    tracker = tracker_store.get_tracker(session, slug)
    query = query or QueueQuery()
    page = max(page, 1)
    found, total = queue_store.queue_page(
        session,
        tracker.id,
        query.store_filter(),
        limit=page_size,
        offset=page_offset(page, page_size),
    )
    current = verdict_store.statuses(session, tracker.id) if found else {}
    items = []
    docs: dict[int, Any] = {}
    for ev in found:
        doc = docs.get(ev.document_id) or document_store.get_document(session, ev.document_id)
        docs[doc.id] = doc
        pledge = pledge_store.get_pledge(session, ev.pledge_id)
        items.append(
            evidence_dict(ev, doc)
            | {"pledge": ranked_dict(pledge, current.get(pledge.id), tracker.term_end)}
        )
    listed = queue_store.queue_documents(session, tracker.id, DOCUMENT_MENU)
    # None: too many for a menu, the filter takes a document's number instead
    documents = None if listed is None else [{"id": i, "title": t} for i, t in listed]
    return (
        {
            "tracker": tracker_dict(tracker),
            "items": items,
            "query": query,
            "params": query.params(),
            "states": list(QUEUE_STATES),
            "bands": list(SCORE_BANDS),
            "sorts": list(QUEUE_SORTS),
            "documents": documents,
        }
        | {  # the filter menus in Swedish alphabetical order, as the public pages have them
            name: sorted(values, key=swedish_key)
            for name, values in queue_store.queue_choices(session, tracker.id).items()
        }
        | _paging(total, page, page_size)
    )


def ranked_dict(
    p: Pledge, status: VerdictStatus | None = None, term_end: dt.date | None = None
) -> dict[str, Any]:
    """The pledge with its candidate rank and precision (None when the row has none);
    `term_end`: its tracker's (`review.deadlines`)."""
    return pledge_dict(p, status, term_end) | {
        "rank": rank_of(p.attributes),
        "precision": precision_of(p.attributes),
    }


def editor_pledges(
    session: Session,
    slug: str,
    state: str | None,
    page: int = 1,
    page_size: int = 50,
    ranking: RankFilter | None = None,
) -> dict[str, Any]:
    """Pledges of a tracker by state, filtered by precision and minimum rank, best rank first."""
    tracker = tracker_store.get_tracker(session, slug)
    ranking = ranking or RankFilter()
    known = [s.value for s in PledgeState]
    if state not in (None, "", "all", *known):  # a typo is no silent "all"
        raise ValidationError(f"unknown state {state!r}: use {', '.join([*known, 'all'])}")
    states = [PledgeState(state)] if state in known else None
    # all, as an outline (a group is known by its parts); whole records of the page's only
    # (QA: all 760,000 records of one program were read for 50, 55 s)
    every = pledge_store.rank_outline(session, tracker.id)
    listed = every if states is None else pledges_to_review(every, states[0])
    pledges = rank_facts(rank_facts_of(listed), ranking)
    current = verdict_store.statuses(session, tracker.id)
    page = max(page, 1)
    first = page_offset(page, page_size)
    shown = search.pledges_by_id(session, [p.id for p in pledges[first : first + page_size]])
    min_ranks = sorted(set(MIN_RANKS) | {ranking.min_rank})  # a typed-in value stays selectable
    return {
        "tracker": tracker_dict(tracker),
        "state": states[0].value if states else None,
        "states": [s.value for s in PledgeState],
        "pledges": [ranked_dict(p, current.get(p.id), tracker.term_end) for p in shown],
        "ranking": {
            "precision": ranking.precision or "all",
            "min_rank": ranking.min_rank,
            "sort": ranking.sort,
        },
        "precisions": ["all", *PRECISIONS],
        "min_ranks": min_ranks,
        "sorts": list(SORTS),
    } | _paging(len(pledges), page, page_size)


def pledge_history(session: Session, pledge_id: int) -> list[dict[str, Any]]:
    """Every audit event about the pledge or its evidence, oldest first (verdicts included)."""
    return [records.audit_event(e) for e in audit.pledge_events(session, pledge_id)]


# The events whose reason is a piece of evidence's: its decisions, and attaching it by hand.
REASONED_EVIDENCE_EVENTS = ("evidence.accept", "evidence.reject", "evidence.attach")


def decision_reasons(history: list[dict[str, Any]]) -> dict[int, str | None]:
    """Each piece of evidence's reason for its latest decision, or the one an editor gave when
    attaching it (QA: it was not shown), from the pledge's history (oldest first): a later
    decision without a reason clears the earlier one."""
    reasons: dict[int, str | None] = {}
    for event in history:
        if event["action"] in REASONED_EVIDENCE_EVENTS:
            reasons[event["entity"]["id"]] = (event["details"] or {}).get("reason")
    return reasons


def _mergeable(me: Pledge, other: Pledge, live: Iterable[pledge_store.Span]) -> bool:
    """Whether `review.pledges.merge` would take the two: not a group and its own part, and
    no other live pledge between them (QA: the form offered both, and its first choice gave a
    422)."""
    if other.parent_id == me.id or other.id == me.parent_id:
        return False
    start, end = min(me.start, other.start), max(me.end, other.end)
    for p in live:
        if p.id in (me.id, other.id) or p.parent_id in (me.id, other.id):
            continue
        inside = p.end > start and p.start < end
        if inside and not (p.start <= start and p.end >= end):  # a group around both is fine
            return False
    return True


def _public_places(s: Session, pledge: Pledge, tracker: Tracker, listed: bool) -> dict[str, Any]:
    """Where the pledge page links: `public_page`, whether the pledge has a public page (the
    public page's own rule: QA, a candidate's link was a 404); `source_href`, its document
    where its words are marked: the public page when it lists the pledge (`listed`:
    `visibility.listed`), else the editors' page, which marks the live ones (a rejected pledge
    is marked in neither)."""
    pledge_id = pledge.id
    public_page = visibility.has_page(s, tracker, pledge)
    published = visibility.is_public(tracker)
    document = f"/documents/{pledge.document_id}" if published else ""
    if published and listed:
        source = f"{document}#pledge-{pledge_id}"
    elif pledge.state is not PledgeState.REJECTED:
        source = f"/edit/documents/{pledge.document_id}#pledge-{pledge_id}"
    else:
        source = document or f"/edit/documents/{pledge.document_id}"
    return {"public_page": public_page, "source_href": source}


def editor_pledge(session: Session, pledge_id: int) -> dict[str, Any]:
    """The pledge with all its evidence, history, and the pledges near it (to merge with)."""
    pledge = pledge_store.get_pledge(session, pledge_id)
    tracker = tracker_store.get_tracker_by_id(session, pledge.tracker_id)
    data = detail_of(session, pledge, tracker, public=False)
    data |= _public_places(session, pledge, tracker, data["marked"])
    neighbours = merge_neighbours(session, pledge)
    data["neighbours"] = [pledge_dict(p, None, tracker.term_end) for p in neighbours]
    # the same words elsewhere in the program (a manifesto repeats a bullet in two chapters):
    # confirmed both, the meter counts one promise twice (QA: three such pairs in one program)
    data["same_text"], data["same_text_more"] = same_text(session, pledge)
    data["history"] = pledge_history(session, pledge_id)
    reasons = decision_reasons(data["history"])
    for e in data["evidence"]:
        e["decision_reason"] = reasons.get(e["id"])
    data["max_reason"] = MAX_REASON_LENGTH
    # the rationale has no maxlength: a longer one is refused with its text kept (a browser
    # would cut it silently), and one too long to send gets its own page (413)
    data["max_label"] = MAX_LABEL_LENGTH
    data["accepted"] = [
        e for e in data["evidence"] if e["review_state"] == ReviewState.ACCEPTED.value
    ]
    return data


def merge_neighbours(session: Session, pledge: Pledge) -> list[Pledge]:
    """The NEIGHBOURS live pledges nearest `pledge` that `review.pledges.merge` would take with
    it (any near ones for a rejected pledge), in program order. The nearest few are tried, each
    against the live pledges around the pair: trying them all was quadratic in the program's
    pledges (QA: 88 s for one pledge page of a 760,000-candidate program), and all of them are
    never read (74 s)."""
    near = pledge_store.nearest_live(
        session, pledge.document_id, pledge.start, pledge.id, NEIGHBOURS * 4
    )
    tried = sorted(near, key=lambda p: abs(p.start - pledge.start))[: NEIGHBOURS * 4]
    if pledge.state is not PledgeState.REJECTED and tried:
        # every live pledge that overlaps one pair's span overlaps the span of them all
        start = min(pledge.start, *(p.start for p in tried))
        end = max(pledge.end, *(p.end for p in tried))
        live = pledge_store.live_spans(session, pledge.document_id, start, end)
        tried = [p for p in tried if _mergeable(pledge, p, live)]
    return sorted(tried[:NEIGHBOURS], key=lambda p: p.start)


def same_text(session: Session, pledge: Pledge) -> tuple[list[int], int]:
    """The other live pledges of its document with its words (`_words_of`), in program order:
    the first SAME_TEXT_SHOWN (the 760,000 made a 37 MB page) and how many more. Those quoted
    exactly alike are counted by the database; of the others, those `_like_pattern` lets by
    are compared here."""
    words = _words_of(pledge.quote)
    alike, total = pledge_store.live_with_quote(
        session, pledge.document_id, pledge.quote, pledge.id, SAME_TEXT_SHOWN
    )
    near = pledge_store.live_quotes_like(
        session, pledge.document_id, _like_pattern(words), pledge.id, pledge.quote
    )
    other = [(start, i) for start, i, quote in near if _words_of(quote) == words]
    shown = sorted([*alike, *other])[:SAME_TEXT_SHOWN]
    return [i for _, i in shown], total + len(other) - len(shown)


def _words_of(text: str) -> str:
    """A quote's words, whatever their case, spacing and punctuation around them."""
    return " ".join(w.strip(".,;:!?–-\"'”“()") for w in text.casefold().split())


# The ASCII letters and digits no other character casefolds into (ß → ss, ﬁ → fi, the Kelvin
# sign → k, İ → i̇ ...): where one stands in a quote's `_words_of`, the quote has it as
# itself, in one case or the other.
PLAIN = "0123456789bcdegmopqruvxz"
_PLAIN_RUNS = re.compile(f"[{PLAIN}]+")
_RUNS, _RUN_LENGTH = 4, 40  # a short pattern, each run a substring as good as the whole


def _like_pattern(words: str) -> str | None:
    """A LIKE pattern, to match in any ASCII case, that every quote whose `_words_of` is
    `words` matches: the longest runs of PLAIN characters, in their order (their characters
    stand in such a quote in that order, each run together); None when there is none."""
    runs = [r[:_RUN_LENGTH] for r in _PLAIN_RUNS.findall(words)]
    longest = sorted(sorted(range(len(runs)), key=lambda i: -len(runs[i]))[:_RUNS])
    return "%" + "%".join(runs[i] for i in longest) + "%" if runs else None


def audit_log(
    session: Session, page: int = 1, page_size: int = 100, action: str | None = None
) -> dict[str, Any]:
    """All audit events, newest first, a page at a time."""
    page = max(page, 1)
    total = audit.count_events(session, action)
    found = audit.recent_events(
        session, limit=page_size, offset=page_offset(page, page_size), action=action
    )
    events = [records.audit_event(e) for e in found]
    return {"events": events, "action": action, "actions": audit.actions(session)} | _paging(
        total, page, page_size
    )


def editor_document(session: Session, document_id: int) -> dict[str, Any]:
    """A document's record and its tracker, the correction form's page: with its text and its
    live pledges marked in it, as the public page shows them, whether the tracker is public or
    a draft (QA: a draft's program could not be read anywhere, while the form to add a pledge
    said to copy its words from it)."""
    doc = document_store.get_document(session, document_id)
    tracker = tracker_store.get_tracker_by_id(session, doc.tracker_id)
    # as the public page: the first DOCUMENT_MARKS_SHOWN, whole records of those only (QA: a
    # program of 760,000 candidates made this page 138 s and 266 MB)
    rejected = PledgeState.REJECTED.value
    ids = [i for i, _, state in pledge_store.document_outline(session, doc.id) if state != rejected]
    live = search.pledges_by_id(session, ids[:DOCUMENT_MARKS_SHOWN])
    return document_dict(doc) | {
        "tracker": tracker_dict(tracker),
        "correction_token": document_store.correction_token(doc),
        "pledges": [pledge_dict(p, None, tracker.term_end) for p in live],
        "pledges_total": len(ids),
        "marked_body": highlight.layered(doc.body, [(p.start, p.end, p.id) for p in live]),
    }
