"""Dev-set measurement: page text, label lookup and the recall/precision arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lofte.model import ParsedDocument
from lofte.pipeline import pledge_eval
from lofte.pipeline.pledge_eval import Figures, Label, locate, page_figures, page_text
from lofte.sources import program_text
from lofte.sources.program_text import PAGE, PARAGRAPH, SourceLine


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    parent: int | None = None


def two_page_program() -> ParsedDocument:
    filler = " ".join(["Kommunen har många invånare och en lång historia."] * 15)
    lines = [
        SourceLine("OMSLAG", PARAGRAPH, heading=True, page=0),
        SourceLine("Skolan", PAGE, heading=True, page=1),
        SourceLine(filler, PARAGRAPH, page=1),
        SourceLine("Vi vill bygga tre nya skolor före 2026.", PARAGRAPH, page=1),
        SourceLine("Vi vill stärka", PARAGRAPH, page=1),
        SourceLine("tryggheten i hela staden.", PAGE, page=2),
        SourceLine(filler, PARAGRAPH, page=2),
    ]
    return program_text.document_from_lines(lines, "program.pdf")


def test_page_text_holds_the_blocks_that_touch_the_page() -> None:
    doc = two_page_program()
    assert "Vi vill stärka tryggheten i hela staden." in page_text(doc, 2)
    assert "Vi vill stärka tryggheten i hela staden." in page_text(doc, 3)
    assert "tre nya skolor" not in page_text(doc, 3)
    assert pledge_eval.content_pages(doc) == [2, 3]  # the cover has no prose


def test_locate_finds_a_label_by_its_first_and_last_words() -> None:
    doc = two_page_program()
    s, e = locate(doc, Label(2, "Vi vill bygga", "före 2026.", "strict"))
    assert doc.body[s:e] == "Vi vill bygga tre nya skolor före 2026."
    with pytest.raises(ValueError, match="page 3"):
        locate(doc, Label(3, "Vi vill bygga", "före 2026.", "strict"))


def test_draw_pages_is_fixed_by_the_seed() -> None:
    doc = two_page_program()
    assert pledge_eval.draw_pages(doc, k=1) == pledge_eval.draw_pages(doc, k=1)
    assert pledge_eval.draw_pages(doc, k=5) == [2, 3]


def test_figures_count_atomic_candidates_that_meet_gold() -> None:
    doc = two_page_program()
    school = locate(doc, Label(2, "Vi vill bygga", "före 2026.", "strict"))
    safety = locate(doc, Label(2, "Vi vill stärka", "hela staden.", "vague"))
    labels = [
        Label(2, "Vi vill bygga", "före 2026.", "strict"),
        Label(2, "Vi vill stärka", "hela staden.", "vague"),
    ]
    filler_start = doc.body.index("Kommunen")
    candidates = [
        Candidate(school[0], safety[1]),  # a parent: not atomic, not counted
        Candidate(*school, parent=0),
        Candidate(filler_start, filler_start + 40),  # a false pledge
    ]
    figures = page_figures(doc, candidates, labels, [2])
    assert figures == Figures(
        gold=2, gold_strict=1, found=1, found_strict=1, extracted=2, correct=1
    )
    assert figures.recall_lenient == 0.5 and figures.recall_strict == 1.0
    assert figures.precision_lenient == 0.5
    missed, extra = pledge_eval.misses(doc, candidates, labels, [2])
    assert [m.first for m in missed] == ["Vi vill stärka"]
    assert extra == [(filler_start, filler_start + 40)]


def test_a_candidate_and_a_sentence_meet_when_they_are_mostly_the_same_span() -> None:
    doc = two_page_program()
    label = Label(2, "Vi vill bygga", "före 2026.", "strict")
    s, e = locate(doc, label)
    assert page_figures(doc, [Candidate(s, e - 12)], [label], [2]).found == 1
    assert page_figures(doc, [Candidate(s, s + 5)], [label], [2]).found == 0  # a sliver
    long = [Candidate(doc.body.index("Kommunen"), e)]  # mostly filler, the sentence at its end
    figures = page_figures(doc, long, [label], [2])
    assert figures.found == 0 and figures.correct == 0
