"""Archived copies of fetched responses, one gzipped WARC `response` record each (warcio).

A document read from a URL points at the record of the response it was read from
(`documents.archive_id`), so the source of a verdict survives the original page changing or
disappearing. The record keeps the status line, the headers as received and the payload; its
WARC-Date is the fetch time and `payload_sha256` is the SHA-256 of the payload. Records are
concatenated as they are into a WARC file (`warc_file`): a gzipped WARC is a series of gzip
members, one per record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import BinaryIO
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..errors import NotFoundError
from ..model import RawInput
from .db import id_chunks
from .schema import ArchivedResponseRow, DocumentRow

# Headers not kept: those that describe the bytes as sent on the wire (the payload kept is
# already decoded), and cookies the site set for our fetcher (shown on a public page).
_TRANSFER_HEADERS = frozenset(
    ["content-encoding", "transfer-encoding", "content-length", "set-cookie"]
)


@dataclass(frozen=True)
class ArchivedCopy:
    id: int
    url: str
    fetched_at: dt.datetime
    status: int
    media_type: str | None
    payload_sha256: str
    headers: tuple[tuple[str, str], ...]
    payload: bytes


def warc_record(
    url: str, status: int, headers: Mapping[str, str], payload: bytes, fetched_at: dt.datetime
) -> bytes:
    """One gzipped WARC response record for a fetched URL."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    kept = [(k, v) for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS]
    kept.append(("Content-Length", str(len(payload))))
    http = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol="HTTP/1.1")
    when = fetched_at.astimezone(dt.UTC) if fetched_at.tzinfo else fetched_at
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    writer.write_record(record)
    return out.getvalue()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_record(data: bytes) -> tuple[str, int, tuple[tuple[str, str], ...], bytes]:
    """(URL, status, headers, payload) of one stored record."""
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        http = record.http_headers
        status = int(http.get_statuscode()) if http is not None else 0
        headers = tuple((str(k), str(v)) for k, v in http.headers) if http is not None else ()
        url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
        return url, status, headers, record.content_stream().read()
    raise ValueError("no WARC response record")


def is_fetched(raw: RawInput) -> bool:
    """Whether `raw` is a response fetched over HTTP (an http(s) origin and a fetch time), the
    inputs whose documents keep an archived copy; files and uploads have none."""
    scheme = urlsplit(raw.origin).scheme.lower()
    return scheme in ("http", "https") and raw.fetched_at is not None


def archive_raw(session: Session, raw: RawInput, status: int | None = None) -> int:
    """Store the response a `RawInput` was fetched from; returns the archive id.

    `status`: the HTTP status (default: the one the fetch recorded, else 200)."""
    fetched_at = raw.fetched_at or dt.datetime.now(dt.UTC)
    status = status or raw.http_status or 200
    headers = dict(raw.http_headers or {})
    url = target_url(raw)
    row = ArchivedResponseRow(
        url=url,
        fetched_at=_utc_naive(fetched_at),
        status=status,
        media_type=raw.media_type,
        payload_sha256=hashlib.sha256(raw.data).hexdigest(),
        warc=warc_record(url, status, headers, raw.data, fetched_at),
    )
    session.add(row)
    session.flush()
    return row.id


def target_url(raw: RawInput) -> str:
    """The URL the kept response came from: after redirects (the fetcher names it in
    Content-Location), else the one asked for."""
    final = {k.lower(): v for k, v in (raw.http_headers or {}).items()}.get("content-location")
    if final and urlsplit(final).scheme.lower() in ("http", "https"):
        return final
    return raw.origin


def _utc_naive(value: dt.datetime) -> dt.datetime:
    """The column holds UTC without a zone (both databases read it back the same)."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def find_archive(session: Session, url: str, payload_sha256: str) -> int | None:
    """The oldest record of this URL with this payload, if one is stored."""
    query = (
        select(ArchivedResponseRow.id)
        .where(ArchivedResponseRow.url == url, ArchivedResponseRow.payload_sha256 == payload_sha256)
        .order_by(ArchivedResponseRow.id)
        .limit(1)
    )
    return session.scalar(query)


def ensure_archived(session: Session, raw: RawInput) -> int:
    """The archive id of a fetched response: the stored record when the same URL gave the same
    payload before (a re-fetch adds nothing), else a new one. Called inside the transaction
    that stores the input's documents, so a failed input leaves no record behind."""
    found = find_archive(session, target_url(raw), hashlib.sha256(raw.data).hexdigest())
    return found if found is not None else archive_raw(session, raw)


def set_document_archive(
    session: Session, document_ids: Iterable[int], archive_id: int, *, only_missing: bool = False
) -> None:
    """Point documents at the record they were read from; `only_missing`: only those without
    one (a document another input repeats keeps the copy of its own origin). Rows already
    pointing there are left alone, so an unchanged re-fetch changes no row."""
    ids = sorted(set(document_ids))
    if not ids:
        return
    query = update(DocumentRow).where(DocumentRow.id.in_(ids))
    if only_missing:
        query = query.where(DocumentRow.archive_id.is_(None))
    else:
        query = query.where(
            or_(DocumentRow.archive_id.is_(None), DocumentRow.archive_id != archive_id)
        )
    session.execute(query.values(archive_id=archive_id))


def without_archive(session: Session, document_ids: Iterable[int]) -> list[int]:
    """Those of the documents that point at no archived copy."""
    found: list[int] = []
    for chunk in id_chunks(set(document_ids)):
        query = select(DocumentRow.id).where(
            DocumentRow.id.in_(chunk), DocumentRow.archive_id.is_(None)
        )
        found += session.scalars(query)
    return found


@dataclass(frozen=True)
class ArchiveRef:
    """What a page or the final account shows beside a document: its archived copy's id,
    fetch time (UTC), URL and payload SHA-256 (not the stored bytes)."""

    id: int
    fetched_at: dt.datetime
    url: str = ""
    payload_sha256: str = ""


def document_archives(session: Session, document_ids: Iterable[int]) -> dict[int, ArchiveRef]:
    """Document id -> its archived copy, for the documents that have one (one query)."""
    found: dict[int, ArchiveRef] = {}
    for chunk in id_chunks(set(document_ids)):
        query = (
            select(
                DocumentRow.id,
                ArchivedResponseRow.id,
                ArchivedResponseRow.fetched_at,
                ArchivedResponseRow.url,
                ArchivedResponseRow.payload_sha256,
            )
            .join(ArchivedResponseRow, ArchivedResponseRow.id == DocumentRow.archive_id)
            .where(DocumentRow.id.in_(chunk))
        )
        found |= {row[0]: ArchiveRef(*row[1:]) for row in session.execute(query)}
    return found


def archive_in_tracker(session: Session, archive_id: int, tracker_id: int) -> bool:
    """Whether a document of the tracker was read from this record (the pages' scope)."""
    query = (
        select(DocumentRow.id)
        .where(DocumentRow.tracker_id == tracker_id, DocumentRow.archive_id == archive_id)
        .limit(1)
    )
    return session.scalar(query) is not None


def archive_documents(session: Session, archive_id: int, tracker_id: int) -> list[tuple[int, str]]:
    """(id, title) of the tracker's documents read from this record, in id order."""
    query = (
        select(DocumentRow.id, DocumentRow.title)
        .where(DocumentRow.tracker_id == tracker_id, DocumentRow.archive_id == archive_id)
        .order_by(DocumentRow.id)
    )
    return [(i, title) for i, title in session.execute(query)]


def warc_bytes(session: Session, archive_id: int) -> bytes:
    """One stored record, as stored (a gzipped WARC file of one record)."""
    data = session.scalar(
        select(ArchivedResponseRow.warc).where(ArchivedResponseRow.id == archive_id)
    )
    if data is None:
        raise NotFoundError(f"no archived copy {archive_id}")
    return bytes(data)


def payload_sha256(session: Session, archive_id: int) -> str:
    """The record's payload hash, without reading the record."""
    found = session.scalar(
        select(ArchivedResponseRow.payload_sha256).where(ArchivedResponseRow.id == archive_id)
    )
    if found is None:
        raise NotFoundError(f"no archived copy {archive_id}")
    return found


def archived_copy(session: Session, archive_id: int) -> ArchivedCopy:
    row = session.get(ArchivedResponseRow, archive_id)
    if row is None:
        raise NotFoundError(f"no archived copy {archive_id}")
    _, status, headers, payload = read_record(row.warc)
    return ArchivedCopy(
        row.id,
        row.url,
        row.fetched_at,
        status,
        row.media_type,
        row.payload_sha256,
        headers,
        payload,
    )


def archive_ids(session: Session, tracker_ids: Collection[int] | None = None) -> list[int]:
    """The archived responses behind the documents of the trackers `tracker_ids` (None: of
    every tracker), oldest first; a record behind documents of several trackers once."""
    query = select(DocumentRow.archive_id).where(DocumentRow.archive_id.is_not(None))
    if tracker_ids is not None:
        query = query.where(DocumentRow.tracker_id.in_(list(tracker_ids)))
    return [i for i in session.scalars(query.distinct().order_by(DocumentRow.archive_id)) if i]


def warc_records(session: Session, archive_ids: Iterable[int]) -> Iterator[bytes]:
    # one record's bytes at a time, not kept in the session: an archive can be large
    for archive_id in archive_ids:
        data = session.scalar(
            select(ArchivedResponseRow.warc).where(ArchivedResponseRow.id == archive_id)
        )
        if data is not None:
            yield bytes(data)


def warc_file(session: Session, archive_ids: Iterable[int], out: BinaryIO) -> int:
    """Write the records as one .warc.gz file; returns how many were written."""
    count = 0
    for data in warc_records(session, archive_ids):
        out.write(data)
        count += 1
    return count
