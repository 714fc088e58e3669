"""Archived copies of fetched pages (WARC), linked from evidence as "arkiverad kopia".

`/trackers/{slug}/archive/{id}` shows a copy's facts and its text (never its HTML: that would
run a foreign page's scripts on our origin), `/api/…` the same as JSON, and `….warc.gz` the
stored record. A copy is shown only within a tracker one of whose documents was read from it,
with the public pages' rule for drafts; a logged-in user (who sees the editors' pages, drafts
included, and their "arkiverad kopia" links) sees a draft's copies too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import NotFoundError
from ..publish import archive_pages
from ..store.db import Session
from . import auth, edge
from .public import db, render

router = APIRouter()

WARC_MEDIA_TYPE = "application/warc"


def _number(text: str) -> int:
    """An archive id from the path: anything but a whole number the database can hold is a
    copy that does not exist (404), not a malformed request."""
    if not edge.canonical_positive(text) or len(text) > 10 or int(text) > edge.INT_MAX:
        raise NotFoundError(f"no archived copy {text[:40]!r}")
    return int(text)


def _editor(request: Request) -> bool:
    return auth.current_user(request) is not None


@router.get("/trackers/{slug}/archive/{archive_id}.warc.gz")
def archive_warc(
    request: Request, slug: str, archive_id: str, s: Session = Depends(db)
) -> Response:
    number = _number(archive_id)
    data = archive_pages.archive_warc(s, slug, number, editor=_editor(request))
    name = f"lofte-{slug}-archive-{number}.warc.gz"
    return Response(
        data,
        media_type=WARC_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/trackers/{slug}/archive/{archive_id}", response_class=HTMLResponse)
def archive_page(
    request: Request, slug: str, archive_id: str, s: Session = Depends(db)
) -> Response:
    data = archive_pages.archive_page(s, slug, _number(archive_id), editor=_editor(request))
    return render(request, "archive.html", data)


@router.get("/api/trackers/{slug}/archive/{archive_id}")
def archive_json(request: Request, slug: str, archive_id: str, s: Session = Depends(db)) -> Any:
    return archive_pages.archive_page(s, slug, _number(archive_id), editor=_editor(request))
