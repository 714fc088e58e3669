"""A national tracker end to end through the CLI (issue 13, item 3), on a slice of the real
record around the change of government: the M 2022 manifesto as the program, the government's
press releases of September to November 2022, extract, link.

The government took office on 2022-10-18 and the record dates its texts to the month, so
nothing filed before November 2022 may be suggested: the test checks that no suggestion points
there although some of those texts are suggested when their dates are left out.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from lofte.cli import app
from lofte.linking import build_index
from lofte.model import SourceKind
from lofte.pipeline.constraints import LinkContext
from lofte.pipeline.link import DocumentText, PledgeText
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store.db import open_store

MONTHS = ("2022/09", "2022/10", "2022/11")


def test_the_governments_tracker_never_suggests_what_came_before_it(
    shared_dir: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'national.db'}"
    record = shared_dir / "data" / "regeringen" / "pressmeddelanden"
    manifesto = shared_dir / "data" / "manifestos-2022" / "moderaterna-valmanifest-2022.pdf"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("init")
    run(
        "tracker", "add", "regeringen",
        "--name", "Regeringen Kristersson 2022–2026",
        "--jurisdiction", "Sverige",
        "--actor", "M", "--actor", "KD", "--actor", "L",
        "--term-start", "2022-10-18", "--term-end", "2026-09-13",
    )  # fmt: skip
    # no --date: the PDF's metadata dates it (its text names target years: 2025 before that)
    run("ingest", str(manifesto), "--tracker", "regeringen", "--party", "M")
    for month in MONTHS:
        base = f"https://www.regeringen.se/pressmeddelanden/{month}/"
        run("ingest", str(record / month), "--tracker", "regeringen", "--url-base", base)
    run("extract", "--tracker", "regeringen")
    run("link", "--tracker", "regeringen")
    evidence = json.loads(run("evidence", "--tracker", "regeringen", "--json"))
    assert evidence, "the linker suggests something for the term's first weeks"

    store = open_store(db)
    with store.session() as session:
        docs = {d.id: d for d in document_store.list_documents(session)}
        pledges = pledge_store.linkable_pledges(session, next(iter(docs.values())).tracker_id)
    store.dispose()
    [program] = [d for d in docs.values() if d.kind is SourceKind.PROGRAM]
    assert program.date is not None and program.date.value == dt.date(2022, 8, 29)
    suggested = {e["document_id"] for e in evidence}
    for doc_id in suggested:
        date = docs[doc_id].date
        assert date is not None and date.value >= dt.date(2022, 11, 1), docs[doc_id].origin
    assert all(docs[i].url and "/pressmeddelanden/2022/" in docs[i].url for i in suggested)

    before = [
        DocumentText(d.id, d.title, d.body, d.date)
        for d in docs.values()
        if d.kind is SourceKind.NEWS and d.date and d.date.latest() < dt.date(2022, 11, 1)
    ]
    assert len(before) > 40  # September and October 2022 are in the slice
    program = [d.body for d in docs.values() if d.kind is SourceKind.PROGRAM]
    index = build_index([PledgeText(p.id, p.quote, p.area) for p in pledges], before, program)
    undated = LinkContext(None, None, None, "Sverige")
    assert index.link(before, undated, top_k=1)  # these texts would be suggested...
    real = LinkContext(dt.date(2022, 8, 1), dt.date(2022, 10, 18), dt.date(2026, 9, 13), "Sverige")
    assert index.link(before, real, top_k=None, min_score=0.0) == []  # ...but for the dates
