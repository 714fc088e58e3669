"""Editing, archiving and deleting trackers: the admin's rules, each change one audit event.

- **Edit** sets name, jurisdiction, actors, term, description, show_candidates and the
  methodology text; the event records each changed field before and after.
- **Archive** hides a tracker from the public home page; its pages stay reachable and say it
  is archived. Unarchive brings it back.
- **Delete** removes the tracker and everything it holds. It needs the slug typed again
  (`confirm`), and it is refused while the tracker is public (published and not archived):
  archive it first, so a public meter never vanishes by one mistaken command. The audit log
  keeps every event; the `tracker.delete` event lists the pledges, verdicts and evidence that
  went, so `lofte audit verify` does not report them as missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..model import Tracker
from ..store import trackers as tracker_store
from ..store import watched
from ..store.audit import record_event
from ..store.db import Store
from ..store.marks import drop_document_links
from .reasons import addressable

_UNSET: Any = object()


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def clean_actors(actors: Sequence[str]) -> tuple[str, ...]:
    """Actors trimmed, empty ones dropped, duplicates (case-insensitive) dropped, order kept;
    "." and ".." refused (`addressable`: each actor has a party page named by it)."""
    seen: set[str] = set()
    out: list[str] = []
    for actor in actors:
        name = addressable("party", " ".join(actor.split()))
        if name and name.casefold() not in seen:
            if len(name) > 100:
                raise ValidationError(f"actor {name[:20]!r}…: at most 100 characters")
            seen.add(name.casefold())
            out.append(name)
    return tuple(out)


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def edit(
    store: Store,
    slug: str,
    *,
    actor: str,
    name: str | None = None,
    jurisdiction: str | None = _UNSET,
    actors: Sequence[str] | None = None,
    term_start: dt.date | None = _UNSET,
    term_end: dt.date | None = _UNSET,
    description: str | None = _UNSET,
    show_candidates: bool | None = None,
    methodology: str | None = _UNSET,
    require_change: bool = True,
    seen: dt.datetime | None = None,
) -> Tracker:
    """Change the given fields (None clears a text field; leave a field out to keep it).

    Nothing changed is a ValidationError, or (`require_change=False`, a form saved as it was)
    no event and the tracker as it is. `seen` is the tracker's `modified_at` as the editor's
    form showed it: a change saved by someone else since is a ConflictError (the form sends
    every field, and would put the other's values back)."""
    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise ValidationError("a tracker needs a name")
        changes["name"] = " ".join(name.split())
    for field, value in (
        ("jurisdiction", jurisdiction),
        ("description", description),
        ("methodology", methodology),
    ):
        if value is not _UNSET:
            changes[field] = _text(value)
    if actors is not None:
        changes["actors"] = clean_actors(actors)
    if term_start is not _UNSET:
        changes["term_start"] = term_start
    if term_end is not _UNSET:
        changes["term_end"] = term_end
    if show_candidates is not None:
        changes["show_candidates"] = bool(show_candidates)
    with store.session() as session:
        # locked before it is read: the values before, and `seen`, are as they are when written
        current = tracker_store.hold_tracker(session, slug, seen)
        given, changes = changes, {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changes:
            if not require_change:
                return current
            raise _nothing_to_change(current, given)
        before, after = tracker_store.update_tracker(session, slug, **changes)
        if {"term_start", "term_end"} & set(changes):  # which documents may be evidence
            drop_document_links(session, after.id)
        record_event(
            session,
            "tracker.edit",
            "tracker",
            after.id,
            actor,
            slug=slug,
            changes={
                k: {"before": _json(getattr(before, k)), "after": _json(getattr(after, k))}
                for k in sorted(changes)
            },
        )
        return after


_FIELD_WORDS = {
    "actors": "parties",
    "term_start": "term start",
    "term_end": "term end",
    "show_candidates": "show candidates",
}


def _nothing_to_change(tracker: Tracker, given: dict[str, Any]) -> ValidationError:
    """Nothing given, or only what the tracker has: which, so that an option given is never
    passed over in silence (QA: "nothing to change" left the editor guessing)."""
    if not given:
        return ValidationError("nothing to change: no field given")

    def shown(value: Any) -> str:
        if value is None or value == ():
            return "none"
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, tuple):
            return ", ".join(value)
        text = str(_json(value))
        return repr(text if len(text) <= 60 else text[:60] + "…")  # a methodology is long

    values = "; ".join(
        f"{_FIELD_WORDS.get(field, field)} {shown(value)}" for field, value in given.items()
    )
    return ValidationError(f"nothing to change: tracker {tracker.slug} already has {values}")


@dataclass(frozen=True)
class Archived:
    tracker: Tracker
    # archive: its watched sources it paused; unarchive: those still paused by the archive
    paused: tuple[str, ...]


def archive(store: Store, slug: str, *, actor: str) -> Tracker:
    return archive_tracker(store, slug, actor=actor).tracker


def archive_tracker(store: Store, slug: str, *, actor: str) -> Archived:
    """Archive the tracker: no longer followed up, so its watched sources are paused in the
    same transaction (QA: an archived tracker's feed went on filling its public meter) and
    none can be resumed or added until it is unarchived."""
    with store.session() as session:
        # the check is the store's conditional UPDATE: an editor doing the same meanwhile
        tracker = tracker_store.set_tracker_archived(session, slug, True)
        record_event(session, "tracker.archive", "tracker", tracker.id, actor, slug=slug)
        paused = watched.pause_all(session, tracker.id)
        for source in paused:
            record_event(
                session,
                "source.pause",
                "source",
                source.id,
                actor,
                tracker=slug,
                name=source.name,
                because=watched.ARCHIVED_BECAUSE,
            )
        return Archived(tracker, tuple(s.name for s in paused))


def unarchive(store: Store, slug: str, *, actor: str) -> Tracker:
    return unarchive_tracker(store, slug, actor=actor).tracker


def unarchive_tracker(store: Store, slug: str, *, actor: str) -> Archived:
    """Bring the tracker back. The sources its archiving paused stay paused (`lofte source
    resume` each: following one again is a choice); `paused` names them."""
    with store.session() as session:
        tracker = tracker_store.set_tracker_archived(session, slug, False)
        record_event(session, "tracker.unarchive", "tracker", tracker.id, actor, slug=slug)
        still = watched.paused_by_archive(session, tracker.id)
        return Archived(tracker, tuple(s.name for s in still))


def is_public(tracker: Tracker) -> bool:
    """On the public site: published and not archived."""
    return tracker.published_at is not None and tracker.archived_at is None


def delete(store: Store, slug: str, *, actor: str, confirm: str) -> dict[str, int]:
    """Delete a tracker with everything it holds; `confirm` must be its slug. Returns counts."""
    if confirm.strip() != slug:
        raise ValidationError(f"type the tracker's slug {slug!r} to confirm deleting it")
    with store.session() as session:
        # not public, and held so until the delete commits (a publish meanwhile is seen)
        tracker = tracker_store.hold_unless_public(session, slug)
        gone = tracker_store.delete_tracker(session, slug)
        record_event(
            session,
            "tracker.delete",
            "tracker",
            tracker.id,
            actor,
            slug=slug,
            name=tracker.name,
            counts={k: len(v) for k, v in gone.items()},
            removed_pledges=gone["pledges"],
            removed_verdicts=gone["verdicts"],
            removed_evidence=gone["evidence"],
            removed_documents=gone["documents"],  # their addresses answer 410 (visibility.py)
        )
        return {k: len(v) for k, v in gone.items()}
