"""Send every due digest: build it, claim its period, deliver it on each channel, record it.

For one subscription:
0. a subscription of a disabled account, or of one that is no longer an editor or admin, is
   skipped and counted apart (`NotifyReport.disabled`, `not_editor`), `force` or not; then a
   subscription whose last digest went out, or whose last failed delivery was recorded, less
   than LOFTE_NOTIFY_MIN_INTERVAL before now is not due and is skipped before anything else
   (`force` ignores the interval; the claim checks the failure again, in the database);
1. build the digest of (last_sent_at, now]; an empty one is not sent and nothing changes;
2. claim the period: `last_sent_at` is set to the digest's end with a conditional UPDATE
   (`WHERE last_sent_at IS <the value read>`), committed before anything is sent. A second
   sender that read the same value matches no row and sends nothing ("stale");
3. deliver on each chosen channel (e-mail, webhook) and record a delivery row per channel
   (sent or failed, tries, error, the payload). Any exception of a delivery is a failed
   delivery with its text, so one bad subscription never stops the others;
4. if any channel failed, give the period back: `last_sent_at` returns to its old value unless
   it is there or earlier already (`subscriptions.give_back`, one conditional UPDATE: also when
   another sender claimed the following period meanwhile, the failed one is not lost). The next run
   builds a digest over the longer period and sends it on every channel, so the channel that
   worked gets those items twice. A duplicate is better than a loss: a digest is never
   dropped because one channel was down, and the failure is on record (`lofte notify send`
   exits 1, the editor's notifications page lists it).
A sender stopped by Ctrl-C or SIGTERM during the deliveries records the channels not delivered
as failed and gives the period back; only a process killed outright (kill -9, power loss)
between the claim and the record loses that period. Claiming first is what keeps two
concurrent senders from both sending it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from ..config import Settings
from ..errors import NotifyError
from ..review.deadlines import overdue_pledges
from ..store import subscriptions as subs
from ..store import trackers as tracker_store
from ..store import users as user_store
from ..store.db import Store, utcnow
from . import email as mail
from . import webhook
from .digest import Digest, build_digest, payload, period_start
from .subscribe import account_problem


@dataclass(frozen=True)
class Outcome:
    subscription_id: int
    username: str
    tracker: str
    channel: str  # email | webhook
    status: str  # sent | failed
    attempts: int
    error: str | None
    target: str  # the address, or the URL as `webhook.redact` shows it


@dataclass(frozen=True)
class NotifyReport:
    outcomes: tuple[Outcome, ...]
    empty: int  # subscriptions with nothing new
    stale: int  # periods another sender claimed first
    not_due: int = 0  # the last digest went out less than LOFTE_NOTIFY_MIN_INTERVAL ago
    # skipped for their account, not for want of news (QA: a disabled editor's subscription was
    # reported "with nothing new", though enabled again it got a digest with items)
    disabled: int = 0  # the account is disabled
    not_editor: int = 0  # the account is a viewer now
    # an archived tracker is no longer followed up: its backlog of overdue pledges is no news
    # (QA: digests went on for the finished term's tracker)
    archived: int = 0

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.outcomes)

    @property
    def sent(self) -> int:
        return sum(o.status == "sent" for o in self.outcomes)


def digest_for(
    store: Store, subscription: subs.Subscription, *, until: dt.datetime, base_url: str
) -> Digest:
    since = period_start(subscription.last_sent_at, until)
    with store.session() as session:
        suggestions = subs.new_suggestions(session, subscription.tracker_id, since, until)
        overdue = overdue_pledges(session, subscription.tracker_id, until.date())
    return build_digest(
        tracker_slug=subscription.tracker_slug,
        tracker_name=subscription.tracker_name,
        last_sent_at=subscription.last_sent_at,
        until=until,
        suggestions=suggestions,
        overdue=overdue,
        base_url=base_url,
    )


def send_digests(
    store: Store,
    *,
    settings: Settings,
    now: dt.datetime | None = None,
    tracker: str | None = None,
    smtp_factory: mail.SmtpFactory | None = None,
    http_client: httpx.Client | None = None,
    sleep: Callable[[float], None] | None = None,
    force: bool = False,
) -> NotifyReport:
    """Send the digest of every subscription (of one tracker, by slug) that has something new
    and is due (`force`: also those whose last digest is younger than the minimum interval)."""
    until = now or utcnow()
    if until.tzinfo is not None:  # the database keeps naive UTC
        until = until.astimezone(dt.UTC).replace(tzinfo=None)
    not_before = None if force else _interval_start(until, settings)
    with store.session() as session:
        tracker_id = None if tracker is None else tracker_store.get_tracker(session, tracker).id
        subscriptions = subs.list_subscriptions(session, tracker_id)
        failed_lately = set() if not_before is None else subs.failed_since(session, not_before)
        accounts = {u.id: u for u in user_store.list_users(session)}
    outcomes: list[Outcome] = []
    empty = stale = not_due = disabled = not_editor = archived = 0
    for subscription in subscriptions:
        if subscription.tracker_archived:
            archived += 1
            continue
        if not subscription.user_active:
            account = accounts.get(subscription.user_id)
            if account is not None and account_problem(account) == "disabled":
                disabled += 1
            else:
                not_editor += 1
            continue
        if not force and (
            _too_soon(subscription, until, settings) or subscription.id in failed_lately
        ):
            not_due += 1
            continue
        result = send_one(
            store,
            subscription,
            settings=settings,
            until=until,
            smtp_factory=smtp_factory,
            http_client=http_client,
            sleep=sleep,
            not_before=not_before,
        )
        if result is None:
            empty += 1
        elif isinstance(result, str):  # "stale"
            stale += 1
        else:
            outcomes.extend(result)
    return NotifyReport(tuple(outcomes), empty, stale, not_due, disabled, not_editor, archived)


def _too_soon(subscription: subs.Subscription, until: dt.datetime, settings: Settings) -> bool:
    last = subscription.last_sent_at
    interval = dt.timedelta(seconds=settings.notify_min_interval)
    return last is not None and until - last < interval


def _interval_start(until: dt.datetime, settings: Settings) -> dt.datetime | None:
    """Attempts after this time make a subscription not due (None: no minimum interval)."""
    if settings.notify_min_interval <= 0:
        return None
    return until - dt.timedelta(seconds=settings.notify_min_interval)


def send_one(
    store: Store,
    subscription: subs.Subscription,
    *,
    settings: Settings,
    until: dt.datetime,
    smtp_factory: mail.SmtpFactory | None = None,
    http_client: httpx.Client | None = None,
    sleep: Callable[[float], None] | None = None,
    not_before: dt.datetime | None = None,
) -> list[Outcome] | str | None:
    """Deliver one subscription's digest as read in `subscription` (its `last_sent_at` is the
    value the claim expects). None: nothing to send; "stale": another sender claimed it, or
    (with `not_before`) a delivery failed after that time (see `subscriptions.advance`)."""
    if subscription.tracker_archived or not subscription.user_active:
        return None
    if not (subscription.email or subscription.webhook_url):
        return None
    digest = digest_for(store, subscription, until=until, base_url=settings.public_url)
    if digest.empty:
        return None
    with store.session() as session:
        if not subs.advance(
            session, subscription.id, subscription.last_sent_at, until, not_before=not_before
        ):
            return "stale"
    document = payload(digest)
    document["id"] = f"{subscription.id}:{until.isoformat()}Z"
    outcomes: list[Outcome] = []
    try:
        _deliver(
            subscription, digest, document, settings, smtp_factory, http_client, sleep, outcomes
        )
    except BaseException:
        # Stopped after the claim (Ctrl-C; SIGTERM, which `lofte notify send`, `update` and
        # `watch` turn into Ctrl-C): the channels not delivered are recorded as failed and the
        # period goes back, so the next run sends it (QA: a SIGTERM lost the period for good).
        done = {o.channel for o in outcomes}
        outcomes += [
            _outcome(
                subscription, c, _target(subscription, c), 0, "interrupted: the sender stopped"
            )
            for c in _channels(subscription)
            if c not in done
        ]
        _record(store, subscription, outcomes, document)
        raise
    _record(store, subscription, outcomes, document)
    return outcomes


def _channels(subscription: subs.Subscription) -> list[str]:
    return [
        c for c, on in (("email", subscription.email), ("webhook", subscription.webhook_url)) if on
    ]


def _deliver(
    subscription: subs.Subscription,
    digest: Digest,
    document: dict[str, Any],
    settings: Settings,
    smtp_factory: mail.SmtpFactory | None,
    http_client: httpx.Client | None,
    sleep: Callable[[float], None] | None,
    outcomes: list[Outcome],
) -> None:
    """Each channel's delivery, its outcome appended to `outcomes` as it ends."""
    if subscription.email:
        outcomes.append(
            _guarded(
                subscription,
                "email",
                lambda: _email(subscription, digest, document, settings, smtp_factory),
            )
        )
    if subscription.webhook_url:
        outcomes.append(
            _guarded(
                subscription,
                "webhook",
                lambda: _webhook(
                    subscription, document, settings, http_client, sleep or time.sleep
                ),
            )
        )


def _record(
    store: Store, subscription: subs.Subscription, outcomes: list[Outcome], document: dict[str, Any]
) -> None:
    """A delivery row per outcome; the period given back when any failed."""
    with store.session() as session:
        for o in outcomes:
            subs.add_delivery(
                session,
                subscription.id,
                channel=o.channel,
                status=o.status,
                attempts=o.attempts,
                error=o.error,
                payload=document,
            )
        if any(o.status == "failed" for o in outcomes):
            # give the period back so the next run sends it again (see the module docstring)
            subs.give_back(session, subscription.id, subscription.last_sent_at)


def _target(subscription: subs.Subscription, channel: str) -> str:
    if channel == "email":
        return subscription.email or ""
    return webhook.redact(subscription.webhook_url or "")


def _guarded(
    subscription: subs.Subscription, channel: str, deliver: Callable[[], Outcome]
) -> Outcome:
    """The delivery's outcome; any exception it raises is a failed delivery (the period is
    then given back), never a stop of `send_digests` after the period was claimed."""
    try:
        return deliver()
    except Exception as exc:  # noqa: BLE001 - recorded as the delivery's failure
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if subscription.webhook_url:
            text = text.replace(subscription.webhook_url, webhook.redact(subscription.webhook_url))
        return _outcome(subscription, channel, _target(subscription, channel), 1, text)


def _outcome(
    subscription: subs.Subscription,
    channel: str,
    target: str,
    attempts: int,
    error: str | None = None,
) -> Outcome:
    return Outcome(
        subscription.id,
        subscription.username,
        subscription.tracker_slug,
        channel,
        "failed" if error else "sent",
        attempts,
        error,
        target,
    )


def _email(
    subscription: subs.Subscription,
    digest: Digest,
    document: dict[str, Any],
    settings: Settings,
    smtp_factory: mail.SmtpFactory | None,
) -> Outcome:
    assert subscription.email
    message = mail.build_message(
        digest, to=subscription.email, sender=settings.smtp_from, lang=settings.language
    )
    try:
        mail.send_message(message, settings, smtp_factory)
    except NotifyError as exc:
        return _outcome(subscription, "email", subscription.email, exc.attempts, str(exc))
    return _outcome(subscription, "email", subscription.email, 1)


def _webhook(
    subscription: subs.Subscription,
    document: dict[str, Any],
    settings: Settings,
    client: httpx.Client | None,
    sleep: Callable[[float], None],
) -> Outcome:
    assert subscription.webhook_url
    try:
        result = webhook.post(
            subscription.webhook_url,
            document,
            subscription.webhook_secret or "",
            settings=settings,
            client=client,
            sleep=sleep,
        )
    except NotifyError as exc:
        return _outcome(
            subscription, "webhook", _target(subscription, "webhook"), exc.attempts, str(exc)
        )
    return _outcome(subscription, "webhook", _target(subscription, "webhook"), result.attempts)
