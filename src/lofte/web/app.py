"""The FastAPI app: server-rendered pages and their JSON twins, thin over the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..store import repositories as repo
from ..store.db import Store
from . import views
from .i18n import LANGUAGES, translate

HERE = Path(__file__).parent
PAGE_SIZE = 50


def create_app(store: Store) -> FastAPI:
    app = FastAPI(title="Löfte", docs_url="/api/docs", redoc_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes .html
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def session() -> Iterator[Session]:
        with store.session() as s:
            yield s

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        lang = _language(request)
        response = templates.TemplateResponse(
            request,
            name,
            {**context, "lang": lang, "t": lambda key: translate(key, lang)},
            status_code=status,
        )
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", lang, samesite="lax", httponly=True)
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return render(request, "error.html", {"message": str(exc)}, status=404)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, s: Session = Depends(session)) -> Response:
        return render(request, "index.html", {"trackers": views.trackers_overview(s)})

    @app.get("/api/trackers")
    def index_json(s: Session = Depends(session)) -> Any:
        return views.trackers_overview(s)

    @app.get("/trackers/{slug}", response_class=HTMLResponse)
    def tracker_page(request: Request, slug: str, page: int = 1, s: Session = Depends(session)) -> Response:
        return render(request, "tracker.html", views.tracker_detail(s, slug, page, PAGE_SIZE))

    @app.get("/api/trackers/{slug}")
    def tracker_json(slug: str, page: int = 1, s: Session = Depends(session)) -> Any:
        return views.tracker_detail(s, slug, page, PAGE_SIZE)

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    def document_page(request: Request, document_id: int, s: Session = Depends(session)) -> Response:
        return render(request, "document.html", {"document": views.document_detail(s, document_id)})

    @app.get("/api/documents/{document_id}")
    def document_json(document_id: int, s: Session = Depends(session)) -> Any:
        return views.document_detail(s, document_id)

    @app.get("/healthz")
    def health(s: Session = Depends(session)) -> dict[str, str]:
        repo.list_trackers(s)
        return {"status": "ok"}

    return app


def _language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "sv"
    return lang if lang in LANGUAGES else "sv"
