"""Editors' pages for evidence the linker missed: the pledge-side search, attaching a stored
document, a URL or an uploaded file, and one document's candidate pledges.

The routes are thin: ranking is `publish.evidence_pages` (over `linking`), attaching is
`review.evidence` (audited). A broken rule comes back as 422 and a pair that is already
evidence as 409, on the search page with the editor's input kept: the search it was sent from
(each form carries its query and page), the typed reason and passage, and for a 409 who
attached or decided the document first, and when. Every attach form takes an optional reason
(kept in the pledge's history) and an optional passage: a quote from the document to cite
instead of the linker's passage. The upload's text fields are cleaned as the urlencoded forms'
are at the edge (`edge.CleanFormInput` leaves multipart bodies to their route).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import ConflictError, InputError, ValidationError
from ..language.controls import clean_text
from ..model import User
from ..publish import evidence_pages
from ..review import conflicts, users
from ..review import evidence as evidence_review
from ..review.reasons import MAX_REASON_LENGTH
from . import auth
from .editor import changed_by, render, see_other

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
    typed: dict[str, Any] | None = None,
    page: int = 1,
    other: dict[str, Any] | None = None,
) -> Response:
    """The search page (`page` of its results); `typed`: the refused form's reason and
    passage, kept, with `form` (the form that sent them: "url", "file", or a document's id);
    `other`: the change a 409 met (`editor.changed_by`)."""
    data = evidence_pages.pledge_search(request.app.state.store, pledge_id, query, page)
    context = data | {
        "typed_unshown": _unshown(typed or {}, data["items"]),
        "can_edit": users.can_edit(user),
        "error": error,
        "url": url,
        "typed": typed or {},
        "max_reason": MAX_REASON_LENGTH,
        "changed_by": other,
    }
    return render(request, "editor/attach_search.html", context, status)


def _unshown(typed: dict[str, Any], items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A refused document form's typed reason and passage, as (label, text), when the page
    has no form of that document to keep them in: it was sent from the pledge's page or
    another search (QA: a pledge rejected meanwhile, and the reason was nowhere)."""
    form = typed.get("form", "")
    if not form.isdigit() or any(str(i["document"]["id"]) == form for i in items):
        return []
    labels = (("reason", "attach_reason_label"), ("passage", "attach_passage_label"))
    return [(label, typed[key]) for key, label in labels if typed.get(key)]


@router.get("/pledges/{pledge_id}/attach", response_class=HTMLResponse)
def attach_search(
    request: Request,
    pledge_id: int,
    q: str = "",
    page: int = Query(1, ge=1, le=evidence_pages.MAX_SEARCH_PAGE),
    user: User = Depends(auth.require_user),
) -> Response:
    return _search_page(request, pledge_id, user, q, page=page)


def _back(back: str, pledge_id: int) -> str:
    return auth.safe_next(back) if back else f"/edit/pledges/{pledge_id}"


def _page(value: str) -> int:
    """The search page a form was sent from (its hidden field); 1 when it is not one."""
    value = value.strip()
    if value.isdigit() and len(value) < 4 and 0 < int(value) <= evidence_pages.MAX_SEARCH_PAGE:
        return int(value)
    return 1


def _attempt(
    request: Request,
    pledge_id: int,
    user: User,
    back: str,
    change: Any,
    url: str = "",
    typed: dict[str, Any] | None = None,
    search: tuple[str, str] = ("", ""),
) -> Response:
    """Run an attach; a refusal shows the search page again as it was sent from (`search`:
    its query and page) with the typed text kept."""

    def again(
        status: int, error: str, other: dict[str, Any] | None = None, fields: tuple[str, ...] = ()
    ) -> Response:
        # the field the library's error is about, marked invalid in the kept form
        bad = next((f for f in ("reason", "passage") if f in fields), None)
        kept = None if typed is None else typed | {"bad": bad}
        return _search_page(
            request,
            pledge_id,
            user,
            search[0],
            status=status,
            error=error,
            url=url,
            typed=kept,
            page=_page(search[1]),
            other=other,
        )

    try:
        attached = change()
    except ConflictError as exc:
        # who attached or decided the document first, and when (QA: it named nobody)
        document = (typed or {}).get("form", "")
        with request.app.state.store.session() as s:
            first = conflicts.attach_change(
                s, pledge_id, int(document) if document.isdigit() else None, str(exc)
            )
        return again(409, str(exc), changed_by(request, first))
    except InputError as exc:  # named as the editor knows it, not by its stored origin
        return again(422, f"{evidence_review.shown_origin(exc.origin)}: {exc.message}")
    except ValidationError as exc:
        return again(422, str(exc), fields=exc.fields)
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
    reason: str = Form(""),
    passage: str = Form(""),
    q: str = Form(""),
    page: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    store = request.app.state.store
    return _attempt(
        request,
        pledge_id,
        user,
        back,
        lambda: evidence_review.attach_document(
            store, pledge_id, document_id, actor=user.username, reason=reason, passage=passage
        ),
        typed={"form": str(document_id), "reason": reason, "passage": passage},
        search=(q, page),
    )


@router.post("/pledges/{pledge_id}/attach/url", response_class=HTMLResponse)
def attach_url(
    request: Request,
    pledge_id: int,
    url: str = Form(""),
    reason: str = Form(""),
    passage: str = Form(""),
    q: str = Form(""),
    page: str = Form(""),
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
            store,
            pledge_id,
            url,
            actor=user.username,
            settings=settings,
            fetch=fetch,
            reason=reason,
            passage=passage,
        ),
        url=url,
        typed={"form": "url", "reason": reason, "passage": passage},
        search=(q, page),
    )


@router.post("/pledges/{pledge_id}/attach/file", response_class=HTMLResponse)
async def attach_file(
    request: Request,
    pledge_id: int,
    file: UploadFile = File(...),
    reason: str = Form(""),
    passage: str = Form(""),
    q: str = Form(""),
    page: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    # a multipart body passes the edge uncleaned (`edge.CleanFormInput`): its text fields are
    # cleaned here as every urlencoded form's are there (QA: a bell and escape codes stored)
    reason, passage, q = clean_text(reason), clean_text(passage), clean_text(q)
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
            store,
            pledge_id,
            data,
            name,
            actor=user.username,
            settings=settings,
            reason=reason,
            passage=passage,
        ),
        "",
        {"form": "file", "reason": reason, "passage": passage},
        (q, page),
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
