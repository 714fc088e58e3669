"""`lofte tracker edit|archive|unarchive|delete`, `lofte init` and `lofte ingest --title/--party`."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from lofte.cli import app

runner = CliRunner()
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEEDS = SEEDS if SEEDS.exists() else Path("/work/shared/seeds")


def _run(db: str, *args: str, answer: str | None = None) -> tuple[int, str]:
    """`answer` is typed at a terminal; without one, stdin is no terminal (cron, a pipe)."""
    with mock.patch("lofte.cli.stdin_is_terminal", return_value=answer is not None):
        result = runner.invoke(app, ["--db", db, *args], input=answer)
    return result.exit_code, result.output


def _tracker(db: str, slug: str) -> dict:
    code, out = _run(db, "tracker", "show", slug)
    assert code == 0, out
    return json.loads(out)


@pytest.fixture
def db(db_url: str) -> str:
    assert _run(db_url, "init")[0] == 0
    return db_url


def test_init_makes_no_tracker(db: str) -> None:
    code, out = _run(db, "tracker", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_edit_archive_unarchive_delete(db: str) -> None:
    assert _run(db, "tracker", "add", "sthlm", "--name", "Stockholm")[0] == 0
    code, out = _run(
        db, "tracker", "edit", "sthlm", "--party", "S", "--party", "V", "--jurisdiction",
        "Stockholms stad", "--term-start", "2022-10-15", "--show-candidates", "--actor", "anna",
    )  # fmt: skip
    assert code == 0, out
    t = _tracker(db, "sthlm")
    assert t["actors"] == ["S", "V"] and t["show_candidates"] is True
    assert _run(db, "tracker", "edit", "sthlm", "--jurisdiction", "-")[0] == 0
    assert _tracker(db, "sthlm")["jurisdiction"] is None
    code, out = _run(db, "tracker", "edit", "sthlm", "--term-end", "2020-01-01")
    assert code == 1 and "the term ends (2020-01-01) before it starts (2022-10-15)" in out
    add = ("source", "add", "nyheter", "https://stad.example/rss", "--tracker", "sthlm")
    assert _run(db, *add)[0] == 0
    code, out = _run(db, "tracker", "archive", "sthlm")
    assert code == 0 and out.strip() == (
        "tracker sthlm archived; its watched sources are paused: nyheter"
    ), out
    assert _tracker(db, "sthlm")["archived_at"] is not None
    assert _run(db, "tracker", "archive", "sthlm")[0] == 1
    code, out = _run(db, "tracker", "unarchive", "sthlm")
    assert code == 0 and "its watched sources stay paused (nyheter)" in " ".join(out.split())
    code, out = _run(db, "tracker", "delete", "sthlm", answer="fel\n")
    assert code == 1 and "type the tracker's slug" in out
    code, out = _run(db, "tracker", "delete", "sthlm")  # no terminal: refused before asking
    assert code == 1
    assert out.splitlines() == [
        "error: deleting tracker sthlm needs confirmation: run it again with --yes"
    ]
    code, out = _run(db, "tracker", "show", "sthlm")
    assert code == 0, out
    code, out = _run(db, "tracker", "delete", "sthlm", answer="sthlm\n")
    assert code == 0 and "deleted" in out
    assert _run(db, "tracker", "show", "sthlm")[0] == 1
    assert _run(db, "tracker", "add", "x")[0] == 0
    assert _run(db, "tracker", "delete", "x", "--yes")[0] == 0


def test_ingest_title_and_party(db: str, tmp_path: Path) -> None:
    program = tmp_path / "program.txt"
    program.write_text(
        "Vi ska bygga en ny simhall. Vi ska sänka taxan i förskolan.\n", encoding="utf-8"
    )
    other = tmp_path / "b.txt"
    other.write_text("En annan text om något helt annat i staden.\n", encoding="utf-8")
    assert _run(db, "tracker", "add", "k", "--actor", "S", "--actor", "V")[0] == 0
    code, out = _run(db, "ingest", str(program), "--tracker", "k", "--party", "KD")
    assert code == 1 and "not one of the actors" in out
    assert "lofte tracker edit k --party S --party V --party KD" in out
    code, out = _run(db, "ingest", str(program), str(other), "--tracker", "k", "--title", "X")
    assert code == 1 and "one document" in out
    code, out = _run(
        db, "ingest", str(program), "--tracker", "k", "--party", "v", "--title", "Valprogram 2022"
    )
    assert code == 0, out
    code, out = _run(db, "documents", "--tracker", "k", "--json")
    [doc] = json.loads(out)
    assert doc["title"] == "Valprogram 2022" and doc["party"] == "V"
    assert doc["kind"] == "program"  # --party implies a program


@pytest.mark.skipif(not SEEDS.exists(), reason="the seeds are not here")
def test_program_title_of_the_seed_is_not_its_first_sentence(db: str) -> None:
    seed = next(SEEDS.glob("002_*.txt"))
    assert _run(db, "ingest", str(seed), "--kind", "program", "--date", "2022")[0] == 0
    [doc] = json.loads(_run(db, "documents", "--json")[1])
    first_sentence = seed.read_text(encoding="utf-8").split(".")[0].strip()
    assert not doc["title"].startswith(first_sentence[:20])
    assert doc["title"] == seed.stem.replace("_", " ")


def test_tracker_add_refuses_parties_mixed_with_its_old_actor_option(db: str) -> None:
    # QA: `--party S --actor admin1` (the audit name in every other command) made admin1 a party
    code, out = _run(db, "tracker", "add", "k", "--party", "S", "--actor", "admin1")
    assert code == 1 and "admin1 would be parties too" in out and "--party" in out
    code, out = _run(db, "tracker", "list", "--json")
    assert json.loads(out) == []  # nothing half-made
    assert _run(db, "tracker", "add", "k", "--party", "S", "--party", "V")[0] == 0
