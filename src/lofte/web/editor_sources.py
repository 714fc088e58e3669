"""Editors' admin page of a tracker's watched sources and their runs (issue 15):
`/edit/trackers/{slug}/sources`, with a pause / resume button per source.

Anyone logged in may look; pausing and resuming need an editor (a viewer gets 403), go through
`watch.sources` (audited with the user) and carry the CSRF token like every editor form.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import ConflictError, ValidationError
from ..model import User
from ..publish import records
from ..review import users
from ..store import trackers as tracker_store
from ..watch import schedule
from ..watch import sources as source_admin
from . import auth

router = APIRouter(prefix="/edit/trackers")

RUNS_SHOWN = 10


def _page(
    request: Request, slug: str, user: User, status: int = 200, error: str | None = None
) -> Response:
    store = request.app.state.store
    with store.session() as session:
        tracker = records.tracker(tracker_store.get_tracker(session, slug))
    sources, runs = source_admin.tracker_page(store, slug, RUNS_SHOWN)
    rows = [
        {"source": s, "every": schedule.format_interval(s.every_seconds), "runs": runs[s.id]}
        for s in sources
    ]
    context = {
        "tracker": tracker,
        "sources": rows,
        "can_edit": users.can_edit(user),
        "error": error,
    }
    return request.app.state.pages.render(  # type: ignore[no-any-return]
        request, "editor/sources.html", context, status
    )


@router.get("/{slug}/sources", response_class=HTMLResponse)
def sources_page(request: Request, slug: str, user: User = Depends(auth.require_user)) -> Response:
    return _page(request, slug, user)


@router.post("/{slug}/sources/{source_id}/pause", response_class=HTMLResponse)
def pause_source(
    request: Request,
    slug: str,
    source_id: int,
    paused: str = Form("1"),
    user: User = Depends(auth.require_editor),
) -> Response:
    pause = paused != "0"
    try:
        source = source_admin.set_paused_by_id(
            request.app.state.store, slug, source_id, pause, actor=user.username
        )
    except ConflictError as exc:
        return _page(request, slug, user, status=409, error=str(exc))
    except ValidationError as exc:  # its tracker is archived: it is not followed up
        return _page(request, slug, user, status=422, error=str(exc))
    auth.flash(
        request, "flash_source_paused" if pause else "flash_source_resumed", name=source.name
    )
    return RedirectResponse(f"/edit/trackers/{slug}/sources", status_code=303)
