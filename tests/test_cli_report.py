"""`lofte report TRACKER`: the term's final account as HTML and PDF, for a small tracker and
for the demo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.config import get_settings
from lofte.demo import build_demo, corpus_manifest
from lofte.review.pledges import edit
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store
from lofte.store.db import Store
from tests.publish.test_report import (
    HIDDEN,
    TODAY,
    audit_clock,
    ink_share,
    make_tracker,
    meter_cells,
    render_page,
)

runner = CliRunner()


def _run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_report_writes_the_html_and_prints_its_path(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    make_tracker(store)
    out = tmp_path / "out"
    code, output = _run(
        db_url, "report", "sjovik", "--out", str(out), "--no-pdf", "--date", TODAY.isoformat()
    )
    assert code == 0, output
    html = out / "sjovik-slutrapport.html"
    assert f"html: {html}" in " ".join(output.split())
    text = html.read_text(encoding="utf-8")
    assert "&lt;b&gt;Norrvik&lt;/b&gt;" in text and HIDDEN not in text
    assert f'<time datetime="{TODAY.isoformat()}">' in text
    assert not (out / "sjovik-slutrapport.pdf").exists()


def _area_rows(html: str) -> dict[str, int]:
    """Area → pledges in the account's table of counts per area."""
    section = html.split('<section id="areas">', 1)[1].split("</section>", 1)[0]
    return {
        area: int(total)
        for area, total in re.findall(
            r'<tr><th scope="row">([^<]*)</th>.*?>(\d+)</td></tr>', section
        )
    }


def test_report_of_a_date_counts_a_pledge_moved_later_under_its_area_then(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    """The pool pledge (confirmed, its verdict set) is moved from Idrott to Vård after the
    account's date: `report --date` counts it under Idrott, `report` without it under Vård."""
    ids = make_tracker(store)
    with audit_clock(dt.datetime(2025, 9, 1, 8, 0)):
        edit(store, ids["pledge"], area="Vård", actor="tester")
    out = tmp_path / "dated"
    code, output = _run(
        db_url, "report", "sjovik", "--out", str(out), "--no-pdf", "--date", "2025-08-31"
    )
    assert code == 0, output
    dated = (out / "sjovik-slutrapport.html").read_text(encoding="utf-8")
    assert _area_rows(dated) == {"Idrott": 1, "Omsorg": 1}
    code, output = _run(db_url, "report", "sjovik", "--out", str(tmp_path), "--no-pdf")
    assert code == 0, output
    today = (tmp_path / "sjovik-slutrapport.html").read_text(encoding="utf-8")
    assert _area_rows(today) == {"Vård": 1, "Omsorg": 1}


def test_report_in_english(store: Store, db_url: str, tmp_path: Path) -> None:
    make_tracker(store)
    code, output = _run(
        db_url, "report", "sjovik", "--out", str(tmp_path), "--lang", "en", "--no-pdf"
    )
    assert code == 0, output
    assert "Final account" in (tmp_path / "sjovik-final-account.html").read_text(encoding="utf-8")


def test_report_errors_are_named_and_exit_non_zero(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    make_tracker(store, publish=False)
    out = str(tmp_path / "out")
    code, output = _run(db_url, "report", "nowhere", "--out", out, "--no-pdf")
    assert code == 1 and "no tracker named 'nowhere'" in output
    code, output = _run(db_url, "report", "sjovik", "--out", out, "--no-pdf")
    # a draft is named as one, with what to do (not "no tracker", as to the public)
    assert code == 1 and "tracker 'sjovik' is a draft, not published" in output
    assert "lofte tracker publish sjovik" in output and "--draft" in output
    code, output = _run(db_url, "report", "sjovik", "--out", out, "--lang", "fi", "--no-pdf")
    assert code == 1 and "--lang must be one of sv, en" in output
    code, output = _run(db_url, "report", "sjovik", "--out", out, "--date", "1.11.2026")
    assert code == 1 and "--date wants YYYY-MM-DD" in output
    assert not (tmp_path / "out").exists()
    code, output = _run(db_url, "report", "sjovik", "--out", out, "--draft", "--no-pdf")
    assert code == 0, output
    assert "Utkast" in (tmp_path / "out" / "sjovik-slutrapport.html").read_text(encoding="utf-8")


def test_a_missing_chromium_fails_after_writing_the_html(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    make_tracker(sqlite_store)
    monkeypatch.setenv("LOFTE_CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    get_settings.cache_clear()
    db = str(sqlite_store.engine.url)
    code, output = _run(db, "report", "sjovik", "--out", str(tmp_path / "out"))
    assert code == 1
    assert "Chromium not found" in output and "LOFTE_CHROMIUM_PATH" in output
    assert (tmp_path / "out" / "sjovik-slutrapport.html").is_file()
    assert not (tmp_path / "out" / "sjovik-slutrapport.pdf").exists()


def _independent_meter(store: Store, slug: str) -> dict[str, int]:
    """The demo's meter counted here from the raw records: confirmed pledges that are not
    groups with live parts, each at its newest published verdict (else not rated)."""
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, slug)
        pledges = pledge_store.list_pledges(s, tracker.id)
        verdicts = verdict_store.list_verdicts(s)
    live_parents = {p.parent_id for p in pledges if p.parent_id and p.state.value != "rejected"}
    counted = [p for p in pledges if p.state.value == "confirmed" and p.id not in live_parents]
    newest: dict[int, tuple[int, str]] = {}
    for v in verdicts:
        if v.published and v.id > newest.get(v.pledge_id, (0, ""))[0]:
            newest[v.pledge_id] = (v.id, v.status.value)
    counts = dict.fromkeys(
        (
            "kept",
            "partially_kept",
            "broken",
            "in_the_works",
            "stalled",
            "not_rated",
            "not_checkable",
        ),
        0,
    )
    for p in counted:
        counts[newest.get(p.id, (0, "not_rated"))[1]] += 1
    return counts


def test_report_for_the_demo_tracker_with_its_pdf(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "demo.db")
    try:
        slug = corpus_manifest()["tracker"]["slug"]
        expected = _independent_meter(store, slug)
        with store.session() as s:
            tracker = tracker_store.get_tracker(s, slug)
            some_quote = next(
                p.quote
                for p in pledge_store.list_pledges(s, tracker.id)
                if p.state.value == "confirmed"
            )
        db = str(store.engine.url)
    finally:
        store.dispose()
    assert sum(expected.values()) >= 5 and expected["not_rated"] < sum(expected.values())
    out = tmp_path / "out"
    code, output = _run(db, "report", slug, "--out", str(out), "--base-url", "https://x.example")
    assert code == 0, output
    html = (out / f"{slug}-slutrapport.html").read_text(encoding="utf-8")
    assert meter_cells(html) == expected
    assert some_quote in html
    assert "<script" not in html.lower()
    pdf = out / f"{slug}-slutrapport.pdf"
    assert f"pdf: {pdf}" in " ".join(output.split())
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 2
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert corpus_manifest()["tracker"]["name"] in text
    assert " ".join(some_quote.split()) in text
    assert re.search(r"Löftesmätaren", text)
    assert ink_share(render_page(pdf, 2, tmp_path / "page")) > 0.02  # the meter and its chart


def test_an_account_of_a_day_within_the_term_says_the_term_was_not_over(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    """QA at the term's end: `lofte report` wrote a "Slutrapport" of a term that runs to 2030
    and said nothing."""
    make_tracker(store)  # term 2022-10-15 – 2026-10-14
    out = tmp_path / "out"
    code, output = _run(
        db_url, "report", "sjovik", "--out", str(out), "--no-pdf", "--date", "2025-01-31"
    )
    assert code == 0, output
    assert "note: sjovik's term runs until 2026-10-14: the account is of 2025-01-31" in output
    text = (out / "sjovik-slutrapport.html").read_text(encoding="utf-8")
    assert "Mandatperioden var inte slut på rapportens datum" in text
    code, output = _run(
        db_url, "report", "sjovik", "--out", str(out), "--no-pdf", "--date", TODAY.isoformat()
    )
    assert code == 0 and "note:" not in output, output
    text = (out / "sjovik-slutrapport.html").read_text(encoding="utf-8")
    assert "Mandatperioden var inte slut" not in text
