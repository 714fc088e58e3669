"""Checks at the web app's input edge that every route gets for free, present and future.

- `SameOriginForms` (ASGI middleware, outside the session): a POST (or PUT, PATCH, DELETE)
  that the browser says came from another site or origin is refused with a bare 403 before
  the session is read, so its answer sets no cookie and shows nothing it sent.
- `CleanFormInput` (ASGI middleware): every submitted form value loses the characters
  `language.controls.clean_text` forbids, before any route or the CSRF check reads it, so no
  form can store a control character that would break the RSS feed or a chart. Password
  fields are left as typed (never shown, only hashed). The app's forms are all urlencoded;
  multipart bodies are refused (415) so they cannot carry text past this edge, except on the
  evidence upload (`UPLOAD_PATH`, which reads only its file, up to LOFTE_MAX_INPUT_BYTES), and
  a form over MAX_FORM_BYTES is refused (413) before it is held in memory. A refusal is the
  site's error page in the reader's language, saying what to do (the input is still in the
  form the browser goes back to).
- `bounded_integers` (app-wide dependency): a whole number the database cannot hold (beyond
  32 bits: PostgreSQL's integer columns) in a path is a page that cannot exist (404); in a
  query or form field it is a bad request (400). Without it SQLite raises OverflowError and
  PostgreSQL "integer out of range" (a 500). A number in a path or query not written the one
  way (`canonical_positive`: "038", "+38", "3_8") is a 404 or 400 too.
- `TrailingSlash` (the router's answer when no route matched): GET or HEAD of an address with
  a trailing slash whose address without it exists is redirected there, relatively; never to
  an address built from the Host header, which any client sets (security QA).
"""

from __future__ import annotations

import logging
import re
import types
import typing
from urllib.parse import parse_qsl, quote_from_bytes, unquote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NotFoundError, ValidationError
from ..language.controls import clean_text
from .i18n import format_text
from .templating import language

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM = b"application/x-www-form-urlencoded"
_MULTIPART = b"multipart/form-data"
MAX_FORM_BYTES = 1 << 20  # the longest rationale or split text is far shorter
# The one form that takes a file: evidence uploaded by an editor (its route reads the file
# only, and the library cleans its name). Its body may be the input cap and a little more.
UPLOAD_PATH = re.compile(r"/edit/pledges/[0-9]+/attach/file")
UPLOAD_OVERHEAD = 64 * 1024

# The range of the schema's integer columns (ids, versions, intervals) on both databases:
# PostgreSQL's integer is 32 bits (SQLite's INTEGER holds 64). A larger id reached
# PostgreSQL and came back "integer out of range", a 500 (QA).
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
log = logging.getLogger("lofte.web")


def _is_password(name: str) -> bool:
    return "password" in name.lower()


def clean_form_body(body: bytes) -> bytes:
    """The urlencoded body with every non-password value cleaned; the same bytes if all clean.

    Decoded as Starlette decodes it (latin-1 bytes, then UTF-8 percent escapes), so the
    rewritten body reads back as the same fields.
    """
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
    cleaned = [(k, v if _is_password(k) else clean_text(v)) for k, v in pairs]
    if cleaned == pairs:
        return body
    return urlencode(cleaned).encode("ascii")


def _content_type(scope: Scope) -> bytes:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-type":
            return bytes(value).lower()
    return b""


class CleanFormInput:
    """Rewrites urlencoded request bodies through `clean_form_body` (see the module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        content_type = _content_type(scope)
        if content_type.startswith(_MULTIPART):
            if UPLOAD_PATH.fullmatch(scope.get("path", "")):
                if not _upload_fits(scope):
                    await _refuse(scope, receive, send, 413, "error_file_too_large")
                    return
                await self.app(scope, receive, send)
                return
            await _refuse(scope, receive, send, 415, "error_multipart")
            return
        if not content_type.startswith(_FORM):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_FORM_BYTES:
                await _refuse(scope, receive, send, 413, "error_form_too_large")
                return
            more = message.get("more_body", False)
        body = clean_form_body(b"".join(chunks))
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        scope = dict(scope, headers=headers + [(b"content-length", str(len(body)).encode())])
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_DEFAULT_PORTS = {"http": 80, "https": 443}
# What a browser says of a request made by a page of this very origin, or by the user (typed,
# bookmarked). "same-site" is not enough: another port of the host, or a sibling subdomain,
# may be another application, and it gets the SameSite=Lax cookie.
_OWN_FETCH = frozenset({"same-origin", "none"})


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin or address, the port given or the scheme's
    default; None for anything else ("null", a mistyped header)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def foreign_origin(scope: Scope, public_url: str = "") -> str | None:
    """Why the browser's own headers say this request was sent by another site or origin (the
    header, for the log), or None when they do not. `Sec-Fetch-Site` decides when it is sent
    (no page can set it); else `Origin`, compared with this site's origins: the request's own
    (its scheme and Host, as `templating.form_page` names this site), https at the same host
    (behind a proxy that ends TLS without saying so) and LOFTE_PUBLIC_URL's. A request with
    neither header (curl, scripts, older browsers) is left to the CSRF token, as before."""
    headers = Headers(scope=scope)
    fetch = headers.get("sec-fetch-site")
    if fetch is not None:
        return None if fetch.strip().lower() in _OWN_FETCH else f"Sec-Fetch-Site: {fetch[:40]!r}"
    sent = headers.get("origin")
    if sent is None:
        return None
    given = _origin(sent)
    host = headers.get("host")
    own = {_origin(public_url)} if public_url else set()
    if host:
        own |= {_origin(f"{scope.get('scheme', 'http')}://{host}"), _origin(f"https://{host}")}
    if given is not None and given in own:
        return None
    return f"Origin: {sent[:100]!r}"


class SameOriginForms:
    """Refuses an unsafe request (POST …) from another site or origin (`foreign_origin`): a bare
    403, the site's short error page without anything the request sent.

    It sits outside the session middleware (web/app.py), so neither the session is read nor a
    cookie set. Security QA: a cross-site page auto-posting to /edit/… arrived without the
    editor's SameSite=Lax cookie and got the real login page showing the attacker's text as
    "what you typed", with a new empty session cookie that replaced the editor's logged-in one
    in the browser. A form of this site's own (Sec-Fetch-Site: same-origin, or its own Origin)
    still meets the login answer that keeps its text when its session has ended.

    GETs pass: one from another site that can set a cookie at all is a top-level navigation,
    which carries the Lax cookie, so its answer keeps the session it came with. The read-only
    API answers unsafe methods itself (a 405 in its shape, with CORS), without a session
    cookie."""

    def __init__(self, app: ASGIApp, *, public_url: str = "", session_cookie: str) -> None:
        self.app = app
        self.public_url = public_url
        self.cookie = session_cookie.encode() + b"="

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        why = foreign_origin(scope, self.public_url)
        if why is None:
            await self.app(scope, receive, send)
            return
        if scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, self._without_session_cookie(send))
            return
        path = repr(scope.get("path", ""))[1:-1]  # a %0A in the address stays on the line
        hint = (
            "" if self.public_url else " (behind a proxy that rewrites Host: set LOFTE_PUBLIC_URL)"
        )
        log.warning("%s %s from another site refused (403): %s%s", scope["method"], path, why, hint)
        # a session of its own, empty and thrown away: the page shows no one logged in
        await _refuse(dict(scope, session={}), receive, send, 403, "error_csrf")

    def _without_session_cookie(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not (k.lower() == b"set-cookie" and bytes(v).startswith(self.cookie))
                ]
            await send(message)

        return sending


def _upload_fits(scope: Scope) -> bool:
    """An upload declares its length, within the input cap (LOFTE_MAX_INPUT_BYTES)."""
    length = next((v for k, v in scope.get("headers", []) if k.lower() == b"content-length"), None)
    if length is None or not bytes(length).isdigit():
        return False
    settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
    cap = int(getattr(settings, "max_input_bytes", MAX_FORM_BYTES)) + UPLOAD_OVERHEAD
    return int(length) <= cap


def _language(scope: Scope) -> str:
    """The reader's language as the pages find it (`templating.language`), from the raw
    request: a refusal here comes before any route."""
    return language(Request(scope))


# what to do after a refusal, for the refusals a person meets (a long text pasted, a big file)
_HINTS = {
    "error_form_too_large": "error_form_too_large_text",
    "error_file_too_large": "error_file_too_large_text",
}


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, key: str) -> None:
    """The site's error page in the reader's language (plain text for the API, or before the
    app is set up), sent without reading the body."""
    pages = getattr(getattr(scope.get("app"), "state", None), "pages", None)
    if pages is not None and "session" in scope and not scope.get("path", "").startswith("/api/"):
        request = Request(scope, receive)
        context = {"status": status, "message_key": key, "detail": "", "hint_key": _HINTS.get(key)}
        # the page reads the logged-in user from the database: not on the event loop
        page = await run_in_threadpool(pages.render, request, "error.html", context, status)
        await page(scope, receive, send)
        return
    text = format_text(key, _language(scope)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})


def canonical_positive(text: str) -> bool:
    """Whether `text` is a positive whole number written the one way: ASCII digits, no sign,
    no leading zero, no "_" or spaces. int() (and FastAPI) read "+38", "038", "3_8" and " 38"
    as 38 too: one record, one address (QA). No int(): a 5,000-digit text costs nothing."""
    return text.isascii() and text.isdigit() and text[:1] != "0"


def _wants_int(annotation: object) -> bool:
    """Whether a parameter's type is int, int | None, list[int] or the like."""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, set, typing.Annotated):
        return any(_wants_int(arg) for arg in typing.get_args(annotation))
    return False


def _out_of_range(values: typing.Iterable[object]) -> bool:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):  # a route's {id:int}
            if not INT_MIN <= value <= INT_MAX:
                return True
            continue
        if not isinstance(value, str):
            continue
        text = value.strip()
        if len(text) > 40 and text.lstrip("+-").isdecimal():
            return True  # too long even for int() to read
        try:
            number = int(text)
        except ValueError:
            continue  # not a number at all: the route's own validation answers
        if not INT_MIN <= number <= INT_MAX:
            return True
    return False


def _misspelled(text: str) -> bool:
    """A query number int() reads but not written the one way ("01", "+1", "0_1", "1.0"),
    or no number at all. "0" and "-1" are left to the route's own check, which says what is
    wrong with them ("at least 1")."""
    return not (canonical_positive(text.removeprefix("-")) or text == "0")


async def bounded_integers(request: Request) -> None:
    """App-wide dependency: refuse integers beyond 32 bits in the path (404), query or form
    (400), and an integer in the path or query not written the one way (`canonical_positive`):
    404 and 400 as well. /api/v1 reads its own numbers (`reads_own_numbers`: its paging is
    documented apart, its ids checked before this)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    path, query, body = _int_fields(route)
    spelling = not getattr(route, "reads_own_numbers", False)
    for name in path:
        value = request.path_params.get(name)
        wrong = spelling and isinstance(value, str) and not canonical_positive(value)
        if wrong or _out_of_range([value]):
            raise NotFoundError(f"no {name} {value}")
    for name in query:
        values = request.query_params.getlist(name)
        if _out_of_range(values):
            raise ValidationError(f"{name} is out of range")
        if spelling and any(map(_misspelled, values)):
            raise ValidationError(f"{name} must be a whole number")
    if body and _content_type(request.scope).startswith(_FORM):
        form = await request.form()
        for name in body:
            if _out_of_range(form.getlist(name)):
                raise ValidationError(f"{name} is out of range", (name,))


def _int_fields(route: typing.Any) -> tuple[list[str], list[str], list[str]]:
    """Names of the integer path, query and form parameters of a route and its dependencies
    (worked out once per route and kept on it)."""
    known = getattr(route, "_lofte_int_fields", None)
    if known is not None:
        return known  # type: ignore[no-any-return]
    path: list[str] = []
    query: list[str] = []
    body: list[str] = []
    todo = [route.dependant]
    while todo:
        current = todo.pop()
        for fields, names in (
            (current.path_params, path),
            (current.query_params, query),
            (current.body_params, body),
        ):
            names.extend(f.alias for f in fields if _wants_int(f.field_info.annotation))
        todo.extend(current.dependencies)
    route._lofte_int_fields = (path, query, body)
    return path, query, body


def db_int(text: str, name: str) -> int:
    """A whole number typed into a form field that the database can hold; else ValidationError."""
    if _out_of_range([text]):
        raise ValidationError(f"{name} is out of range", (name,))
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(f"{name} must be a whole number", (name,)) from None


def describe_invalid(errors: typing.Sequence[typing.Any]) -> str:
    """FastAPI's validation errors (page=abc, page=-1) as one message in the library's English,
    which `messages` words in the page's language; the first error is enough to fix the
    address."""
    if not errors:
        return ""
    first = errors[0]
    # ("query", "page"), ("body", "evidence", 0): the field's name, not a list item's index
    names = [part for part in first.get("loc") or () if isinstance(part, str)]
    name = names[-1] if len(names) > 1 else "value"
    kind = str(first.get("type", ""))
    limits = first.get("ctx") or {}
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{name} must be a whole number"
    if kind == "greater_than_equal":
        return f"{name} must be at least {limits.get('ge')}"
    if kind == "less_than_equal":
        return f"{name} must be at most {limits.get('le')}"
    if kind == "missing":
        return f"{name} is missing"
    return f"{name} is invalid"


# What a Location keeps of an address as sent: its percent-escapes and the characters an
# address may hold unescaped; anything else (a raw byte over 0x7F, a space) is escaped.
_LOCATION_SAFE = "/%:@!$&'()*+,;=-._~?"


class TrailingSlash:
    """The router's answer when no route matched (`Router.default`, with Starlette's own
    `redirect_slashes` off): GET or HEAD of `/edit/` (or `/edit///`) is a 307 to `/edit`, the
    query kept, when that address exists; anything else is the 404 it was. Starlette built its
    redirect from the Host header (`Host: evil.example` led to http://evil.example/edit) and
    redirected POSTs too, which a browser sends again, body and all, to that address.

    The Location is relative, made from the path as sent, and never starts with "//" or "/\\"
    (a browser reads either as another host)."""

    def __init__(self, router: Router) -> None:
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        location = self.location(scope)
        if location is None:
            await self.router.not_found(scope, receive, send)
            return
        await RedirectResponse(location, status_code=307)(scope, receive, send)

    def location(self, scope: Scope) -> str | None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        path: str = scope["path"]
        raw: bytes = scope.get("raw_path") or path.encode("utf-8")
        if path == "/" or not path.endswith("/") or not raw.endswith(b"/"):
            return None
        target = raw.rstrip(b"/")
        if not target.startswith(b"/") or target.startswith((b"//", b"/\\")):
            return None
        wanted = path.rstrip("/")
        if unquote(target.decode("latin-1")) != wanted:
            return None  # a slash sent as %2F: the address without it is not this one
        probe = dict(scope, path=wanted, method="GET")  # HEAD is answered wherever GET is
        # a route of this address for this method: one for POST only is no target of a GET
        if not any(route.matches(probe)[0] is Match.FULL for route in self.router.routes):
            return None
        query = scope.get("query_string", b"")
        return quote_from_bytes(target, safe=_LOCATION_SAFE) + (
            "?" + quote_from_bytes(query, safe=_LOCATION_SAFE) if query else ""
        )
