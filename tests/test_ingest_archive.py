"""Ingest archives what it fetched: a URL's documents point at the WARC record of the response,
in the same transaction as the documents (issue 15, item 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from lofte.config import Settings
from lofte.ingest import IngestOptions, ingest, ingest_raw
from lofte.model import RawInput
from lofte.review import evidence as attach
from lofte.sources.fetch import Politeness, fetch_raw
from lofte.store import archive
from lofte.store import documents as document_store
from lofte.store.db import Store
from lofte.store.schema import ArchivedResponseRow, DocumentRow
from tests.localweb import local_sites
from tests.review.fixtures import pledge_with_evidence

ARTICLE = (
    "<html><head><title>Ny simhall i Norrvik</title>"
    "<meta property='article:published_time' content='2024-03-05T09:00:00+01:00'></head>"
    "<body><article><h1>Ny simhall i Norrvik</h1><p>Den nya simhallen i Norrvik invigdes i dag "
    "av kommunalrådet, som lovade längre öppettider.</p></article></body></html>"
)
URL = "https://example.org/nyheter/simhall"


def _archives(store: Store) -> list[ArchivedResponseRow]:
    with store.session() as s:
        rows = list(s.scalars(select(ArchivedResponseRow).order_by(ArchivedResponseRow.id)))
        s.expunge_all()
        return rows


def _archive_ids(store: Store) -> dict[str, int | None]:
    with store.session() as s:
        return {o: a for o, a in s.execute(select(DocumentRow.origin, DocumentRow.archive_id))}


def _fetched(data: str = ARTICLE, url: str = URL, **kw: Any) -> RawInput:
    values: dict[str, Any] = {
        "media_type": "text/html",
        "fetched_at": dt.datetime(2024, 3, 5, 12, 0, tzinfo=dt.UTC),
        "http_headers": {"content-type": "text/html; charset=utf-8"},
        "http_status": 200,
    } | kw
    return RawInput(data.encode(), url, **values)


def test_a_url_fetched_from_a_local_server_keeps_its_response(store: Store) -> None:
    with local_sites(1) as (site,):
        site.page("/nyhet", ARTICLE.encode())
        settings = Settings(
            fetch_min_interval=0.0,
            fetch_timeout=5.0,
            fetch_allow_hosts=f"127.0.0.1:{site.port}",
            _env_file=None,  # type: ignore[call-arg]
        )
        first = ingest(store, [site.url("/nyhet")], settings=settings)
        again = ingest(store, [site.url("/nyhet")], settings=settings)
    assert first.inputs[0].inserted == 1 and again.inputs[0].unchanged == 1
    (row,) = _archives(store)  # the second fetch, same payload: the same record
    assert row.url == site.url("/nyhet") and row.status == 200
    assert row.payload_sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert _archive_ids(store) == {site.url("/nyhet"): row.id}
    with store.session() as s:
        copy = archive.archived_copy(s, row.id)
    assert copy.payload == ARTICLE.encode()
    assert ("content-type", "text/html; charset=utf-8") in copy.headers
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert now - dt.timedelta(minutes=10) < copy.fetched_at <= now  # UTC, as stored


def test_a_response_that_changes_no_document_adds_no_record(store: Store) -> None:
    """A page whose bytes change but whose text does not (a build date, a comment) keeps the
    copy its document was first read from: no record per fetch. A changed text gets one."""
    options = IngestOptions(tracker="t")
    assert ingest_raw(store, _fetched(), options).inserted == 1
    again = ingest_raw(store, _fetched(ARTICLE.replace("</html>", "<!-- 2 --></html>")), options)
    assert again.error is None and again.unchanged == 1  # the text is the same
    (first,) = _archives(store)
    assert _archive_ids(store) == {URL: first.id}
    changed = ARTICLE.replace("simhall", "simhall och en ishall")
    assert "ishall" in changed
    assert ingest_raw(store, _fetched(changed), options).updated == 1
    first_again, second = _archives(store)
    assert first_again.id == first.id
    assert _archive_ids(store) == {URL: second.id}  # the document shows what it now says


def test_files_uploads_and_unfetched_inputs_keep_no_record(store: Store) -> None:
    options = IngestOptions(tracker="t")
    ingest_raw(store, _fetched(url="/srv/sidor/simhall.html", fetched_at=None), options)
    ingest_raw(store, _fetched(url="upload:abc/simhall.html"), options)
    assert _archives(store) == []
    assert set(_archive_ids(store).values()) == {None}


def test_a_failing_store_leaves_no_record(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(document_store, "save_document", broken)
    report = ingest_raw(store, _fetched(), IngestOptions(tracker="t"))
    assert report.error is not None and "disk full" in report.error
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ArchivedResponseRow)) == 0
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == 0


def test_an_exact_repeat_of_another_document_gets_a_record_only_if_it_had_none(
    store: Store,
) -> None:
    """A URL that only repeats a stored document adds no record: the document keeps the copy
    of its own URL, and no document points at the repeat's."""
    options = IngestOptions(tracker="t")
    ingest_raw(store, _fetched(), options)
    repeat = ingest_raw(store, _fetched(url="https://example.org/kopia"), options)
    assert repeat.duplicates == 1
    (original,) = _archives(store)
    assert _archive_ids(store) == {URL: original.id}


def test_evidence_attached_from_a_url_is_archived(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    done = attach.attach_url(store, pledge_id, URL, actor="anna", fetch=lambda u: _fetched(url=u))
    with store.session() as s:
        found = archive.document_archives(s, [done.document_id])
        assert done.document_id in found
        copy = archive.archived_copy(s, found[done.document_id].id)
    assert copy.url == URL and copy.payload == ARTICLE.encode()


def test_the_status_and_headers_of_the_fetch_are_the_record_s(store: Store) -> None:
    """Through the fetcher (an httpx MockTransport): a 203 answer is archived as 203, with the
    server's headers, and the document points at it."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(
            203, headers={"content-type": "text/html", "x-served-by": "test"}, text=ARTICLE
        )

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        raw = fetch_raw(URL, client=client, politeness=Politeness(min_interval=0.0))
    assert raw.http_status == 203 and raw.fetched_at is not None
    assert ingest_raw(store, raw, IngestOptions(tracker="t")).inserted == 1
    (row,) = _archives(store)
    assert row.status == 203 and _archive_ids(store) == {URL: row.id}
    with store.session() as s:
        headers = dict(archive.archived_copy(s, row.id).headers)
    assert headers["x-served-by"] == "test"


def test_a_gzipped_body_is_read_unpacked_and_archived_as_fetched(sqlite_store: Store) -> None:
    """A `.gz` served as application/gzip or application/octet-stream, and a feed gzipped
    without Content-Encoding, are read (and stored) unpacked, within LOFTE_MAX_INPUT_BYTES; the
    archived copy is the response as it came. They failed as binary data."""
    import gzip

    from lofte.store.schema import RawBlobRow

    items = [(n, f"Ny simhall {n}", f"Bygget av simhall nummer {n} startar i mars.") for n in "12"]
    feed = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Norrvik</title>"
        + "".join(
            f"<item><title>{t}</title><link>https://norrvik.example/{n}</link>"
            f"<description>{d}</description></item>"
            for n, t, d in items
        )
        + "</channel></rss>"
    ).encode()
    packed = gzip.compress(feed)
    with local_sites(1) as (site,):
        site.page("/flode.xml.gz", packed, "application/gzip")
        site.page("/flode.bin", packed, "application/octet-stream")
        site.page("/flode.rss", packed, "application/rss+xml")
        site.page("/bomb.xml.gz", gzip.compress(feed + b" " * 400_000), "application/gzip")
        settings = Settings(
            fetch_min_interval=0.0,
            fetch_timeout=5.0,
            fetch_allow_hosts=f"127.0.0.1:{site.port}",
            max_input_bytes=100_000,
            _env_file=None,  # type: ignore[call-arg]
        )
        paths = ["/flode.xml.gz", "/flode.bin", "/flode.rss", "/bomb.xml.gz"]
        report = ingest(sqlite_store, [site.url(p) for p in paths], settings=settings)
    by_path = dict(zip(paths, report.inputs, strict=True))
    for path in paths[:3]:
        assert by_path[path].error is None and by_path[path].reader == "feed", path
        assert by_path[path].inserted + by_path[path].unchanged == 2, path
    bomb = by_path["/bomb.xml.gz"]
    assert bomb.error is not None and "larger than 100,000 bytes" in bomb.error
    assert bomb.origin == site.url("/bomb.xml.gz")  # the report names the URL
    with sqlite_store.session() as s:
        (blob,) = s.scalars(select(RawBlobRow)).all()  # what the reader read: the feed itself
        assert blob.data == feed
    (copy,) = _archives(sqlite_store)  # the response as fetched, gzipped
    assert copy.payload_sha256 == hashlib.sha256(packed).hexdigest()
    with sqlite_store.session() as s:
        assert archive.archived_copy(s, copy.id).payload == packed
    assert set(_archive_ids(sqlite_store).values()) == {copy.id}
