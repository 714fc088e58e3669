"""The term's final account (publish/report.py, report_html.py, pdf_print.py): what it shows,
that it shows only what is public, that it is one self-contained file, and its PDF."""

from __future__ import annotations

import datetime as dt
import re
import struct
import subprocess
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy import event

from lofte.errors import LofteError, ValidationError
from lofte.model import RawInput, ReviewState, VerdictStatus
from lofte.publish.pdf_print import print_pdf
from lofte.publish.report import archive_url, report_data, shares
from lofte.publish.report_html import render_report, report_stem, write_report
from lofte.review.deadlines import set_deadline
from lofte.review.pledges import confirm, edit, reject
from lofte.review.trackers import publish_tracker
from lofte.review.verdicts import decide_evidence, publish_verdict, set_verdict
from lofte.store import audit
from lofte.store import pledges as pledge_store
from lofte.store.archive import archive_raw
from lofte.store.db import Store
from lofte.store.derived import reconcile_changed_document
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow, TrackerRow, VerdictRow
from lofte.web.i18n import translate
from tests.review.fixtures import PROGRAM, confirmed_pledge_with_evidence

QUOTE = "Vi kommer att bygga en ny simhall i <b>Norrvik</b> & Sjövik."
OTHER = "Vi ska halvera köerna till äldreboenden."
HIDDEN = "HEMLIGT förslag som ingen redaktör har granskat."
URL = "https://news.example/simhall"
RATIONALE = "Simhallen invigdes i maj 2024, som utlovat."
DRAFT_RATIONALE = "UTKAST som inte är publicerat."
TODAY = dt.date(2026, 11, 1)
RECORDED = dt.datetime(2024, 5, 2, 9, 0)  # when make_tracker's evidence and verdicts were made
TODAY_END = dt.datetime(2026, 11, 2)


def recorded_on(store: Store, when: dt.datetime) -> None:
    """Date every evidence and verdict row as made at `when` (naive UTC): the rows are made now,
    but an account is as of its date, which the tests keep fixed (TODAY)."""
    with store.session() as s:
        for row in [*s.query(EvidenceRow), *s.query(VerdictRow)]:
            row.created_at = row.modified_at = when


@contextmanager
def audit_clock(when: dt.datetime) -> Iterator[None]:
    """Record audit events as made at `when` (naive UTC). The log stamps its events with the
    wall clock and refuses any later change (triggers, hash chain), but an account is as of a
    date the tests keep fixed, so only the log's clock is set; all else is the real store."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit, "utcnow", lambda: when)
        yield


def make_tracker(store: Store, *, publish: bool = True) -> dict[str, int]:
    """Tracker `sjovik`: a kept pledge citing an archived news page, a confirmed pledge with
    only a draft verdict, and an unreviewed candidate (not public); everything recorded (in
    the rows and the audit log) at RECORDED."""
    with audit_clock(RECORDED):
        return _make_tracker(store, publish=publish)


def _make_tracker(store: Store, *, publish: bool) -> dict[str, int]:
    pledge_id, evidence_id = confirmed_pledge_with_evidence(store)
    with store.session() as s:
        tracker = s.query(TrackerRow).filter_by(slug="sjovik").one()
        tracker.name = "Löften i Sjövik"
        tracker.term_start = dt.date(2022, 10, 15)
        tracker.term_end = dt.date(2026, 10, 14)
        tracker.actors = ["Gemenskapspartiet"]
        pledge = s.get(PledgeRow, pledge_id)
        assert pledge is not None
        pledge.quote, pledge.party, pledge.area = QUOTE, "Gemenskapspartiet", "Idrott"
        pledge.deadline = dt.date(2025, 12, 31)
        evidence = s.get(EvidenceRow, evidence_id)
        assert evidence is not None
        news = s.get(DocumentRow, evidence.document_id)
        assert news is not None
        fetched = dt.datetime(2024, 5, 3, 8, 30, tzinfo=dt.UTC)
        raw = RawInput(b"<p>Simhallen invigdes.</p>", URL, "text/html", fetched_at=fetched)
        archive_id = archive_raw(s, raw)
        news.url, news.archive_id, news.title = URL, archive_id, "Simhallen invigd"
        others = []
        for quote, state in ((OTHER, "candidate"), (HIDDEN, "candidate")):
            row = PledgeRow(
                tracker_id=tracker.id,
                document_id=pledge.document_id,
                start=0,
                end=len(quote),
                quote=quote,
                area="Omsorg",
                attributes={},
                confidence=1.0,
                state=state,
                stage="extract",
                stage_version="1",
            )
            s.add(row)
            others.append(row)
        s.flush()
        other_id, hidden_id = others[0].id, others[1].id
    confirm(store, other_id, actor="tester")
    decide_evidence(store, evidence_id, True, actor="tester")
    set_verdict(
        store,
        pledge_id,
        VerdictStatus.KEPT,
        RATIONALE,
        [evidence_id],
        actor="tester",
        as_of="2024-05-01",
    )
    set_verdict(store, other_id, VerdictStatus.STALLED, DRAFT_RATIONALE, actor="tester", draft=True)
    recorded_on(store, RECORDED)
    if publish:
        publish_tracker(store, "sjovik", actor="tester")
    return {"pledge": pledge_id, "other": other_id, "hidden": hidden_id, "archive": archive_id}


def html_of(store: Store, lang: str = "sv", **options: object) -> str:
    with store.session() as s:
        data = report_data(s, "sjovik", today=TODAY, **options)  # type: ignore[arg-type]
    return render_report(data, translate, lang)


def meter_cells(html: str) -> dict[str, int]:
    """The meter table's count per status, read back from the HTML."""
    found = re.findall(r'data-status="([a-z_]+)">(\d+)<', html)
    return {status: int(n) for status, n in found}


# --- PNG reading (stdlib only: PIL is not installed) --------------------------------------


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, unfiltered pixel rows) of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8, depth
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            add = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            line[x] = (line[x] + add) & 0xFF
        out += line
        prev = line
    return width, height, bpp, bytes(out)


def ink_share(png: bytes) -> float:
    """The share of pixels that are not (near) white."""
    width, height, bpp, pixels = png_pixels(png)
    channels = min(bpp, 3)
    inked = sum(
        1
        for i in range(0, len(pixels), bpp)
        if min(pixels[i : i + channels]) < 235  # anti-aliased text counts, paper does not
    )
    return inked / (width * height)


def render_page(pdf: Path, page: int, out: Path) -> bytes:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), str(pdf), str(out)],
        check=True,
        timeout=60,
    )
    (made,) = out.parent.glob(out.name + "*.png")
    return made.read_bytes()


def _png(width: int, height: int, rows: Iterable[bytes]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", 0)

    raw = b"".join(b"\x00" + r for r in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_the_png_reader_tells_a_blank_page_from_an_inked_one() -> None:
    white = _png(4, 2, [b"\xff" * 12] * 2)
    half = _png(4, 2, [b"\xff" * 12, b"\x00" * 12])
    assert ink_share(white) == 0.0
    assert ink_share(half) == 0.5


# --- the data and the HTML ------------------------------------------------------------------


def test_the_account_counts_only_public_pledges_and_published_verdicts(store: Store) -> None:
    make_tracker(store)
    with store.session() as s:
        data = report_data(s, "sjovik", today=TODAY)
    # counted independently: two confirmed pledges, one with a published `kept`, one whose only
    # verdict is a draft; the unreviewed candidate is not public
    assert data["meter"]["total"] == 2
    assert data["meter"]["counts"]["kept"] == 1
    assert data["meter"]["counts"]["not_rated"] == 1
    assert data["meter"]["counts"]["stalled"] == 0
    assert data["meter"]["shares"]["kept"] == 50.0
    quotes = [p["quote"] for p in data["pledges"]]
    assert quotes == [QUOTE, OTHER]
    assert data["pledges"][1]["verdict"] is None  # the draft is not shown
    assert [r["party"] for r in data["by_party"]] == ["Gemenskapspartiet", None]
    assert data["by_party"][0]["counts"]["kept"] == 1
    assert {r["area"]: r["total"] for r in data["by_area"]} == {"Idrott": 1, "Omsorg": 1}
    # the timeline: month ends from the term's start to its end, all not rated at first
    assert data["over_term"][0]["date"] == "2022-10-31"
    assert data["over_term"][0]["counts"]["not_rated"] == 2
    assert data["over_term"][-1]["date"] == "2026-10-14"
    kept = {p["date"]: p["counts"]["kept"] for p in data["over_term"]}
    assert kept["2024-04-30"] == 0 and kept["2024-05-31"] == 1 and kept["2026-10-14"] == 1
    assert data["pledges"][0]["verdict"]["as_of"] == "2024-05-01"


def test_the_html_holds_the_meter_pledges_sources_and_methodology(store: Store) -> None:
    ids = make_tracker(store)
    html = html_of(store, base_url="https://lofte.example.se/")
    assert meter_cells(html) == {
        "kept": 1,
        "partially_kept": 0,
        "broken": 0,
        "in_the_works": 0,
        "stalled": 0,
        "not_rated": 1,
        "not_checkable": 0,
    }
    assert "Löften i Sjövik" in html and "Slutrapport" in html
    assert "Vi ska halvera köerna till äldreboenden." in html
    assert HIDDEN not in html and DRAFT_RATIONALE not in html
    assert RATIONALE in html
    assert "2025-12-31" in html  # the editor-set deadline
    # the cited source with its archived copy: fetch time, SHA-256 and the public link
    assert URL in html and "Simhallen invigd" in html
    assert "2024-05-03T08:30:00" in html
    assert re.search(r"SHA-256 [0-9a-f]{64}", html)
    assert f'href="https://lofte.example.se/trackers/sjovik/archive/{ids["archive"]}"' in html
    # the methodology (the default text) and the timeline table
    assert "Metod" in html and "Granskning" in html
    assert '<time datetime="2022-10-31">' in html


def test_dates_known_to_the_month_are_shown_as_the_month(store: Store) -> None:
    # found by QA: every regeringen.se page is dated to its folder's month, and the account
    # printed "(2022-11-01)", a day that is not known; the pages said "november 2022"
    from sqlalchemy import select

    from lofte.store.schema import DocumentRow

    make_tracker(store)
    with store.session() as s:
        news = s.scalar(select(DocumentRow).where(DocumentRow.url == URL))
        news.date_value, news.date_precision = dt.date(2024, 5, 1), "month"
        news.date_provenance = "path"
    html = html_of(store)
    assert '(<time datetime="2024-05-01">maj 2024</time>)' in html
    assert "(2024-05-01)" not in html
    assert '<time datetime="2024-05-01">1 maj 2024</time>' in html  # the as-of, a known day


def test_the_html_is_self_contained_and_escaped(store: Store) -> None:
    make_tracker(store)
    html = html_of(store)
    assert "<script" not in html.lower()
    assert "<b>Norrvik</b>" not in html
    assert "&lt;b&gt;Norrvik&lt;/b&gt; &amp; Sjövik" in html
    # nothing is loaded from elsewhere: every src is an inline data: image, no stylesheet link
    for tag, attr, value in re.findall(
        r"<(img|link|script)\b[^>]*?\b(src|href)=\"([^\"]*)\"", html
    ):
        assert not value.startswith(("http:", "https:", "//")), (tag, attr, value)
    assert re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', html)
    assert "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html


def test_the_account_in_english(store: Store) -> None:
    make_tracker(store)
    html = html_of(store, lang="en")
    assert "Final account" in html and "Methodology" in html and "Every pledge" in html
    assert '<html lang="en">' in html
    assert report_stem("sjovik", "en") == "sjovik-final-account"
    assert report_stem("sjovik", "sv") == "sjovik-slutrapport"


def test_the_shares_are_written_the_way_the_accounts_language_writes_them(store: Store) -> None:
    """ "50,0 %" in Swedish, "50.0%" in English: no Swedish space before the per cent sign."""
    make_tracker(store)
    swedish, english = html_of(store), html_of(store, lang="en")
    assert '<td class="n">50,0 %</td>' in swedish and '<td class="n">100 %</td>' in swedish
    assert '<td class="n">50.0%</td>' in english and '<td class="n">100%</td>' in english
    assert " %<" not in english


def test_a_draft_tracker_needs_the_explicit_flag(store: Store) -> None:
    make_tracker(store, publish=False)
    with store.session() as s, pytest.raises(ValidationError, match="is a draft"):
        report_data(s, "sjovik", today=TODAY)
    html = html_of(store, include_draft=True)
    assert "Utkast: mätaren är inte publicerad." in html


def test_without_a_base_url_the_archive_is_named_but_not_linked(store: Store) -> None:
    ids = make_tracker(store)
    html = html_of(store)
    assert f"Arkiverad kopia #{ids['archive']}" in html
    assert "/archive/" not in html
    assert archive_url(None, "sjovik", 3) is None
    assert archive_url("https://x.se/", "sjovik", 3) == "https://x.se/trackers/sjovik/archive/3"


def test_shares_are_per_cent_with_one_decimal() -> None:
    assert shares({"kept": 1, "broken": 2}, 3) == {"kept": 33.3, "broken": 66.7}
    assert shares({"kept": 0}, 0) == {"kept": 0.0}


# --- the PDF ------------------------------------------------------------------------------


def test_the_pdf_has_the_text_and_an_inked_first_page(sqlite_store: Store, tmp_path: Path) -> None:
    """Printed once (on SQLite): the PDF does not depend on the database."""
    store = sqlite_store
    make_tracker(store)
    with store.session() as s:
        data = report_data(s, "sjovik", today=TODAY)
    html = write_report(data, tmp_path, translate, "sv")
    pdf = print_pdf(html, html.with_suffix(".pdf"), chromium="/usr/bin/chromium", timeout=120)
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 2
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Löften i Sjövik" in text
    assert "Vi ska halvera köerna till äldreboenden." in text
    assert "<b>Norrvik</b> & Sjövik" in text  # the quote's text, shown as written
    png = render_page(pdf, 1, tmp_path / "page")
    assert ink_share(png) > 0.005, "page 1 looks blank"  # the title page has about 1.2 %


def test_a_missing_chromium_is_a_clear_error_and_the_html_stays(
    sqlite_store: Store, tmp_path: Path
) -> None:
    store = sqlite_store
    make_tracker(store)
    with store.session() as s:
        data = report_data(s, "sjovik", today=TODAY)
    html = write_report(data, tmp_path, translate, "sv")
    with pytest.raises(LofteError, match="Chromium not found"):
        print_pdf(html, tmp_path / "x.pdf", chromium=str(tmp_path / "no-such-chromium"))
    assert html.is_file() and "Löften i Sjövik" in html.read_text(encoding="utf-8")
    assert not (tmp_path / "x.pdf").exists()


def test_a_chromium_that_hangs_times_out(tmp_path: Path) -> None:
    slow = tmp_path / "slow-chromium"
    slow.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    slow.chmod(0o755)
    html = tmp_path / "a.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(LofteError, match="did not finish within 0.5 s"):
        print_pdf(html, tmp_path / "a.pdf", chromium=str(slow), timeout=0.5)


def test_a_failing_chromium_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad-chromium"
    bad.write_text("#!/bin/sh\necho 'no display' >&2\nexit 3\n", encoding="utf-8")
    bad.chmod(0o755)
    html = tmp_path / "a.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(LofteError, match="exited with 3: no display"):
        print_pdf(html, tmp_path / "a.pdf", chromium=str(bad))


def _half_printing_chromium(tmp_path: Path, then: str) -> Path:
    """A browser that writes the start of a PDF to --print-to-pdf, then `then` (crash, hang)."""
    script = tmp_path / "half-chromium"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done\n'
        'printf "%%PDF-1.4 half" > "$out"\n' + then + "\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("then", "timeout", "error"),
    [("exit 139", 30.0, "exited with 139"), ("sleep 30", 0.5, "did not finish within")],
)
def test_a_chromium_that_dies_part_way_leaves_no_half_pdf(
    tmp_path: Path, then: str, timeout: float, error: str
) -> None:
    html = tmp_path / "a.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    chromium = _half_printing_chromium(tmp_path, then)
    with pytest.raises(LofteError, match=error):
        print_pdf(html, tmp_path / "a.pdf", chromium=str(chromium), timeout=timeout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "half-chromium"]


def test_an_account_folder_that_is_a_file_is_a_clear_error(
    sqlite_store: Store, tmp_path: Path
) -> None:
    make_tracker(sqlite_store)
    with sqlite_store.session() as s:
        data = report_data(s, "sjovik", today=TODAY)
    (tmp_path / "out").mkdir()
    taken = tmp_path / "out" / "rapport"
    taken.write_text("someone's file", encoding="utf-8")
    with pytest.raises(ValidationError, match="rapport: it is not a folder"):
        write_report(data, taken, translate, "sv")
    assert taken.read_text(encoding="utf-8") == "someone's file"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rapport"]


LATER = "Bygget stoppades i mars 2025."


def _backdate_verdict(store: Store, verdict_id: int, when: dt.datetime) -> None:
    with store.session() as s:
        row = s.get_one(VerdictRow, verdict_id)
        row.created_at = row.modified_at = when


def test_an_account_as_of_a_date_counts_the_verdicts_public_by_the_end_of_that_day(
    store: Store,
) -> None:
    ids = make_tracker(store)
    with store.session() as s:
        evidence = s.query(EvidenceRow).filter_by(pledge_id=ids["pledge"]).one()
        news = s.get_one(DocumentRow, evidence.document_id)
        news.date_value, news.date_precision, news.date_provenance = (
            dt.date(2024, 5, 1),
            "day",
            "explicit",
        )
        draft = s.query(VerdictRow).filter_by(pledge_id=ids["other"]).one().id
    # recorded on 1 September 2025: the pool pledge broken as of March 2025 (a later verdict
    # about an earlier day), and the other pledge's draft published
    later = set_verdict(
        store,
        ids["pledge"],
        VerdictStatus.BROKEN,
        LATER,
        [evidence.id],
        actor="tester",
        as_of="2025-03-01",
    )
    _backdate_verdict(store, later.id, dt.datetime(2025, 9, 1, 8, 0))
    publish_verdict(store, draft, actor="tester")
    with store.session() as s:
        s.get_one(VerdictRow, draft).modified_at = dt.datetime(2025, 9, 1, 8, 0)

    def account(day: dt.date) -> dict[str, Any]:
        with store.session() as s:
            return report_data(s, "sjovik", today=day)

    before = account(dt.date(2025, 8, 31))  # the end of that day: before both
    counts = before["meter"]["counts"]
    assert (counts["kept"], counts["broken"], counts["stalled"], counts["not_rated"]) == (
        1,
        0,
        0,
        1,
    )
    pool, other = before["pledges"]
    assert pool["status"] == "kept" and pool["verdict"]["rationale"] == RATIONALE
    assert [src["title"] for src in pool["sources"]] == ["Simhallen invigd"]
    assert other["status"] == "not_rated" and other["verdict"] is None
    assert before["by_party"][0]["counts"]["kept"] == 1
    assert {r["area"]: r["counts"]["kept"] for r in before["by_area"]} == {
        "Idrott": 1,
        "Omsorg": 0,
    }
    last = before["over_term"][-1]
    assert last["date"] == "2025-08-31"
    assert (last["counts"]["kept"], last["counts"]["broken"]) == (1, 0)

    after = account(dt.date(2025, 9, 1))
    counts = after["meter"]["counts"]
    assert (counts["kept"], counts["broken"], counts["stalled"], counts["not_rated"]) == (
        0,
        1,
        1,
        0,
    )
    pool, other = after["pledges"]
    assert pool["status"] == "broken" and pool["verdict"]["rationale"] == LATER
    assert other["status"] == "stalled"
    march = {p["date"]: p["counts"]["broken"] for p in after["over_term"]}
    assert march["2025-02-28"] == 0 and march["2025-03-31"] == 1


def _date_news(store: Store, pledge_id: int, day: dt.date) -> EvidenceRow:
    """Give the news page `pledge_id`'s evidence cites an explicit date; its evidence row."""
    with store.session() as s:
        evidence = s.query(EvidenceRow).filter_by(pledge_id=pledge_id).one()
        news = s.get_one(DocumentRow, evidence.document_id)
        news.date_value, news.date_precision, news.date_provenance = (day, "day", "explicit")
        s.expunge(evidence)
        return evidence


def _sources_on(store: Store, day: dt.date) -> list[str]:
    with store.session() as s:
        pledge = report_data(s, "sjovik", today=day)["pledges"][0]
    assert pledge["status"] == "kept"  # the verdict stands; only its sources change
    return [src["title"] for src in pledge["sources"]]


def test_an_account_as_of_a_date_leaves_out_evidence_accepted_or_dated_after_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A source taken back under its standing verdict is refused now (store.verdicts); the
    # audit logs of databases from before that rule hold such histories, and the account
    # must read them right: the rule is set aside here to write one.
    from lofte.store import verdicts as verdict_store

    monkeypatch.setattr(verdict_store, "_refuse_withdrawing_a_source", lambda *_: None)
    ids = make_tracker(store)
    day = dt.date(2025, 6, 30)
    evidence = _date_news(store, ids["pledge"], dt.date(2024, 5, 1))
    assert _sources_on(store, day) == ["Simhallen invigd"]
    # taken back and accepted again on the day after the account's date: as the log says
    with audit_clock(dt.datetime(2025, 6, 30, 12, 0)):
        decide_evidence(
            store, evidence.id, False, actor="tester", expected_state=ReviewState.ACCEPTED
        )
    with audit_clock(dt.datetime(2025, 7, 1, 0, 0)):
        decide_evidence(
            store, evidence.id, True, actor="tester", expected_state=ReviewState.REJECTED
        )
    assert _sources_on(store, day) == []
    assert _sources_on(store, dt.date(2025, 7, 1)) == ["Simhallen invigd"]
    with store.session() as s:  # accepted in time, but the document is dated later
        s.get_one(DocumentRow, evidence.document_id).date_value = dt.date(2025, 7, 2)
    assert _sources_on(store, dt.date(2025, 7, 1)) == []


def test_a_later_change_of_the_documents_text_does_not_move_when_evidence_was_accepted(
    store: Store,
) -> None:
    """Re-ingesting a changed text flags the decided evidence (store/derived.py), which sets
    the evidence row's `modified_at`; the acceptance stays where the audit log put it."""
    ids = make_tracker(store)
    evidence = _date_news(store, ids["pledge"], dt.date(2024, 5, 1))
    with store.session() as s:
        news = s.get_one(DocumentRow, evidence.document_id)
        news.body = news.body + " Badet har öppet hela sommaren."
        reconcile_changed_document(s, news.id, news.body)
    with store.session() as s:
        moved = s.get_one(EvidenceRow, evidence.id)
        assert moved.features.get("document_changed") and moved.modified_at > TODAY_END
    assert _sources_on(store, dt.date(2025, 6, 30)) == ["Simhallen invigd"]


def test_an_account_as_of_a_date_lists_the_pledges_public_then(store: Store) -> None:
    """A pledge confirmed after the account's date is not in it; one rejected after it is."""
    ids = make_tracker(store)
    with store.session() as s:  # the candidate was extracted in time
        s.get_one(PledgeRow, ids["hidden"]).created_at = RECORDED
    later = dt.datetime(2025, 9, 1, 8, 0)
    with audit_clock(later):
        confirm(store, ids["hidden"], actor="tester")
        reject(store, ids["other"], reason="dubblett", actor="tester")

    def account(day: dt.date) -> tuple[int, list[str], dict[str, int]]:
        with store.session() as s:
            data = report_data(s, "sjovik", today=day)
        by_area = {r["area"]: r["total"] for r in data["by_area"]}
        return data["meter"]["total"], [p["quote"] for p in data["pledges"]], by_area

    total, quotes, by_area = account(dt.date(2025, 8, 31))
    assert HIDDEN not in quotes and OTHER in quotes
    assert total == len(quotes) == 2 and by_area == {"Idrott": 1, "Omsorg": 1}
    total, quotes, by_area = account(dt.date(2025, 9, 1))
    assert HIDDEN in quotes and OTHER not in quotes
    assert total == len(quotes) == 2 and by_area == {"Idrott": 1, "Omsorg": 1}
    # before anything was confirmed the account of a tracker of confirmed pledges is empty
    total, quotes, _ = account(dt.date(2024, 5, 1))
    assert total == 0 and quotes == []
    total, quotes, _ = account(dt.date(2024, 5, 1))
    assert total == 0 and quotes == []


def test_todays_account_lists_the_pledges_as_they_are_like_the_public_pages(store: Store) -> None:
    """Without a date the account reads the pledges' states as they are, as the meter pages
    do: a pledge whose confirmation no audit event records (a store older than the log, a
    hand edit) is in it; the audit log's history decides only accounts of a given day."""
    ids = make_tracker(store)
    with store.session() as s:
        s.get_one(PledgeRow, ids["hidden"]).state = "confirmed"  # no pledge event
    with store.session() as s:
        today = [p["quote"] for p in report_data(s, "sjovik")["pledges"]]
        as_of = [p["quote"] for p in report_data(s, "sjovik", today=TODAY)["pledges"]]
    assert HIDDEN in today and HIDDEN not in as_of


def test_in_a_tracker_of_candidates_a_pledge_confirmed_later_was_unreviewed_on_the_date(
    store: Store,
) -> None:
    ids = make_tracker(store)
    with store.session() as s:
        s.query(TrackerRow).filter_by(slug="sjovik").one().show_candidates = True
        s.get_one(PledgeRow, ids["hidden"]).created_at = RECORDED  # extracted in time
    with audit_clock(dt.datetime(2025, 9, 1, 8, 0)):
        confirm(store, ids["hidden"], actor="tester")

    def unreviewed(day: dt.date) -> dict[str, bool]:
        with store.session() as s:
            data = report_data(s, "sjovik", today=day)
        return {p["quote"]: p["unreviewed"] for p in data["pledges"]}

    assert unreviewed(dt.date(2025, 8, 31))[HIDDEN] is True
    assert unreviewed(dt.date(2025, 9, 1))[HIDDEN] is False
    assert HIDDEN not in unreviewed(dt.date(2024, 5, 1))  # not extracted yet


MOVED_ON = dt.datetime(2025, 9, 1, 8, 0)  # after the account's date DAY_BEFORE
DAY_BEFORE = dt.date(2025, 8, 31)


def _areas(data: dict[str, Any]) -> dict[str | None, tuple[int, int]]:
    """Area → (pledges, of them kept) in an account's counts per area."""
    return {r["area"]: (r["total"], r["counts"]["kept"]) for r in data["by_area"]}


def _parties(data: dict[str, Any]) -> dict[str | None, tuple[int, int]]:
    return {r["party"]: (r["total"], r["counts"]["kept"]) for r in data["by_party"]}


def test_an_account_as_of_a_date_shows_each_pledge_in_the_area_and_party_it_had_then(
    store: Store,
) -> None:
    """The pool pledge, confirmed and kept, is moved to another area and party, given another
    span (so another quote) and a deadline after the account's date: the account of that date
    shows and counts it as it was; today's account as it is now."""
    ids = make_tracker(store)
    with store.session() as s:
        s.query(TrackerRow).filter_by(slug="sjovik").one().actors = [
            "Gemenskapspartiet",
            "Framtidspartiet",
        ]
    with audit_clock(MOVED_ON):
        edit(store, ids["pledge"], area="Vård", party="Framtidspartiet", actor="tester")
        edit(store, ids["pledge"], start=0, end=len(PROGRAM) - 1, actor="tester")
        set_deadline(store, ids["pledge"], dt.date(2027, 6, 30), actor="tester")
    with audit_clock(MOVED_ON + dt.timedelta(days=3)):  # a second move: the first one counts
        edit(store, ids["pledge"], area="Skola", actor="tester")

    with store.session() as s:
        then = report_data(s, "sjovik", today=DAY_BEFORE)
        moved = report_data(s, "sjovik", today=dt.date(2025, 9, 1))
        now = report_data(s, "sjovik")
    assert _areas(then) == {"Idrott": (1, 1), "Omsorg": (1, 0)}
    assert _parties(then) == {"Gemenskapspartiet": (1, 1), "Framtidspartiet": (0, 0), None: (1, 0)}
    pool = next(p for p in then["pledges"] if p["id"] == ids["pledge"])
    assert (pool["area"], pool["party"], pool["quote"]) == ("Idrott", "Gemenskapspartiet", QUOTE)
    assert pool["deadline"] == {"date": "2025-12-31", "source": "editor"}
    assert pool["quote_changed_since"] is False

    assert _areas(moved) == {"Vård": (1, 1), "Omsorg": (1, 0)}
    assert _areas(now) == {"Skola": (1, 1), "Omsorg": (1, 0)}
    for data in (moved, now):
        assert _parties(data) == {
            "Gemenskapspartiet": (0, 0),
            "Framtidspartiet": (1, 1),
            None: (1, 0),
        }
        pool = next(p for p in data["pledges"] if p["id"] == ids["pledge"])
        assert (pool["party"], pool["quote"]) == ("Framtidspartiet", PROGRAM[:-1])
        assert pool["deadline"] == {"date": "2027-06-30", "source": "editor"}
    html = html_of(store)  # the rendered account of TODAY (after every move) and of the day
    assert ">Skola</th>" in html and ">Idrott</th>" not in html
    with store.session() as s:
        rendered = render_report(report_data(s, "sjovik", today=DAY_BEFORE), translate)
    assert ">Idrott</th>" in rendered and ">Vård</th>" not in rendered
    assert "&lt;b&gt;Norrvik&lt;/b&gt;" in rendered


def test_an_account_as_of_a_date_shows_the_party_before_a_program_s_correction(
    store: Store,
) -> None:
    """Review: a party a program's correction carried to its pledges (`document edit
    --party`) was listed on the pledges' pages as a change, while the account of an earlier
    day showed them in the new party already."""
    from lofte.review.documents import edit_document

    ids = make_tracker(store)
    with store.session() as s:
        s.query(TrackerRow).filter_by(slug="sjovik").one().actors = [
            "Gemenskapspartiet",
            "Framtidspartiet",
        ]
        program = s.get_one(PledgeRow, ids["pledge"]).document_id
    with audit_clock(MOVED_ON):  # carried to the pledges without a party (the pool has one)
        edit_document(store, program, actor="tester", party="Framtidspartiet")
    with store.session() as s:
        then = report_data(s, "sjovik", today=DAY_BEFORE)
        now = report_data(s, "sjovik")
    assert _parties(then) == {"Gemenskapspartiet": (1, 1), "Framtidspartiet": (0, 0), None: (1, 0)}
    assert _parties(now) == {"Gemenskapspartiet": (1, 1), "Framtidspartiet": (1, 0)}


def test_a_span_edit_that_did_not_record_its_quote_leaves_the_current_quote_flagged(
    store: Store,
) -> None:
    """Edits recorded before the quote was logged name only the old span: the account of an
    earlier day cannot know the old text, so it shows the current one and says so in its
    data; the area, which such edits did record, is still the old one."""
    ids = make_tracker(store)
    with audit_clock(MOVED_ON), store.session() as s:
        row = s.get_one(PledgeRow, ids["pledge"])
        changes = {
            "end": {"before": row.end, "after": row.end - 1},
            "area": {"before": row.area, "after": "Vård"},
        }
        pledge_store.update_pledge(
            s, row.id, row.version, end=row.end - 1, quote=PROGRAM[:-1], area="Vård"
        )
        pledge_store.record_pledge_event(
            s, "pledge.edit", row.id, "tester", [row.id], changes=changes
        )
    with store.session() as s:
        then = report_data(s, "sjovik", today=DAY_BEFORE)
        now = report_data(s, "sjovik")
    pool = next(p for p in then["pledges"] if p["id"] == ids["pledge"])
    assert (pool["area"], pool["quote"], pool["quote_changed_since"]) == (
        "Idrott",
        PROGRAM[:-1],
        True,
    )
    pool = next(p for p in now["pledges"] if p["id"] == ids["pledge"])
    assert (pool["area"], pool["quote_changed_since"]) == ("Vård", False)
    # and the reader of the account is told, in her language
    for lang in ("sv", "en"):
        note = translate("report_quote_changed", lang)
        assert note in render_report(then, translate, lang)
        assert note not in render_report(now, translate, lang)


def test_an_edit_records_the_quote_it_replaces(store: Store) -> None:
    ids = make_tracker(store)
    edit(store, ids["pledge"], start=0, end=len(PROGRAM) - 1, actor="tester")
    with store.session() as s:
        event = audit.list_events(s, "pledge", ids["pledge"])[-1]
    assert event.action == "pledge.edit"
    assert event.details["changes"]["quote"] == {"before": QUOTE, "after": PROGRAM[:-1]}


def test_an_account_as_of_a_date_reads_the_audit_logs_pledge_history_once(store: Store) -> None:
    """The pledges public then and the values they had then come from two reads of the log's
    pledge events (states before the day, edits after it), shared by the meter, the party
    breakdown and the list: not one pair of reads per part of the account."""
    ids = make_tracker(store)
    with audit_clock(MOVED_ON):
        edit(store, ids["pledge"], area="Vård", actor="tester")
    reads: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM audit_events" in statement and "entity_type" in statement:
            reads.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.session() as s:
            data = report_data(s, "sjovik", today=DAY_BEFORE)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert _areas(data) == {"Idrott": (1, 1), "Omsorg": (1, 0)}
    pledge_history = [r for r in reads if "created_at >=" in r or "created_at <" in r]
    assert len(pledge_history) == 2, pledge_history


def test_the_html_fits_a_phone_its_wide_tables_scroll(sqlite_store: Store, tmp_path: Path) -> None:
    """QA: at 375 px the account was 563 px wide (its tables of seven statuses)."""
    from playwright.sync_api import sync_playwright

    make_tracker(sqlite_store)
    with sqlite_store.session() as s:
        data = report_data(s, "sjovik", today=TODAY)
    html = write_report(data, tmp_path, translate, "en")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 800})
            page.goto(html.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            assert page.locator(".scroll table").count() >= 2
        finally:
            browser.close()


def test_after_the_term_an_unrated_pledge_past_its_deadline_is_flagged_without_yet(
    store: Store,
) -> None:
    """QA at the term's end: the pledge's public page said "Tidsfristen har passerat" where
    the final account said nothing, and "Ingen publicerad bedömning ännu." read as if the term
    were still running."""
    ids = make_tracker(store)
    with audit_clock(RECORDED):  # set before the account's day
        set_deadline(store, ids["other"], dt.date(2025, 6, 30), actor="tester")
    html = html_of(store)
    other = html[html.index(f'id="pledge-{ids["other"]}"') :]
    other = other[: other.index("</article>")]
    assert "2025-06-30 (satt av redaktör): <strong>tidsfristen har passerat</strong>" in other
    assert "<dd>Ingen publicerad bedömning.</dd>" in other
    rated = html[html.index(f'id="pledge-{ids["pledge"]}"') :]
    assert "passerat" not in rated[: rated.index("</article>")]  # kept: not overdue
    english = html_of(store, "en")
    assert "<strong>deadline passed</strong>" in english
    assert "<dd>No published verdict.</dd>" in english
    # an account as of a day within the term: before the deadline, and still to come
    with store.session() as s:
        data = report_data(s, "sjovik", today=dt.date(2025, 6, 30))
    assert not data["term_ended"]
    (item,) = [p for p in data["pledges"] if p["id"] == ids["other"]]
    assert item["deadline_passed"] is False
    during = render_report(data, translate, "sv")
    assert "Ingen publicerad bedömning ännu." in during and "passerat" not in during
