"""Trackers and their sources. Each function takes an open session and returns model records."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from ..config import TRACKER_SLUG
from ..errors import ConflictError, NotFoundError, TrackerNotFoundError, ValidationError
from ..model import Source, SourceKind, Tracker
from . import audit
from .schema import SourceRow, TrackerRow, utcnow

_SLUG = TRACKER_SLUG  # one rule, also for LOFTE_DEFAULT_TRACKER (config)


# --- trackers ---------------------------------------------------------------------------------


def tracker_record(row: TrackerRow) -> Tracker:
    return Tracker(
        id=row.id,
        slug=row.slug,
        name=row.name,
        jurisdiction=row.jurisdiction,
        actors=tuple(row.actors or ()),
        term_start=row.term_start,
        term_end=row.term_end,
        description=row.description,
        created_at=row.created_at,
        modified_at=row.modified_at,
        published_at=row.published_at,
        show_candidates=row.show_candidates,
        archived_at=row.archived_at,
        methodology=row.methodology,
    )


def check_slug(slug: str) -> None:
    """ValidationError unless `slug` can name a tracker: checked before work that makes one."""
    if not _SLUG.fullmatch(slug):
        raise ValidationError(
            f"tracker slug {slug!r}: use lowercase letters, digits and dashes (max 100)"
        )


def add_tracker(
    session: Session,
    slug: str,
    name: str,
    *,
    jurisdiction: str | None = None,
    actors: Sequence[str] = (),
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    description: str | None = None,
    actor: str | None = None,
) -> Tracker:
    """A new tracker. With `actor` (who made it: `lofte tracker add`, the first ingest into
    it) one `tracker.add` event records it with its values, so its history starts at its
    making (insider QA: a tracker's first values were in no event)."""
    check_slug(slug)
    if term_start and term_end and term_end < term_start:
        raise ValidationError(_term_backwards(term_start, term_end))
    if session.scalar(select(TrackerRow.id).where(TrackerRow.slug == slug)) is not None:
        raise ConflictError(f"a tracker named {slug!r} exists already")
    row = TrackerRow(
        slug=slug,
        name=name,
        jurisdiction=jurisdiction,
        actors=list(actors),
        term_start=term_start,
        term_end=term_end,
        description=description,
    )
    session.add(row)
    session.flush()
    if actor is not None:
        audit.record_event(
            session,
            "tracker.add",
            "tracker",
            row.id,
            actor,
            slug=slug,
            name=name,
            jurisdiction=jurisdiction,
            actors=list(actors),  # the parties, under tracker.edit's name for them
            term_start=term_start.isoformat() if term_start else None,
            term_end=term_end.isoformat() if term_end else None,
            description=description,
        )
    return tracker_record(row)


# built once: every public page asks for its tracker, and building the statement per call
# took as long as running it
_BY_SLUG = select(TrackerRow).where(TrackerRow.slug == bindparam("slug"))


def get_tracker_row(session: Session, slug: str) -> TrackerRow:
    # no slug holds a NUL, and PostgreSQL refuses to compare one (QA: a 500 for /trackers/%00)
    row = None if "\x00" in slug else session.scalar(_BY_SLUG, {"slug": slug})
    if row is None:
        raise TrackerNotFoundError(f"no tracker named {slug!r}", slug=slug)
    return row


def get_tracker(session: Session, slug: str) -> Tracker:
    return tracker_record(get_tracker_row(session, slug))


def get_tracker_by_id(session: Session, tracker_id: int) -> Tracker:
    row = session.get(TrackerRow, tracker_id)
    if row is None:
        raise NotFoundError(f"no tracker with id {tracker_id}")
    return tracker_record(row)


def list_trackers(session: Session) -> list[Tracker]:
    rows = session.scalars(select(TrackerRow).order_by(TrackerRow.slug))
    return [tracker_record(r) for r in rows]


def slugs_like(session: Session, slug: str, most: int = 3) -> list[str]:
    """The trackers, drafts too, whose slugs are spelt like `slug`: another case first, then
    the closest by difflib's ratio (QA, a first-day editor: "stockholm2022" said only that
    no such tracker exists). For the CLI; the public web would name draft trackers."""
    slugs = list(session.scalars(select(TrackerRow.slug)))
    same = [s for s in slugs if s.casefold() == slug.casefold()]
    close = difflib.get_close_matches(slug.casefold(), slugs, n=most, cutoff=0.75)
    return list(dict.fromkeys(same + close))[:most]


def _default_name(slug: str) -> str:
    """The name a tracker made on first use gets until an editor names it: its slug, read."""
    return slug.replace("-", " ").capitalize()


def ensure_tracker(session: Session, slug: str) -> Tracker:
    """The tracker `slug`, created with default values when missing (the quick path)."""
    row = session.scalar(select(TrackerRow).where(TrackerRow.slug == slug))
    if row is None:
        add_tracker(session, slug, name=_default_name(slug))
        row = get_tracker_row(session, slug)
    return tracker_record(row)


_TRACKERS = cast(Table, TrackerRow.__table__)
_TRACKER_ID = select(_TRACKERS.c.id).where(_TRACKERS.c.slug == bindparam("slug"))


def tracker_id_of(session: Session, slug: str) -> int | None:
    """The id of tracker `slug`, None when there is none."""
    if "\x00" in slug:  # as `get_tracker_row`
        return None
    found = session.connection().execute(_TRACKER_ID, {"slug": slug}).scalar()
    return None if found is None else int(found)


def ensure_tracker_id(session: Session, slug: str, actor: str | None = None) -> tuple[int, bool]:
    """The id of tracker `slug`, and whether this call made it (it was missing): for a caller
    that needs only the id (ingest, once an input), in one Core query instead of an ORM load.
    Of two writers that both find it missing, the database lets one insert it (the slug is
    unique): the other's transaction fails with a ConflictError and, tried again, finds it."""
    found = session.connection().execute(_TRACKER_ID, {"slug": slug}).scalar()
    if found is not None:
        return found, False
    try:
        return add_tracker(session, slug, name=_default_name(slug), actor=actor).id, True
    except ConflictError:  # committed by another writer since the query above: not made here
        found = session.connection().execute(_TRACKER_ID, {"slug": slug}).scalar()
        if found is None:
            raise
        return found, False


# --- sources ----------------------------------------------------------------------------------


def source_record(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        tracker_id=row.tracker_id,
        name=row.name,
        kind=SourceKind(row.kind),
        publisher=row.publisher,
        origin=row.origin,
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def ensure_source(
    session: Session, tracker_id: int, name: str, kind: SourceKind, origin: str | None = None
) -> Source:
    row = session.scalar(
        select(SourceRow).where(SourceRow.tracker_id == tracker_id, SourceRow.name == name)
    )
    if row is None:
        row = SourceRow(tracker_id=tracker_id, name=name, kind=kind.value, origin=origin)
        session.add(row)
        session.flush()
    return source_record(row)


def list_sources(session: Session, tracker_id: int | None = None) -> list[Source]:
    query = select(SourceRow).order_by(SourceRow.id)
    if tracker_id is not None:
        query = query.where(SourceRow.tracker_id == tracker_id)
    return [source_record(r) for r in session.scalars(query)]


# --- editing, archiving and deleting trackers (the rules are in review/tracker_admin.py) ------

TRACKER_EDITABLE = frozenset(
    {
        "name",
        "jurisdiction",
        "actors",
        "term_start",
        "term_end",
        "description",
        "show_candidates",
        "methodology",
    }
)


def hold_tracker(session: Session, slug: str, seen: dt.datetime | None = None) -> Tracker:
    """The tracker, read after its row is locked until the transaction ends (a no-op UPDATE:
    the write lock on SQLite, the row lock on PostgreSQL), so a change decided on it (an edit
    and its audit's values before) rests on the row as it is when written. With `seen` (its
    `modified_at` as the editor's form showed it; every write of a tracker sets it) the
    UPDATE is conditional: a change someone else saved since is a ConflictError, not undone
    by a form loaded before it."""
    condition = [TrackerRow.slug == slug]
    if seen is not None:
        condition.append(TrackerRow.modified_at == seen)
    done = session.execute(
        update(TrackerRow)
        .where(*condition)
        .values(modified_at=TrackerRow.modified_at)
        .execution_options(synchronize_session=False)
    )
    row = get_tracker_row(session, slug)  # NotFoundError when there is none
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"tracker {slug!r} was changed by someone else since you loaded it; reload it and "
            "apply your change again"
        )
    session.refresh(row)
    return tracker_record(row)


def _term_backwards(start: dt.date, end: dt.date) -> str:
    """The refusal of a term that ends before it starts, with both dates (QA: which one of
    the two was wrong was left to guess)."""
    return f"the term ends ({end.isoformat()}) before it starts ({start.isoformat()})"


def update_tracker(session: Session, slug: str, **changes: object) -> tuple[Tracker, Tracker]:
    """Set fields of a tracker; (before, after). The term is checked as a whole."""
    unknown = set(changes) - TRACKER_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = get_tracker_row(session, slug)
    before = tracker_record(row)
    for name, value in changes.items():
        setattr(row, name, list(value) if name == "actors" else value)  # type: ignore[call-overload]
    if row.term_start and row.term_end and row.term_end < row.term_start:
        raise ValidationError(_term_backwards(row.term_start, row.term_end))
    session.flush()
    return before, tracker_record(row)


def set_tracker_archived(session: Session, slug: str, archived: bool) -> Tracker:
    """Archive (now) or unarchive a tracker with a conditional UPDATE (`… WHERE archived_at
    IS [NOT] NULL`): of two editors doing the same at once one does it, and the other gets a
    ValidationError (archived already), as when done one after the other. Archiving keeps the
    first date."""
    row = get_tracker_row(session, slug)
    condition = TrackerRow.archived_at.is_(None) if archived else TrackerRow.archived_at.isnot(None)
    done = session.execute(
        update(TrackerRow)
        .where(TrackerRow.id == row.id, condition)
        .values(archived_at=utcnow() if archived else None, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        state = "archived" if archived else "not archived"
        raise ValidationError(f"tracker {slug!r} is {state} already")
    session.refresh(row)
    return tracker_record(row)


def hold_unless_public(session: Session, slug: str) -> Tracker:
    """The tracker, its row locked until the transaction ends, if it is not public (a draft,
    or archived); ValidationError when it is. The check is a conditional UPDATE, so a tracker
    published or unarchived by another editor meanwhile is seen as public (on SQLite it takes
    the write lock, on PostgreSQL it waits for the other's row lock and reads the row again),
    and stays so until this transaction ends: deleting it cannot take a public meter."""
    row = get_tracker_row(session, slug)
    done = session.execute(
        update(TrackerRow)
        .where(
            TrackerRow.id == row.id,
            (TrackerRow.published_at.is_(None)) | (TrackerRow.archived_at.isnot(None)),
        )
        .values(modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationError(
            f"tracker {slug!r} is public: archive it first (`lofte tracker archive {slug}`)"
        )
    session.refresh(row)
    return tracker_record(row)


def tracker_contents(session: Session, tracker_id: int) -> dict[str, list[int]]:
    """The ids of everything a tracker holds, by kind (what deleting it removes)."""
    from .schema import DocumentRow, EvidenceRow, PledgeRow, VerdictRow

    pledges = list(session.scalars(select(PledgeRow.id).where(PledgeRow.tracker_id == tracker_id)))
    documents = list(
        session.scalars(select(DocumentRow.id).where(DocumentRow.tracker_id == tracker_id))
    )
    sources = list(session.scalars(select(SourceRow.id).where(SourceRow.tracker_id == tracker_id)))
    evidence: list[int] = []
    verdicts: list[int] = []
    if pledges:
        evidence = list(
            session.scalars(select(EvidenceRow.id).where(EvidenceRow.pledge_id.in_(pledges)))
        )
        verdicts = list(
            session.scalars(select(VerdictRow.id).where(VerdictRow.pledge_id.in_(pledges)))
        )
    return {
        "documents": sorted(documents),
        "sources": sorted(sources),
        "pledges": sorted(pledges),
        "evidence": sorted(evidence),
        "verdicts": sorted(verdicts),
    }


def delete_tracker(session: Session, slug: str) -> dict[str, list[int]]:
    """Delete a tracker and everything it holds (verdicts, evidence, pledges, documents,
    sources, their stage marks); raw bytes other documents share stay. Returns the ids removed.
    Audit events are never deleted: the caller records the removal (review/tracker_admin.py)."""
    from sqlalchemy import delete

    from .schema import DocumentRow, EvidenceRow, PledgeRow, StageMarkRow, VerdictRow

    row = get_tracker_row(session, slug)
    gone = tracker_contents(session, row.id)
    # Children first, explicitly: the same order on both databases, whatever the FK settings.
    if gone["verdicts"]:
        session.execute(delete(VerdictRow).where(VerdictRow.id.in_(gone["verdicts"])))
    if gone["evidence"]:
        session.execute(delete(EvidenceRow).where(EvidenceRow.id.in_(gone["evidence"])))
    if gone["pledges"]:
        session.execute(
            PledgeRow.__table__.update()  # type: ignore[attr-defined]
            .where(PledgeRow.tracker_id == row.id)
            .values(parent_id=None)
        )
        session.execute(
            PledgeRow.__table__.delete().where(  # type: ignore[attr-defined]
                PledgeRow.tracker_id == row.id
            )
        )
    for kind, ids in (("pledge", gone["pledges"]), ("document", gone["documents"])):
        if ids:
            session.execute(
                delete(StageMarkRow).where(
                    StageMarkRow.entity_type == kind, StageMarkRow.entity_id.in_(ids)
                )
            )
    if gone["documents"]:
        session.execute(
            DocumentRow.__table__.update()  # type: ignore[attr-defined]
            .where(DocumentRow.tracker_id == row.id)
            .values(duplicate_of=None)
        )
        session.execute(delete(DocumentRow).where(DocumentRow.tracker_id == row.id))
    session.execute(delete(SourceRow).where(SourceRow.tracker_id == row.id))
    session.delete(row)
    session.flush()
    return gone


def get_source(session: Session, source_id: int) -> Source:
    row = session.get(SourceRow, source_id)
    if row is None:
        raise NotFoundError(f"no source with id {source_id}")
    return source_record(row)


# --- publishing a tracker (issue 12) ---------------------------------------------------------


def set_tracker_published(
    session: Session, slug: str, published: bool, *, actor: str, when: dt.datetime | None = None
) -> Tracker:
    """Publish a draft tracker or take a published one back to draft, with a conditional
    UPDATE (`… WHERE published_at IS [NOT] NULL`): of two editors doing the same at once one
    does it and the other gets a ConflictError. Records `tracker.publish` / `tracker.unpublish`
    in the caller's transaction."""
    row = get_tracker_row(session, slug)
    moment = when or utcnow()
    condition = (
        TrackerRow.published_at.is_(None) if published else TrackerRow.published_at.isnot(None)
    )
    done = session.execute(
        update(TrackerRow)
        .where(TrackerRow.id == row.id, condition)
        .values(published_at=moment if published else None, modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        state = "published" if published else "a draft"
        raise ConflictError(f"tracker {slug!r} is {state} already")
    session.refresh(row)
    audit.record_event(
        session,
        "tracker.publish" if published else "tracker.unpublish",
        "tracker",
        row.id,
        actor,
        slug=row.slug,
        published_at=None if row.published_at is None else row.published_at.isoformat(),
    )
    return tracker_record(row)
