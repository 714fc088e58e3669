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
from lofte.store.db import Store
from lofte.store.schema import utcnow
from tests.notify.helpers import add_suggestion, seed, smtp_inbox, webhook_receiver

runner = CliRunner()
SECRET = "sixteen-chars-or-more"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(store: Store, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", store.url, "notify", *args])
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
    assert "sjovik  ada  webhook https://hooks.example/lofte  last digest: never" in out
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
        (["--user", "anna", "--webhook", "https://x.example/h"], "16"),
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


def test_send_prints_what_went_out_and_fails_on_a_failed_delivery(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = seed(store)
    add_suggestion(store, site, "a", utcnow() - dt.timedelta(hours=1))
    with smtp_inbox() as inbox, webhook_receiver([200]) as receiver:
        monkeypatch.setenv("LOFTE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("LOFTE_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("LOFTE_SMTP_STARTTLS", "false")
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
        code, out = run(store, "send")
        assert code == 1
        assert "failed: sjovik → bo by webhook" in out and "HTTP 400" in out
        assert "1 sent, 1 failed" in out
