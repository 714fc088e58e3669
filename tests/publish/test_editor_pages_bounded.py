"""The editor's pledge page and pledge review list read bounded data (QA: a program of 760,000
candidates made them 74 s and 55 s: every record was read), and say what they said when they
read every record: the references below are the rules as they were, over whole records."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pytest

from lofte.model import Pledge, PledgeState
from lofte.publish import editor_pages
from lofte.publish.editor_pages import (
    NEIGHBOURS,
    SAME_TEXT_SHOWN,
    editor_pledge,
    editor_pledges,
    ranked_dict,
)
from lofte.review.ranking import PRECISIONS, RankFilter
from lofte.store import pledges as pledge_store
from lofte.store import search
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Session, Store
from tests.review.fixtures import pledge_row, program_document
from tests.store.test_pledges_outline_ranked import QUOTES, varied_store

# --- the rules as they were, over every record of the document or tracker --------------------


def old_rank_of(attributes: dict[str, Any]) -> float | None:
    value = attributes.get("rank")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def old_keeps(chosen: RankFilter, p: Pledge) -> bool:
    precision = p.attributes.get("precision")
    if chosen.precision is not None and (precision if precision in PRECISIONS else None) != (
        chosen.precision
    ):
        return False
    if chosen.min_rank > 0:
        rank = old_rank_of(p.attributes)
        return rank is not None and rank >= chosen.min_rank
    return True


def old_rank_pledges(pledges: Iterable[Pledge], chosen: RankFilter) -> list[Pledge]:
    kept = sorted(
        (p for p in pledges if old_keeps(chosen, p)), key=lambda p: (p.document_id, p.start, p.id)
    )
    if chosen.sort == "position":
        return kept
    return sorted(
        kept, key=lambda p: (old_rank_of(p.attributes) is None, -(old_rank_of(p.attributes) or 0.0))
    )


def old_review_list(
    s: Session, tracker_id: int, state: str | None, chosen: RankFilter
) -> list[Pledge]:
    every = pledge_store.list_pledges(s, tracker_id)
    if state in [st.value for st in PledgeState]:
        wanted = PledgeState(state)
        counted = pledge_store.checkable_ids((p.id, p.parent_id, p.state.value) for p in every)
        every = [
            p
            for p in every
            if p.state is wanted and (p.id in counted or wanted is PledgeState.REJECTED)
        ]
    return old_rank_pledges(every, chosen)


def old_words_of(text: str) -> str:
    return " ".join(w.strip(".,;:!?–-\"'”“()") for w in text.casefold().split())


def old_pledge_page(s: Session, pledge_id: int) -> dict[str, Any]:
    """Neighbours, same text and parts as the page found them in every record."""
    pledge = pledge_store.get_pledge(s, pledge_id)
    live = [
        p
        for p in pledge_store.list_pledges(s, document_id=pledge.document_id)
        if p.state is not PledgeState.REJECTED
    ]
    me = next((p for p in live if p.id == pledge_id), None)
    nearest = sorted(
        (p for p in live if p.id != pledge_id), key=lambda p: abs(p.start - pledge.start)
    )
    others = [p for p in nearest[: NEIGHBOURS * 4] if me is None or old_mergeable(me, p, live)]
    words = old_words_of(pledge.quote)
    same = [p.id for p in live if p.id != pledge_id and old_words_of(p.quote) == words]
    children = pledge_store.list_pledges(s, pledge.tracker_id, document_id=pledge.document_id)
    return {
        "neighbours": [p.id for p in sorted(others[:NEIGHBOURS], key=lambda p: p.start)],
        "same_text": same[:SAME_TEXT_SHOWN],
        "same_text_more": len(same) - len(same[:SAME_TEXT_SHOWN]),
        "children": [
            c.id
            for c in children
            if c.parent_id == pledge.id and c.state is not PledgeState.REJECTED
        ],
    }


def old_mergeable(me: Pledge, other: Pledge, live: list[Pledge]) -> bool:
    if other.parent_id == me.id or other.id == me.parent_id:
        return False
    start, end = min(me.start, other.start), max(me.end, other.end)
    for p in live:
        if p.id in (me.id, other.id) or p.parent_id in (me.id, other.id):
            continue
        inside = p.end > start and p.start < end
        if inside and not (p.start <= start and p.end >= end):
            return False
    return True


# --- the pledge page ------------------------------------------------------------------------


def test_every_pledges_neighbours_copies_and_parts_are_as_from_every_record(store: Store) -> None:
    varied = varied_store(store)
    with store.session() as s:
        for pledge_id in varied.pledges:
            want = old_pledge_page(s, pledge_id)
            pledge = pledge_store.get_pledge(s, pledge_id)
            assert [p.id for p in editor_pages.merge_neighbours(s, pledge)] == want["neighbours"], (
                pledge_id
            )
            shown, more = editor_pages.same_text(s, pledge)
            assert (shown, more) == (want["same_text"], want["same_text_more"]), pledge_id
        for pledge_id in varied.pledges[::9]:  # the whole page, for some
            page = editor_pledge(s, pledge_id)
            want = old_pledge_page(s, pledge_id)
            assert [p["id"] for p in page["neighbours"]] == want["neighbours"]
            assert page["same_text"] == want["same_text"]
            assert page["same_text_more"] == want["same_text_more"]
            assert [c["id"] for c in page["children"]] == want["children"]


def test_many_copies_and_ties_are_named_and_counted_as_from_every_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More copies than the page names, exact and in other cases, at equal starts."""
    sentence = "Vi ska bygga 40 nya bostäder i Straße."
    body = "Bostäder\n\n" + "\n\n".join([sentence] * 3)
    doc = program_document(store, body)
    ids = [pledge_row(store, doc, sentence) for _ in range(30)]  # all at one start
    variants = ["VI SKA BYGGA 40 NYA BOSTÄDER I STRASSE", "vi ska bygga 40 nya bostäder i straße"]
    with store.session() as s:
        for n, quote in enumerate(variants * 8):
            pledge = pledge_store.get_pledge(s, ids[n % 5])
            pledge_store.insert_pledge(
                s,
                tracker_id=pledge.tracker_id,
                document_id=doc,
                start=pledge.start - (n % 3),
                end=pledge.end,
                quote=quote,
                attributes={},
                confidence=1.0,
                state=["candidate", "confirmed", "rejected"][n % 3],
                stage="test",
                stage_version="1",
            )
    monkeypatch.setattr(editor_pages, "SAME_TEXT_SHOWN", 7)
    with store.session() as s:
        for pledge_id in [*ids[:3], *ids[-2:]]:
            page = editor_pledge(s, pledge_id)
            want = old_pledge_page(s, pledge_id)
            assert page["same_text"] == want["same_text"][:7]
            assert page["same_text_more"] == len(want["same_text"]) + want["same_text_more"] - 7
            assert [p["id"] for p in page["neighbours"]] == want["neighbours"]


def test_equally_near_pledges_are_tried_in_program_order(store: Store) -> None:
    """More pledges at one start, before and after, than the page tries: the first in
    program order are tried, as when every record was read."""
    before, middle, after = "Vi ska bygga.", "Vi ska sänka taxan.", "Vi ska riva."
    doc = program_document(store, f"{before} {middle} {after}")
    ahead = [pledge_row(store, doc, before) for _ in range(30)]
    rejected = pledge_row(store, doc, middle, state="rejected")
    live = pledge_row(store, doc, middle)
    behind = [pledge_row(store, doc, after) for _ in range(30)]
    with store.session() as s:
        for pledge_id in (rejected, live, ahead[0], ahead[-1], behind[3]):
            page = editor_pledge(s, pledge_id)
            want = old_pledge_page(s, pledge_id)
            assert [p["id"] for p in page["neighbours"]] == want["neighbours"], pledge_id
            assert page["same_text"] == want["same_text"]
            assert page["same_text_more"] == want["same_text_more"]
        assert want["neighbours"] and want["same_text_more"]  # something to get wrong


def test_a_like_pattern_lets_by_every_quote_with_the_same_words(store: Store) -> None:
    """The prefilter never drops a pledge `_words_of` would name, whatever characters fold
    into plain letters (ß, ﬁ, the Kelvin sign); the characters it is made of fold from none."""
    folding = {
        x for cp in range(0x80, 0x110000) for x in chr(cp).casefold() if x.isascii() and x.isalnum()
    }
    assert not folding & set(editor_pages.PLAIN)
    assert set(editor_pages.PLAIN) <= set("abcdefghijklmnopqrstuvwxyz0123456789")
    assert all(chr(cp).casefold() for cp in range(0x110000))  # nothing folds to nothing
    quotes = [*QUOTES, "STRAẞE 5", "straße 5", "ǰ ŉ ẖ ﬀ ﬆ 9", "J̌ ʼN H̱ FF ST 9"]
    doc = program_document(store, " ".join(q or "x" for q in quotes))
    ids = [pledge_row(store, doc, q or "x") for q in quotes]
    with store.session() as s:
        for pledge_id in ids:
            pledge = pledge_store.get_pledge(s, pledge_id)
            words = editor_pages._words_of(pledge.quote)
            same = {
                q.id
                for q in pledge_store.list_pledges(s, document_id=doc)
                if q.id != pledge_id and editor_pages._words_of(q.quote) == words
            }
            pattern = editor_pages._like_pattern(words)
            found = pledge_store.live_quotes_like(s, doc, pattern, pledge_id, "no quote")
            assert same <= {i for _, i, _ in found}, (pledge.quote, pattern)


# --- the review list ------------------------------------------------------------------------


FILTERS = [
    RankFilter(precision, min_rank, sort)
    for precision in (None, "specific", "vague")
    for min_rank in (0.0, 0.5, 0.95)
    for sort in ("rank", "position")
]


def test_the_review_list_pages_and_counts_as_from_every_record(store: Store) -> None:
    varied = varied_store(store)
    size = 7
    with store.session() as s:
        for slug, tracker_id in zip(varied.slugs, varied.tracker_ids, strict=True):
            for state in (None, "all", "candidate", "confirmed", "rejected"):
                for chosen in FILTERS:
                    want = [p.id for p in old_review_list(s, tracker_id, state, chosen)]
                    last = max(1, -(-len(want) // size))
                    for page in sorted({1, 2, last, last + 1}):
                        got = editor_pledges(s, slug, state, page, size, chosen)
                        at = (page - 1) * size
                        assert [p["id"] for p in got["pledges"]] == want[at : at + size], (
                            slug,
                            state,
                            chosen,
                            page,
                        )
                        assert (got["total"], got["pages"]) == (len(want), last)


def test_the_review_lists_rows_are_the_records_rows(store: Store) -> None:
    varied = varied_store(store)
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, varied.slugs[0])
        current = verdict_store.statuses(s, tracker.id)
        chosen = RankFilter(sort="position")
        want = old_review_list(s, tracker.id, "candidate", chosen)[:50]
        got = editor_pledges(s, tracker.slug, "candidate", 1, 50, chosen)["pledges"]
    assert got == [ranked_dict(p, current.get(p.id), tracker.term_end) for p in want]


# --- bounded reads --------------------------------------------------------------------------


def test_neither_page_reads_every_record_of_its_document_or_tracker(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole records of the page's pledges only: of 200 pledges in one document, the review
    list loads the 50 it shows, the pledge page its neighbours tried (2 × 4 × NEIGHBOURS at
    most), its parts and itself."""
    sentences = [f"Vi ska bygga {n} nya bostäder." for n in range(200)]
    doc = program_document(store, "Bostäder\n\n" + "\n\n".join(sentences))
    ids = [pledge_row(store, doc, text) for text in sentences]
    part = pledge_row(store, doc, sentences[100], parent=ids[100])

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("every record of the document or tracker read")

    monkeypatch.setattr(pledge_store, "list_pledges", refused)
    loaded: list[int] = []
    real = pledge_store.pledge_record
    monkeypatch.setattr(
        pledge_store, "pledge_record", lambda row: loaded.append(row.id) or real(row)
    )
    monkeypatch.setattr(search, "pledge_record", pledge_store.pledge_record)
    with store.session() as s:
        page = editor_pledges(s, "sjovik", None, 2)
        assert [p["id"] for p in page["pledges"]] == ids[50:100]
        assert page["total"] == 201 and len(loaded) == 50
        loaded.clear()
        data = editor_pledge(s, ids[100])
        assert [c["id"] for c in data["children"]] == [part]
        assert [p["id"] for p in data["neighbours"]] == [ids[99], ids[101]]  # none between
        assert len(loaded) <= 2 * 4 * NEIGHBOURS + 10
        # the pledge itself once (re-read: the page read it four times, its tracker three)
        assert loaded.count(ids[100]) == 1, loaded
