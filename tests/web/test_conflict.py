"""A change someone else made first, which the route does not answer itself: a 409 (the site's
error page in the reader's language; on /api/… the API's `{"error": …}`, with CORS on v1) and
one log line without traceback, instead of a 500."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from lofte.errors import ConflictError
from lofte.store import subscriptions as subs
from lofte.store import trackers as tracker_store
from lofte.store import users as user_store
from lofte.store.db import Store
from lofte.web.api_v1 import CORS_HEADERS, V1Route
from lofte.web.i18n import translate

from .conftest import Site, build_site, logged, login, make_app, make_client

PAGE = "/edit/trackers/sjovik/notifications"

# Another editor's request stores the same (user, tracker) subscription between this request's
# look-up (none yet) and its insert: the trigger is that other writer, inside the INSERT, so
# the race is the same every run. The route's insert then fails on the unique key.
FIRST_WRITER = """
CREATE TRIGGER first_writer BEFORE INSERT ON subscriptions
WHEN NOT EXISTS (
    SELECT 1 FROM subscriptions WHERE user_id = NEW.user_id AND tracker_id = NEW.tracker_id
)
BEGIN
    INSERT INTO subscriptions (user_id, tracker_id, email, created_at, modified_at)
    VALUES (NEW.user_id, NEW.tracker_id, 'first@redaktion.example', NEW.created_at,
            NEW.modified_at);
END
"""


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    with logged(logging.DEBUG) as collected:
        yield collected


@pytest.fixture
def site(sqlite_store: Store) -> Site:
    return build_site(sqlite_store)


def _failures(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_subscription_stored_meanwhile_is_a_409_page(
    site: Site, records: list[logging.LogRecord], lang: str
) -> None:
    client = make_client(site.store)
    token = login(client, "anna")
    with site.store.engine.begin() as connection:
        connection.exec_driver_sql(FIRST_WRITER)
    form = {"email": "anna@redaktion.example", "action": "save", "csrf_token": token}
    response = client.post(f"{PAGE}?lang={lang}", data=form)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in response.text
    assert translate("error_conflict", lang) in response.text
    assert translate("error_conflict_text", lang) in response.text
    assert "uq_subscriptions" not in response.text and "subscriptions." not in response.text
    failures = _failures(records)
    assert len(failures) == 1, [r.getMessage() for r in failures]
    line = failures[0].getMessage()
    assert failures[0].exc_info is None and "\n" not in line
    assert line.startswith(f"POST {PAGE}: 409: ") and "stored meanwhile" in line
    # nothing of the failed unit of work was kept (the trigger's row went with it)
    with site.store.session() as s:
        user = user_store.user_named(s, "anna")
        tracker = tracker_store.get_tracker(s, site.slug)
        sub = subs.get_subscription(s, user.id, tracker.id)
    assert sub is None


@pytest.mark.parametrize(
    ("path", "cors"), [("/api/v1/conflict-probe", True), ("/api/conflict-probe", False)]
)
def test_a_conflict_on_the_api_is_a_409_in_the_api_shape(
    sqlite_store: Store, records: list[logging.LogRecord], path: str, cors: bool
) -> None:
    app = make_app(sqlite_store)

    def probe() -> None:
        raise ConflictError("pledge 7 was changed by someone else; reload it")

    # before the catch-all 404 of /api/v1/{path}; a v1 route as every v1 route is
    app.router.add_api_route(path, probe, route_class_override=V1Route if cors else APIRoute)
    app.router.routes.insert(0, app.router.routes.pop())
    answer = TestClient(app).get(path)
    assert answer.status_code == 409
    assert answer.json() == {"error": "pledge 7 was changed by someone else; reload it"}
    shown = {k: answer.headers.get(k) for k in CORS_HEADERS}
    assert (shown == CORS_HEADERS) is cors
    failures = _failures(records)
    assert len(failures) == 1 and failures[0].exc_info is None
    assert failures[0].getMessage().startswith(f"GET {path}: 409: ")
