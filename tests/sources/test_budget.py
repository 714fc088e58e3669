"""No input can stall a batch: time budget, parse worker, memory cap (issue 9)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lofte import ingest as ingest_module
from lofte.config import Settings
from lofte.ingest import Outcome, ingest
from lofte.model import RawInput
from lofte.sources import registry
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, RawBlobRow
from tests.sources.pdf_bytes import pdf_file

GOOD = "Kvarnby bibliotek öppnar på söndagar från och med mars 2024 enligt kommunen."


@pytest.fixture(autouse=True)
def _warm() -> None:
    """Load the language dictionaries first (seconds, once): not the inputs' budget."""
    from lofte.language.detect import detect_language

    detect_language(GOOD)


def _count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def slow_plaintext(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain-text reader stalls (a pure-Python loop) on inputs named slow*."""
    reader = next(r for r in registry.readers() if r.name == "plaintext")
    original = reader.parse

    def parse(raw: RawInput, text: str | None) -> list:
        if Path(raw.origin).name.startswith("slow"):
            end = time.monotonic() + 60
            while time.monotonic() < end:
                pass
        return original(raw, text)

    monkeypatch.setattr(reader, "parse", parse)


def _batch(tmp_path: Path) -> list[str]:
    slow = tmp_path / "slow.txt"
    slow.write_text("Den här texten tar evigheter att läsa in i dag.", encoding="utf-8")
    good = tmp_path / "bra.txt"
    good.write_text(GOOD, encoding="utf-8")
    return [str(slow), str(good)]


@pytest.mark.parametrize("worker_min_bytes", [10**9, 0], ids=["in-process", "worker"])
def test_a_stalled_parse_fails_by_name_and_the_next_input_lands(
    store: Store, tmp_path: Path, slow_plaintext: None, worker_min_bytes: int
) -> None:
    settings = Settings(input_time_budget=3.0, parse_worker_min_bytes=worker_min_bytes)
    start = time.monotonic()
    report = ingest(store, _batch(tmp_path), settings=settings)
    assert time.monotonic() - start < 30
    slow, good = report.inputs
    assert slow.outcome is Outcome.FAILED and slow.origin.endswith("slow.txt")
    assert "time budget" in slow.error and "LOFTE_INPUT_TIME_BUDGET" in slow.error
    assert good.outcome is Outcome.INSERTED
    assert _count(store, DocumentRow) == 1 and _count(store, RawBlobRow) == 1


def test_a_stall_while_storing_leaves_nothing_half_written(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The raw bytes are stored before the documents: a stall in between rolls both back."""
    save = ingest_module.document_store.save_document

    def slow_save(session: Any, tracker_id: int, origin: str, doc: Any, **kw: Any) -> Any:
        if "evigheter" in doc.body:
            time.sleep(60)
        return save(session, tracker_id, origin, doc, **kw)

    monkeypatch.setattr(ingest_module.document_store, "save_document", slow_save)
    report = ingest(store, _batch(tmp_path), settings=Settings(input_time_budget=3.0))
    assert [r.outcome for r in report.inputs] == [Outcome.FAILED, Outcome.INSERTED]
    assert _count(store, DocumentRow) == 1 and _count(store, RawBlobRow) == 1


def test_the_commit_is_not_timed_so_a_stored_input_is_never_reported_failed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget covers parse and store work; the time the database takes to commit is left
    out, so the alarm cannot land after (or inside) the commit of an input that was stored."""
    from sqlalchemy.orm import Session

    commit = Session.commit

    def slow_commit(self: Session) -> None:
        time.sleep(1.5)  # a busy database: longer than the whole budget
        commit(self)

    monkeypatch.setattr(Session, "commit", slow_commit)
    good = tmp_path / "bra.txt"
    good.write_text(GOOD, encoding="utf-8")
    report = ingest(store, [str(good)], settings=Settings(input_time_budget=1.0))
    assert [r.outcome for r in report.inputs] == [Outcome.INSERTED], report.inputs[0].error
    assert _count(store, DocumentRow) == 1


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF (about 1 KB per inflated MB) whose content stream inflates to
    `megabytes` MB: one line of text, then spaces."""
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(b"BT /F1 12 Tf 72 720 Td (Bomben) Tj ET\n")]
    chunk = b" " * (1 << 20)
    parts += [compressor.compress(chunk) for _ in range(megabytes)]
    stream = b"".join(parts) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    return pdf_file(objects)


def test_a_flate_bomb_pdf_fails_within_the_memory_budget(store: Store, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(400))
    assert bomb.stat().st_size < 1_000_000
    good = tmp_path / "bra.txt"
    good.write_text(GOOD, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = ingest(store, [str(bomb), str(good)], settings=Settings(parse_memory_mb=256))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    first, second = report.inputs
    assert first.outcome is Outcome.FAILED and first.origin.endswith("bomb.pdf")
    assert "LOFTE_PARSE_MEMORY_MB" in first.error
    assert second.outcome is Outcome.INSERTED
    assert grown_mb < 150, f"this process grew by {grown_mb:.0f} MB reading the bomb"
    assert _count(store, DocumentRow) == 1


_ORPHAN_SCRIPT = """
import os, sys, time
from lofte.model import RawInput
from lofte.sources.budget import parse_in_worker

class Stalling:
    name, version, binary, ceiling = "stalling", "1", False, 1.0

    def parse(self, raw, text):
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(sys.argv[1] + ".tmp", sys.argv[1])
        time.sleep(120)
        return []

parse_in_worker(Stalling(), RawInput(b"x", "x.txt"), "x", seconds=300, memory_mb=0)
"""


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is ended, only not yet reaped by init)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only")
def test_the_parse_worker_dies_with_the_process_that_forked_it(tmp_path: Path) -> None:
    """QA: after `kill -9` of `lofte ingest` its parse worker was adopted by init and went on,
    blocked writing to its pipe with the database open, for a minute or more."""
    marker = tmp_path / "worker.pid"
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT, str(marker)])
    worker = 0
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        worker = int(marker.read_text())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker), "the parse worker outlived its parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if worker and _running(worker):
            os.kill(worker, signal.SIGKILL)
