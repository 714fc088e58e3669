"""store/pledges.py: the reads of the editors' pledge page and review list that load no whole
document's records (`rank_outline`, `nearest_live`, `live_spans`, `live_with_quote`,
`live_quotes_like`), against what the records themselves say, on varied stores."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

from lofte.model import PledgeState
from lofte.review import ranking
from lofte.review.ranking import precision_of, rank_of
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, PledgeRow

# the same words in other cases, spacing and punctuation, and characters that casefold into
# plain letters (ß → ss, the ligature ﬁ → fi, the Kelvin sign → k), % and _ in a quote
QUOTES = [
    "Vi ska bygga en ny simhall i Norrvik.",
    "VI SKA BYGGA EN NY SIMHALL I NORRVIK!",
    "vi ska  bygga en ny simhall i norrvik",
    "(Vi ska bygga en ny simhall i Norrvik)",
    "Vi ska bygga en ny simhall.",
    "Vi ska: bygga — en ny simhall i Norrvik.",
    "Gatan ska heta Straße.",
    "GATAN SKA HETA STRASSE",
    "Vi ska sänka taxan med 100 kronor.",
    "VI SKA SÄNKA TAXAN MED 100 KRONOR",
    "Vi ska ﬁnansiera 20 \u212aommuner.",
    "vi ska finansiera 20 kommuner",
    "Öka stödet till 50 %_ av hushållen.",
    "öka stödet till 50 %_ av hushållen",
    "öka stödet till 50 %x av hushållen",
    "...",
    "",
    "Ett annat löfte om 300 miljoner.",
]
# ranks: missing, in range, the ends, out of range, a bool, a string, a list, null, a huge
# integer; NaN and infinite ones where the database stores them (SQLite)
RANKS: list[Any] = [0.0, 0.25, 0.5, 0.5, 0.9485, 1, 1.0, 0, -0.1, 1.5, True, False, "0.8"]
RANKS += [None, [0.5], {"v": 1}, 10**30, 0.30000000000000004, 0.3]
ODD_FLOATS = [math.nan, math.inf, -math.inf]
PRECISIONS: list[Any] = ["specific", "vague", "Specific", 3, None, ["vague"], "", "vague "]
MISSING = object()


@dataclass
class Varied:
    """A varied store: two trackers, several documents, groups and parts, rejected and merged
    pledges, ties in start, overlapping spans, odd attributes."""

    slugs: list[str] = field(default_factory=list)
    tracker_ids: list[int] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    pledges: list[int] = field(default_factory=list)


def varied_store(store: Store, seed: int = 7, per_document: int = 45) -> Varied:
    rng = random.Random(seed)
    odd = store.engine.dialect.name == "sqlite"  # PostgreSQL's json refuses NaN and Infinity
    out = Varied()
    with store.session() as s:
        for slug, documents in (("alfa", 3), ("beta", 1)):
            tracker = tracker_store.ensure_tracker(s, slug)
            s.flush()
            out.slugs.append(slug)
            out.tracker_ids.append(tracker.id)
            for n in range(documents):
                body = " ".join(rng.choice(QUOTES) or "x" for _ in range(120))
                doc = DocumentRow(
                    tracker_id=tracker.id,
                    origin=f"{slug}{n}.txt",
                    item_key="",
                    kind="program",
                    title=f"{slug} {n}",
                    body=body,
                    content_hash=f"{slug}{n}",
                    raw_sha256=document_store.put_raw(s, body.encode(), "text/plain"),
                    stage="parse:test",
                    stage_version="1",
                )
                s.add(doc)
                s.flush()
                out.documents.append(doc.id)
                made: list[PledgeRow] = []
                starts = list(range(0, len(body) - 400, 41))
                for _ in range(per_document):
                    start = rng.choice(starts[:12] if rng.random() < 0.3 else starts)
                    end = start + rng.choice([15, 40, 41, 90, 300])
                    parent = rng.choice(made).id if made and rng.random() < 0.25 else None
                    state = rng.choices(["candidate", "confirmed", "rejected"], [6, 3, 2])[0]
                    attributes: dict[str, Any] = {}
                    rank = rng.choice(RANKS + (ODD_FLOATS if odd else []) + [MISSING] * 3)
                    if rank is not MISSING:
                        attributes["rank"] = rank
                    precision = rng.choice(PRECISIONS + [MISSING] * 2)
                    if precision is not MISSING:
                        attributes["precision"] = precision
                    if state == "rejected" and made and rng.random() < 0.5:
                        attributes["merged_into"] = rng.choice(made).id
                    row = PledgeRow(
                        tracker_id=tracker.id,
                        document_id=doc.id,
                        parent_id=parent,
                        start=start,
                        end=end,
                        quote=rng.choice(QUOTES),
                        attributes=attributes,
                        confidence=0.9,
                        state=state,
                        stage="extract",
                        stage_version="1",
                    )
                    s.add(row)
                    s.flush()
                    made.append(row)
                    out.pledges.append(row.id)
        # a part in another document than its group's (no editor makes one; read as before)
        first, other = s.get(PledgeRow, out.pledges[0]), out.documents[1]
        assert first is not None
        stray = PledgeRow(
            tracker_id=first.tracker_id,
            document_id=other,
            parent_id=first.id,
            start=first.start,
            end=first.end,
            quote=first.quote,
            attributes={},
            confidence=0.9,
            state="candidate",
            stage="extract",
            stage_version="1",
        )
        s.add(stray)
        s.flush()
        out.pledges.append(stray.id)
    return out


def test_the_rank_outline_reads_each_rank_and_precision_as_the_record_does(store: Store) -> None:
    varied = varied_store(store)
    with store.session() as s:
        for tracker_id in varied.tracker_ids:
            records = pledge_store.list_pledges(s, tracker_id)
            outline = sorted(pledge_store.rank_outline(s, tracker_id))  # in no order
            assert [r.id for r in outline] == sorted(p.id for p in records)
            for row, p in zip(outline, sorted(records, key=lambda p: p.id), strict=True):
                assert (row.parent_id, row.state, row.document_id, row.start) == (
                    p.parent_id,
                    p.state.value,
                    p.document_id,
                    p.start,
                )
                assert ranking.rank_value(row.rank) == rank_of(p.attributes), p.attributes
                assert ranking.precision_value(row.precision) == precision_of(p.attributes), (
                    p.attributes
                )


def test_odd_ranks_and_precisions_are_unknown_read_either_way(store: Store) -> None:
    """A bool, a string, NaN or an out-of-range rank is no rank; an unknown precision None."""
    odd: list[Any] = [True, "0.8", 1.5, -0.1, None, [0.5], 10**30]
    if store.engine.dialect.name == "sqlite":
        odd += ODD_FLOATS
    with store.session() as s:
        tracker = tracker_store.ensure_tracker(s, "t")
        s.flush()
        doc = DocumentRow(
            tracker_id=tracker.id,
            origin="p.txt",
            item_key="",
            kind="program",
            title="p",
            body="x" * 100,
            content_hash="h",
            raw_sha256=document_store.put_raw(s, b"x", "text/plain"),
            stage="parse:test",
            stage_version="1",
        )
        s.add(doc)
        s.flush()
        for n, rank in enumerate([*odd, 0.5, 1]):
            s.add(
                PledgeRow(
                    tracker_id=tracker.id,
                    document_id=doc.id,
                    start=n,
                    end=n + 1,
                    quote="x",
                    attributes={"rank": rank, "precision": ["vague", "Vague", 1][n % 3]},
                    confidence=0.9,
                    state="candidate",
                    stage="extract",
                    stage_version="1",
                )
            )
        s.flush()
        rows = sorted(pledge_store.rank_outline(s, tracker.id), key=lambda r: r.start)
    assert [ranking.rank_value(r.rank) for r in rows] == [None] * len(odd) + [0.5, 1.0]
    assert [ranking.precision_value(r.precision) for r in rows][:3] == ["vague", None, None]


def test_the_nearest_live_pledges_hold_the_nearest_either_way(store: Store) -> None:
    varied = varied_store(store, per_document=30)
    with store.session() as s:
        for doc in varied.documents:
            live = [
                p
                for p in pledge_store.list_pledges(s, document_id=doc)
                if p.state is not PledgeState.REJECTED
            ]
            for p in pledge_store.list_pledges(s, document_id=doc):
                for k in (1, 3, 8):
                    near = pledge_store.nearest_live(s, doc, p.start, p.id, k)
                    others = [q for q in live if q.id != p.id]
                    want = sorted(others, key=lambda q: abs(q.start - p.start))[:k]
                    assert {q.id for q in want} <= {q.id for q in near}
                    assert len(near) <= 2 * k  # whole records of these only
                    assert near == [q for q in others if q.id in {x.id for x in near}]  # in order


def test_live_spans_are_the_live_pledges_overlapping(store: Store) -> None:
    varied = varied_store(store, per_document=30)
    with store.session() as s:
        for doc in varied.documents:
            pledges = pledge_store.list_pledges(s, document_id=doc)
            for start, end in ((0, 50), (100, 101), (300, 900), (40, 40), (0, 10**6)):
                got = {sp.id: sp for sp in pledge_store.live_spans(s, doc, start, end)}
                want = {
                    p.id: pledge_store.Span(p.id, p.parent_id, p.start, p.end)
                    for p in pledges
                    if p.state is not PledgeState.REJECTED and p.end > start and p.start < end
                }
                assert got == want


def test_quotes_exactly_alike_are_counted_and_the_others_filtered(store: Store) -> None:
    varied = varied_store(store, per_document=30)
    with store.session() as s:
        for doc in varied.documents:
            pledges = pledge_store.list_pledges(s, document_id=doc)
            live = [p for p in pledges if p.state is not PledgeState.REJECTED]
            for p in pledges[:10]:
                alike = [(q.start, q.id) for q in live if q.id != p.id and q.quote == p.quote]
                assert pledge_store.live_with_quote(s, doc, p.quote, p.id, 3) == (
                    alike[:3],
                    len(alike),
                )
                rest = [q for q in live if q.id != p.id and q.quote != p.quote]
                got = pledge_store.live_quotes_like(s, doc, None, p.id, p.quote)
                assert sorted(got) == [(q.start, q.id, q.quote) for q in rest]
                narrow = pledge_store.live_quotes_like(s, doc, "%ska%100%", p.id, p.quote)
                assert {i for _, i, _ in narrow} == {
                    q.id for q in rest if re.search("ska.*100", q.quote, re.IGNORECASE)
                }
                assert narrow  # the taxes' sentence in both cases
