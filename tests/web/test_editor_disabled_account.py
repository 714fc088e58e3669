"""An editor whose account an admin disabled is told so, not to "log in again"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from lofte.review import users

from .conftest import PASSWORD, Site, csrf_of, login, make_client

DISABLED = {
    "sv": "Ditt konto har spärrats av en administratör",
    "en": "Your account has been disabled by an administrator",
}
CONTACT = {"sv": "Kontakta en administratör", "en": "Contact an administrator"}
LOG_IN_AGAIN = {"sv": "Logga in igen", "en": "Log in again"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_form_sent_after_the_account_was_disabled_says_so(
    client: TestClient, site: Site, lang: str
) -> None:
    token = login(client, "anna")
    client.cookies.set("lang", lang)
    users.disable_user(site.store, "anna", actor="admin1")
    sent = client.post(
        f"/edit/pledges/{site.pool}/state",
        data={
            "csrf_token": token,
            "reason": "dubblett",
            "expected_version": "1",
            "action": "reject",
        },
    )
    assert sent.status_code == 401
    message = re.search(r'<p class="error" role="alert" id="login-disabled">(.*?)</p>', sent.text)
    assert message, sent.text
    assert DISABLED[lang] in message.group(1) and CONTACT[lang] in message.group(1)
    assert LOG_IN_AGAIN[lang] not in sent.text
    assert ">dubblett</textarea>" in sent.text  # the typed text is still there to copy


def test_a_page_opened_after_the_account_was_disabled_says_so_on_the_login_page(
    client: TestClient, site: Site
) -> None:
    login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    sent_away = client.get(f"/edit/pledges/{site.pool}")
    assert sent_away.status_code == 303 and sent_away.headers["location"].startswith("/login")
    page = client.get(sent_away.headers["location"]).text
    assert DISABLED["sv"] in page and 'id="login-disabled"' in page
    # trying the disabled account again: still told it is disabled, not "wrong password"
    answer = client.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": csrf_of(page)}
    )
    assert answer.status_code == 401
    assert DISABLED["sv"] in answer.text and "Fel användarnamn eller lösenord" not in answer.text
    assert 'aria-describedby="login-disabled"' in answer.text
    # another account tried here is told about itself only
    other = client.post(
        "/login", data={"username": "bo", "password": "fel lösenord", "csrf_token": csrf_of(page)}
    )
    assert other.status_code == 401
    assert DISABLED["sv"] not in other.text and "Fel användarnamn eller lösenord" in other.text
    assert DISABLED["sv"] not in client.get("/login").text


def test_once_enabled_again_the_login_page_no_longer_says_disabled(
    client: TestClient, site: Site
) -> None:
    login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    assert client.get("/edit").status_code == 303
    assert DISABLED["sv"] in client.get("/login").text
    users.enable_user(site.store, "anna", actor="admin1")
    assert DISABLED["sv"] not in client.get("/login").text
    assert login(client, "anna")


def test_a_session_ended_otherwise_still_says_log_in_again(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    elsewhere = make_client(site.store)
    assert elsewhere.post("/logout", data={"csrf_token": login(elsewhere, "anna")})
    sent = client.post(
        f"/edit/pledges/{site.pool}/state",
        data={"csrf_token": token, "reason": "x", "expected_version": "1", "action": "reject"},
    )
    assert sent.status_code == 401
    assert "Logga in igen" in sent.text and DISABLED["sv"] not in sent.text
