"""Public RSS feeds that follow one pledge, one party or one policy area (issue 15), beside the
tracker's feed in public.py. Each answers what its page would: a draft tracker, a pledge the
public may not see, an unknown party or area are 404.

Links are absolute under LOFTE_PUBLIC_URL, else root-relative: never built from the request's
Host header, which any client can set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..errors import NotFoundError
from ..publish import feed_pages, feeds, pages
from ..store.db import Session
from .i18n import translate
from .public import db
from .templating import lang_query, language, rss_response

router = APIRouter()


def _feed(
    request: Request,
    make: Callable[..., bytes],
    data: dict[str, Any],
) -> Response:
    lang = language(request)
    base = request.app.state.settings.public_url
    body = make(data, base, lambda key: translate(key, lang), lang, query=lang_query(request))
    return rss_response(request, body)


@router.get("/pledges/{pledge_id}/feed.xml")
def pledge_feed(request: Request, pledge_id: int, s: Session = Depends(db)) -> Response:
    return _feed(request, feeds.pledge_feed, pages.pledge_detail(s, pledge_id))


@router.get("/trackers/{slug}/pledges/{pledge_id}/feed.xml")
def tracker_pledge_feed(
    request: Request, slug: str, pledge_id: int, s: Session = Depends(db)
) -> Response:
    data = pages.pledge_detail(s, pledge_id)
    if data["tracker"]["slug"] != slug:
        raise NotFoundError(f"no pledge with id {pledge_id} in tracker {slug!r}")
    return _feed(request, feeds.pledge_feed, data)


# `:path`: as for areas below; this router is included before the party page's
@router.get("/trackers/{slug}/parties/{party:path}/feed.xml")
def party_feed(request: Request, slug: str, party: str, s: Session = Depends(db)) -> Response:
    return _feed(request, feeds.party_feed, feed_pages.party_changes(s, slug, party))


# `:path`: an area's name may hold a "/" (sent as %2F, which arrives decoded)
@router.get("/trackers/{slug}/areas/{area:path}/feed.xml")
def area_feed(request: Request, slug: str, area: str, s: Session = Depends(db)) -> Response:
    return _feed(request, feeds.area_feed, feed_pages.area_changes(s, slug, area))
