"""Ingest's first half: read, parse, complete each document (date, language, category, URL),
hash it. Pure work on one input, no database: it runs in worker processes when a batch is
large (`prepare_inputs`), while the calling process stores what they prepared in input order.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import multiprocessing
import os
import signal
from array import array
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from .config import Settings
from .errors import InputError, LofteError
from .ingest_records import IngestOptions, InputReport
from .language.controls import clean_text
from .language.dates import MIN_YEAR, dateline_date, infer_publication_date
from .language.detect import detect_language
from .language.segment import written_heading
from .model import (
    DatePrecision,
    DateProvenance,
    DateValue,
    ParsedDocument,
    RawInput,
    SourceKind,
)
from .pipeline.dedup import has_words, minhash_of_normalized, normalize_parts, normalized_hash
from .processes import die_with_parent
from .sources import budget, paths, tabular
from .sources.read import is_url, read_file, unpacked
from .sources.registry import Reader, pick_reader
from .sources.titles import program_title
from .store.archive import is_fetched

# Below this many words a text has too few shingles for a near-duplicate estimate to mean
# anything (its MinHash is not computed).
NEAR_DUPLICATE_MIN_WORDS = 25
# Batches with fewer file inputs are prepared in-process: starting a worker costs about a second.
POOL_MIN_INPUTS = 200
IN_FLIGHT_PER_WORKER = 512  # inputs a worker may run ahead: rides out its stalls, bounds memory


@dataclass(frozen=True)
class PreparedDocument:
    doc: ParsedDocument  # completed: date, language, category, URL, title
    content_hash: str
    signature: array[int] | None  # MinHash of title + body; None when too short to compare
    # A row of a CSV or JSON import may give its document's kind and party (the open data's
    # documents.csv does); kind None: the input's (`PreparedInput.kind`); party None: `--party`.
    kind: SourceKind | None = None
    party: str | None = None


@dataclass
class PreparedInput:
    """One input ready to store: its raw bytes (kept once under their hash) and documents."""

    origin: str
    data: bytes
    media_type: str | None
    reader: str
    reader_version: str
    kind: SourceKind
    documents: list[PreparedDocument]
    warnings: list[str] = field(default_factory=list)
    spent: float = 0.0  # seconds of the input's time budget spent preparing it
    # what the response said, for its archived copy (store/archive.py); None: not fetched
    fetched_at: dt.datetime | None = None
    http_headers: dict[str, str] = field(default_factory=dict)
    http_status: int | None = None

    def fetched(self) -> RawInput | None:
        """The response as fetched over HTTP, to archive; None for a file or an upload."""
        raw = RawInput(
            self.data,
            self.origin,
            self.media_type,
            self.fetched_at,
            self.http_headers,
            self.http_status,
        )
        return raw if is_fetched(raw) else None


@dataclass
class UnpackedInput(PreparedInput):
    """A prepared input read from unpacked bytes (a gzipped body) whose archived copy is the
    packed response, as it was fetched."""

    packed: RawInput | None = None

    @classmethod
    def of(cls, prepared: PreparedInput, packed: RawInput) -> UnpackedInput:
        values = {f.name: getattr(prepared, f.name) for f in fields(PreparedInput)}
        return cls(**values, packed=packed)

    def fetched(self) -> RawInput | None:
        if self.packed is None or not is_fetched(self.packed):
            return None
        return self.packed


# Media types that say the body is packed, or nothing of what it is: once unpacked, the type
# is guessed from the URL's path (`feed.xml.gz` is XML), as it is from a file's name.
_PACKED_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")


def unpacked_response(fetched: RawInput, max_bytes: int) -> RawInput:
    """A fetched body that is gzip bytes (a `.gz` file served as application/gzip or
    application/octet-stream, or a feed gzipped without Content-Encoding, which httpx would
    have undone) unpacked within `max_bytes` (a gzip bomb is a TooLargeError naming the URL);
    any other body as it is. The caller archives `fetched` itself: the response as it came."""
    raw = unpacked(fetched, max_bytes=max_bytes)
    if raw is fetched:
        return raw
    if raw.media_type is None or raw.media_type in _PACKED_TYPES:
        guessed, _ = mimetypes.guess_type(urlsplit(raw.origin).path)  # of what is inside
        raw = replace(raw, media_type=guessed)
    return raw


def prepare_fetched(
    fetched: RawInput, options: IngestOptions, settings: Settings
) -> PreparedInput | InputReport:
    """`prepare_or_report` for a response: a gzipped body is read, and stored, unpacked, while
    its archived copy stays the response as fetched. Files are unpacked by `read_file`."""
    try:
        raw = unpacked_response(fetched, settings.max_input_bytes)
    except LofteError as exc:
        return InputReport(origin=fetched.origin, error=describe(exc))
    prepared = prepare_or_report(raw, options, settings)
    if isinstance(prepared, PreparedInput) and raw is not fetched:
        return UnpackedInput.of(prepared, fetched)
    return prepared


def prepare_raw(raw: RawInput, options: IngestOptions, settings: Settings) -> PreparedInput:
    """Parse and complete one input's documents; raises for an input that cannot be used."""
    warnings: list[str] = []
    clock = budget.Clock(raw.origin, settings.input_time_budget)
    with clock.running():
        reader, text = pick_reader(raw, options.reader, notes=warnings)
        documents = budget.parse(reader, raw, text, settings)  # cleaned of control characters
        del text  # the decoded input (twice its bytes, or four times) is not needed any more
        if not documents:
            raise InputError(raw.origin, f"the {reader.name} reader found no documents")
        faults = {str(d.extra["feed_warning"]) for d in documents if d.extra.get("feed_warning")}
        warnings += [  # the entries read are kept; the fault may have cut the last ones short
            f"malformed feed ({fault}): {len(documents)} entries read; the entry at the fault "
            "and those after it may be cut short, merged or missing"
            for fault in sorted(faults)
        ]
        warnings += sorted(
            {str(d.extra["feed_entities"]) for d in documents if d.extra.get("feed_entities")}
        )
        warnings += _date_warnings(documents)
        warnings += [  # read whole, in a guessed encoding: worth a look, nothing was cut
            f"the feed is not in the encoding it declares ({note}); check its å, ä and ö"
            for note in sorted(
                {str(d.extra["feed_encoding"]) for d in documents if d.extra.get("feed_encoding")}
            )
        ]
        if options.title is not None and len(documents) != 1:
            raise InputError(
                raw.origin,
                f"--title names one document, but the {reader.name} reader found {len(documents)}",
            )
        kind = (
            options.kind
            or paths.kind_from_category(paths.category_from_path(raw.origin))  # a bill
            or SourceKind(getattr(reader, "default_kind", SourceKind.NEWS.value))
        )
        if options.party and kind is not SourceKind.PROGRAM:
            raise InputError(raw.origin, f"--party is for programs, and this input is {kind.value}")
        ready = []
        for doc in documents:
            doc, doc_kind, party = _row_kind_and_party(doc, reader, kind, options)
            doc = _complete(
                _titled(doc, raw.origin, reader, doc_kind, options),
                options,
                raw.fetched_at,
                raw.origin,
                program=doc_kind is SourceKind.PROGRAM,
            )
            ready.append(_hashed(doc, doc_kind, party))
    return PreparedInput(
        origin=raw.origin,
        data=raw.data,
        media_type=raw.media_type,
        reader=reader.name,
        reader_version=reader.version,
        kind=kind,
        documents=ready,
        warnings=warnings,
        spent=clock.spent,
        fetched_at=raw.fetched_at,
        http_headers=dict(raw.http_headers),
        http_status=raw.http_status,
    )


# What the feed reader notes of an entry's date that is no publication date (sources/feed.py),
# and how a warning says it; the value quoted for a date that cannot be read, which has commas.
_DATE_NOTES = (
    ("future_date", "dated after the day the feed was read", "{}"),
    ("early_date", f"dated before {MIN_YEAR}", "{}"),
    ("unreadable_date", "with a date that cannot be read", '"{}"'),
)


def _date_warnings(documents: Sequence[ParsedDocument]) -> list[str]:
    """One warning per kind of feed date kept out (after the reading, before MIN_YEAR,
    unreadable), counting the entries and quoting the first three dates (QA: unreadable ones
    were dropped without a word)."""
    warnings = []
    for key, what, quoted in _DATE_NOTES:
        found = [str(d.extra[key]) for d in documents if d.extra.get(key)]
        if found:
            shown = ", ".join(quoted.format(date) for date in sorted(set(found))[:3])
            entries = "entry" if len(found) == 1 else "entries"
            warnings.append(f"{len(found)} {entries} {what} ({shown}) kept without a date")
    return warnings


def _row_kind_and_party(
    doc: ParsedDocument, reader: Reader, kind: SourceKind, options: IngestOptions
) -> tuple[ParsedDocument, SourceKind, str | None]:
    """A document's kind and the party a row of a CSV or JSON import gives it (QA: the open
    data's documents.csv came back as news without its kinds and parties): `--kind` and
    `--party` win; a row's party without a kind makes a program, as `--party` does. Other
    readers' documents are of the input's kind (the party is `--party`'s: None here)."""
    if reader.name not in tabular.IMPORT_READERS:
        return doc, kind, None
    doc, row_kind, row_party = tabular.row_kind_and_party(doc)
    party = None if options.party else row_party
    if options.kind is not None:
        return doc, options.kind, party
    if row_kind is None and party is not None:
        row_kind = SourceKind.PROGRAM
    return doc, row_kind or kind, party


def _hashed(
    doc: ParsedDocument, kind: SourceKind | None = None, party: str | None = None
) -> PreparedDocument:
    """The document with its content hash and MinHash, both of title + body normalized once
    (a 50 MB input was normalized twice and split into a word list twice), without a copy of
    title + body joined (`normalize_parts`)."""
    normalized = normalize_parts((doc.title, doc.body))
    enough = has_words((doc.title, doc.body), NEAR_DUPLICATE_MIN_WORDS)
    signature = minhash_of_normalized(normalized) if enough else None
    return PreparedDocument(doc, normalized_hash(normalized), signature, kind, party)


def prepare_or_report(
    raw: RawInput, options: IngestOptions, settings: Settings
) -> PreparedInput | InputReport:
    """`prepare_raw`, or the failed input's report naming its error."""
    try:
        return prepare_raw(raw, options, settings)
    except Exception as exc:  # noqa: BLE001 - any failure fails this input only, and is named
        return InputReport(origin=raw.origin, error=describe(exc))


def _prepare_path(
    origin: str, root: str, options: IngestOptions, settings: Settings
) -> PreparedInput | InputReport:
    """A worker's job: read one file and prepare it."""
    try:
        raw = read_file(origin, settings.max_input_bytes)
    except LofteError as exc:
        return InputReport(origin=origin, error=describe(exc))
    return prepare_or_report(raw, replace(options, input_root=root), settings)


def default_workers(settings: Settings) -> int:
    """The setting, or one process per core beyond the one that stores."""
    if settings.ingest_workers > 0:
        return settings.ingest_workers
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def prepare_inputs(
    pairs: Sequence[tuple[str, str]],
    options: IngestOptions,
    settings: Settings,
    *,
    read: Callable[[str], RawInput] | None = None,
    workers: int | None = None,
    before_wait: Callable[[], None] = lambda: None,
) -> Generator[tuple[str, PreparedInput | InputReport], None, None]:
    """(origin, prepared input or failed report) for each (origin, root), in input order.

    Large batches of files go to a pool of worker processes with a bounded number of inputs in
    flight; URLs, a custom `read` and small batches are prepared here, one at a time.
    `before_wait` is called before the next input is waited for or prepared here (the caller
    commits what it stored, rather than hold a transaction open while idle)."""
    workers = default_workers(settings) if workers is None else workers
    files = [p for p in pairs if not is_url(p[0])]
    if read is not None or workers < 1 or len(files) < POOL_MIN_INPUTS:
        for origin, root in pairs:
            before_wait()
            yield origin, _prepare_here(origin, root, options, settings, read)
        return
    limit = workers * IN_FLIGHT_PER_WORKER
    pool = _pool(workers)
    try:
        pending: deque[tuple[str, str, Future[PreparedInput | InputReport] | None]] = deque()
        position = 0
        while position < len(pairs) or pending:
            while position < len(pairs) and len(pending) < limit:
                origin, root = pairs[position]
                position += 1
                future = None if is_url(origin) else _submit(pool, origin, root, options, settings)
                pending.append((origin, root, future))
            origin, root, future = pending.popleft()
            if future is None or not future.done():
                before_wait()
            if future is None:  # a URL: fetched here, in order
                yield origin, _prepare_here(origin, root, options, settings, None)
                continue
            item: PreparedInput | InputReport | None
            try:
                item = future.result()
            except BrokenProcessPool:
                item = None
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                item = InputReport(origin=origin, error=f"{_STOPPED}: {describe(exc)}")
            if item is None:
                before_wait()  # what is stored is committed before the pool is rebuilt
                # A worker died (the kernel's out-of-memory killer, a crash in C), which breaks
                # the pool and every input it held. This input is read again in a worker of its
                # own, the others it held in a new pool: only an input that kills its worker
                # again fails, named, and the batch goes on.
                pool.shutdown(wait=True, cancel_futures=True)
                item = _prepare_alone(origin, root, options, settings)
                pool = _pool(workers)
                pending = deque(
                    (
                        o,
                        r,
                        f if f is None or _succeeded(f) else _submit(pool, o, r, options, settings),
                    )
                    for o, r, f in pending
                )
            yield origin, item
            item = None  # not held while the next input is awaited
    finally:  # also when the caller stops early (Ctrl-C): files not yet begun are never read
        pool.shutdown(wait=True, cancel_futures=True)


_STOPPED = "the worker reading it stopped"


def _pool(workers: int) -> ProcessPoolExecutor:
    # Forked workers start at once with everything imported, and work in scripts without a
    # `__main__` guard (spawned ones re-import the main module). They only read and parse.
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_deaf_to_ctrl_c,
        initargs=(os.getpid(),),
    )


def _submit(
    pool: ProcessPoolExecutor, origin: str, root: str, options: IngestOptions, settings: Settings
) -> Future[PreparedInput | InputReport]:
    """The input handed to the pool. A pool a worker's death broke since the last input was
    awaited refuses it (QA: BrokenProcessPool from here ended the whole ingest with a
    traceback): the input then gets a future failed the same way, so that when its turn
    comes it is read again like the inputs the dead worker held, and the pool rebuilt."""
    try:
        return pool.submit(_prepare_path, origin, root, options, settings)
    except BrokenProcessPool as exc:
        refused: Future[PreparedInput | InputReport] = Future()
        refused.set_exception(exc)
        return refused


def _succeeded(future: Future[PreparedInput | InputReport]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _prepare_alone(
    origin: str, root: str, options: IngestOptions, settings: Settings
) -> PreparedInput | InputReport:
    """One input prepared in a worker process of its own; its report when that dies too."""
    with _pool(1) as alone:
        try:  # the submit too: its worker may be gone before the input is handed to it
            return alone.submit(_prepare_path, origin, root, options, settings).result()
        except BrokenProcessPool:
            why = "the process reading it was killed (out of memory?) or crashed, twice"
            return InputReport(origin=origin, error=f"{_STOPPED}: {why}")
        except Exception as exc:  # noqa: BLE001 - named, the batch goes on
            return InputReport(origin=origin, error=f"{_STOPPED}: {describe(exc)}")


def _deaf_to_ctrl_c(parent: int) -> None:
    """A worker ignores Ctrl-C (the terminal sends it to every process of the command): the
    process that stores decides when to stop, and stops the workers. It dies with that process
    (`kill -9` of ingest left its workers adopted by init)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _prepare_here(
    origin: str,
    root: str,
    options: IngestOptions,
    settings: Settings,
    read: Callable[[str], RawInput] | None,
) -> PreparedInput | InputReport:
    try:
        raw = read(origin) if read is not None else read_any(origin, settings)
    except LofteError as exc:
        return InputReport(origin=origin, error=describe(exc))
    options = replace(options, input_root=root)
    if is_fetched(raw):  # a gzipped body is read unpacked, archived as fetched
        return prepare_fetched(raw, options, settings)
    return prepare_or_report(raw, options, settings)


def read_any(origin: str, settings: Settings) -> RawInput:
    if is_url(origin):
        from .sources.fetch import fetch_raw  # imported lazily: only URL inputs need httpx

        return fetch_raw(origin, settings=settings)
    return read_file(origin, settings.max_input_bytes)


def describe(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.message
    if isinstance(exc, LofteError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# Characters of a body an undated text's date is inferred from. A news text or a program is
# shorter (the longest of the four 2022 manifestos: 76,000); a 50 MB single-document dump
# read whole took most of its ingest time and a copy of itself to guess a date.
DATE_HEAD = 100_000


def _complete(
    doc: ParsedDocument,
    options: IngestOptions,
    fetched_at: dt.datetime | None = None,
    origin: str = "",
    *,
    program: bool = False,
) -> ParsedDocument:
    """Add what the reader could not know: the user's date, else the month the file's folders
    give, else the dateline opening the text ("Stockholm 2 november 2026 – …"), else the day the
    file says it was made (a PDF's metadata: a file is sometimes made again), else an inferred date
    (never after the text was fetched, or today); the category the folders give; the original
    page (`--url-base`); the language."""
    date = doc.date or options.date or paths.date_from_path(origin)
    if date is None:
        fetched = (fetched_at or dt.datetime.now(dt.UTC)).date()
        date = (
            dateline_date(doc.title, doc.body, not_after=fetched)
            or _made_date(doc, fetched)
            or infer_publication_date(
                f"{doc.title}\n{doc.body[:DATE_HEAD]}", not_after=fetched, looking_ahead=program
            )
        )
    language = doc.language or detect_language(language_sample(doc.body))
    url = doc.url
    if url is None and options.url_base and options.input_root:
        # A file's origin is its resolved path (read_file): so must the folder be, or a folder
        # given relative to the working directory (`lofte ingest regeringen/`) links nothing.
        root = options.input_root if is_url(origin) else str(Path(options.input_root).resolve())
        url = paths.page_url(origin, root, options.url_base)
    category = doc.category or paths.category_from_path(origin)
    return replace(doc, date=date, language=language, url=_web_url(url), category=category)


def _made_date(doc: ParsedDocument, fetched: dt.date) -> DateValue | None:
    """The day a reader found in the file's metadata (`metadata_date`), unless it is after the
    text was fetched (a wrong clock). Weaker than the user's date or the folders: a file is
    sometimes made again long after it was first published."""
    made = doc.extra.get("metadata_date")
    if not isinstance(made, str) or not made:
        return None
    day = dt.date.fromisoformat(made)
    if day > fetched:
        return None
    return DateValue(day, DatePrecision.DAY, DateProvenance.METADATA, confidence=0.8)


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
    if reader.name == "plaintext" and written_heading(doc.title):
        return doc  # its first line, a heading as written (QA: the file's name replaced it)
    metadata = doc.extra.get("metadata_title")
    title = program_title(
        metadata if isinstance(metadata, str) else None, origin, doc.title, doc.body
    )
    return replace(doc, title=clean_text(title))


def _first_heading(doc: ParsedDocument) -> str | None:
    headings = doc.extra.get("headings")
    if not isinstance(headings, list) or not headings:
        return None
    first = headings[0]
    if not (isinstance(first, list) and len(first) == 2 and all(isinstance(i, int) for i in first)):
        return None
    return doc.body[first[0] : first[1]]
