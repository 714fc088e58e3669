"""Page data at scale: a pledge page reads a bounded number of rows, whatever the size of its
tracker or program."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from lofte.model import ReviewState
from lofte.publish import pages
from lofte.store.db import Store
from lofte.store.schema import EvidenceRow, PledgeRow

from ..web.conftest import PROGRAM, Site, build_site


@pytest.fixture
def site(store: Store) -> Site:
    return build_site(store)


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", note)


def _more_pledges(site: Site, n: int) -> None:
    """`n` more confirmed pledges in the same program document."""
    with site.store.session() as s:
        first = s.get_one(PledgeRow, site.pool)
        for i in range(n):
            s.add(
                PledgeRow(
                    tracker_id=first.tracker_id,
                    document_id=first.document_id,
                    start=0,
                    end=10 + i,
                    quote=PROGRAM[: 10 + i],
                    area="Skola",
                    attributes={},
                    confidence=0.5,
                    stage="extract",
                    stage_version="1",
                    state="confirmed",
                )
            )


def test_a_pledge_page_reads_the_same_statements_however_many_pledges(site: Site) -> None:
    def page() -> tuple[dict[str, object], list[str]]:
        with statements(site.store) as seen, site.store.session() as s:
            data = pages.pledge_detail(s, site.group)
        return data, seen

    page()  # the tracker's public pledges are read once per change, then cached
    first, seen = page()
    _more_pledges(site, 40)
    page()
    again, seen_again = page()
    assert len(seen_again) == len(seen)
    assert not [q for q in seen_again if "pledges.document_id = " in q]  # not the program's all
    # the group's public parts, as before
    assert [c["id"] for c in again["children"]] == list(site.children)
    assert again["children"] == first["children"]


def test_parts_follow_a_change_at_once(site: Site) -> None:
    with site.store.session() as s:
        assert [c["id"] for c in pages.pledge_detail(s, site.group)["children"]] == list(
            site.children
        )
    with site.store.session() as s:
        row = s.get_one(PledgeRow, site.children[1])
        row.state, row.version = "rejected", row.version + 1
    with site.store.session() as s:
        shown = [c["id"] for c in pages.pledge_detail(s, site.group)["children"]]
    assert shown == [site.children[0]]


def test_a_public_pledge_page_shows_at_most_max_evidence(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    with site.store.session() as s:
        for evidence_id in (site.ev_pool,):
            s.get_one(EvidenceRow, evidence_id).review_state = ReviewState.ACCEPTED.value
        pool = s.get_one(EvidenceRow, site.ev_pool)
        s.add(
            EvidenceRow(
                pledge_id=pool.pledge_id,
                document_id=site.news["preschool"],
                start=0,
                end=5,
                score=0.1,
                features={},
                stance="mentions",
                review_state=ReviewState.ACCEPTED.value,
                stage="link",
                stage_version="1",
            )
        )
    with site.store.session() as s:
        assert len(pages.pledge_detail(s, site.pool)["evidence"]) == 2
        monkeypatch.setattr(pages, "MAX_EVIDENCE", 1)
        shown = pages.pledge_detail(s, site.pool)["evidence"]
        assert [e["id"] for e in shown] == [site.ev_pool]  # the best one
        assert len(pages.pledge_detail(s, site.pool, public=False)["evidence"]) == 2


def test_a_pair_sharing_only_a_part_inside_both_words_names_that_part() -> None:
    """QA: "kärnkraftverk → regelverk" read as a match of two unrelated words; they share
    only the part "verk" (a compound's head), which the page now names."""
    from lofte.publish.pages import _matched_pairs

    features = {
        "matched": [
            {"term": "kärn", "pledge": ["kärnkraftverk"], "document": ["kärnkraften"]},
            {"term": "verk", "pledge": ["kärnkraftverk"], "document": ["regelverk", "verket"]},
            {"term": "omsorg", "pledge": ["barnomsorgen"], "document": ["äldreomsorgen"]},
            {"term": "frukost", "pledge": ["skolfrukost"], "document": ["frukosten"]},
            {"term": "termin", "pledge": ["höstterminen"], "document": ["höstterminen"]},
            {"term": "gå", "pledge": ["går"], "document": ["gick"]},  # not a part: as it was
        ]
    }
    assert _matched_pairs(features) == [
        ["kärnkraftverk", "kärnkraften / regelverk (-verk) / verket"],
        ["barnomsorgen", "äldreomsorgen (-omsorg)"],
        ["skolfrukost", "frukosten"],
        ["höstterminen", "höstterminen"],
        ["går", "gick"],
    ]


def test_matched_word_pairs_are_shown_once() -> None:
    """A compound's parts are separate terms carried by the same words: one pair on the page."""
    from lofte.publish.pages import _matched_pairs

    features = {
        "matched": [
            {"term": "höst", "pledge": ["höstterminen"], "document": ["höstterminen"]},
            {"term": "termin", "pledge": ["höstterminen"], "document": ["höstterminen"]},
            {"term": "skol", "pledge": ["skolor"], "document": ["skolorna", "skolor"]},
            {"term": "grund", "pledge": ["skolor"], "document": ["skolorna"]},
            # QA: "fritidsklubbar → fritidsklubbar" twice, the second with "/ fritid"
            {"term": "klubb", "pledge": ["fritidsklubbar"], "document": ["fritidsklubbar"]},
            {
                "term": "fritid",
                "pledge": ["fritidsklubbar"],
                "document": ["fritidsklubbar", "fritid"],
            },
        ],
        "matched_terms": [["höstterminen", "höstterminen"], ["ny", "nya"]],
    }
    assert _matched_pairs(features) == [
        ["höstterminen", "höstterminen"],
        ["skolor", "skolorna / skolor"],
        ["fritidsklubbar", "fritidsklubbar / fritid"],
        ["ny", "nya"],
    ]


def test_a_document_word_stands_once_plain_when_any_term_matches_it_whole() -> None:
    """QA: real linker output for "kärnkraftverk" stood as "Kärnkraft / kärnkraftverken /
    Kärnkraft (-kraft) / kärnkraftverken (-kraft) / kärnkraftverken (-kraftverk) /
    kärnkraftverken (-verk) / regelverk (-verk)": each of the compound's parts is a term
    carried by the same words. A word a term matches whole or by its start ("kärn" starts both
    words) is a plain match and needs no part; "regelverk" shares only "verk" and keeps it."""
    from lofte.publish.pages import _matched_pairs

    # `matched` as PledgeIndex.link wrote it (weights left out) for the pledge "Vi ska bygga
    # nya kärnkraftverk i Sverige." and the text "Kärnkraft behövs. Regeringen vill att
    # kärnkraftverken byggs under ett nytt regelverk. Kärnkraften ska byggas ut."
    pledge = ["kärnkraftverk"]
    features = {
        "matched": [
            {"term": "kärnkraftverk", "pledge": pledge, "document": ["kärnkraftverken"]},
            {"term": "kärn", "pledge": pledge, "document": ["kärnkraftverken", "Kärnkraften"]},
            {"term": "kraftverk", "pledge": pledge, "document": ["kärnkraftverken"]},
            {"term": "kraft", "pledge": pledge, "document": ["kärnkraftverken", "Kärnkraften"]},
            {"term": "verk", "pledge": pledge, "document": ["kärnkraftverken", "regelverk"]},
            {"term": "bygg", "pledge": ["bygga"], "document": ["byggs", "byggas"]},
            {"term": "ny", "pledge": ["nya"], "document": ["nytt"]},
        ]
    }
    assert _matched_pairs(features) == [
        ["kärnkraftverk", "kärnkraftverken / Kärnkraften / regelverk (-verk)"],
        ["bygga", "byggs / byggas"],
        ["nya", "nytt"],
    ]
    # The report's order: a part before the plain match, and a word in two cases. A word is
    # compared ignoring case and stands in its first form and place; once it has a part, a
    # later part does not add another (the first one stands).
    features = {
        "matched": [
            {"term": "kraft", "pledge": pledge, "document": ["Kärnkraft", "kärnkraftverken"]},
            {"term": "kärn", "pledge": pledge, "document": ["kärnkraft", "kärnkraftverken"]},
            {"term": "verk", "pledge": pledge, "document": ["Kärnkraftverken", "regelverk"]},
            {"term": "erk", "pledge": pledge, "document": ["Regelverk"]},
        ]
    }
    assert _matched_pairs(features) == [
        ["kärnkraftverk", "Kärnkraft / kärnkraftverken / regelverk (-verk)"],
    ]
