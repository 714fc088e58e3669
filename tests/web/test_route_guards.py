"""Every route of the app, enumerated from `app.routes`: each unsafe one needs the session's CSRF
token, and each editors' route the role it declares, for every route present and future."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from lofte.watch import sources as source_admin
from lofte.web import auth

from .conftest import Site, csrf_of, login, make_app, make_client, snapshot

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
GUARDS = {auth.require_user: "user", auth.require_editor: "editor", auth.require_admin: "admin"}
# what docs/web.md gives admins only
ADMIN_PAGES = {
    ("GET", "/edit/audit"),
    ("GET", "/edit/trackers/{slug}/settings"),
    ("POST", "/edit/trackers/{slug}/settings"),
    ("POST", "/edit/trackers/{slug}/archive"),
    ("POST", "/edit/trackers/{slug}/delete"),
}
OPEN_POSTS = {"/login", "/logout"}  # everyone's (still with the token)


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    """The app's API routes, through included routers however this FastAPI keeps them."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def _guard(route: APIRoute) -> str | None:
    todo, found = [route.dependant], []
    while todo:
        current = todo.pop()
        found += [GUARDS[d.call] for d in current.dependencies if d.call in GUARDS]
        todo.extend(current.dependencies)
    order = ["user", "editor", "admin"]
    return max(found, key=order.index) if found else None


def _table(app: FastAPI) -> list[tuple[str, str, str | None]]:
    return [
        (method, route.path, _guard(route))
        for route in _routes(app.routes)
        for method in sorted(route.methods)
    ]


def _url(path: str, site: Site, source_id: int) -> str:
    values = {
        "slug": site.slug,
        "pledge_id": site.pool,
        "evidence_id": site.ev_pool,
        "document_id": site.program,
        "source_id": source_id,
        "verdict_id": 1,
    }
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"no value for a parameter of {path}: add one to the test"
    return path


def _refused_as(response: Any, who: str) -> bool:
    if response.status_code == 403:
        return True
    # an anonymous request to an editors' route is sent to the login page; a form sent
    # without a session gets the login form itself (401), saying nothing was saved
    if who != "anonymous":
        return False
    if response.status_code == 401:
        return 'action="/login"' in response.text
    return response.status_code == 303 and response.headers["location"].startswith("/login?")


def test_the_route_table_declares_a_guard_for_every_change_and_editors_page(site: Site) -> None:
    table = _table(make_app(site.store))
    assert any(m in UNSAFE for m, _, _ in table)  # the walk found the routers' routes
    for method, path, guard in table:
        if method in UNSAFE and path not in OPEN_POSTS:
            assert guard in ("editor", "admin"), (method, path, guard)
        if path.startswith("/edit"):
            assert guard is not None, (method, path)
        if (method, path) in ADMIN_PAGES:
            assert guard == "admin", (method, path, guard)
        if path.startswith(("/api", "/trackers", "/pledges", "/documents", "/search")):
            assert method not in UNSAFE, (method, path)  # the public site only reads


def test_every_unsafe_route_refuses_a_missing_or_foreign_csrf_token(site: Site) -> None:
    source = source_admin.add(
        site.store, site.slug, "nyheter", "https://example.se/nyheter", actor="t", every="6h"
    )
    app = make_app(site.store)
    admin = make_client(site.store, app=app)
    login(admin, "admin1")
    other = make_client(site.store, app=app)
    foreign = login(other, "anna")  # a valid token, of another session
    anonymous = make_client(site.store, app=app)
    anonymous_token = csrf_of(anonymous.get("/login").text)
    before = snapshot(site)
    unsafe = [(m, p) for m, p, _ in _table(app) if m in UNSAFE]
    assert len(unsafe) >= 20
    for method, path in unsafe:
        url = _url(path, site, source.id)
        for client, extra in (
            (admin, {}),
            (admin, {"csrf_token": ""}),
            (admin, {"csrf_token": foreign}),
            (anonymous, {}),
            (anonymous, {"csrf_token": foreign}),
        ):
            response = client.request(method, url, data={"confirm": site.slug, **extra})
            assert response.status_code == 403, (method, url, extra, response.status_code)
        header = admin.request(method, url, headers={"X-CSRF-Token": foreign})
        assert header.status_code == 403, (method, url, "header")
        body = admin.request(method, url, json={"csrf_token": anonymous_token})
        assert body.status_code == 403, (method, url, "json")
    assert snapshot(site) == before


def test_every_editors_route_refuses_anonymous_users_and_lower_roles(site: Site) -> None:
    source = source_admin.add(
        site.store, site.slug, "nyheter", "https://example.se/nyheter", actor="t", every="6h"
    )
    app = make_app(site.store)
    clients: dict[str, tuple[TestClient, str]] = {}
    anonymous = make_client(site.store, app=app)
    clients["anonymous"] = (anonymous, csrf_of(anonymous.get("/login").text))
    for who, name in (("viewer", "vera"), ("editor", "anna")):
        client = make_client(site.store, app=app)
        clients[who] = (client, login(client, name))
    below = {
        "user": ["anonymous"],
        "editor": ["anonymous", "viewer"],
        "admin": ["anonymous", "viewer", "editor"],
    }
    before = snapshot(site)
    guarded = [(m, p, g) for m, p, g in _table(app) if g is not None]
    assert {(m, p) for m, p, g in guarded if g == "admin"} >= ADMIN_PAGES
    for method, path, guard in guarded:
        url = _url(path, site, source.id)
        # a change needs an editor at least, whatever the route declares
        need = "editor" if method in UNSAFE and guard == "user" else guard
        for who in below[need]:
            client, token = clients[who]
            if method in UNSAFE:
                response = client.request(
                    method, url, data={"csrf_token": token, "confirm": site.slug}
                )
            else:
                response = client.request(method, url)
            assert _refused_as(response, who), (who, method, url, response.status_code)
    assert snapshot(site) == before
