"""Watched sources, their runs and the fetch validators (issue 15). Functions take a session.

A watched source is a `sources` row with `every_seconds` set; a row without it is only the
label of ingested files (`lofte ingest --source NAME`), and `add_source` turns such a label into
a watched source rather than refusing its name.

Two `lofte update` processes must never run one source at once: `claim` moves the source's
`next_due_at` to a lease with a conditional UPDATE (`… WHERE id = :id AND next_due_at IS
:seen`); of two processes that saw the same value only one matches a row. The runner renews the
lease after each item (`renew_lease`, conditional on the lease it holds), so slow hosts do not
outlive it. The lease ends when the run is recorded (`finish_run` sets the next due time), or,
if the process died, when the lease time passes and the source is due again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import SourceKind
from ..sources.fetch import ValidatorCache, Validators
from .db import Store
from .schema import DocumentRow, FetchValidatorRow, SourceRow, SourceRunRow, TrackerRow, utcnow

SHAPES = ("auto", "feed", "listing", "sitemap")
RUNNING = "running"  # a run in progress: what `claim` records
RUN_STATUSES = ("ok", "not_modified", "failed", RUNNING)
INTERRUPTED = "interrupted: the process running it stopped before the run ended"
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class WatchedSource:
    id: int
    tracker_id: int
    tracker: str  # the tracker's slug
    name: str
    kind: SourceKind
    url: str
    shape: str
    every_seconds: int
    paused: bool
    next_due_at: dt.datetime | None
    failures: int
    publisher: str | None = None
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class SourceRun:
    id: int
    source_id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str  # ok | not_modified | failed | running
    fetched: int
    new: int
    unchanged: int
    failed: int
    error: str | None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceStatus:
    """A source with its newest run (None before the first)."""

    source: WatchedSource
    last_run: SourceRun | None


@dataclass(frozen=True)
class NewRun:
    """What a run did, to be recorded."""

    started_at: dt.datetime
    finished_at: dt.datetime
    status: str
    fetched: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _record(row: SourceRow, slug: str) -> WatchedSource:
    return WatchedSource(
        id=row.id,
        tracker_id=row.tracker_id,
        tracker=slug,
        name=row.name,
        kind=SourceKind(row.kind),
        url=row.origin or "",
        shape=row.shape or "auto",
        every_seconds=int(row.every_seconds or 0),
        paused=bool(row.paused),
        next_due_at=row.next_due_at,
        failures=int(row.failures or 0),
        publisher=row.publisher,
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def _run_record(row: SourceRunRow) -> SourceRun:
    return SourceRun(
        id=row.id,
        source_id=row.source_id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        status=row.status,
        fetched=row.fetched,
        new=row.new,
        unchanged=row.unchanged,
        failed=row.failed,
        error=row.error,
        details=dict(row.details or {}),
    )


def _watched() -> ColumnElement[bool]:
    return SourceRow.every_seconds.isnot(None)


def _query() -> Any:
    return (
        select(SourceRow, TrackerRow.slug)
        .join(TrackerRow, TrackerRow.id == SourceRow.tracker_id)
        .where(_watched())
    )


def check_shape(shape: str) -> str:
    value = shape.strip().lower()
    if value not in SHAPES:
        raise ValidationError(f"shape {shape!r}: use one of {', '.join(SHAPES)}")
    return value


def check_name(name: str) -> str:
    value = " ".join(name.split())
    if not value or len(value) > 200:
        raise ValidationError("a source needs a name of 1 to 200 characters")
    return value


def add_source(
    session: Session,
    tracker_id: int,
    name: str,
    url: str,
    kind: SourceKind,
    *,
    every_seconds: int,
    shape: str = "auto",
    publisher: str | None = None,
) -> WatchedSource:
    """A new watched source, due at once. A watched source of that name in the tracker is a
    ConflictError; an unwatched label of that name (from `ingest --source`) becomes watched."""
    name = check_name(name)
    row = session.scalar(
        select(SourceRow).where(SourceRow.tracker_id == tracker_id, SourceRow.name == name)
    )
    taken = ConflictError(f"the tracker has a watched source named {name!r} already")
    if row is not None and row.every_seconds is not None:
        raise taken
    values: dict[str, Any] = {
        "kind": kind.value,
        "origin": url,
        "shape": check_shape(shape),
        "every_seconds": every_seconds,
        "publisher": publisher,
        "paused": False,
        "next_due_at": None,
        "failures": 0,
    }
    if row is None:
        # a source of that name stored meanwhile: the unique name, a ConflictError for callers
        row = SourceRow(tracker_id=tracker_id, name=name, **values)
        session.add(row)
        session.flush()
    else:
        # the label becomes watched only if it still is a label (`… WHERE every_seconds IS
        # NULL`): of two requests making it watched at once, the second gets a ConflictError
        done = session.execute(
            update(SourceRow)
            .where(SourceRow.id == row.id, SourceRow.every_seconds.is_(None))
            .values(**values, modified_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise taken
        session.refresh(row)
    forget_validators(session, row.id)
    return get_source_by_id(session, row.id)


def get_source_by_id(session: Session, source_id: int) -> WatchedSource:
    found = session.execute(_query().where(SourceRow.id == source_id)).one_or_none()
    if found is None:
        raise NotFoundError(f"no watched source with id {source_id}")
    return _record(found[0], found[1])


def get_source(session: Session, tracker_id: int, name: str) -> WatchedSource:
    found = session.execute(
        _query().where(SourceRow.tracker_id == tracker_id, SourceRow.name == " ".join(name.split()))
    ).one_or_none()
    if found is None:
        raise NotFoundError(f"no watched source named {name!r} in this tracker")
    return _record(found[0], found[1])


def list_sources(session: Session, tracker_id: int | None = None) -> list[WatchedSource]:
    query = _query().order_by(TrackerRow.slug, SourceRow.name)
    if tracker_id is not None:
        query = query.where(SourceRow.tracker_id == tracker_id)
    return [_record(row, slug) for row, slug in session.execute(query)]


def list_with_last_run(session: Session, tracker_id: int | None = None) -> list[SourceStatus]:
    """Each watched source with its newest run, in one query for the runs."""
    sources = list_sources(session, tracker_id)
    if not sources:
        return []
    ids = [s.id for s in sources]
    newest = (
        select(SourceRunRow.source_id, func.max(SourceRunRow.id).label("run_id"))
        .where(SourceRunRow.source_id.in_(ids))
        .group_by(SourceRunRow.source_id)
        .subquery()
    )
    rows = session.scalars(select(SourceRunRow).join(newest, SourceRunRow.id == newest.c.run_id))
    last = {r.source_id: _run_record(r) for r in rows}
    return [SourceStatus(s, last.get(s.id)) for s in sources]


def recent_runs(session: Session, source_id: int, limit: int = 10) -> list[SourceRun]:
    rows = session.scalars(
        select(SourceRunRow)
        .where(SourceRunRow.source_id == source_id)
        .order_by(SourceRunRow.id.desc())
        .limit(limit)
    )
    return [_run_record(r) for r in rows]


EDITABLE = frozenset({"url", "kind", "shape", "every_seconds", "publisher", "name"})


def hold_source(session: Session, source_id: int) -> WatchedSource:
    """The watched source, read after its row is locked until the transaction ends (a no-op
    UPDATE: the write lock on SQLite, the row lock on PostgreSQL), so a change decided on it
    (an edit and its audit's values before) rests on the row as it is when written."""
    done = session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id, _watched())
        .values(modified_at=SourceRow.modified_at)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFoundError(f"no watched source with id {source_id}")
    session.expire_all()
    return get_source_by_id(session, source_id)


def edit_source(
    session: Session, source_id: int, **changes: Any
) -> tuple[WatchedSource, WatchedSource]:
    """Set the given fields; (before, after). A new interval or URL makes the source due now."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = get_source_by_id(session, source_id)
    row = session.get(SourceRow, source_id)
    assert row is not None
    if "name" in changes:
        name = check_name(str(changes["name"]))
        taken = session.scalar(
            select(SourceRow.id).where(
                SourceRow.tracker_id == row.tracker_id,
                SourceRow.name == name,
                SourceRow.id != source_id,
            )
        )
        if taken is not None:
            raise ConflictError(f"the tracker has a source named {name!r} already")
        row.name = name
    if "url" in changes:
        row.origin = str(changes["url"])
    if "kind" in changes:
        row.kind = SourceKind(changes["kind"]).value
    if "shape" in changes:
        row.shape = check_shape(str(changes["shape"]))
    if "publisher" in changes:
        row.publisher = changes["publisher"]
    if "every_seconds" in changes:
        row.every_seconds = int(changes["every_seconds"])
    if "url" in changes or "every_seconds" in changes:
        row.next_due_at = None
        row.failures = 0
    if {"url", "shape", "kind"} & set(changes):
        # what is fetched, or how it is read, changed: the old answers must not give a 304
        forget_validators(session, source_id)
    session.flush()
    return before, get_source_by_id(session, source_id)


def set_paused(session: Session, source_id: int, paused: bool) -> WatchedSource:
    """Pause or resume; a ConflictError when it is in that state already (conditional UPDATE)."""
    values: dict[str, Any] = {"paused": paused, "modified_at": utcnow()}
    if not paused:
        values["next_due_at"] = None  # due at once when resumed
    done = session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id, _watched(), SourceRow.paused.is_(not paused))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        current = get_source_by_id(session, source_id)  # NotFoundError when there is none
        state = "paused" if paused else "not paused"
        raise ConflictError(f"source {current.name!r} is {state} already")
    session.expire_all()
    return get_source_by_id(session, source_id)


def pause_all(session: Session, tracker_id: int) -> list[WatchedSource]:
    """Pause the tracker's watched sources not paused yet, in one conditional UPDATE, and
    return the ones it paused (RETURNING: not a list read before it, which a pause or a
    removal meanwhile would make wrong: review). An archived tracker is no longer followed:
    its sources stop."""
    ids = session.scalars(
        update(SourceRow)
        .where(SourceRow.tracker_id == tracker_id, _watched(), SourceRow.paused.is_(False))
        .values(paused=True, modified_at=utcnow())
        .returning(SourceRow.id)
        .execution_options(synchronize_session=False)
    ).all()
    session.expire_all()
    return [get_source_by_id(session, i) for i in sorted(ids)]


ARCHIVED_BECAUSE = "tracker.archive"  # the `because` of the pauses archiving makes


def paused_by_archive(session: Session, tracker_id: int) -> list[WatchedSource]:
    """The tracker's watched sources still paused by its archiving: their newest pause or
    resume is a pause because of it (review: a source an editor had paused on purpose was
    named with them, as if to resume)."""
    from .audit import newest_event

    out = []
    for source in list_sources(session, tracker_id):
        if not source.paused:
            continue
        last = newest_event(session, "source", source.id, ("source.pause", "source.resume"))
        if last is not None and last.details.get("because") == ARCHIVED_BECAUSE:
            out.append(source)
    return out


def refuse_archived(session: Session, tracker: str) -> int:
    """The tracker's id, its row held to the transaction's end (so an archive meanwhile waits
    for this one), or a ValidationError when it is archived: an archived tracker is no longer
    followed, and a source would fill its public pages again (QA)."""
    from .trackers import hold_tracker

    held = hold_tracker(session, tracker)
    if held.archived_at is not None:
        raise ValidationError(
            f"tracker {tracker!r} is archived (no longer followed up): its sources do not run; "
            f"`lofte tracker unarchive {tracker}` first"
        )
    return held.id


def remove_source(session: Session, source_id: int) -> WatchedSource:
    """Stop watching: its runs go; the row stays as the label of the documents it brought in
    (they keep naming their source), or goes too when it brought none."""
    source = get_source_by_id(session, source_id)
    # First, and only if it is still watched (a conditional UPDATE): of two requests removing
    # it at once, the second finds no watched source, as it would one after the other.
    done = session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id, _watched())
        .values(
            every_seconds=None,
            shape=None,
            next_due_at=None,
            paused=False,
            failures=0,
            modified_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFoundError(f"no watched source with id {source_id}")
    session.execute(delete(SourceRunRow).where(SourceRunRow.source_id == source_id))
    forget_validators(session, source_id)  # a label row stays: re-adding it starts afresh
    used = session.scalar(select(DocumentRow.id).where(DocumentRow.source_id == source_id).limit(1))
    if used is None:
        session.execute(delete(SourceRow).where(SourceRow.id == source_id))
    session.expire_all()
    return source


# --- scheduling ---------------------------------------------------------------------------------


def due_sources(
    session: Session,
    now: dt.datetime,
    *,
    tracker_id: int | None = None,
    source_id: int | None = None,
    force: bool = False,
    busy_since: dt.datetime | None = None,
) -> list[WatchedSource]:
    """Watched, not paused sources whose next due time is unset or has come (`force`: all of
    them), oldest due first. `busy_since`: leave out sources with a run still `running` that
    began then or later (another process is on it; `force` must not take it over)."""
    query = _query().where(SourceRow.paused.is_(False))
    if busy_since is not None:
        busy = (
            select(SourceRunRow.id)
            .where(
                SourceRunRow.source_id == SourceRow.id,
                SourceRunRow.status == RUNNING,
                # begun within a lease, or its lease renewed since (`renew_lease`)
                (SourceRunRow.started_at >= busy_since) | (SourceRow.next_due_at > now),
            )
            .exists()
        )
        query = query.where(~busy)
    if not force:
        query = query.where((SourceRow.next_due_at.is_(None)) | (SourceRow.next_due_at <= now))
    if tracker_id is not None:
        query = query.where(SourceRow.tracker_id == tracker_id)
    if source_id is not None:
        query = query.where(SourceRow.id == source_id)
    query = query.order_by(SourceRow.next_due_at.is_not(None), SourceRow.next_due_at, SourceRow.id)
    return [_record(row, slug) for row, slug in session.execute(query)]


def next_due_time(session: Session, tracker_id: int | None = None) -> dt.datetime | None:
    """The earliest next due time of the active watched sources (None: none is scheduled, or
    one has never run and is due now: see `due_sources`)."""
    query = select(func.min(SourceRow.next_due_at)).where(_watched(), SourceRow.paused.is_(False))
    if tracker_id is not None:
        query = query.where(SourceRow.tracker_id == tracker_id)
    return session.scalar(query)


def claim(
    session: Session,
    source_id: int,
    seen: dt.datetime | None,
    lease: dt.datetime,
    started: dt.datetime,
) -> int | None:
    """Take the source for one run: set `next_due_at` to `lease` only if it is still `seen`
    (what the caller read) and the source is not paused. The winner gets the id of a new
    `running` run (None: another process was first); commit at once so others see both."""
    still = SourceRow.next_due_at.is_(None) if seen is None else SourceRow.next_due_at == seen
    done = session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id, _watched(), SourceRow.paused.is_(False), still)
        .values(next_due_at=lease)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return None
    # A run still `running` now was left by a process that died: this caller holds the source.
    session.execute(
        update(SourceRunRow)
        .where(SourceRunRow.source_id == source_id, SourceRunRow.status == RUNNING)
        .values(status="failed", finished_at=started, error=INTERRUPTED)
        .execution_options(synchronize_session=False)
    )
    row = SourceRunRow(source_id=source_id, started_at=started, status=RUNNING, details={})
    session.add(row)
    session.flush()
    return row.id


RELEASED = (
    "released by an operator (lofte source release): its process had died, or it stops at its "
    "next renewal"
)


def release(session: Session, source_id: int, now: dt.datetime) -> bool:
    """Free a source held by an unfinished run (its process killed outright, its lease not run
    out): the run is recorded as failed and the source is due at once. False when no run of it
    is `running`. A run whose process still lives loses its lease: its next renewal matches no
    row and it stops (`renew_lease`)."""
    done = session.execute(
        update(SourceRunRow)
        .where(SourceRunRow.source_id == source_id, SourceRunRow.status == RUNNING)
        .values(status="failed", finished_at=now, error=RELEASED)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return False
    session.execute(
        update(SourceRow)
        .where(SourceRow.id == source_id)
        .values(next_due_at=None, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return True


def renew_lease(session: Session, source_id: int, held: dt.datetime, lease: dt.datetime) -> bool:
    """Extend a claim: move `next_due_at` from the lease `held` to `lease` (a conditional
    UPDATE). False when the source no longer holds `held`: its lease ran out and another
    process claimed it, or it was edited, resumed or removed meanwhile; or it was paused
    (by an editor, or by archiving its tracker: QA, a run went on storing into an archived
    tracker), so the run stops after the item it is on."""
    done = session.execute(
        update(SourceRow)
        .where(
            SourceRow.id == source_id, SourceRow.next_due_at == held, SourceRow.paused.is_(False)
        )
        .values(next_due_at=lease)
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


GIVE_UP_AFTER = 3  # runs in a row an item URL failed in before it is given up


def given_up_urls(session: Session, source_id: int) -> set[str]:
    """Item URLs that failed (or were given up) in each of the source's last GIVE_UP_AFTER
    runs that read its page (`ok` runs): not fetched again, so that one broken link does not
    keep every run incomplete (and the source from ever getting a 304)."""
    rows = session.scalars(
        select(SourceRunRow.details)
        .where(SourceRunRow.source_id == source_id, SourceRunRow.status == "ok")
        .order_by(SourceRunRow.id.desc())
        .limit(GIVE_UP_AFTER)
    ).all()
    if len(rows) < GIVE_UP_AFTER:
        return set()
    sets = [_failed_in(details or {}) for details in rows]
    return set.intersection(*sets)


def _failed_in(details: dict[str, Any]) -> set[str]:
    failed = {
        str(f.get("url"))
        for f in details.get("items_failed") or ()
        if isinstance(f, dict) and f.get("url")
    }
    return failed | {str(u) for u in details.get("items_given_up") or () if u}


def record_run(session: Session, source_id: int, run: NewRun) -> SourceRun:
    """A run as a new row (finished ones; `update` records through `claim` and `finish_run`)."""
    row = SourceRunRow(source_id=source_id, status=RUNNING, started_at=run.started_at)
    session.add(row)
    _fill(row, run)
    session.flush()
    return _run_record(row)


def _fill(row: SourceRunRow, run: NewRun) -> None:
    if run.status not in RUN_STATUSES or run.status == RUNNING:
        raise ValueError(f"run status {run.status!r}")
    row.started_at = run.started_at
    row.finished_at = run.finished_at
    row.status = run.status
    row.fetched = run.fetched
    row.new = run.new
    row.unchanged = run.unchanged
    row.failed = run.failed
    row.error = run.error
    row.details = run.details


def finish_run(
    session: Session,
    run_id: int,
    run: NewRun,
    *,
    lease: dt.datetime,
    next_due_at: dt.datetime,
    failures: int,
) -> SourceRun | None:
    """Complete the run `claim` began, and set the source's next due time and failure count if
    the source still holds this run's lease (a source edited or resumed meanwhile keeps its new
    schedule). None when the source was removed meanwhile (its runs went with it)."""
    row = session.get(SourceRunRow, run_id)
    if row is None:
        return None
    _fill(row, run)
    session.execute(
        update(SourceRow)
        .where(SourceRow.id == row.source_id, SourceRow.next_due_at == lease)
        .values(next_due_at=next_due_at, failures=failures, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return _run_record(row)


# --- what is stored already ---------------------------------------------------------------------


def stored_urls(session: Session, tracker_id: int, urls: Sequence[str]) -> set[str]:
    """Those of `urls` that a document of the tracker has as its URL or origin."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # bounded parameter lists
        batch = wanted[start : start + 500]
        found.update(
            u
            for u in session.scalars(
                select(DocumentRow.url).where(
                    DocumentRow.tracker_id == tracker_id, DocumentRow.url.in_(batch)
                )
            )
            if u
        )
        found.update(
            session.scalars(
                select(DocumentRow.origin).where(
                    DocumentRow.tracker_id == tracker_id, DocumentRow.origin.in_(batch)
                )
            )
        )
    return found


# --- conditional GET validators -----------------------------------------------------------------


def forget_validators(session: Session, source_id: int) -> None:
    """Drop a source's ETags / Last-Modified: its next fetches are plain GETs."""
    session.execute(delete(FetchValidatorRow).where(FetchValidatorRow.source_id == source_id))


class StoredValidators(ValidatorCache):
    """One source's ETag / Last-Modified per URL in the `fetch_validators` table: a
    `ValidatorCache` for `sources.fetch.fetch(cache=…)` that outlives the process. Each call is
    its own short transaction."""

    def __init__(self, store: Store, source_id: int) -> None:
        super().__init__()
        self.store = store
        self.source_id = source_id

    def get(self, url: str) -> Validators | None:
        with self.store.session() as session:
            row = session.get(FetchValidatorRow, (self.source_id, url))
            if row is None or not (row.etag or row.last_modified):
                return None
            return Validators(row.etag, row.last_modified)

    def put(self, url: str, validators: Validators) -> None:
        key = (self.source_id, url)
        for attempt in range(2):  # another process may insert the same URL at the same moment
            try:
                with self.store.session() as session:
                    row = session.get(FetchValidatorRow, key)
                    if row is None:
                        session.add(FetchValidatorRow(source_id=self.source_id, url=url))
                        session.flush()
                        row = session.get(FetchValidatorRow, key)
                        assert row is not None
                    row.etag = validators.etag
                    row.last_modified = validators.last_modified
                return
            except ConflictError:
                if attempt:
                    raise

    def forget(self, url: str) -> None:
        with self.store.session() as session:
            session.execute(
                delete(FetchValidatorRow).where(
                    FetchValidatorRow.source_id == self.source_id, FetchValidatorRow.url == url
                )
            )
