"""Ingest: read → parse → date/language → store, one savepoint per input.

Inputs that are ready together share a transaction, each in a savepoint (ingest_batch.py),
and are reported once it is committed. An input that fails (unreadable, unparsable, a crash in
a reader or in the store) is rolled back whole and reported with its error; the rest of the
batch goes on. Running the same input twice changes nothing the second time.

Except when the database can store nothing more (`store.db.stops_writes`): a database that
cannot be reached, or a SQLite file deleted under the run, is raised (UnavailableError: the
command's one line, nothing reported as stored that is not in the file); a full disk stops the
run at the input that met it, reported failed with how many were not stored.
"""

from __future__ import annotations

import contextlib
import random
import shlex
import signal
import threading
import time
from array import array
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType

from .config import Settings, get_settings
from .errors import ConflictError, InputError, NotFoundError, UnavailableError, ValidationError
from .ingest_batch import StoringBatch
from .ingest_prepare import (
    NEAR_DUPLICATE_MIN_WORDS,
    PreparedInput,
    describe,
    prepare_fetched,
    prepare_inputs,
    prepare_or_report,
)
from .ingest_records import IngestInterrupted, IngestOptions, IngestReport, InputReport, Outcome
from .language.controls import clean_text
from .model import ParsedDocument, RawInput, SourceKind
from .party_warnings import no_party_warnings
from .pipeline.dedup import band_keys, estimate_jaccard, has_words, minhash_signature
from .review.reasons import addressable
from .sources import budget
from .sources.read import Scan, scan_inputs
from .sources.registry import check_reader_name
from .store import archive as archive_store
from .store import documents as document_store
from .store import near_duplicates as near_store
from .store import trackers as tracker_store
from .store.archive import is_fetched
from .store.audit import SYSTEM_ACTOR
from .store.db import Session, Store, stops_writes
from .store.documents import Saved

__all__ = [
    "IngestInterrupted",
    "IngestOptions",
    "IngestReport",
    "InputReport",
    "Outcome",
    "checked_options",
    "ingest",
    "ingest_raw",
]

DEFAULT_OPTIONS = IngestOptions()

ProgressCallback = Callable[[InputReport], None]

# Estimated Jaccard of word 5-shingles from which two documents count as the same text
# (the same press release in two feeds, re-published with a changed line or a new footer).
NEAR_DUPLICATE_THRESHOLD = 0.8


def _signature(stored: bytes) -> array[int]:
    signature = array("I")
    signature.frombytes(stored)
    return signature


class NearDuplicates:
    """Near-duplicate lookup over each tracker's stored documents.

    The LSH bucket keys of an input's texts are looked up in the store together
    (`read_ahead`, `store.near_duplicates`) and the candidates' MinHash compared, so memory
    holds one input's candidates, not a tracker's signatures. The keys of an input's documents
    are written after its rows, in its transaction (`write`): documents of one input are not
    compared with each other, and a rolled-back input leaves no keys behind.
    """

    def __init__(self) -> None:
        # (tracker, document, its keys, whether it may have keys stored from before)
        self._pending: list[tuple[int, int, list[int], bool]] = []
        self._ahead: set[tuple[int, int]] = set()  # (tracker, key) read ahead
        self._under: dict[tuple[int, int], list[int]] = {}  # (tracker, key) -> documents
        self._stored: dict[int, tuple[int | None, bytes]] = {}  # id -> (duplicate_of, MinHash)
        self._keys: dict[bytes, list[int]] = {}  # a signature -> its keys (this input's)

    def read_ahead(
        self, session: Session, tracker_id: int, signatures: Sequence[array[int] | None]
    ) -> None:
        """Read the stored documents that share a key with these texts' signatures."""
        keys = {k for sig in signatures if sig is not None for k in self._keys_of(sig)}
        keys -= {k for t, k in self._ahead if t == tracker_id}
        under, stored = near_store.sharing_keys(session, tracker_id, sorted(keys))
        self._ahead.update((tracker_id, k) for k in keys)
        self._under.update(((tracker_id, k), ids) for k, ids in under.items())
        self._stored.update(stored)

    def original_of(
        self,
        session: Session,
        tracker_id: int,
        doc_id: int,
        text: str | None,
        signature: array[int] | None = None,
        *,
        new: bool = False,
    ) -> int | None:
        """The oldest stored document this text nearly repeats, or None; remembers the text's
        keys for `write`. `signature`: its MinHash when already computed (by a preparing
        worker, and then usually read ahead), and then `text` is not needed (None: no copy of
        a long text is made for nothing); `new`: the document was inserted by this input, so it
        has no keys to replace."""
        keys: list[int] = []
        found = None
        if signature is None and text is not None and has_words(text, NEAR_DUPLICATE_MIN_WORDS):
            signature = minhash_signature(text)
        if signature is not None:
            keys = self._keys_of(signature)
            if any((tracker_id, k) not in self._ahead for k in keys):
                self.read_ahead(session, tracker_id, [signature])
            candidates = {d for k in keys for d in self._under.get((tracker_id, k), ())}
            roots = []
            for other in candidates - {doc_id}:  # not its own keys from before an update
                duplicate_of, stored = self._stored[other]
                if estimate_jaccard(signature, _signature(stored)) >= NEAR_DUPLICATE_THRESHOLD:
                    roots.append(duplicate_of or other)
            found = min(roots) if roots else None
        self._pending.append((tracker_id, doc_id, keys, not new))
        return found

    def _keys_of(self, signature: array[int]) -> list[int]:
        """A signature's bucket keys, made once per input (for the read-ahead and the write)."""
        data = signature.tobytes()
        keys = self._keys.get(data)
        if keys is None:
            keys = self._keys[data] = band_keys(signature)
        return keys

    def write(self, session: Session) -> None:
        """Store the keys of the texts looked up since the last write (their document rows
        flushed), replacing what an updated document had."""
        near_store.replace_keys(session, self._pending)
        self.rollback()

    def rollback(self) -> None:
        self._pending.clear()
        self._ahead, self._under, self._stored, self._keys = set(), {}, {}, {}

    commit = rollback  # what was pending is written or gone with its transaction


def ingest(
    store: Store,
    inputs: Sequence[str],
    options: IngestOptions = DEFAULT_OPTIONS,
    *,
    settings: Settings | None = None,
    on_input: ProgressCallback | None = None,
    read: Callable[[str], RawInput] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files, folders (recursively) and URLs. Never raises for a bad input.

    Files are read and parsed by `workers` processes (default: the setting `ingest_workers`)
    while this process stores what they prepared, in input order; URLs are always fetched here,
    where the per-host politeness interval is kept."""
    settings = settings or get_settings()
    options = checked_options(store, options, settings)
    near = NearDuplicates()
    scan = scan_inputs(inputs, options.include)
    report = IngestReport(planned=len(scan.refused) + len(scan.found))
    slug = options.tracker or settings.default_tracker  # made on first use, as documented
    with store.session() as session:
        trackers = tracker_store.list_trackers(session)
        before = [t.slug for t in trackers]
    if any(t.slug == slug and t.archived_at is not None for t in trackers):
        report.archived_tracker = slug
    try:
        _store_inputs(store, scan, options, settings, report, near, on_input, read, workers)
    finally:  # also when interrupted: the tracker may have been made by the inputs stored
        # made by this ingest's own committed insert, not merely missing before: of two
        # ingests at once, only the one whose insert the database took says it made it (QA)
        made = {i.made_tracker for i in report.inputs if i.made_tracker and not i.error}
        if made and _tracker_id(store, slug) in made:
            report.created_tracker = slug
            report.other_trackers = [t for t in before if t != slug]
            report.by_default = options.tracker is None
    return report


def _tracker_id(store: Store, slug: str) -> int | None:
    """The tracker's id, read without a commit: after an interrupted batch's commit the
    ingest's last commit stays the one that stored it (tests/test_ingest_interrupt.py)."""
    session = store.new_session()
    try:
        return tracker_store.tracker_id_of(session, slug)
    finally:
        session.rollback()
        session.close()


def _store_inputs(
    store: Store,
    scan: Scan,
    options: IngestOptions,
    settings: Settings,
    report: IngestReport,
    near: NearDuplicates,
    on_input: ProgressCallback | None,
    read: Callable[[str], RawInput] | None,
    workers: int | None,
) -> None:
    for origin, why in scan.refused:  # named, never read
        report.inputs.append(InputReport(origin=origin, error=why))
        if on_input:
            on_input(report.inputs[-1])

    def reported(items: list[InputReport]) -> None:
        report.inputs.extend(items)  # all of them first: a callback that fails loses none
        for item in items:
            if on_input:
                on_input(item)

    batch = StoringBatch(
        store,
        lambda session, prepared: _write_prepared(session, prepared, options, settings, near),
        lambda prepared: _store_alone(store, prepared, options, settings, near, stop=True),
        reported,
        near.rollback,
        hold=lambda: interrupts_held(second_stops=False),  # a batch committed is reported
    )

    def commit_batch() -> None:
        with interrupts_held():
            batch.commit()

    prepared_inputs = prepare_inputs(
        scan.found, options, settings, read=read, workers=workers, before_wait=commit_batch
    )
    try:
        for _origin, prepared in prepared_inputs:
            with interrupts_held():
                if isinstance(prepared, InputReport):  # unreadable or unparsable: named
                    batch.commit()  # reported in input order
                    reported([prepared])
                else:
                    batch.add(prepared)
                del prepared  # its bytes and texts go with its batch, not after the next input
        commit_batch()
    except KeyboardInterrupt as exc:
        # Inputs stored whole are committed and reported first, before the workers are
        # waited for (the write lock is not held meanwhile); pressed again, stop regardless.
        with contextlib.suppress(KeyboardInterrupt):
            commit_batch()
        with contextlib.suppress(KeyboardInterrupt):
            prepared_inputs.close()  # the workers stop; files not yet read are never read
        raise IngestInterrupted(report) from exc
    except _Stopped as stop:
        # The disk took no more: the batches committed before stay reported; this input is
        # the one failure named, not each of the thousands after it (QA: 2,162 lines).
        _stop_reading(batch, prepared_inputs)
        rest = report.planned - len(report.inputs) - 1
        not_stored = f": the other {_inputs(rest)} were not stored" if rest > 0 else ""
        stop.item.error = (
            f"{stop.item.error}; ingest stopped{not_stored} (the same command again goes on "
            "once there is room: what is stored stays unchanged)"
        )
        reported([stop.item])
    except BaseException:  # the database unreachable, its file gone: the command's one line
        _stop_reading(batch, prepared_inputs)
        raise


class _Stopped(Exception):
    """A batch's input met an error after which nothing can be stored (a full disk): `item`
    is its report, failed."""

    def __init__(self, item: InputReport) -> None:
        super().__init__(item.error)
        self.item = item


def _stop_reading(batch: StoringBatch, prepared_inputs: Generator[object, None, None]) -> None:
    """Roll back the open batch (not reported) and stop the workers: nothing more is read."""
    with contextlib.suppress(Exception, KeyboardInterrupt):
        batch.abort()
    with contextlib.suppress(Exception, KeyboardInterrupt):
        prepared_inputs.close()


def _inputs(n: int) -> str:
    return "1 input" if n == 1 else f"{n} inputs"


class _Hold:
    """The SIGINT handler of `interrupts_held`: counts the presses; with `second_stops`, a
    second press raises at once."""

    def __init__(self, pressed: list[int], second_stops: bool) -> None:
        self.pressed, self.second_stops = pressed, second_stops

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.pressed and self.second_stops:
            raise KeyboardInterrupt
        self.pressed.append(signum)


@contextmanager
def interrupts_held(*, second_stops: bool = True) -> Iterator[None]:
    """Ctrl-C while inputs are stored takes effect once they are committed and reported (at
    most about a second: ingest_batch.BATCH_SECONDS), so an interrupted ingest knows exactly
    what it committed. A second Ctrl-C stops at once: the open transaction is then rolled back
    whole; but not with `second_stops=False` (a commit and its reports: the batch is in the
    database once the commit returns, so it must be reported whole). Nested inside another
    hold, the presses count for both, and the outermost raises. Only in the main thread and
    while Python's own handler or a hold is in place (`lofte watch` has its own)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not (
        previous is signal.default_int_handler or isinstance(previous, _Hold)
    ):
        yield
        return
    pressed: list[int] = previous.pressed if isinstance(previous, _Hold) else []
    signal.signal(signal.SIGINT, _Hold(pressed, second_stops))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed and not isinstance(previous, _Hold):
        raise KeyboardInterrupt


def ingest_raw(
    store: Store,
    raw: RawInput,
    options: IngestOptions = DEFAULT_OPTIONS,
    *,
    settings: Settings | None = None,
    near: NearDuplicates | None = None,
) -> InputReport:
    """Parse one raw input and store its documents in one transaction (all or nothing).

    A response fetched over HTTP is read as `ingest` reads a URL: a gzipped body unpacked
    (within LOFTE_MAX_INPUT_BYTES), its archived copy the response as fetched."""
    settings = settings or get_settings()
    prepared = prepare_raw(raw, options, settings)
    if isinstance(prepared, InputReport):
        return prepared
    return store_prepared(store, prepared, options, settings=settings, near=near)


def prepare_raw(
    raw: RawInput, options: IngestOptions, settings: Settings
) -> PreparedInput | InputReport:
    """Read one raw input into the documents `store_prepared` would store, storing nothing;
    an InputReport with its error when it cannot be read."""
    if is_fetched(raw):
        return prepare_fetched(raw, options, settings)
    return prepare_or_report(raw, options, settings)


def store_prepared(
    store: Store,
    prepared: PreparedInput,
    options: IngestOptions,
    *,
    settings: Settings | None = None,
    near: NearDuplicates | None = None,
) -> InputReport:
    """Store one prepared input's documents in one transaction (all or nothing)."""
    settings = settings or get_settings()
    return _store_alone(store, prepared, options, settings, near or NearDuplicates(), stop=False)


def _store_alone(
    store: Store,
    prepared: PreparedInput,
    options: IngestOptions,
    settings: Settings,
    near: NearDuplicates,
    *,
    stop: bool,
) -> InputReport:
    """`store_prepared`; with `stop`, an error after which no input can be stored
    (`stops_writes`) is raised instead of reported: UnavailableError as it is, a full disk as
    _Stopped with this input's report."""
    try:
        # The time budget covers parse and store, not the commit: an input is never reported
        # failed after it was stored. Over budget, the store's transaction rolls back whole.
        clock = _clock(prepared, settings)
        item = _store_with_retries(store, prepared, options, settings, near, clock)
    except Exception as exc:  # noqa: BLE001 - any failure fails this input only, and is named
        near.rollback()
        if stop and isinstance(exc, UnavailableError):
            raise
        failed = InputReport(origin=prepared.origin, reader=prepared.reader, error=describe(exc))
        if stop and stops_writes(exc):
            raise _Stopped(failed) from exc
        return failed
    near.commit()
    return item


def _write_prepared(
    session: Session,
    prepared: PreparedInput,
    options: IngestOptions,
    settings: Settings,
    near: NearDuplicates,
    clock: budget.Clock | None = None,
) -> InputReport:
    """Store one prepared input's documents in `session`, which the caller commits (a batch's
    savepoint, or the input's own transaction), within the input's time budget."""
    item = InputReport(origin=prepared.origin, reader=prepared.reader)
    clock = clock or _clock(prepared, settings)
    try:
        with clock.running():
            _store_documents(session, prepared, options, settings, item, near)
    finally:  # an input stored again alone (ingest_batch) has only what is left of its budget
        prepared.spent = clock.spent
    item.warnings[:0] = prepared.warnings  # what reading noticed (mixed encodings)
    near.commit()
    return item


def _clock(prepared: PreparedInput, settings: Settings) -> budget.Clock:
    """The input's time budget, less what preparing it spent."""
    clock = budget.Clock(prepared.origin, settings.input_time_budget)
    clock.spent = prepared.spent
    return clock


# How often an input is tried when another writer stores the same key at the same moment.
STORE_ATTEMPTS = 5
RETRY_PAUSE = 0.05  # seconds; a random pause up to this times the attempt number


def _store_with_retries(
    store: Store,
    prepared: PreparedInput,
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
        try:
            with store.session() as session:  # the clock stops before the session's commit
                item = _write_prepared(session, prepared, options, settings, near, clock)
        except ConflictError:
            near.rollback()
            if attempt == STORE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, RETRY_PAUSE * attempt))  # let the winner commit
        else:
            return item
    raise AssertionError("unreachable: the last attempt's conflict was raised")


def _store_documents(
    session: Session,
    prepared: PreparedInput,
    options: IngestOptions,
    settings: Settings,
    item: InputReport,
    near: NearDuplicates,
) -> None:
    tracker_id, made = tracker_store.ensure_tracker_id(
        session, options.tracker or settings.default_tracker, options.actor or SYSTEM_ACTOR
    )
    item.made_tracker = tracker_id if made else None
    kind = prepared.kind
    source_id = None
    if options.source:
        source_id = tracker_store.ensure_source(
            session, tracker_id, options.source, kind, prepared.origin
        ).id
    raw_sha = document_store.put_raw(session, prepared.data, prepared.media_type)
    # what is stored already under the input's keys and hashes, read in a few queries
    known = document_store.known_documents(
        session,
        tracker_id,
        prepared.origin,
        [(ready.doc.item_key, ready.content_hash) for ready in prepared.documents],
    )
    near.read_ahead(session, tracker_id, [ready.signature for ready in prepared.documents])
    parties = _RowParties(session, tracker_id, prepared.origin)
    left_alone = 0  # stored entries a malformed feed would have changed (`Saved.KEPT`)
    own: list[int] = []  # documents stored or changed from this input
    kept: list[int] = []  # documents of this input, unchanged, or of others it repeats exactly
    no_party: list[int] = []  # programs stored new without a party
    for ready in prepared.documents:
        doc = ready.doc
        party = options.party or parties.actor(ready.party, doc.item_key)
        saved, doc_id = document_store.save_document(
            session,
            tracker_id,
            prepared.origin,
            doc,
            content_hash=ready.content_hash,
            raw_sha256=raw_sha,
            parser=f"parse:{prepared.reader}",
            parser_version=prepared.reader_version,
            kind=ready.kind or kind,
            source_id=source_id,
            party=party,
            minhash=ready.signature.tobytes() if ready.signature is not None else None,
            known=known,
            given=_given(options, doc),
            actor=options.actor or SYSTEM_ACTOR,
        )
        item.document_ids.append(doc_id)
        as_stored = saved in (Saved.UNCHANGED, Saved.DUPLICATE, Saved.KEPT)
        (kept if as_stored else own).append(doc_id)
        if as_stored:
            item.unchanged += 1
            item.duplicates += saved is Saved.DUPLICATE
            left_alone += saved is Saved.KEPT
            continue
        item.inserted += saved is Saved.INSERTED
        item.updated += saved is Saved.UPDATED
        item.undated += doc.date is None
        if saved is Saved.INSERTED and party is None and (ready.kind or kind) is SourceKind.PROGRAM:
            no_party.append(doc_id)
        original = near.original_of(
            session,
            tracker_id,
            doc_id,
            None if ready.signature is not None else f"{doc.title}\n{doc.body}",
            ready.signature,
            new=saved is Saved.INSERTED,
        )
        if original is not None or saved is Saved.UPDATED:  # a new row starts as an original
            document_store.set_duplicate_of(session, doc_id, original)
        item.near_duplicates += original is not None
    for program in known.kept_programs:
        item.warnings.append(
            f"document {program} stays a program, not {kind.value}: pledges were extracted "
            "from it (lofte document edit changes its kind)"
        )
    item.warnings += _no_party_warnings(session, tracker_id, no_party)
    if left_alone:
        item.warnings.append(
            f"{left_alone} stored {'entry' if left_alone == 1 else 'entries'} of the malformed "
            "feed left as stored, not replaced by what was read this time"
        )
    session.flush()  # new rows are written with the others, here: inside the time budget
    near.write(session)
    fetched = prepared.fetched()
    if fetched is not None:
        _archive(session, fetched, own, kept)


def _no_party_warnings(session: Session, tracker_id: int, programs: list[int]) -> list[str]:
    """Programs stored without a party in a tracker of several actors (`party_warnings`)."""
    if not programs:
        return []
    return no_party_warnings(tracker_store.get_tracker_by_id(session, tracker_id), programs)


class _RowParties:
    """The parties rows of a CSV or JSON import name, checked as `--party` is: one of the
    tracker's actors (when it has any), spelled as the tracker spells it; another fails the
    input, naming the row."""

    def __init__(self, session: Session, tracker_id: int, origin: str) -> None:
        self.session, self.tracker_id, self.origin = session, tracker_id, origin
        self.actors: tuple[str, ...] | None = None  # read when a row first names a party

    def actor(self, party: str | None, item_key: str) -> str | None:
        if party is None:
            return None
        if self.actors is None:
            self.actors = tracker_store.get_tracker_by_id(self.session, self.tracker_id).actors
        if not self.actors:
            try:  # any name is taken, but not one its page could not be addressed by
                return addressable("party", party)
            except ValidationError as exc:
                raise InputError(self.origin, f"item {item_key}: {exc}") from None
        match = [a for a in self.actors if a.casefold() == party.casefold()]
        if not match:
            raise InputError(
                self.origin,
                f"item {item_key} (its id, else its row number): party {party!r} is not one of "
                f"the actors of the tracker: {', '.join(self.actors)}",
            )
        return match[0]


def _given(options: IngestOptions, doc: ParsedDocument) -> frozenset[str]:
    """What this ingest was told of the document: kept when it is read again without it."""
    given = {"title"} if options.title is not None else set()
    if options.kind is not None:
        given.add("kind")
    if options.date is not None and doc.date == options.date:  # not the text's own date
        given.add("date")
    return frozenset(given)


def _archive(session: Session, fetched: RawInput, own: list[int], kept: list[int]) -> None:
    """Keep the response as a WARC record, in this transaction (a failed input leaves none):
    new or changed documents point at it; unchanged ones keep the copy they were first read
    from (a feed whose build date changes every fetch would otherwise add a copy each run),
    and get this one only when they have none. Nothing new and nothing missing: no record."""
    missing = archive_store.without_archive(session, kept)
    if not own and not missing:
        return
    archive_id = archive_store.ensure_archived(session, fetched)  # reused for the same bytes
    archive_store.set_document_archive(session, own, archive_id)
    archive_store.set_document_archive(session, missing, archive_id, only_missing=True)


def checked_options(store: Store, options: IngestOptions, settings: Settings) -> IngestOptions:
    """The options checked once for the batch, not failed input by input: the tracker's slug
    and the forced reader must be possible, a title must hold text, a party must be one of the
    tracker's actors (when it has any), spelled as the tracker spells it."""
    tracker_store.check_slug(options.tracker or settings.default_tracker)
    if options.reader is not None:
        check_reader_name(options.reader)
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
        addressable("party", party)
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
                every = " ".join(f"--party {shlex.quote(a)}" for a in (*actors, party))
                raise ValidationError(
                    f"--party {party!r} is not one of the actors of tracker {slug!r}: "
                    f"{', '.join(actors)} (to add it: lofte tracker edit {slug} {every})"
                )
            party = match[0]
    kind = SourceKind.PROGRAM if party and options.kind is None else options.kind  # implied
    return replace(options, title=title, party=party, kind=kind)
