"""The admin's tracker settings page, `/edit/trackers/{slug}/settings`: edit, archive,
unarchive and delete a tracker through `review/tracker_admin.py` (audited with the user).

Admins only. A broken rule comes back as 422 with the admin's input still in the form.
Deleting asks for the tracker's slug to be typed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import ConflictError, ValidationError
from ..model import User
from ..publish import records
from ..review import tracker_admin
from ..store import trackers as tracker_store
from ..store.db import Session
from . import auth
from .editor import last_change

router = APIRouter(prefix="/edit/trackers")


def db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as session:
        yield session


def _page(
    request: Request,
    slug: str,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    error_form: str | None = None,
    changed_by: dict[str, Any] | None = None,
) -> Response:
    with request.app.state.store.session() as session:
        current = tracker_store.get_tracker(session, slug)
    tracker, seen = records.tracker(current), current.modified_at
    values = form or {
        "name": tracker["name"],
        "jurisdiction": tracker["jurisdiction"] or "",
        "actors": "\n".join(tracker["actors"]),
        "term_start": tracker["term_start"] or "",
        "term_end": tracker["term_end"] or "",
        "description": tracker["description"] or "",
        "methodology": tracker["methodology"] or "",
        "show_candidates": tracker["show_candidates"],
    }
    context = {
        "tracker": tracker,
        "form": values,
        "error": error,
        "error_form": error_form,
        "seen": seen.isoformat() if seen else "",  # the state the form is loaded at
        "changed_by": changed_by,  # a conflict's other change (editor.changed_by)
    }
    return request.app.state.pages.render(  # type: ignore[no-any-return]
        request, "editor/tracker_settings.html", context, status
    )


SEEN_MALFORMED = "the form's state is malformed: reload the page and send the form from there"


def _seen(value: str) -> dt.datetime | None:
    """The tracker's state the form was loaded at (its hidden `seen`); none: not checked."""
    if not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(SEEN_MALFORMED) from None


def _day(value: str, label: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{label}: use YYYY-MM-DD") from None


FLASH_NAMES = 5  # watched sources a flash names, of those archiving paused


@router.get("/{slug}/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, slug: str, user: User = Depends(auth.require_admin)
) -> Response:
    return _page(request, slug)


@router.post("/{slug}/settings", response_class=HTMLResponse)
def save_settings(
    request: Request,
    slug: str,
    name: str = Form(""),
    jurisdiction: str = Form(""),
    actors: str = Form(""),
    term_start: str = Form(""),
    term_end: str = Form(""),
    description: str = Form(""),
    methodology: str = Form(""),
    show_candidates: str | None = Form(None),
    seen: str = Form(""),
    user: User = Depends(auth.require_admin),
) -> Response:
    form = {
        "name": name,
        "jurisdiction": jurisdiction,
        "actors": actors,
        "term_start": term_start,
        "term_end": term_end,
        "description": description,
        "methodology": methodology,
        "show_candidates": show_candidates is not None,
    }
    try:
        tracker_admin.edit(
            request.app.state.store,
            slug,
            actor=user.username,
            name=name,
            jurisdiction=jurisdiction,
            actors=actors.replace(",", "\n").splitlines(),
            term_start=_day(term_start, "term start"),
            term_end=_day(term_end, "term end"),
            description=description,
            methodology=methodology,
            show_candidates=show_candidates is not None,
            require_change=False,
            seen=_seen(seen),
        )
    except ConflictError as exc:  # saved by someone else since the form was loaded: kept input
        with request.app.state.store.session() as session:
            tracker_id = tracker_store.get_tracker(session, slug).id
        return _page(
            request,
            slug,
            status=409,
            form=form,
            error=str(exc),
            error_form="settings",
            changed_by=last_change(request, "tracker", tracker_id),
        )
    except ValidationError as exc:
        return _page(request, slug, status=422, form=form, error=str(exc), error_form="settings")
    auth.flash(request, "flash_tracker_saved", slug=slug)
    return RedirectResponse(f"/edit/trackers/{slug}/settings", status_code=303)


@router.post("/{slug}/archive", response_class=HTMLResponse)
def archive(
    request: Request,
    slug: str,
    archived: str = Form("1"),
    user: User = Depends(auth.require_admin),
) -> Response:
    store = request.app.state.store
    try:
        if archived == "0":
            paused = tracker_admin.unarchive_tracker(store, slug, actor=user.username).paused
        else:
            paused = tracker_admin.archive_tracker(store, slug, actor=user.username).paused
    except ValidationError as exc:
        return _page(request, slug, status=422, error=str(exc), error_form="archive")
    key = "flash_tracker_unarchived" if archived == "0" else "flash_tracker_archived"
    # the sources named, the first few (the flash is kept in the session cookie)
    names = ", ".join(paused[:FLASH_NAMES]) + (" …" if len(paused) > FLASH_NAMES else "")
    auth.flash(request, f"{key}_paused" if paused else key, slug=slug, names=names)
    return RedirectResponse(f"/edit/trackers/{slug}/settings", status_code=303)


@router.post("/{slug}/delete", response_class=HTMLResponse)
def delete(
    request: Request,
    slug: str,
    confirm: str = Form(""),
    user: User = Depends(auth.require_admin),
) -> Response:
    try:
        tracker_admin.delete(request.app.state.store, slug, actor=user.username, confirm=confirm)
    except ValidationError as exc:
        return _page(request, slug, status=422, error=str(exc), error_form="delete")
    auth.flash(request, "flash_tracker_deleted", slug=slug)
    return RedirectResponse("/edit", status_code=303)
