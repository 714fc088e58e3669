"""The term's final account of a tracker (`lofte report`): its data, gathered from the store.

Only what the public pages show goes in (publish/visibility.py): a published tracker (a draft
only when the caller asks for it explicitly), its public pledges, published verdicts and the
accepted evidence those verdicts cite. The data is a plain dict; `report_html.py` renders it
to one self-contained HTML file and `pdf_print.py` prints that to PDF.

The account is as things stood at the end of its date (UTC; `end_of_day`): the counts, the
timeline and each pledge's status are made from the verdicts public by then (a draft
published later does not count, nor a verdict recorded later about an earlier day), and a
verdict's sources leave out evidence accepted after that day (the time of its accept or
attach event in the audit log) and documents dated after it. The pledges are those public
then, by the pledges' states in the audit log (`visibility.public_outline`): one confirmed
after that day is not in it, one rejected after it is. Each pledge shows, and is counted under,
the area and party it had then, with the quote and deadline it had then: the values before the
first edit after that day, as the edit's audit event records them (`audit.pledge_values_before`).
A span edit recorded before edits named the old quote leaves the current quote, flagged
`quote_changed_since`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import NotFoundError, ValidationError
from ..model import (
    DatePrecision,
    Document,
    Pledge,
    PledgeState,
    ReviewState,
    Tracker,
    Verdict,
    VerdictStatus,
)
from ..review.deadlines import is_past, pledge_deadline, today_utc
from ..review.verdicts import NEEDS_EVIDENCE
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.archive import ArchiveRef, document_archives
from ..store.audit import evidence_accepted_at, pledge_values_before
from ..store.db import Session
from . import records, visibility
from .meter import STATUS_ORDER, by_party, meter


def report_tracker(session: Session, slug: str, *, include_draft: bool = False) -> Tracker:
    """The tracker to report on: a published one; a draft only with `include_draft`.

    The account is written by someone with the store in hand, so a draft is named as one
    (ValidationError, with what to do) rather than answered as missing like on public pages.
    """
    tracker = tracker_store.get_tracker(session, slug)
    if not include_draft and not visibility.is_public(tracker):
        raise ValidationError(
            f"tracker {slug!r} is a draft, not published: `lofte tracker publish {slug}` "
            "publishes it, or --draft writes the account of a draft"
        )
    return tracker


def shares(counts: Mapping[str, int], total: int) -> dict[str, float]:
    """Each status's share of `total` in per cent, one decimal (0 when there is nothing)."""
    return {s: round(100 * n / total, 1) if total else 0.0 for s, n in counts.items()}


def archive_url(base_url: str | None, slug: str, archive_id: int) -> str | None:
    """The public address of an archived copy, when the site's address is known."""
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/trackers/{slug}/archive/{archive_id}"


def _source(
    doc: Document, archived: ArchiveRef | None, base_url: str | None, slug: str
) -> dict[str, Any]:
    return {
        "title": doc.title,
        "url": doc.url or records.public_origin(doc.origin),
        "date": doc.date.value.isoformat() if doc.date else None,
        # a page filed under its month (regeringen.se's record) is dated to the month: shown so
        "date_precision": doc.date.precision.value if doc.date else None,
        "archive": None
        if archived is None
        else {
            "id": archived.id,
            "fetched_at": archived.fetched_at.isoformat(timespec="seconds"),
            "sha256": archived.payload_sha256,
            "url": archive_url(base_url, slug, archived.id),
        },
    }


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` (naive UTC, as the store keeps times): the account's
    cut-off."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _current(history: Sequence[Verdict], until: dt.datetime) -> Verdict | None:
    """The current verdict of those public before `until` (the one rule,
    `store.verdicts.current_verdict_ids`)."""
    published = {v.id: v for v in visibility.public_verdicts(history, until)}
    current = verdict_store.current_verdict_ids(
        (v.id, v.pledge_id, True, verdict_store.status_moment(v.as_of, v.created_at))
        for v in published.values()
    )
    return next((published[i] for i in current.values()), None)


def _cited_sources(
    session: Session,
    verdict: Verdict | None,
    base_url: str | None,
    slug: str,
    until: dt.datetime,
    accepted_at: Mapping[int, dt.datetime],
) -> list[dict[str, Any]]:
    """The documents of the accepted evidence `verdict` cites, each once, in citing order;
    not evidence accepted at or after `until` (`accepted_at`: evidence id → its newest accept
    or attach event's time; a piece the log has none for counts from its creation), nor a
    document dated on or after its day."""
    if verdict is None:
        return []
    docs: list[Document] = []
    for evidence_id in verdict.evidence_ids:
        try:
            ev = evidence_store.get_evidence(session, evidence_id)
        except NotFoundError:
            continue
        if ev.review_state is not ReviewState.ACCEPTED:
            continue  # not (or no longer) public evidence
        if accepted_at.get(ev.id, ev.created_at or until) >= until:
            continue  # accepted after the account's date
        if any(d.id == ev.document_id for d in docs):
            continue
        doc = document_store.get_document(session, ev.document_id)
        if doc.date is not None and doc.date.value >= until.date():
            continue  # dated after the account's date
        docs.append(doc)
    archives = document_archives(session, [d.id for d in docs])
    return [_source(d, archives.get(d.id), base_url, slug) for d in docs]


def _pledge(
    session: Session,
    p: Pledge,
    state: PledgeState,
    current: Verdict | None,
    base_url: str | None,
    slug: str,
    until: dt.datetime,
    accepted_at: Mapping[int, dt.datetime],
    term_end: dt.date | None,
) -> dict[str, Any]:
    deadline = pledge_deadline(p, term_end)
    status = current.status if current else VerdictStatus.NOT_RATED
    # the flag the public pages show, on the account's day (QA: the web said "deadline
    # passed" where the final account said nothing); `until` is the day after it
    day = until.date() - dt.timedelta(days=1)
    return {
        "id": p.id,
        "quote": p.quote,
        "party": p.party,
        "area": p.area,
        "unreviewed": state is PledgeState.CANDIDATE,  # as it stood on the account's date
        "deadline": None
        if deadline is None
        else {"date": deadline.date.isoformat(), "source": deadline.source},
        "deadline_passed": is_past(deadline, day) and status is VerdictStatus.NOT_RATED,
        "status": status.value,
        "verdict": None
        if current is None
        else {
            "rationale": current.rationale,
            "date": current.created_at.date().isoformat(),  # UTC, as the account's --date
            "as_of": current.as_of.isoformat() if current.as_of else None,
            "as_of_precision": (current.as_of_precision or DatePrecision.DAY).value
            if current.as_of
            else None,
        },
        "sources": _cited_sources(session, current, base_url, slug, until, accepted_at),
    }


def _methodology(t: Tracker) -> dict[str, Any]:
    own = (t.methodology or "").strip()
    return {
        # the tracker's own text in paragraphs (blank lines part them); None: the default text
        "paragraphs": [p.strip() for p in own.split("\n\n") if p.strip()] if own else None,
        "statuses": [s.value for s in STATUS_ORDER],
        "needs_evidence": [s.value for s in STATUS_ORDER if s in NEEDS_EVIDENCE],
    }


def _with_shares(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"shares": shares(row["counts"], row["total"])}


def report_data(
    session: Session,
    slug: str,
    *,
    base_url: str | None = None,
    include_draft: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the final account shows, as plain data (dates as ISO strings), as it stood
    at the end of `today` (default: today, UTC): see the module's doc."""
    tracker = report_tracker(session, slug, include_draft=include_draft)
    day = today or today_utc()
    until = end_of_day(day)
    # As of a given day, the pledges public then come from the audit log; today's report reads
    # the pledges as they are, as the public pages do (no dependence on the log's history).
    cut = until if today is not None else None
    pledges = pledge_store.list_pledges(session, tracker.id)
    quote_unknown: frozenset[int] = frozenset()
    earlier = None
    if today is not None:  # each pledge's area, party, quote and deadline as they were then
        earlier = pledge_values_before(session, tracker.id, until)
        pledges = pledge_store.as_they_were(pledges, earlier)
        quote_unknown = earlier.quote_unknown
    # the public pledges (as of the day: from the log, read once), for the meter, the party
    # breakdown and the list
    outline = visibility.public_outline(session, tracker, cut, earlier=earlier)
    states = {p.id: p.state for p in outline}
    pledges = [p for p in pledges if p.id in states]
    counted = meter(session, tracker, day, until=cut, pledges=outline)
    currents = [_current(verdict_store.verdict_history(session, p.id), until) for p in pledges]
    accepted_at = evidence_accepted_at(
        session, (i for v in currents if v is not None for i in v.evidence_ids)
    )
    items = [
        _pledge(
            session,
            p,
            states[p.id],
            current,
            base_url,
            tracker.slug,
            until,
            accepted_at,
            tracker.term_end,
        )
        | {"quote_changed_since": p.id in quote_unknown}
        for p, current in zip(pledges, currents, strict=True)
    ]
    return {
        "tracker": records.tracker(tracker),
        "draft": not visibility.is_public(tracker),
        "date": day.isoformat(),
        # the term was over on the account's day: no "yet" for what has no verdict
        "term_ended": tracker.term_end is not None and tracker.term_end < day,
        "statuses": [s.value for s in STATUS_ORDER],
        "meter": {
            "total": counted["total"],
            "counts": counted["counts"],
            "shares": shares(counted["counts"], counted["total"]),
        },
        "by_party": [
            _with_shares(r) for r in by_party(session, tracker, until=cut, pledges=outline)
        ],
        "by_area": [_with_shares(r) for r in counted["by_area"]],
        "over_term": counted["over_term"],
        "pledges": items,
        "methodology": _methodology(tracker),
    }
