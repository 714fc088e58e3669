"""Who may subscribe to a tracker's digests, and with what: the rules the CLI and web share.

Only enabled editors and admins subscribe. An e-mail address is checked by a simple linear
pattern (one @, no spaces, a dotted domain); a webhook URL follows the one URL rule of watched
sources too (`watch.sources.check_url`: http(s), a host, no credentials, readable by urllib and
httpx); its secret (the HMAC key) has at least MIN_SECRET characters.
"""

from __future__ import annotations

import re

from ..errors import NotifyError, ValidationError
from ..model import Role, User
from ..store import subscriptions as subs
from ..store import trackers as tracker_store
from ..store import users as user_store
from ..store.db import Store
from .webhook import check_url

MIN_SECRET = 16
# linear: character classes without nested quantifiers
_EMAIL = re.compile(r"[^@\s<>\",;]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")


def check_email(address: str) -> str:
    address = address.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise ValidationError(f"not an e-mail address: {address!r}")
    return address


def check_webhook(url: str, secret: str | None) -> str:
    """The checked URL (stripped); ValidationError for a bad URL or secret."""
    try:
        url = check_url(url)
    except NotifyError as exc:  # the shared URL rule, said as a user's mistake
        raise ValidationError(str(exc)) from None
    if secret is None or len(secret) < MIN_SECRET:
        raise ValidationError(f"the webhook secret needs at least {MIN_SECRET} characters")
    if len(secret) > 200:
        raise ValidationError("the webhook secret is too long (at most 200 characters)")
    return url


def account_problem(user: User) -> str | None:
    """Why the account is sent no digests ("disabled", "not an editor"), None when it is.
    Said apart: a disabled editor was told "not an editor" (QA)."""
    if user.disabled:
        return "disabled"
    if user.role not in (Role.ADMIN, Role.EDITOR):
        return "not an editor"
    return None


def subscribe(
    store: Store,
    tracker_slug: str,
    username: str,
    *,
    email: str | None,
    webhook_url: str | None,
    webhook_secret: str | None,
    keep_secret: bool = False,
) -> subs.Subscription:
    """Set the user's channels for the tracker (replacing earlier ones). With `keep_secret` and
    no new secret, the stored secret stays (a form never shows it back). Neither channel is a
    ValidationError (`unsubscribe` turns digests off)."""
    email = check_email(email) if email and email.strip() else None
    webhook_url = webhook_url.strip() if webhook_url and webhook_url.strip() else None
    with store.session() as session:
        user = user_store.user_named(session, username)
        problem = account_problem(user)
        if problem == "disabled":
            raise ValidationError(
                f"{username} is disabled: enable the account first (lofte user enable {username})"
            )
        if problem:
            raise ValidationError(f"{username} is not an editor: only editors get digests")
        tracker = tracker_store.get_tracker(session, tracker_slug)
        if webhook_url:
            if keep_secret and not webhook_secret:
                old = subs.get_subscription(session, user.id, tracker.id)
                webhook_secret = old.webhook_secret if old else None
            webhook_url = check_webhook(webhook_url, webhook_secret)
        else:
            webhook_secret = None
        if not email and not webhook_url:
            raise ValidationError("give an e-mail address, a webhook URL or both")
        return subs.set_subscription(
            session,
            user.id,
            tracker.id,
            email=email,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
        )


def unsubscribe(store: Store, tracker_slug: str, username: str) -> bool:
    with store.session() as session:
        user = user_store.user_named(session, username)
        tracker = tracker_store.get_tracker(session, tracker_slug)
        return subs.remove_subscription(session, user.id, tracker.id)
