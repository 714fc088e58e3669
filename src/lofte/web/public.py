"""Public pages (no login) and their JSON twins under /api/…; each calls one view function."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable
from typing import Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import ValidationError
from ..publish import catalog, feeds, pages
from ..publish.meter import STATUS_ORDER
from ..review.deadlines import today_utc
from ..store import trackers as tracker_store
from ..store.db import Session
from . import charts
from .i18n import translate
from .templating import lang_query, language, rss_response

router = APIRouter()
STATUS_VALUES = tuple(s.value for s in STATUS_ORDER)  # the form's and the meter's order


async def db(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work (`Store.session`: committed, or rolled back on an error).

    Opened here, on the event loop, as it touches no database (the route's first query
    connects, in the route's worker thread); finished in a worker thread, shielded from
    cancellation so a connection always goes back to the pool. A plain generator dependency
    would cost a thread hop more on every request (the /healthz profile: 4 hops, now 2).
    """
    unit = request.app.state.store.session()
    session = unit.__enter__()
    try:
        yield session
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            handled = await run_in_threadpool(unit.__exit__, type(exc), exc, exc.__traceback__)
        if not handled:
            raise
    else:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(unit.__exit__, None, None, None)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.pages.render(request, name, context, status)  # type: ignore[no-any-return]


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


# --- trackers and the meter -----------------------------------------------------------------


def render_shared(
    request: Request, name: str, context: Callable[[], dict[str, Any]], key: Hashable
) -> Response:
    """A page the same for every anonymous reader while `key` (pages.tracker_key) stays the
    same: rendered once (templating.Pages.shared_body)."""
    return request.app.state.pages.render_shared(request, name, context, key)  # type: ignore[no-any-return]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, s: Session = Depends(db)) -> Response:
    return render_shared(
        request,
        "index.html",
        lambda: {"trackers": pages.trackers_overview(s), "archived": pages.archived_overview(s)},
        pages.overview_key(s),
    )


@router.get("/api/trackers")
def index_json(s: Session = Depends(db)) -> Any:
    return pages.trackers_overview(s)


@router.get("/trackers/{slug}", response_class=HTMLResponse)
def meter_page(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    # rendered once per change of the tracker for anonymous readers (templating.shared_body)
    key, data = pages.shared_meter(s, slug)
    return request.app.state.pages.render_shared(  # type: ignore[no-any-return]
        request, "meter.html", data, key
    )


@router.get("/api/trackers/{slug}")
def meter_json(slug: str, s: Session = Depends(db)) -> Any:
    return pages.tracker_meter(s, slug)


@router.get("/trackers/{slug}/charts/{name}.svg")
def chart(request: Request, slug: str, name: str, s: Session = Depends(db)) -> Response:
    # "status-narrow" …: the same chart drawn for a phone's width (publish/charts.py)
    name, narrow = name.removesuffix("-narrow"), name.endswith("-narrow")
    if name not in ("status", "areas", "term"):
        raise HTTPException(status_code=404)
    key, shared = pages.shared_meter(s, slug)
    data = shared["meter"]
    lang = language(request)

    def t(key: str) -> str:
        return translate(key, lang)

    def make() -> Response:
        if name == "status":
            svg = charts.status_chart(data["counts"], t, narrow=narrow)
        elif name == "areas":
            svg = charts.area_chart(data["by_area"], t, narrow=narrow)
        else:
            svg = charts.term_chart(data["over_term"], t, narrow=narrow)
        return Response(svg, media_type=SVG, headers={"Cache-Control": "no-cache"})

    response: Response = request.app.state.pages.shared_body(request, ("chart", key), SVG, make)
    # revalidated, not downloaded again: a phone got the whole chart on every visit (QA)
    return revalidated(request, response)


def revalidated(request: Request, response: Response) -> Response:
    """`response` with an ETag of its body, to be asked again each time (`no-cache`), or a 304
    when the client holds that body already."""
    tag = catalog.etag(bytes(response.body))
    headers = {"Cache-Control": "no-cache", "ETag": tag}
    if catalog.matches_etag(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers | _kept(response))
    response.headers.update(headers)
    return response


# A 304's headers replace the cached copy's: the widget's own policy (it may be framed) must
# come with it, or the edge gives the 304 the pages' "never framed" (review).
_KEPT_ON_304 = ("vary", "content-security-policy", "content-language")


def _kept(response: Response) -> dict[str, str]:
    return {name: response.headers[name] for name in _KEPT_ON_304 if name in response.headers}


SVG = "image/svg+xml"


@router.get("/trackers/{slug}/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, slug: str, page: int = Query(1, ge=1), s: Session = Depends(db)
) -> Response:
    return render_shared(
        request,
        "documents.html",
        lambda: pages.tracker_documents(s, slug, page),
        pages.tracker_key(s, slug),
    )


@router.get("/api/trackers/{slug}/documents")
def documents_json(slug: str, page: int = Query(1, ge=1), s: Session = Depends(db)) -> Any:
    return pages.tracker_documents(s, slug, page)


# --- pledges --------------------------------------------------------------------------------


def _pledge_list(
    s: Session,
    slug: str,
    area: str | None,
    status: str | None,
    q: str | None,
    page: int,
    party: str | None = None,
    sort: str | None = None,
) -> dict[str, Any]:
    status = _text(status)
    if status is not None and status not in STATUS_VALUES:  # a 400 that names the choices
        raise ValidationError(f"unknown status {status!r}: use {', '.join(STATUS_VALUES)}")
    return pages.pledge_list(
        s,
        slug,
        area=_text(area),
        status=status,
        q=_text(q),
        party=_text(party),
        sort=_text(sort),
        page=page,
    )


@router.get("/trackers/{slug}/pledges", response_class=HTMLResponse)
def pledges_page(
    request: Request,
    slug: str,
    area: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: int = Query(1, ge=1),
    party: str | None = None,
    sort: str | None = None,
    s: Session = Depends(db),
) -> Response:
    return render_shared(
        request,
        "pledges.html",
        lambda: _pledge_list(s, slug, area, status, q, page, party, sort),
        (pages.tracker_key(s, slug), today_utc()),  # the day: a deadline passes overnight
    )


@router.get("/api/trackers/{slug}/pledges")
def pledges_json(
    slug: str,
    area: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: int = Query(1, ge=1),
    party: str | None = None,
    sort: str | None = None,
    s: Session = Depends(db),
) -> Any:
    return _pledge_list(s, slug, area, status, q, page, party, sort)


# `:path`: a party's name may hold a "/" (sent as %2F, which arrives decoded); its feed's route
# (web/feeds.py) is matched first
@router.get("/trackers/{slug}/parties/{party:path}", response_class=HTMLResponse)
def party_page(
    request: Request, slug: str, party: str, page: int = Query(1, ge=1), s: Session = Depends(db)
) -> Response:
    return render(request, "party.html", pages.party_page(s, slug, party, page))


@router.get("/api/trackers/{slug}/parties/{party:path}")
def party_json(slug: str, party: str, page: int = Query(1, ge=1), s: Session = Depends(db)) -> Any:
    return pages.party_page(s, slug, party, page)


@router.get("/pledges/{pledge_id}", response_class=HTMLResponse)
def pledge_page(request: Request, pledge_id: int, s: Session = Depends(db)) -> Response:
    return render_shared(
        request,
        "pledge.html",
        lambda: pages.pledge_detail(s, pledge_id),
        (pages.pledge_key(s, pledge_id), today_utc()),  # the day: a deadline passes overnight
    )


@router.get("/api/pledges/{pledge_id}")
def pledge_json(pledge_id: int, s: Session = Depends(db)) -> Any:
    return pages.pledge_detail(s, pledge_id)


# --- documents, search, feed ----------------------------------------------------------------


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: int, s: Session = Depends(db)) -> Response:
    return render(request, "document.html", {"document": pages.document_detail(s, document_id)})


@router.get("/api/documents/{document_id}")
def document_json(document_id: int, s: Session = Depends(db)) -> Any:
    data = pages.document_detail(s, document_id)
    data.pop("marked_body")  # the pledges' spans say the same
    return data


def _search(
    s: Session, q: str | None, tracker: str | None, page: int, party: str | None = None
) -> dict[str, Any]:
    return pages.search_page(
        s, (q or "").strip(), slug=_text(tracker), party=_text(party), page=page
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str | None = None,
    tracker: str | None = None,
    page: int = Query(1, ge=1),
    party: str | None = None,
    s: Session = Depends(db),
) -> Response:
    # rendered once per query and change of the trackers or documents for anonymous readers
    key = pages.search_key(s, _text(tracker))
    if key is None:
        return render(request, "search.html", _search(s, q, tracker, page, party))
    return render_shared(request, "search.html", lambda: _search(s, q, tracker, page, party), key)


@router.get("/api/search")
def search_json(
    q: str | None = None,
    tracker: str | None = None,
    page: int = Query(1, ge=1),
    party: str | None = None,
    s: Session = Depends(db),
) -> Any:
    return _search(s, q, tracker, page, party)


@router.get("/trackers/{slug}/feed.xml")
def feed(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    lang = language(request)
    # Links are absolute under LOFTE_PUBLIC_URL, else root-relative: never built from the
    # request's Host header, which any client can set (a cached feed would then point elsewhere).
    base = request.app.state.settings.public_url
    body = feeds.verdict_feed(
        pages.verdict_changes(s, slug),
        base,
        lambda key: translate(key, lang),
        lang,
        query=lang_query(request),
    )
    return rss_response(request, body)


@router.get("/api/trackers/{slug}/changes")
def changes_json(slug: str, s: Session = Depends(db)) -> Any:
    return pages.verdict_changes(s, slug)


# What a search engine may crawl (RFC 9309): the public pages, not the editors' pages, the
# login, the search (a page per query, without end), the JSON API, nor the archived copies of
# other sites' pages, which are evidence here and not this site's text.
ROBOTS_TXT = """User-agent: *
Disallow: /edit
Disallow: /login
Disallow: /logout
Disallow: /search
Disallow: /api/
Disallow: /trackers/*/archive/
"""


@router.get("/robots.txt")
def robots() -> Response:
    return Response(
        ROBOTS_TXT,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/healthz")
def health(s: Session = Depends(db)) -> Response:
    # a Response, not a dict: a dict would be validated against a response model in one more
    # worker thread hop
    tracker_store.list_trackers(s)
    return JSONResponse({"status": "ok"})
