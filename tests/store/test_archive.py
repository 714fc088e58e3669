"""Archived responses: a WARC record per fetched response, read back with warcio."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from lofte.errors import NotFoundError
from lofte.model import RawInput
from lofte.store import archive
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import ArchivedResponseRow, DocumentRow

PAGE = "<html><body><h1>Simhallen</h1><p>Invigd i dag – åäö.</p></body></html>".encode()
WHEN = dt.datetime(2024, 3, 5, 10, 30, 15, tzinfo=dt.UTC)
_made: list[int] = []  # documents made, for unique origins


def _raw(data: bytes = PAGE, url: str = "https://example.org/nyhet", **kw: object) -> RawInput:
    values: dict[object, object] = {
        "media_type": "text/html",
        "fetched_at": WHEN,
        "http_headers": {
            "content-type": "text/html; charset=utf-8",
            "etag": '"v1"',
            "content-encoding": "gzip",  # the payload kept is decoded: this header must go
            "content-length": "12",
        },
        "http_status": 200,
    } | kw
    return RawInput(data, url, **values)  # type: ignore[arg-type]


def _document(store: Store, archive_id: int | None, tracker: str = "t") -> int:
    _made.append(1)
    with store.session() as s:
        t = tracker_store.ensure_tracker(s, tracker)
        raw = document_store.put_raw(s, b"x", "text/plain")
        row = DocumentRow(
            tracker_id=t.id,
            origin=f"doc-{len(_made)}",
            item_key="0",
            kind="news",
            title="Nyhet",
            body="Text",
            content_hash=f"h{len(_made)}",
            raw_sha256=raw,
            stage="parse:test",
            stage_version="1",
            archive_id=archive_id,
        )
        s.add(row)
        s.flush()
        return row.id


def test_a_record_round_trips_with_its_status_headers_time_and_hash(store: Store) -> None:
    with store.session() as s:
        archive_id = archive.archive_raw(s, _raw(http_status=203))
    with store.session() as s:
        copy = archive.archived_copy(s, archive_id)
        row = s.get(ArchivedResponseRow, archive_id)
        assert row is not None
        warc = row.warc
    assert copy.url == "https://example.org/nyhet"
    assert copy.status == 203  # the fetch's status, not a default
    assert copy.payload == PAGE
    assert copy.payload_sha256 == hashlib.sha256(PAGE).hexdigest()
    assert copy.fetched_at == dt.datetime(2024, 3, 5, 10, 30, 15)  # UTC, naive as stored
    headers = {k.lower(): v for k, v in copy.headers}
    assert headers["etag"] == '"v1"' and "content-encoding" not in headers
    assert headers["content-length"] == str(len(PAGE))  # of the payload kept
    (record,) = list(ArchiveIterator(io.BytesIO(warc)))
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Date") == "2024-03-05T10:30:15Z"
    assert record.rec_headers.get_header("WARC-Target-URI") == "https://example.org/nyhet"


def test_ensure_archived_reuses_a_record_of_the_same_url_and_payload(store: Store) -> None:
    with store.session() as s:
        first = archive.ensure_archived(s, _raw())
        again = archive.ensure_archived(s, _raw(fetched_at=WHEN + dt.timedelta(days=1)))
        changed = archive.ensure_archived(s, _raw(PAGE + b"<!-- ny -->"))
        elsewhere = archive.ensure_archived(s, _raw(url="https://example.org/annan"))
        count = s.query(ArchivedResponseRow).count()
    assert again == first
    assert len({first, changed, elsewhere}) == 3 and count == 3


def test_only_http_responses_with_a_fetch_time_are_archived() -> None:
    assert archive.is_fetched(_raw())
    assert archive.is_fetched(_raw(url="HTTP://example.org/x"))
    assert not archive.is_fetched(_raw(fetched_at=None))
    assert not archive.is_fetched(_raw(url="upload:abc/fil.txt"))
    assert not archive.is_fetched(_raw(url="/srv/data/fil.html"))


def test_a_tracker_s_records_make_one_warc_file(store: Store) -> None:
    with store.session() as s:
        a = archive.archive_raw(s, _raw())
        b = archive.archive_raw(s, _raw(b"%PDF-1.4 binary", "https://example.org/b.pdf"))
        other = archive.archive_raw(s, _raw(url="https://example.org/annan"))
    _document(store, a)
    _document(store, b)
    _document(store, b, tracker="t")  # two documents of one record: the record once
    _document(store, other, tracker="u")
    with store.session() as s:
        tracker_id = tracker_store.get_tracker(s, "t").id
        ids = archive.archive_ids(s, [tracker_id])
        out = io.BytesIO()
        written = archive.warc_file(s, ids, out)
    assert ids == [a, b] and written == 2
    got = {  # each record read while iterating: the iterator moves on in the stream
        r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
        for r in ArchiveIterator(io.BytesIO(out.getvalue()))
        if r.rec_type == "response"
    }
    assert got == {
        "https://example.org/nyhet": PAGE,
        "https://example.org/b.pdf": b"%PDF-1.4 binary",
    }


def test_documents_point_at_their_record_and_pages_find_it(store: Store) -> None:
    with store.session() as s:
        a = archive.archive_raw(s, _raw())
        b = archive.archive_raw(s, _raw(url="https://example.org/b"))
    own, kept = _document(store, None), _document(store, b, tracker="v")
    with store.session() as s:
        archive.set_document_archive(s, [own], a)
        archive.set_document_archive(s, [kept], a, only_missing=True)  # has one: kept
    with store.session() as s:
        found = archive.document_archives(s, [own, kept, 999])
        t = tracker_store.get_tracker(s, "t").id
        assert archive.archive_in_tracker(s, a, t)
        assert not archive.archive_in_tracker(s, b, t)
        assert archive.archive_documents(s, a, t) == [(own, "Nyhet")]
        assert archive.warc_bytes(s, a).startswith(b"\x1f\x8b")  # gzip
        with pytest.raises(NotFoundError):
            archive.warc_bytes(s, 999)
        with pytest.raises(NotFoundError):
            archive.archived_copy(s, 999)
    assert found[own].id == a and found[kept].id == b and 999 not in found
    assert found[own].fetched_at == dt.datetime(2024, 3, 5, 10, 30, 15)


def test_a_redirected_fetch_is_kept_under_its_final_url_without_cookies(store: Store) -> None:
    """The fetcher names the URL a redirect ended at in Content-Location: the record is that
    page's; cookies the site set for the fetcher are not kept (the copy's page is public)."""
    headers = {
        "content-type": "text/html",
        "content-location": "https://example.org/nyheter/2024/simhall",
        "set-cookie": "session=hemlig; HttpOnly",
    }
    raw = _raw(http_headers=headers)
    with store.session() as s:
        archive_id = archive.ensure_archived(s, raw)
        assert archive.ensure_archived(s, raw) == archive_id  # found again under the same URL
        copy = archive.archived_copy(s, archive_id)
    assert copy.url == "https://example.org/nyheter/2024/simhall"
    assert "set-cookie" not in {k.lower() for k, _ in copy.headers}
    assert ("content-type", "text/html") in copy.headers
