"""Ingest: read → parse → date/language → store, one transaction per input.

An input that fails (unreadable, unparsable, a crash in a reader or in the store) is rolled back
whole and reported with its error; the rest of the batch goes on. Running the same input twice
changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .config import Settings, get_settings
from .errors import ConflictError, InputError, LofteError, NotFoundError, ValidationError
from .language.controls import clean_text
from .language.dates import infer_publication_date
from .language.detect import detect_language
from .model import DateValue, ParsedDocument, RawInput, SourceKind
from .pipeline.dedup import NearDuplicateIndex, content_hash
from .sources import budget, paths
from .sources.read import expand_inputs_with_roots, is_url, read_file
from .sources.registry import Reader, pick_reader
from .sources.titles import program_title
from .store import documents as document_store
from .store import trackers as tracker_store
from .store.db import Session, Store
from .store.documents import Saved


class Outcome(str, enum.Enum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class InputReport:
    """What happened to one input: counts per outcome, or the error that stopped it."""

    origin: str
    reader: str | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # exact copies of documents already stored (counted as unchanged)
    near_duplicates: int = 0  # stored, and linked to the document they nearly repeat
    error: str | None = None
    document_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stored, but check it (mixed encodings)

    @property
    def outcome(self) -> Outcome:
        if self.error:
            return Outcome.FAILED
        if self.inserted:
            return Outcome.INSERTED
        if self.updated:
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    def as_dict(self) -> dict[str, object]:
        return {
            "input": self.origin,
            "outcome": self.outcome.value,
            "reader": self.reader,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "error": self.error,
            "document_ids": self.document_ids,
            "warnings": self.warnings,
        }


@dataclass
class IngestReport:
    inputs: list[InputReport] = field(default_factory=list)

    @property
    def failed(self) -> list[InputReport]:
        return [r for r in self.inputs if r.error]

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.inputs)


@dataclass(frozen=True)
class IngestOptions:
    tracker: str | None = None  # slug; None: the default tracker
    kind: SourceKind | None = None  # None: the reader's default (program for PDFs), else news
    source: str | None = None
    date: DateValue | None = None  # for inputs that carry no date of their own
    reader: str | None = None  # force a reader by name
    title: str | None = None  # the title of a single-document input
    party: str | None = None  # whose program it is (one of the tracker's actors)
    # The site a folder of saved pages mirrors: a file's page is this plus its path below the
    # folder given (sources/paths.page_url); `input_root` is that folder, set per input.
    url_base: str | None = None
    input_root: str | None = None


ProgressCallback = Callable[[InputReport], None]

# Estimated Jaccard of word 5-shingles from which two documents count as the same text
# (the same press release in two feeds, re-published with a changed line or a new footer).
NEAR_DUPLICATE_THRESHOLD = 0.8
# Below this many words a text has too few shingles for the estimate to mean anything.
NEAR_DUPLICATE_MIN_WORDS = 25


class NearDuplicates:
    """Near-duplicate lookup over each tracker's stored documents.

    The index of a tracker is built from the database on first use and kept for the whole
    batch; documents join it only once their input is committed, so a rolled-back input
    leaves no trace in it.
    """

    def __init__(self) -> None:
        self._indexes: dict[int, NearDuplicateIndex] = {}
        self._roots: dict[int, int] = {}  # document id -> the original it duplicates (or itself)
        self._pending: list[tuple[int, int, int, str]] = []
        self._signatures: dict[int, array] = {}  # pending documents' MinHash, computed once

    def _index(self, session: Session, tracker_id: int) -> NearDuplicateIndex:
        """The tracker's index, built on first need from the committed documents: rows of
        the current input are left out (they join on commit, see `original_of`)."""
        index = self._indexes.get(tracker_id)
        if index is None:
            index = self._indexes[tracker_id] = NearDuplicateIndex()
            pending = {doc_id for _, doc_id, _, _ in self._pending}
            for doc_id, duplicate_of, text in document_store.document_texts(session, tracker_id):
                if doc_id not in pending:
                    self._add(index, doc_id, duplicate_of or doc_id, text)
        return index

    def _add(self, index: NearDuplicateIndex, doc_id: int, root: int, text: str) -> None:
        self._roots[doc_id] = root
        signature = self._signatures.pop(doc_id, None)
        if len(text.split()) >= NEAR_DUPLICATE_MIN_WORDS and doc_id not in index:
            index.add(doc_id, text, signature)

    def original_of(self, session: Session, tracker_id: int, doc_id: int, text: str) -> int | None:
        """The oldest stored document this text nearly repeats, or None; remembers the text."""
        self._pending.append((tracker_id, doc_id, doc_id, text))  # until the input commits
        index = self._index(session, tracker_id)
        self._pending.pop()
        found = None
        if len(text.split()) >= NEAR_DUPLICATE_MIN_WORDS:
            # The signature is kept for `commit`: shingling a large text twice cost a quarter of
            # its ingest time.
            signature = self._signatures[doc_id] = index.signature(text)
            matches = [
                m for m, _ in index.query(text, NEAR_DUPLICATE_THRESHOLD, signature) if m != doc_id
            ]
            if matches:
                found = min(self._roots.get(int(m), int(m)) for m in matches)
        self._pending.append((tracker_id, doc_id, found or doc_id, text))
        return found

    def commit(self) -> None:
        for tracker_id, doc_id, root, text in self._pending:
            if tracker_id in self._indexes:
                self._add(self._indexes[tracker_id], doc_id, root, text)
        self._pending.clear()
        self._signatures.clear()

    def rollback(self) -> None:
        self._pending.clear()
        self._signatures.clear()


def ingest(
    store: Store,
    inputs: Sequence[str],
    options: IngestOptions = IngestOptions(),
    *,
    settings: Settings | None = None,
    on_input: ProgressCallback | None = None,
    read: Callable[[str], RawInput] | None = None,
) -> IngestReport:
    """Ingest files, folders (recursively) and URLs. Never raises for a bad input."""
    settings = settings or get_settings()
    options = _checked_options(store, options, settings)
    reader_fn = read or (lambda origin: _read_any(origin, settings))
    report = IngestReport()
    near = NearDuplicates()
    for origin, root in expand_inputs_with_roots(inputs):
        try:
            raw = reader_fn(origin)
        except LofteError as exc:
            item = InputReport(origin=origin, error=_describe(exc))
        else:
            here = replace(options, input_root=root)
            item = ingest_raw(store, raw, here, settings=settings, near=near)
        report.inputs.append(item)
        if on_input:
            on_input(item)
    return report


def ingest_raw(
    store: Store,
    raw: RawInput,
    options: IngestOptions = IngestOptions(),
    *,
    settings: Settings | None = None,
    near: NearDuplicates | None = None,
) -> InputReport:
    """Parse one raw input and store its documents in one transaction (all or nothing)."""
    settings = settings or get_settings()
    near = near or NearDuplicates()
    item = InputReport(origin=raw.origin)
    try:
        # The time budget covers parse and store, not the commit: an input is never reported
        # failed after it was stored. Over budget, the store's transaction rolls back whole.
        clock = budget.Clock(raw.origin, settings.input_time_budget)
        with clock.running():
            reader, text = pick_reader(raw, options.reader, notes=item.warnings)
            item.reader = reader.name
            documents = budget.parse(reader, raw, text, settings)  # cleaned of control characters
            if not documents:
                raise InputError(raw.origin, f"the {reader.name} reader found no documents")
            if options.title is not None and len(documents) != 1:
                raise InputError(
                    raw.origin,
                    f"--title names one document, but the {reader.name} reader found "
                    f"{len(documents)}",
                )
        stored = _store_with_retries(store, raw, reader, documents, options, settings, near, clock)
        stored.warnings[:0] = item.warnings  # what reading noticed (mixed encodings)
        item = stored
    except Exception as exc:  # noqa: BLE001 - any failure fails this input only, and is named
        near.rollback()
        return InputReport(origin=raw.origin, reader=item.reader, error=_describe(exc))
    near.commit()
    return item


# How often an input is tried when another writer stores the same key at the same moment.
STORE_ATTEMPTS = 5
RETRY_PAUSE = 0.05  # seconds; a random pause up to this times the attempt number


def _store_with_retries(
    store: Store,
    raw: RawInput,
    reader: Reader,
    documents: Sequence[ParsedDocument],
    options: IngestOptions,
    settings: Settings,
    near: NearDuplicates,
    clock: budget.Clock,
) -> InputReport:
    """Store the documents of one input in one transaction, trying again after a collision.

    Processes ingesting the same inputs at once race to insert the same tracker, source or
    document identity; the loser's unique key violation arrives as a ConflictError. Its
    transaction is rolled back whole, so trying again is safe and then finds what the winner
    stored (reported unchanged). After STORE_ATTEMPTS the conflict is reported as this input's
    error.
    """
    for attempt in range(1, STORE_ATTEMPTS + 1):
        item = InputReport(origin=raw.origin, reader=reader.name)
        try:
            # the clock stops before the commit at the end of the session
            with store.session() as session, clock.running():
                _store_documents(session, raw, reader, documents, options, settings, item, near)
        except ConflictError:
            near.rollback()
            if attempt == STORE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, RETRY_PAUSE * attempt))  # let the winner commit
        else:
            break
    return item


def _read_any(origin: str, settings: Settings) -> RawInput:
    if is_url(origin):
        from .sources.fetch import fetch_raw  # imported lazily: only URL inputs need httpx

        return fetch_raw(origin, settings=settings)
    return read_file(origin, settings.max_input_bytes)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.message
    if isinstance(exc, LofteError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _store_documents(
    session: Session,
    raw: RawInput,
    reader: Reader,
    documents: Iterable[ParsedDocument],
    options: IngestOptions,
    settings: Settings,
    item: InputReport,
    near: NearDuplicates,
) -> None:
    tracker = tracker_store.ensure_tracker(session, options.tracker or settings.default_tracker)
    kind = (
        options.kind
        or paths.kind_from_category(paths.category_from_path(raw.origin))  # a bill: a decision
        or SourceKind(getattr(reader, "default_kind", SourceKind.NEWS.value))
    )
    if options.party and kind is not SourceKind.PROGRAM:
        raise InputError(raw.origin, f"--party is for programs, and this input is {kind.value}")
    source_id = None
    if options.source:
        source_id = tracker_store.ensure_source(
            session, tracker.id, options.source, kind, raw.origin
        ).id
    raw_sha = document_store.put_raw(session, raw.data, raw.media_type)
    for doc in documents:
        doc = _complete(
            _titled(doc, raw.origin, reader, kind, options), options, raw.fetched_at, raw.origin
        )
        saved, doc_id = document_store.save_document(
            session,
            tracker.id,
            raw.origin,
            doc,
            content_hash=content_hash(doc.title + "\n" + doc.body),
            raw_sha256=raw_sha,
            parser=f"parse:{reader.name}",
            parser_version=reader.version,
            kind=kind,
            source_id=source_id,
            party=options.party,
        )
        item.document_ids.append(doc_id)
        if saved in (Saved.UNCHANGED, Saved.DUPLICATE):
            item.unchanged += 1
            item.duplicates += saved is Saved.DUPLICATE
            continue
        item.inserted += saved is Saved.INSERTED
        item.updated += saved is Saved.UPDATED
        original = near.original_of(session, tracker.id, doc_id, f"{doc.title}\n{doc.body}")
        document_store.set_duplicate_of(session, doc_id, original)
        item.near_duplicates += original is not None


def _complete(
    doc: ParsedDocument,
    options: IngestOptions,
    fetched_at: dt.datetime | None = None,
    origin: str = "",
) -> ParsedDocument:
    """Add what the reader could not know: the user's date, else the month the file's folders
    give, else an inferred date (never after the text was fetched, or today); the category the
    folders give; the original page (`--url-base`); the language."""
    date = doc.date or options.date or paths.date_from_path(origin)
    if date is None:
        fetched = (fetched_at or dt.datetime.now(dt.UTC)).date()
        date = infer_publication_date(f"{doc.title}\n{doc.body}", not_after=fetched)
    language = doc.language or detect_language(language_sample(doc.body))
    url = doc.url
    if url is None and options.url_base and options.input_root:
        url = paths.page_url(origin, options.input_root, options.url_base)
    category = doc.category or paths.category_from_path(origin)
    return replace(doc, date=date, language=language, url=_web_url(url), category=category)


LANGUAGE_SAMPLE = 2000  # characters: the language shows in a page of text; more only costs time


def language_sample(text: str, size: int = LANGUAGE_SAMPLE) -> str:
    """The start of `text`, cut at a space so no word is split."""
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > size // 2 else size]


def _web_url(url: str | None) -> str | None:
    """Only http(s) links are kept: a `javascript:` link in a feed must never reach a page."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


# Readers whose title of a whole input is read from its text (a program's first heading or
# sentence): for programs the metadata title or the file name says better what it is.
_TEXT_TITLED_READERS = frozenset({"pdf", "program-text", "plaintext"})


def _titled(
    doc: ParsedDocument, origin: str, reader: Reader, kind: SourceKind, options: IngestOptions
) -> ParsedDocument:
    """The document with the user's --title, or a program's title (sources/titles.py)."""
    if options.title is not None:
        return replace(doc, title=options.title)
    if kind is not SourceKind.PROGRAM or reader.name not in _TEXT_TITLED_READERS:
        return doc
    if reader.name != "pdf" and _first_heading(doc) == doc.title:
        return doc  # a text program's own heading is its title
    metadata = doc.extra.get("metadata_title")
    title = program_title(metadata if isinstance(metadata, str) else None, origin, doc.title)
    return replace(doc, title=clean_text(title))


def _first_heading(doc: ParsedDocument) -> str | None:
    headings = doc.extra.get("headings")
    if not isinstance(headings, list) or not headings:
        return None
    first = headings[0]
    if not (isinstance(first, list) and len(first) == 2 and all(isinstance(i, int) for i in first)):
        return None
    return doc.body[first[0] : first[1]]


def _checked_options(store: Store, options: IngestOptions, settings: Settings) -> IngestOptions:
    """--title and --party checked once for the batch: a title must hold text, a party must
    be one of the tracker's actors (when it has any), spelled as the tracker spells it."""
    title = options.title
    if title is not None:
        title = " ".join(clean_text(title).split())
        if not title:
            raise ValidationError("--title must hold some text")
    party = options.party
    if party is not None:
        party = " ".join(clean_text(party).split())
        if not party:
            raise ValidationError("--party must name a party")
        if options.kind is not None and options.kind is not SourceKind.PROGRAM:
            raise ValidationError(f"--party is for programs, not --kind {options.kind.value}")
        slug = options.tracker or settings.default_tracker
        with store.session() as session:
            try:
                actors = tracker_store.get_tracker(session, slug).actors
            except NotFoundError:
                actors = ()
        if actors:
            match = [a for a in actors if a.casefold() == party.casefold()]
            if not match:
                raise ValidationError(
                    f"--party {party!r} is not one of the actors of tracker {slug!r}: "
                    f"{', '.join(actors)}"
                )
            party = match[0]
    kind = SourceKind.PROGRAM if party and options.kind is None else options.kind  # implied
    return replace(options, title=title, party=party, kind=kind)
