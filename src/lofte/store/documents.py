"""Documents and the raw bytes they were read from. Each function takes an open session."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Select,
    Table,
    and_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import (
    DatePrecision,
    DateProvenance,
    DateValue,
    Document,
    ParsedDocument,
    ReviewState,
    SourceKind,
    period_end,
)
from . import audit
from .db import ID_CHUNK as ID_CHUNK
from .db import hold_write_lock, id_chunks
from .derived import reconcile_changed_document
from .marks import drop_document_links, drop_stage_mark
from .schema import DocumentRow, EvidenceRow, PledgeRow, RawBlobRow, utcnow

# --- raw blobs --------------------------------------------------------------------------------


_RAW = cast(Table, RawBlobRow.__table__)
_DOCUMENTS = cast(Table, DocumentRow.__table__)
# Built once, executed in Core (not through the ORM): ingest runs these once an input.
_PUT_RAW = {
    "postgresql": pg_insert(_RAW).on_conflict_do_nothing(index_elements=[_RAW.c.sha256]),
    "sqlite": sqlite_insert(_RAW).on_conflict_do_nothing(index_elements=[_RAW.c.sha256]),
}
_INSERT_DOCUMENT = insert(_DOCUMENTS)


def put_raw(session: Session, data: bytes, media_type: str | None) -> str:
    """Store bytes once under their SHA-256 and return it.

    Insert-or-ignore (`ON CONFLICT DO NOTHING`): two processes storing the same bytes at once
    both succeed, where a look-then-insert let the slower one fail on the primary key.
    """
    digest = hashlib.sha256(data).hexdigest()
    connection = session.connection()
    connection.execute(
        _PUT_RAW[connection.dialect.name],
        {"sha256": digest, "size": len(data), "media_type": media_type, "data": data},
    )
    return digest


def get_raw(session: Session, sha256: str) -> bytes:
    row = session.get(RawBlobRow, sha256)
    if row is None:
        raise NotFoundError(f"no raw input with hash {sha256}")
    return row.data


# --- documents --------------------------------------------------------------------------------


def document_date(row: DocumentRow) -> DateValue | None:
    return date_of(row.date_value, row.date_precision, row.date_provenance, row.date_confidence)


# The date columns of a document, in `date_of`'s order (for queries that read only them).
DATE_COLUMNS = (
    DocumentRow.date_value,
    DocumentRow.date_precision,
    DocumentRow.date_provenance,
    DocumentRow.date_confidence,
)


def date_of(
    value: dt.date | None, precision: str | None, provenance: str | None, confidence: float | None
) -> DateValue | None:
    """A document's date from its stored columns (None when it has none)."""
    if value is None or precision is None:
        return None
    return DateValue(
        value=value,
        precision=DatePrecision(precision),
        provenance=DateProvenance(provenance or "explicit"),
        confidence=confidence if confidence is not None else 1.0,
    )


def set_document_date(row: DocumentRow, date: DateValue | None) -> None:
    row.date_value = date.value if date else None
    row.date_precision = date.precision.value if date else None
    row.date_provenance = date.provenance.value if date else None
    row.date_confidence = date.confidence if date else None


def document_record(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        tracker_id=row.tracker_id,
        source_id=row.source_id,
        kind=SourceKind(row.kind),
        title=row.title,
        body=row.body,
        origin=row.origin,
        item_key=row.item_key,
        url=row.url,
        date=document_date(row),
        language=row.language,
        content_hash=row.content_hash,
        raw_sha256=row.raw_sha256,
        parser=row.stage,
        parser_version=row.stage_version,
        duplicate_of=row.duplicate_of,
        truncated=row.truncated,
        created_at=row.created_at,
        modified_at=row.modified_at,
        category=row.category,
        structure=dict(row.structure or {}),
        party=row.party,
    )


def find_document_row(
    session: Session, tracker_id: int, origin: str, item_key: str
) -> DocumentRow | None:
    return session.scalar(
        select(DocumentRow).where(
            DocumentRow.tracker_id == tracker_id,
            DocumentRow.origin == origin,
            DocumentRow.item_key == item_key,
        )
    )


def ids_of_origin(session: Session, tracker_id: int, origin: str) -> list[int]:
    """The ids of a tracker's documents read from `origin` (a URL, a file), oldest first."""
    return list(
        session.scalars(
            select(DocumentRow.id)
            .where(DocumentRow.tracker_id == tracker_id, DocumentRow.origin == origin)
            .order_by(DocumentRow.id)
        )
    )


def find_by_content_hash(
    session: Session, tracker_id: int, content_hash: str, exclude_id: int | None = None
) -> DocumentRow | None:
    """The oldest other document of the tracker with this normalized-content hash."""
    query = select(DocumentRow).where(
        DocumentRow.tracker_id == tracker_id, DocumentRow.content_hash == content_hash
    )
    if exclude_id is not None:
        query = query.where(DocumentRow.id != exclude_id)
    return session.scalar(query.order_by(DocumentRow.id).limit(1))


@dataclass
class KnownDocuments:
    """What the store holds for one input's documents, read ahead in a few queries
    (`known_documents`) so that `save_document` asks the database nothing for most documents:
    two look-ups a document were most of the storing time of a large ingest on PostgreSQL.
    `save_document` keeps it current as it stores the input's documents, in order."""

    rows: dict[str, DocumentRow] = field(default_factory=dict)  # item key -> the stored row
    # content hash -> the oldest document with it, None for none; a hash not here is looked up
    oldest: dict[str, int | None] = field(default_factory=dict)
    # item key -> the id of the row this input inserted under it (loaded if the key comes again)
    inserted: dict[str, int] = field(default_factory=dict)
    # on PostgreSQL, for an input of several new documents: ids taken ahead from the sequence,
    # the next one last. Rows given them are written together at the session's next flush.
    ids: list[int] = field(default_factory=list)
    # programs whose kind was kept although the input was read as another (they have pledges)
    kept_programs: list[int] = field(default_factory=list)


# A document stored under one of an input's keys, or with one of its content hashes (in any
# tracker: by the hash's index alone, as in `_oldest_by_hash`), in one query
_STORED = select(
    _DOCUMENTS.c.id,
    _DOCUMENTS.c.tracker_id,
    _DOCUMENTS.c.origin,
    _DOCUMENTS.c.item_key,
    _DOCUMENTS.c.content_hash,
).where(
    or_(
        _DOCUMENTS.c.content_hash.in_(bindparam("hashes", expanding=True)),
        and_(
            _DOCUMENTS.c.tracker_id == bindparam("tracker"),
            _DOCUMENTS.c.origin == bindparam("origin"),
            _DOCUMENTS.c.item_key.in_(bindparam("keys", expanding=True)),
        ),
    )
)


def known_documents(
    session: Session, tracker_id: int, origin: str, documents: Sequence[tuple[str, str]]
) -> KnownDocuments:
    """The stored rows of these (item key, content hash) pairs' keys under (tracker, origin),
    and for the keys not stored, the oldest document of the tracker with each content hash.

    Keys and hashes are probed together in Core and only the rows found under the keys are
    loaded: most inputs of a large ingest are new, and an ORM load of nothing, then a second
    query for the hashes, cost more than storing the document."""
    known = KnownDocuments()
    connection = session.connection()
    found: set[int] = set()
    oldest: dict[str, int] = {}
    for lo in range(0, len(documents), ID_CHUNK):
        chunk = documents[lo : lo + ID_CHUNK]
        keys, hashes = {key for key, _ in chunk}, {digest for _, digest in chunk}
        params = {"tracker": tracker_id, "origin": origin, "keys": sorted(keys)}
        params["hashes"] = sorted(hashes)
        for doc_id, tracker, stored_origin, key, digest in connection.execute(_STORED, params):
            if tracker != tracker_id:
                continue
            if stored_origin == origin and key in keys:
                found.add(doc_id)
            if digest in hashes and doc_id < oldest.get(digest, doc_id + 1):
                oldest[digest] = doc_id
    for ids in id_chunks(found):
        rows = select(DocumentRow).where(DocumentRow.id.in_(ids))
        known.rows.update((row.item_key, row) for row in session.scalars(rows))
    known.oldest = {
        digest: oldest.get(digest) for key, digest in documents if key not in known.rows
    }
    if session.get_bind().dialect.name == "postgresql":
        count = _expected_inserts(known, documents)
        if count > 1:  # a single new row costs one INSERT … RETURNING: nothing to take ahead
            known.ids = _reserve_ids(session, count)
    return known


def _expected_inserts(known: KnownDocuments, documents: Sequence[tuple[str, str]]) -> int:
    """How many of the documents `save_document` will insert (unless an update of the same
    input changes which hashes are stored: then an id may be left over, or one short)."""
    keys: set[str] = set()
    hashes = {digest for digest, found in known.oldest.items() if found is not None}
    for key, digest in documents:
        if key not in known.rows and key not in keys and digest not in hashes:
            keys.add(key)
            hashes.add(digest)
    return len(keys)


def _reserve_ids(session: Session, count: int) -> list[int]:
    """`count` new document ids from the table's sequence, the smallest last."""
    query = text(
        "SELECT nextval(pg_get_serial_sequence('documents', 'id')) FROM generate_series(1, :n)"
    )
    return sorted(session.scalars(query, {"n": count}), reverse=True)


_WITH_HASHES = select(_DOCUMENTS.c.content_hash, _DOCUMENTS.c.tracker_id, _DOCUMENTS.c.id).where(
    _DOCUMENTS.c.content_hash.in_(bindparam("hashes", expanding=True))
)


def _oldest_by_hash(session: Session, tracker_id: int, hashes: Sequence[str]) -> dict[str, int]:
    """The oldest document of the tracker with each of these content hashes (that has one).

    Selected by the hash alone, the tracker filtered here: given both, SQLite may walk the
    tracker's documents in id order (index tracker_id, id) instead of looking the hash up."""
    oldest: dict[str, int] = {}
    connection = session.connection()
    for lo in range(0, len(hashes), ID_CHUNK):
        params = {"hashes": list(hashes[lo : lo + ID_CHUNK])}
        for digest, tracker, doc_id in connection.execute(_WITH_HASHES, params):
            if tracker == tracker_id and doc_id < oldest.get(digest, doc_id + 1):
                oldest[digest] = doc_id
    return oldest


def _oldest_with_hash(
    session: Session, tracker_id: int, content_hash: str, known: KnownDocuments | None
) -> int | None:
    if known is None:
        row = find_by_content_hash(session, tracker_id, content_hash)
        return row.id if row is not None else None
    if content_hash not in known.oldest:
        session.flush()  # rows held for a batched write are written first (a Core query)
        known.oldest[content_hash] = _oldest_by_hash(session, tracker_id, [content_hash]).get(
            content_hash
        )
    return known.oldest[content_hash]


class Saved(enum.Enum):
    """What `save_document` did with one parsed document."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # same normalized text as another document: not stored again
    KEPT = "kept"  # stored already, read again from a malformed feed: the stored text stays


def save_document(
    session: Session,
    tracker_id: int,
    origin: str,
    doc: ParsedDocument,
    *,
    content_hash: str,
    raw_sha256: str,
    parser: str,
    parser_version: str,
    kind: SourceKind,
    source_id: int | None,
    party: str | None = None,
    minhash: bytes | None = None,
    known: KnownDocuments | None = None,
    given: Collection[str] = (),
    actor: str = audit.SYSTEM_ACTOR,
) -> tuple[Saved, int]:
    """Store one parsed document under (tracker, origin, item key); returns what was done and
    the id of the stored document (for a duplicate: of the document it repeats).

    A changed text moves or flags the pledges and evidence pointing into it
    (`derived.reconcile_changed_document`). What an editor corrected (`correct_document`: the
    title, kind or date) stays as corrected when the input is read again, and so does what was
    `given` at an ingest (`--title`, `--date`, `--kind`), unless given anew (QA: a second
    ingest of a program without its --title "updated" it and renumbered its pledges). A
    program with pledges stays a program (QA: a folder read as news took it along).

    `known`: the input's documents read ahead (`known_documents`), used and kept current
    instead of looking the document up; without it, it is looked up here. `actor`: who reads
    the input in, named in the audit events of what a changed text does to its pledges and
    evidence, and of the replacement itself (`document.update`, when the text had pledges
    or decided evidence: insider QA, a cited text was replaced with nobody named for it).
    """
    if known is None:
        row = find_document_row(session, tracker_id, origin, doc.item_key)
    elif doc.item_key in known.inserted:  # a key this input repeats: its row, as inserted
        row = session.get(DocumentRow, known.inserted.pop(doc.item_key))
        if row is not None:
            known.rows[doc.item_key] = row
    else:
        row = known.rows.get(doc.item_key)
    corrected: set[str] = set()
    kept: set[str] = set()
    same_text = False  # a kept title's row holding this very body (see below)
    if row is not None:  # what an editor corrected (or an ingest was given) stays
        corrected = set((row.structure or {}).get("corrected", ()))
        kept = corrected - set(given)
        if "kind" in kept:
            kind = SourceKind(row.kind)
        if "date" in kept:
            doc = replace(doc, date=document_date(row))
        if "url" in kept:
            doc = replace(doc, url=row.url)
        if "title" in kept:
            doc = replace(doc, title=row.title)
            same_text = row.body == doc.body  # compared once: bodies run to 50 MB
        if kind is not SourceKind.PROGRAM and _program_with_pledges(session, row):
            kind = SourceKind.PROGRAM
            if known is not None:
                known.kept_programs.append(row.id)
    corrected |= set(given)
    # A page that is only a title ("Nya ambassadörer till Sverige", one a month) is an event
    # of its own under another address, not the same text: kept (QA: 61 of the record's
    # title-only pages were dropped with their dates and addresses)
    if row is None:
        duplicate = (
            _oldest_with_hash(session, tracker_id, content_hash, known)
            if doc.body.strip()
            else None
        )
        if duplicate is not None:
            return Saved.DUPLICATE, duplicate
    elif (
        # the hash was of the title read; a kept title with the same body is the same text
        (row.content_hash == content_hash or same_text)
        and row.stage == parser
        and row.stage_version == parser_version
        and document_date(row) == doc.date
        and row.kind == kind.value
        and (party is None or row.party == party)
        and (doc.url is None or row.url == doc.url)
        and (source_id is None or row.source_id == source_id)
        and set((row.structure or {}).get("corrected", ())) == corrected
    ):
        return Saved.UNCHANGED, row.id
    elif doc.extra.get("feed_warning"):
        # A malformed feed: the entry at the fault may be cut short or merged with the next.
        # The stored text stays rather than be replaced by a broken one (QA: a feed cut off
        # inside a description emptied a stored body, and the run said "ok"). A later good
        # read of the feed brings any real change.
        return Saved.KEPT, row.id
    date = doc.date
    values: dict[str, Any] = {
        "title": doc.title,
        "body": doc.body,
        "url": doc.url,
        "category": doc.category,
        "kind": kind.value,
        "source_id": source_id,
        "party": party,
        "language": doc.language,
        "truncated": doc.truncated,
        "content_hash": content_hash,
        "minhash": minhash,
        "raw_sha256": raw_sha256,
        "stage": parser,
        "stage_version": parser_version,
        "structure": _structure(doc, corrected),
        "date_value": date.value if date else None,
        "date_precision": date.precision.value if date else None,
        "date_provenance": date.provenance.value if date else None,
        "date_confidence": date.confidence if date else None,
    }
    if row is None:
        values.update(tracker_id=tracker_id, origin=origin, item_key=doc.item_key)
        doc_id = _insert_document(session, values, known)
        if known is not None:  # no document had its hash (else it was a duplicate)
            known.oldest[content_hash] = doc_id
        return Saved.INSERTED, doc_id
    if same_text:
        content_hash = values["content_hash"] = row.content_hash  # the same text (see above)
    if row.content_hash != content_hash:  # the text moved under its pledges and evidence
        counts = reconcile_changed_document(session, row.id, doc.body, actor)
        if counts["pledges"] or counts["evidence"]:
            audit.record_event(
                session,
                "document.update",
                "document",
                row.id,
                actor,
                origin=row.origin,
                item_key=row.item_key,
                title=row.title,
                before={"content_hash": row.content_hash, "length": len(row.body)},
                after={"content_hash": content_hash, "length": len(doc.body)},
                # not "pledges"/"evidence": those keys carry row states `audit verify` reads
                counts={
                    "pledges": counts["pledges"],
                    "decided_evidence": counts["evidence"],
                    "pledges_moved": counts["moved"],
                    "candidates_dropped": counts["dropped"],
                    "quotes_lost": counts["span_lost"],
                },
            )
        if known is not None:  # which document is the oldest with either hash: ask again
            known.oldest.pop(row.content_hash, None)
            known.oldest.pop(content_hash, None)
    if doc.url is None:  # a re-ingest without --url-base keeps the page given before
        del values["url"]
    carried: list[int] = []
    if party is None:  # a re-ingest without --party keeps the party given before
        del values["party"]
    elif party != row.party:
        carried = _carry_party(session, row.id, row.party, party)
    if source_id is None:  # and without --source, the source
        del values["source_id"]
    before = _editable(row)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    _record_reread_values(session, row, before, carried, actor)
    if known is not None:
        known.rows[doc.item_key] = row
    return Saved.UPDATED, row.id


def _record_reread_values(
    session: Session,
    row: DocumentRow,
    before: dict[str, object],
    carried: list[int],
    actor: str,
) -> None:
    """A document read again with another title, kind, date, party or address: what
    `correct_document` does for the same change, in the re-read's transaction. The linker
    weighs it again (a program's date or kind: the whole tracker), and when the document has
    pledges or decided evidence, `document.edit` records the values before and after, with the
    states of the pledges its party was carried to (QA, a political scientist: `ingest
    --date 2018-08` re-dated a published program, and its rated pledges' election year in
    the open data, with no event and no word)."""
    after = _editable(row)
    # a date read from another place (the folder, then --date) with the same value and
    # precision is no change (review: it threw away the tracker's link results)
    changed = sorted(k for k in after if _compared(after, k) != _compared(before, k))
    _link_again(session, row, before, after, changed)
    if changed and (carried or _cited(session, row.id)):
        # the pledges' raised versions too, as a correction's (QA: after a re-ingest with
        # another --party, `audit verify` found them changed outside Löfte)
        _record_edit(session, row, actor, before, after, changed, carried)


def _link_again(
    session: Session,
    row: DocumentRow,
    before: dict[str, object],
    after: dict[str, object],
    changed: list[str],
) -> None:
    """What a change of `changed` fields asks of the linker. It reads the title, the kind and
    the date (its checks, the passages' frame, which documents are news): the next `lofte
    link` scores the document again, and a date moved out of the term takes its undecided
    suggestions away (QA: only `link --full` did). A program's date bounds when its pledges'
    evidence may stand: every document of the tracker is weighed again (QA: a mistyped
    program date, corrected, found nothing)."""
    if {"title", "kind", "date"} & set(changed):
        drop_stage_mark(session, "link", "document", row.id)
    program = SourceKind.PROGRAM.value
    if {"kind", "date"} & set(changed) and program in (before["kind"], after["kind"]):
        drop_document_links(session, row.tracker_id)


def _record_edit(
    session: Session,
    row: DocumentRow,
    actor: str,
    before: dict[str, object],
    after: dict[str, object],
    changed: list[str],
    carried: list[int],
) -> None:
    """`document.edit` with the changed fields' values before and after, and the states of
    the pledges a new party was carried to."""
    audit.record_event(
        session,
        "document.edit",
        "document",
        row.id,
        actor,
        changed=changed,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        **({"pledges": _pledge_states(session, carried)} if carried else {}),
    )


def _compared(values: dict[str, object], key: str) -> object:
    """A field of `_editable` as a re-read compares it: a date by its value and precision."""
    value = values[key]
    if key == "date" and isinstance(value, dict):
        return (value.get("value"), value.get("precision"))
    return value


def _cited(session: Session, document_id: int) -> bool:
    """Whether pledges stand on the document or an editor decided evidence in it."""
    pledge = select(PledgeRow.id).where(PledgeRow.document_id == document_id).limit(1)
    decided = (
        select(EvidenceRow.id)
        .where(
            EvidenceRow.document_id == document_id,
            EvidenceRow.review_state != ReviewState.SUGGESTED.value,
        )
        .limit(1)
    )
    return session.scalar(pledge) is not None or session.scalar(decided) is not None


def _carry_party(session: Session, document_id: int, old: str | None, new: str | None) -> list[int]:
    """A program's party corrected (ingested again with another --party, or `lofte document
    edit --party`; None: cleared): its pledges that still have the party it gave them get the
    new one, their versions raised (an open form on one of them conflicts); a pledge an editor
    gave another party keeps it. QA: the program became S and its pledges stayed V, and the
    meter by party with them. Returns the ids of the pledges carried along."""
    had = PledgeRow.party.is_(None) if old is None else PledgeRow.party == old
    ids = list(
        session.scalars(
            select(PledgeRow.id)
            .where(PledgeRow.document_id == document_id, had)
            .order_by(PledgeRow.id)
        )
    )
    for chunk in id_chunks(ids):
        session.execute(
            update(PledgeRow)
            # the old party checked again in the UPDATE itself: a party an editor gave one of
            # them since the read above stays (correctness in the database, not in Python)
            .where(PledgeRow.id.in_(chunk), had)
            .values(party=new, version=PledgeRow.version + 1, modified_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return ids


def _program_with_pledges(session: Session, row: DocumentRow) -> bool:
    if row.kind != SourceKind.PROGRAM.value:
        return False
    return (
        session.scalar(select(PledgeRow.id).where(PledgeRow.document_id == row.id).limit(1))
        is not None
    )


def _insert_document(session: Session, values: dict[str, Any], known: KnownDocuments | None) -> int:
    """Insert a new document row and return its id: in Core (the ORM's unit of work was most
    of the cost of storing a new row), or, on PostgreSQL for an input of several new rows, as
    an ORM row with an id taken ahead, written with the others at the next flush."""
    if known is not None and known.ids:
        row = DocumentRow(id=known.ids.pop(), **values)
        session.add(row)
        known.rows[row.item_key] = row
        return row.id
    inserted = session.connection().execute(_INSERT_DOCUMENT, values).inserted_primary_key
    assert inserted is not None  # a single-row INSERT always has one
    doc_id = int(inserted[0])
    if known is not None:
        known.inserted[values["item_key"]] = doc_id
    return doc_id


def _structure(doc: ParsedDocument, corrected: set[str]) -> dict[str, Any]:
    """A document's structure column: its list items, noise, reader's extras, when it was
    read, and which fields an editor corrected (kept when it is read again)."""
    return {
        "list_items": [list(span) for span in doc.list_items],
        "noise": [list(span) for span in doc.noise],
        "extra": doc.extra,
        "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **({"corrected": sorted(corrected)} if corrected else {}),
    }


def set_duplicate_of(session: Session, document_id: int, original: int | None) -> None:
    """Mark a document as a near-duplicate of `original` (None: it is an original)."""
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    row.duplicate_of = original
    session.flush()


def get_document(session: Session, document_id: int) -> Document:
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    return document_record(row)


def list_documents(
    session: Session,
    tracker_id: int | None = None,
    *,
    kind: SourceKind | None = None,
    kinds: Sequence[SourceKind] | None = None,
    originals: bool = False,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
    ids: Collection[int] | None = None,
) -> list[Document]:
    """Documents in id order (`newest_first`: by date, newest first, undated last, then the
    latest ingested first); `originals` leaves out near-duplicates of an earlier document;
    `ids`: only these."""
    if newest_first:
        # SQLite sorts NULL lowest, so DESC puts undated last by itself and reads the
        # (tracker_id, date_value) index backwards; PostgreSQL needs it said
        postgres = session.get_bind().dialect.name == "postgresql"
        by_date = DocumentRow.date_value.desc()
        query = select(DocumentRow).order_by(
            by_date.nulls_last() if postgres else by_date, DocumentRow.id.desc()
        )
    else:
        query = select(DocumentRow).order_by(DocumentRow.id)
    if tracker_id is not None:
        query = query.where(DocumentRow.tracker_id == tracker_id)
    if kind is not None:
        query = query.where(DocumentRow.kind == kind.value)
    if kinds is not None:
        query = query.where(DocumentRow.kind.in_([k.value for k in kinds]))
    if originals:
        query = query.where(DocumentRow.duplicate_of.is_(None))
    if ids is not None:
        query = query.where(DocumentRow.id.in_(list(ids)))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [document_record(r) for r in session.scalars(query)]


# linking.sample_hash(id) = (id * SAMPLE_MULTIPLIER) mod 2**32, computed here in SQL too
SAMPLE_MULTIPLIER = 2654435761
SAMPLE_MODULUS = 2**32


def _sample_hash() -> Any:
    return (DocumentRow.id * literal(SAMPLE_MULTIPLIER, BigInteger)) % literal(
        SAMPLE_MODULUS, BigInteger
    )


def _evidence_ids(
    tracker_id: int, kinds: Sequence[SourceKind], originals: bool, after: int, below: int | None
) -> Select[int]:
    query = (
        select(DocumentRow.id)
        .where(DocumentRow.tracker_id == tracker_id)
        .where(DocumentRow.kind.in_([k.value for k in kinds]))
        .where(DocumentRow.id > after)
    )
    if originals:
        query = query.where(DocumentRow.duplicate_of.is_(None))
    if below is not None:
        query = query.where(_sample_hash() < below)
    return query


def document_ids(
    session: Session,
    tracker_id: int,
    *,
    kinds: Sequence[SourceKind],
    originals: bool = False,
    after: int = 0,
    limit: int | None = None,
    below: int | None = None,
) -> list[int]:
    """Ids of a tracker's documents of `kinds` in id order (no texts: cheap at any size): those
    above `after`, at most `limit` (a page), and with `below` only those whose sample hash is
    below it."""
    query = _evidence_ids(tracker_id, kinds, originals, after, below)
    return list(session.scalars(query.order_by(DocumentRow.id).limit(limit)))


def count_document_ids(
    session: Session,
    tracker_id: int,
    *,
    kinds: Sequence[SourceKind],
    originals: bool = False,
    after: int = 0,
    below: int | None = None,
) -> tuple[int, int]:
    """(how many, the highest) of the ids `document_ids` gives with the same arguments."""
    query = _evidence_ids(tracker_id, kinds, originals, after, below).subquery()
    count, newest = session.execute(select(func.count(), func.max(query.c.id))).one()
    return int(count), int(newest or 0)


def sample_hashes_from(
    session: Session,
    tracker_id: int,
    n: int,
    count: int,
    *,
    kinds: Sequence[SourceKind],
    originals: bool = False,
) -> list[int]:
    """The `n`-th smallest sample hash among the ids `document_ids` gives and the `count` - 1
    after it, as many as there are: one sort for several ranks."""
    hashed = _sample_hash()
    query = _evidence_ids(tracker_id, kinds, originals, 0, None).with_only_columns(hashed)
    query = query.order_by(hashed).offset(n - 1).limit(count)
    return [int(h) for h in session.scalars(query)]


def documents_by_id(session: Session, ids: Sequence[int]) -> list[Document]:
    """The documents with these ids, in id order (read in chunks: a database bounds the
    number of parameters of one statement)."""
    out: list[Document] = []
    for chunk in id_chunks(set(ids)):
        query = select(DocumentRow).where(DocumentRow.id.in_(chunk)).order_by(DocumentRow.id)
        out += [document_record(r) for r in session.scalars(query)]
    return out


def id_slice(session: Session, tracker_id: int, *, limit: int, offset: int = 0) -> list[int]:
    """A slice of a tracker's document ids in id order (its index reads only the slice)."""
    query = select(DocumentRow.id).where(DocumentRow.tracker_id == tracker_id)
    return list(session.scalars(query.order_by(DocumentRow.id).limit(limit).offset(offset)))


_PRECISIONS = {p.value: p for p in DatePrecision}  # a dict look-up: an Enum call is slow


def ids_in_period(
    session: Session, tracker_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[int]:
    """A tracker's document ids in id order; with a bound, those whose date's period overlaps
    `start`..`end` (inclusive; an undated one never does). No text is read: a listing pages
    these ids and loads only the rows it shows (the API's document list loaded every body of
    the tracker per request: 1.5–3.7 s at 9,000 documents)."""
    if start is None and end is None:
        ids = select(DocumentRow.id).where(DocumentRow.tracker_id == tracker_id)
        return list(session.scalars(ids.order_by(DocumentRow.id)))
    query = select(DocumentRow.id, DocumentRow.date_value, DocumentRow.date_precision).where(
        DocumentRow.tracker_id == tracker_id, DocumentRow.date_value.is_not(None)
    )
    if end is not None:
        query = query.where(DocumentRow.date_value <= end)
    if start is not None:  # a period (a year at most) starts at most a year before it ends
        year_before = start - dt.timedelta(days=366) if start.year > 2 else dt.date.min
        query = query.where(DocumentRow.date_value >= year_before)
    return [
        doc_id
        for doc_id, first, precision in session.execute(query.order_by(DocumentRow.id))
        # (a dated row has both columns: the filter above left out the undated)
        if start is None or period_end(first, _PRECISIONS[precision]) >= start  # type: ignore[arg-type,index]
    ]


def count_documents(session: Session, tracker_id: int) -> int:
    return (
        session.scalar(
            select(func.count(DocumentRow.id)).where(DocumentRow.tracker_id == tracker_id)
        )
        or 0
    )


# --- an editor's correction (issue 12) -------------------------------------------------------


_KEEP: object = object()


def tracker_of_document(session: Session, document_id: int) -> int:
    """The id of the tracker a document belongs to (NotFoundError for no such document)."""
    tracker_id = session.scalar(select(DocumentRow.tracker_id).where(DocumentRow.id == document_id))
    if tracker_id is None:
        raise NotFoundError(f"no document with id {document_id}")
    return int(tracker_id)


def correct_document(
    session: Session,
    document_id: int,
    *,
    actor: str,
    title: str | None = None,
    kind: SourceKind | None = None,
    date: DateValue | None | object = _KEEP,
    party: str | None | object = _KEEP,
    url: str | None | object = _KEEP,
    expected: str | None = None,
) -> Document:
    """Change a document's title, kind, date (None clears the date), party (None clears it;
    checked against the tracker's actors by the caller) or address (`url`, checked by the
    caller; None clears it) and record `document.edit` with the
    values before and after, in the caller's transaction. A program's new party is carried to
    its pledges that had its old one (`_carry_party`); the event records their new states, as
    every pledge change does (`lofte audit verify` compares them). The row is
    locked before it is read and while it changes: `SELECT … FOR UPDATE` on PostgreSQL, the
    write lock on SQLite (which has no FOR UPDATE: a correction committed between a plain read
    and this write was lost from `corrected`, and re-reading the input then undid it).
    `expected`: the `correction_token` of the values the editor saw; ConflictError when they
    changed since (QA: two editors' forms both said "saved" and the second undid the first)."""
    hold_write_lock(session)
    row = session.scalar(select(DocumentRow).where(DocumentRow.id == document_id).with_for_update())
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    if expected is not None and expected != correction_token(document_record(row)):
        raise ConflictError(
            f"document {document_id} was corrected by someone else meanwhile: reload it"
        )
    before = _editable(row)
    if title is not None:
        row.title = title
    if kind is not None:
        row.kind = kind.value
    if date is not _KEEP:
        set_document_date(row, date if isinstance(date, DateValue) else None)
    carried: list[int] = []
    if party is not _KEEP and party != row.party:
        new_party = party if isinstance(party, str) else None
        if new_party is not None and row.kind != SourceKind.PROGRAM.value:
            raise ValidationError(f"a party is for programs, and document {row.id} is {row.kind}")
        carried = _carry_party(session, row.id, row.party, new_party)
        row.party = new_party
    if url is not _KEEP:
        row.url = url if isinstance(url, str) else None
    after = _editable(row)
    if after == before:
        return document_record(row)
    changed = sorted(k for k in after if after[k] != before[k])
    _link_again(session, row, before, after, changed)
    # remembered so that reading the input again keeps the editor's values (save_document)
    structure = dict(row.structure or {})
    structure["corrected"] = sorted(set(structure.get("corrected", ())) | set(changed))
    row.structure = structure
    session.flush()
    _record_edit(session, row, actor, before, after, changed, carried)
    return document_record(row)


def _pledge_states(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The states of the pledges a correction carried its party to, as they are now."""
    rows: list[PledgeRow] = []
    for chunk in id_chunks(ids):
        rows += session.scalars(
            select(PledgeRow)
            .where(PledgeRow.id.in_(chunk))
            .order_by(PledgeRow.id)
            .execution_options(populate_existing=True)
        )
    return [audit.pledge_state(r) for r in rows]


def correction_token(document: Document) -> str:
    """A short digest of the values a correction changes (title, kind, date, address): what
    an editor's form saw, for `correct_document`'s compare-and-set."""
    date = document.date
    seen = [document.title, document.kind.value]
    seen += [date.value.isoformat(), date.precision.value] if date else ["", ""]
    seen.append(document.url or "")
    return hashlib.sha256("\x1f".join(seen).encode("utf-8")).hexdigest()[:16]


def _editable(row: DocumentRow) -> dict[str, object]:
    return {
        "title": row.title,
        "kind": row.kind,
        "party": row.party,
        "url": row.url,
        "date": None
        if row.date_value is None
        else {
            "value": row.date_value.isoformat(),
            "precision": row.date_precision,
            "provenance": row.date_provenance,
        },
    }
