"""Editors' pages for evidence the linker missed: the pledge-side search, attaching a stored
document, a URL or an uploaded file, and one document's candidate pledges.

The routes are thin: ranking is `publish.evidence_pages` (over `linking`), attaching is
`review.evidence` (audited). A broken rule comes back as 422 and a pair that is already
evidence as 409, on the search page with the editor's input kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import ConflictError, InputError, ValidationError
from ..model import User
from ..publish import evidence_pages
from ..review import evidence as evidence_review
from ..review import users
from . import auth
from .editor import render, see_other

router = APIRouter(prefix="/edit")


def _search_page(
    request: Request,
    pledge_id: int,
    user: User,
    query: str = "",
    *,
    status: int = 200,
    error: str | None = None,
    url: str = "",
) -> Response:
    data = evidence_pages.pledge_search(request.app.state.store, pledge_id, query)
    context = data | {"can_edit": users.can_edit(user), "error": error, "url": url}
    return render(request, "editor/attach_search.html", context, status)


@router.get("/pledges/{pledge_id}/attach", response_class=HTMLResponse)
def attach_search(
    request: Request, pledge_id: int, q: str = "", user: User = Depends(auth.require_user)
) -> Response:
    return _search_page(request, pledge_id, user, q)


def _back(back: str, pledge_id: int) -> str:
    return auth.safe_next(back) if back else f"/edit/pledges/{pledge_id}"


def _attempt(
    request: Request, pledge_id: int, user: User, back: str, change: Any, url: str = ""
) -> Response:
    try:
        attached = change()
    except ConflictError as exc:
        return _search_page(request, pledge_id, user, status=409, error=str(exc), url=url)
    except InputError as exc:  # named as the editor knows it, not by its stored origin
        error = f"{evidence_review.shown_origin(exc.origin)}: {exc.message}"
        return _search_page(request, pledge_id, user, status=422, error=error, url=url)
    except ValidationError as exc:
        return _search_page(request, pledge_id, user, status=422, error=str(exc), url=url)
    done = "attach_done_outside" if attached.outside_period else "attach_done"
    auth.flash(request, done, id=attached.evidence.id, document=attached.document_id)
    target = _back(back, pledge_id)
    if target == f"/edit/pledges/{pledge_id}":
        target += f"#evidence-{attached.evidence.id}"
    return see_other(target)


@router.post("/pledges/{pledge_id}/attach/document", response_class=HTMLResponse)
def attach_document(
    request: Request,
    pledge_id: int,
    document_id: int = Form(...),
    back: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    store = request.app.state.store
    return _attempt(
        request,
        pledge_id,
        user,
        back,
        lambda: evidence_review.attach_document(store, pledge_id, document_id, actor=user.username),
    )


@router.post("/pledges/{pledge_id}/attach/url", response_class=HTMLResponse)
def attach_url(
    request: Request,
    pledge_id: int,
    url: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    fetch = getattr(request.app.state, "attach_fetch", None)  # tests replace the fetcher
    return _attempt(
        request,
        pledge_id,
        user,
        "",
        lambda: evidence_review.attach_url(
            store, pledge_id, url, actor=user.username, settings=settings, fetch=fetch
        ),
        url=url,
    )


@router.post("/pledges/{pledge_id}/attach/file", response_class=HTMLResponse)
async def attach_file(
    request: Request,
    pledge_id: int,
    file: UploadFile = File(...),
    user: User = Depends(auth.require_editor),
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    data = await file.read(settings.max_input_bytes + 1)  # one byte over: refused as too large
    name = file.filename or ""
    return await run_in_threadpool(
        _attempt,
        request,
        pledge_id,
        user,
        "",
        lambda: evidence_review.attach_upload(
            store, pledge_id, data, name, actor=user.username, settings=settings
        ),
    )


@router.get("/trackers/{slug}/documents/{document_id}", response_class=HTMLResponse)
def document_candidates(
    request: Request, slug: str, document_id: int, user: User = Depends(auth.require_user)
) -> Response:
    data = evidence_pages.document_candidates(request.app.state.store, slug, document_id)
    return render(
        request,
        "editor/document_candidates.html",
        data | {"can_edit": users.can_edit(user)},
    )
