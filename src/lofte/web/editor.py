"""Editors' pages: login, review queue, pledge review, verdicts, history, audit log.

Every change goes through the library (`lofte.review`), which audits it. Forms carry the
version of the pledge the editor saw; a change made meanwhile by someone else comes back as
409 with the editor's input still in the form. Broken rules come back as 422, likewise.
Viewers may look at these pages but every change they try is refused with 403.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import (
    AlreadySavedError,
    ConflictError,
    EvidenceDecidedError,
    FormProblems,
    NotFoundError,
    ValidationError,
)
from ..model import PledgeState, ReviewState, User, VerdictStatus
from ..publish import editor_pages
from ..review import bulk, conflicts, users
from ..review import pledges as pledge_review
from ..review.login_throttle import LoginThrottle
from ..review.ranking import RankFilter
from ..review.verdicts import (
    after_the_term,
    decide_evidence,
    form_problems,
    is_current,
    set_verdict,
    tracker_of,
)
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store.db import Session
from ..store.trackers import get_tracker_by_id as tracker_by_id
from . import auth, edge
from .messages import changed_field_label
from .templating import language

router = APIRouter(prefix="/edit")
login_router = APIRouter()


def db(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as session:
        yield session


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.pages.render(request, name, context, status)  # type: ignore[no-any-return]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def changed_by(request: Request, change: conflicts.LastChange | None) -> dict[str, Any] | None:
    """The other change a 409 met, for `editor/_changed_by.html`: who, when (UTC, to the
    minute), the action's code and the fields it changed, named in the page's language."""
    if change is None:
        return None
    lang = language(request)
    return {
        "actor": change.actor,
        "time": change.time.strftime("%Y-%m-%d %H:%M"),
        "action": change.action,
        "fields": [changed_field_label(f, lang) for f in change.fields],
    }


def last_change(
    request: Request, entity_type: str, entity_id: int, pledge_version: int | None = None
) -> dict[str, Any] | None:
    """`changed_by` of the newest recorded change to a record: a pledge (the newest after the
    version the editor saw, `pledge_version`) or another entity (`conflicts.entity_change`)."""
    with request.app.state.store.session() as s:
        if entity_type == "pledge":
            change = conflicts.pledge_change(s, entity_id, pledge_version)
        else:
            change = conflicts.entity_change(s, entity_type, entity_id)
    return changed_by(request, change)


# --- login ----------------------------------------------------------------------------------


@login_router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/edit") -> Response:
    marked = auth.disabled_name(request)
    if marked is not None and not users.is_disabled(request.app.state.store, marked):
        auth.mark_disabled(request, None)  # enabled again since: the page says nothing of it
    return render(
        request, "login.html", {"next": auth.safe_next(next), "username": "", "failed": False}
    )


THROTTLED_PAUSE = 1.0  # seconds a throttled login waits for its answer (app.state.login_pause)
HASH_SLOTS = 1  # password checks at once per server process (argon2 already uses several cores)
HASH_WAIT = 30.0  # seconds a login waits for its turn before it is answered 503 (busy)


def _hash_slots(request: Request) -> asyncio.Semaphore:
    """The process's turns for password checks (one semaphore per event loop)."""
    loop = asyncio.get_running_loop()
    held = getattr(request.app.state, "hash_slots", None)
    if held is None or held[0] is not loop:
        held = (loop, asyncio.Semaphore(HASH_SLOTS))
        request.app.state.hash_slots = held
    return held[1]  # type: ignore[no-any-return]


@login_router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/edit")
) -> Response:
    throttle: LoginThrottle = request.app.state.login_throttle
    name, address = username.strip(), auth.client_address(request)
    context = {"next": auth.safe_next(next), "username": username, "failed": True}
    # A refused guess costs one read and no argon2 work.
    user: User | None = None
    refused = await run_in_threadpool(throttle.refused, address, name, claim=False)
    if not refused:
        # Password checks take turns, waiting without holding a thread: a flood of them
        # cannot take every core from the public pages, and each check sees the failures
        # counted before it (so concurrent guesses from one address do not overshoot).
        slots = _hash_slots(request)
        try:
            await asyncio.wait_for(slots.acquire(), HASH_WAIT)
        except TimeoutError:  # the queue is full (a flood), not this client's failures
            busy = await run_in_threadpool(
                render, request, "login.html", context | {"busy": True}, 503
            )
            busy.headers["Retry-After"] = "30"
            return busy
        else:
            try:
                refused, user = await run_in_threadpool(
                    _check_password, request, throttle, address, name, password
                )
            finally:
                slots.release()
    if auth.disabled_name(request) not in (None, name):
        # the page said this browser's account was disabled: another account tried here is
        # told about itself only (a disabled one, as an unknown one: wrong name or password)
        auth.mark_disabled(request, None)
    if refused:
        # A tarpit: a client that keeps guessing gets its refusals slowly, which slows its
        # loop; the wait holds no thread and no CPU.
        await asyncio.sleep(getattr(request.app.state, "login_pause", THROTTLED_PAUSE))
        return await run_in_threadpool(
            render, request, "login.html", context | {"throttled": True}, 429
        )
    if user is None:
        return await run_in_threadpool(render, request, "login.html", context, 401)
    auth.log_in(request, user)
    auth.flash(request, "flash_logged_in", name=user.username)
    return see_other(auth.safe_next(next))


def _check_password(
    request: Request, throttle: LoginThrottle, address: str | None, name: str, password: str
) -> tuple[bool, User | None]:
    """(refused, user): the throttle's claim, then argon2, then the count."""
    if throttle.refused(address, name):
        return True, None
    user = users.authenticate(request.app.state.store, name, password)
    if user is None:
        throttle.failed(address, name)
    else:
        throttle.succeeded(address, name)
    return False, user


@login_router.post("/logout")
def logout(request: Request) -> Response:
    auth.log_out(request)
    return see_other("/")


# --- overview and queue ---------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def home(
    request: Request, user: User = Depends(auth.require_user), s: Session = Depends(db)
) -> Response:
    return render(
        request,
        "editor/home.html",
        editor_pages.editor_home(s) | {"can_edit": users.can_edit(user)},
    )


def _queue(
    request: Request,
    s: Session,
    slug: str,
    page: int,
    user: User,
    status: int = 200,
    error: str | None = None,
    query: editor_pages.QueueQuery | None = None,
    conflicts: dict[int, str] | None = None,
    decided: int | None = None,
    changes: dict[int, dict[str, Any] | None] | None = None,
    decided_pledge: tuple[int, int] | None = None,
    refused: str | None = None,
    ticked: list[int] | None = None,
) -> Response:
    """The queue page; `changes`: for each suggestion that met a conflict (`conflicts`, or the
    one of `error`), the other change (`changed_by`); `decided_pledge`: the pledge and the
    evidence of the decision `error` is about (its page is the way on); `refused`: the text
    key of why a bulk form decided nothing, `ticked` its boxes, shown ticked again."""
    data = editor_pages.review_queue(s, slug, page, query=query)
    return render(
        request,
        "editor/queue.html",
        data
        | {
            "can_edit": users.can_edit(user),
            "error": error,
            "conflicts": conflicts or {},
            "decided": decided,
            "changes": changes or {},
            "decided_pledge": decided_pledge,
            "refused": refused,
            "ticked": set(ticked or ()),
        },
        status,
    )


@router.get("/trackers/{slug}/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    slug: str,
    page: int = Query(1, ge=1),
    state: str | None = None,
    area: str | None = None,
    party: str | None = None,
    band: str | None = None,
    document: str | None = None,
    sort: str | None = None,
    user: User = Depends(auth.require_user),
    s: Session = Depends(db),
) -> Response:
    # Bad filter values are a 400 that names them (ValidationError), not a silent "all".
    query = editor_pages.QueueQuery.parse(state, area, party, band, document, sort)
    return _queue(request, s, slug, page, user, query=query)


@router.post("/trackers/{slug}/queue", response_class=HTMLResponse)
def decide_several(
    request: Request,
    slug: str,
    decision: str = Form(...),
    evidence: list[int] = Form(default=[]),
    back: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    """Accept or reject the ticked suggestions; each is decided (and audited) on its own."""
    target = _queue_target(back, slug)
    if decision != "enter" and decision not in ("accept", "reject"):
        raise ValidationError("decision must be accept or reject")
    if decision == "enter" or not evidence:
        # Enter in the form (on a ticked box) presses its first button, the hidden "enter":
        # nothing is decided without choosing Accept or Reject (QA: Enter accepted them all).
        # That, or nothing ticked, is a slip: the same queue page (its filters kept) says so,
        # its boxes still ticked (QA: a redirect to it lost the ticks)
        return _queue_again(
            request,
            slug,
            target,
            user,
            status=422,
            refused="flash_bulk_none" if not evidence else "flash_bulk_enter",
            ticked=evidence,
        )
    done = bulk.decide_many(
        request.app.state.store, evidence, decision == "accept", actor=user.username, tracker=slug
    )
    if done.conflicts or done.outside:
        changes = {i: last_change(request, "evidence", i) for i in done.conflicts}
        # who decided each first, as a single decision's conflict says (QA: "perhaps by
        # someone else; reload" above the line naming them); another tracker's as it is
        # (review: its decision was named, as if this queue's)
        why = {
            i: _decided_by(request, i, message, changes[i], ReviewState.SUGGESTED)
            for i, message in done.conflicts.items()
        } | done.outside
        return _queue_again(
            request,
            slug,
            target,
            user,
            status=409,
            conflicts=why,
            decided=len(done.decided),
            changes=changes,
        )
    auth.flash(request, f"flash_bulk_{decision}", n=len(done.decided))
    return see_other(target or f"/edit/trackers/{slug}/queue")


def _queue_again(
    request: Request, slug: str, target: str, user: User, status: int, **more: Any
) -> Response:
    """The queue page a form was sent from (`target`, its filters and page) shown again with
    `status` and the answer's `more` (`_queue`'s keywords)."""
    page, query = _queue_view(target)
    with request.app.state.store.session() as s:
        return _queue(request, s, slug, page, user, status=status, query=query, **more)


def _queue_target(back: str, slug: str) -> str:
    """The tracker's queue page a form was sent from (its `back`), or "" for any other."""
    return auth.safe_next(back) if back.startswith(f"/edit/trackers/{slug}/queue") else ""


def _queue_view(target: str) -> tuple[int, editor_pages.QueueQuery | None]:
    """The page and filters of the queue page a form was sent from, to show it again with
    the conflicts marked; page 1 unfiltered when they cannot be read (the form came from
    elsewhere, or was altered)."""
    params = {k: v[-1] for k, v in parse_qs(urlsplit(target).query).items()}
    try:
        query = editor_pages.QueueQuery.parse(
            *(params.get(k) for k in ("state", "area", "party", "band", "document", "sort"))
        )
    except ValidationError:
        return 1, None
    page = params.get("page", "1")
    return (int(page) if page.isdigit() and 0 < int(page) < 2**31 else 1), query


@router.post("/evidence/{evidence_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    evidence_id: int,
    decision: str = Form(...),
    back: str = Form("/edit"),
    reason: str = Form(""),
    expected: str = Form(ReviewState.SUGGESTED.value),
    user: User = Depends(auth.require_editor),
) -> Response:
    if decision not in ("accept", "reject"):
        raise ValidationError("decision must be accept or reject")
    try:
        # the state the editor saw: a decision taken back (QA: only the CLI could) is a
        # compare-and-set on it as any decision is
        seen = ReviewState(expected)
    except ValueError:
        raise ValidationError("expected must be suggested, accepted or rejected") from None
    try:
        ev = decide_evidence(
            request.app.state.store,
            evidence_id,
            decision == "accept",
            actor=user.username,
            reason=reason,
            expected_state=seen,
        )
    except AlreadySavedError:  # a double click: decided as asked, by the first click
        with request.app.state.store.session() as s:
            ev = evidence_store.get_evidence(s, evidence_id)
        auth.flash(request, f"flash_evidence_already_{decision}", id=ev.id, pledge=ev.pledge_id)
        return see_other(auth.safe_next(back) if back else f"/edit/pledges/{ev.pledge_id}")
    except (ConflictError, ValidationError) as exc:
        status = 409 if isinstance(exc, ConflictError) else 422
        # who decided it first, when (QA: "perhaps by someone else" named nobody)
        other = last_change(request, "evidence", evidence_id) if status == 409 else None
        error = (
            _decided_by(request, evidence_id, str(exc), other, seen)
            if isinstance(exc, EvidenceDecidedError)
            else str(exc)
        )
        if back.startswith("/edit/pledges/"):
            pledge_id = evidence_pledge(request, evidence_id)
            return _pledge_page(
                request,
                pledge_id,
                user,
                status=status,
                forms={"reasons": {str(evidence_id): reason}},  # what was typed, kept
                errors={"evidence": error},
                error_fields={"evidence": getattr(exc, "fields", ())},
                changed_by=other,
                # the way on: the pledge's page as it is now (reloading would send the POST)
                more={"decided": evidence_id} if status == 409 else None,
            )
        # a refusal (422) as a conflict: the queue page again, saying why, with the way on
        # (QA: a bare 400 page, the queue's place lost)
        with request.app.state.store.session() as s:
            pledge = pledge_store.get_pledge(
                s, evidence_store.get_evidence(s, evidence_id).pledge_id
            )
            slug = tracker_by_id(s, pledge.tracker_id).slug
            # the queue page the decision came from, its filters, sort and page kept (QA: the
            # first page, unfiltered)
            page, query = _queue_view(_queue_target(back, slug))
            return _queue(
                request,
                s,
                slug,
                page,
                user,
                status=status,
                query=query,
                error=error,
                changes={evidence_id: other} if status == 409 else {},
                decided_pledge=(pledge.id, evidence_id),
            )
    auth.flash(request, f"flash_evidence_{decision}", id=ev.id, pledge=ev.pledge_id)
    back = auth.safe_next(back)
    # from the queue: back at the decided suggestion's place, the one after it (QA: at the
    # top of the page, focus lost, after every decision of thousands)
    after = request.query_params.get("after", "")
    in_queue = back.startswith("/edit/trackers/") and "/queue" in back
    place = f"{back.split('#', 1)[0]}#sugg-{after}" if in_queue and after.isdigit() else back
    if decision == "accept":
        # what comes next is the verdict: its form, with the current status chosen; an
        # unconfirmed pledge has none (it must be confirmed first), so its page from the top.
        # From the queue the page offers the way back to that place.
        with request.app.state.store.session() as s:
            confirmed = pledge_store.get_pledge(s, ev.pledge_id).state is PledgeState.CONFIRMED
        anchor = "#verdict-form" if confirmed else ""
        query = f"?{urlencode({'queue': place})}" if in_queue else ""
        return see_other(f"/edit/pledges/{ev.pledge_id}{query}{anchor}")
    return see_other(place)


def _decided_by(
    request: Request,
    evidence_id: int,
    message: str,
    other: dict[str, Any] | None,
    expected: ReviewState,
) -> str:
    """The message of a decision met by another one (the suggestion no longer `expected`): when
    the audit log names that one's editor, who and the state it left, without the store's
    "perhaps by someone else; reload" (the page names them, and reloading would send the form
    again: QA). Else (gone, or `expected` again) the store's `message`."""
    if other is None:
        return message
    with request.app.state.store.session() as s:
        try:
            state = evidence_store.get_evidence(s, evidence_id).review_state
        except NotFoundError:
            return message
    if state is expected:
        return message
    return f"evidence {evidence_id} was already {state.value} by {other['actor']}"


def evidence_pledge(request: Request, evidence_id: int) -> int:
    with request.app.state.store.session() as s:
        return evidence_store.get_evidence(s, evidence_id).pledge_id


# --- pledges --------------------------------------------------------------------------------


@router.get("/trackers/{slug}/pledges", response_class=HTMLResponse)
def pledges(
    request: Request,
    slug: str,
    state: str | None = "candidate",
    page: int = Query(1, ge=1),
    precision: str | None = None,
    min_rank: str | None = None,
    sort: str | None = None,
    user: User = Depends(auth.require_user),
    s: Session = Depends(db),
) -> Response:
    # Bad filter values are a 400 that names them (ValidationError), not a silent "all".
    ranking = RankFilter.parse(precision, min_rank, sort)
    return render(
        request,
        "editor/pledges.html",
        editor_pages.editor_pledges(s, slug, state, page, ranking=ranking),
    )


def _default_forms(data: dict[str, Any]) -> dict[str, Any]:
    p = data["pledge"]
    return {
        "state": {"reason": ""},
        "edit": {
            "start": p["span"]["start"],
            "end": p["span"]["end"],
            "area": p["area"] or "",
            "topic": p["topic"] or "",
            "party": p["party"] or "",
        },
        "split": {"marked": p["quote"]},
        "merge": {"with": [], "ids": []},
        "verdict": {
            "status": data["status"],  # the current status, prefilled
            "rationale": "",
            "evidence": [e["id"] for e in data["accepted"]],
            "as_of": "",
            "draft": False,
        },
    }


def _pledge_page(
    request: Request,
    pledge_id: int,
    user: User,
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error_fields: dict[str, tuple[str, ...]] | None = None,
    changed_by: dict[str, Any] | None = None,
    more: dict[str, Any] | None = None,
) -> Response:
    """The pledge review page, read in a session of its own (so it shows what others changed);
    `error_fields`: an error's key to the values it is about (`ValidationError.fields`);
    `changed_by`: the other change a 409 met (`last_change`); `more`: the template's other
    values (`decided`: the evidence a decision's 409 was about)."""
    with request.app.state.store.session() as s:
        data = editor_pages.editor_pledge(s, pledge_id)
    merged_forms = _default_forms(data)
    for name, values in (forms or {}).items():
        merged_forms[name] = merged_forms.get(name, {}) | values
    queue = request.query_params.get("queue", "")
    context = (
        data
        | {
            # the review queue's place an Accept came from (`decide`), offered as the way back
            "queue_back": queue
            if queue.startswith("/edit/trackers/") and auth.safe_next(queue) == queue
            else None,
            "forms": merged_forms,
            "errors": errors or {},
            "error_fields": error_fields or {},
            "changed_by": changed_by,
            "can_edit": users.can_edit(user),
            "statuses": [v.value for v in VerdictStatus],
        }
        | (more or {})
    )
    return render(request, "editor/pledge.html", context, status)


@router.get("/pledges/{pledge_id}", response_class=HTMLResponse)
def pledge(request: Request, pledge_id: int, user: User = Depends(auth.require_user)) -> Response:
    return _pledge_page(request, pledge_id, user)


def _attempt(
    request: Request,
    pledge_id: int,
    user: User,
    form: str,
    values: dict[str, Any],
    change: Any,
    flash_key: str,
    seen_version: int | None = None,
    other: Callable[[], dict[str, Any] | None] | None = None,
) -> Response:
    """Run a change; on a conflict (409) or a broken rule (422) show the page again with the
    input, a conflict with who changed the pledge since `seen_version` (the version the form
    carried), when and what (`other`, when given: the change a form about several pledges
    met). A change may return another flash key than `flash_key` (what it did instead)."""
    try:
        done = change()
    except ConflictError as exc:
        met = other() if other else last_change(request, "pledge", pledge_id, seen_version)
        return _pledge_page(
            request,
            pledge_id,
            user,
            status=409,
            forms={form: values},
            errors={form: str(exc), "conflict": "1"},
            changed_by=met,
        )
    except ValidationError as exc:
        # several broken rules of one form: each its own line of the error summary
        problems = exc.problems if isinstance(exc, FormProblems) else [exc]
        keys = [form] + [f"{form}-{n}" for n in range(2, len(problems) + 1)]
        return _pledge_page(
            request,
            pledge_id,
            user,
            status=422,
            forms={form: values},
            errors={key: str(p) for key, p in zip(keys, problems, strict=True)},
            error_fields={key: p.fields for key, p in zip(keys, problems, strict=True)},
        )
    auth.flash(request, done if isinstance(done, str) else flash_key, id=pledge_id)
    return see_other(f"/edit/pledges/{pledge_id}")


@router.post("/pledges/{pledge_id}/state", response_class=HTMLResponse)
def pledge_state(
    request: Request,
    pledge_id: int,
    action: str = Form(...),
    reason: str = Form(""),
    expected_version: int = Form(...),
    user: User = Depends(auth.require_editor),
) -> Response:
    store = request.app.state.store

    def change() -> str | None:
        try:
            if action == "confirm":
                pledge_review.confirm(
                    store, pledge_id, actor=user.username, expected_version=expected_version
                )
            elif action == "reject":
                pledge_review.reject(
                    store,
                    pledge_id,
                    reason=reason.strip() or None,
                    actor=user.username,
                    expected_version=expected_version,
                )
            else:
                raise ValidationError("action must be confirm or reject")
        except AlreadySavedError:  # decided already (a second click, another editor)
            return f"flash_pledge_already_{action}"
        return None

    return _attempt(
        request,
        pledge_id,
        user,
        "state",
        {"reason": reason},
        change,
        f"flash_pledge_{action}",
        expected_version,
    )


def _int(value: str, name: str) -> int | None:
    return edge.db_int(value, name) if value.strip() else None


@router.post("/pledges/{pledge_id}/edit", response_class=HTMLResponse)
def pledge_edit(
    request: Request,
    pledge_id: int,
    start: str = Form(""),
    end: str = Form(""),
    area: str = Form(""),
    topic: str = Form(""),
    party: str = Form(""),
    expected_version: int = Form(...),
    user: User = Depends(auth.require_editor),
) -> Response:
    values = {"start": start, "end": end, "area": area, "topic": topic, "party": party}

    def change() -> None:
        pledge_review.edit(
            request.app.state.store,
            pledge_id,
            start=_int(start, "start"),
            end=_int(end, "end"),
            area=area,
            topic=topic,
            party=party,
            actor=user.username,
            expected_version=expected_version,
        )

    return _attempt(
        request, pledge_id, user, "edit", values, change, "flash_pledge_edit", expected_version
    )


@router.post("/pledges/{pledge_id}/split", response_class=HTMLResponse)
def pledge_split(
    request: Request,
    pledge_id: int,
    marked: str = Form(""),
    expected_version: int = Form(...),
    user: User = Depends(auth.require_editor),
) -> Response:
    def change() -> None:
        pledge_review.split_marked(
            request.app.state.store,
            pledge_id,
            marked,
            actor=user.username,
            expected_version=expected_version,
        )

    return _attempt(
        request,
        pledge_id,
        user,
        "split",
        {"marked": marked},
        change,
        "flash_pledge_split",
        expected_version,
    )


@router.post("/pledges/{pledge_id}/merge", response_class=HTMLResponse)
def pledge_merge(
    request: Request,
    pledge_id: int,
    expected_version: int = Form(...),
    chosen: list[str] = Form(default=[], alias="with"),
    user: User = Depends(auth.require_editor),
) -> Response:
    merged: list[int] = []
    seen = {pledge_id: expected_version}

    def change() -> None:
        for item in chosen:
            other, _, version = item.partition(":")
            if not other.isdigit() or not version.isdigit():
                raise ValidationError("choose pledges from the list")
            seen[edge.db_int(other, "pledge")] = edge.db_int(version, "version")
        if len(seen) < 2:
            raise ValidationError("choose at least one pledge to merge with")
        merged.append(
            pledge_review.merge(
                request.app.state.store, list(seen), actor=user.username, expected_versions=seen
            ).id
        )

    def changed() -> dict[str, Any] | None:
        """Who changed which of the chosen pledges since the editor saw it (QA: the page's
        own pledge was named, unchanged, or nobody)."""
        with request.app.state.store.session() as s:
            stale = conflicts.stale_pledges(s, seen)
        if not stale:
            return last_change(request, "pledge", pledge_id, expected_version)
        met = last_change(request, "pledge", stale[0], seen[stale[0]])
        if met is None or stale[0] == pledge_id:
            return met
        return met | {"pledge": stale[0]}  # another pledge than the page's: named

    # the ticked pledges by id: a 409 shows them ticked though their versions moved (QA)
    ticked = [item.partition(":")[0] for item in chosen]
    ids = [int(i) for i in ticked if i.isdigit() and len(i) < 19]
    response = _attempt(
        request,
        pledge_id,
        user,
        "merge",
        {"with": chosen, "ids": ids},
        change,
        "flash_pledge_merge",
        expected_version,
        changed,
    )
    if merged:
        away = pledge_review.merged_away(request.app.state.store, merged[0])
        auth.flash(request, "flash_pledge_merged", ids=", ".join(map(str, away)), id=merged[0])
        return see_other(f"/edit/pledges/{merged[0]}")
    return response


@router.post("/pledges/{pledge_id}/verdict", response_class=HTMLResponse)
def verdict(
    request: Request,
    pledge_id: int,
    status: str = Form(""),
    rationale: str = Form(""),
    evidence: list[int] = Form(default=[]),
    expected_version: int = Form(...),
    as_of: str = Form(""),
    draft: str = Form(""),
    user: User = Depends(auth.require_editor),
) -> Response:
    values = {
        "status": status,
        "rationale": rationale,
        "evidence": evidence,
        "as_of": as_of,
        "draft": bool(draft),
    }

    def change() -> str | None:
        problems = form_problems(status, rationale, as_of, evidence)
        if problems:
            raise FormProblems(problems)
        chosen = VerdictStatus(status)
        try:
            saved = set_verdict(
                request.app.state.store,
                pledge_id,
                chosen,
                rationale,
                evidence,
                author=user,
                expected_version=expected_version,
                draft=bool(draft),
                as_of=as_of,
            )
        except AlreadySavedError:  # the same form sent again (Back, then Save): no new row
            return "flash_verdict_already"
        if draft:
            return "flash_verdict_draft"  # a draft is not public: say so
        if tracker_of(request.app.state.store, saved).published_at is None:
            return "flash_verdict_tracker_draft"  # nor is a draft tracker's (QA)
        if not is_current(request.app.state.store, saved):
            return "flash_verdict_not_current"  # backdated behind a newer verdict
        if after_the_term(request.app.state.store, saved) is not None:
            return "flash_verdict_after_term"
        return None

    return _attempt(
        request, pledge_id, user, "verdict", values, change, "flash_verdict", expected_version
    )


# --- audit ----------------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    page: int = Query(1, ge=1),
    action: str | None = None,
    user: User = Depends(auth.require_admin),
    s: Session = Depends(db),
) -> Response:
    return render(
        request, "editor/audit.html", editor_pages.audit_log(s, page, action=action or None)
    )
