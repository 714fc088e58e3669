"""The extraction stage reports its steps within one document, and stops when a step raises.

QA: `lofte extract` of one 45 MB program said "0 of 1 documents" for the whole run, and had no
time budget: `on_step(unit, done, total)` reports the characters read, then the sentences
scored, a few seconds apart at most, and whatever it raises (the caller's time budget) stops
the stage there.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lofte.errors import BudgetError
from lofte.model import ParsedDocument
from lofte.pipeline import extract as stage
from lofte.pipeline.classify import Context
from lofte.pipeline.extract import extract_pledges

PARAGRAPH = (
    "Kommunen har många invånare och en lång historia. Vi vill bygga tre nya skolor i "
    "Sjövik före 2026. Vi ska anställa 40 fler lärare. Skolan är viktig för alla barn."
)


def program(paragraphs: int = 12, sep: str = "\n\n") -> ParsedDocument:
    return ParsedDocument(title="Program", body=sep.join([PARAGRAPH] * paragraphs), item_key="k")


class Scorer:
    """A stand-in classifier that remembers what it was given in each call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str], contexts: Sequence[Context]) -> list[float]:
        self.calls.append(list(texts))
        return [0.8 if "vill" in t or "ska" in t else 0.1 for t in texts]


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps every 100 characters read and calls of about 150 characters scored: a small
    program moves as a 45 MB one does."""
    monkeypatch.setattr(stage, "STEP_CHARS", 100, raising=False)
    monkeypatch.setattr(stage, "SCORE_CHUNK_CHARS", 150, raising=False)


@pytest.mark.usefixtures("small_steps")
@pytest.mark.parametrize("sep", ["\n\n", " "], ids=["paragraphs", "one paragraph"])
def test_steps_count_the_body_read_then_the_sentences_scored(sep: str) -> None:
    doc = program(sep=sep)
    steps: list[tuple[str, int, int]] = []
    scorer = Scorer()
    found = extract_pledges(doc, scorer, on_step=lambda *step: steps.append(step))
    read = [done for unit, done, total in steps if unit == stage.READ]
    scored = [(done, total) for unit, done, total in steps if unit == stage.SCORED]
    assert all(total == len(doc.body) for unit, _, total in steps if unit == stage.READ)
    assert read == sorted(read) and read[0] == 0 and read[-1] == len(doc.body)
    assert any(0 < done < len(doc.body) for done in read)  # it moves within the document
    n = sum(len(call) for call in scorer.calls)
    assert [u for u, _, _ in steps] == [stage.READ] * len(read) + [stage.SCORED] * len(scored)
    assert scored[0] == (0, n) and scored[-1] == (n, n) and scored == sorted(scored)
    assert len(scorer.calls) == len(scored) - 1 > 1  # a step before each call, one after
    assert all(sum(map(len, call[:-1])) < 150 for call in scorer.calls)
    # the same candidates as without steps, scored in one call
    assert found == extract_pledges(doc, Scorer())


@pytest.mark.usefixtures("small_steps")
def test_scoring_in_chunks_gives_the_scores_of_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = program()
    chunked = extract_pledges(doc, Scorer())
    monkeypatch.setattr(stage, "SCORE_CHUNK_CHARS", 10**9, raising=False)
    whole = Scorer()
    assert extract_pledges(doc, whole) == chunked and len(whole.calls) == 1


@pytest.mark.usefixtures("small_steps")
def test_what_a_step_raises_stops_the_stage_before_anything_is_scored() -> None:
    """A time budget that runs out while the body is read: nothing is scored, nothing
    returned, and the error goes to the caller as it was raised."""
    doc = program()
    scorer = Scorer()

    def budget(unit: str, done: int, total: int) -> None:
        if done > 0:
            raise BudgetError(doc.title, "stopped after 1 s: more than the time budget")

    with pytest.raises(BudgetError, match="time budget"):
        extract_pledges(doc, scorer, on_step=budget)
    assert scorer.calls == []


@pytest.mark.usefixtures("small_steps")
def test_a_step_raising_while_scoring_stops_between_two_calls() -> None:
    doc = program()
    scorer = Scorer()

    def budget(unit: str, done: int, total: int) -> None:
        if unit == stage.SCORED and done > 0:
            raise BudgetError(doc.title, "stopped")

    with pytest.raises(BudgetError):
        extract_pledges(doc, scorer, on_step=budget)
    assert len(scorer.calls) == 1
