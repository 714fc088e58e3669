"""A digest by webhook: signed, tried again with growing waits, guarded against internal
addresses. The receiver is a local http.server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import httpx
import pytest

from lofte.errors import NotifyError
from lofte.notify import webhook
from lofte.notify.send import send_digests
from lofte.store import subscriptions as subs
from lofte.store.db import Store

from .helpers import NOW, add_suggestion, seed, settings, webhook_receiver

SECRET = "a-secret-of-enough-length"


def _allowing(port: int, **values: object):  # type: ignore[no-untyped-def]
    return settings(fetch_allow_hosts=f"127.0.0.1:{port}", **values)


def test_the_receiver_verifies_the_signature_over_the_exact_body() -> None:
    with webhook_receiver() as receiver:
        result = webhook.post(
            receiver.url,
            {"type": "lofte.digest", "quote": "Sjövik «simhall»"},
            SECRET,
            settings=_allowing(receiver.port),
            clock=lambda: 1_790_000_000.5,
        )
    assert result.attempts == 1 and result.status == 200
    [(headers, body)] = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-lofte-signature"], expected)
    assert headers["x-lofte-timestamp"] == "1790000000"
    assert headers["content-type"] == "application/json; charset=utf-8"
    document = json.loads(body.decode("utf-8"))
    assert document["timestamp"] == 1790000000 and document["quote"] == "Sjövik «simhall»"
    assert b", " not in body and b": " not in body  # compact
    assert "Sjövik".encode() in body  # UTF-8, not \\u escapes
    # a different secret does not verify
    wrong = "sha256=" + hmac.new(b"another-secret-123", body, hashlib.sha256).hexdigest()
    assert headers["x-lofte-signature"] != wrong


def test_server_errors_are_tried_again_with_growing_waits() -> None:
    waits: list[float] = []
    with webhook_receiver([500, 500, 200]) as receiver:
        result = webhook.post(
            receiver.url, {"n": 1}, SECRET, settings=_allowing(receiver.port), sleep=waits.append
        )
    assert result.attempts == 3 and result.status == 200
    assert waits == [0.5, 1.0]
    bodies = {body for _, body in receiver.requests}
    assert len(receiver.requests) == 3 and len(bodies) == 1  # the same signed body each time


def test_429_is_tried_again_and_a_404_is_not() -> None:
    with webhook_receiver([429, 200]) as receiver:
        result = webhook.post(
            receiver.url, {}, SECRET, settings=_allowing(receiver.port), sleep=lambda _: None
        )
    assert result.attempts == 2
    with webhook_receiver([404]) as receiver, pytest.raises(NotifyError, match="404") as failure:
        webhook.post(
            receiver.url, {}, SECRET, settings=_allowing(receiver.port), sleep=lambda _: None
        )
    assert failure.value.attempts == 1 and len(receiver.requests) == 1


def test_an_internal_address_not_in_the_allow_list_is_refused() -> None:
    with webhook_receiver() as receiver, pytest.raises(NotifyError, match="refused") as failure:
        webhook.post(receiver.url, {}, SECRET, settings=settings(fetch_allow_hosts=""))
    assert receiver.requests == []
    assert "LOFTE_FETCH_ALLOW_HOSTS" in str(failure.value)


def test_only_http_urls_are_posted_to() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/x", "http://user:pw@example.org/"):
        with pytest.raises(NotifyError):
            webhook.post(url, {}, SECRET, settings=settings())


def test_a_receiver_that_always_fails_leaves_the_period_to_be_sent_again(store: Store) -> None:
    site = seed(store)
    evidence = add_suggestion(store, site, "a", NOW - dt.timedelta(hours=2))
    with webhook_receiver([503]) as receiver:
        with store.session() as s:
            subs.set_subscription(
                s,
                site.users["anna"],
                site.tracker_id,
                email=None,
                webhook_url=receiver.url,
                webhook_secret=SECRET,
            )
        waits: list[float] = []
        report = send_digests(store, settings=_allowing(receiver.port), now=NOW, sleep=waits.append)
        assert report.failed and len(receiver.requests) == 3 and waits == [0.5, 1.0]
        [outcome] = report.outcomes
        assert outcome.status == "failed" and outcome.attempts == 3
        assert "HTTP 503" in (outcome.error or "")
        with store.session() as s:
            [sub] = subs.list_subscriptions(s)
            [delivery] = subs.recent_deliveries(s, sub.id)
        # recorded, and the period given back: nothing is lost
        assert delivery.status == "failed" and delivery.attempts == 3
        assert delivery.payload["suggestions"][0]["evidence_id"] == evidence
        assert sub.last_sent_at is None
        # the receiver recovers: the next run sends the same items, and only then advances
        receiver.answers[:] = [200]
        later = NOW + dt.timedelta(hours=1)
        report = send_digests(store, settings=_allowing(receiver.port), now=later)
    assert not report.failed and report.sent == 1
    body = json.loads(receiver.requests[-1][1])
    assert [s["evidence_id"] for s in body["suggestions"]] == [evidence]
    with store.session() as s:
        [sub] = subs.list_subscriptions(s)
    assert sub.last_sent_at == later


@pytest.mark.parametrize("url", ["http://[::1/x", "http://exämple..com/", "http://x:99999/"])
def test_urls_neither_urllib_nor_httpx_can_read_are_refused_as_notify_errors(url: str) -> None:
    with pytest.raises(NotifyError, match="webhook URL"):
        webhook.check_url(url)
    with pytest.raises(NotifyError):
        webhook.post(url, {}, SECRET, settings=settings())


def test_one_url_rule_for_webhooks_and_watched_sources() -> None:
    from lofte.errors import ValidationError
    from lofte.watch import sources

    for url in ("http://[::1/x", "http://exämple..com/", "ftp://x.example/", "http://u:p@x.se/"):
        with pytest.raises(ValidationError):
            sources.check_url(url)
        with pytest.raises(NotifyError):
            webhook.check_url(url)
    assert sources.check_url(" https://x.example/a?b=1 ") == "https://x.example/a?b=1"


def test_an_invalid_url_at_send_time_is_a_failed_attempt_not_a_crash() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.InvalidURL("Invalid IDNA hostname")

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(NotifyError, match="InvalidURL") as failure:
        webhook.post("https://hooks.example/x", {}, SECRET, settings=settings(), client=client)
    assert failure.value.attempts == 1


def test_error_texts_never_show_the_urls_path_or_query() -> None:
    assert webhook.redact("https://hooks.slack.example:8443/services/T0/B1?k=v#f") == (
        "https://hooks.slack.example:8443/…"
    )
    assert webhook.redact("https://user:pw@hooks.example/x") == "https://hooks.example/…"
    assert webhook.redact("http://[::1/x?k=v") == "http://[::1/…"  # unparsable, still cut
    with webhook_receiver([404]) as receiver, pytest.raises(NotifyError) as failure:
        url = receiver.url + "/T0PSECRET?token=QUERYSECRET"
        webhook.post(url, {}, SECRET, settings=_allowing(receiver.port))
    said = str(failure.value)
    assert "HTTP 404" in said and f"http://127.0.0.1:{receiver.port}/…" in said
    assert "T0PSECRET" not in said and "QUERYSECRET" not in said and "/hook" not in said
    with pytest.raises(NotifyError) as failure:
        webhook.check_url("ftp://x.example/T0PSECRET")
    assert "T0PSECRET" not in str(failure.value)
