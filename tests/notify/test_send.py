"""send_digests: each subscription's digest on its channels, the period claimed once, nothing
lost when a channel fails. Local SMTP and webhook servers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import socket

import pytest

from lofte.config import Settings
from lofte.notify import send as send_module
from lofte.notify.send import send_digests, send_one
from lofte.store import subscriptions as subs
from lofte.store import trackers as tracker_store
from lofte.store import users as user_store
from lofte.store.db import Store, utcnow

from .helpers import (
    NOW,
    Inbox,
    Receiver,
    Seed,
    add_deadline_pledge,
    add_suggestion,
    seed,
    settings,
    smtp_inbox,
    webhook_receiver,
)

SECRET = "sixteen-chars-or-more"


def _subscribe(store: Store, site: Seed, inbox: Inbox, receiver: Receiver) -> None:
    with store.session() as s:
        subs.set_subscription(
            s,
            site.users["anna"],
            site.tracker_id,
            email="anna@redaktion.example",
            webhook_url=None,
            webhook_secret=None,
        )
        subs.set_subscription(
            s,
            site.users["bo"],
            site.tracker_id,
            email=None,
            webhook_url=receiver.url,
            webhook_secret=SECRET,
        )


def _config(inbox: Inbox, receiver: Receiver, **values: object):  # type: ignore[no-untyped-def]
    return settings(
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        fetch_allow_hosts=f"127.0.0.1:{receiver.port}",
        **values,
    )


def _evidence_ids(receiver: Receiver, index: int) -> list[int]:
    return [s["evidence_id"] for s in json.loads(receiver.requests[index][1])["suggestions"]]


def test_each_digest_holds_only_what_is_new_since_the_last(store: Store) -> None:
    site = seed(store)
    first = add_suggestion(store, site, "a", NOW - dt.timedelta(days=1), title="Första nyheten")
    add_suggestion(store, site, "old", NOW - dt.timedelta(days=30))  # before the look-back
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        config = _config(inbox, receiver)
        report = send_digests(store, settings=config, now=NOW)
        assert not report.failed and report.sent == 2
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1
        assert "Första nyheten" in inbox.messages[0][1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert _evidence_ids(receiver, 0) == [first]

        # nothing new: nothing sent, nothing recorded
        report = send_digests(store, settings=config, now=NOW + dt.timedelta(hours=1))
        assert report.outcomes == () and report.empty == 2
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1

        second = add_suggestion(store, site, "b", NOW + dt.timedelta(hours=2), title="Andra")
        later = NOW + dt.timedelta(hours=3)
        report = send_digests(store, settings=config, now=later)
        assert report.sent == 2
        text = inbox.messages[1][1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Andra" in text and "Första nyheten" not in text
        assert _evidence_ids(receiver, 1) == [second]
    with store.session() as s:
        found = subs.list_subscriptions(s)
        assert {sub.last_sent_at for sub in found} == {later}
        assert all(
            [d.status for d in subs.recent_deliveries(s, sub.id)] == ["sent", "sent"]
            for sub in found
        )


def test_a_stale_second_sender_sends_nothing(store: Store) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        config = _config(inbox, receiver)
        with store.session() as s:
            read_by_both = subs.list_subscriptions(s)  # two senders read the same state
        for sub in read_by_both:
            assert isinstance(send_one(store, sub, settings=config, until=NOW), list)
        for sub in read_by_both:  # the second sender, a moment later, with what it read
            later = NOW + dt.timedelta(seconds=1)
            assert send_one(store, sub, settings=config, until=later) == "stale"
    assert len(inbox.messages) == 1 and len(receiver.requests) == 1
    with store.session() as s:
        sub = read_by_both[0]
        assert not subs.advance(s, sub.id, None, NOW + dt.timedelta(hours=1))
        assert subs.advance(s, sub.id, NOW, NOW + dt.timedelta(hours=1))


def test_one_failed_channel_keeps_the_period_for_every_channel(store: Store) -> None:
    site = seed(store)
    evidence = add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with webhook_receiver() as receiver:
        with store.session() as s:
            subs.set_subscription(
                s,
                site.users["anna"],
                site.tracker_id,
                email="anna@redaktion.example",
                webhook_url=receiver.url,
                webhook_secret=SECRET,
            )
        broken = settings(smtp_host="", fetch_allow_hosts=f"127.0.0.1:{receiver.port}")
        report = send_digests(store, settings=broken, now=NOW)
        assert report.failed
        assert {(o.channel, o.status) for o in report.outcomes} == {
            ("email", "failed"),
            ("webhook", "sent"),
        }
        with store.session() as s:
            [sub] = subs.list_subscriptions(s)
        assert sub.last_sent_at is None  # given back: the e-mail is not lost
        with smtp_inbox() as inbox:
            fixed = _config(inbox, receiver)
            report = send_digests(store, settings=fixed, now=NOW + dt.timedelta(hours=1))
        assert not report.failed and len(inbox.messages) == 1
        # the webhook gets the item a second time: a duplicate rather than a loss
        assert _evidence_ids(receiver, 0) == _evidence_ids(receiver, 1) == [evidence]


def test_overdue_pledges_make_a_digest_once(store: Store) -> None:
    site = seed(store)
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        config = _config(inbox, receiver)
        with store.session() as s:
            for sub in subs.list_subscriptions(s):  # past their first digest
                subs.advance(s, sub.id, None, NOW - dt.timedelta(days=1))
        pledge = add_deadline_pledge(
            store, site, "Vi ska öppna biblioteket.", NOW.date() - dt.timedelta(days=1)
        )
        add_deadline_pledge(store, site, "Gammalt löfte.", dt.date(2024, 1, 1))
        send_digests(store, settings=config, now=NOW)
        body = json.loads(receiver.requests[0][1])
        assert [o["pledge_id"] for o in body["overdue"]] == [pledge]
        assert body["counts"]["overdue_total"] == 2
        report = send_digests(store, settings=config, now=NOW + dt.timedelta(hours=1))
        assert report.outcomes == ()  # still overdue, but already told


def test_viewers_channelless_and_other_trackers_get_nothing(store: Store) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        with store.session() as s:
            other = tracker_store.ensure_tracker(s, "annan")
            s.flush()
            subs.set_subscription(
                s,
                site.users["vera"],
                site.tracker_id,
                email="v@x.example",
                webhook_url=None,
                webhook_secret=None,
            )
            subs.set_subscription(
                s,
                site.users["anna"],
                other.id,
                email="a@x.example",
                webhook_url=None,
                webhook_secret=None,
            )
        report = send_digests(store, settings=_config(inbox, receiver), now=NOW, tracker="annan")
        assert report.outcomes == () and report.empty == 1
        report = send_digests(store, settings=_config(inbox, receiver), now=NOW)
        assert report.outcomes == () and report.empty == 1
        assert report.not_editor == 1 and report.disabled == 0  # vera is a viewer
    assert inbox.messages == []


def test_a_disabled_account_is_skipped_as_disabled_not_as_nothing_new(store: Store) -> None:
    # QA: `notify send --force` said "2 with nothing new" of a disabled editor's subscription
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        with store.session() as s:
            user_store.set_disabled(s, site.users["anna"], True)
        config = _config(inbox, receiver)
        report = send_digests(store, settings=config, now=NOW, force=True)
        assert (report.disabled, report.not_editor, report.empty) == (1, 0, 0)
        assert [o.username for o in report.outcomes] == ["bo"]
        with store.session() as s:
            user_store.set_disabled(s, site.users["anna"], False)
        report = send_digests(store, settings=config, now=NOW, force=True)
        assert report.disabled == 0 and [o.username for o in report.outcomes] == ["anna"]
    assert len(inbox.messages) == 1


def test_an_aware_now_is_stored_as_naive_utc(store: Store) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    stockholm = dt.timezone(dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        aware = (NOW + dt.timedelta(minutes=5)).replace(tzinfo=dt.UTC).astimezone(stockholm)
        report = send_digests(store, settings=_config(inbox, receiver), now=aware)
    assert report.sent == 2
    with store.session() as s:
        assert {sub.last_sent_at for sub in subs.list_subscriptions(s)} == {
            NOW + dt.timedelta(minutes=5)
        }


def test_a_delivery_that_raises_fails_alone_and_the_others_still_get_theirs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        with store.session() as s:  # stored before the rule was shared: httpx cannot read it
            subs.set_subscription(
                s,
                site.users["ada"],
                site.tracker_id,
                email=None,
                webhook_url="http://exämple..com/hook/T0PSECRET",
                webhook_secret=SECRET,
            )
        _subscribe(store, site, inbox, receiver)  # anna by e-mail, bo by webhook
        report = send_digests(store, settings=_config(inbox, receiver), now=NOW)
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1
    by_user = {o.username: o for o in report.outcomes}
    assert by_user["anna"].status == by_user["bo"].status == "sent"
    failed = by_user["ada"]
    assert failed.status == "failed" and "T0PSECRET" not in (failed.error or "") + failed.target
    with store.session() as s:
        last = {sub.username: sub.last_sent_at for sub in subs.list_subscriptions(s)}
        [ada] = [sub for sub in subs.list_subscriptions(s) if sub.username == "ada"]
        [delivery] = subs.recent_deliveries(s, ada.id)
    assert last == {"ada": None, "anna": NOW, "bo": NOW}  # ada's period given back
    assert delivery.status == "failed" and "T0PSECRET" not in (delivery.error or "")


def test_any_exception_of_a_channel_is_a_recorded_failure(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(send_module.webhook, "post", explode)
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        report = send_digests(store, settings=_config(inbox, receiver), now=NOW)
    by_user = {o.username: o for o in report.outcomes}
    assert by_user["anna"].status == "sent"
    assert by_user["bo"].status == "failed" and by_user["bo"].error == "RuntimeError: boom"
    with store.session() as s:
        last = {sub.username: sub.last_sent_at for sub in subs.list_subscriptions(s)}
    assert last == {"anna": NOW, "bo": None}


def test_a_sender_stopped_during_a_delivery_gives_the_period_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: SIGTERM (turned into Ctrl-C) while a webhook hung lost the claimed period for good:
    # nothing recorded, nothing given back, and the next run had nothing to send
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(send_module.webhook, "post", stopped)
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        with pytest.raises(KeyboardInterrupt):
            send_digests(store, settings=_config(inbox, receiver), now=NOW)
        with store.session() as s:
            [bo] = [sub for sub in subs.list_subscriptions(s) if sub.username == "bo"]
            [delivery] = subs.recent_deliveries(s, bo.id)
        assert bo.last_sent_at is None  # given back: the next run sends it
        assert delivery.status == "failed" and "interrupted" in (delivery.error or "")
        monkeypatch.undo()
        report = send_digests(store, settings=_config(inbox, receiver), now=NOW, force=True)
        assert {o.username: o.status for o in report.outcomes}.get("bo") == "sent"
        assert len(receiver.requests) == 1


def test_the_minimum_interval_skips_a_digest_before_any_claim_unless_forced(
    store: Store,
) -> None:
    assert Settings(_env_file=None).notify_min_interval == 86400  # type: ignore[call-arg]
    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        hourly = _config(inbox, receiver, notify_min_interval=3600)
        assert send_digests(store, settings=hourly, now=NOW).sent == 2
        add_suggestion(store, site, "b", NOW + dt.timedelta(minutes=1))
        soon = NOW + dt.timedelta(minutes=5)
        report = send_digests(store, settings=hourly, now=soon)
        assert report.outcomes == () and report.not_due == 2 and report.empty == 0
        with store.session() as s:
            assert {sub.last_sent_at for sub in subs.list_subscriptions(s)} == {NOW}  # unclaimed
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1
        report = send_digests(store, settings=hourly, now=soon, force=True)
        assert report.sent == 2 and len(inbox.messages) == 2
        add_suggestion(store, site, "c", soon + dt.timedelta(minutes=1))
        an_hour_on = soon + dt.timedelta(hours=1)
        assert send_digests(store, settings=hourly, now=an_hour_on).sent == 2  # exactly due


def test_a_failed_period_is_not_lost_when_another_sender_claimed_the_next_one(
    store: Store,
) -> None:
    """Sender A claims (start, NOW] and is slow to fail its e-mail; meanwhile sender B (say
    `lofte notify send --force`) claims and delivers (NOW, NOW + 1h]. A's give-back must still
    put the failed period back: the next run sends A's item too (B's again: a duplicate, not
    a loss)."""
    site = seed(store)
    first = add_suggestion(store, site, "a", NOW - dt.timedelta(hours=2))
    with store.session() as s:
        subs.set_subscription(
            s,
            site.users["anna"],
            site.tracker_id,
            email="anna@redaktion.example",
            webhook_url=None,
            webhook_secret=None,
        )
    closed = socket.socket()  # bound, never listening: connecting to it is refused
    closed.bind(("127.0.0.1", 0))
    second = 0
    with smtp_inbox() as inbox:
        working = settings(smtp_host="127.0.0.1", smtp_port=inbox.port)
        broken = settings(smtp_host="127.0.0.1", smtp_port=closed.getsockname()[1])

        def slow_then_refused(**options: object) -> smtplib.SMTP:
            nonlocal second
            second = add_suggestion(store, site, "b", NOW + dt.timedelta(minutes=30))
            report = send_digests(store, settings=working, now=NOW + dt.timedelta(hours=1))
            assert report.sent == 1  # B delivered its own period
            return smtplib.SMTP(**options)  # type: ignore[arg-type]

        try:
            report = send_digests(store, settings=broken, now=NOW, smtp_factory=slow_then_refused)
        finally:
            closed.close()
        assert report.failed
        later = NOW + dt.timedelta(hours=2)
        report = send_digests(store, settings=working, now=later)
        assert report.sent == 1 and not report.failed
    last = [d.payload for d in _deliveries(store) if d.status == "sent"][-1]
    assert {s["evidence_id"] for s in last["suggestions"]} == {first, second}
    with store.session() as s:
        [sub] = subs.list_subscriptions(s)
    assert sub.last_sent_at == later


def _deliveries(store: Store) -> list[subs.Delivery]:
    with store.session() as s:
        [sub] = subs.list_subscriptions(s)
        return list(reversed(subs.recent_deliveries(s, sub.id)))


def test_a_failing_channel_does_not_resend_the_working_one_on_every_run(store: Store) -> None:
    """The webhook is down, the e-mail works: the period is given back, but the next run,
    minutes later, must not mail the same digest again (with `lofte watch` that was one e-mail
    every pass). A failure waits out the minimum interval like a digest sent; --force does
    not wait. On the wall clock: the deliveries are stamped with it."""
    site = seed(store)
    add_suggestion(store, site, "a", utcnow() - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver([503]) as receiver:
        with store.session() as s:
            subs.set_subscription(
                s,
                site.users["anna"],
                site.tracker_id,
                email="anna@redaktion.example",
                webhook_url=receiver.url,
                webhook_secret=SECRET,
            )
        daily = _config(inbox, receiver, notify_min_interval=86400, notify_attempts=1)
        first = send_digests(store, settings=daily)
        assert first.failed and first.sent == 1 and len(inbox.messages) == 1
        again = send_digests(store, settings=daily)
        assert again.outcomes == () and again.not_due == 1
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1
        # the claim itself refuses, in the database (a sender that read the row earlier)
        with store.session() as s:
            [sub] = subs.list_subscriptions(s)
            assert sub.last_sent_at is None  # the period was given back
            a_day_ago = utcnow() - dt.timedelta(days=1)
            assert not subs.advance(s, sub.id, None, utcnow(), not_before=a_day_ago)
        # the operator retries by hand: sent on both channels, nothing lost
        receiver.answers[:] = [200]
        forced = send_digests(store, settings=daily, force=True)
    assert forced.sent == 2 and not forced.failed
    assert len(inbox.messages) == 2 and len(receiver.requests) == 2


def test_an_archived_trackers_subscriptions_get_nothing_until_it_is_back(store: Store) -> None:
    """QA (after the term): the finished term's archived tracker went on sending digests of its
    backlog of overdue pledges. Archived, it is skipped and counted apart; brought back, the
    next digest covers the whole time since the last one."""
    from lofte.review.tracker_admin import archive_tracker, unarchive_tracker

    site = seed(store)
    add_suggestion(store, site, "a", NOW - dt.timedelta(hours=1), title="Under arkivtiden")
    with smtp_inbox() as inbox, webhook_receiver() as receiver:
        _subscribe(store, site, inbox, receiver)
        archive_tracker(store, site.slug, actor="admin")
        config = _config(inbox, receiver)
        report = send_digests(store, settings=config, now=NOW, force=True)
        assert (report.archived, report.empty, report.outcomes) == (2, 0, ())
        with store.session() as s:
            (anna,) = [x for x in subs.list_subscriptions(s) if x.username == "anna"]
        assert anna.tracker_archived and send_one(store, anna, settings=config, until=NOW) is None
        unarchive_tracker(store, site.slug, actor="admin")
        report = send_digests(store, settings=config, now=NOW, force=True)
        assert report.archived == 0 and report.sent == 2
    (message,) = inbox.messages
    assert "Under arkivtiden" in message[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
