"""The FastAPI app: public pages with JSON twins, editors' pages behind login.

Safety at the edge: signed session cookies (httponly, SameSite=Lax, Secure over https), a CSRF
token checked on every POST, form text cleaned of control characters and integers bounded
(`edge`), autoescaped templates, and headers that forbid scripts, framing and content sniffing
on every response, errors and crashes included (see docs/web.md).
"""

from __future__ import annotations

import email.utils
import functools
import logging
import os
import secrets
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException as FastAPIHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import PLACEHOLDER_SECRET, Settings, get_settings
from ..errors import (
    BusyError,
    ConflictError,
    MigrationError,
    NotFoundError,
    StoreError,
    TrackerDeletedError,
    UnavailableError,
    ValidationError,
)
from ..publish import catalog
from ..review.login_throttle import LoginThrottle, ThrottlePolicy
from ..store.db import DriverError, Store, store_error
from . import (
    api_v1,
    archive,
    auth,
    edge,
    editor,
    editor_evidence,
    editor_notify,
    editor_sources,
    editor_term,
    editor_trackers,
    editorial,
    feeds,
    messages,
    methodology,
    public,
    widget,
)
from .i18n import translate
from .templating import STATIC_VERSIONS, Pages, form_page

HERE = Path(__file__).parent
SESSION_COOKIE = "lofte_session"
# The cookie outlives the login (auth.LOGIN_IDLE_SECONDS, half a day without a request): a form
# sent after the login ended still carries its CSRF token, so it gets the login answer that
# keeps its typed text, not a bare 403 (QA: the browser dropped the 12-hour cookie itself).
SESSION_MAX_AGE = 30 * 24 * 60 * 60
RETRY_AFTER = "30"  # seconds: what a 503 for an unreachable or busy database asks to wait
HEALTH_PATH = "/healthz"

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# A feed (XML) in a browser: its stylesheet (static/feed.xsl, which CSP counts as a script)
# turns it into a page with an inline <style>; nothing else loads. The feed's text never
# becomes markup there (the stylesheet writes it only as text), so the inline style is ours.
FEED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
FEED_TYPES = (b"application/xml", b"application/rss+xml", b"text/xml")
log = logging.getLogger("lofte.web")


_SESSION_PREFIX = SESSION_COOKIE.encode() + b"="


def _has_secure(cookie: bytes) -> bool:
    """Whether a Set-Cookie value has the Secure attribute (not merely the word somewhere in
    its value or path: a session cookie's base64 may spell it)."""
    return any(part.strip().lower() == b"secure" for part in cookie.split(b";")[1:])


def _type_of_path(path: str) -> bytes:
    """The kind of answer an address gives, for a 304 that carries no Content-Type: a feed
    (`…/feed.xml`), a chart (`….svg`), else a page."""
    if path.endswith(".xml"):
        return b"application/xml"
    if path.endswith(".svg"):
        return b"image/svg+xml"
    return b""


class SecurityHeaders:
    """Adds protective headers to every response and marks cookies Secure when served over https.

    It wraps the whole middleware stack (see `LofteApp`), outside Starlette's
    ServerErrorMiddleware, so that the 500 answer to an unhandled exception gets them too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        session_sent = any(
            k.lower() == b"cookie" and _SESSION_PREFIX in v for k, v in scope.get("headers", [])
        )

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                # a page made for one session (its CSRF token, the editor's name, a new
                # session cookie): no cache in between keeps it, nor the browser's history
                # after logout on a shared computer
                if b"cache-control" not in names and (
                    session_sent
                    or any(
                        k.lower() == b"set-cookie" and v.startswith(_SESSION_PREFIX)
                        for k, v in headers
                    )
                ):
                    headers.append((b"cache-control", b"no-store"))
                    names.add(b"cache-control")
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if message.get("status") == 304 and not content_type:
                    # a 304 has no body, hence no type, and its headers replace the stored
                    # ones: it gets the policy of what it stands for (QA: a revisited feed
                    # got the page's policy, which blocks its stylesheet)
                    content_type = _type_of_path(scope.get("path", ""))
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if (
                    b"content-security-policy" not in names
                ):  # else its frame-ancestors rules (the widget)
                    extra.append((b"x-frame-options", b"DENY"))
                csp = (
                    SVG_CSP
                    if content_type.startswith(b"image/svg")
                    else FEED_CSP
                    if content_type.startswith(FEED_TYPES)
                    else PAGE_CSP
                )
                extra.append((b"content-security-policy", csp.encode()))  # not over a route's own
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                    headers = [
                        (k, v + b"; secure")
                        if k.lower() == b"set-cookie" and not _has_secure(v)
                        else (k, v)
                        for k, v in headers
                    ]
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)


class Static(StaticFiles):
    """The static files, whose If-Modified-Since is read as the API's is
    (`catalog.not_modified_since`): Starlette's own reading answered 304 to a date in the
    future (security QA). Asked for at its current version (`templating.static_url`) a file
    may be kept for a year; any other address of it is checked again on each use, so that an
    upgrade's stylesheet is never hidden behind a kept old one."""

    @functools.cached_property
    def _folder(self) -> str:
        return os.path.realpath(str(self.directory))  # once, not per request

    def file_response(
        self,
        full_path: Any,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        name = os.path.relpath(os.path.realpath(full_path), self._folder).replace(os.sep, "/")
        version = STATIC_VERSIONS.get(name)  # none for a file added since the server started
        current = version is not None and (
            QueryParams(scope.get("query_string", b"")).get("v") == version
        )
        response.headers["cache-control"] = (
            "public, max-age=31536000, immutable" if current else "no-cache"
        )
        return response

    def is_not_modified(self, response_headers: Headers, request_headers: Headers) -> bool:
        if request_headers.get("if-none-match"):  # it decides alone (RFC 9110 §13.1.3)
            return bool(super().is_not_modified(response_headers, request_headers))
        try:
            changed = email.utils.parsedate_to_datetime(response_headers["last-modified"])
        except (KeyError, TypeError, ValueError):
            return False
        return catalog.not_modified_since(request_headers.get("if-modified-since"), changed)


class HeadAsGet:
    """HEAD answered wherever GET is: the GET's status and headers, no body (RFC 9110). A
    route answers only the methods it declares, so HEAD gave 405 on every page and on
    `/healthz`, which uptime monitors and link checkers ask."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed body's parts: nothing of them goes out
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class LofteApp(FastAPI):
    """FastAPI with SecurityHeaders outermost: `add_middleware` would put it inside the error
    handler, whose 500 responses would then go out bare. HEAD is read as GET inside it."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(HeadAsGet(super().build_middleware_stack()))


_MESSAGES = {
    "csrf": "error_csrf",
    "role": "error_role",
    "admin": "error_admin",
}
_STATUS_MESSAGES = {404: "not_found", 405: "error_method"}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def schema_gate(request: Request) -> None:
    """Every route's first dependency: until the store's schema has been seen at the newest
    revision, look again (`Store.check`) before answering. A server started while its database
    could not be reached (`lofte serve` during an outage) checked nothing at start: it answers
    503 while the database is down (UnavailableError) and while its schema is not current
    (MigrationError: `lofte init` has not run), and pages once both hold. Checked once per
    process; then this costs one attribute read and no thread hop."""
    state = request.app.state
    if state.schema_ready:
        return
    await run_in_threadpool(state.store.check)
    state.schema_ready = True


def _is_form(request: Request) -> bool:
    """A form's body: urlencoded, or multipart (the evidence upload, whose reason and passage
    the login answer keeps too; QA: they were lost)."""
    return request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    )


def create_app(
    store: Store, settings: Settings | None = None, *, schema_checked: bool = True
) -> FastAPI:
    """The app over `store`. `schema_checked`: the caller has seen the schema at the newest
    revision (`open_store`); when False the app checks it before its first answer
    (`schema_gate`)."""
    settings = settings or get_settings()
    secret = settings.secret_key.get_secret_value()
    if secret == PLACEHOLDER_SECRET:
        # A publicly known key would let anyone forge a session: use a random one instead.
        # Sessions then last only as long as this process.
        secret = secrets.token_urlsafe(32)
        log.warning(
            "LOFTE_SECRET_KEY is not set: using a random key; logins end when the server stops"
        )
    app = LofteApp(
        title="Löfte",
        # FastAPI's explorer loads its assets from a CDN; /api/v1/openapi.json instead
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # the whole app's schema names editor routes: only v1's is published
        # Starlette's redirects took their host from the Host header and redirected forms:
        # `edge.TrailingSlash` redirects GETs relatively instead (below)
        redirect_slashes=False,
        dependencies=[
            Depends(schema_gate),
            Depends(auth.csrf_protect),
            Depends(edge.bounded_integers),
        ],
    )
    app.router.default = edge.TrailingSlash(app.router)
    app.state.store = store
    app.state.schema_ready = schema_checked
    app.state.settings = settings
    app.state.pages = Pages()
    app.state.api_answers = api_v1.Answers()  # per app: apps in one process differ in store
    messages.install(app.state.pages.templates.env)
    app.state.login_throttle = LoginThrottle(
        store,
        ThrottlePolicy(
            address_limit=settings.login_address_limit,
            user_limit=settings.login_user_limit,
            window=settings.login_window,
            max_delay=min(300.0, settings.login_window / 2),
        ),
    )
    app.state.default_language = settings.language if settings.language in ("sv", "en") else "sv"
    # inside the session: a refused form's page (413) shows the editor still logged in
    app.add_middleware(edge.CleanFormInput)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=False,  # SecurityHeaders adds Secure whenever the request came over https
    )
    # outside the session: a form from another site is refused before it is read or set
    app.add_middleware(
        edge.SameOriginForms, public_url=settings.public_url, session_cookie=SESSION_COOKIE
    )
    app.mount("/static", Static(directory=str(HERE / "static")), name="static")
    app.include_router(feeds.router)  # before public: /parties/{party:path} would take feed.xml
    app.include_router(public.router)
    app.include_router(methodology.router)
    widget.install(app)
    app.include_router(api_v1.router)
    app.include_router(editor.login_router)
    app.include_router(editor.router)
    app.include_router(editor_trackers.router)
    app.include_router(editor_evidence.router)
    app.include_router(editorial.router)
    app.include_router(archive.router)
    app.include_router(editor_sources.router)
    app.include_router(editor_notify.router)
    app.include_router(editor_term.router)

    def error_page(
        request: Request,
        status: int,
        message_key: str,
        detail: str = "",
        hint_key: str | None = None,
        **more: Any,
    ) -> Response:
        if request.url.path.startswith("/api/"):
            # the API speaks English; a bare key ("error_generic") told a script nothing (QA);
            # on /api/v1 with CORS, a 500 too (QA: a browser app saw only "Failed to fetch")
            return api_error(request, status, detail or translate(message_key, "en"))
        if status == 404 and not messages.known(detail):
            # "Not Found", "no pledge_id 99…": English only, and the heading says it all
            detail = ""
        return app.state.pages.render(  # type: ignore[no-any-return]
            request,
            "error.html",
            {"status": status, "message_key": message_key, "detail": detail, "hint_key": hint_key}
            | more,
            status,
        )

    def log_line(request: Request, status: int, exc: Exception, level: int = logging.ERROR) -> None:
        # One line in the log (the database's URL without its password, the driver's reason),
        # no traceback: at every request while the database is down or locked, a traceback
        # each would bury the one fact an operator needs.
        path = repr(request.url.path)[1:-1]  # a %0A in the address stays on the line
        log.log(level, "%s %s: %d: %s", request.method, path, status, exc)

    def api_error(request: Request, status: int, message: str) -> Response:
        """`{"error": …}`; on /api/v1 as every v1 error, readable by any origin (CORS)."""
        if request.url.path.startswith(api_v1.PREFIX + "/"):
            return api_v1.problem(status, message)
        return JSONResponse({"error": message}, status_code=status)

    def try_later(
        request: Request, health: str, api_message: str, message_key: str, *, forget_user: bool
    ) -> Response:
        """A 503 with Retry-After: the same request may work later (nothing is kept broken)."""
        headers = {"Retry-After": RETRY_AFTER}
        if request.url.path == HEALTH_PATH:
            return JSONResponse({"status": health}, status_code=503, headers=headers)
        if request.url.path.startswith("/api/"):
            response = api_error(request, 503, api_message)
            response.headers.update(headers)
            return response
        if forget_user:
            # the page would look up the logged-in editor in the database: shown as logged
            # out this once (the session is kept, so she is logged in again when it is back)
            request.state.user = None
        try:
            response = error_page(request, 503, message_key, hint_key=f"{message_key}_text")
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text then
            response = PlainTextResponse("Service Unavailable", status_code=503)
        response.headers.update(headers)
        return response

    @app.exception_handler(UnavailableError)
    async def unavailable(request: Request, exc: UnavailableError) -> Response:
        # The answer names no database: a 503 that the next request, once the database is
        # back, answers as usual.
        log_line(request, 503, exc)
        api_error = "the database cannot be reached; try again later"
        return try_later(request, "unavailable", api_error, "error_unavailable", forget_user=True)

    @app.exception_handler(BusyError)
    async def busy(request: Request, exc: BusyError) -> Response:
        # SQLite's lock held by another process (an ingest, a restore) longer than the busy
        # wait: as unreachable, a 503 to try again later, one log line naming the lock.
        log_line(request, 503, exc)
        api_error = "the database is busy; try again later"
        return try_later(request, "busy", api_error, "error_busy", forget_user=False)

    @app.exception_handler(MigrationError)
    async def unmigrated(request: Request, exc: MigrationError) -> Response:
        # The schema is not at this Löfte's revision (a server started during an outage,
        # and the database came back without `lofte init`): no page against it, a 503 until
        # it is migrated, one log line saying so.
        log_line(request, 503, exc)
        api_error = "the database is not ready (its schema is being updated); try again later"
        return try_later(request, "unmigrated", api_error, "error_unmigrated", forget_user=True)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        # Any other refusal of the database (a missing table, a broken file): a 500 and one
        # log line naming it, not a traceback per request; the page names nothing of it.
        log_line(request, 500, exc)
        try:
            return error_page(request, 500, "error_generic")
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text then
            return PlainTextResponse("Internal Server Error", status_code=500)

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        # A change someone else made first (a unique key stored meanwhile, a stale version,
        # a serialization failure) that the route does not answer itself: a 409 and one log
        # line, not a 500; nothing of the change was kept (the unit of work rolled back).
        log_line(request, 409, exc, level=logging.WARNING)
        if request.url.path.startswith("/api/"):  # its message is written for people
            return api_error(request, 409, str(exc))
        try:
            return error_page(request, 409, "error_conflict", hint_key="error_conflict_text")
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text then
            return PlainTextResponse("Conflict", status_code=409)

    @app.exception_handler(DriverError)
    async def database_failed(request: Request, exc: DriverError) -> Response:
        # a database error that reached the edge without passing through Store.session: the
        # store's own mapping, then answered as above
        error = store_error(exc, app.state.store.url)
        if isinstance(error, ConflictError):
            return await conflict(request, error)
        if isinstance(error, UnavailableError):
            return await unavailable(request, error)
        if isinstance(error, BusyError):
            return await busy(request, error)
        return await store_failed(request, error)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return error_page(request, 404, "not_found", str(exc))

    @app.exception_handler(TrackerDeletedError)
    async def gone(request: Request, exc: TrackerDeletedError) -> Response:
        return error_page(request, 410, "tracker_gone", str(exc))

    @app.exception_handler(ValidationError)
    async def invalid(request: Request, exc: ValidationError) -> Response:
        return error_page(request, 400, "error_invalid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        where = tuple(errors[0].get("loc") or ()) if errors else ()
        if where[:1] == ("path",):
            # /pledges/abc, /api/pledges/abc: an address that cannot exist, as /pledges/99…9
            # (edge) and any other unknown address: a 404, not a 422 or 400 that names the
            # route's parameter
            detail = f"no {where[-1]} {request.path_params.get(str(where[-1]))}"
            return error_page(request, 404, "not_found", detail)
        # a query or form value FastAPI could not read (page=abc, page=-1): a page says which
        # value in the reader's language, its JSON twin the same 400 as `{"error": …}` (QA:
        # it sent FastAPI's raw 422); /api/v1 keeps its documented 422 (V1Route words it)
        detail = edge.describe_invalid(errors)
        if request.url.path.startswith(api_v1.PREFIX + "/"):
            return api_v1.problem(422, detail)
        return error_page(request, 400, "error_invalid", detail)

    @app.exception_handler(auth.LoginRequired)
    async def login_required(request: Request, exc: auth.LoginRequired) -> Response:
        if request.method in auth.SAFE_METHODS:
            return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)
        # A form sent after the session ended (logout elsewhere, a password change, 12 hours):
        # its address takes POST only, so the login form is shown here, saying nothing was
        # saved, with what was typed in it to copy, and leads back to the form's page.
        path, params = form_page(request)
        typed = (
            auth.typed_values(await request.form(), request.url.path) if _is_form(request) else []
        )
        return await run_in_threadpool(
            app.state.pages.render,
            request,
            "login.html",
            {
                "next": auth.safe_next(path + (f"?{urlencode(params)}" if params else "")),
                "username": "",
                "failed": False,
                "expired": True,
                "typed": typed,
            },
            401,
        )

    @app.exception_handler(HTTPException)
    @app.exception_handler(FastAPIHTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405 and request.url.path.startswith(api_v1.PREFIX):
            # the API only reads: in its shape, with CORS, and the methods it allows (QA:
            # Starlette's said "Allow: OPTIONS", from the preflight route, and had no CORS)
            refused = api_v1.problem(405, "the API is read-only: use GET or HEAD")
            refused.headers["Allow"] = "GET, HEAD, OPTIONS"
            return refused
        detail = str(exc.detail) if exc.detail else ""
        if detail == "csrf" and request.url.path.startswith("/edit/") and _is_form(request):
            # An editor's form with a stale token (a login in another tab made a new one):
            # nothing was saved. As the logged-out answer (401) does, the page shows what was
            # typed, to copy, and leads back to the form's page (QA: a bare 403 lost a long
            # rationale, and reloading it sent the same refused form again).
            path, params = form_page(request)
            typed = auth.typed_values(await request.form(), request.url.path)
            back = auth.safe_next(path + (f"?{urlencode(params)}" if params else ""))
            return error_page(request, 403, "error_csrf", typed=typed, back=back)
        key = _MESSAGES.get(detail) or _STATUS_MESSAGES.get(exc.status_code, "error_generic")
        # Starlette's own detail is the status's English phrase ("Method Not Allowed"): the
        # heading says it in the reader's language instead
        own = detail in _MESSAGES or detail == _phrase(exc.status_code)
        shown = "" if own and not request.url.path.startswith("/api/") else detail
        response = error_page(request, exc.status_code, key, shown)
        response.headers.update(getattr(exc, "headers", None) or {})  # a 405's Allow
        return response

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception and re-raises it after this answer; the page says nothing
        # about it (no traceback, no driver message).
        try:
            return error_page(request, 500, "error_generic")
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text then
            return PlainTextResponse("Internal Server Error", status_code=500)

    return app
