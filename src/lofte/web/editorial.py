"""Editors' publishing and corrections (issue 12): publish or unpublish a tracker, publish a
draft verdict, correct a document's date, title and kind, and (admins) delete a document.
Every change goes through the library (`lofte.review`), which audits it; broken rules answer
422, a change someone else made first 409."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import AlreadySavedError, AmbiguousQuoteError, ConflictError, ValidationError
from ..model import Role, SourceKind, User
from ..publish import editor_pages, highlight
from ..review import users
from ..review.documents import delete_document, edit_document
from ..review.pledges import add as add_pledge
from ..review.trackers import publish_tracker, unpublish_tracker
from ..review.verdicts import after_the_term, is_current, publish_verdict
from ..store import verdicts as verdict_store
from . import auth
from .editor import _attempt, last_change, render, see_other

PLACE_CONTEXT = 80  # characters around each place of words found more than once


def _offset(value: str) -> int | None:
    """A form's offset, None when it is none (a hand-made '²' is a digit to `isdigit`; review)."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def same_words(a: str, b: str) -> bool:
    """Whether two sends of a form's words are the same words: a browser drops a textarea's
    first line break and may change line ends (QA: the choice of a place was lost)."""
    return a.split() == b.split()


router = APIRouter(prefix="/edit")


@router.post("/trackers/{slug}/publish", response_class=HTMLResponse)
def tracker_publish(
    request: Request,
    slug: str,
    confirm: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    if confirm != "1":
        # one click made every confirmed pledge public (QA, a first-day editor): a box first,
        # as for taking it offline
        auth.flash(request, "flash_publish_unconfirmed")
        return see_other("/edit")
    return _tracker_change(request, slug, user, publish=True)


@router.post("/trackers/{slug}/unpublish", response_class=HTMLResponse)
def tracker_unpublish(
    request: Request,
    slug: str,
    confirm: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    if confirm != "1":
        # one press took every public page of the tracker offline (QA): the box says so first
        auth.flash(request, "flash_unpublish_unconfirmed")
        return see_other("/edit")
    return _tracker_change(request, slug, user, publish=False)


def _tracker_change(request: Request, slug: str, user: User, *, publish: bool) -> Response:
    change = publish_tracker if publish else unpublish_tracker
    with contextlib.suppress(ConflictError):  # someone did it first: the page shows it
        change(request.app.state.store, slug, actor=user.username)
    # named: the start page lists every tracker (QA: "Mätaren är publicerad." said not which)
    key = "flash_tracker_published" if publish else "flash_tracker_unpublished"
    auth.flash(request, key, slug=slug)
    return see_other("/edit")


@router.post("/verdicts/{verdict_id}/publish", response_class=HTMLResponse)
def verdict_publish(
    request: Request, verdict_id: int, user: User = Depends(auth.require_editor)
) -> Response:
    store = request.app.state.store
    with store.session() as s:
        pledge_id = verdict_store.get_verdict(s, verdict_id).pledge_id

    def change() -> str | None:
        try:
            published = publish_verdict(store, verdict_id, actor=user.username)
        except AlreadySavedError:  # a second click, Back and resubmit, or another editor first
            return "flash_verdict_already_published"
        if not is_current(store, published):
            return "flash_verdict_published_not_current"
        return "flash_verdict_after_term" if after_the_term(store, published) else None

    return _attempt(request, pledge_id, user, "verdict", {}, change, "flash_verdict_published")


def _document_page(
    request: Request,
    document_id: int,
    user: User,
    *,
    status: int = 200,
    form: dict[str, str] | None = None,
    error: str | None = None,
    add_form: dict[str, str] | None = None,
    add_error: str | None = None,
    error_fields: dict[str, tuple[str, ...]] | None = None,
    add_places: list[tuple[int, int]] | None = None,
    changed_by: dict[str, Any] | None = None,
    delete_form: dict[str, str] | None = None,
    delete_error: str | None = None,
) -> Response:
    with request.app.state.store.session() as s:
        document = editor_pages.editor_document(s, document_id)
    body = "".join(piece["text"] for piece in document["marked_body"])
    # words found in more than one place: each in its context, to choose from
    places = [
        {"start": a} | highlight.in_context(body, a, b, context=PLACE_CONTEXT)
        for a, b in add_places or ()
    ]
    date = document["date"]
    defaults = {
        "title": document["title"],
        "kind": document["kind"],
        "date": _user_date(date) if date else "",
        "url": document["url"] or "",
    }
    context: dict[str, Any] = {
        "document": document,
        "form": defaults | {"expected": document["correction_token"]} | (form or {}),
        "error": error,
        "kinds": [k.value for k in SourceKind],
        "can_edit": users.can_edit(user),
        "add_form": add_form,
        "add_error": add_error,
        # an error's form ("document", "add") to the values it is about
        "error_fields": error_fields or {},
        "add_places": places,
        "changed_by": changed_by,  # a conflict's other change (editor.changed_by)
        "can_delete": user.role is Role.ADMIN,
        "delete_form": delete_form,
        "delete_error": delete_error,
    }
    return render(request, "editor/document.html", context, status)


@router.post("/documents/{document_id}/pledges", response_class=HTMLResponse)
def document_add_pledge(
    request: Request,
    document_id: int,
    quote: str = Form(""),
    area: str = Form(""),
    start: str = Form(""),
    places_for: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    """A pledge the extractor missed, from the program's words (QA: no way to add one); of
    words the program holds more than once, the place the editor chose (`start`)."""
    try:
        pledge = add_pledge(
            request.app.state.store,
            document_id,
            quote=quote,
            # a place chosen for these very words (the words edited since: looked for anew)
            start=_offset(start) if same_words(places_for, quote) else None,
            area=area if area.strip() else None,
            actor=user.username,
        )
    except ValidationError as exc:
        form = {"quote": quote, "area": area}
        places = exc.places if isinstance(exc, AmbiguousQuoteError) else None
        return _document_page(
            request,
            document_id,
            user,
            status=422,
            add_form=form,
            add_error=str(exc),
            error_fields={"add": exc.fields},
            add_places=places,
        )
    # the area it got, said (newsroom QA: it took the area of the pledge before it, silently)
    if pledge.area:
        auth.flash(request, "flash_pledge_added", id=pledge.id, area=pledge.area)
    else:
        auth.flash(request, "flash_pledge_added_no_area", id=pledge.id)
    return see_other(f"/edit/pledges/{pledge.id}")


def _user_date(date: dict[str, Any]) -> str:
    """A stored date as the form takes it: as many parts as its precision has."""
    value = str(date["value"])
    return {"year": value[:4], "month": value[:7]}.get(str(date["precision"]), value)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(
    request: Request, document_id: int, user: User = Depends(auth.require_user)
) -> Response:
    return _document_page(request, document_id, user)


@router.post("/documents/{document_id}", response_class=HTMLResponse)
def document_edit(
    request: Request,
    document_id: int,
    title: str = Form(""),
    kind: str = Form(""),
    date: str = Form(""),
    url: str = Form(""),
    expected: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    form = {"title": title, "kind": kind, "date": date, "url": url}
    try:
        edit_document(
            request.app.state.store,
            document_id,
            actor=user.username,
            title=title,
            kind=kind,
            date=date,
            url=url,
            expected=expected or None,
        )
    except ConflictError as exc:  # the page shows the values now, the editor's typed ones kept
        other = last_change(request, "document", document_id)
        return _document_page(
            request, document_id, user, status=409, form=form, error=str(exc), changed_by=other
        )
    except ValidationError as exc:
        return _document_page(
            request,
            document_id,
            user,
            status=422,
            form=form,
            error=str(exc),
            error_fields={"document": exc.fields},
        )
    auth.flash(request, "flash_document_edit")
    return see_other(f"/edit/documents/{document_id}")


@router.post("/documents/{document_id}/delete", response_class=HTMLResponse)
def document_delete(
    request: Request,
    document_id: int,
    confirm: str = Form(""),
    user: User = Depends(auth.require_admin),
) -> Response:
    """An admin deletes a document ingested by mistake; a refusal keeps the typed number."""
    form = {"confirm": confirm}
    try:
        removed = delete_document(
            request.app.state.store, document_id, actor=user.username, confirm=confirm
        )
    except ConflictError as exc:  # a link run holds the tracker: try again later
        return _document_page(
            request, document_id, user, status=409, delete_form=form, delete_error=str(exc)
        )
    except ValidationError as exc:
        return _document_page(
            request,
            document_id,
            user,
            status=422,
            delete_form=form,
            delete_error=str(exc),
            error_fields={"delete": exc.fields},
        )
    # a watched source's document comes back at the source's next run: said so (review)
    watched = removed.watched_source
    key = "flash_document_deleted" if watched is None else "flash_document_deleted_watched"
    auth.flash(request, key, id=document_id, slug=removed.tracker_slug, name=watched or "")
    return see_other("/edit")
