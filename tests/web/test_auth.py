"""Sessions end on the server: a cookie saved before logout, a password or role change, or
disabling or removing the account no longer works. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lofte.model import Role
from lofte.review import users
from lofte.store import verdicts as verdict_store

from .conftest import PASSWORD, Site, login, make_client


def _saved(client: TestClient) -> tuple[str, str]:
    """Log anna in and keep her cookie and CSRF token, as a thief would."""
    token = login(client, "anna")
    cookie = client.cookies.get("lofte_session")
    assert cookie
    return cookie, token


def _replay(site: Site, cookie: str, token: str) -> tuple[int, int]:
    """A fresh client with the saved cookie: (GET /edit status, POST verdict status)."""
    thief = make_client(site.store)
    thief.cookies.set("lofte_session", cookie)
    page = thief.get("/edit").status_code
    verdict = {
        "status": "in_the_works",
        "rationale": "Pågår.",
        "expected_version": "1",
        "csrf_token": token,
    }
    post = thief.post(f"/edit/pledges/{site.pool}/verdict", data=verdict)
    return page, post.status_code


def _refused(site: Site, cookie: str, token: str) -> None:
    page, post = _replay(site, cookie, token)
    assert page == 303  # sent to the login page
    assert post in (401, 403)  # the login form again (401), or a bad token
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []  # nothing was written


def test_a_cookie_saved_before_logout_no_longer_edits(client: TestClient, site: Site) -> None:
    cookie, token = _saved(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    _refused(site, cookie, token)


def test_the_saved_cookie_works_until_then(client: TestClient, site: Site) -> None:
    cookie, token = _saved(client)
    page, post = _replay(site, cookie, token)
    assert (page, post) == (200, 303)


@pytest.mark.parametrize(
    "change",
    [
        lambda store: users.set_password(store, "anna", "ett helt nytt lösenord", actor="test"),
        lambda store: users.set_role(store, "anna", Role.VIEWER, actor="test"),
        lambda store: users.disable_user(store, "anna", actor="test"),
        lambda store: users.remove_user(store, "anna", actor="test"),
    ],
    ids=["passwd", "role", "disable", "remove"],
)
def test_account_changes_end_the_users_sessions(
    client: TestClient, site: Site, change: Callable[[object], object]
) -> None:
    cookie, token = _saved(client)
    change(site.store)
    _refused(site, cookie, token)
    assert client.get("/edit").status_code == 303  # the browser that made the cookie is out too


def test_a_disabled_user_cannot_log_in_until_enabled(client: TestClient, site: Site) -> None:
    from .conftest import csrf_of

    users.disable_user(site.store, "anna", actor="test")
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 401
    # both fields are marked invalid and described by the message, for a screen reader
    assert answer.text.count('aria-invalid="true"') == 2
    assert answer.text.count('aria-describedby="login-error"') == 2
    users.enable_user(site.store, "anna", actor="test")
    assert login(client, "anna")


def test_other_users_sessions_survive_a_logout(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token = login(anna, "anna")
    login(bo, "bo")
    anna.post("/logout", data={"csrf_token": anna_token})
    assert bo.get("/edit").status_code == 200


@pytest.mark.parametrize(
    ("lang", "said", "label"),
    [("sv", "inget av det sparades", "Motivering"), ("en", "nothing of it was saved", "Rationale")],
)
def test_a_form_sent_after_the_session_ended_keeps_the_typed_text(
    client: TestClient, site: Site, lang: str, said: str, label: str
) -> None:
    """The session ended mid-edit (logout in another browser): the verdict form was answered
    with a redirect to /login?next=<the form's POST-only address>, no word of why, the typed
    rationale gone, and after logging in a 405. Now the login form says nothing was saved,
    shows the typed text to copy, and leads back to the pledge's page."""
    token = login(client, "anna")
    client.cookies.set("lang", lang)
    elsewhere = make_client(site.store)
    other_token = login(elsewhere, "anna")
    assert elsewhere.post("/logout", data={"csrf_token": other_token}).status_code == 303
    typed = "Beslut i fullmäktige <2024-05-13> & budget"
    form = {
        "csrf_token": token,
        "status": "in_the_works",
        "rationale": typed,
        "expected_version": "1",
    }
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data=form,
        headers={"referer": f"{client.base_url}/edit/pledges/{site.pool}"},
    )
    assert sent.status_code == 401
    assert said in sent.text
    assert f'<label for="typed-1">{label}</label>' in sent.text
    # laid out as the site's forms are (label above a full-width box), not label and box inline
    assert re.search(r'<div class="stack">\s*<div><label for="typed-1">', sent.text)
    assert "Beslut i fullmäktige &lt;2024-05-13&gt; &amp; budget</textarea>" in sent.text
    assert f'name="next" value="/edit/pledges/{site.pool}"' in sent.text
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    again = client.post(
        "/login",
        data={
            "username": "anna",
            "password": PASSWORD,
            "csrf_token": sent.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0],
            "next": f"/edit/pledges/{site.pool}",
        },
    )
    assert again.status_code == 303
    assert client.get(again.headers["location"]).status_code == 200


@pytest.mark.parametrize("ended", ["elsewhere", "this browser"])
def test_a_form_keeps_its_typed_text_when_another_tab_met_the_ended_session_first(
    client: TestClient, site: Site, ended: str
) -> None:
    """The session ends; another tab of the same browser is sent to the login page (or logs
    out itself) before the open form is sent: the form's answer is still the login form with
    the typed text (401), not a 403 for a CSRF token the other tab's visit replaced (QA)."""
    token = login(client, "anna")
    if ended == "elsewhere":
        elsewhere = make_client(site.store)
        assert elsewhere.post("/logout", data={"csrf_token": login(elsewhere, "anna")})
        assert client.get("/edit").status_code == 303  # the other tab: to the login page
    else:
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/login").status_code == 200
    form = {"csrf_token": token, "reason": "dubblett", "expected_version": "1", "action": "reject"}
    sent = client.post(f"/edit/pledges/{site.pool}/state", data=form)
    assert sent.status_code == 401, sent.text
    assert ">dubblett</textarea>" in sent.text
    # a form without the token is still refused as before
    form["csrf_token"] = "fel"
    assert client.post(f"/edit/pledges/{site.pool}/state", data=form).status_code == 403


def test_a_form_sent_without_a_referer_after_the_session_ended_leads_to_a_page(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    elsewhere = make_client(site.store)
    assert (
        elsewhere.post("/logout", data={"csrf_token": login(elsewhere, "anna")}).status_code == 303
    )
    form = {"csrf_token": token, "reason": "dubblett", "expected_version": "1", "action": "reject"}
    sent = client.post(f"/edit/pledges/{site.pool}/state", data=form)
    assert sent.status_code == 401
    assert f'name="next" value="/edit/pledges/{site.pool}"' in sent.text
    assert ">dubblett</textarea>" in sent.text


def test_a_form_sent_after_half_a_day_idle_keeps_the_typed_text(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: the browser dropped the 12-hour cookie itself, so the form's CSRF token went with it
    and the answer was a bare 403, the typed rationale lost. The cookie now outlives the login:
    the login ends after half a day without a request, and the form gets the 401 login answer
    with its text."""
    import time

    from lofte.web import app as web_app
    from lofte.web import auth

    token = login(client, "anna")
    cookie = next(c for c in client.cookies.jar if c.name == web_app.SESSION_COOKIE)
    assert cookie.expires is not None and cookie.expires - time.time() > 7 * 24 * 3600
    assert client.get("/edit").status_code == 200  # still logged in
    later = time.time() + auth.LOGIN_IDLE_SECONDS + 60
    monkeypatch.setattr(auth.time, "time", lambda: later)
    form = {"csrf_token": token, "reason": "dubblett", "expected_version": "1", "action": "reject"}
    sent = client.post(f"/edit/pledges/{site.pool}/state", data=form)
    assert sent.status_code == 401, sent.text
    assert ">dubblett</textarea>" in sent.text
    assert client.get("/edit", follow_redirects=False).status_code == 303  # to the login


def test_a_removed_accounts_cookie_never_names_the_account_that_gets_its_id(
    client: TestClient, site: Site
) -> None:
    # QA: remove a viewer, add an admin: SQLite gave the admin the freed id, and the viewer's
    # saved cookie (id, session number 0) opened the admin's pages
    cecilia = users.add_user(site.store, "cecilia", PASSWORD, Role.VIEWER, actor="test")
    login(client, "cecilia")
    cookie = client.cookies.get("lofte_session")
    assert cookie
    users.remove_user(site.store, "cecilia", actor="test")
    david = users.add_user(site.store, "david", PASSWORD, Role.ADMIN, actor="test")
    assert david.id > cecilia.id  # ids are never given again now (migration 0020)
    # the case QA met, as a store from before 0020 has it: the admin holds the freed id
    with site.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET id = :freed WHERE id = :new"),
            {"freed": cecilia.id, "new": david.id},
        )
    thief = make_client(site.store)
    thief.cookies.set("lofte_session", cookie)
    assert thief.get("/edit", follow_redirects=False).status_code == 303  # to the login
    assert thief.get("/edit/audit", follow_redirects=False).status_code in (303, 401, 403)


def test_a_form_sent_without_any_session_keeps_the_typed_text(
    client: TestClient, site: Site
) -> None:
    """QA: the session cookie gone (its 30 days over, cleared, or a restart with a new key):
    the verdict form got a bare 403 "reload the page" and the typed rationale was lost. It now
    meets the logged-out answer, which changes nothing and shows the text to copy."""
    token = login(client, "anna")
    client.cookies.clear()
    typed = "En lång motivering <som> inte får gå förlorad"
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={"csrf_token": token, "status": "kept", "rationale": typed, "expected_version": "1"},
    )
    assert sent.status_code == 401 and "inget av det sparades" in sent.text
    assert "En lång motivering &lt;som&gt; inte får gå förlorad</textarea>" in sent.text
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    # a session that holds a token still needs the right one (a forged cross-site form)
    client.get("/login")
    forged = client.post(f"/edit/pledges/{site.pool}/verdict", data={"csrf_token": "x" * 43})
    assert forged.status_code == 403
