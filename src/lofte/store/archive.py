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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..errors import NotFoundError
from ..model import RawInput
from .schema import ArchivedResponseRow, DocumentRow

# Headers that describe the bytes as sent on the wire; the payload kept is already decoded.
_TRANSFER_HEADERS = frozenset(["content-encoding", "transfer-encoding", "content-length"])


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


def archive_raw(session: Session, raw: RawInput, status: int = 200) -> int:
    """Store the response a `RawInput` was fetched from; returns the archive id."""
    fetched_at = raw.fetched_at or dt.datetime.now(dt.UTC)
    headers = dict(raw.http_headers or {})
    row = ArchivedResponseRow(
        url=raw.origin,
        fetched_at=fetched_at.astimezone(dt.UTC).replace(tzinfo=None),
        status=status,
        media_type=raw.media_type,
        payload_sha256=hashlib.sha256(raw.data).hexdigest(),
        warc=warc_record(raw.origin, status, headers, raw.data, fetched_at),
    )
    session.add(row)
    session.flush()
    return row.id


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


def tracker_archive_ids(session: Session, tracker_id: int) -> list[int]:
    """The archived responses behind a tracker's documents, oldest first."""
    query = (
        select(DocumentRow.archive_id)
        .where(DocumentRow.tracker_id == tracker_id, DocumentRow.archive_id.is_not(None))
        .distinct()
        .order_by(DocumentRow.archive_id)
    )
    return [i for i in session.scalars(query) if i is not None]


def warc_records(session: Session, archive_ids: Iterable[int]) -> Iterator[bytes]:
    for archive_id in archive_ids:
        row = session.get(ArchivedResponseRow, archive_id)
        if row is not None:
            yield row.warc


def warc_file(session: Session, archive_ids: Iterable[int], out: BinaryIO) -> int:
    """Write the records as one .warc.gz file; returns how many were written."""
    count = 0
    for data in warc_records(session, archive_ids):
        out.write(data)
        count += 1
    return count
