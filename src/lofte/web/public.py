"""Public pages (no login) and their JSON twins under /api/…; each calls one view function."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import ValidationError
from ..model import VerdictStatus
from ..publish import feeds, pages
from ..store import trackers as tracker_store
from ..store.db import Session
from . import charts
from .i18n import translate
from .templating import language

router = APIRouter()
STATUS_VALUES = tuple(s.value for s in VerdictStatus)


def db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as session:
        yield session


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.pages.render(request, name, context, status)  # type: ignore[no-any-return]


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


# --- trackers and the meter -----------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index(request: Request, s: Session = Depends(db)) -> Response:
    return render(request, "index.html", {"trackers": pages.trackers_overview(s)})


@router.get("/api/trackers")
def index_json(s: Session = Depends(db)) -> Any:
    return pages.trackers_overview(s)


@router.get("/trackers/{slug}", response_class=HTMLResponse)
def meter_page(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    return render(request, "meter.html", pages.tracker_meter(s, slug))


@router.get("/api/trackers/{slug}")
def meter_json(slug: str, s: Session = Depends(db)) -> Any:
    return pages.tracker_meter(s, slug)


@router.get("/trackers/{slug}/charts/{name}.svg")
def chart(request: Request, slug: str, name: str, s: Session = Depends(db)) -> Response:
    data = pages.tracker_meter(s, slug)["meter"]
    lang = language(request)

    def t(key: str) -> str:
        return translate(key, lang)

    if name == "status":
        svg = charts.status_chart(data["counts"], t)
    elif name == "areas":
        svg = charts.area_chart(data["by_area"], t)
    elif name == "term":
        svg = charts.term_chart(data["over_term"], t)
    else:
        raise HTTPException(status_code=404)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


@router.get("/trackers/{slug}/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, slug: str, page: int = Query(1, ge=1), s: Session = Depends(db)
) -> Response:
    return render(request, "documents.html", pages.tracker_documents(s, slug, page))


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
    data = _pledge_list(s, slug, area, status, q, page, party, sort)
    return render(request, "pledges.html", data)


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


@router.get("/trackers/{slug}/parties/{party}", response_class=HTMLResponse)
def party_page(
    request: Request, slug: str, party: str, page: int = Query(1, ge=1), s: Session = Depends(db)
) -> Response:
    return render(request, "party.html", pages.party_page(s, slug, party, page))


@router.get("/api/trackers/{slug}/parties/{party}")
def party_json(slug: str, party: str, page: int = Query(1, ge=1), s: Session = Depends(db)) -> Any:
    return pages.party_page(s, slug, party, page)


@router.get("/pledges/{pledge_id}", response_class=HTMLResponse)
def pledge_page(request: Request, pledge_id: int, s: Session = Depends(db)) -> Response:
    return render(request, "pledge.html", pages.pledge_detail(s, pledge_id))


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
    return render(request, "search.html", _search(s, q, tracker, page, party))


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
        pages.verdict_changes(s, slug), base, lambda key: translate(key, lang), lang
    )
    return Response(body, media_type="application/rss+xml; charset=utf-8")


@router.get("/api/trackers/{slug}/changes")
def changes_json(slug: str, s: Session = Depends(db)) -> Any:
    return pages.verdict_changes(s, slug)


@router.get("/healthz")
def health(s: Session = Depends(db)) -> dict[str, str]:
    tracker_store.list_trackers(s)
    return {"status": "ok"}
