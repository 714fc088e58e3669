"""Editors choose how they hear of a tracker: digest by e-mail and/or webhook (issue 15).

`/edit/trackers/{slug}/notifications`: the logged-in editor sets their own e-mail address and
webhook (URL + secret) for the tracker, or turns digests off, and sees their recent deliveries.
The rules are `notify.subscribe`'s. The secret is never shown back: the page says only that one
is set and its last characters; a blank secret field keeps the stored one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import ValidationError
from ..model import User
from ..notify.subscribe import subscribe, unsubscribe
from ..store import subscriptions as subs
from ..store import trackers as tracker_store
from . import auth

router = APIRouter(prefix="/edit/trackers")


def secret_hint(secret: str | None) -> str | None:
    """What the page may show of a stored secret: its last four characters at most."""
    if not secret:
        return None
    return "…" + secret[-4:] if len(secret) >= 16 else "…"


def _page(
    request: Request,
    slug: str,
    user: User,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    error: str | None = None,
) -> Response:
    with request.app.state.store.session() as session:
        tracker = tracker_store.get_tracker(session, slug)
        sub = subs.get_subscription(session, user.id, tracker.id)
        deliveries = subs.recent_deliveries(session, sub.id) if sub else []
    values = form or {
        "email": (sub.email if sub else None) or "",
        "webhook_url": (sub.webhook_url if sub else None) or "",
    }
    context = {
        "tracker": tracker,
        "subscription": sub,
        "secret_hint": secret_hint(sub.webhook_secret if sub else None),
        "deliveries": deliveries,
        "form": values,
        "error": error,
    }
    return request.app.state.pages.render(  # type: ignore[no-any-return]
        request, "editor/notifications.html", context, status
    )


@router.get("/{slug}/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request, slug: str, user: User = Depends(auth.require_editor)
) -> Response:
    return _page(request, slug, user)


@router.post("/{slug}/notifications", response_class=HTMLResponse)
def save_notifications(
    request: Request,
    slug: str,
    email: str = Form(""),
    webhook_url: str = Form(""),
    webhook_secret: str = Form(""),
    action: str = Form("save"),
    user: User = Depends(auth.require_editor),
) -> Response:
    store = request.app.state.store
    if action == "off":
        unsubscribe(store, slug, user.username)
        auth.flash(request, "notify_flash_off")
        return RedirectResponse(f"/edit/trackers/{slug}/notifications", status_code=303)
    try:
        subscribe(
            store,
            slug,
            user.username,
            email=email,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret or None,
            keep_secret=True,
        )
    except ValidationError as exc:
        form = {"email": email, "webhook_url": webhook_url}  # never the secret
        return _page(request, slug, user, status=422, form=form, error=str(exc))
    auth.flash(request, "notify_flash_saved")
    return RedirectResponse(f"/edit/trackers/{slug}/notifications", status_code=303)
