"""Link: news and decisions → evidence suggestions for pledges, incrementally, in the store.

The scoring is the pure stage `pipeline.link`; this module chooses what to score and writes the
suggestions. A run scores (a) documents the current linker version has not scored, against all
pledges, and (b) pledges that are new or were edited since they were scored, against all
documents. Link marks remember both; a pledge's mark holds a fingerprint of what the linker
reads of it (its text), so confirming it or changing its area is no edit for the linker.
Suggestions an editor accepted or rejected are never changed. A re-scored document's
suggestions are kept by their pair (pledge, document): one found again keeps its row and id, with
its values updated, one no longer found goes, a new one is added; suggestions for pledges that
are no longer linked (rejected, merged, split into parts) are dropped. An edited pledge is
re-scored with the full run's rule: a document gets the pledge only if it is among the
document's best TOP_K of all pledges, and such a document's suggestions are written afresh.

Pledges linked are the checkable units: confirmed or candidate pledges without children that
are themselves pledges (a list item split into commitments is linked through its parts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from . import linking_ids
from .config import get_settings
from .errors import LinkBusyError, LinkClaimLostError
from .language.analyze import Analyzer, get_analyzer
from .language.query import parse_query
from .linking_claim import TrackerClaim
from .linking_ids import sample_hash as sample_hash  # re-exported
from .model import DateProvenance, DateValue, Document, Pledge, SourceKind, Stance, Tracker
from .pipeline import dense as dense_stage
from .pipeline.constraints import LinkContext, check_document, date_checks, dates_allow
from .pipeline.e5_head import DIMENSIONS
from .pipeline.link import (
    LINKER,
    LINKER_VERSION,
    SUGGEST_THRESHOLD,
    DocumentText,
    PledgeIndex,
    PledgeText,
    Suggestion,
)
from .pipeline.link_index import STATS_FORMAT, BackgroundStats
from .pipeline.link_pool import default_workers, map_forked
from .store import derived as derived_store
from .store import documents as document_store
from .store import evidence as evidence_store
from .store import link_background as background_store
from .store import marks as stage_marks
from .store import pledges as pledge_store
from .store import search
from .store import trackers as tracker_store
from .store import vectors as vector_store
from .store.db import Session, Store

EVIDENCE_KINDS = (SourceKind.NEWS, SourceKind.DECISION, SourceKind.BUDGET, SourceKind.OTHER)
BATCH = 500  # documents scored and written per transaction
RERANKED = (
    400  # documents an editor's search from a pledge ranks with the linker (`rank_documents`)
)
# Documents whose word frequencies make the index's background (a sample beyond this): the
# government's whole record (8,926) fits, a store of a million costs as much as one of 20,000.
MAX_BACKGROUND = 20_000
STORE_CHUNK = 64  # dense vectors encoded and stored per transaction (the encoder's own batch)


class StoredEncoder:
    """The dense stage's encoder with the store as its memory: a text already encoded by this
    model is looked up, never encoded again; new vectors are written at once (their own
    transaction, so an interrupted run keeps what it paid for). `lookup_only`: texts without a
    stored vector come back as NaN rows instead of being encoded (a web request must not
    encode a whole record; the linker then keeps those documents' lexical order)."""

    def __init__(
        self,
        store: Store,
        *,
        lookup_only: bool = False,
        on_encoded: Callable[[int], None] | None = None,
        on_pending: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.lookup_only = lookup_only
        self.on_pending = on_pending  # told how many texts a call is about to encode
        self.model = dense_stage.E5Encoder(on_encoded=on_encoded)
        self.encoded = 0  # texts this encoder had to encode (the rest were stored)
        self.asked = 0  # calls of `queries`: the linker asks once a group of documents
        self.seconds = 0.0  # spent encoding them

    def queries(self, texts: Sequence[str]) -> Any:
        self.asked += 1
        return self._vectors("query", texts)

    def passages(self, texts: Sequence[str]) -> Any:
        return self._vectors("passage", texts)

    def _vectors(self, side: str, texts: Sequence[str]) -> Any:
        import numpy as np

        with self.store.session() as session:
            found = vector_store.get_vectors(session, dense_stage.MODEL, side, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing and not (self.lookup_only and side == "query"):
            encode = self.model.queries if side == "query" else self.model.passages
            if self.on_pending:  # the count of texts encoded gets a total (QA: none for minutes)
                self.on_pending(len(missing))
            # stored a chunk at a time: Ctrl-C loses at most the chunk being encoded (QA: a
            # whole group's vectors were lost, a hundred texts counted as encoded)
            for lo in range(0, len(missing), STORE_CHUNK):
                chunk = missing[lo : lo + STORE_CHUNK]
                started = time.perf_counter()
                fresh = encode(chunk)
                self.seconds += time.perf_counter() - started
                pairs = list(zip(chunk, fresh, strict=True))
                with self.store.session() as session:
                    vector_store.put_vectors(session, dense_stage.MODEL, side, pairs)
                found.update(pairs)
                self.encoded += len(chunk)
        dims = len(next(iter(found.values()))) if found else DIMENSIONS
        out = np.full((len(texts), dims), np.nan, dtype=np.float32)
        for i, text in enumerate(texts):
            if text in found:
                out[i] = found[text]
        return out


def linker_version(dense: bool) -> str:
    """The link marks' version: switching the dense stage on or off scores everything again."""
    return f"{LINKER_VERSION}+{dense_stage.MODEL}" if dense else LINKER_VERSION


@dataclass
class LinkReport:
    tracker: str
    pledges: int = 0
    documents_scored: int = 0
    pledges_rescored: int = 0
    suggestions: int = 0
    kept_decisions: int = 0  # suggestions not written because an editor already decided
    # suggestions of pairs that had none before, and undecided suggestions deleted because no
    # longer found or their pledge no longer linked, of every pledge (review: a run counted
    # every pair found again as a suggestion, and deletions went unreported)
    suggestions_new: int = 0
    suggestions_gone: int = 0
    dense: bool = False
    texts_encoded: int = 0  # passages and pledges the dense stage had to encode
    encoding_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    documents_new: int = 0  # documents this run set out to score against every pledge
    interrupted: bool = False  # Ctrl-C stopped it: the counts are what was stored
    # the tracker's suggestions waiting for review in the store when the run ended (QA: it was
    # counted only when a run was interrupted, and read 0 beside 52 new ones)
    suggestions_waiting: int = 0
    busy: bool = False  # another run was linking the tracker: this one did nothing for it
    # of the documents scored, those the date rules leave out (before the program, outside the
    # term, also a month that straddles its start): never suggested, said so (QA: a term's
    # first month was left out without a word)
    documents_out_of_dates: int = 0

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class LinkInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped `link`: `reports` holds the trackers linked and, last, the one it stopped
    in, whose counts are what its committed batches stored (each batch of documents is one
    transaction: a batch cut short is rolled back and linked on the next run). Still a
    KeyboardInterrupt for callers that do not look for it."""

    def __init__(self, reports: list[LinkReport]) -> None:
        super().__init__(f"linking stopped in {reports[-1].tracker if reports else '-'}")
        self.reports = reports


def link(
    store: Store,
    tracker: str | None = None,
    *,
    full: bool = False,
    dense: bool | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_encoded: Callable[[int], None] | None = None,
    on_pending: Callable[[int], None] | None = None,
) -> list[LinkReport]:
    """Link every tracker (or one). `full` forgets the marks and scores everything again.
    `dense`: the dense stage on or off (None: the `link_dense` setting); `on_encoded(n)` is
    called as it encodes texts (it encodes only what the store lacks), `on_pending(n)` before,
    with how many it is about to encode (the pledges, then each group's passages).
    `on_progress(done, total)`: documents, with the tracker's total, before the first, after
    each batch and, with the dense stage, after each group it encodes."""
    with store.session() as session:
        slugs = [tracker] if tracker else [t.slug for t in tracker_store.list_trackers(session)]
    use_dense = get_settings().link_dense if dense is None else dense
    encoder = (
        StoredEncoder(store, on_encoded=on_encoded, on_pending=on_pending) if use_dense else None
    )
    reports: list[LinkReport] = []
    started = _now()
    try:
        for slug in slugs:
            reports.append(LinkReport(slug, dense=encoder is not None))
            started = _now()
            try:
                _link_tracker(store, reports[-1], full, on_progress, encoder)
            except LinkBusyError as busy:  # another run links it: the next tracker
                reports[-1].busy = True
                reports[-1].errors.append(str(busy))
            except LinkClaimLostError as lost:  # its claim was taken over mid-way
                reports[-1].errors.append(str(lost))
            _count_waiting(store, reports[-1])
    except KeyboardInterrupt as exc:
        if reports:
            _stopped(store, reports[-1], started)
        raise LinkInterrupted(reports) from exc
    return reports


def _now() -> dt.datetime:
    """Naive UTC, as the store writes its marks' times (`_stopped` compares them)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _count_waiting(store: Store, report: LinkReport, started: dt.datetime | None = None) -> None:
    """The tracker's suggestions waiting for review now (none when it was deleted since);
    with `started`, of a run cut short, also the documents whose marks its committed batches
    wrote since then (`_stopped`)."""
    with store.session() as session:
        tracker_id = tracker_store.tracker_id_of(session, report.tracker)
        if tracker_id is None:
            return
        if started is not None and report.documents_new:
            version = linker_version(report.dense)
            stored = stage_marks.count_unmarked_documents(
                session, *_marked(tracker_id, version, True), since=started
            )
            report.documents_scored = min(stored, report.documents_new)
        report.suggestions_waiting = evidence_store.count_suggested(session, tracker_id)


def _stopped(store: Store, report: LinkReport, started: dt.datetime) -> None:
    """An interrupted tracker's counts as the store has them: the documents whose marks its
    committed batches wrote since it `started` (also those of batches done by a worker whose
    result never came back, and on a full run, whose documents were marked before), and the
    suggestions now waiting for review. Not the documents left unmarked, subtracted from those
    it set out to link: documents ingested meanwhile are unmarked too (QA: "-669 of 2331
    documents linked")."""
    report.interrupted = True
    _count_waiting(store, report, started)


class _Written(NamedTuple):
    written: int  # suggestions stored (new, changed or found again)
    kept: int  # wanted but left: an editor had decided the pair
    new: int  # pairs of any pledge that had no suggestion before
    gone: int  # undecided suggestions of any pledge deleted: no longer found


class _BatchDone(NamedTuple):
    read: int  # documents read
    scored: int  # of them scored against every pledge (not only changed ones)
    written: _Written
    out_of_dates: int  # of the documents scored, those the date rules leave out


def _link_tracker(
    store: Store,
    report: LinkReport,
    full: bool,
    on_progress: Callable[[int, int], None] | None,
    encoder: StoredEncoder | None,
) -> LinkReport:
    """Link one tracker under its claim (LinkBusyError: another run holds it)."""
    with store.session() as session:
        tracker_id = tracker_store.get_tracker(session, report.tracker).id
    with TrackerClaim(store, tracker_id, report.tracker) as claim:
        return _link_claimed(store, report, full, on_progress, encoder, claim)


def _link_claimed(
    store: Store,
    report: LinkReport,
    full: bool,
    on_progress: Callable[[int, int], None] | None,
    encoder: StoredEncoder | None,
    claim: TrackerClaim,
) -> LinkReport:
    slug = report.tracker
    version = linker_version(encoder is not None)
    encoded_before, seconds_before = (encoder.encoded, encoder.seconds) if encoder else (0, 0.0)
    with store.session() as session:
        tracker = tracker_store.get_tracker(session, slug)
        pledges = pledge_store.linkable_pledges(session, tracker.id)
        report.pledges = len(pledges)
        linkable = {p.id for p in pledges}
        unlinked = pledge_store.unlinked_ids(session, tracker.id, linkable)
        report.suggestions_gone += evidence_store.drop_unlinkable_suggestions(session, unlinked)
        derived_store.forget_unlinked_pledges(session, unlinked)
        if not pledges:
            return report
        evidence = linking_ids.StoredIds(store, tracker.id, EVIDENCE_KINDS, originals=True)
        # the new documents are found in the database: no run holds a whole store's marks
        pledge_marks = {} if full else stage_marks.pledge_marks(session, "link", tracker.id)
        # An edit for the linker is a change of what it reads, not of the pledge's version:
        # confirming bumps the version, and re-linking then renewed every suggestion (QA).
        changed: dict[int, tuple[str, int]] = {}
        adopted: dict[int, tuple[str, int]] = {}
        for p in pledges:
            stored, mark = pledge_marks.get(p.id), pledge_mark(version, p)
            if stored is not None and stored[0] == mark:
                continue
            # A mark of the form before fingerprints, (linker version, pledge version): linked
            # by this linker at this very version, so what it read is the text there is now. It
            # takes the new mark unscored (the first run after the upgrade re-linked every
            # pledge, the work of two full runs).
            (adopted if stored == (version, p.version) else changed)[p.id] = (mark, p.version)
        _mark_pledges_in(session, adopted)
        new, old = _work_counts(session, tracker.id, version, full, bool(changed))
        report.documents_new = new
        if not new and not changed:
            return report  # nothing new: no index to build
        programs = _programs(session, tracker.id)
    total = new + (old if changed else 0)
    # The total at once, before the statistics and the index are built (QA: "link: 0
    # documents" for the first 10 s); the first batch's encoding can take a minute more.
    if on_progress:
        on_progress(0, total)
    context = _context(tracker, programs)
    background = background_stats(store, tracker.id, evidence, rebuild=full)
    index = _index(pledges, background, programs, encoder)
    report.pledges_rescored = len(changed)
    # Ids and texts are read a batch at a time: memory stays bounded whatever the store's size.
    work = _work(store, tracker.id, version, full, sorted(changed) if changed and old else None)
    done = 0

    def taken(batch: list[DocumentText], first: int) -> Iterator[DocumentText]:
        """A batch's documents as the linker takes them. It takes a group, then encodes and
        scores it before it takes the next: when the encoder was asked since the last one
        taken, every document before that one is scored, and the documents' count (which
        has a total) moves on while a batch is encoded, not only when it is written (QA:
        the dense stage showed "0 of 9,020 documents" for a minute or more, beside a count of
        passages encoded without a total). The encoder runs here, never in a worker."""
        assert encoder is not None and on_progress is not None
        asked = encoder.asked
        for i, doc in enumerate(batch):
            claim.keep()  # encoding a group takes a while: the lease moves on meanwhile
            if encoder.asked != asked:
                asked = encoder.asked
                on_progress(first + i - 1, total)
            yield doc

    def run(item: tuple[list[int], list[int] | None]) -> _BatchDone:
        """One batch: read, link, write (in a worker process when there are several)."""
        batch_ids, only = item
        with store.session() as session:
            batch = _texts(session, batch_ids)
            had = evidence_store.documents_with_evidence(session, batch_ids, only or [])
        documents = taken(batch, done) if encoder and on_progress else batch
        chosen = batch if only is None else _touched(index, documents, batch, context, only, had)
        suggestions = index.link(documents if only is None else chosen, context)
        with store.session() as session:
            claim.hold(session)  # written only while this run holds the tracker
            written = _write(session, chosen, only, suggestions, version)
        outside = 0 if only is not None else sum(not _dated_in(d, context) for d in batch)
        return _BatchDone(len(batch), len(batch) if only is None else 0, written, outside)

    # Workers only for the lexical index: the dense encoder keeps its model and stored vectors
    # in this process and already uses every core.
    workers = (
        1 if encoder is not None or total <= BATCH else default_workers(get_settings().link_workers)
    )
    pledges_marked = False
    for part in map_forked(
        run, claim.kept(work), workers=workers, after_fork=partial(_worker_start, store)
    ):
        if part.scored and not pledges_marked and not full:
            # The first batch of new documents: results come in order, so every document
            # linked before is scored against the changed pledges, and each new one is scored
            # against all pledges. They are linked now: a run cut short leaves only its new
            # documents to the next (QA: it scored the whole record again for the pledges).
            # Not in a full run, which re-reads documents whose marks stand until then.
            _mark_pledges(store, changed, version)
            pledges_marked = True
        report.suggestions += part.written.written
        report.kept_decisions += part.written.kept
        report.suggestions_new += part.written.new
        report.suggestions_gone += part.written.gone
        report.documents_scored += part.scored
        report.documents_out_of_dates += part.out_of_dates
        done += part.read
        if on_progress:
            on_progress(done, total)
    if not pledges_marked:  # no new document: the changed pledges' phase was all
        _mark_pledges(store, changed, version)
    if encoder:
        report.texts_encoded = encoder.encoded - encoded_before
        report.encoding_seconds = round(encoder.seconds - seconds_before, 2)
    return report


def pledge_mark(version: str, pledge: Pledge) -> str:
    """A pledge's link mark: the linker's version and a fingerprint of what it reads of the
    pledge. Scoring and explanations read its text only (`PledgeText.area` is not scored), and
    whether it is linked at all is handled apart (`forget_unlinked_pledges`)."""
    fingerprint = hashlib.sha256(pledge.quote.encode("utf-8")).hexdigest()[:16]
    return f"{version}#{fingerprint}"


def _mark_pledges(store: Store, changed: dict[int, tuple[str, int]], version: str) -> None:
    with store.session() as session:
        _mark_pledges_in(session, changed)


def _mark_pledges_in(session: Session, marks: dict[int, tuple[str, int]]) -> None:
    """Each pledge's link mark (id → (mark, pledge version)), in one statement for them all."""
    stage_marks.set_marks_each(
        session, "link", "pledge", ((i, v, mark) for i, (mark, v) in marks.items())
    )


def _touched(
    index: PledgeIndex,
    documents: Iterable[DocumentText],
    batch: list[DocumentText],
    context: LinkContext,
    changed: list[int],
    had: set[int],
) -> list[DocumentText]:
    """The documents of a batch linked before whose suggestions the changed pledges can alter
    under the full run's rule (each document keeps its best TOP_K pledges of all): those where
    a changed pledge now reaches the threshold, and those where one had evidence (leaving the
    document's best, it frees a place another pledge takes). Elsewhere a changed pledge was
    and is not suggested, and the document's suggestions stay. Ranking every pair above the
    threshold is retrieval alone; only these documents are explained."""
    wanted = set(changed)
    near = {d for d, p, _ in index.rank(documents, context, top_k=None) if p in wanted}
    return [d for d in batch if d.id in near or d.id in had]


def _worker_start(store: Store) -> None:
    """A forked worker ignores Ctrl-C (the terminal sends it to every process of the command):
    the parent stops the pool, and a batch cut short is rolled back by its transaction."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store.after_fork()


def _work_counts(
    session: Session, tracker_id: int, version: str, full: bool, pledges_changed: bool
) -> tuple[int, int]:
    """(documents to link against every pledge, documents linked before, for the changed
    pledges): all and none for a full run; the second is not counted (0) when no pledge
    changed, as no document linked before is read then."""

    def count(marked: bool) -> int:
        return stage_marks.count_unmarked_documents(session, *_marked(tracker_id, version, marked))

    new = count(False)
    old = count(True) if full or pledges_changed else 0
    return (new + old, 0) if full else (new, old)


def _marked(
    tracker_id: int, version: str, marked: bool
) -> tuple[str, str, int, Sequence[SourceKind], bool, bool]:
    """The arguments of `stage_marks`' document queries for a run: link marks at `version` of
    the tracker's evidence originals (`marked` or not)."""
    return "link", version, tracker_id, EVIDENCE_KINDS, True, marked


def _work(
    store: Store, tracker_id: int, version: str, full: bool, changed: list[int] | None
) -> Iterator[tuple[list[int], list[int] | None]]:
    """The batches of a run, read a page at a time: with `changed` pledges, first the documents
    linked before, against those pledges only; then the new documents (all of them on a full
    run) against every pledge. Linking a batch marks its documents, so the new ones are read
    after the old (a page of new ones would otherwise become old under the reader)."""
    phases: list[tuple[bool | None, list[int] | None]] = []
    if changed:
        phases.append((True, changed))
    phases.append((None if full else False, None))
    for marked, only in phases:
        after = 0
        while True:
            with store.session() as session:
                if marked is None:
                    page = document_store.document_ids(
                        session,
                        tracker_id,
                        kinds=EVIDENCE_KINDS,
                        originals=True,
                        after=after,
                        limit=BATCH,
                    )
                else:
                    page = stage_marks.unmarked_documents(
                        session, *_marked(tracker_id, version, marked), after=after, limit=BATCH
                    )
            if not page:
                break
            yield page, only
            after = page[-1]


def _write(
    session: Session,
    batch: list[DocumentText],
    only: list[int] | None,
    suggestions: list[Suggestion],
    version: str,
) -> _Written:
    """Store the suggestions of whole documents (`evidence.sync_suggestions`: a pair found
    again keeps its id), counting only the `only` pledges' when given: documents linked
    before are then re-linked for those pledges and stay marked."""
    doc_ids = [int(d.id) for d in batch]
    if not doc_ids:
        return _Written(0, 0, 0, 0)
    synced = evidence_store.sync_suggestions(
        session,
        doc_ids,
        [
            evidence_store.NewSuggestion(
                pledge_id=int(s.pledge_id),
                document_id=int(s.document_id),
                start=s.span[0],
                end=s.span[1],
                score=float(s.score),
                features=s.features(),
                stance=s.stance,
                linker=LINKER,
                linker_version=version,
            )
            for s in suggestions
        ],
    )
    wanted = None if only is None else set(only)
    counted = [
        (s.pledge_id, s.document_id) for s in suggestions if wanted is None or s.pledge_id in wanted
    ]
    kept = sum(pair in synced.decided for pair in counted)
    if only is None:
        stage_marks.set_marks(session, "link", "document", ((i, None) for i in doc_ids), version)
    return _Written(
        len(counted) - kept,
        kept,
        # what changed in the review queue, of every pledge: a changed pledge also moves
        # others into or out of a document's best (review: they went unreported)
        len(synced.new),
        len(synced.gone),
    )


def background_sample(ids: Sequence[int], limit: int | None = None) -> list[int]:
    """`linking_ids.background_sample` with the cap MAX_BACKGROUND by default."""
    return linking_ids.background_sample(ids, MAX_BACKGROUND if limit is None else limit)


def sample_cutoff(ids: Sequence[int], limit: int | None = None) -> int | None:
    """`linking_ids.sample_cutoff` with the cap MAX_BACKGROUND by default."""
    return linking_ids.sample_cutoff(ids, MAX_BACKGROUND if limit is None else limit)


@functools.cache  # read on every editors' search: the installed versions do not change
def background_version() -> str:
    """What stored background statistics must match: the linker's and the statistics' format
    and the word analysis behind them (its libraries' versions)."""
    libraries = []
    for name in ("simplemma", "hunspell-sv", "PyStemmer"):
        try:
            libraries.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            libraries.append("-")
    return "/".join([LINKER_VERSION, str(STATS_FORMAT), *libraries])


def background_stats(
    store: Store,
    tracker_id: int,
    ids: Sequence[int] | linking_ids.EvidenceIds,
    *,
    rebuild: bool = False,
) -> BackgroundStats:
    """The tracker's background statistics, kept between runs: read from the store and
    extended with the documents added since (ids above the newest one counted, by the sample's
    hash rule), or built afresh from the sample of `ids` when there are none, they are of
    another version, or `rebuild`. `ids`: the tracker's evidence documents (`StoredIds` asks
    the database, a page at a time; a list stands for a part of the store). A document whose
    text changed keeps its old counts until a rebuild, and a deleted one stays counted: a
    small drift in document frequencies, which `lofte link --full` resets."""
    ids = linking_ids.ListedIds(ids) if isinstance(ids, Sequence) else ids
    analyzer = _analyzer()
    with store.session() as session:
        stored = background_store.get(session, tracker_id)
    stats = None if rebuild else _readable(stored)
    pages: Iterable[list[int]] = ()
    if stats is not None and stored is not None:
        documents, newest = ids.count()
        adding, _ = ids.count(after=stored.max_document_id, below=stats.cutoff)
        if _outgrown(stats, documents, adding):
            stats = None  # sampled afresh: one read of MAX_BACKGROUND texts, not of `adding`
        elif newest <= stored.max_document_id:
            return stats
        else:
            pages = ids.pages(after=stored.max_document_id, below=stats.cutoff, size=BATCH)
    if stats is None or stored is None:  # none kept, another version, unreadable: build them
        cutoff = ids.cutoff(MAX_BACKGROUND)
        stats = BackgroundStats(cutoff=cutoff)
        _, newest = ids.count()
        pages = ids.pages(below=cutoff, size=BATCH)
    for page in pages:  # texts read batch by batch: bounded memory
        with store.session() as session:
            texts = _texts(session, page)
        stats.add((d.title + "\n" + d.body for d in texts), analyzer)
    with store.session() as session:
        background_store.put(
            session,
            tracker_id,
            stored,
            version=background_version(),
            max_document_id=newest,
            data=stats.to_bytes(),
        )
    return stats


def _outgrown(stats: BackgroundStats, documents: int, adding: int) -> bool:
    """Whether kept statistics would count too many texts for a background: every document
    was counted and the store has passed MAX_BACKGROUND, or the sample would more than double
    since it was drawn. Sampling again then costs one read of MAX_BACKGROUND texts, however
    many documents arrived, and a store that grows a thousandfold is sampled about ten times."""
    if stats.cutoff is None:
        return documents > MAX_BACKGROUND
    return stats.texts + adding > 2 * MAX_BACKGROUND


def _stored_background(session: Session, tracker_id: int) -> BackgroundStats | None:
    """The statistics `lofte link` kept, when they are of this version (else None)."""
    return _readable(background_store.get(session, tracker_id))


def _readable(stored: background_store.StoredBackground | None) -> BackgroundStats | None:
    """Kept statistics read back; None when there are none, they are of another version, or
    their data is unreadable (they are then built again)."""
    if stored is None or stored.version != background_version():
        return None
    try:
        return BackgroundStats.from_bytes(stored.data)
    except ValueError:
        return None


def _analyzer() -> Analyzer:
    folder = get_settings().analysis_cache_dir
    analyzer = get_analyzer()
    analyzer.remember_lexicon_in(Path(folder) if folder else None)
    return analyzer


def _texts(session: Session, ids: Sequence[int]) -> list[DocumentText]:
    return _as_texts(document_store.documents_by_id(session, ids))


def _evidence_documents(session: Session, tracker_id: int) -> list[DocumentText]:
    return _as_texts(
        document_store.list_documents(session, tracker_id, kinds=EVIDENCE_KINDS, originals=True)
    )


def _as_texts(documents: Iterable[Document]) -> list[DocumentText]:
    return [DocumentText(d.id, d.title, d.body, d.date) for d in documents]


def _index(
    pledges: list[Pledge],
    documents: Sequence[DocumentText] | BackgroundStats,
    programs: list[Document],
    encoder: dense_stage.Encoder | None = None,
) -> PledgeIndex:
    return build_index(
        [PledgeText(p.id, p.quote, p.area) for p in pledges],
        documents,
        [d.body for d in programs],
        encoder,
    )


def _search_encoder(store: Store) -> StoredEncoder | None:
    """The editors' ranking of a document's pledges uses the vectors `lofte link` stored and
    encodes no document."""
    return StoredEncoder(store, lookup_only=True) if get_settings().link_dense else None


def build_index(
    pledges: Sequence[PledgeText],
    documents: Sequence[DocumentText] | BackgroundStats,
    program_bodies: Sequence[str],
    encoder: dense_stage.Encoder | None = None,
) -> PledgeIndex:
    """The pledges to score against, with the tracker's own texts (its documents, or their
    kept statistics, and its programs' paragraphs) as the background that tells common words
    ("budget", the coalition's name) from rare ones. What `lofte link` builds, for evaluation
    too."""
    paragraphs = [p for body in program_bodies for p in body.split("\n\n") if p.strip()]
    analyzer = _analyzer()
    background: Sequence[str] | BackgroundStats
    if isinstance(documents, BackgroundStats):
        background = documents.plus(paragraphs, analyzer)
    else:
        background = [d.title + "\n" + d.body for d in documents] + paragraphs
    return PledgeIndex(list(pledges), background=background, encoder=encoder)


def _programs(session: Session, tracker_id: int) -> list[Document]:
    return document_store.list_documents(session, tracker_id, kind=SourceKind.PROGRAM)


def _context(tracker: Tracker, programs: list[Document]) -> LinkContext:
    """Time and place: the earliest program's date, the term, the jurisdiction, the actors.
    Only a known date gates (metadata, the user's, the folders', a dateline): one inferred
    from a program's text is often a target year ("senast 2026"), years after it was written,
    and would rule out every dated news item before it."""
    known: list[dt.date] = [
        d.date.latest()  # "after" must hold for any reading
        for d in programs
        if d.date and d.date.provenance is not DateProvenance.INFERRED
    ]
    return LinkContext(
        program_date=min(known) if known else None,
        term_start=tracker.term_start,
        term_end=tracker.term_end,
        jurisdiction=tracker.jurisdiction,
        actors=tuple(tracker.actors or ()),
    )


@dataclass(frozen=True)
class _Scope:
    """What one search scores against: a tracker's linkable pledges, evidence documents and
    programs (for the background and the dates)."""

    tracker: Tracker
    pledges: list[Pledge]
    documents: list[DocumentText]
    programs: list[Document]
    stats: BackgroundStats | None  # what `lofte link` kept: no need to analyze `documents`

    @property
    def context(self) -> LinkContext:
        return _context(self.tracker, self.programs)

    def index(self, encoder: dense_stage.Encoder | None = None) -> PledgeIndex:
        background = self.stats if self.stats is not None else self.documents
        return _index(self.pledges, background, self.programs, encoder)


def _scope(
    session: Session, tracker_id: int, pledge: Pledge | None = None, *, documents: bool = True
) -> _Scope:
    """`pledge` is scored with the others even when it is not linkable (rejected, a parent).
    `documents=False`: the tracker's documents are read only when no kept statistics stand
    in for them as the background."""
    pledges = pledge_store.linkable_pledges(session, tracker_id)
    if pledge is not None and pledge.id not in {p.id for p in pledges}:
        pledges.append(pledge)
    stats = _stored_background(session, tracker_id)
    return _Scope(
        tracker_store.get_tracker_by_id(session, tracker_id),
        pledges,
        _evidence_documents(session, tracker_id) if documents or stats is None else [],
        _programs(session, tracker_id),
        stats,
    )


def search_pledge_evidence(
    store: Store, pledge_id: int, top_k: int = 10, min_score: float = 0.0
) -> list[tuple[int, float, tuple[int, int]]]:
    """From a pledge to documents: (document id, score, passage span), best first."""
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id)
        scope = _scope(session, pledge.tracker_id, pledge)
    # from a pledge the order is lexical (PledgeIndex.search): no encoder needed
    found = scope.index().search(
        pledge.id, scope.documents, scope.context, top_k=top_k, min_score=min_score
    )
    return [(int(s.document_id), float(s.score), s.span) for s in found]


# --- the editors' search: every candidate ranked, whatever its score --------------------------


@dataclass(frozen=True)
class Match:
    """A (pledge, document) pair as the linker scores it, for an editor to look at.

    `suggested`: the score reaches the linker's suggestion threshold and the document's dates
    allow it (a suggestion); otherwise the pair is only possible ("möjlig"). `allowed`: the
    document's dates do not rule it out (after the program, inside the term).
    """

    pledge_id: int
    document_id: int
    score: float
    span: tuple[int, int]
    allowed: bool
    suggested: bool
    features: dict[str, Any]
    stance: Stance


def _match(s: Suggestion, context: LinkContext, doc: DocumentText) -> Match:
    """A suggestion scored without the date rules, with the real checks put back."""
    checks = check_document(f"{doc.title}\n{doc.body}", doc.date, context)
    features = s.features() | {"checks": checks.as_dict()}
    return Match(
        pledge_id=int(s.pledge_id),
        document_id=int(s.document_id),
        score=float(s.score),
        span=s.span,
        allowed=checks.allowed,
        suggested=checks.allowed and s.score >= SUGGEST_THRESHOLD,
        features=features,
        stance=s.stance,
    )


def _undated(context: LinkContext) -> LinkContext:
    """The same place and actors without the date rules: every document is scored."""
    return dataclasses.replace(context, program_date=None, term_start=None, term_end=None)


def rank_documents(
    store: Store, pledge_id: int, *, query: str = "", top_k: int = 20
) -> list[Match]:
    """From a pledge to the tracker's news, decisions and budgets, best first, below the
    suggestion threshold too (each marked), and documents the date rules leave out as well
    (marked not allowed). `query` keeps documents whose title or text holds each of its
    words' Swedish stems anywhere in a word, as the reader's search takes them (`parse_query`):
    "friskolor" finds "friskolesektorn" as the public search does (QA: the editor's search
    found nothing), and "skatt" still finds "drivmedelsskatt"."""
    parsed = parse_query(query)
    wanted = list(parsed.stems)
    if parsed.typed and not wanted:
        return []  # only stop words or signs ("och att", "-"): a filter of nothing finds none
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id)
        # The linker ranks at most RERANKED documents, the likeliest by the full-text index
        # (any of the pledge's words): all of a national record took 10-16 s (QA). With words,
        # every document holding them is a candidate (as a substring: "skatt" finds
        # "drivmedelsskatt", which the index's word prefixes would not), in the index's order
        # when there are more: a common word ("regeringen", in 4,880 documents) took 50 s.
        likeliest = search.candidate_ids(
            session, pledge.quote, tracker_id=pledge.tracker_id, limit=None if wanted else RERANKED
        )
        whole = likeliest is None or bool(wanted)
        scope = _scope(session, pledge.tracker_id, pledge, documents=whole)
        documents = scope.documents
        if not whole:
            documents = _as_texts(
                document_store.list_documents(
                    session, pledge.tracker_id, kinds=EVIDENCE_KINDS, originals=True, ids=likeliest
                )
            )
    context = scope.context
    chosen = [d for d in documents if all(w in f"{d.title}\n{d.body}".casefold() for w in wanted)]
    if likeliest is not None and len(chosen) > RERANKED:
        place = {i: n for n, i in enumerate(likeliest)}
        # those sharing no word with the pledge (not in the index's answer) last, newest first
        chosen.sort(key=lambda d: (place.get(int(d.id), len(place)), -int(d.id)))
        chosen = chosen[:RERANKED]
    by_id = {d.id: d for d in chosen}
    found = scope.index().search(pledge.id, chosen, _undated(context), top_k=top_k, min_score=0.0)
    return [_match(s, context, by_id[s.document_id]) for s in found]


def rank_pledges(store: Store, document_id: int, *, top_k: int = 10) -> list[Match]:
    """From a document to the tracker's pledges: its best-scoring ones whatever their score."""
    with store.session() as session:
        document = document_store.get_document(session, document_id)
        scope = _scope(session, document.tracker_id, documents=False)
    if not scope.pledges:
        return []
    # from a document the dense stage orders the pledges, with the vectors `lofte link` stored
    index = scope.index(_search_encoder(store))
    context = scope.context
    text = DocumentText(document.id, document.title, document.body, document.date)
    found = index.link([text], _undated(context), top_k=top_k, min_score=0.0)
    return [_match(s, context, text) for s in found]


def _dated_in(document: DocumentText, context: LinkContext) -> bool:
    return dates_allow(*date_checks(document.date, context))


def in_period(store: Store, pledge: Pledge, date: DateValue | None) -> bool:
    """Whether a document of this date may be evidence for the pledge under the tracker's date
    rules (after the program, inside the term; an unknown date does not rule it out): what
    `Match.allowed` says for a document that shares no word with the pledge."""
    with store.session() as session:
        tracker = tracker_store.get_tracker_by_id(session, pledge.tracker_id)
        context = _context(tracker, _programs(session, pledge.tracker_id))
    return dates_allow(*date_checks(date, context))


def best_passage(store: Store, pledge_id: int, document_id: int) -> Match | None:
    """The passage of one document (any kind, whatever its date) that the linker scores best
    for a pledge; None when no passage shares anything with it."""
    return best_passages(store, pledge_id, [document_id]).get(document_id)


def best_passages(store: Store, pledge_id: int, document_ids: Sequence[int]) -> dict[int, Match]:
    """`best_passage` of several documents, with one index."""
    with store.session() as session:
        texts = [
            DocumentText(d.id, d.title, d.body, d.date)
            for d in (document_store.get_document(session, i) for i in document_ids)
        ]
    return best_passages_of_texts(store, pledge_id, texts)


def best_passages_of_texts(
    store: Store, pledge_id: int, texts: Sequence[DocumentText]
) -> dict[int, Match]:
    """`best_passages` of texts not (yet) stored, by their `id` (an int): what attaching an
    input's documents would find, decided before anything of the input is stored."""
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id)
        scope = _scope(session, pledge.tracker_id, pledge, documents=False)
    context = scope.context
    by_id = {t.id: t for t in texts}
    found = scope.index().search(
        pledge.id, texts, _undated(context), top_k=len(texts), min_score=0.0
    )
    return {
        int(s.document_id): _match(s, context, by_id[s.document_id])
        for s in found
        if s.lexical > 0.0
    }
