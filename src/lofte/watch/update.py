"""`lofte update`: run every due watched source once, then extract and link what came in.

For each due source (not paused, its next due time passed or never run):

1. **Claim** it (`store.watched.claim`, a conditional UPDATE): a source another process is
   running is skipped, so two `lofte update`s never fetch one source at once.
2. **Fetch** its URL with a conditional GET (ETag / Last-Modified from `fetch_validators`).
   A 304 costs that one request: the run is recorded `not_modified`.
3. By the page's shape (`watch.discover`):
   - a **feed** is ingested as it is, one document per entry (idempotent);
   - a **listing** gives item links: each not yet stored for the tracker (a document with that
     URL or origin) is fetched and ingested as an article; the next page is followed while a
     page gave at least one new item, at most LOFTE_WATCH_MAX_PAGES pages; a walk a cap (or a
     failing page) stops before known items is capped and keeps the page to go on from
     (details "resume"): the next run, once its own walk meets known items, goes on there;
   - a **sitemap** gives page URLs (newest first), the new ones fetched likewise; a sitemap
     index's sitemaps (newest first, gzipped ones unpacked) are read as further pages, each
     try counting toward LOFTE_WATCH_MAX_PAGES: those whose <lastmod> is newer than the last
     run's reading of the index (or undated), then those the last run left unread; stopping
     at the cap makes the run capped and keeps the unread ones (details "resume").
   At most LOFTE_WATCH_MAX_ITEMS new items are fetched per source and run; the rest wait for
   the next run. An item that fails is counted and named in the run's details, the rest go on;
   one that failed in the last three runs is given up (`store.watched.given_up_urls`).
   The lease is renewed after each item; if another process took the source over meanwhile,
   the run stops and is recorded as failed ("interrupted").
4. **Record** the run (fetched, new, unchanged, failed, error, start and end) and the next due
   time: the interval after success, exponential back-off after a failure of the source URL
   itself (`watch.schedule`).

The validators a fetch returned (per source) are kept only when the run was complete (no
failed item still being tried, no cap reached): otherwise the next run would get a 304 and
never retry what is missing.

Every fetch goes through `sources.fetch.fetch`: robots.txt, the per-host rate limit, the SSRF
guard and the per-fetch deadline apply. After the sources, new program documents are extracted
and each tracker that got new documents is linked incrementally (`dense` as for `lofte link`).

`progress` (an `UpdateProgress`) is told how far the pass got as it goes: each source's items
fetched of those found, then the extraction and the linking, with the callbacks `lofte extract`
and `lofte link` use, so the CLI shows a bar or plain lines as for `ingest` and `link`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from ..config import Settings, get_settings
from ..errors import LofteError, NotFoundError, ValidationError
from ..ingest import NearDuplicates, ingest_raw, store_prepared
from ..ingest_prepare import UnpackedInput, prepare_or_report
from ..ingest_records import IngestOptions, InputReport
from ..model import RawInput, SourceKind
from ..sources.fetch import FetchResult, Politeness, ValidatorCache, Validators, fetch
from ..store import trackers as tracker_store
from ..store import watched
from ..store.db import Session, Store, utcnow
from . import schedule
from .discover import Page, discover, unpacked
from .report import ItemFailure, SourceOutcome, UpdateReport

__all__ = ["ItemFailure", "SourceOutcome", "UpdateProgress", "UpdateReport", "update"]

MAX_ERROR = 2000  # characters of an error kept with a run
MAX_DETAILS = 50  # failed items named in a run's details
MIN_LEASE = 3600  # seconds a claimed source stays taken at least (see `lease_seconds`)


@dataclass(frozen=True)
class UpdateProgress:
    """Callbacks a pass calls as it goes (each optional). QA: a listing with 60 new items was
    silent for 17 s and then printed only its result, where `ingest` and `link` show progress.

    - `on_items(source, done, found)`: `source` ("tracker/name") has fetched and ingested `done`
      new items of the `found` it is to fetch so far (None at its start: not known yet; a
      listing's pages add to it as they are read; at most LOFTE_WATCH_MAX_ITEMS). A feed is
      one fetch: its entries are told at once, when stored.
    - `on_extract(done, total)`: program documents extracted (`extraction.extract`).
    - `on_link(tracker, done, total)`: documents linked (`linking.link`'s `on_progress`).
    - `on_encoded(n)`: passages encoded by the dense stage (`linking.link`'s `on_encoded`).
    """

    on_items: Callable[[str, int, int | None], None] | None = None
    on_extract: Callable[[int, int], None] | None = None
    on_link: Callable[[str, int, int], None] | None = None
    on_encoded: Callable[[int], None] | None = None


def lease_seconds(settings: Settings) -> int:
    """How long a claim holds: enough for the longest run the caps allow (every page and item
    fetched to its deadline), at least an hour. A process that dies frees its sources then."""
    fetches = settings.watch_max_items + settings.watch_max_pages + 1
    return int(max(MIN_LEASE, fetches * settings.fetch_deadline))


def update(
    store: Store,
    *,
    settings: Settings | None = None,
    now: dt.datetime | None = None,
    client: httpx.Client | None = None,
    politeness: Politeness | None = None,
    tracker: str | None = None,
    source: str | None = None,
    force: bool = False,
    on_source: Callable[[SourceOutcome], None] | None = None,
    dense: bool | None = None,
    link_evidence: bool = True,
    stop: Callable[[], bool] | None = None,
    notify: bool = True,
    notify_with: Mapping[str, Any] | None = None,
    progress: UpdateProgress | None = None,
) -> UpdateReport:
    """Run each due source once (`force`: every active one), then extract and link.

    `now` (naive UTC) fixes the clock for the schedule (tests); `tracker` / `source` narrow the
    sources (a source name needs no tracker when it is unique); `dense` switches the linker's
    dense stage (None: the LOFTE_LINK_DENSE setting), `link_evidence=False` skips linking;
    `stop()` true ends the pass before the next source (`watch.loop`'s `stop`). Last, the
    editors' digests go out (`notify`; `notify_with` goes to `notify.send.send_digests`: an
    SMTP factory, a webhook client), so they include what this run suggested. `progress` is
    told how far the pass got (`UpdateProgress`)."""
    settings = settings or get_settings()
    politeness = politeness or Politeness(min_interval=settings.fetch_min_interval)
    with store.session() as session:
        moment = now or utcnow()
        busy_since = moment - dt.timedelta(seconds=lease_seconds(settings))
        due, busy = _due(session, moment, tracker, source, force, busy_since)
    near = NearDuplicates()
    outcomes: list[SourceOutcome] = []
    skipped: list[str] = busy
    paused: list[str] = []
    for src in due:
        if stop is not None and stop():
            break  # the sources not claimed stay due for the next run
        started = now or utcnow()
        lease = started + dt.timedelta(seconds=lease_seconds(settings))
        with store.session() as session:
            run_id = watched.claim(session, src.id, src.next_due_at, lease, started)
        if run_id is None:
            named = f"{src.tracker}/{src.name}"
            with store.session() as session:
                if _paused(session, src.id):  # since `_due` read it (QA: "running elsewhere")
                    paused.append(named)
                elif named not in skipped:  # (seen held already, or now)
                    skipped.append(named)
            continue
        cache = _RunValidators(watched.StoredValidators(store, src.id))
        runner = _Runner(store, src, settings, client, politeness, cache, near, progress)
        outcome = runner.run(run_id, started, lease, fixed=now is not None)
        outcomes.append(outcome)
        if on_source:
            on_source(outcome)
    use_dense = settings.link_dense if dense is None else dense
    found, suggestions, linked, errors = _extract_and_link(
        store, outcomes, dense=use_dense, link_evidence=link_evidence, progress=progress
    )
    notified = None
    if notify:
        from ..notify.send import send_digests

        try:  # on the wall clock, not `now`: a digest's period is compared with the times
            # the suggestions were written at
            notified = send_digests(
                store, settings=settings, tracker=tracker, **(notify_with or {})
            )
        except Exception as exc:  # noqa: BLE001 - the sources' runs are recorded already
            errors = (*errors, f"notifying: {type(exc).__name__}: {exc}")
    return UpdateReport(
        tuple(outcomes), tuple(skipped), found, suggestions, linked, errors, notified, tuple(paused)
    )


def _due(
    session: Session,
    now: dt.datetime,
    tracker: str | None,
    source: str | None,
    force: bool,
    busy_since: dt.datetime,
) -> tuple[list[watched.WatchedSource], list[str]]:
    """The sources to run, and the names of those a run holds (another process's, or one
    killed before its lease ran out): left alone, and said so whether they are due or not
    (QA: a source held by a killed `lofte update` was left out without a word, "0 sources
    run", until `--force` named it)."""
    tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
    source_id = None
    if source is not None:
        source_id = find_source(session, source, tracker_id).id
    due = watched.due_sources(
        session, now, tracker_id=tracker_id, source_id=source_id, force=force, busy_since=busy_since
    )

    def active(busy_since: dt.datetime | None) -> list[watched.WatchedSource]:
        return watched.due_sources(
            session,
            now,
            tracker_id=tracker_id,
            source_id=source_id,
            force=True,
            busy_since=busy_since,
        )

    free = {s.id for s in active(busy_since)}
    return due, [f"{s.tracker}/{s.name}" for s in active(None) if s.id not in free]


def _paused(session: Session, source_id: int) -> bool:
    """Whether the source is paused now (a removed one is not: it was not paused)."""
    try:
        return watched.get_source_by_id(session, source_id).paused
    except NotFoundError:
        return False


def find_source(session: Session, name: str, tracker_id: int | None) -> watched.WatchedSource:
    """A watched source by name, in the tracker or, without one, in any tracker where the
    name is unique. NotFoundError / ValidationError otherwise."""
    if tracker_id is not None:
        return watched.get_source(session, tracker_id, name)
    matches = [s for s in watched.list_sources(session) if s.name == " ".join(name.split())]
    if not matches:
        raise NotFoundError(f"no watched source named {name!r}")
    if len(matches) > 1:
        trackers = ", ".join(s.tracker for s in matches)
        raise ValidationError(
            f"several trackers have a source named {name!r} ({trackers}): "
            "name the tracker with --tracker"
        )
    return matches[0]


class _RunValidators(ValidatorCache):
    """The stored validators, but what fetches return is held until the run says it was
    complete (`keep`) or not (`drop`)."""

    def __init__(self, stored: watched.StoredValidators) -> None:
        super().__init__()
        self.stored = stored
        self.held: dict[str, Validators] = {}
        self.unconditional: set[str] = set()  # fetched whole, their new validators still kept

    def get(self, url: str) -> Validators | None:
        return None if url in self.unconditional else self.stored.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self.held[url] = validators

    def keep(self) -> None:
        try:
            for url, validators in self.held.items():
                self.stored.put(url, validators)
        except LofteError:
            pass  # the source was removed meanwhile: its validators went with it
        self.held.clear()

    def drop(self) -> None:
        self.held.clear()


class _SourceFailed(Exception):
    """The source URL itself failed: the run is `failed` and the source backs off."""


PAUSED_MEANWHILE = (
    "paused while it ran (`lofte source pause`, or its tracker archived): this run stopped "
    "after the item it was on (what it stored is kept)"
)
LEASE_LOST = (
    "interrupted: the lease on the source ran out and another process took it over; "
    "this run stopped (what it stored is kept)"
)


STOPPED = (
    "stopped: the process was interrupted (Ctrl-C or SIGTERM) during this run; what it stored "
    "is kept and the source is due again at once"
)


STOPPED_BY_ERROR = (
    "stopped: an unexpected error ended this run (what it stored is kept and the source is "
    "due again at once)"
)


class _PausedMeanwhile(Exception):
    """The source was paused while this run held it: the run stops."""


class _LeaseLost(Exception):
    """Renewing the lease matched no row: another process runs the source now."""


@dataclass
class _Runner:
    store: Store
    src: watched.WatchedSource
    settings: Settings
    client: httpx.Client | None
    politeness: Politeness
    cache: _RunValidators
    near: NearDuplicates
    progress: UpdateProgress | None = None
    found: int = 0  # new item URLs to fetch, as far as the pages read tell (`_tell`)
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    pages: int = 0
    attempted: int = 0  # new item URLs fetched (or tried)
    capped: bool = False
    items_failed: list[ItemFailure] = field(default_factory=list)
    given_up: set[str] = field(default_factory=set)  # failed in the last runs: not tried
    items_given_up: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "<url>: <warning>" (a malformed feed)
    lease: dt.datetime | None = None  # the lease held, renewed after each item
    fixed: bool = False  # the clock is fixed (tests): a renewed lease keeps its time
    document_ids: list[int] = field(default_factory=list)
    shape: str = ""
    not_modified: bool = False
    recorded: bool = False  # the run's end is written (`finish_run`)
    backlog: list[str] = field(default_factory=list)  # pages (listing, sitemaps) left unread
    since: dt.datetime | None = None  # when the last run read the sitemap index (its start)
    started: dt.datetime | None = None  # this run's start
    resume: list[str] = field(default_factory=list)  # those this run leaves (run details)
    walked: set[str] = field(default_factory=set)  # listing pages read or tried in this run

    @property
    def options(self) -> IngestOptions:
        return IngestOptions(tracker=self.src.tracker, kind=self.src.kind, source=self.src.name)

    def run(
        self, run_id: int, started: dt.datetime, lease: dt.datetime, *, fixed: bool
    ) -> SourceOutcome:
        """Visit the source and record the run. Whatever ends it early (Ctrl-C, SIGTERM, an
        exception outside the visit: the database failing while the run is recorded) still
        records it and frees the source (`_stopped`) before going on up."""
        self.lease, self.fixed = lease, fixed
        try:
            return self._run(run_id, started)
        except BaseException as exc:
            if not self.recorded:
                self._stopped(run_id, started, exc)
                # the command's "interrupted" names the source it stopped (QA: the log held
                # only that word)
                exc.add_note(
                    f"stopped {self.src.tracker}/{self.src.name} during its run: recorded as "
                    "stopped and due again at once; what it stored is kept"
                )
            raise

    def _run(self, run_id: int, started: dt.datetime) -> SourceOutcome:
        error: str | None = None
        fixed = self.fixed
        with self.store.session() as session:
            self.given_up = watched.given_up_urls(session, self.src.id)
            self.backlog, self.since = _backlog(
                watched.recent_runs(session, self.src.id, BACKLOG_RUNS), self.src.url
            )
        self.started = started
        try:
            self._tell(0, None)
            self._visit()
        except _SourceFailed as exc:
            error = str(exc)
        except _PausedMeanwhile:
            error = PAUSED_MEANWHILE
        except _LeaseLost:
            error = LEASE_LOST
        except Exception as exc:  # noqa: BLE001 - a bug on one source must not stop the others
            error = f"internal error: {type(exc).__name__}: {exc}"
        complete = error is None and not self.items_failed and not self.capped
        if complete:
            self.cache.keep()
        else:
            self.cache.drop()
        status = "failed" if error else "not_modified" if self.not_modified else "ok"
        failures = self.src.failures + 1 if error else 0
        finished = started if fixed else utcnow()
        next_due_at = schedule.next_due(started, self.src.every_seconds, failures)
        run = watched.NewRun(
            started_at=started,
            finished_at=finished,
            status=status,
            fetched=self.fetched,
            new=self.new,
            unchanged=self.unchanged,
            failed=len(self.items_failed),
            error=error[:MAX_ERROR] if error else None,
            details=self._details(),
        )
        assert self.lease is not None  # set by `run`
        with self.store.session() as session:
            watched.finish_run(
                session, run_id, run, lease=self.lease, next_due_at=next_due_at, failures=failures
            )
        self.recorded = True
        return SourceOutcome(
            source_id=self.src.id,
            tracker=self.src.tracker,
            name=self.src.name,
            url=self.src.url,
            status=status,
            fetched=self.fetched,
            new=self.new,
            unchanged=self.unchanged,
            failed=len(self.items_failed),
            error=run.error,
            started_at=started,
            finished_at=finished,
            next_due_at=next_due_at,
            failures=failures,
            items_failed=tuple(self.items_failed),
            items_given_up=tuple(self.items_given_up),
            document_ids=tuple(dict.fromkeys(self.document_ids)),
            capped=self.capped,
            warnings=tuple(self.warnings),
            resume=tuple(self.resume),
        )

    def _stopped(self, run_id: int, started: dt.datetime, cause: BaseException) -> None:
        """The process is being stopped in the middle of this run (`cause`: Ctrl-C, SIGTERM,
        or an exception that ends the pass): record the run as failed ("stopped") and make
        the source due at once, its failure count unchanged, both only if this process still
        holds the lease (`finish_run`). Without this the run stayed `running` and the lease
        kept the source from every run, `--force` too, until it ran out (an hour or more): an
        admin who pressed Ctrl-C on a hung update (or `lofte watch`) and ran it again got
        "0 sources run". What the run stored stays; nothing else is written. If even this
        fails (the database is down), the lease frees the source when it runs out."""
        self.cache.drop()
        finished = started if self.fixed else utcnow()
        error = STOPPED
        if isinstance(cause, Exception):
            error = f"{STOPPED_BY_ERROR}: {type(cause).__name__}: {cause}"
        run = watched.NewRun(
            started_at=started,
            finished_at=finished,
            status="failed",
            fetched=self.fetched,
            new=self.new,
            unchanged=self.unchanged,
            failed=len(self.items_failed),
            error=error[:MAX_ERROR],
            details=self._details(),
        )
        try:
            with self.store.session() as session:
                watched.finish_run(
                    session,
                    run_id,
                    run,
                    lease=self.lease or started,
                    next_due_at=finished,
                    failures=self.src.failures,
                )
        except Exception:  # noqa: BLE001, S110 - the cause goes on up; the lease frees it later
            pass

    def _details(self) -> dict[str, Any]:
        return {
            "shape": self.shape or None,
            "pages": self.pages,
            "updated": self.updated,
            "capped": self.capped,
            "items_failed": [
                {"url": f.url, "error": f.error[:500]} for f in self.items_failed[:MAX_DETAILS]
            ],
            # all of them: a URL left out would be tried again, failing, at the next run
            "items_given_up": self.items_given_up[: 10 * MAX_DETAILS],
            "warnings": [w[:500] for w in self.warnings[:MAX_DETAILS]],
            "resume": self.resume,
            # the index's children read up to this run's start (`_children`)
            "sitemaps_since": (
                self.started.isoformat() if self.started and self.shape == "sitemap" else None
            ),
            "url": self.src.url,  # what `resume` and `sitemaps_since` are of (`_backlog`)
        }

    # --- fetching -------------------------------------------------------------------------------

    def _fetch(self, url: str, *, conditional: bool) -> FetchResult:
        result = fetch(
            url,
            client=self.client,
            settings=self.settings,
            cache=self.cache if conditional else None,
            politeness=self.politeness,
        )
        self.fetched += 1
        return result

    def _renew(self) -> None:
        """Extend the lease from the one held (conditional UPDATE): politeness waits and
        ingest time must not let it run out while this process still works on the source."""
        assert self.lease is not None
        lease = self.lease
        if not self.fixed:
            lease = utcnow() + dt.timedelta(seconds=lease_seconds(self.settings))
        with self.store.session() as session:
            if not watched.renew_lease(session, self.src.id, self.lease, lease):
                if _paused(session, self.src.id):
                    raise _PausedMeanwhile()
                raise _LeaseLost()
        self.lease = lease

    def _fail_item(self, url: str, error: str) -> None:
        # the item's URL once: it is printed beside the error, which often names it first
        error = error.removeprefix(f"{url}: ")
        self.items_failed.append(ItemFailure(url, error[:MAX_ERROR]))

    def _visit(self) -> None:
        if self.backlog:  # pages to go on with: a 304 must not end the run before them
            self.cache.unconditional.add(self.src.url)
        try:
            result = self._fetch(self.src.url, conditional=True)
        except LofteError as exc:
            raise _SourceFailed(str(exc)) from exc
        if result.not_modified or result.raw is None:
            self.not_modified = True
            return
        self.pages = 1
        try:
            raw = unpacked(result.raw, max_bytes=self.settings.max_input_bytes)
        except LofteError as exc:
            raise _SourceFailed(str(exc)) from exc
        page = discover(raw, self.src.shape)
        self.shape = page.shape
        if page.fault:  # read all the same: a sitemap cut at a bound, or past malformed XML
            self.warnings.append(f"{self.src.url}: {page.fault}")
        if page.shape == "feed":
            self._feed(raw, result.raw)
        elif page.shape == "unknown" or (page.problem and not page.items and not page.sitemaps):
            raise _SourceFailed(f"{self.src.url}: {page.problem or 'nothing to read'}")
        elif page.shape == "sitemap":
            self._sitemap(page)
        else:
            self._listing(page)

    def _feed(self, raw: RawInput, fetched: RawInput) -> None:
        """Ingest the feed `raw`: the response `fetched`, or its bytes unpacked (a gzipped
        `.xml.gz`, unpacked within LOFTE_MAX_INPUT_BYTES by `unpacked`). The feed reader reads
        the unpacked bytes, and they are the stored raw input the documents can be read from
        again; the archived copy is the response as it was fetched, gzipped."""
        options = replace(self.options, reader="feed")  # as discovered, whatever else sniffs
        prepared = prepare_or_report(raw, options, self.settings)
        if isinstance(prepared, InputReport):
            report = prepared
        else:
            if raw is not fetched:
                prepared = UnpackedInput.of(prepared, fetched)
            report = store_prepared(
                self.store, prepared, options, settings=self.settings, near=self.near
            )
        if report.error:  # the report's error does not name the input: the run's must
            raise _SourceFailed(f"{raw.origin}: {report.error}")
        self._count(report)
        entries = report.inserted + report.updated + report.unchanged
        self._tell(entries, entries)

    def _tell(self, done: int, found: int | None) -> None:
        """Tell `progress` how many new items this run fetched of those it is to fetch."""
        if self.progress is not None and self.progress.on_items is not None:
            self.progress.on_items(f"{self.src.tracker}/{self.src.name}", done, found)

    def _count(self, report: InputReport) -> None:
        self.warnings.extend(f"{report.origin}: {w}" for w in report.warnings)
        self.new += report.inserted + report.updated
        self.updated += report.updated
        self.unchanged += report.unchanged
        if report.inserted or report.updated:
            self.document_ids.extend(report.document_ids)

    def _fresh(self, page: Page, seen: set[str]) -> list[str]:
        """The page's item URLs not stored yet (nor met earlier in this run)."""
        urls = [i.url for i in page.items if i.url not in seen]
        seen.update(urls)
        with self.store.session() as session:
            stored = watched.stored_urls(session, self.src.tracker_id, urls)
        self.unchanged += len(stored)
        fresh = [u for u in urls if u not in stored]
        self.items_given_up.extend(u for u in fresh if u in self.given_up)
        todo = [u for u in fresh if u not in self.given_up]
        self.found += len(todo)
        # the cap's items at most: the rest wait for the next run and are not fetched now
        self._tell(self.attempted, min(self.found, self.settings.watch_max_items))
        return todo

    def _items(self, urls: list[str]) -> None:
        for url in urls:
            if self.attempted >= self.settings.watch_max_items:
                self.capped = True
                return
            self.attempted += 1
            self._item(url)
            self._tell(self.attempted, min(self.found, self.settings.watch_max_items))
            self._renew()

    def _item(self, url: str) -> None:
        try:
            result = self._fetch(url, conditional=False)
        except LofteError as exc:
            self._fail_item(url, str(exc))
            return
        if result.raw is None:
            self._fail_item(url, "the server answered 304 Not Modified to a plain request")
            return
        options = self.options
        if _is_html(result.raw):
            options = replace(options, reader="html-article")  # an item page is one article
        report = ingest_raw(self.store, result.raw, options, settings=self.settings, near=self.near)
        if report.error:
            self._fail_item(url, report.error)
            return
        self._count(report)

    def _next(self, url: str, shape: str) -> Page | None:
        """The page at `url` (a listing's next page, a sitemap of an index), or None when it
        failed (counted as a failed item) or was given up. Every try counts as a page."""
        if url in self.given_up:
            self.items_given_up.append(url)
            return None
        self._renew()
        self.pages += 1
        try:
            result = self._fetch(url, conditional=shape == "sitemap")
            if result.raw is None:  # an unchanged sitemap of an index
                return Page(shape)
            raw = unpacked(result.raw, max_bytes=self.settings.max_input_bytes)
        except LofteError as exc:
            self._fail_item(url, str(exc))
            return None
        page = discover(raw, shape)
        if page.problem and not page.items:
            self._fail_item(url, page.problem)
            return None
        if page.fault:
            self.warnings.append(f"{url}: {page.fault}")
        return page

    def _listing(self, page: Page) -> None:
        """Walk the listing from its first page while pages give new items; then go on from
        where the last runs stopped unfinished (`backlog`), and leave in `resume` where this
        one stops unfinished. Without that, a walk cut short by a cap (after an outage, or on
        a first run) left the rest for ever: the next run's first pages are all known, so its
        walk ends there and never reaches the pages after the ones read."""
        seen: set[str] = set()
        self.walked.add(self.src.url)
        stop = self._walk(page, self.src.url, seen)
        pending = [u for u in self.backlog[:MAX_DETAILS] if u not in self.walked]
        while stop is None and pending:
            if self.pages >= self.settings.watch_max_pages:
                self.capped = True
                break
            url = pending.pop(0)
            if url in self.walked:
                continue
            self.walked.add(url)
            following = self._next(url, "listing")
            if following is None:
                stop = None if url in self.given_up else url  # a failed page: tried again
                continue
            stop = self._walk(following, url, seen)
        self.resume = list(dict.fromkeys(u for u in (stop, *pending) if u))[:MAX_DETAILS]

    def _walk(self, page: Page, here: str, seen: set[str]) -> str | None:
        """Read `page` (at `here`) and the pages after it while each gives new items. The URL
        of the page to go on from when the walk stops unfinished (a cap, a failed page); None
        when it reached known items or the listing's end."""
        while True:
            fresh = self._fresh(page, seen)
            self._items(fresh)
            if self.capped:  # the item cap: this page's other new items and the pages after
                return here
            if not fresh or not page.next_url or page.next_url in self.walked:
                return None
            if self.pages >= self.settings.watch_max_pages:
                self.capped = True  # the pages after this one are not read: go on there
                return page.next_url
            here = page.next_url
            self.walked.add(here)
            following = self._next(here, "listing")
            if following is None:
                return None if here in self.given_up else here  # a failed page: tried again
            page = following

    def _sitemap(self, page: Page) -> None:
        """Read a urlset's new items; for an index, its sitemaps in the order `_children`
        gives, while the page cap allows. The ones left unread (the cap; one the item cap
        stopped in the middle; one that failed) are kept in `resume` for the next run: reading
        the newest children again at every run, a capped index never reached its older ones."""
        seen: set[str] = set()
        self._items(self._fresh(page, seen))
        todo = self._children(page)
        retry: list[str] = []  # failed: tried again next run
        stop = len(todo)  # the first sitemap left for the next run
        for at, url in enumerate(todo):
            if self.capped:  # the item cap, in the sitemap before (or the index's own URLs):
                stop = max(at - 1, 0)  # its other new items wait
                break
            if self.pages >= self.settings.watch_max_pages:
                self.capped = True  # the index's validators are not kept: read again next time
                stop = at
                break
            child = self._next(url, "sitemap")
            if child is None:
                if url not in self.given_up:
                    retry.append(url)
                continue
            if child.is_index:
                self.warnings.append(f"{url}: {NESTED_INDEX}")
            self._items(self._fresh(child, seen))
        else:
            if self.capped and todo:  # the item cap in the last sitemap
                stop = len(todo) - 1
        self.resume = list(dict.fromkeys([*retry, *todo[stop:]]))

    def _children(self, page: Page) -> list[str]:
        """The index's sitemaps to read this run, in order: those whose <lastmod> is newer than
        the start of the last run that read the index (`since`; all of them at a first run),
        newest first; then the ones the last run left unread (`backlog`), in its order; then
        the undated ones, unless some of them still wait in the backlog (they are read in
        turns). A dated sitemap read already and no newer since is not fetched again. When the
        newer ones alone would fill the page cap, one page goes to the backlog all the same,
        so that a site changing many sitemaps between runs cannot keep the older ones unread
        for ever. An index that lists itself is not read again (a warning says so)."""
        listed: dict[str, str | None] = {}
        for url, lastmod in zip(page.sitemaps, page.sitemap_lastmods, strict=True):
            if url == self.src.url:
                self.warnings.append(f"{url}: {SELF_LISTED}")
            else:
                listed[url] = lastmod
        changed: list[str] = []
        undated: list[str] = []
        for url, lastmod in listed.items():  # newest first (`discover`)
            when = lastmod_time(lastmod)
            if when is None:
                undated.append(url)
            elif self.since is None or when > self.since:
                changed.append(url)
        backlog = [u for u in dict.fromkeys(self.backlog) if u in listed and u not in changed]
        if any(u in backlog for u in undated):
            undated = []  # a round of the undated ones is under way: it ends first
        else:
            undated = [u for u in undated if u not in backlog]
        budget = self.settings.watch_max_pages - self.pages
        if backlog and budget >= 1 and len(changed) >= budget:
            keep = budget - 1
            return [*changed[:keep], *backlog[:1], *changed[keep:], *backlog[1:], *undated]
        return [*changed, *backlog, *undated]


SELF_LISTED = "the sitemap index lists itself: not read again"
NESTED_INDEX = (
    "a sitemap index listed in a sitemap index: the sitemaps it lists are not read (an index "
    "may list sitemaps only; watch this one as a source of its own)"
)


def lastmod_time(text: str | None) -> dt.datetime | None:
    """A sitemap's <lastmod> (W3C datetime) as naive UTC, None when missing or unreadable. A
    date without a time is taken as the end of that day (and a year or month as its end):
    a sitemap changed later on the day it was read says the same date."""
    value = (text or "").strip()
    try:
        if len(value) == 4:
            return dt.datetime(int(value) + 1, 1, 1)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            if value[4] != "-" or not 1 <= month <= 12:
                return None
            return dt.datetime(year + month // 12, month % 12 + 1, 1)
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time()) + dt.timedelta(1)
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


BACKLOG_RUNS = 20  # recent runs looked through for the last one that read the source's page


def _backlog(runs: list[watched.SourceRun], url: str) -> tuple[list[str], dt.datetime | None]:
    """What the newest `ok` run (one that read the source's page) left unread (listing pages,
    an index's sitemaps; failed runs in between did not get to them), and when it read the
    sitemap index, if that run read the source at `url`: after the source's URL was edited,
    the pages of the old one are not to be walked, nor its time to hide the new index's
    sitemaps. (A run recorded before runs kept their URL gives its pages, not its time.)"""
    for run in runs:
        if run.status != "ok":
            continue
        if run.details.get("url", url) != url:
            return [], None
        pages = [str(u) for u in run.details.get("resume") or () if u]
        since = run.details.get("sitemaps_since")
        try:
            when = dt.datetime.fromisoformat(since) if isinstance(since, str) else None
        except ValueError:
            when = None
        return pages, when if run.details.get("url") == url else None
    return [], None


def _is_html(raw: RawInput) -> bool:
    media = (raw.media_type or "").lower()
    if media.startswith(("text/html", "application/xhtml")):
        return True
    return not media and b"<html" in raw.data[:4096].lower()


def _extract_and_link(
    store: Store,
    outcomes: list[SourceOutcome],
    *,
    dense: bool,
    link_evidence: bool,
    progress: UpdateProgress | None = None,
) -> tuple[int, int, tuple[str, ...], tuple[str, ...]]:
    """Extract pledges from new program documents; link each tracker that got documents."""
    new_ids = [i for o in outcomes for i in o.document_ids]
    trackers = tuple(dict.fromkeys(o.tracker for o in outcomes if o.document_ids))
    if not new_ids:
        return 0, 0, (), ()
    from ..extraction import extract  # imported late: the extractor loads a classifier
    from ..store import documents as document_store

    errors: list[str] = []
    with store.session() as session:
        programs = [
            d.id
            for d in document_store.documents_by_id(session, new_ids)
            if d.kind is SourceKind.PROGRAM
        ]
    found = 0
    if programs:
        on_extract = progress.on_extract if progress else None
        for report in extract(store, document_ids=programs, on_progress=on_extract):
            found += report.inserted
            if report.error:
                errors.append(f"extracting document {report.document_id}: {report.error}")
    suggestions = 0
    linked: list[str] = []
    if link_evidence:
        from ..linking import link  # imported late: the linker loads the analyzer

        for slug in trackers:
            try:
                reports = link(
                    store,
                    slug,
                    dense=dense,
                    on_progress=_for_tracker(progress.on_link if progress else None, slug),
                    on_encoded=progress.on_encoded if progress else None,
                )
                for link_report in reports:
                    suggestions += link_report.suggestions
                    if not link_report.busy:  # another run links it now: no failure (review)
                        errors.extend(f"linking {slug}: {e}" for e in link_report.errors)
                if not any(r.busy for r in reports):
                    linked.append(slug)
            except Exception as exc:  # noqa: BLE001 - the sources' runs are recorded already
                errors.append(f"linking {slug}: {type(exc).__name__}: {exc}")
    return found, suggestions, tuple(linked), tuple(errors)


def _for_tracker(
    on_link: Callable[[str, int, int], None] | None, slug: str
) -> Callable[[int, int], None] | None:
    """`linking.link`'s `on_progress(done, total)` for one tracker's `on_link`."""
    if on_link is None:
        return None
    return lambda done, total: on_link(slug, done, total)
