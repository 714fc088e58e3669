"""The public methodology page of a tracker: `/trackers/{slug}/metod`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..publish.methodology import methodology_page
from ..publish.pages import corrections, removed_pledges
from ..store.db import Session
from . import public

router = APIRouter()
db = public.db  # the request's unit of work, in one thread hop


@router.get("/trackers/{slug}/metod", response_class=HTMLResponse)
def methodology(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    return request.app.state.pages.render(  # type: ignore[no-any-return]
        request,
        "methodology.html",
        methodology_page(s, slug) | corrections(s, slug) | removed_pledges(s, slug),
        200,
    )
