"""Page data for the public pages: plain dicts for the web's templates, its JSON twins and the
static site alike.

Built from store reads; each record in them is its `records` serializer, with what the page adds
beside it. No HTML is made here (highlighting is returned as pieces, see `highlight.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, ValidationError
from ..language.collate import swedish_key
from ..language.query import SearchQuery, parse_query
from ..language.spelling import restored
from ..model import (
    Document,
    Evidence,
    Pledge,
    PledgeState,
    ReviewState,
    Tracker,
    Verdict,
    VerdictChange,
    VerdictStatus,
)
from ..review.deadlines import OPEN_STATUSES, deadline_fields, effective_deadline, today_utc
from ..store import audit as audit_store
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import search, search_cache
from ..store import trackers as tracker_store
from ..store import verdicts as verdict_store
from ..store.db import Session
from . import archive_pages, cache, highlight, methodology, records, visibility
from .matching import match_key, same_name, spelled
from .meter import (
    STATUS_ORDER,
    area_spellings,
    areas_of,
    by_party,
    count,
    meter,
    party_order,
    unreviewed,
)

PAGE_SIZE = 50


def tracker_dict(t: Tracker) -> dict[str, Any]:
    return records.tracker(t)


def document_dict(d: Document, *, with_body: bool = False) -> dict[str, Any]:
    """The document's record; its body only where the page shows it (lists stay small)."""
    data = records.document(d)
    if not with_body:
        del data["body"]
    return data


def source_name(session: Session, d: Document) -> str | None:
    """The name of the source a document was filed under (`--source`), if any."""
    return tracker_store.get_source(session, d.source_id).name if d.source_id else None


def pledge_dict(
    p: Pledge, status: VerdictStatus | None = None, term_end: dt.date | None = None
) -> dict[str, Any]:
    """The pledge's record (publish.records.pledge) with its current status and deadline;
    `term_end`: its tracker's, which a pledge due "under mandatperioden" is due by."""
    return (
        records.pledge(p)
        | {"status": (status or VerdictStatus.NOT_RATED).value}
        | deadline_fields(p, status, today_utc(), term_end)
    )


@dataclass(frozen=True)
class ShownParents:
    """`shown_parents`' answer: each group → its public id or None (`ids`), and the term end
    of each pledge's tracker (`term_ends`, by tracker id), which its deadline may be."""

    ids: dict[int, int | None] = field(default_factory=dict)
    term_ends: dict[int, dt.date | None] = field(default_factory=dict)


def shown_parents(session: Session, pledges: Sequence[Pledge]) -> ShownParents:
    """Each group of `pledges` → its id where it has a public page, else None (as the pledge's
    own page and the open data give it: an id the public could not open led to a 404); with
    their trackers' term ends, read once per tracker, for `public_pledge_dict`."""
    found = ShownParents()
    trackers: dict[int, Tracker] = {}
    for p in pledges:
        if p.tracker_id not in trackers:
            trackers[p.tracker_id] = tracker_by_id(session, p.tracker_id)
            found.term_ends[p.tracker_id] = trackers[p.tracker_id].term_end
        if p.parent_id is None or p.parent_id in found.ids:
            continue
        found.ids[p.parent_id] = visibility.shown_parent(session, trackers[p.tracker_id], p)
    return found


def public_pledge_dict(
    p: Pledge, status: VerdictStatus | None, parents: ShownParents
) -> dict[str, Any]:
    """`pledge_dict` for the public: its group only where that has a page, and its deadline by
    its tracker's term end (both from `shown_parents`)."""
    parent = None if p.parent_id is None else parents.ids.get(p.parent_id)
    return pledge_dict(p, status, parents.term_ends.get(p.tracker_id)) | {"parent_id": parent}


def verdict_dict(
    v: Verdict, fixes: Corrections | None = None, *, with_author: bool = False
) -> dict[str, Any]:
    """The verdict's record with its day: when it became public (publishing a draft sets
    `modified_at`; QA: the pledge's timeline gave the draft's recording, the API's verdicts
    the publication), a draft's recording; the author's name only on the editors' pages;
    which verdict it corrects and which corrected it (`Corrections`)."""
    moment = (v.modified_at or v.created_at) if v.published else v.created_at
    data = (
        records.verdict(v)
        | {"date": moment.isoformat(timespec="seconds")}
        | (fixes or Corrections({})).of(v.id)
    )
    if not with_author:
        del data["author"]
    return data


@dataclass(frozen=True)
class Corrections:
    """Which published verdict corrected which (`verdict_store.corrections`), both ways."""

    by: dict[int, int]  # a corrected verdict -> the verdict that corrected it
    of_: dict[int, int] = field(init=False)  # the other way

    def __post_init__(self) -> None:
        object.__setattr__(self, "of_", {new: old for old, new in self.by.items()})

    @classmethod
    def among(cls, verdicts: Iterable[Verdict]) -> Corrections:
        return cls(
            verdict_store.corrections(
                (v.id, v.pledge_id, v.published, verdict_store.status_moment(v.as_of, v.created_at))
                for v in verdicts
            )
        )

    def of(self, verdict_id: int) -> dict[str, int | None]:
        """A verdict record's `corrects` and `corrected_by`."""
        return {"corrects": self.of_.get(verdict_id), "corrected_by": self.by.get(verdict_id)}


def change_records(changes: Sequence[VerdictChange], limit: int | None) -> list[dict[str, Any]]:
    """The first `limit` of a tracker's verdict changes as the feeds and the API give them,
    with their corrections found among all of them (a cut first would miss a correction of a
    verdict past it)."""
    fixes = Corrections.among(c.verdict for c in changes)
    return [records.verdict_change(c) | fixes.of(c.verdict.id) for c in changes[:limit]]


def _public_changes(session: Session, tracker: Tracker, pledge: Pledge) -> list[dict[str, Any]]:
    """`audit.public_changes` since the pledge first became public: the first moment its
    tracker was published and showed candidates, or was published after the pledge's first
    confirmation, whichever came first (review: edits of a candidate no reader saw were
    listed as changes since publication; republishing a tracker started its pledges' lists
    again, hiding edits of what readers had seen)."""
    if tracker.published_at is None:
        return []
    shown = visibility.candidates_shown(session, tracker)
    confirmed = pledge_store.first_confirmed_at(session, pledge.id)
    if confirmed is None and pledge.state is PledgeState.CONFIRMED:
        confirmed = dt.datetime.min  # written confirmed (an import): confirmed throughout
    # shown as a candidate from when it was made on (review: a tracker that showed candidates
    # once, before the pledge existed, listed edits no reader saw)
    moments = [shown.candidates.first_yes(pledge.created_at or dt.datetime.min)]
    if confirmed is not None:
        moments.append(shown.published.first_yes(confirmed))
    since = min((m for m in moments if m is not None), default=None)
    if since is None:
        return []
    if not shown.published.changes:  # published before the log (or by an import): since then
        since = max(since, tracker.published_at)
    deadline = audit_store.ShownDeadline(
        pledge.deadline.isoformat() if pledge.deadline else None,
        pledge.attributes,
        lambda editor_set, attributes: _deadline_shown(editor_set, attributes, tracker.term_end),
    )
    return audit_store.public_changes(session, pledge.id, since, deadline, pledge.document_id)


def _lost(pledge: Pledge) -> bool:
    """A reviewed pledge whose quote its document's new text no longer holds (store/derived.py
    flags it `span_lost`): its span points at other words now."""
    return bool((pledge.attributes or {}).get("span_lost"))


def _removed_at(session: Session, tracker: Tracker, pledge: Pledge) -> str | None:
    """When a rejected pledge was removed (its last rejection in the log, ISO, naive UTC), or
    None: not rejected, or written rejected. Its reason stays the editors' (QA, a party's
    press officer: a removed pledge's page gave no date)."""
    if pledge.state is not PledgeState.REJECTED:
        return None
    mark = pledge_store.rejections(session, tracker.id, pledge).get(pledge.id)
    when = mark.last_at if mark is not None else None
    return when.isoformat(timespec="seconds") if when is not None else None


def _deadline_shown(
    editor_set: str | None, attributes: Mapping[str, Any], term_end: dt.date | None
) -> str | None:
    """The deadline a pledge page shows for an editor's date as the audit log recorded it
    (ISO) and the pledge's attributes then. The term's end is today's (`term_end`): a term
    changed since moves a deadline that named it in earlier entries too (review; the
    tracker's own changes are not pledge changes)."""
    try:
        given = dt.date.fromisoformat(editor_set) if editor_set else None
    except ValueError:  # not a date: the log's own text is no deadline
        given = None
    deadline = effective_deadline(given, attributes, term_end)
    return deadline.date.isoformat() if deadline else None


def tracker_by_id(session: Session, tracker_id: int) -> Tracker:
    return tracker_store.get_tracker_by_id(session, tracker_id)


# Far beyond any real page, yet offset + limit still fits the databases' 64-bit integers
# (a larger offset would raise OverflowError in SQLite).
MAX_OFFSET = 2**62


def page_offset(page: int, page_size: int) -> int:
    """Rows to skip for `page` (1-based; smaller counts as 1), capped at MAX_OFFSET."""
    return min((max(page, 1) - 1) * page_size, MAX_OFFSET)


def _paging(total: int, page: int, page_size: int) -> dict[str, int]:
    return {"page": page, "pages": max(1, -(-total // page_size)), "total": total}


# --- trackers and the meter -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicView:
    """What most public pages of a tracker start from, cached per tracker (publish/cache.py):
    its public pledges in program order, their current statuses and its document count.
    Shared between requests: read it, never change it."""

    pledges: tuple[Pledge, ...]
    current: Mapping[int, VerdictStatus]
    documents: int


def public_view(session: Session, now: cache.Fresh) -> PublicView:
    def compute() -> PublicView:
        t = now.tracker
        return PublicView(
            tuple(visibility.tracker_public_pledges(session, t)),
            verdict_store.statuses(session, t.id),
            document_store.count_documents(session, t.id),
        )

    return cache.shared(session, "public", now, compute)


def document_count(session: Session, now: cache.Fresh) -> int:
    """The tracker's documents, counted once per change (as `public_view` counts them) without
    reading its pledges' records."""
    tracker_id = now.tracker.id
    return cache.shared(
        session, "documents", now, lambda: document_store.count_documents(session, tracker_id)
    )


def tracker_key(session: Session, slug: str) -> Hashable:
    """Equal as long as nothing the public pages of tracker `slug` show has changed (its
    record and stamp, publish/cache.py); NotFoundError when it is not public."""
    return cache.fresh(session, visibility.public_tracker(session, slug))


def pledge_key(session: Session, pledge_id: int) -> Hashable:
    """Equal as long as the public page of pledge `pledge_id` stays the same: its tracker's
    key (which covers the pledge, its verdicts, evidence, documents and sources);
    NotFoundError when there is no such pledge or its tracker is not public. Whether the
    pledge itself is public is checked where its page is made (`pledge_detail`): a change of
    its state, or of its group's, moves the stamp, so a kept page never outlives it (the
    pledge's row was loaded for the check on every request: a third of a kept page's time)."""
    try:
        tracker_id = pledge_store.tracker_of(session, pledge_id)
    except NotFoundError as exc:  # a deleted tracker's pledge: its tracker's 410
        raise visibility.missing_record(session, "pledge", pledge_id, exc) from None
    tracker = visibility.public_tracker_by_id(session, tracker_id)
    return (pledge_id, cache.fresh(session, tracker))


def overview_key(session: Session) -> Hashable:
    """Equal as long as nothing the home page shows has changed (see `tracker_key`)."""
    shown = [*visibility.listed_trackers(session), *visibility.archived_trackers(session)]
    return tuple(cache.fresh(session, t) for t in shown)


def trackers_overview(session: Session) -> list[dict[str, Any]]:
    """Each listed tracker with its counts, from the pledges' outline (id, state, …), not
    their whole records (QA: 760,000 candidates made the home page 29 s and 2.9 GB)."""
    return [
        tracker_dict(t)
        | {
            "documents": document_count(session, cache.fresh(session, t)),
            "pledges": len(visibility.public_outline(session, t)),
        }
        for t in visibility.listed_trackers(session)
    ]


def archived_overview(session: Session) -> list[dict[str, Any]]:
    """The archived public trackers, as the home page lists them apart (QA at the term's end:
    an archived term's tracker was linked from no page, here or in the static site)."""
    return [tracker_dict(t) for t in visibility.archived_trackers(session)]


def term_ended(tracker: Tracker, day: dt.date) -> bool:
    """Whether the tracker's term was over on `day` (QA: after the election the public pages
    still read as if it were running)."""
    return tracker.term_end is not None and tracker.term_end < day


def tracker_meter(session: Session, slug: str, today: dt.date | None = None) -> dict[str, Any]:
    """The meter page's data, computed once per change of the tracker (publish/cache.py)."""
    return cache.copied(shared_meter(session, slug, today)[1])


def shared_meter(
    session: Session, slug: str, today: dt.date | None = None
) -> tuple[Hashable, dict[str, Any]]:
    """`tracker_meter`'s data shared between callers (read it, never change it), with a key
    that is equal as long as the data is the same (for caching what is made from it)."""
    tracker = visibility.public_tracker(session, slug)
    now = cache.fresh(session, tracker)
    day = today or dt.datetime.now(dt.UTC).date()

    def compute() -> dict[str, Any]:
        outline = visibility.public_outline(session, tracker)  # read once for both counts
        return {
            "tracker": tracker_dict(tracker),
            # not the whole public view's records (QA: 32 s at 760,000 candidates)
            "documents": document_count(session, now),
            "statuses": [s.value for s in STATUS_ORDER],
            "meter": meter(session, tracker, day, pledges=outline),
            "term_ended": term_ended(tracker, day),
            "by_party": by_party(session, tracker, pledges=outline),
            "updated": methodology.updated(session, tracker.id),
        }

    return (now, day), cache.shared(session, "meter", now, compute, extra=day)


def tracker_documents(
    session: Session, slug: str, page: int, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    tracker = visibility.public_tracker(session, slug)
    page = max(page, 1)
    total = document_count(session, cache.fresh(session, tracker))
    docs = document_store.list_documents(  # a reader looks for the latest (QA: id order)
        session,
        tracker.id,
        limit=page_size,
        offset=page_offset(page, page_size),
        newest_first=True,
    )
    return {
        "tracker": tracker_dict(tracker),
        "documents": [document_dict(d) for d in docs],
    } | _paging(total, page, page_size)


# --- pledges --------------------------------------------------------------------------------


# How a pledge list can be ordered: as the program has them (or by relevance to the words
# searched), by status, by policy area, or the latest change of status first.
PLEDGE_SORTS = ("position", "status", "area", "recent")


def _sorted_pledges(
    session: Session,
    tracker_id: int,
    pledges: list[Pledge],
    current: Mapping[int, VerdictStatus],
    sort: str,
) -> list[Pledge]:
    """`pledges` in the order `sort` asks for; ties keep the order given (stable sorts)."""
    if sort == "status":
        order = {s: i for i, s in enumerate(STATUS_ORDER)}
        return sorted(pledges, key=lambda p: order[current.get(p.id, VerdictStatus.NOT_RATED)])
    if sort == "area":
        return sorted(pledges, key=lambda p: (p.area is None, swedish_key(p.area or "")))
    if sort == "recent":
        # the moment, not the day, as /api/v1/verdicts orders them (QA: a day's changes tied)
        changed = verdict_store.status_times(session, tracker_id)
        rated = [p for p in pledges if p.id in changed]
        newest = sorted(rated, key=lambda p: changed[p.id], reverse=True)  # stable on ties
        return newest + [p for p in pledges if p.id not in changed]
    return pledges


def pledge_list(
    session: Session,
    slug: str,
    *,
    area: str | None = None,
    status: str | None = None,
    q: str | None = None,
    party: str | None = None,
    sort: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """The tracker's public pledges, filtered by area, status, party and words, sorted (see
    PLEDGE_SORTS), a page at a time. An unknown sort is a ValidationError naming the choices."""
    sort = sort or PLEDGE_SORTS[0]
    if sort not in PLEDGE_SORTS:
        raise ValidationError(f"unknown sort {sort!r}: use {', '.join(PLEDGE_SORTS)}")
    tracker = visibility.public_tracker(session, slug)
    view = public_view(session, cache.fresh(session, tracker))
    pledges = list(view.pledges)
    current = view.current
    areas = sorted((a for a in areas_of(pledges) if a), key=swedish_key)
    parties = [p for p in party_order(tracker.actors, {p.party for p in pledges}) if p]
    chosen = pledges
    area, area_known = _known_area(area, areas)
    if area:
        chosen = [p for p in chosen if same_name(p.area, area)]
    party = _known_party(party, parties)
    if party:
        chosen = [p for p in chosen if same_name(p.party, party)]
    if status in {s.value for s in VerdictStatus}:
        chosen = [p for p in chosen if current.get(p.id, VerdictStatus.NOT_RATED).value == status]
    else:
        status = None
    if q and q.strip():
        # the ids only: loading every hit asked for each with a SQL variable of its own
        found, _ = search.ranked_pledge_ids(session, q, tracker_id=tracker.id)
        rank = {i: n for n, i in enumerate(found)}
        chosen = sorted((p for p in chosen if p.id in rank), key=lambda p: rank[p.id])
    chosen = _sorted_pledges(session, tracker.id, chosen, current, sort)
    page = max(page, 1)
    shown = chosen[(page - 1) * page_size : page * page_size]
    terms = search.query_terms(q or "")
    parents = shown_parents(session, shown)
    return {
        "tracker": tracker_dict(tracker),
        "filters": {
            "area": area or None,
            # False for an area no public pledge here has (a typo in an address): the page
            # says so instead of a list of none and a feed that does not exist
            "area_known": area_known,
            "status": status,
            "q": (q or "").strip() or None,
            "query": parse_query(q).as_dict(),  # what the words searched for, or why none
            "party": party,
            "sort": sort,
        },
        "sorts": list(PLEDGE_SORTS),
        "areas": areas,
        "parties": parties,
        "statuses": [s.value for s in STATUS_ORDER],
        "pledges": [
            public_pledge_dict(p, current.get(p.id), parents)
            | {"snippet": highlight.snippet(p.quote, terms, 400)}
            for p in shown
        ],
    } | _paging(len(chosen), page, page_size)


def _placement(dense: Any) -> dict[str, Any] | None:
    """Where the lexical and the dense signal put the pledge among the document's pledges
    (issue 16), when the dense stage ran; None for lexical-only and hand-made evidence."""
    keys = ("lexical_rank", "dense_rank", "fused_rank")
    if not isinstance(dense, dict) or not all(isinstance(dense.get(k), int) for k in keys):
        return None
    placed_by = dense.get("placed_by")
    return {k: dense[k] for k in keys} | {
        "placed_by": placed_by if placed_by in ("both", "lexical", "dense") else "both",
        "cosine": dense.get("cosine") if isinstance(dense.get("cosine"), (int, float)) else None,
    }


def evidence_dict(
    ev: Evidence, doc: Document, archive: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """An evidence link with its passage marked in context and the matched words emphasised;
    `archive`: its document's archived copy (`archive_pages.archive_link`)."""
    features = ev.features or {}
    passage = features.get("passage")
    if not (
        isinstance(passage, (list, tuple))
        and len(passage) == 2
        and all(isinstance(x, int) for x in passage)
    ):
        passage = [ev.start, ev.end]
    matched = _matched_pairs(features)
    checks = features.get("checks")
    return (
        records.evidence(ev)
        | {
            "document": document_dict(doc),
            "passage": records.span(passage[0], passage[1]),  # one span shape
            "matched_terms": [list(m) for m in matched],
            "checks": checks if isinstance(checks, dict) else {},
            "status_hint": features.get("status_hint"),
            # the feed it came from was malformed: its text or link may be another entry's
            "source_warning": (doc.structure.get("extra") or {}).get("feed_warning"),
            "hint_confidence": features.get("stance_confidence", features.get("hint_confidence")),
            "placement": _placement(features.get("dense")),
            "context": highlight.evidence_context(
                doc.body,
                doc.title or "",
                passage[0],
                passage[1],
                terms=[w for m in matched for w in m[1].split(" / ")],
            ),
        }
        | (archive or archive_pages.NO_ARCHIVE)
    )


# The linker's raw features (with the name of an editor who attached the evidence) and its
# guess at the pledge's status: for the editors, never public (a machine's status guess beside
# the editors' verdict was read as theirs; QA), nor its ranks and cosine (QA: in the API)
_EDITORS_ONLY = ("features", "status_hint", "hint_confidence", "source_warning", "placement")


def _public_evidence(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _EDITORS_ONLY}


def _as_it_is(data: dict[str, Any]) -> dict[str, Any]:
    return data


def _matched_pairs(features: dict[str, Any]) -> list[list[str]]:
    """(words in the pledge, words in the document) for each matched term, tolerating odd data.

    The linker stores `matched` as [{"term", "pledge": [forms], "document": [forms]}, ...];
    older or hand-made rows may carry `matched_terms` as [pledge_word, document_word] pairs.
    The pledge's words are shown once, with every document word matching them: a compound's
    parts are separate terms carried by the same words ("höstterminen" holds "höst" and
    "termin"; QA: "fritidsklubbar → fritidsklubbar" stood twice, once more with "/ fritid").
    A document word stands once for them (compared ignoring case, in its first form and
    place): plain if any term matches it as a whole word or its start, else named with the
    first part inside both words it shares (QA: "kärnkraftverken" stood four times, three of
    them with a part, beside itself plain).
    """
    # the pledge's words → the document's words by their lower case: (as first seen, part)
    shown: dict[str, dict[str, tuple[str, str | None]]] = {}

    def add(words: dict[str, tuple[str, str | None]], word: str, part: str | None) -> None:
        key = word.lower()
        if key not in words:
            words[key] = (word, part)
        elif part is None:  # a plain match elsewhere: the word needs no part
            words[key] = (words[key][0], None)

    for m in features.get("matched") or []:
        if isinstance(m, dict):
            pledge = [w for w in m.get("pledge") or [] if isinstance(w, str)]
            document = [w for w in m.get("document") or [] if isinstance(w, str)]
            if pledge and document:
                words = shown.setdefault(" / ".join(pledge), {})
                for word, part in _inner_parts(str(m.get("term") or ""), pledge, document):
                    add(words, word, part)
    for m in features.get("matched_terms") or []:
        if isinstance(m, (list, tuple)) and len(m) == 2 and all(isinstance(x, str) for x in m):
            add(shown.setdefault(m[0], {}), m[1], None)
    return [
        [pledge, " / ".join(f"{w} (-{part})" if part else w for w, part in words.values())]
        for pledge, words in shown.items()
    ]


def _inner_parts(term: str, pledge: list[str], document: list[str]) -> list[tuple[str, str | None]]:
    """The document's words, each with the part it shares with the pledge's words when that
    part lies inside both (else None): "regelverk" with "verk" for "kärnkraftverk" (QA: shown
    as a plain pair, two unrelated words read as a match). A part that starts a word shows in
    the word itself."""
    low = term.lower()
    if not low or not all(w.lower().find(low) > 0 for w in pledge):
        return [(w, None) for w in document]  # a part that starts a pledge's word, or none
    same = {w.lower() for w in pledge}
    return [
        (w, low if w.lower().find(low) > 0 and w.lower() not in same else None) for w in document
    ]


def _documents(session: Session, ids: set[int]) -> dict[int, Document]:
    return {i: document_store.get_document(session, i) for i in ids}


# The most evidence a public pledge page shows (best first): the page stays bounded whatever
# an editor accepts.
MAX_EVIDENCE = 200


def pledge_detail(session: Session, pledge_id: int, *, public: bool = True) -> dict[str, Any]:
    """A pledge, its quote in context, status timeline and evidence (when public: accepted
    evidence, the best MAX_EVIDENCE, and published verdicts only, and a pledge the public may
    see). Its queries are bounded: the pledge, its verdicts, its evidence and their documents,
    and its parts."""
    if public:
        pledge, tracker = visibility.public_pledge(session, pledge_id)
    else:
        pledge = pledge_store.get_pledge(session, pledge_id)
        tracker = tracker_by_id(session, pledge.tracker_id)
    return detail_of(session, pledge, tracker, public=public)


def detail_of(
    session: Session, pledge: Pledge, tracker: Tracker, *, public: bool
) -> dict[str, Any]:
    """`pledge_detail` of a pledge and its tracker already read (the editor's page reads them
    for its own parts too)."""
    pledge_id = pledge.id
    history = verdict_store.verdict_history(session, pledge_id)
    if public:
        history = visibility.public_verdicts(history)
    # in the order the current-status rule reads them, so that the last is the current one
    history = sorted(
        history, key=lambda v: (verdict_store.status_moment(v.as_of, v.created_at), v.id)
    )
    states = [ReviewState.ACCEPTED] if public else None
    evidence = evidence_store.list_evidence(
        session, pledge_id=pledge_id, states=states, limit=MAX_EVIDENCE if public else None
    )
    docs = _documents(session, {pledge.document_id} | {e.document_id for e in evidence})
    status = verdict_store.current_status(session, pledge_id)
    source = docs[pledge.document_id]
    named = source_name(session, source)
    archived = archive_pages.archive_links(session, tracker.slug, docs)
    shown = _public_evidence if public else _as_it_is
    if public:  # its public parts, read by parent (not the program's every pledge)
        children: Sequence[Pledge] = visibility.public_parts(session, tracker, pledge.id)
    else:  # all its parts in its document, read by parent too (QA: 760,000 records read)
        children = [
            c
            for c in pledge_store.list_parts(session, [pledge.id])
            if c.tracker_id == pledge.tracker_id and c.document_id == pledge.document_id
        ]
    parts = [
        c for c in children if c.parent_id == pledge.id and c.state is not PledgeState.REJECTED
    ]
    ended = term_ended(tracker, today_utc())
    fixes = Corrections.among(history)
    return {
        "tracker": tracker_dict(tracker),
        # the record exactly as the CLI and the export give it (to the public without a group
        # it cannot see); status and version beside it
        "pledge": records.pledge(pledge)
        | ({"parent_id": visibility.shown_parent(session, tracker, pledge)} if public else {}),
        "status": status.value,
        # deadline, its source, passed (never for a group: its parts are checked)
        **deadline_fields(pledge, status, today_utc(), tracker.term_end, group=bool(parts)),
        "term_ended": ended,
        # the term is over and this pledge, checked itself, is still open: its page says it
        # has no final verdict (review: a group, checked through its parts, and a removed
        # pledge said so too)
        "open_at_term_end": ended
        and not parts
        and pledge.state is not PledgeState.REJECTED
        and status in OPEN_STATUSES,
        "source": document_dict(source) | {"source_name": named} | archived[source.id],
        # none for a quote its document's new text lost: that text at the old place is no
        # context of it (QA, an insider re-ingested a changed program; review: the API too)
        "context": None
        if _lost(pledge)
        else highlight.in_context(source.body, pledge.start, pledge.end),
        "timeline": [verdict_dict(v, fixes, with_author=not public) for v in history],
        # sources the timeline cites that are no longer accepted (withdrawn before that was
        # refused): named as withdrawn, not linked to nothing
        "withdrawn_sources": sorted(
            evidence_store.not_accepted(session, (i for v in history for i in v.evidence_ids))
        ),
        # what editors changed of what the public sees since it became public
        "changes": _public_changes(session, tracker, pledge),
        "evidence": [
            shown(evidence_dict(e, docs[e.document_id], archived[e.document_id])) for e in evidence
        ],
        "children": [{"id": c.id, "quote": c.quote, "state": c.state.value} for c in parts],
        "merged_into": pledge.attributes.get("merged_into"),
        "removed_at": _removed_at(session, tracker, pledge),
        # whether its document's page marks it (a group or a rejected pledge has no mark there)
        "marked": not _lost(pledge) and visibility.listed(session, tracker, pledge),
    }


# --- documents and search -------------------------------------------------------------------


DOCUMENT_MARKS_SHOWN = 2000  # pledges a document page lists and marks in its text (bounded)


def document_detail(session: Session, document_id: int) -> dict[str, Any]:
    """A document with the pledges found in it marked (each span gets an anchor): the first
    `DOCUMENT_MARKS_SHOWN` in text order, `pledges_total` saying how many there are (QA: a
    program of 15,557 candidates made a 6.4 MB page; the text is shown whole all the same)."""
    try:
        doc = document_store.get_document(session, document_id)
    except NotFoundError as exc:  # a deleted tracker's document: its tracker's 410
        raise visibility.missing_record(session, "document", document_id, exc) from None
    try:
        tracker = visibility.public_tracker_by_id(session, doc.tracker_id)
    except NotFoundError:  # a draft's document: said as for a missing one, naming no tracker
        raise NotFoundError(f"no document with id {document_id}") from None
    outline = pledge_store.document_outline(session, doc.id)
    public = visibility.public_ids(tracker, outline)
    shown = [i for i, _, _ in outline if i in public]  # in text order
    total = len(shown)
    pledges = search.pledges_by_id(session, shown[:DOCUMENT_MARKS_SHOWN])
    backed = _pledges_it_backs(session, tracker, doc.id)
    current = verdict_store.statuses(session, doc.tracker_id) if pledges or backed else {}
    parents = shown_parents(session, [*pledges, *backed])
    return (
        document_dict(doc, with_body=True)
        | {
            "source_name": source_name(session, doc),
            "tracker": tracker_dict(tracker),
            "pledges": [public_pledge_dict(p, current.get(p.id), parents) for p in pledges],
            "pledges_total": total,
            "evidence_for": [public_pledge_dict(p, current.get(p.id), parents) for p in backed],
            "marked_body": highlight.layered(
                doc.body, [(p.start, p.end, p.id) for p in pledges if not _lost(p)]
            ),
            # a quote the new text lost is listed, not marked at its old place (`_lost`)
            "unmarked": [p.id for p in pledges if _lost(p)],
        }
        | archive_pages.archive_links(session, tracker.slug, [doc.id])[doc.id]
    )


EVIDENCE_FOR_SHOWN = 50  # pledges a document page names as backed by it (a bounded page)


def _pledges_it_backs(session: Session, tracker: Tracker, document_id: int) -> list[Pledge]:
    """The public pledges a person accepted this document as evidence for, in program order
    (QA: a reader who found the document had no way to the pledge it bears on)."""
    accepted = evidence_store.list_evidence(
        session, document_id=document_id, states=[ReviewState.ACCEPTED]
    )
    wanted = {e.pledge_id for e in accepted}
    if not wanted:
        return []
    shown = public_view(session, cache.fresh(session, tracker)).pledges
    return [p for p in shown if p.id in wanted][:EVIDENCE_FOR_SHOWN]


def search_key(session: Session, slug: str | None = None) -> Hashable | None:
    """Equal as long as the search page (whatever the query) stays the same: the keys of the
    searched trackers (`tracker_key`: pledges, statuses, records) with the records of every
    public one (the form offers the listed ones), `search_cache.documents_stamp` (the documents of
    every tracker weigh in the ranking), whether the FTS5 indexes are there (they rank), the
    count's cap and the day (pledges carry their deadlines). None where documents have no such
    stamp (the page is made afresh); NotFoundError when `slug` is not public."""
    public = tuple(visibility.public_trackers(session))
    searched = [visibility.public_tracker(session, slug)] if slug else public
    if not search_cache.documents_stamped(session):
        return None
    return (
        tuple(cache.fresh(session, t) for t in searched),
        public,
        search_cache.documents_stamp(session),
        search.fts_available(session, "documents_fts"),
        search.fts_available(session, "pledges_fts"),
        search.MAX_COUNT,
        today_utc(),
    )


def search_page(
    session: Session,
    q: str,
    *,
    slug: str | None = None,
    party: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> dict[str, Any]:
    """Pledges (first page only; of `party` when given) and documents (paged) holding every
    word of `q`."""
    tracker = visibility.public_tracker(session, slug) if slug else None
    page = max(page, 1)
    terms = search.query_terms(q)
    query = parse_query(q)
    listed = visibility.listed_trackers(session)
    # every public tracker is searched, archived ones too: the form offers them after the
    # others, marked, and each hit names its tracker when there are several (QA: two terms'
    # trackers gave two hits of one quote, and an archived one could not be chosen)
    archived = visibility.archived_trackers(session)
    every = [*listed, *archived]
    names = _hit_labels(every) if tracker is None and len(every) > 1 else {}
    # the parties to choose from (QA: a free-text field wanted a party's whole name), of the
    # tracker searched (review: an archived one's party was "followed by no tracker here");
    # one no tracker follows is said so, not added to them as if it were one (QA)
    searched = [tracker] if tracker else every
    parties = sorted({a for t in searched for a in t.actors}, key=swedish_key)
    party = party.strip() if party and match_key(party) else None  # invisible marks: no filter
    known = spelled(party, parties)
    party_known = party is None or known is not None
    party = known or party
    pledges, docs = _public_hits(session, q, tracker, page, page_size, party)
    nothing = not pledges.total and not docs.total
    shown = [p.id for p in pledges.items]
    current = verdict_store.statuses(session, pledge_ids=shown) if shown else {}
    parents = shown_parents(session, pledges.items)
    return {
        "q": q,
        "terms": terms,  # the stems matched and emphasised
        "query": query.as_dict(),  # the words searched for, the common ones left out, a notice
        # nothing found: the query with å, ä, ö put back as the pledges spell its words
        "spelled": _spelled(session, query, tracker) if nothing else None,
        "tracker": tracker_dict(tracker) if tracker else None,
        "party": party,
        "party_known": party_known,
        "trackers": [tracker_dict(t) for t in every],
        "parties": parties,
        "method": docs.method,
        "pledges": {
            "total": pledges.total,
            # more hits than the newest `search.MAX_COUNT` ranked: `total` counts the public
            # ones among those
            "capped": pledges.capped,
            "hits": [
                public_pledge_dict(p, current.get(p.id), parents)
                | {"snippet": highlight.snippet(p.quote, terms, 400)}
                | ({"tracker_name": names[p.tracker_id]} if names else {})
                for p in pledges.items
            ],
        },
        "documents": {
            "hits": [
                document_dict(d)
                | {"snippet": highlight.snippet(f"{d.body}", terms)}
                | ({"tracker_name": names[d.tracker_id]} if names else {})
                for d in docs.items
            ],
            "capped": docs.capped,  # more hits than `total` (the count stops at MAX_COUNT)
        }
        | _paging(docs.total, page, page_size),
    }


def _hit_labels(trackers: Sequence[Tracker]) -> dict[int, str]:
    """Each tracker's name as a search hit shows it: with its term's years when another
    tracker has the same name (two terms of one council: review)."""
    seen = Counter(t.name for t in trackers)

    def label(t: Tracker) -> str:
        if seen[t.name] == 1:
            return t.name
        years = "–".join(str(d.year) if d else "?" for d in (t.term_start, t.term_end))
        return f"{t.name} ({years})"

    return {t.id: label(t) for t in trackers}


def _spelled(session: Session, query: SearchQuery, tracker: Tracker | None) -> str | None:
    """The query's words with those typed without å, ä and ö as the searched trackers' public
    pledges and areas spell them (`language.spelling`), or None when none is. The pledges only,
    not the documents: a bounded vocabulary, read from the cached public view."""
    if not query.words:
        return None
    texts: list[str] = []
    for t in [tracker] if tracker else visibility.public_trackers(session):
        for p in public_view(session, cache.fresh(session, t)).pledges:
            texts.append(p.quote)
            if p.area:
                texts.append(p.area)
    better = restored(query.words, texts)
    return " ".join(better.get(w, w) for w in query.words) if better else None


# --- changes (RSS) --------------------------------------------------------------------------


def verdict_changes(session: Session, slug: str, limit: int | None = 50) -> dict[str, Any]:
    """The newest published verdicts of a tracker's public pledges, newest first, with the
    pledge they rate."""
    tracker = visibility.public_tracker(session, slug)
    now = cache.fresh(session, tracker)

    def compute() -> dict[str, Any]:
        shown = {p.id for p in public_view(session, now).pledges}
        changes = [
            c
            for c in verdict_store.recent_changes(session, tracker.id, None)
            if c.verdict.pledge_id in shown
        ]
        return {"tracker": tracker_dict(tracker), "changes": change_records(changes, limit)}

    return cache.cached(session, "changes", now, compute, extra=limit)


MAX_CORRECTIONS = 200  # the newest a methodology page lists (each pledge page marks its own)


def corrections(session: Session, slug: str) -> dict[str, Any]:
    """The tracker's corrections, newest first: each published verdict that replaced an
    earlier one about the same moment of a public pledge (`Corrections`), with the status it
    corrected. At most MAX_CORRECTIONS, and their number. QA, a party's press officer: a
    correction was marked on its pledge's page only, nowhere a reader could see them all."""
    changes = verdict_changes(session, slug, limit=None)["changes"]
    by_id = {c["verdict_id"]: c for c in changes}
    found = [
        {**c, "corrected_status": by_id[c["corrects"]]["status"]}
        for c in changes
        if c["corrects"] in by_id
    ]
    return {"corrections": found[:MAX_CORRECTIONS], "corrections_total": len(found)}


def removed_pledges(session: Session, slug: str) -> dict[str, Any]:
    """The pledges the public could see that the editors removed (rejected: they keep their
    pages), newest removal first, each with when and the status it had when removed. At most
    MAX_CORRECTIONS, and their number. QA, an insider: a rated pledge's removal took its
    verdicts out of the meter, the feeds and the open data, and nothing listed it."""
    tracker = visibility.public_tracker(session, slug)
    with_pages = set(visibility.pledges_with_pages(session, tracker))
    gone = [
        p
        for p in pledge_store.list_pledges(session, tracker.id, states=[PledgeState.REJECTED])
        if p.id in with_pages
    ]
    marks = pledge_store.rejections(session, tracker.id) if gone else {}
    rated = verdict_store.statuses(session, tracker.id, pledge_ids=[p.id for p in gone])
    found = []
    for p in gone:
        mark = marks.get(p.id)
        when = mark.last_at if mark is not None else None
        found.append(
            {
                "pledge_id": p.id,
                "quote": p.quote,
                "removed_at": when.isoformat(timespec="seconds") if when else None,
                "status": rated[p.id].value if p.id in rated else None,
            }
        )
    found.sort(key=lambda r: (r["removed_at"] or "", r["pledge_id"]), reverse=True)
    return {"removed": found[:MAX_CORRECTIONS], "removed_total": len(found)}


# --- parties (a coalition's members) --------------------------------------------------------


def _known_area(area: str | None, areas: list[str]) -> tuple[str | None, bool]:
    """The area as the tracker spells it, matched by `match_key` as the party and the API
    match theirs (QA: "?area=skola" for "Skola", and an area whose bidi control the page's
    form value lost, listed none), and whether it is one of `areas`; an unknown one is kept
    (it matches nothing)."""
    if not match_key(area):
        return None, True
    found = spelled(area, areas)
    return (" ".join((area or "").split()), False) if found is None else (found, True)


def _known_party(party: str | None, parties: list[str]) -> str | None:
    """The party as the tracker spells it; an unknown name is kept (it matches nothing)."""
    if not match_key(party):
        return None
    return spelled(party, parties) or " ".join((party or "").split())


def party_page(
    session: Session, slug: str, party: str, page: int = 1, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """One party of a tracker: its counts by status and area and its pledges, a page at a
    time. NotFoundError for a party that is neither an actor nor on any pledge."""
    data = pledge_list(session, slug, party=party, page=page, page_size=page_size)
    name = data["filters"]["party"]
    if name not in data["parties"]:
        raise NotFoundError(f"no party {party!r} in tracker {slug!r}")
    tracker = visibility.public_tracker(session, slug)
    view = public_view(session, cache.fresh(session, tracker))
    pledges = [p for p in view.pledges if same_name(p.party, name)]
    current = view.current
    ordered = sorted(  # each area named as the tracker's meter names it (review)
        areas_of(pledges, area_spellings(view.pledges)).items(),
        key=lambda kv: (kv[0] is None, -len(kv[1]), swedish_key(kv[0] or "")),
    )
    return data | {
        "party": name,
        "meter": {
            "total": len(pledges),
            "unreviewed": unreviewed(pledges),
            "counts": count(pledges, current),
            "by_area": [
                {"area": a, "total": len(items), "counts": count(items, current)}
                for a, items in ordered
            ],
        },
    }


def _public_hits(
    session: Session,
    q: str,
    tracker: Tracker | None,
    page: int,
    page_size: int,
    party: str | None = None,
) -> tuple[search.SearchPage, search.SearchPage]:
    """Search hits among public pledges (first page) and documents of public trackers (paged).

    Pledges: the ids of the hits, ranked, are filtered by the public ids (and the party), so
    the total counts public hits only; only the first page's records are loaded. At most
    `search.MAX_COUNT` hits are ranked, the newest (`capped` says there were more), as the
    documents are. Documents: the database ranks and pages them, searching the public trackers
    only, and counts up to `search.MAX_COUNT`."""
    trackers = [tracker] if tracker else visibility.public_trackers(session)
    tracker_id = tracker.id if tracker else None
    hits = search.newest_pledge_ids(session, q, tracker_id=tracker_id, count_limit=search.MAX_COUNT)
    ids, method = list(hits.ids), hits.method
    outline = pledge_store.outline_with_parts(session, ids)  # the hits and their parts only
    shown: set[int] = set()
    for t in trackers:
        mine = [(i, parent, state) for i, parent, state, of, _ in outline if of == t.id]
        shown |= visibility.public_ids(t, mine)
    ids = [i for i in ids if i in shown]
    if party and ids:
        parties = {i: p for i, _, _, _, p in outline}
        ids = [i for i in ids if same_name(parties.get(i), party)]
    pledge_page = search.SearchPage(
        len(ids), search.pledges_by_id(session, ids[:page_size]), method, hits.capped
    )
    everyone = tracker is not None or len(trackers) == len(tracker_store.list_trackers(session))
    docs = search.search_documents(
        session,
        q,
        tracker_id=tracker_id,
        tracker_ids=None if everyone else [t.id for t in trackers],  # the public ones
        limit=page_size,
        offset=page_offset(page, page_size),
        count_limit=search.MAX_COUNT,
        reuse=True,  # a popular search is ranked once per change of the documents
    )
    return pledge_page, docs
