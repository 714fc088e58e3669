"""Page data for archived copies (store/archive.py): the copy's page and the links to it.

An archived copy is shown within a tracker, only when one of the tracker's documents was read
from it, and with the tracker's public rule (`visibility`): a draft's copies are not public.
The page shows the response's text, never its HTML: rendering a fetched page on our origin
would run its scripts there. The text is extracted as the HTML reader does (scripts and
styles dropped), escaped by the template like any other text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..errors import DecodingError, NotFoundError
from ..lru import BoundedLRU
from ..model import Tracker
from ..sources.decode import decode_text, looks_binary
from ..sources.html import clean_tree, parse_html, text_of
from ..store import archive as archive_store
from ..store import trackers as tracker_store
from ..store.archive import ArchivedCopy, ArchiveRef
from ..store.db import Session
from . import records, visibility

MAX_TEXT = 200_000  # characters of an archived page's text shown; the WARC has it all
NO_ARCHIVE: dict[str, str | None] = {"archived_copy": None, "archived_at": None}


def utc_time(value: dt.datetime) -> str:
    """A stored (naive UTC) time as ISO 8601 with its zone: 2024-03-05T10:00:00Z."""
    moment = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def archive_path(slug: str, archive_id: int) -> str:
    return f"/trackers/{slug}/archive/{archive_id}"


def archive_link(slug: str, ref: ArchiveRef | None) -> dict[str, str | None]:
    """The fields evidence and documents carry: the copy's page and its fetch time (UTC)."""
    if ref is None:
        return dict(NO_ARCHIVE)
    return {"archived_copy": archive_path(slug, ref.id), "archived_at": utc_time(ref.fetched_at)}


def archive_links(
    session: Session, slug: str, document_ids: Iterable[int]
) -> dict[int, dict[str, str | None]]:
    """Document id -> `archive_link` fields, for every id given (one query)."""
    ids = list(document_ids)
    found = archive_store.document_archives(session, ids)
    return {i: archive_link(slug, found.get(i)) for i in ids}


def _tracker(session: Session, slug: str, *, editor: bool) -> Tracker:
    if editor:  # the editors' pages show drafts too
        return tracker_store.get_tracker(session, slug)
    return visibility.public_tracker(session, slug)


def _scoped(session: Session, slug: str, archive_id: int, *, editor: bool) -> Tracker:
    """The tracker, when the copy belongs to it and may be shown; else NotFoundError, the
    same for a copy that does not exist and one of another (or a draft) tracker."""
    tracker = _tracker(session, slug, editor=editor)
    if not archive_store.archive_in_tracker(session, archive_id, tracker.id):
        raise NotFoundError(f"no archived copy {archive_id} in tracker {slug!r}")
    return tracker


def archived_text(copy: ArchivedCopy) -> tuple[str | None, bool]:
    """(the copy's readable text, whether it was cut at MAX_TEXT); None for a binary payload
    (a PDF) or bytes that are no known text encoding."""
    if looks_binary(copy.payload):
        return None, False
    try:
        text = decode_text(copy.payload, copy.url)
    except DecodingError:
        return None, False
    media = (copy.media_type or "").lower()
    if "html" in media or (not media and "<html" in text[:2000].lower()):
        tree = parse_html(text)
        text = text_of(clean_tree(tree)) if tree is not None else ""
    return text[:MAX_TEXT], len(text) > MAX_TEXT


READ_CACHE = 32  # copies whose decompressed payload and text are kept
_READ: BoundedLRU[tuple[ArchivedCopy, str | None, bool]] = BoundedLRU(READ_CACHE)


def _read(session: Session, archive_id: int) -> tuple[ArchivedCopy, str | None, bool]:
    """The copy and its text. A record never changes once written, so the work (decompress,
    parse, up to the input size cap) is kept for the copies asked for most recently; the key
    carries the payload's hash, so another database's copy of the same id is not mistaken."""
    key = (archive_id, archive_store.payload_sha256(session, archive_id))
    hit = _READ.get(key)
    if hit is not None:
        return hit
    copy = archive_store.archived_copy(session, archive_id)
    text, cut = archived_text(copy)
    _READ.put(key, (copy, text, cut))
    return copy, text, cut


def archive_page(
    session: Session, slug: str, archive_id: int, *, editor: bool = False
) -> dict[str, Any]:
    """An archived copy: URL, fetch time, status, SHA-256, headers, its text, the download
    link, and the tracker's documents read from it."""
    tracker = _scoped(session, slug, archive_id, editor=editor)
    copy, text, cut = _read(session, archive_id)
    documents = archive_store.archive_documents(session, archive_id, tracker.id)
    path = archive_path(tracker.slug, archive_id)
    return {
        "tracker": {
            "slug": tracker.slug,
            "name": tracker.name,
            # its pages each say it is archived, this one too (review)
            "archived_at": utc_time(tracker.archived_at) if tracker.archived_at else None,
        },
        "archive": {
            "id": copy.id,
            "url": copy.url,
            "link": records.public_origin(copy.url),  # only an http(s) address is a link
            "fetched_at": utc_time(copy.fetched_at),
            "status": copy.status,
            "media_type": copy.media_type,
            "payload_sha256": copy.payload_sha256,
            "size": len(copy.payload),
            "headers": [[k, v] for k, v in copy.headers],
            "text": text,
            "text_truncated": cut,
            "warc": f"{path}.warc.gz",
            "documents": [{"id": i, "title": title} for i, title in documents],
        },
    }


def archive_warc(session: Session, slug: str, archive_id: int, *, editor: bool = False) -> bytes:
    """The copy's gzipped WARC record, as stored."""
    _scoped(session, slug, archive_id, editor=editor)
    return archive_store.warc_bytes(session, archive_id)
