"""Who is logged in, what they may do, and the CSRF check on every form.

The session is a signed cookie (Starlette's SessionMiddleware, itsdangerous): it holds the user
id, the account's session generation when the cookie was issued, the time of the user's last
request (a login ends after LOGIN_IDLE_SECONDS without one) and a random CSRF token. Every
request compares the generation with the database, so logout, a password or role change,
disabling or removing the account end the session on the server: a copy of the cookie saved
before is refused (GET: sent to the login page; POST: nothing is changed, and the answer is
the login form, saying so, with the form's typed text to copy and leading back to its page).
A session ended because an admin disabled its account says that instead of "log in again"
(which cannot work): the session keeps a mark of it (`SESSION_DISABLED`) for the login page.
Every POST must carry the CSRF token, as the form field `csrf_token` or the header
`X-CSRF-Token`; without it the request is refused with 403.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from typing import Any

from fastapi import HTTPException, Request

from ..model import Role, User
from ..review import users

SESSION_USER = "uid"
SESSION_GENERATION = "gen"
SESSION_CSRF = "csrf"
SESSION_SEEN = "seen"  # the time of the user's last request (seconds since the epoch)
SESSION_DISABLED = "disabled"  # the disabled account's username, when that ended the session
LOGIN_IDLE_SECONDS = 12 * 60 * 60  # a login ends after half a day without a request
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNKNOWN = object()


class LoginRequired(Exception):
    """Raised by a page that needs a logged-in user; the app answers with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse any unsafe request whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_CSRF)
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not expected and request.url.path.startswith("/edit/") and current_user(request) is None:
        # No session at all: its cookie ran out (30 days), was cleared, or the server's key
        # changed. The form meets the logged-out answer, which keeps its typed text to copy
        # and changes nothing (QA: a bare 403 lost a long rationale).
        raise LoginRequired(request.url.path)
    if not expected or not given or not hmac.compare_digest(str(expected), given):
        raise HTTPException(status_code=403, detail="csrf")


def current_user(request: Request) -> User | None:
    """The logged-in user (looked up once per request), or None."""
    known = getattr(request.state, "user", _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[no-any-return]
    user = None
    uid = request.session.get(SESSION_USER)
    generation = request.session.get(SESSION_GENERATION)
    seen = request.session.get(SESSION_SEEN)
    now = int(time.time())
    fresh = isinstance(seen, int) and 0 <= now - seen <= LOGIN_IDLE_SECONDS
    if fresh and isinstance(uid, int) and isinstance(generation, int):
        user = users.session_user(request.app.state.store, uid, generation)
    if user is not None:
        request.session[SESSION_SEEN] = now
    if user is None and uid is not None:
        # Ended on the server (or from an older Löfte): forget it, keep nothing of it but,
        # when an admin disabled the account, that (the login page says so: QA, it said
        # "log in again", which cannot work).
        store = request.app.state.store
        disabled = users.disabled_account(store, uid) if type(uid) is int else None
        _forget_user(request)
        if disabled is not None:
            request.session[SESSION_DISABLED] = disabled
    request.state.user = user
    return user


def account_disabled(request: Request) -> bool:
    """Whether this browser's session ended because its account was disabled (or a login was
    refused for that reason), until a login succeeds or another account is tried."""
    return bool(request.session.get(SESSION_DISABLED))


def mark_disabled(request: Request, username: str | None) -> None:
    """Remember (a username) or forget (None) that the account tried here is disabled."""
    if username:
        request.session[SESSION_DISABLED] = username
    else:
        request.session.pop(SESSION_DISABLED, None)


def disabled_name(request: Request) -> str | None:
    name = request.session.get(SESSION_DISABLED)
    return name if isinstance(name, str) else None


def client_address(request: Request) -> str | None:
    """The connecting client's address. X-Forwarded-For is believed only when it came from a
    proxy named in LOFTE_TRUSTED_PROXIES: uvicorn applies that before the app sees the request
    (`web.server`), so a client elsewhere cannot choose the address it is counted under."""
    return request.client.host if request.client else None


def log_in(request: Request, user: User) -> None:
    """A fresh session for the user: a new CSRF token too, so nothing from before carries over."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_GENERATION] = user.session_generation
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    request.session[SESSION_SEEN] = int(time.time())
    request.state.user = user


def log_out(request: Request) -> None:
    """End the user's sessions on the server (every saved copy of the cookie), then this one."""
    user = current_user(request)
    if user is not None:
        users.log_out(request.app.state.store, user.id)
    _forget_user(request)
    request.state.user = None


def _forget_user(request: Request) -> None:
    """The session without its user, but with its CSRF token: a form still open in another
    tab then reaches the login answer that keeps its typed text (401) instead of a bare 403.
    The token never meant "logged in" (logging in makes a new one); a new token here meant
    that a tab opening the login page first cost the other tab its text (QA)."""
    token = request.session.get(SESSION_CSRF)
    request.session.clear()
    if token:
        request.session[SESSION_CSRF] = token


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise LoginRequired(
            safe_next(
                str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
            )
        )
    return user


def require_editor(request: Request) -> User:
    """An admin or editor; a viewer gets 403 (they may look, not change)."""
    user = require_user(request)
    if not users.can_edit(user):
        raise HTTPException(status_code=403, detail="role")
    return user


def require_admin(request: Request) -> User:
    user = require_user(request)
    if user.role is not Role.ADMIN:
        # said so: "your account may not do this" left an editor guessing who may (QA)
        raise HTTPException(status_code=403, detail="admin")
    return user


# A form's fields that an editor types, and the label (a translation key) that names each where
# the login page shows what a form sent after the session ended held; the other fields (tokens,
# versions, buttons, choices, ids, a file) are not shown.
TYPED_FIELDS = {
    "rationale": "rationale",
    "reason": "reject_reason",
    "marked": "split_label",
    "area": "area",
    "topic": "topic",
    "party": "party",
    "as_of": "as_of",
    "deadline": "deadline",
    "url": "attach_url_label",
    "passage": "attach_passage_label",  # an attach form's passage to quote
    "quote": "missed_pledge_words",  # the words of a pledge added to a program
}
# A field whose label depends on the form (its address): a reason is one to reject a pledge,
# to attach a piece of evidence, or for deciding one (QA: an attach reason read "reject").
FORM_LABELS = (
    (re.compile(r"/edit/pledges/[0-9]+/attach/"), {"reason": "attach_reason"}),
    (re.compile(r"/edit/evidence/[0-9]+"), {"reason": "decision_reason"}),
)


def typed_values(form: Any, path: str = "") -> list[tuple[str, str]]:
    """(label key, text) of each non-empty typed field of a form sent to `path`, in the form's
    order (text fields only: a multipart form's file is left out)."""
    labels = dict(TYPED_FIELDS)
    for pattern, own in FORM_LABELS:
        if pattern.match(path):
            labels |= own
    return [
        (labels[name], value)
        for name, value in form.multi_items()
        if name in labels and isinstance(value, str) and value.strip()
    ]


def safe_next(url: Any) -> str:
    """A local path to go back to after login; anything else (other hosts, //x, /\\x) becomes
    /edit. A path with a control character or any whitespace is refused too: a browser drops
    tabs and newlines from a URL, so "/<TAB>/evil.example" in the login form's hidden field is
    "//evil.example" to it, another site."""
    if (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in url)
    ):
        return url
    return "/edit"


def flash(request: Request, key: str, **values: Any) -> None:
    """A message shown once on the next page (a translation key and its values)."""
    request.session["flash"] = {"key": key, "values": values}
