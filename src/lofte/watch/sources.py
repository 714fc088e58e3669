"""Adding, editing, pausing and removing watched sources: the rules, each change one audit event
(`source.add`, `source.edit`, `source.pause`, `source.resume`, `source.remove`), as tracker
changes are audited in `review/tracker_admin.py`.

User values are checked here, each broken rule a one-line ValidationError: the URL (http or
https, a host, no credentials), the interval (`watch.schedule.parse_interval`), the kind and the
shape. An unknown tracker or source is a NotFoundError, a second source of one name in a tracker
a ConflictError.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import ConflictError, ValidationError
from ..model import SourceKind
from ..sources.read import hide_credentials
from ..store import trackers as tracker_store
from ..store import watched
from ..store.audit import record_event
from ..store.db import Session, Store, utcnow
from . import schedule

_UNSET: Any = object()


def check_url(url: str, *, label: str | None = None) -> str:
    """The one URL rule of watched sources and webhooks (`notify.webhook.check_url`): http or
    https, a host, no credentials, no spaces, and readable by both urllib and httpx (which
    sends it). Returns the stripped URL. `label` is how errors name the URL (a webhook's path
    may be a secret); the default is the URL itself."""
    value = url.strip()
    said = f"URL {hide_credentials(url)!r}" if label is None else label
    if not value or len(value) > watched.MAX_URL_LENGTH or any(c.isspace() for c in value):
        raise ValidationError(f"{said}: give one http(s) URL without spaces")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        httpx.URL(value)  # e.g. a host that is not valid IDNA: urllib lets it pass
    except (ValueError, httpx.InvalidURL) as exc:
        raise ValidationError(f"{said}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(f"{said}: only http(s) URLs are used")
    if not parts.hostname:
        raise ValidationError(f"{said}: the URL names no host")
    if "@" in parts.netloc:
        raise ValidationError(f"{said}: URLs with credentials are not used")
    return value


def check_kind(kind: str | SourceKind) -> SourceKind:
    if isinstance(kind, SourceKind):
        return kind
    try:
        return SourceKind(kind.strip().lower())
    except ValueError:
        names = ", ".join(k.value for k in SourceKind)
        raise ValidationError(f"kind {kind!r}: use one of {names}") from None


def interval_seconds(every: str | int) -> int:
    return schedule.parse_interval(str(every))


def _publisher(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > 200:
        raise ValidationError("publisher: at most 200 characters")
    return text or None


def _json(source: watched.WatchedSource, name: str) -> Any:
    value = getattr(source, name)
    if isinstance(value, SourceKind):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _state(source: watched.WatchedSource) -> dict[str, Any]:
    return {
        "tracker": source.tracker,
        "name": source.name,
        "url": source.url,
        "kind": source.kind.value,
        "shape": source.shape,
        "every_seconds": source.every_seconds,
        "publisher": source.publisher,
    }


def _source(session: Session, tracker: str, name: str) -> watched.WatchedSource:
    tracker_id = tracker_store.get_tracker(session, tracker).id
    return watched.get_source(session, tracker_id, name)


def add(
    store: Store,
    tracker: str,
    name: str,
    url: str,
    *,
    actor: str,
    kind: str | SourceKind = SourceKind.NEWS,
    every: str | int = "6h",
    shape: str = "auto",
    publisher: str | None = None,
) -> watched.WatchedSource:
    """A new watched source of the tracker, due at once."""
    checked_url = check_url(url)
    checked_kind = check_kind(kind)
    seconds = interval_seconds(every)
    checked_shape = watched.check_shape(shape)
    with store.session() as session:
        tracker_id = watched.refuse_archived(session, tracker)
        source = watched.add_source(
            session,
            tracker_id,
            name,
            checked_url,
            checked_kind,
            every_seconds=seconds,
            shape=checked_shape,
            publisher=_publisher(publisher),
        )
        record_event(session, "source.add", "source", source.id, actor, source=_state(source))
        return source


def edit(
    store: Store,
    tracker: str,
    name: str,
    *,
    actor: str,
    new_name: str | None = None,
    url: str | None = None,
    kind: str | SourceKind | None = None,
    every: str | int | None = None,
    shape: str | None = None,
    publisher: str | None = _UNSET,
) -> watched.WatchedSource:
    """Change the given fields; nothing changed is a ValidationError. A new URL or interval
    makes the source due at once and clears its failures."""
    changes: dict[str, Any] = {}
    if new_name is not None:
        changes["name"] = watched.check_name(new_name)
    if url is not None:
        changes["url"] = check_url(url)
    if kind is not None:
        changes["kind"] = check_kind(kind)
    if every is not None:
        changes["every_seconds"] = interval_seconds(every)
    if shape is not None:
        changes["shape"] = watched.check_shape(shape)
    if publisher is not _UNSET:
        changes["publisher"] = _publisher(publisher)
    with store.session() as session:
        # locked before it is read: what changes, and the values before, are as written
        current = watched.hold_source(session, _source(session, tracker, name).id)
        changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changes:
            raise ValidationError("nothing to change")
        before, after = watched.edit_source(session, current.id, **changes)
        record_event(
            session,
            "source.edit",
            "source",
            after.id,
            actor,
            tracker=tracker,
            name=after.name,
            changes={
                k: {"before": _json(before, k), "after": _json(after, k)} for k in sorted(changes)
            },
        )
        return after


def set_paused(
    store: Store, tracker: str, name: str, paused: bool, *, actor: str
) -> watched.WatchedSource:
    """Pause or resume (a resumed source is due at once); ConflictError when already so."""
    with store.session() as session:
        source = _source(session, tracker, name)
        return _set_paused(session, source, paused, actor)


def set_paused_by_id(
    store: Store, tracker: str, source_id: int, paused: bool, *, actor: str
) -> watched.WatchedSource:
    """`set_paused` for a source known by id (the web page's buttons); the source must belong
    to `tracker` (NotFoundError otherwise)."""
    from ..errors import NotFoundError

    with store.session() as session:
        source = watched.get_source_by_id(session, source_id)
        if source.tracker != tracker:
            raise NotFoundError(f"no watched source with id {source_id} in tracker {tracker!r}")
        return _set_paused(session, source, paused, actor)


def _set_paused(
    session: Session, source: watched.WatchedSource, paused: bool, actor: str
) -> watched.WatchedSource:
    if not paused:
        watched.refuse_archived(session, source.tracker)
    after = watched.set_paused(session, source.id, paused)
    record_event(
        session,
        "source.pause" if paused else "source.resume",
        "source",
        source.id,
        actor,
        tracker=source.tracker,
        name=source.name,
    )
    return after


def release(store: Store, tracker: str, name: str, *, actor: str) -> watched.WatchedSource:
    """Free the source from an unfinished run (`watched.release`); ConflictError when none is
    running."""
    with store.session() as session:
        source = _source(session, tracker, name)
        if not watched.release(session, source.id, utcnow()):
            raise ConflictError(f"{tracker}/{name} has no run in progress: nothing to release")
        record_event(
            session, "source.release", "source", source.id, actor, tracker=tracker, name=name
        )
        return watched.get_source_by_id(session, source.id)


def remove(store: Store, tracker: str, name: str, *, actor: str) -> watched.WatchedSource:
    """Stop watching the source and forget its runs; documents it brought in stay."""
    with store.session() as session:
        source = _source(session, tracker, name)
        watched.remove_source(session, source.id)
        record_event(session, "source.remove", "source", source.id, actor, source=_state(source))
        return source


def statuses(store: Store, tracker: str | None = None) -> list[watched.SourceStatus]:
    """Every watched source (of one tracker) with its newest run."""
    with store.session() as session:
        tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
        return watched.list_with_last_run(session, tracker_id)


def tracker_page(
    store: Store, tracker: str, runs: int = 10
) -> tuple[list[watched.WatchedSource], dict[int, list[watched.SourceRun]]]:
    """A tracker's watched sources and each one's `runs` most recent runs (the admin page)."""
    with store.session() as session:
        tracker_id = tracker_store.get_tracker(session, tracker).id
        sources = watched.list_sources(session, tracker_id)
        return sources, {s.id: watched.recent_runs(session, s.id, runs) for s in sources}
