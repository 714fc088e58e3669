"""Editors' deadlines and the end-of-term worklist (issue 15).

The deadline form sits on the editor's pledge page and posts here; a stale version comes back
as 409 with the input kept, a bad date as 422 (editor._attempt, as for the other pledge forms).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import ValidationError
from ..model import User
from ..review import deadlines
from ..store.db import Session
from ..store.trackers import get_tracker
from . import auth
from .editor import _attempt, db, render

router = APIRouter(prefix="/edit")


@router.post("/pledges/{pledge_id}/deadline", response_class=HTMLResponse)
def pledge_deadline(
    request: Request,
    pledge_id: int,
    deadline: str = Form(""),
    action: str = Form("set"),
    expected_version: int = Form(...),
    user: User = Depends(auth.require_editor),
) -> Response:
    def change() -> None:
        if action == "clear":
            day = None
        elif action == "set":
            if not deadline.strip():
                raise ValidationError("give a deadline (YYYY-MM-DD), or clear it")
            day = deadlines.parse_deadline(deadline)
        else:
            raise ValidationError("action must be set or clear")
        deadlines.set_deadline(
            request.app.state.store,
            pledge_id,
            day,
            actor=user.username,
            expected_version=expected_version,
        )

    return _attempt(
        request,
        pledge_id,
        user,
        "deadline",
        {"deadline": deadline},
        change,
        "flash_pledge_deadline",
        expected_version,
    )


@router.get("/trackers/{slug}/worklist", response_class=HTMLResponse)
def worklist(
    request: Request,
    slug: str,
    user: User = Depends(auth.require_user),
    s: Session = Depends(db),
) -> Response:
    get_tracker(s, slug)  # an unknown tracker is a 404 before any work
    work = deadlines.worklist(s, slug, deadlines.today_utc())
    context: dict[str, Any] = {
        "tracker": {"slug": work.tracker.slug, "name": work.tracker.name},
        "term_end": work.tracker.term_end.isoformat() if work.tracker.term_end else None,
        "term_ended": work.term_ended,
        "items": deadlines.worklist_rows(work),
        "unreviewed": work.unreviewed,
    }
    return render(request, "editor/worklist.html", context)
