"""`lofte link`'s progress with the dense stage (linking.py): the documents' count, which has a
total, moves on as each group of documents is encoded, not only when a batch of 500 is written
(QA: "link: 0 of 9,020 documents, 3,120 passages encoded" for the first minute and more, the
passages without a total: nobody could tell how long it would take)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from lofte import extraction, linking
from lofte.ingest import IngestOptions, ingest
from lofte.language.dates import parse_user_date
from lofte.model import SourceKind
from lofte.pipeline import link as link_stage
from lofte.progress import ProgressLines
from lofte.store import trackers as tracker_store
from lofte.store.db import Store

NEWS = 8


def _tracker(store: Store, tmp_path: Path) -> None:
    with store.session() as s:
        tracker_store.add_tracker(
            s,
            "sjovik",
            "Sjöviks kommun 2022–2026",
            term_start=dt.date(2022, 10, 15),
            term_end=dt.date(2026, 10, 14),
        )
    program = tmp_path / "program.txt"
    program.write_text(
        "Vårt program\n\n- Vi kommer att bygga en ny simhall i Norrvik.\n"
        "- Vi ska anställa fler lärare i Norrviks skolor.\n",
        encoding="utf-8",
    )
    news = []
    for i in range(NEWS):
        page = tmp_path / f"nyhet{i}.txt"
        page.write_text(
            f"Simhallen i Norrvik, del {i}. Bygget av den nya simhallen går vidare.\n\n"
            f"Fler lärare anställs i Norrviks skolor i höst, säger nämnden ({i}).\n\n"
            f"Budgeten för skolorna räcker till {i} nya tjänster.\n\n"
            f"Biblioteket och parkerna får också pengar, runda {i}.\n",
            encoding="utf-8",
        )
        news.append(str(page))
    for inputs, kind, date in ((
        [str(program)], SourceKind.PROGRAM, "2022-08-20"), (news, SourceKind.NEWS, "2023-05-01"),
    ):  # fmt: skip
        options = IngestOptions(tracker="sjovik", kind=kind, date=parse_user_date(date))
        assert not ingest(store, inputs, options).failed
    extraction.extract(store, "sjovik")


def test_the_documents_count_moves_while_the_dense_stage_encodes(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tracker(sqlite_store, tmp_path)
    # groups of two documents (four passages each) rather than of 500 passages: several
    # groups in one batch, as a national record's batch of 500 documents has
    monkeypatch.setattr(link_stage, "MAX_PASSAGES", 8)
    events: list[tuple[str, int, int]] = []
    written: list[str] = []
    lines = ProgressLines("link", written.append, interval=0)
    # as `lofte link` counts (cli_evidence.py)
    documents = lines.counter("documents")
    passages = lines.counter("passages encoded", shown=False)

    def on_progress(done: int, total: int) -> None:
        events.append(("documents", done, total))
        lines.update(documents, done=done, total=total)

    def on_encoded(n: int) -> None:
        events.append(("encoded", n, 0))
        lines.update(passages, advance=n, shown=True)

    (report,) = linking.link(
        sqlite_store, "sjovik", dense=True, on_progress=on_progress, on_encoded=on_encoded
    )
    assert report.documents_scored == NEWS and report.texts_encoded > 0
    counts = [done for what, done, _ in events if what == "documents"]
    assert all(total == NEWS for what, _, total in events if what == "documents")
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == NEWS
    # between the first and the last encoding, the count of documents moved on
    encoding = [i for i, (what, _, _) in enumerate(events) if what == "encoded"]
    within = [
        done
        for what, done, _ in events[encoding[0] : encoding[-1]]
        if what == "documents" and 0 < done < NEWS
    ]
    assert len(set(within)) >= 2, events
    # and the lines name the total while passages are encoded
    during = [
        line
        for line in written
        if re.fullmatch(rf"link: [1-7] of {NEWS} documents, \d+ passages encoded, \d+ s", line)
    ]
    assert during, written


def test_each_encoding_is_counted_to_its_own_total(sqlite_store: Store, tmp_path: Path) -> None:
    """QA: "link: 0 of 245 documents" beside a count of passages encoded without a total, for
    minutes; then a total that grew batch by batch ("136 of 136" when a tenth was done). The
    dense stage says how many texts it sets out to encode before each encoding (the pledges,
    then each group's passages), and `lofte link` counts each from 0 to that total."""
    from lofte.cli import ProgressTask
    from lofte.cli_evidence import encoding_counts

    _tracker(sqlite_store, tmp_path)
    written: list[str] = []
    lines = ProgressLines("link", written.append, interval=0)
    texts = lines.counter("texts of the step encoded", shown=False)
    on_pending, on_encoded = encoding_counts(ProgressTask(lines=lines, counter=texts))
    pending: list[int] = []
    finished: list[tuple[int, int | None]] = []  # (done, total) before each next encoding

    def told(n: int) -> None:
        if pending:
            finished.append((texts.done, texts.total))
        pending.append(n)
        on_pending(n)

    (report,) = linking.link(
        sqlite_store, "sjovik", dense=True, on_encoded=on_encoded, on_pending=told
    )
    finished.append((texts.done, texts.total))
    assert report.texts_encoded > 0 and sum(pending) == report.texts_encoded
    assert len(pending) >= 2  # the pledges first, then passages
    # every encoding ends at its own total, none at a total summed over the run so far
    assert finished == [(n, n) for n in pending]
    shown = [
        m for line in written if (m := re.search(r"(\d+) of ([\d,]+) texts of the step", line))
    ]
    assert shown and all(int(m.group(1)) <= int(m.group(2)) for m in shown)
