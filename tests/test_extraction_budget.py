"""A program document's time budget in `lofte extract` (LOFTE_EXTRACT_TIME_BUDGET), and its
progress within one document.

QA: one 45 MB program had no time budget ("long inputs and batches have time and size
budgets"), and the command said "0 of 1 documents" for the whole run. A document over its
budget fails with an error naming it and the budget, nothing of it is stored, and the others
are extracted. The clock here is a fake one, moved by the "slow" steps: nothing waits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lofte import extraction
from lofte.cli import app
from lofte.config import Settings, get_settings, read_settings
from lofte.errors import ConfigError
from lofte.ingest import IngestOptions, ingest
from lofte.model import SourceKind
from lofte.pipeline import extract as stage
from lofte.store import pledges as pledge_store
from lofte.store.db import Store

SLOW = "Stort program"


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # no .env of the checkout's
    get_settings.cache_clear()  # read once per process: each test's own values
    yield
    get_settings.cache_clear()


@pytest.fixture
def programs(store: Store, seeds_dir: Path, tmp_path: Path) -> Store:
    """Seed 002, then a program that the tests make slow."""
    (seed,) = sorted(seeds_dir.glob("002_*"))
    slow = tmp_path / "stort.txt"
    slow.write_text(
        f"{SLOW}\n\nVi vill bygga tre nya skolor i Sjövik före 2026. "
        "Vi ska anställa 40 fler lärare i kommunen.\n",
        encoding="utf-8",
    )
    for path in (seed, slow):
        report = ingest(store, [str(path)], IngestOptions(tracker="sthlm", kind=SourceKind.PROGRAM))
        assert not report.failed
    return store


def setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()  # ingest read the settings already


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(extraction, "monotonic", fake, raising=False)
    return fake


def slow_reading(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, seconds: float) -> None:
    """Segmenting the slow program takes `seconds` of the fake clock (a 45 MB text)."""
    real = stage.document_blocks

    def document_blocks(doc: Any) -> Any:
        if doc.title == SLOW:
            clock.now += seconds
        return real(doc)

    monkeypatch.setattr(stage, "document_blocks", document_blocks)


def _pledges(store: Store, document_id: int) -> list[Any]:
    with store.session() as s:
        return pledge_store.list_pledges(s, document_id=document_id)


def test_a_program_over_its_time_budget_fails_named_and_the_others_are_extracted(
    programs: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting(monkeypatch, "LOFTE_EXTRACT_TIME_BUDGET", "60")
    slow_reading(monkeypatch, clock, 61)
    scored: list[str] = []
    real_scorer = stage.default_scorer

    def default_scorer() -> Any:  # what reaches the classifier, by document
        score, threshold = real_scorer()
        return (lambda texts, contexts: (scored.extend(texts), score(texts, contexts))[1]), (
            threshold
        )

    monkeypatch.setattr(stage, "default_scorer", default_scorer)
    good, bad = extraction.extract(programs, "sthlm")
    assert bad.title == SLOW and bad.error is not None
    assert bad.error == (
        f"document {bad.document_id} ({SLOW}): stopped after 1 min 1 s: more than the time "
        "budget of one program document (60 s, LOFTE_EXTRACT_TIME_BUDGET): not extracted"
    )
    assert bad.inserted == 0 and bad.pledge_ids == [] and not _pledges(programs, bad.document_id)
    assert not any("Sjövik" in text for text in scored)  # stopped before its scoring
    assert good.error is None and good.inserted >= 39
    assert len(_pledges(programs, good.document_id)) == good.inserted
    # no stage mark either: the next run, within the budget, extracts it
    get_settings.cache_clear()
    monkeypatch.delenv("LOFTE_EXTRACT_TIME_BUDGET")
    again = {r.title: r for r in extraction.extract(programs, "sthlm")}
    assert again[SLOW].error is None and not again[SLOW].unchanged
    assert again[SLOW].inserted == 2 and again[good.title].unchanged


def test_over_the_budget_while_writing_rolls_its_candidates_back(
    programs: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write counts against the budget (as ingest's store does), the commit does not:
    candidates written and then found over the budget are rolled back whole."""
    setting(monkeypatch, "LOFTE_EXTRACT_TIME_BUDGET", "60")
    written: list[int] = []
    real = pledge_store.replace_candidates

    def replace_candidates(session: Any, document: Any, *args: Any) -> Any:
        result = real(session, document, *args)
        if document.title == SLOW:
            written.append(len(result.inserted))
            clock.now += 61
        return result

    monkeypatch.setattr(pledge_store, "replace_candidates", replace_candidates)
    good, bad = extraction.extract(programs, "sthlm")
    assert written == [2]  # written, then rolled back
    assert bad.error is not None and "LOFTE_EXTRACT_TIME_BUDGET" in bad.error
    assert f"document {bad.document_id} ({SLOW})" in bad.error
    assert not _pledges(programs, bad.document_id)
    assert good.error is None and len(_pledges(programs, good.document_id)) == good.inserted


def test_no_budget_at_zero(
    programs: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting(monkeypatch, "LOFTE_EXTRACT_TIME_BUDGET", "0")
    slow_reading(monkeypatch, clock, 10**6)
    assert all(r.error is None for r in extraction.extract(programs, "sthlm"))


def test_the_command_names_the_program_and_exits_1(
    programs: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting(monkeypatch, "LOFTE_EXTRACT_TIME_BUDGET", "60")
    slow_reading(monkeypatch, clock, 61)
    url = programs.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--db", url, "extract"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"{SLOW}: 0 pledges ERROR document 2 ({SLOW}): stopped after 1 min 1 s" in said
    assert "(60 s, LOFTE_EXTRACT_TIME_BUDGET)" in said
    assert "pledges extracted from 2 program documents" in said


def test_progress_moves_within_one_document_under_the_default_budget(
    programs: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a pipe, with a line at every step: the characters read, then the sentences scored,
    of the document being extracted; the real clock and the default budget (300 s), which
    a program extracts well within."""
    monkeypatch.setattr(stage, "STEP_CHARS", 500, raising=False)
    setting(monkeypatch, "LOFTE_PROGRESS_INTERVAL", "0")
    assert get_settings().extract_time_budget == 300
    url = programs.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--db", url, "extract", "--document", "1"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("extract: ")]
    reading = [line for line in lines if "characters read" in line]
    assert reading[0].startswith("extract: 0 of 1 documents, 0 of ")
    read = [
        (int(m[1].replace(",", "")), int(m[2].replace(",", "")))
        for line in reading
        if (m := re.match(r"extract: 0 of 1 documents, ([\d,]+) of ([\d,]+) characters", line))
    ]
    assert any(0 < done < total for done, total in read), lines  # it moves within the document
    assert [done for done, _ in read] == sorted(done for done, _ in read)
    assert any(" of 1 documents, " in line and " sentences scored, " in line for line in lines)
    assert lines[-1].startswith("extract: 1 of 1 documents, ")


@pytest.mark.parametrize(
    ("value", "said"), [("-1", "greater than or equal to 0"), ("inf", "finite")]
)
def test_a_budget_out_of_bounds_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv("LOFTE_EXTRACT_TIME_BUDGET", value)
    with pytest.raises(ConfigError, match=f"LOFTE_EXTRACT_TIME_BUDGET: .*{said}"):
        read_settings()
    assert Settings.model_fields["extract_time_budget"].default == 300
