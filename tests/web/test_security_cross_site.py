"""A form posted from another site is refused before the session is read (security QA: a
cross-site page auto-posting to /edit/… got the real login page showing the attacker's text
under "what you typed", and a new session cookie that replaced the editor's logged-in one).

The browser decides what is cross-site: `Sec-Fetch-Site` when it sends it, else `Origin`
compared with this site's own address (the request's host, or LOFTE_PUBLIC_URL). A request with
neither (curl, scripts, old browsers) is judged by the CSRF token alone, as before.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lofte.config import Settings
from lofte.store import verdicts as verdict_store
from lofte.web.app import create_app

from .conftest import PASSWORD, Site, csrf_of, login

LURE = "Ditt konto har spärrats, logga in via https://lofte-support.example/login"
FOREIGN = [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # another port or subdomain of the same site
    {"origin": "http://evil.example"},  # an older browser: no Sec-Fetch-Site
    {"origin": "null"},  # a sandboxed or privacy-sensitive context
    {"origin": "http://testserver.evil.example"},
    {"sec-fetch-site": "cross-site", "origin": "http://evil.example"},
]


def _no_session_cookie(response: object) -> None:
    cookies = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    assert not any(c.startswith("lofte_session=") for c in cookies), cookies


def _refused_bare(response: object) -> None:
    assert response.status_code == 403  # type: ignore[attr-defined]
    _no_session_cookie(response)
    page = response.text  # type: ignore[attr-defined]
    assert LURE not in page and "lofte-support.example" not in page
    assert "typed-heading" not in page and 'type="password"' not in page  # no login form
    assert "kom inte från den här webbplatsen" in page  # the site's short error page


@pytest.mark.parametrize("headers", FOREIGN)
def test_a_cross_site_post_without_the_cookie_gets_a_bare_403_and_no_cookie(
    client: TestClient, site: Site, headers: dict[str, str]
) -> None:
    """The tester's attack: SameSite=Lax keeps the cookie from the cross-site POST."""
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict", data={"rationale": LURE}, headers=headers
    )
    _refused_bare(sent)


@pytest.mark.parametrize("headers", FOREIGN)
def test_a_cross_site_post_with_the_cookie_changes_nothing_and_keeps_the_login(
    client: TestClient, site: Site, headers: dict[str, str]
) -> None:
    """Same-site (another port of 127.0.0.1, a sibling subdomain) sends the Lax cookie; even
    with the right token the form is refused, and the editor is still logged in after."""
    token = login(client, "anna")
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={
            "csrf_token": token,
            "status": "in_the_works",
            "rationale": LURE,
            "expected_version": "1",
        },
        headers=headers,
    )
    _refused_bare(sent)
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    assert client.get("/edit").status_code == 200  # still logged in


@pytest.mark.parametrize("headers", FOREIGN)
def test_cross_site_login_and_logout_are_refused(
    client: TestClient, site: Site, headers: dict[str, str]
) -> None:
    token = login(client, "anna")
    out = client.post("/logout", data={"csrf_token": token}, headers=headers)
    assert out.status_code == 403
    _no_session_cookie(out)
    assert client.get("/edit").status_code == 200  # not logged out by another site
    stranger = TestClient(client.app, base_url="http://testserver", follow_redirects=False)
    login_token = csrf_of(stranger.get("/login").text)
    sent = stranger.post(
        "/login",
        data={"username": "anna", "password": PASSWORD, "csrf_token": login_token},
        headers=headers,
    )
    assert sent.status_code == 403
    _no_session_cookie(sent)
    assert stranger.get("/edit").status_code == 303  # not logged in


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, old browsers: the token decides, as before
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        {"origin": "http://testserver"},
        {"origin": "http://TestServer:80"},  # the default port, any case
        {"sec-fetch-site": "none"},  # typed or bookmarked by the user
    ],
)
def test_same_origin_posts_work_as_before(
    client: TestClient, site: Site, headers: dict[str, str]
) -> None:
    token = login(client, "anna")
    saved = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={
            "csrf_token": token,
            "status": "in_the_works",
            "rationale": "Beslutat i fullmäktige.",
            "expected_version": "1",
        },
        headers=headers,
    )
    assert saved.status_code == 303, saved.text


def test_a_same_origin_form_after_the_login_ended_still_keeps_its_text(
    client: TestClient, site: Site
) -> None:
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={"rationale": "Min långa motivering"},
        headers={"sec-fetch-site": "same-origin", "origin": "http://testserver"},
    )
    assert sent.status_code == 401
    assert "Min långa motivering</textarea>" in sent.text


def test_the_public_address_is_this_sites_origin_behind_a_proxy(site: Site) -> None:
    """Behind a TLS proxy that does not say so (no trusted X-Forwarded-Proto), the browser's
    Origin is LOFTE_PUBLIC_URL's; another https site is still refused."""
    settings = Settings(
        secret_key="test-secret-key-for-the-web-tests",
        public_url="https://lofte.example.se",  # type: ignore[call-arg]
        _env_file=None,
    )
    client = TestClient(
        create_app(site.store, settings), base_url="http://127.0.0.1:8771", follow_redirects=False
    )
    token = login(client, "anna")
    foreign = client.post(
        "/logout", data={"csrf_token": token}, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    own = client.post(
        "/logout", data={"csrf_token": token}, headers={"origin": "https://lofte.example.se"}
    )
    assert own.status_code == 303


def test_the_api_keeps_its_own_answer_to_a_cross_site_post(client: TestClient, site: Site) -> None:
    sent = client.post("/api/v1/pledges", headers={"sec-fetch-site": "cross-site"})
    assert sent.status_code == 405
    assert sent.headers["access-control-allow-origin"] == "*"
    _no_session_cookie(sent)


def test_a_cross_site_page_load_keeps_the_session(client: TestClient, site: Site) -> None:
    """A link followed from another site (a mail, a chat) is a top-level GET that carries the
    Lax cookie: the editor's page opens logged in."""
    login(client, "anna")
    opened = client.get(f"/edit/pledges/{site.pool}", headers={"sec-fetch-site": "cross-site"})
    assert opened.status_code == 200 and "anna" in opened.text
