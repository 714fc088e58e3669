"""`lofte notify …`: subscribe with checked values, list, unsubscribe, send (exit 1 on a failed
delivery). Settings from the environment; local SMTP and webhook servers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.config import get_settings
from lofte.store import subscriptions as subs
from lofte.store import users as user_store
from lofte.store.db import Store
from lofte.store.schema import utcnow
from tests.notify.helpers import Inbox, add_suggestion, seed, smtp_inbox, webhook_receiver

runner = CliRunner()
SECRET = "sixteen-chars-or-more"


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("LOFTE_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("LOFTE_NOTIFY_MIN_INTERVAL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(store: Store, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", store.url, "notify", *args], input=input)
    return result.exit_code, result.output


def test_subscribe_list_and_unsubscribe(store: Store) -> None:
    seed(store)
    code, out = run(store, "subscribe", "sjovik", "--user", "anna", "--email", "anna@red.example")
    assert code == 0, out
    assert "anna follows sjovik: e-mail anna@red.example" in out
    code, out = run(
        store,
        "subscribe",
        "sjovik",
        "--user",
        "ada",
        "--webhook",
        "https://hooks.example/lofte",
        "--secret",
        SECRET,
    )
    assert code == 0, out
    code, out = run(store, "list")
    assert code == 0
    assert "sjovik  ada  webhook https://hooks.example/…  last digest: never" in out
    assert "/lofte" not in out  # a hook's path can be its secret (Slack-style URLs)
    assert "sjovik  anna  e-mail anna@red.example  last digest: never" in out
    assert SECRET not in out
    code, out = run(store, "unsubscribe", "sjovik", "--user", "anna")
    assert code == 0 and "anna no longer follows sjovik" in out
    code, out = run(store, "list", "--tracker", "sjovik")
    assert "anna" not in out and "ada" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "anna", "--email", "not an address"], "not an e-mail address"),
        (["--user", "anna", "--email", "a@b"], "not an e-mail address"),
        (["--user", "anna", "--webhook", "ftp://x.example/h", "--secret", SECRET], "http(s)"),
        (["--user", "anna", "--webhook", "https://x.example/h", "--secret", "short"], "16"),
        (["--user", "anna", "--webhook", "https://x.example/h"], "LOFTE_WEBHOOK_SECRET"),
        (["--user", "anna", "--webhook", "http://[::1/x", "--secret", SECRET], "webhook URL"),
        (["--user", "anna", "--webhook", "http://exämple..com/", "--secret", SECRET], "IDNA"),
        (["--user", "anna"], "e-mail address, a webhook URL"),
        (["--user", "vera", "--email", "v@red.example"], "not an editor"),
        (["--user", "nobody", "--email", "n@red.example"], "no user named"),
    ],
)
def test_subscribe_refuses_bad_values(store: Store, args: list[str], message: str) -> None:
    seed(store)
    code, out = run(store, "subscribe", "sjovik", *args)
    assert code == 1
    assert message in " ".join(out.split())
    with store.session() as s:
        assert subs.list_subscriptions(s) == []


def _send_to(inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Digests go to the local `inbox`, in plain SMTP."""
    monkeypatch.setenv("LOFTE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LOFTE_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("LOFTE_SMTP_STARTTLS", "false")


def test_send_prints_what_went_out_and_fails_on_a_failed_delivery(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", utcnow() - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver([200]) as receiver:
        _send_to(inbox, monkeypatch)
        monkeypatch.setenv("LOFTE_FETCH_ALLOW_HOSTS", f"127.0.0.1:{receiver.port}")
        assert (
            run(store, "subscribe", "sjovik", "--user", "anna", "--email", "a@red.example")[0] == 0
        )
        code, out = run(
            store,
            "subscribe",
            "sjovik",
            "--user",
            "bo",
            "--webhook",
            receiver.url,
            "--secret",
            SECRET,
        )
        assert code == 0, out
        code, out = run(store, "send", "--tracker", "sjovik")
        assert code == 0, out
        assert "sent: sjovik → anna by email (a@red.example)" in out
        assert "2 sent, 0 failed" in out
        assert len(inbox.messages) == 1 and len(receiver.requests) == 1

        add_suggestion(store, site, "b", utcnow())
        receiver.answers[:] = [400]
        code, out = run(store, "send")  # minutes later: not due under the daily default
        assert code == 0 and "0 sent, 0 failed" in out and "2 not due yet" in out
        code, out = run(store, "send", "--force")
        assert code == 1
        assert "failed: sjovik → bo by webhook" in out and "HTTP 400" in out
        assert f"(http://127.0.0.1:{receiver.port}/…)" in out and "/hook" not in out
        assert "1 sent, 1 failed" in out

        # QA: `lofte update` (cron) counted "1 deliveries failed" and never said which or why
        add_suggestion(store, site, "c", utcnow())
        monkeypatch.setenv("LOFTE_NOTIFY_MIN_INTERVAL", "0")
        get_settings.cache_clear()
        result = runner.invoke(app, ["--db", store.url, "update", "--no-link"])
        assert result.exit_code == 1, result.output
        assert "1 deliveries failed" in result.output
        assert "failed: sjovik → bo by webhook" in result.output and "HTTP 400" in result.output


def test_a_webhook_every_send_would_refuse_is_warned_about_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: a loopback webhook was subscribed without a word; every send then failed
    seed(store)
    monkeypatch.setenv("LOFTE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("LOFTE_FETCH_ALLOW_HOSTS", "127.0.0.1:18651")
    get_settings.cache_clear()
    for url, warned in (
        ("http://127.0.0.1:18650/hook", True),
        ("http://localhost:18650/hook", True),
        ("http://10.1.2.3/hook", True),
        ("http://127.0.0.1:18651/hook", False),  # allowed
        ("https://hooks.example/lofte", False),  # a name: its look-up at delivery tells
    ):
        code, out = run(store, "subscribe", "sjovik", "--user", "bo", "--webhook", url)
        assert code == 0, out
        assert ("will be refused" in out) is warned, (url, out)
        if warned:
            assert "not in LOFTE_FETCH_ALLOW_HOSTS" in out and "/hook" not in out


def test_the_secret_comes_from_the_environment_or_a_hidden_prompt(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    hook = ["sjovik", "--webhook", "https://hooks.example/lofte"]
    monkeypatch.setenv("LOFTE_WEBHOOK_SECRET", SECRET)
    code, out = run(store, "subscribe", *hook, "--user", "anna")
    assert code == 0, out
    # the variable is only for a webhook: an e-mail-only subscription is not refused for it
    code, out = run(store, "subscribe", "sjovik", "--user", "bo", "--email", "bo@red.example")
    assert code == 0, out
    monkeypatch.delenv("LOFTE_WEBHOOK_SECRET")
    code, out = run(store, "subscribe", *hook, "--user", "ada", input=SECRET[::-1] + "\n")
    assert code == 0, out
    assert SECRET[::-1] not in out  # hidden input is not echoed
    with store.session() as s:
        secrets = {sub.username: sub.webhook_secret for sub in subs.list_subscriptions(s)}
    assert secrets == {"ada": SECRET[::-1], "anna": SECRET, "bo": None}


def test_a_disabled_editor_is_named_as_disabled_by_subscribe_send_and_list(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: a disabled editor's subscription was counted "with nothing new" by `send --force`,
    # and subscribing one said "anna is not an editor"
    site = seed(store)
    add_suggestion(store, site, "a", utcnow() - dt.timedelta(hours=1))
    with smtp_inbox() as inbox:
        _send_to(inbox, monkeypatch)
        code, out = run(store, "subscribe", "sjovik", "--user", "anna", "--email", "a@red.example")
        assert code == 0, out
        with store.session() as s:
            user_store.set_disabled(s, site.users["anna"], True)
        code, out = run(store, "send", "--force")
        assert code == 0, out
        assert "0 sent, 0 failed, 0 with nothing new" in out
        assert "1 skipped (account disabled)" in out
        code, out = run(store, "list")
        assert "sjovik  anna  e-mail a@red.example  last digest: never" in out
        assert "(account disabled: no digests)" in out
        code, out = run(store, "subscribe", "sjovik", "--user", "anna", "--email", "b@red.example")
        assert code == 1
        assert "anna is disabled: enable the account first (lofte user enable anna)" in " ".join(
            out.split()
        )
        assert "not an editor" not in out
        with store.session() as s:
            user_store.set_disabled(s, site.users["anna"], False)
        code, out = run(store, "send", "--force")
        assert code == 0 and "1 sent, 0 failed" in out and "skipped" not in out
        code, out = run(store, "list")
        assert "account disabled" not in out
    assert len(inbox.messages) == 1


def test_an_archived_trackers_subscription_is_named_by_send_and_list(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lofte.review.tracker_admin import archive_tracker

    site = seed(store)
    add_suggestion(store, site, "a", utcnow() - dt.timedelta(hours=1))
    with smtp_inbox() as inbox:
        _send_to(inbox, monkeypatch)
        code, out = run(store, "subscribe", site.slug, "--user", "anna", "--email", "a@red.example")
        assert code == 0, out
        archive_tracker(store, site.slug, actor="admin")
        code, out = run(store, "send", "--force")
        assert code == 0, out
        assert "0 sent, 0 failed, 0 with nothing new" in out
        assert "1 skipped (tracker archived)" in out
        code, out = run(store, "list")
        assert "(tracker archived: no digests)" in out
    assert inbox.messages == []
