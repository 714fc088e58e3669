"""The pipeline commands end to end: ingest → extract → review → link → evidence → export."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.publish.export import load_schema

runner = CliRunner()


def run(db: str, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], input=input)
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    seed = {p.name[:3]: str(p) for p in seeds_dir.iterdir()}
    assert run(url, "init")[0] == 0
    assert (
        run(
            url,
            "tracker",
            "add",
            "sthlm",
            "--jurisdiction",
            "Stockholms stad",
            "--term-start",
            "2022-10-15",
            "--term-end",
            "2026-10-14",
        )[0]
        == 0
    )
    assert (
        run(
            url,
            "ingest",
            seed["002"],
            "--tracker",
            "sthlm",
            "--kind",
            "program",
            "--date",
            "2022-08-20",
        )[0]
        == 0
    )
    assert run(url, "ingest", seed["000"], "--tracker", "sthlm", "--kind", "news")[0] == 0
    return url


def test_extract_then_list_pledges(db: str) -> None:
    code, out = run(db, "extract", "--tracker", "sthlm", "--json")
    assert code == 0
    (report,) = json.loads(out)
    assert report["inserted"] >= 39 and report["error"] is None
    code, out = run(db, "pledges", "--tracker", "sthlm", "--json")
    pledges = json.loads(out)
    assert all(p["quote"] and p["span"]["end"] > p["span"]["start"] for p in pledges)
    assert {"quantity", "deadline", "conditional", "checkable"} <= set(pledges[0]["attributes"])
    code, out = run(db, "extract", "--tracker", "sthlm", "--json")
    assert json.loads(out)[0]["unchanged"] is True


def test_pledge_review_commands(db: str) -> None:
    run(db, "extract", "--tracker", "sthlm")
    pledges = json.loads(run(db, "pledges", "--json")[1])
    parents = {p["parent_id"] for p in pledges}
    top = [p for p in pledges if p["parent_id"] is None and p["id"] not in parents]
    first, second = top[0], top[1]  # two list items that hold one commitment each
    code, out = run(
        db,
        "pledge",
        "confirm",
        str(first["id"]),
        "--actor",
        "anna",
        "--version",
        str(first["version"]),
    )
    assert code == 0 and "confirmed" in out
    code, _ = run(db, "pledge", "confirm", str(first["id"]), "--version", str(first["version"]))
    assert code == 1  # a stale version is a conflict
    code, out = run(
        db, "pledge", "edit", str(first["id"]), "--area", "Kultur", "--attribute", "checkable=false"
    )
    assert code == 0
    cut = first["span"]["start"] + (first["span"]["end"] - first["span"]["start"]) // 2
    assert run(db, "pledge", "split", str(first["id"]), "--at", str(cut))[0] == 0
    assert run(db, "pledge", "merge", str(first["id"]), str(second["id"]))[0] == 0
    again = runner.invoke(app, ["--db", db, "pledge", "reject", str(second["id"])])
    assert again.exit_code == 1 and "already rejected: nothing changed" in again.stderr  # merged
    third = top[2]
    code, out = run(db, "pledge", "reject", str(third["id"]), "--reason", "dubblett")
    assert code == 0 and "rejected" in out
    code, _ = run(db, "pledge", "split", str(second["id"]), "--at", "0")
    assert code == 1  # a cut outside the span is a clear error, not a traceback


def test_link_evidence_and_export(db: str) -> None:
    run(db, "extract", "--tracker", "sthlm")
    code, out = run(db, "link", "--tracker", "sthlm", "--json")
    assert code == 0
    (report,) = json.loads(out)
    assert report["suggestions"] > 0 and report["dense"]  # the dense stage is on by default
    assert report["texts_encoded"] > 0
    again = json.loads(run(db, "link", "--tracker", "sthlm", "--json")[1])[0]
    assert again["documents_scored"] == 0 and again["suggestions"] == 0
    evidence = json.loads(run(db, "evidence", "--json")[1])
    assert evidence and evidence[0]["features"]["matched"]
    first = evidence[0]["features"]["matched"][0]
    table = runner.invoke(app, ["--db", db, "evidence"], env={"COLUMNS": "400"}).stdout
    assert first["document"][0] in table  # the word as written, not the stem
    assert evidence[0]["features"]["dense"]["fused_rank"] >= 1
    # off for one run: a change of linker, so everything is scored again, without vectors
    off = json.loads(run(db, "link", "--tracker", "sthlm", "--dense", "off", "--json")[1])[0]
    assert not off["dense"] and off["documents_scored"] == report["documents_scored"]
    assert "dense" not in json.loads(run(db, "evidence", "--json")[1])[0]["features"]
    code, out = run(db, "link", "--dense", "maybe")
    assert code == 2  # a usage error, not a traceback
    assert [e["score"] for e in evidence] == sorted((e["score"] for e in evidence), reverse=True)
    code, out = run(db, "export", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, load_schema())
    assert data["pledges"] and data["evidence"]


def test_classify_sentences_prints_json_lines(tmp_path: Path) -> None:
    source = tmp_path / "meningar.txt"
    source.write_text(
        "Vi ska bygga 500 nya bostäder till år 2026.\nSverige har många sjöar och skogar.\n",
        encoding="cp1252",
    )
    result = runner.invoke(app, ["classify-sentences", str(source)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"][:6] for r in rows] == ["Vi ska", "Sverig"]
    assert rows[0]["pledge"] is True and rows[1]["pledge"] is False
    assert rows[0]["score"] > rows[1]["score"]


def test_user_add_and_list(db: str) -> None:
    code, out = run(
        db, "user", "add", "redaktor", "--role", "editor", "--password", "ett långt lösenord"
    )
    assert code == 0
    users = json.loads(run(db, "user", "list", "--json")[1])
    assert {"username": "redaktor", "role": "editor"}.items() <= users[0].items()
    code, _ = run(db, "user", "add", "kort", "--password", "kort")
    assert code == 1


DOTTED_CONTENTS = Path(__file__).parent / "sources" / "fixtures" / "dotted-contents.pdf"


def test_dotted_contents_pdf_ingests_and_extracts_quickly(db_url: str) -> None:
    """A table of contents with 70-140 dot leaders hung `lofte ingest` for ever (issue 9)."""
    import signal
    import time

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("ingesting the dotted contents page hangs")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    try:
        start = time.perf_counter()
        assert run(db_url, "init")[0] == 0
        code, out = run(db_url, "ingest", str(DOTTED_CONTENTS), "--kind", "program", "--json")
        assert code == 0, out
        assert json.loads(out)[0]["outcome"] == "inserted"
        code, out = run(db_url, "extract", "--json")
        assert code == 0, out
        assert json.loads(out)[0]["error"] is None
        assert time.perf_counter() - start < 30
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    code, out = run(db_url, "pledges", "--json")
    quotes = " ".join(p["quote"] for p in json.loads(out))
    assert "fler lärare" in quotes
    assert "....." not in quotes  # contents lines are not pledges
