"""Ingesting the government's record as a user would: a month folder of Markdown files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.ingest import Outcome, ingest
from lofte.model import DatePrecision, DateProvenance, SourceKind
from lofte.store import documents as document_store
from lofte.store.db import Store, open_store


def test_a_month_of_the_record_is_titled_dated_categorised_and_linked(
    shared_dir: Path, tmp_path: Path
) -> None:
    root = shared_dir / "data" / "regeringen"
    with (root / "index.csv").open(encoding="utf-8") as f:
        index = {row["url"]: row for row in csv.DictReader(f)}
    db = f"sqlite:///{tmp_path / 'record.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    for folder, base in (
        ("tal/2023/03", "https://www.regeringen.se/tal/2023/03/"),
        (
            "rattsliga-dokument/proposition/2023/03",
            "https://www.regeringen.se/rattsliga-dokument/proposition/2023/03",
        ),
    ):
        result = runner.invoke(
            app,
            [
                "--db",
                db,
                "ingest",
                str(root / folder),
                "--tracker",
                "regeringen",
                "--url-base",
                base,
            ],
        )
        assert result.exit_code == 0, result.output
    bad = runner.invoke(
        app, ["--db", db, "ingest", str(root / "tal/2023/03"), "--url-base", "ftp://x"]
    )
    assert bad.exit_code != 0 and "--url-base" in bad.output
    store = open_store(db)
    try:
        with store.session() as s:
            docs = document_store.list_documents(s)
    finally:
        store.dispose()
    speeches = [d for d in docs if d.category == "tal"]
    bills = [d for d in docs if d.category == "proposition"]
    assert len(speeches) == len(list((root / "tal/2023/03").glob("*.md"))) and bills
    for d in docs:
        row = index[d.url or ""]  # every document links back to its page, as index.csv has it
        assert d.title == row["title"] and not d.title.startswith("#")
        assert d.date is not None
        assert (d.date.value, d.date.precision, d.date.provenance) == (
            dt.date(2023, 3, 1),
            DatePrecision.MONTH,
            DateProvenance.PATH,
        )
        assert d.origin.endswith(row["path"])
    assert {d.kind for d in speeches} == {SourceKind.NEWS}
    assert {d.kind for d in bills} == {SourceKind.DECISION}  # a bill records a decision


def test_the_whole_archive_folder_with_its_index_left_out(tmp_path: Path) -> None:
    """`--include '*.md'` reads an archive from its root, so every page's URL keeps its
    category folder, and the archive's own index.csv is not taken for documents."""
    root = tmp_path / "arkiv"
    (root / "pressmeddelanden" / "2024" / "03").mkdir(parents=True)
    (root / "tal" / "2023" / "022").mkdir(parents=True)  # the record's odd month folder
    body = "Regeringen har i dag beslutat att ge fler elever tillgång till lovskola och läxhjälp."
    (root / "pressmeddelanden" / "2024" / "03" / "lovskola.md").write_text(
        f"# Lovskola för fler\n\n{body}\n", encoding="utf-8"
    )
    (root / "tal" / "2023" / "022" / "tal.md").write_text(f"# Ett tal\n\n{body}\n", "utf-8")
    (root / "index.csv").write_text("path,title\nx.md,X\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'a.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    args = ["--db", db, "ingest", str(root), "--url-base", "https://www.regeringen.se/"]
    result = runner.invoke(app, [*args, "--include", "*.md"])
    assert result.exit_code == 0, result.output
    store = open_store(db)
    with store.session() as session:
        docs = {d.title: d for d in document_store.list_documents(session)}
    store.dispose()
    assert set(docs) == {"Lovskola för fler", "Ett tal"}
    press = docs["Lovskola för fler"]
    assert press.url == "https://www.regeringen.se/pressmeddelanden/2024/03/lovskola/"
    assert press.category == "pressmeddelanden"
    speech = docs["Ett tal"]
    assert speech.category == "tal" and speech.date is not None
    assert (speech.date.value, speech.date.precision) == (dt.date(2023, 1, 1), DatePrecision.YEAR)


def test_a_corrected_url_base_replaces_the_links_on_the_next_ingest(tmp_path: Path) -> None:
    """The operator gave the wrong --url-base and runs the same ingest again with the right
    one: the documents are updated to the right pages (not reported unchanged with the wrong
    links kept); a run without --url-base keeps the links given before."""
    folder = tmp_path / "pressmeddelanden" / "2023" / "12"
    folder.mkdir(parents=True)
    body = "Regeringen föreslår att skatten på investeringssparkonton sänks från årsskiftet."
    (folder / "sankt-skatt.md").write_text(f"# Sänkt skatt\n\n{body}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'a.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    root = str(tmp_path / "pressmeddelanden")

    def run(*extra: str) -> tuple[str, str | None]:
        result = runner.invoke(app, ["--db", db, "ingest", root, "--json", *extra])
        assert result.exit_code == 0, result.output
        store = open_store(db)
        with store.session() as session:
            (doc,) = document_store.list_documents(session)
        store.dispose()
        return result.output, doc.url

    out, url = run("--url-base", "https://www.regeringen.se/")
    assert url == "https://www.regeringen.se/2023/12/sankt-skatt/"  # the wrong base…
    # …is not silent: the folder the address leaves out, and the base that keeps it (QA)
    assert "warning: --url-base:" in out and "filed under pressmeddelanden/" in out
    assert "give --url-base https://www.regeringen.se/pressmeddelanden/" in out
    out, url = run("--url-base", "https://www.regeringen.se/pressmeddelanden/")
    assert url == "https://www.regeringen.se/pressmeddelanden/2023/12/sankt-skatt/"
    assert "warning: --url-base" not in out
    assert '"outcome": "updated"' in out
    out, url = run()
    assert url == "https://www.regeringen.se/pressmeddelanden/2023/12/sankt-skatt/"
    assert '"outcome": "unchanged"' in out


def test_url_base_links_the_files_of_a_folder_given_by_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's `lofte ingest regeringen/ --url-base https://www.regeringen.se/` names the
    folder relative to the working directory: its files still link to their pages (the stored
    origin is absolute, so the folder must be compared as absolute too)."""
    folder = tmp_path / "regeringen" / "pressmeddelanden" / "2023" / "12"
    folder.mkdir(parents=True)
    body = "Regeringen föreslår att skatten på investeringssparkonton sänks från årsskiftet."
    (folder / "sankt-skatt.md").write_text(f"# Sänkt skatt\n\n{body}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    for given in ("regeringen/", "regeringen/pressmeddelanden/2023/12/sankt-skatt.md"):
        args = ["--db", db, "ingest", given, "--url-base", "https://www.regeringen.se/"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        store = open_store(db)
        with store.session() as session:
            (doc,) = document_store.list_documents(session)
        store.dispose()
        expected = (
            "https://www.regeringen.se/pressmeddelanden/2023/12/sankt-skatt/"
            if given == "regeringen/"
            else "https://www.regeringen.se/sankt-skatt/"  # a file by name: its own folder
        )
        assert doc.url == expected


def test_a_file_repeating_another_is_reported_as_a_duplicate_not_unchanged(
    tmp_path: Path,
) -> None:
    """The record holds the same page under two months (a press invitation sent twice): on the
    first ingest the second file is not stored again, and the table calls it a duplicate
    rather than `unchanged`, which would say it had been read before."""
    text = "# Pressträff\n\nStatsministern bjuder in till pressträff om budgeten.\n"
    for month in ("03", "04"):
        folder = tmp_path / "pressmeddelanden" / "2023" / month
        folder.mkdir(parents=True)
        (folder / "presstraff.md").write_text(text, encoding="utf-8")
    (tmp_path / "pressmeddelanden" / "2023" / "04" / "annat.md").write_text(
        "# Annat\n\nRegeringen ger Skolverket ett uppdrag om lovskola.\n", encoding="utf-8"
    )
    db = f"sqlite:///{tmp_path / 'a.db'}"
    runner = CliRunner(env={"COLUMNS": "200"})
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "ingest", str(tmp_path / "pressmeddelanden")])
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip().rsplit("/", 2)[-2]
        + "/"
        + line.split("│")[1].strip().rsplit("/", 1)[-1]: [c.strip() for c in line.split("│")[3:8]]
        for line in result.output.splitlines()
        if line.startswith("│")
    }
    # outcome, inserted, updated, unchanged, duplicate
    assert rows["03/presstraff.md"] == ["inserted", "1", "0", "0", "0"]
    assert rows["04/presstraff.md"] == ["duplicate", "0", "0", "0", "1"]
    assert rows["04/annat.md"] == ["inserted", "1", "0", "0", "0"]


def test_pages_that_are_only_the_same_title_are_each_kept(store: Store, tmp_path: Path) -> None:
    """QA: "Nya ambassadörer till Sverige", a page with a title and no text each month, was
    stored once: the later months' pages were dropped as duplicates, with their dates."""
    paths = []
    for month in ("09", "12"):
        folder = tmp_path / "pressmeddelanden" / "2022" / month
        folder.mkdir(parents=True)
        page = folder / "nya-ambassadorer-till-sverige.md"
        page.write_text("# Nya ambassadörer till Sverige\n", encoding="utf-8")
        paths.append(str(page))
    report = ingest(store, paths)
    assert [r.outcome for r in report.inputs] == [Outcome.INSERTED, Outcome.INSERTED]
    with store.session() as s:
        dates = sorted(d.date.value.isoformat() for d in document_store.list_documents(s) if d.date)
    assert dates == ["2022-09-01", "2022-12-01"]
    # ingesting them again changes nothing
    again = ingest(store, paths)
    assert [r.outcome for r in again.inputs] == [Outcome.UNCHANGED, Outcome.UNCHANGED]


def test_the_summary_of_a_large_batch_counts_duplicates_apart() -> None:
    from rich.console import Console

    from lofte.cli import _ingest_summary
    from lofte.ingest_records import IngestReport, InputReport

    report = IngestReport(
        inputs=[
            InputReport(origin="a.md", reader="markdown", inserted=1),
            InputReport(origin="b.md", reader="markdown", unchanged=1, duplicates=1),
            InputReport(origin="c.md", reader="markdown", unchanged=1),
        ]
    )
    console = Console(width=200, record=True)
    console.print(_ingest_summary(report))
    lines = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in console.export_text().splitlines()
        if line.startswith("│")
    ]
    assert ["markdown", "duplicate", "1", "0", "0", "0", "1", "0"] in lines
    assert ["markdown", "unchanged", "1", "0", "0", "1", "0", "0"] in lines
