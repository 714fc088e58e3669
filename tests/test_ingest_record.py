"""Ingesting the government's record as a user would: a month folder of Markdown files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.model import DatePrecision, DateProvenance, SourceKind
from lofte.store import documents as document_store
from lofte.store.db import open_store


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
