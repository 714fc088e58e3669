"""The editor's notifications page: their own channels per tracker, CSRF, the secret never shown
back, recent deliveries escaped, viewers refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lofte.store import subscriptions as subs
from lofte.store import trackers as tracker_store
from lofte.store import users as user_store

from .conftest import Site, csrf_of, login

PAGE = "/edit/trackers/sjovik/notifications"
SECRET = "topphemlig-nyckel-1234"


def _subscription(site: Site, username: str) -> subs.Subscription | None:
    with site.store.session() as s:
        user = user_store.user_named(s, username)
        tracker = tracker_store.get_tracker(s, site.slug)
        return subs.get_subscription(s, user.id, tracker.id)


def test_only_editors_see_the_page(client: TestClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    login(client, "vera")
    assert client.get(PAGE).status_code == 403


def test_an_editor_sets_channels_and_the_secret_is_never_shown(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Du får inga sammanfattningar" in page.text
    form = {
        "email": "anna@redaktion.example",
        "webhook_url": "https://hooks.example/lofte",
        "webhook_secret": SECRET,
        "action": "save",
    }
    assert client.post(PAGE, data=form).status_code == 403  # no CSRF token
    assert _subscription(site, "anna") is None
    response = client.post(PAGE, data=form | {"csrf_token": token})
    assert response.status_code == 303
    sub = _subscription(site, "anna")
    assert sub is not None and sub.webhook_secret == SECRET
    assert sub.email == "anna@redaktion.example"
    page = client.get(PAGE).text
    assert "Aviseringarna är sparade." in page
    assert SECRET not in page and "…1234" in page
    assert 'value="anna@redaktion.example"' in page
    # saving again with the secret field left blank keeps the stored secret
    form2 = form | {"webhook_secret": "", "email": "", "csrf_token": csrf_of(page)}
    assert client.post(PAGE, data=form2).status_code == 303
    sub = _subscription(site, "anna")
    assert sub is not None and sub.webhook_secret == SECRET and sub.email is None


def test_bad_values_come_back_with_the_error_and_nothing_stored(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    response = client.post(
        PAGE,
        data={
            "email": "<b>inte en adress</b>",
            "webhook_url": "",
            "webhook_secret": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "är ingen e-postadress" in response.text
    assert "<b>inte" not in response.text and "&lt;b&gt;inte en adress" in response.text
    response = client.post(
        PAGE,
        data={
            "webhook_url": "https://hooks.example/x",
            "webhook_secret": "kort",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422 and "16" in response.text
    assert 'value="kort"' not in response.text  # a secret is never sent back, not even a bad one
    assert _subscription(site, "anna") is None
    for url in ("http://[::1/x", "http://exämple..com/"):  # urllib, then httpx cannot read it
        response = client.post(
            PAGE, data={"webhook_url": url, "webhook_secret": SECRET, "csrf_token": token}
        )
        assert response.status_code == 422 and "går inte att läsa" in response.text
    assert _subscription(site, "anna") is None


def test_recent_deliveries_are_listed_escaped_and_digests_can_be_turned_off(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    client.post(PAGE, data={"email": "anna@redaktion.example", "csrf_token": token})
    sub = _subscription(site, "anna")
    assert sub is not None
    with site.store.session() as s:
        subs.add_delivery(
            s,
            sub.id,
            channel="webhook",
            status="failed",
            attempts=3,
            error="webhook answered <script>x</script>",
            payload={},
        )
    page = client.get(PAGE).text
    assert "misslyckades" in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    # bo sees none of anna's
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    login(client, "bo")
    assert "Inga utskick än." in client.get(PAGE).text
    client.post("/logout", data={"csrf_token": csrf_of(client.get(PAGE).text)})
    token = login(client, "anna")
    response = client.post(PAGE, data={"action": "off", "csrf_token": token})
    assert response.status_code == 303
    assert _subscription(site, "anna") is None
    assert "Aviseringarna är avstängda." in client.get(PAGE).text


def test_an_unknown_tracker_is_404(client: TestClient) -> None:
    login(client, "anna")
    assert client.get("/edit/trackers/finns-inte/notifications").status_code == 404


def test_an_archived_trackers_page_says_no_digests_are_sent(client: TestClient, site: Site) -> None:
    from lofte.review.tracker_admin import archive_tracker, unarchive_tracker

    login(client, "anna")
    assert 'id="notify-archived"' not in client.get(PAGE).text
    archive_tracker(site.store, site.slug, actor="admin")
    page = client.get(PAGE).text
    assert "Mätaren är arkiverad: inga sammanfattningar skickas" in page
    unarchive_tracker(site.store, site.slug, actor="admin")
    assert 'id="notify-archived"' not in client.get(PAGE).text
