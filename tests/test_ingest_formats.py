"""Ingest of every shape at once: the seeds, bad inputs in one batch, near-duplicates, URLs.

Reader details are pinned in tests/sources/; these tests check what the whole workflow stores.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from lofte.config import Settings
from lofte.ingest import IngestOptions, Outcome, ingest
from lofte.model import DateProvenance, SourceKind
from lofte.store import documents as document_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow
from tests.localweb import finishes_within, local_sites


def _seed(seeds_dir: Path, prefix: str) -> Path:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*"))
    return path


def _documents(store: Store) -> list:  # type: ignore[type-arg]
    with store.session() as s:
        return document_store.list_documents(s)


# -- the seeds, through the whole workflow --------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "reader", "count"),
    [
        ("000", "excerpt-lines", 44),
        ("001", "bullet-listing", 6),
        ("003", "bullet-listing", 12),
        ("004", "read-more-page", 7),
        ("002", "program-text", 1),
    ],
)
def test_each_seed_lands_as_a_careful_reader_sees_it(
    sqlite_store: Store, seeds_dir: Path, prefix: str, reader: str, count: int
) -> None:
    report = ingest(sqlite_store, [str(_seed(seeds_dir, prefix))], IngestOptions(date=None))
    (item,) = report.inputs
    assert item.error is None and item.reader == reader
    docs = _documents(sqlite_store)
    assert len(docs) + item.duplicates == count
    assert all(d.title and d.body for d in docs)
    assert all("Läs mer" not in d.body for d in docs)
    if prefix == "002":
        assert docs[0].kind is SourceKind.PROGRAM
    else:
        assert {d.kind for d in docs} == {SourceKind.NEWS}
    if prefix == "000":
        assert sum(d.truncated for d in docs) >= 40
    if prefix == "003":
        assert all(d.category for d in docs)
    assert all(d.language == "sv" for d in docs if len(d.body) > 200)


def test_the_seeds_ingested_twice_add_nothing(sqlite_store: Store, seeds_dir: Path) -> None:
    first = ingest(sqlite_store, [str(seeds_dir)])
    second = ingest(sqlite_store, [str(seeds_dir)])
    assert not first.failed and first.total("inserted") >= 44 + 6 + 12 + 7 + 1 - 2
    assert {r.outcome for r in second.inputs} == {Outcome.UNCHANGED}
    assert second.total("inserted") == 0


# -- bad inputs, all in one batch ----------------------------------------------------------------

GOOD = "Kommunen bygger en ny simhall i Norrvik. Bygget startar i mars och ska vara klart 2026."


def test_every_kind_of_bad_input_fails_by_name_and_the_batch_lands(
    store: Store, tmp_path: Path
) -> None:
    files = {
        "01-bra.txt": GOOD.encode(),
        "02-trasig.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n" + bytes(range(256)) * 8,
        "03-tom.txt": b"",
        "04-binar.bin": bytes(range(256)) * 64,
        "06-trasigt-flode.xml": b"<?xml version='1.0'?><rss version='2.0'><channel><title>Avbr",
        "07-trasig.html": b"<html><head><script>var x = 1;</script></head><body>",
        "08-okand-kodning.txt": bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50,
        "09-bra-cp1252.txt": "Förskolan på Åsvägen får nya lokaler före årsskiftet.".encode(
            "cp1252"
        ),
    }
    folder = tmp_path / "inkorg"  # tmp_path also holds the SQLite file
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    huge = folder / "05-enorm.txt"
    with huge.open("wb") as out:  # 100 MB without writing 100 MB: a sparse file
        out.truncate(100 * 1024 * 1024)
    report = ingest(store, [str(folder)], settings=Settings(max_input_bytes=50 * 1024 * 1024))
    by_name = {Path(r.origin).name: r for r in report.inputs}
    assert len(by_name) == 9
    failed = {Path(r.origin).name for r in report.failed}
    assert failed == {
        "02-trasig.pdf",
        "03-tom.txt",
        "04-binar.bin",
        "05-enorm.txt",
        "06-trasigt-flode.xml",
        "07-trasig.html",
        "08-okand-kodning.txt",
    }
    for name in failed:
        assert by_name[name].error, name
    assert "over the limit" in (by_name["05-enorm.txt"].error or "")
    assert "encoding" in (by_name["08-okand-kodning.txt"].error or "")
    assert "feed" in (by_name["06-trasigt-flode.xml"].error or "")
    assert "PDF" in (by_name["02-trasig.pdf"].error or "")
    bodies = [d.body for d in _documents(store)]
    assert len(bodies) == 2
    assert any("Åsvägen" in b for b in bodies)


def test_the_cli_names_each_bad_input(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lofte.cli import app

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "b.pdf").write_bytes(b"%PDF-1.4 trasig")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "ingest", str(tmp_path / "in"), "--json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [r["outcome"] for r in rows] == ["inserted", "failed"]
    assert rows[1]["input"].endswith("b.pdf") and rows[1]["error"]


# -- near-duplicates -----------------------------------------------------------------------------

PRESS = (
    "Kommunstyrelsen i Norrvik har beslutat att bygga om biblioteket i Hamnstaden. "
    "Ombyggnaden ger fler studieplatser, ett nytt rum för läxhjälp och längre öppettider "
    "på kvällar och helger. Arbetet startar i februari och beräknas vara klart till hösten. "
    "Under ombyggnaden flyttar verksamheten till tillfälliga lokaler vid torget, där alla "
    "lån och reservationer fungerar som vanligt."
)


def test_the_same_press_text_in_two_feeds_is_linked_as_a_near_duplicate(
    store: Store, tmp_path: Path
) -> None:
    a = tmp_path / "kommunen.txt"
    b = tmp_path / "lokaltidningen.txt"
    other = tmp_path / "annat.txt"
    a.write_text(PRESS, encoding="utf-8")
    b.write_text(PRESS + " Frågor besvaras av bibliotekschefen.", encoding="utf-8")
    other.write_text(GOOD + " " + GOOD.replace("simhall", "ishall"), encoding="utf-8")
    report = ingest(store, [str(a), str(b), str(other)])
    assert report.total("inserted") == 3
    assert [r.near_duplicates for r in report.inputs] == [0, 1, 0]
    docs = {Path(d.origin).name: d for d in _documents(store)}
    assert docs["lokaltidningen.txt"].duplicate_of == docs["kommunen.txt"].id
    assert docs["annat.txt"].duplicate_of is None
    assert docs["kommunen.txt"].duplicate_of is None


def test_a_later_ingest_finds_near_duplicates_by_the_stored_signatures(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The MinHash kept at ingest rebuilds the index of a later run without reading or
    shingling the stored texts again (that cost ~10 s per run on the national record)."""
    from lofte.pipeline import dedup
    from lofte.store.schema import DocumentRow

    a = tmp_path / "kommunen.txt"
    a.write_text(PRESS, encoding="utf-8")
    ingest(store, [str(a)])
    with store.session() as s:
        (stored,) = s.query(DocumentRow.minhash).all()
    assert stored[0] is not None and len(stored[0]) == 4 * dedup.NUM_PERM

    shingled: list[int] = []
    real = dedup.minhash_signature

    def counting(items: object, *args: object, **kw: object) -> object:
        shingled.append(1)
        return real(items, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(dedup, "minhash_signature", counting)
    b = tmp_path / "lokaltidningen.txt"
    b.write_text(PRESS + " Frågor besvaras av bibliotekschefen.", encoding="utf-8")
    report = ingest(store, [str(b)])
    assert [r.near_duplicates for r in report.inputs] == [1]
    assert not shingled  # the stored text was not shingled again (the new one is, elsewhere)
    docs = {Path(d.origin).name: d for d in _documents(store)}
    assert docs["lokaltidningen.txt"].duplicate_of == docs["kommunen.txt"].id


def test_near_duplicates_are_found_through_the_stored_keys_without_holding_signatures(
    store: Store, tmp_path: Path
) -> None:
    """Each document's 16 bucket keys are stored with it; the lookup object keeps nothing of
    the stored documents between inputs (memory bounded whatever the store's size)."""
    from lofte.ingest import NearDuplicates, ingest_raw
    from lofte.model import RawInput
    from lofte.pipeline.dedup import BANDS, band_keys, minhash_signature
    from lofte.store.near_duplicates import keys_of

    near = NearDuplicates()
    a = tmp_path / "kommunen.txt"
    a.write_text(PRESS, encoding="utf-8")
    ingest(store, [str(a)])
    (doc,) = _documents(store)
    with store.session() as s:
        keys = keys_of(s, doc.id)
    assert len(keys) == BANDS
    assert keys == band_keys(minhash_signature(f"{doc.title}\n{doc.body}"))
    copy = RawInput((PRESS + " Frågor besvaras av bibliotekschefen.").encode(), "kopia.txt")
    assert ingest_raw(store, copy, near=near).near_duplicates == 1
    assert all(not held for held in vars(near).values())  # nothing kept after the input


def test_an_updated_text_replaces_its_keys_and_a_short_one_drops_them(
    store: Store, tmp_path: Path
) -> None:
    from lofte.store.near_duplicates import keys_of

    a = tmp_path / "kommunen.txt"
    a.write_text(PRESS, encoding="utf-8")
    ingest(store, [str(a)])
    (doc,) = _documents(store)
    with store.session() as s:
        before = keys_of(s, doc.id)
    a.write_text(GOOD + " " + GOOD.replace("simhall", "ishall"), encoding="utf-8")
    assert ingest(store, [str(a)]).total("updated") == 1
    with store.session() as s:
        after = keys_of(s, doc.id)
    assert len(after) == len(before) and not set(after) & set(before)
    a.write_text("Kort text.", encoding="utf-8")
    assert ingest(store, [str(a)]).total("updated") == 1
    with store.session() as s:
        assert keys_of(s, doc.id) == []


def test_migration_0014_gives_every_stored_document_its_keys(store: Store, tmp_path: Path) -> None:
    """Stores from before 0014 get the keys of every document: from its kept MinHash, or
    from its text when it has none (stored before 0008)."""
    from alembic import command
    from sqlalchemy import update

    from lofte.store.db import _alembic_config
    from lofte.store.near_duplicates import keys_of
    from lofte.store.schema import DocumentRow

    a, other, short = tmp_path / "kommunen.txt", tmp_path / "annat.txt", tmp_path / "kort.txt"
    a.write_text(PRESS, encoding="utf-8")
    other.write_text(GOOD + " " + GOOD.replace("simhall", "ishall"), encoding="utf-8")
    short.write_text("Kort text.", encoding="utf-8")
    ingest(store, [str(a), str(other), str(short)])
    docs = {Path(d.origin).name: d.id for d in _documents(store)}
    with store.session() as s:
        expected = {name: keys_of(s, doc_id) for name, doc_id in docs.items()}
    command.downgrade(_alembic_config(store.engine), "0013")
    with store.session() as s:  # as 0008 left the rows stored before it
        s.execute(
            update(DocumentRow).where(DocumentRow.id == docs["annat.txt"]).values(minhash=None)
        )
    store.migrate()
    with store.session() as s:
        assert {name: keys_of(s, doc_id) for name, doc_id in docs.items()} == expected
        assert s.get(DocumentRow, docs["annat.txt"]).minhash is not None  # type: ignore[union-attr]
    assert expected["kort.txt"] == [] and len(expected["annat.txt"]) == 16
    b = tmp_path / "lokaltidningen.txt"
    b.write_text(PRESS + " Frågor besvaras av bibliotekschefen.", encoding="utf-8")
    assert [r.near_duplicates for r in ingest(store, [str(b)]).inputs] == [1]


def test_a_failed_input_leaves_no_trace_in_the_duplicate_index(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A near-duplicate must point at a stored document, never at a rolled-back one: an input
    that fails after its keys were written takes them with it."""
    from lofte.store import near_duplicates

    real = near_duplicates.replace_keys

    def then_fail(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        raise RuntimeError("the disk is full")

    a = tmp_path / "kommunen.txt"
    a.write_text(PRESS, encoding="utf-8")
    monkeypatch.setattr(near_duplicates, "replace_keys", then_fail)
    (failed,) = ingest(store, [str(a)]).inputs
    assert failed.error and "disk is full" in failed.error
    monkeypatch.undo()
    b = tmp_path / "lokaltidningen.txt"
    b.write_text(PRESS + " Frågor besvaras av bibliotekschefen.", encoding="utf-8")
    (stored,) = ingest(store, [str(b)]).inputs
    assert stored.inserted == 1 and stored.near_duplicates == 0
    (doc,) = _documents(store)
    assert doc.duplicate_of is None


# -- URLs ----------------------------------------------------------------------------------------

ARTICLE = (
    "<html><head><title>Ny simhall i Norrvik</title>"
    "<meta property='article:published_time' content='2024-03-05T09:00:00+01:00'></head>"
    "<body><article><h1>Ny simhall i Norrvik</h1><p>" + PRESS + "</p><p>" + GOOD + "</p>"
    "</article></body></html>"
)


class _Site(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        _Site.seen.append(f"{self.path} {self.headers.get('User-Agent')}")
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nDisallow: /hemligt/\n", "text/plain"
        elif self.path == "/nyhet":
            body, kind = ARTICLE.encode("utf-8"), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Site.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_politely_and_parsed(sqlite_store: Store, site: str) -> None:
    settings = Settings(fetch_min_interval=0.0, fetch_timeout=5.0, fetch_allow_hosts="127.0.0.1")
    report = ingest(
        sqlite_store,
        [f"{site}/nyhet", f"{site}/hemligt/plan", f"{site}/saknas"],
        settings=settings,
    )
    by_url = {r.origin: r for r in report.inputs}
    assert by_url[f"{site}/nyhet"].outcome is Outcome.INSERTED
    assert by_url[f"{site}/nyhet"].reader == "html-article"
    assert "robots.txt" in (by_url[f"{site}/hemligt/plan"].error or "")
    assert "404" in (by_url[f"{site}/saknas"].error or "")
    assert not any(line.startswith("/hemligt/") for line in _Site.seen)
    assert all("Lofte" in line for line in _Site.seen)
    (doc,) = _documents(sqlite_store)
    assert doc.title == "Ny simhall i Norrvik"
    assert "Hamnstaden" in doc.body
    assert doc.date is not None and doc.date.value.isoformat() == "2024-03-05"
    assert doc.date.provenance is DateProvenance.EXPLICIT
    with sqlite_store.session() as s:
        assert s.scalar(select(DocumentRow.url)) == f"{site}/nyhet"


def test_a_redirect_to_an_internal_page_stores_nothing(store: Store) -> None:
    """Issue 9, item 5: a public page redirecting to an internal one must not be ingested."""
    with local_sites(2) as (public, internal):
        internal.page("/secret", ARTICLE.encode("utf-8"))
        public.redirect("/x", internal.url("/secret"))
        settings = Settings(
            fetch_min_interval=0.0, fetch_timeout=5.0, fetch_allow_hosts=f"127.0.0.1:{public.port}"
        )
        report = ingest(store, [public.url("/x")], settings=settings)
        assert internal.seen == []
    (item,) = report.inputs
    assert item.outcome is Outcome.FAILED
    assert "refused" in (item.error or "") and "loopback" in (item.error or "")
    assert _documents(store) == []


def test_a_trickling_url_fails_at_the_deadline_and_the_batch_goes_on(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """Issue 9, item 4(a): one byte every 0.5 s must not hold the batch past the deadline."""
    after = tmp_path / "nyhet.html"
    after.write_text(ARTICLE, encoding="utf-8")
    with local_sites(1) as (site,):
        site.trickle("/droppar", interval=0.5, total=40)  # 20 s without a deadline
        settings = Settings(
            fetch_min_interval=0.0,
            fetch_timeout=5.0,
            fetch_deadline=1.5,
            fetch_allow_hosts=f"127.0.0.1:{site.port}",
        )
        start = time.monotonic()
        done: list[float] = []  # when each input's report came in
        report, _ = finishes_within(
            90,  # the second input may load the language data for the first time: slow
            lambda: ingest(
                sqlite_store,
                [site.url("/droppar"), str(after)],
                settings=settings,
                on_input=lambda item: done.append(time.monotonic() - start),
            ),
        )
    assert not isinstance(report, BaseException), report
    slow, next_one = report.inputs
    assert slow.outcome is Outcome.FAILED and "deadline of 1.5 s" in (slow.error or "")
    assert done[0] < 5
    assert next_one.outcome is Outcome.INSERTED
    assert [d.title for d in _documents(sqlite_store)] == ["Ny simhall i Norrvik"]


def test_only_web_links_are_kept(sqlite_store: Store, tmp_path: Path) -> None:
    feed = tmp_path / "flode.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Norrvik</title>"
        "<item><title>Ny simhall</title><link>javascript:alert(1)</link>"
        "<description>Bygget av simhallen startar i mars.</description></item>"
        "<item><title>Nytt bibliotek</title><link>https://norrvik.example/bibliotek</link>"
        "<description>Biblioteket flyttar till torget.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    assert not ingest(sqlite_store, [str(feed)]).failed
    urls = {d.title: d.url for d in _documents(sqlite_store)}
    assert urls == {"Ny simhall": None, "Nytt bibliotek": "https://norrvik.example/bibliotek"}


def test_an_input_s_near_duplicates_are_looked_up_in_one_statement(
    store: Store, tmp_path: Path
) -> None:
    import json

    from sqlalchemy import event

    a = tmp_path / "kommunen.txt"
    a.write_text(PRESS, encoding="utf-8")
    ingest(store, [str(a)])
    words = GOOD.split()
    items = [
        {"id": f"k{i}", "title": f"Nyhet {i}", "body": " ".join(words[i:] + words[:i]) * 2}
        for i in range(20)
    ]
    items.append({"id": "kopia", "title": "Kopia", "body": PRESS + " Frågor till chefen."})
    path = tmp_path / "nyheter.json"
    path.write_text(json.dumps({"documents": items}), encoding="utf-8")
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    from lofte import ingest as ingest_mod

    keyed: list[int] = []
    real_keys = ingest_mod.band_keys
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ingest_mod, "band_keys", lambda sig: keyed.append(1) or real_keys(sig))
            (report,) = ingest(store, [str(path)], workers=1).inputs
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert (report.inserted, report.near_duplicates) == (21, 1)
    assert len(keyed) == 21  # each text's keys made once, for the look-up and the write
    looked_up = [q for q in seen if q.startswith("SELECT") and "document_bands" in q]
    assert len(looked_up) == 1
    assert sum(q.startswith("INSERT INTO document_bands") for q in seen) == 1
    assert not [q for q in seen if q.startswith("DELETE FROM document_bands")]  # all new


def test_a_document_another_process_committed_is_found_as_an_original(store: Store) -> None:
    """Two ingesting processes (two lookups): each sees what the other committed after it
    started, since the keys are read from the database for every input."""
    from lofte.ingest import NearDuplicates, ingest_raw
    from lofte.model import RawInput

    first, second = NearDuplicates(), NearDuplicates()
    other = GOOD + " " + GOOD.replace("simhall", "ishall")
    assert ingest_raw(store, RawInput(other.encode(), "annat.txt"), near=first).inserted == 1
    assert ingest_raw(store, RawInput(PRESS.encode(), "kommunen.txt"), near=second).inserted == 1
    copy = RawInput((PRESS + " Frågor till chefen.").encode(), "kopia.txt")
    assert ingest_raw(store, copy, near=first).near_duplicates == 1


def test_a_feed_s_entities_not_expanded_are_a_warning_naming_it(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """A well-formed feed whose DTD declares nested entities was stored with the misleading
    warning "malformed feed (line 2, column 0: syntax error)"."""
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" if i > 1 else "&lol;"}{"&lol;" * 9}">'
        for i in range(1, 10)
    )
    feed = tmp_path / "skratt.xml"
    feed.write_text(
        f"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE rss [{laughs}]>\n"
        "<rss version='2.0'><channel><title>Norrvik</title>"
        "<item><title>Ny simhall &lol9;</title><link>https://norrvik.example/simhall</link>"
        "<description>Bygget av simhallen startar i mars.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    (item,) = ingest(sqlite_store, [str(feed)]).inputs
    assert item.outcome is Outcome.INSERTED and item.origin == str(feed)
    assert not any("malformed" in w or "syntax error" in w for w in item.warnings)
    (warning,) = item.warnings
    assert "DTD declares entities that are not expanded, for safety" in warning
    assert "lol1, lol2" in warning
    (doc,) = _documents(sqlite_store)
    assert doc.title == "Ny simhall &lol9;" and "lol" * 20 not in doc.body


def test_a_feed_entry_dated_after_the_reading_is_stored_undated_with_a_warning(
    sqlite_store: Store, tmp_path: Path
) -> None:
    feed = tmp_path / "framtid.xml"
    feed.write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel><title>N</title>"
        "<item><title>Simhallen</title><link>https://norrvik.example/s</link>"
        "<description>Bygget startar.</description>"
        "<pubDate>Fri, 31 Dec 9999 23:59:59 +0000</pubDate></item></channel></rss>",
        encoding="utf-8",
    )
    (item,) = ingest(sqlite_store, [str(feed)]).inputs
    assert item.outcome is Outcome.INSERTED
    assert any(
        "1 entry dated after the day the feed was read (9999-12-31) kept" in w
        for w in item.warnings
    )
    (doc,) = _documents(sqlite_store)
    assert doc.date is None or doc.date.provenance.value == "inferred"


def test_a_feed_s_early_and_unreadable_dates_are_kept_out_with_a_warning_each(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """QA: `Mon, 01 Jan 0001` was stored as 2001-01-01 (explicit), and `igår` and
    `30 Feb 2023` were dropped without a word."""
    dates = [
        "Mon, 01 Jan 0001 00:00:00 +0000",
        "igår",
        "Mon, 30 Feb 2023 10:00:00 +0000",
        "Fri, 31 Dec 9999 23:59:59 +0000",
        "Tue, 05 Mar 2024 10:00:00 +0000",
    ]
    items = "".join(
        f"<item><title>Nyhet {i}</title><link>https://norrvik.example/{i}</link>"
        f"<description>Bygget av simhall nummer {i} startar.</description>"
        f"<pubDate>{date}</pubDate></item>"
        for i, date in enumerate(dates)
    )
    feed = tmp_path / "datum.xml"
    feed.write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel><title>N</title>"
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    (item,) = ingest(sqlite_store, [str(feed)]).inputs
    assert item.outcome is Outcome.INSERTED and item.inserted == 5
    assert item.warnings == [
        "1 entry dated after the day the feed was read (9999-12-31) kept without a date",
        "1 entry dated before 1900 (0001-01-01) kept without a date",
        '2 entries with a date that cannot be read ("Mon, 30 Feb 2023 10:00:00 +0000", '
        '"igår") kept without a date',
    ]
    explicit = {
        d.title: d.date.value
        for d in _documents(sqlite_store)
        if d.date is not None and d.date.provenance is DateProvenance.EXPLICIT
    }
    assert explicit == {"Nyhet 4": dt.date(2024, 3, 5)}


def test_atom_html_and_xhtml_bodies_are_stored_as_text(sqlite_store: Store, tmp_path: Path) -> None:
    """QA: stored as '<p>Ny <b>skola</b> i Uppsala.</p>' and
    '<p>Budget &amp; skatter i G&auml;vle</p>'."""
    feed = tmp_path / "atom.xml"
    feed.write_text(
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Atom</title><id>urn:y</id><updated>2023-05-01T00:00:00Z</updated>"
        "<entry><title>Xhtml</title><id>urn:y2</id><updated>2023-05-04T10:00:00Z</updated>"
        "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>Ny <b>skola</b> "
        "i Uppsala.</p></div></content></entry>"
        "<entry><title>Html</title><id>urn:y3</id><updated>2023-05-05T10:00:00Z</updated>"
        "<content type='html'>&lt;p&gt;Budget &amp;amp; skatter i G&amp;auml;vle&lt;/p&gt;"
        "</content></entry></feed>",
        encoding="utf-8",
    )
    (item,) = ingest(sqlite_store, [str(feed)]).inputs
    assert item.outcome is Outcome.INSERTED and not item.warnings
    bodies = {d.title: d.body for d in _documents(sqlite_store)}
    assert bodies == {"Xhtml": "Ny skola i Uppsala.", "Html": "Budget & skatter i Gävle"}


def test_a_reference_to_an_external_entity_is_stored_as_written(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """QA: "satsar &xxe; på" was stored as "satsar &xxe på"; docs/cli.md says references to
    entities not expanded are left as written."""
    feed = tmp_path / "xxe.xml"
    feed.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<rss version="2.0"><channel><title>Flöde</title><item><title>Läckan &xxe;</title>'
        "<link>https://norrvik.example/xxe</link><description>Kommunen satsar &xxe; på "
        "skolor.</description></item></channel></rss>",
        encoding="utf-8",
    )
    (item,) = ingest(sqlite_store, [str(feed)]).inputs
    assert item.outcome is Outcome.INSERTED
    (doc,) = _documents(sqlite_store)
    assert (doc.title, doc.body) == ("Läckan &xxe;", "Kommunen satsar &xxe; på skolor.")


def test_a_feed_cut_short_leaves_its_stored_entries_as_they_were(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """QA: a feed that arrived cut off inside an entry's description replaced that stored
    entry's body with an empty one, and the run said ok."""
    items = [
        ("simhall", "Ny simhall", "Bygget av simhallen i Norrvik startar i mars nästa år."),
        ("bibliotek", "Biblioteket öppnar", "Kvarnby bibliotek öppnar på söndagar från maj."),
    ]
    whole = "".join(
        f"<item><title>{t}</title><link>https://norrvik.example/{k}</link>"
        f"<description>{d}</description></item>"
        for k, t, d in items
    )
    feed = tmp_path / "nyheter.xml"
    head = "<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel><title>N</title>"
    feed.write_text(f"{head}{whole}</channel></rss>", encoding="utf-8")
    (first,) = ingest(sqlite_store, [str(feed)]).inputs
    assert first.inserted == 2
    before = {d.title: d.body for d in _documents(sqlite_store)}
    feed.write_text(f"{head}{whole[: whole.index('Kvarnby') + 7]}", encoding="utf-8")  # cut off
    (second,) = ingest(sqlite_store, [str(feed)]).inputs
    # the entry cut off without its text is not read (sources/feed.py); the other is as stored
    assert second.error is None and second.updated == 0 and second.unchanged == 1
    assert any("may be cut short" in w for w in second.warnings), second.warnings
    assert {d.title: d.body for d in _documents(sqlite_store)} == before
    # an entry of a malformed feed that reads whole but other: the stored text stays too
    other = whole.replace("på söndagar från maj", "på lördagar")
    feed.write_text(f"{head}{other[: other.rindex('</description>') + 14]}", encoding="utf-8")
    (third,) = ingest(sqlite_store, [str(feed)]).inputs
    assert third.error is None and third.updated == 0 and third.unchanged == 2, third
    assert any("left as stored" in w for w in third.warnings), third.warnings
    assert {d.title: d.body for d in _documents(sqlite_store)} == before
