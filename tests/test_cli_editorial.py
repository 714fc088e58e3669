"""`lofte verdict … --draft --as-of`, `lofte verdict publish`, `lofte tracker publish`,
`lofte document edit` (cli_editorial.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import _actors, _pledge_db, run


def test_draft_verdict_with_an_as_of_date_then_published(db_url: str) -> None:
    db, pledge_id = _pledge_db(db_url)
    code, out = run(db, "verdict", str(pledge_id), "--status", "stalled", "--rationale", "x")
    assert code == 1 and "not confirmed" in out
    assert run(db, "pledge", "confirm", str(pledge_id), "--actor", "anna")[0] == 0
    code, out = run(
        db,
        "verdict",
        str(pledge_id),
        "--status",
        "in_the_works",
        "--rationale",
        "Budgeten är beslutad.",
        "--as-of",
        "2025-11",
        "--draft",
        "--actor",
        "anna",
        "--json",
    )
    assert code == 0, out
    verdict = json.loads(out)
    assert verdict["published"] is False
    assert verdict["as_of"] == {"value": "2025-11-01", "precision": "month"}
    # QA: the options were ignored, and the draft published with its own words
    code, out = run(
        db, "verdict", "publish", str(verdict["id"]), "--status", "kept", "--rationale", "Ny.",
    )  # fmt: skip
    assert code == 1 and "publish takes no --status, --rationale" in out, out
    code, out = run(db, "verdict", "publish", str(verdict["id"]), "--actor", "bo")
    assert code == 0 and "published" in out, out
    code, out = run(db, "verdict", "publish", str(verdict["id"]), "--actor", "bo")
    assert code == 1 and "published already" in out
    assert ("verdict.publish", "bo") in _actors(db)
    # about an earlier month than the current one: saved, and the note says the status stays
    code, out = run(
        db, "verdict", str(pledge_id), "--status", "stalled", "--rationale", "Förr.",
        "--as-of", "2024-03", "--actor", "anna",
    )  # fmt: skip
    assert code == 0 and f"note: pledge {pledge_id}'s status does not change" in out, out
    code, out = run(
        db, "verdict", str(pledge_id), "--status", "in_the_works", "--rationale", "Nu.",
        "--actor", "anna",
    )  # fmt: skip
    assert code == 0 and "does not change" not in out, out


def test_tracker_publish_and_document_edit(db_url: str) -> None:
    db, _ = _pledge_db(db_url)
    code, out = run(db, "tracker", "list", "--json")
    slug = json.loads(out)[0]["slug"]
    assert "draft (lofte tracker publish)" in run(db, "tracker", "list")[1]  # QA: no why
    assert run(db, "tracker", "publish", slug, "--actor", "anna")[0] == 0
    assert "published" in run(db, "tracker", "list")[1]
    code, out = run(db, "tracker", "publish", slug)
    assert code == 1 and "published already" in out
    assert run(db, "tracker", "unpublish", slug, "--actor", "anna")[0] == 0
    code, out = run(db, "document", "edit", "1", "--date", "2022", "--kind", "program", "--json")
    assert code == 0, out
    assert json.loads(out)["date"]["precision"] == "year"
    code, out = run(db, "document", "edit", "1")
    assert code == 1 and "nothing to change" in out
    actions = [a for a, _ in _actors(db)]
    assert "tracker.publish" in actions and "tracker.unpublish" in actions
    assert "document.edit" in actions


def test_pledge_add_from_a_program_s_words(tmp_path: Path) -> None:
    """`lofte pledge add` (QA: an editor could not add a pledge the extractor missed)."""
    from typer.testing import CliRunner

    from lofte.cli import app

    db = f"sqlite:///{tmp_path / 'l.db'}"
    program = tmp_path / "program.txt"
    program.write_text(
        "Program för Sjövik\n\nVi ska bygga en simhall.\n\nDet ska bli 200 nya bostäder till 2026.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    ingest = ["--db", db, "ingest", str(program), "--kind", "program", "--date", "2022"]
    assert runner.invoke(app, ingest).exit_code == 0
    words = "200 nya\nbostäder till 2026."
    added = runner.invoke(app, ["--db", db, "pledge", "add", "1", "--quote", words])
    assert added.exit_code == 0 and "added" in added.output, added.output
    assert "no area (no policy heading applies where it stands): lofte pledge edit" in added.output
    again = runner.invoke(app, ["--db", db, "pledge", "add", "1", "--quote", words])
    assert again.exit_code == 1 and "already quotes these words" in again.output


def test_pledges_of_one_party_or_one_document(tmp_path: Path) -> None:
    """QA (a political scientist coding one manifesto at a time): no --party or --document."""
    from typer.testing import CliRunner

    from lofte.cli import app

    db = f"sqlite:///{tmp_path / 'l.db'}"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("init")
    tracker = ["--tracker", "t"]
    run("tracker", "add", "t", "--name", "T", "--actor", "A", "--actor", "B")
    for party, text in (("A", "Vi ska bygga en simhall."), ("B", "Vi ska sänka skatten.")):
        program = tmp_path / f"{party}.txt"
        program.write_text(f"Program {party}\n\n{text}\n", encoding="utf-8")
        run("ingest", str(program), *tracker, "--kind", "program", "--party", party)
    run("extract", *tracker)
    of_b = json.loads(run("pledges", "--party", "b", "--json"))
    assert [p["quote"] for p in of_b] == ["Vi ska sänka skatten."]
    of_first = json.loads(run("pledges", "--document", str(of_b[0]["document_id"] - 1), "--json"))
    assert [p["quote"] for p in of_first] == ["Vi ska bygga en simhall."]


def test_document_delete_asks_for_the_id_and_names_what_went(db_url: str, tmp_path: Path) -> None:
    """QA: a document ingested into the wrong tracker could not be removed."""
    from typer.testing import CliRunner

    from lofte.cli import app

    db, _ = _pledge_db(db_url)
    news = tmp_path / "fel.txt"
    news.write_text("Nämnden beslutade om en ny simhall i Sjövik.", encoding="utf-8")
    code, out = run(db, "ingest", str(news), "--tracker", "fel", "--json")
    assert code == 0, out
    (doc_id,) = json.loads(out[out.index("[") :])[0]["document_ids"]  # after the new-tracker note
    ask = CliRunner().invoke(app, ["--db", db, "document", "delete", str(doc_id)], input="ja\n")
    assert ask.exit_code == 1 and f"type the document's id {doc_id} to confirm" in ask.output
    ask = CliRunner().invoke(
        app, ["--db", db, "document", "delete", str(doc_id), "--actor", "anna"], input=f"{doc_id}\n"
    )
    assert ask.exit_code == 0, ask.output
    assert f"document {doc_id} deleted from fel: Nämnden beslutade" in ask.output
    code, out = run(db, "document", "delete", str(doc_id), "--yes")
    assert code == 1 and f"no document with id {doc_id}" in out
    assert ("document.delete", "anna") in _actors(db)


def test_document_delete_names_the_watched_source_to_pause_as_a_command_that_runs(
    db_url: str, tmp_path: Path
) -> None:
    """QA: a source named "Min feed" came out unquoted, and the command it gave failed."""
    import shlex

    from lofte.store.db import open_store
    from lofte.store.schema import DocumentRow, SourceRow

    db, _ = _pledge_db(db_url)
    news = tmp_path / "nyhet.txt"
    news.write_text("Nämnden beslutade om en ny simhall i Sjövik.", encoding="utf-8")
    code, out = run(db, "ingest", str(news), "--json")
    (doc_id,) = json.loads(out[out.index("[") :])[0]["document_ids"]
    store = open_store(db)
    with store.session() as s:
        doc = s.get(DocumentRow, doc_id)
        assert doc is not None
        source = SourceRow(tracker_id=doc.tracker_id, name="Min feed", kind="news", shape="feed")
        s.add(source)
        s.flush()
        doc.source_id = source.id
    store.dispose()
    code, out = run(db, "document", "delete", str(doc_id), "--yes")
    assert code == 0, out
    line = out[out.index("`lofte source pause") + 1 :].split("`", 1)[0]
    assert shlex.split(line)[:4] == ["lofte", "source", "pause", "Min feed"]


def test_a_verdict_about_a_moment_after_the_term_is_kept_with_a_note(db_url: str) -> None:
    """QA (after the term): "--as-of 2026-11" on a term that had ended was saved without a word,
    and became the finished term's status on its pages."""
    db, pledge_id = _pledge_db(db_url)
    assert run(db, "pledge", "confirm", str(pledge_id), "--actor", "anna")[0] == 0
    assert run(db, "tracker", "edit", "sjovik", "--term-end", "2024-06-30")[0] == 0
    for as_of, noted in (("2024-06", False), ("2024-07-02", True)):
        code, out = run(
            db, "verdict", str(pledge_id), "--status", "in_the_works", "--rationale",
            f"Läget {as_of}.", "--as-of", as_of, "--actor", "anna",
        )  # fmt: skip
        assert code == 0, out
        said = " ".join(out.split())
        assert (
            "note: the as-of date 2024-07-02, after the tracker's term, which ended 2024-06-30"
            in said
        ) is noted, out
    # a draft is shown nowhere: no note until it is published (review), and then one
    code, out = run(
        db, "verdict", str(pledge_id), "--status", "stalled", "--rationale", "Klart.",
        "--as-of", "2024-08", "--draft", "--actor", "anna", "--json",
    )  # fmt: skip
    assert code == 0 and "note:" not in out, out
    draft = json.loads(out[out.index("{") :])["id"]
    code, out = run(db, "verdict", "publish", str(draft), "--actor", "anna")
    assert code == 0 and "note: the as-of date 2024-08-01, after the tracker's term" in " ".join(
        out.split()
    )
    # without --as-of a verdict recorded after the term is about the day it is recorded
    code, out = run(
        db, "verdict", str(pledge_id), "--status", "stalled", "--rationale", "Står still.",
        "--actor", "anna",
    )  # fmt: skip
    assert code == 0 and "recorded without --as-of, it is about" in " ".join(out.split()), out
    # the tracker is a draft: a published verdict is public once it is (QA, a first-day editor)
    assert "note: tracker sjovik is a draft: the verdict is public once it is published" in (
        " ".join(out.split())
    )
