"""Safety at the edge: CSRF on every form, inert ingested text, cookies and headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lofte.store import verdicts as verdict_store

from .conftest import PASSWORD, SCRIPT, Site, csrf_of, login, make_app, make_client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "lofte" / "web" / "templates"


def test_every_post_without_the_right_csrf_token_is_refused(client: TestClient, site: Site) -> None:
    assert client.post("/login", data={"username": "anna", "password": PASSWORD}).status_code == 403
    token = login(client, "anna")
    verdict = {"status": "in_the_works", "rationale": "Pågår.", "expected_version": "1"}
    for bad in ({}, {"csrf_token": ""}, {"csrf_token": token[:-2] + "xx"}):
        response = client.post(f"/edit/pledges/{site.pool}/verdict", data=verdict | bad)
        assert response.status_code == 403 and "Formuläret kunde inte tas emot" in response.text
    other = make_client(site.store)
    other_token = login(other, "bo")  # a valid token, but of another session
    assert (
        client.post(
            f"/edit/pledges/{site.pool}/verdict", data=verdict | {"csrf_token": other_token}
        ).status_code
        == 403
    )
    for url in (
        f"/edit/evidence/{site.ev_pool}",
        f"/edit/pledges/{site.trees}/state",
        f"/edit/pledges/{site.trees}/edit",
        f"/edit/pledges/{site.trees}/split",
        f"/edit/pledges/{site.trees}/merge",
        "/logout",
    ):
        assert (
            client.post(url, data={"decision": "accept", "action": "confirm"}).status_code == 403
        ), url
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    # the header works too (for scripts using the API), and the right token passes
    ok = client.post(
        f"/edit/pledges/{site.pool}/verdict", data=verdict, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 303


def test_every_form_carries_a_csrf_token(client: TestClient, site: Site) -> None:
    login(client, "admin1")
    for url in ("/login", "/edit", f"/edit/pledges/{site.pool}", "/edit/trackers/sjovik/queue"):
        html = client.get(url).text
        posts = re.findall(r'<form method="post"[^>]*>(.*?)</form>', html, flags=re.S)
        assert posts, url
        for form in posts:
            assert 'name="csrf_token"' in form, (url, form[:80])


def test_ingested_script_text_is_shown_inert_everywhere(client: TestClient, site: Site) -> None:
    login(client, "anna")
    urls = [
        "/trackers/sjovik",
        "/trackers/sjovik/pledges",
        f"/pledges/{site.trees}",
        f"/documents/{site.program}",
        f"/documents/{site.news['trees']}",
        "/search?q=plantera",
        "/edit/trackers/sjovik/queue",
        f"/edit/pledges/{site.trees}",
    ]
    for url in urls:
        html = client.get(url).text
        assert "<script" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    assert (
        SCRIPT in client.get(f"/api/pledges/{site.trees}").json()["pledge"]["quote"]
    )  # JSON keeps the text


def test_templates_never_mark_text_safe() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "Markup(" not in text, template
        assert "autoescape false" not in text, template


def test_session_cookie_is_signed_httponly_lax_and_secure_over_https(site: Site) -> None:
    plain = make_client(site.store)
    response = plain.get("/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lofte_session=") and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    secure = make_client(site.store, base_url="https://testserver")
    cookie = secure.get("/login").headers["set-cookie"].lower()
    assert "; secure" in cookie and "httponly" in cookie
    assert "strict-transport-security" in secure.get("/").headers


def test_a_forged_session_cookie_is_ignored(client: TestClient, site: Site) -> None:
    login(client, "anna")
    value = client.cookies.get("lofte_session")
    assert value
    client.cookies.set("lofte_session", value[:-4] + "AAAA")
    assert client.get("/edit").status_code == 303  # back to the login page


def test_pages_send_protective_headers(client: TestClient, site: Site) -> None:
    headers = client.get(f"/pledges/{site.pool}").headers
    assert "script-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert client.get("/api/trackers").headers["x-content-type-options"] == "nosniff"


def test_public_pages_set_no_session_cookie(client: TestClient, site: Site) -> None:
    for url in ("/", "/trackers/sjovik", f"/pledges/{site.pool}", "/search?q=simhall"):
        assert "set-cookie" not in client.get(url).headers, url
    assert csrf_of(client.get("/login").text)


def test_a_cookie_signed_with_the_placeholder_key_is_worthless(site: Site) -> None:
    """Without LOFTE_SECRET_KEY the app signs with a random key, never the public placeholder."""
    import base64
    import json

    import itsdangerous

    from lofte.config import Settings
    from lofte.web.app import create_app

    app = create_app(site.store, Settings(_env_file=None))  # type: ignore[call-arg]
    client = TestClient(app, follow_redirects=False)
    placeholder = Settings(_env_file=None).secret_key.get_secret_value()  # type: ignore[call-arg]
    for uid in range(1, 6):
        payload = base64.b64encode(json.dumps({"uid": uid}).encode())
        forged = itsdangerous.TimestampSigner(placeholder).sign(payload).decode()
        client.cookies.set("lofte_session", forged)
        assert client.get("/edit").status_code == 303  # not logged in: sent to the login page


def test_rss_links_use_the_public_address_when_set(site: Site) -> None:
    from lofte.config import Settings
    from lofte.web.app import create_app

    settings = Settings(
        secret_key="x" * 32,
        public_url="https://lofte.example.se/",  # type: ignore[call-arg]
        _env_file=None,
    )
    client = TestClient(create_app(site.store, settings), base_url="http://evil.example")
    feed = client.get("/trackers/sjovik/feed.xml").text
    assert "https://lofte.example.se/trackers/sjovik" in feed
    assert "evil.example" not in feed


def test_repeated_failed_logins_are_throttled(client: TestClient, site: Site) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        wrong = client.post(
            "/login", data={"username": "anna", "password": "fel lösenord", "csrf_token": token}
        )
        assert wrong.status_code == 401
    right = client.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 429 and "För många misslyckade inloggningar" in right.text
    assert login(client, "bo")  # other accounts are not affected


class CountingHasher:
    """Wraps the argon2 hasher and counts every hash and verify (the expensive calls)."""

    def __init__(self, inner: object) -> None:
        self.inner, self.calls = inner, 0

    def hash(self, password: str) -> str:
        self.calls += 1
        return self.inner.hash(password)  # type: ignore[attr-defined, no-any-return]

    def verify(self, stored: str, password: str) -> bool:
        self.calls += 1
        return self.inner.verify(stored, password)  # type: ignore[attr-defined, no-any-return]

    def check_needs_rehash(self, stored: str) -> bool:
        return self.inner.check_needs_rehash(stored)  # type: ignore[attr-defined, no-any-return]


def test_guesses_over_many_usernames_are_throttled_before_hashing(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lofte.review import users

    hasher = CountingHasher(users._hasher)
    monkeypatch.setattr(users, "_hasher", hasher)
    # A still clock: the back-off after the 10th failure is 1 s, and 20 refused requests on a
    # busy machine can take longer than that (then one guess rightly gets through).
    monkeypatch.setattr(client.app.state.login_throttle, "clock", lambda: 1_800_000_000.0)  # type: ignore[attr-defined]
    token = csrf_of(client.get("/login").text)
    answers = [
        client.post(
            "/login",
            data={"username": f"gissning{n}", "password": "fel lösenord", "csrf_token": token},
        ).status_code
        for n in range(10)
    ]
    assert answers == [401] * 10
    hashed = hasher.calls
    for n in range(10, 30):
        answer = client.post(
            "/login",
            data={"username": f"gissning{n}", "password": "fel lösenord", "csrf_token": token},
        )
        assert answer.status_code == 429
    assert hasher.calls == hashed  # a throttled guess did no argon2 work
    assert login(
        make_client(site.store, address="10.0.0.2", app=client.app), "anna"
    )  # other addresses can


def test_a_username_locked_from_one_address_opens_from_another(site: Site) -> None:
    app = make_app(site.store)  # one server, two browsers at two addresses
    guesser = make_client(site.store, address="10.0.0.1", app=app)
    anna = make_client(site.store, address="10.0.0.2", app=app)
    token = csrf_of(guesser.get("/login").text)
    for _ in range(6):
        guesser.post(
            "/login", data={"username": "anna", "password": "fel lösenord", "csrf_token": token}
        )
    again = guesser.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 429
    assert login(anna, "anna")  # the right password from her own address goes through


def test_a_throttled_answer_is_slow_to_come(client: TestClient, site: Site) -> None:
    import time

    client.app.state.login_pause = 0.3  # type: ignore[attr-defined]
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post(
            "/login", data={"username": "anna", "password": "fel lösenord", "csrf_token": token}
        )
    start = time.perf_counter()
    answer = client.post(
        "/login", data={"username": "anna", "password": "fel lösenord", "csrf_token": token}
    )
    assert answer.status_code == 429 and time.perf_counter() - start >= 0.3


def test_a_login_that_waits_too_long_for_its_turn_is_told_busy_not_throttled(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flood from many addresses can fill the queue of password checks; the real editor, who
    never failed, must not be told she failed too often."""
    import asyncio

    from lofte.web import editor

    class FullQueue:
        async def acquire(self) -> None:
            await asyncio.sleep(3600)

        def release(self) -> None:
            raise AssertionError("never acquired")

    monkeypatch.setattr(editor, "_hash_slots", lambda request: FullQueue())
    monkeypatch.setattr(editor, "HASH_WAIT", 0.05)
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 503 and answer.headers["retry-after"]
    assert "upptagen" in answer.text and "För många misslyckade" not in answer.text


_SCRIPT_URLS = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(2)",
    "data:text/html,<script>alert(3)</script>",
    "vbscript:msgbox(4)",
    "https:alert(5)",  # a scheme without a host is no address either
)
_HREF = re.compile(r'\shref="\s*([^"]*)"')


def _hrefs_are_local_or_web(html: str) -> list[str]:
    """The hrefs of a page that are neither paths of the site, fragments nor http(s) links."""
    return [
        h
        for h in _HREF.findall(html)
        if not h.startswith(("/", "#", "?", "http://", "https://", "mailto:"))
    ]


def test_a_stored_script_or_data_url_never_becomes_a_link(client: TestClient, site: Site) -> None:
    """Ingest keeps only http(s) addresses, but a row written or restored around it must not
    turn a document's, a program's or a watched source's URL into a script link."""
    from sqlalchemy import update

    from lofte.store.schema import DocumentRow, SourceRow
    from lofte.watch import sources as source_admin

    source = source_admin.add(
        site.store, site.slug, "nyheter", "https://example.se/nyheter", actor="tester", every="6h"
    )
    docs = [site.program, *site.news.values()]
    for url in _SCRIPT_URLS:
        with site.store.session() as s:
            s.execute(update(DocumentRow).where(DocumentRow.id.in_(docs)).values(url=url))
            s.execute(update(SourceRow).where(SourceRow.id == source.id).values(origin=url))
        anonymous = make_client(site.store)
        for page in [f"/pledges/{site.pool}", *(f"/documents/{d}" for d in docs)]:
            html = anonymous.get(page).text
            assert _hrefs_are_local_or_web(html) == [], (url, page)
        login(client, "anna")
        html = client.get(f"/edit/trackers/{site.slug}/sources").text
        assert _hrefs_are_local_or_web(html) == [], url
    html = make_client(site.store).get(f"/documents/{site.news['pool']}").text
    assert "vbscript:" not in html and "https:alert(5)" in html  # shown as text, not a link


def test_a_stored_web_url_stays_a_link(client: TestClient, site: Site) -> None:
    from sqlalchemy import update

    from lofte.store.schema import DocumentRow

    with site.store.session() as s:
        s.execute(
            update(DocumentRow)
            .where(DocumentRow.id == site.program)
            .values(url="https://sjovik.example/program?a=1&b=2")
        )
    html = client.get(f"/documents/{site.program}").text
    assert 'href="https://sjovik.example/program?a=1&amp;b=2"' in html
    assert (
        'href="https://sjovik.example/program?a=1&amp;b=2"'
        in client.get(f"/pledges/{site.pool}").text
    )


def test_a_cookie_whose_value_says_secure_is_still_marked_secure_over_https() -> None:
    """The Secure attribute is looked for among the cookie's attributes, not anywhere in its
    text: a session cookie's base64 or a value that happens to hold "secure" must not keep it
    from being sent over plain http."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from lofte.web.app import SecurityHeaders

    def page(request: object) -> PlainTextResponse:
        response = PlainTextResponse("ok")
        response.set_cookie("note", "insecure-value", httponly=True, samesite="lax")
        response.set_cookie("path_secure", "x", path="/secure", samesite="lax")
        response.set_cookie("already", "y", secure=True)
        return response

    app = SecurityHeaders(Starlette(routes=[Route("/", page)]))
    cookies = TestClient(app, base_url="https://testserver").get("/").headers.get_list("set-cookie")
    assert len(cookies) == 3
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
        assert attributes.count("secure") == 1, cookie
    plain = TestClient(app, base_url="http://testserver").get("/").headers.get_list("set-cookie")
    for cookie in plain[:2]:  # over http only what the app set itself
        assert "secure" not in [part.strip().lower() for part in cookie.split(";")[1:]], cookie


def test_pages_of_a_session_are_not_kept_by_caches(client: TestClient, site: Site) -> None:
    """A page made for one session (the login form's CSRF token and new cookie, an editor's
    page, a public page with her name and logout form) carries Cache-Control: no-store, so no
    proxy or CDN hands it to another reader and the browser does not show it after logout;
    an anonymous reader's page stays cacheable."""
    anonymous = make_client(site.store)
    assert "no-store" not in anonymous.get(f"/pledges/{site.pool}").headers.get("cache-control", "")
    assert "no-store" in anonymous.get("/login").headers["cache-control"]
    login(client, "anna")
    for url in ("/edit", f"/edit/pledges/{site.pool}", f"/pledges/{site.pool}", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("cache-control", ""), url
    token = csrf_of(client.get("/edit").text)
    logout = client.post("/logout", data={"csrf_token": token})
    assert logout.status_code == 303 and "no-store" in logout.headers["cache-control"]
