"""The editors' page of watched sources: `/edit/trackers/{slug}/sources`."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from lofte.store import audit, watched
from lofte.watch import sources as source_admin
from tests.web.conftest import SCRIPT, Site, login

T0 = dt.datetime(2026, 1, 5, 8, 0)


def _source(site: Site) -> int:
    source = source_admin.add(
        site.store, site.slug, "nyheter", "https://example.se/nyheter", actor="tester", every="6h"
    )
    with site.store.session() as s:
        watched.record_run(
            s, source.id, watched.NewRun(T0, T0, "ok", fetched=4, new=3, unchanged=1)
        )
        details = {
            "items_failed": [{"url": "https://example.se/a/9", "error": f"HTTP 404 {SCRIPT}"}]
        }
        failed = watched.NewRun(
            T0 + dt.timedelta(hours=6), T0 + dt.timedelta(hours=6), "failed",
            fetched=1, failed=1, error=f"HTTP 500 {SCRIPT}", details=details,
        )  # fmt: skip
        watched.record_run(s, source.id, failed)
    return source.id


def test_the_page_shows_sources_and_runs_escaped(client: TestClient, site: Site) -> None:
    _source(site)
    login(client, "vera")  # a viewer may look
    page = client.get(f"/edit/trackers/{site.slug}/sources")
    assert page.status_code == 200
    html = page.text
    assert "https://example.se/nyheter" in html and "6h" in html
    assert "HTTP 500 &lt;script&gt;" in html and SCRIPT not in html
    assert "https://example.se/a/9" in html
    assert "<td>3</td>" in html  # the first run's new documents
    assert "/pause" not in html  # no buttons for a viewer


def test_an_editor_pauses_and_resumes_with_csrf(client: TestClient, site: Site) -> None:
    source_id = _source(site)
    token = login(client, "anna")
    url = f"/edit/trackers/{site.slug}/sources/{source_id}/pause"
    assert f'action="{url}"' in client.get(f"/edit/trackers/{site.slug}/sources").text
    assert client.post(url, data={"paused": "1"}).status_code == 403  # no token
    response = client.post(url, data={"paused": "1", "csrf_token": token})
    assert response.status_code == 303
    with site.store.session() as s:
        assert watched.get_source_by_id(s, source_id).paused
        events = audit.list_events(s, entity_type="source", entity_id=source_id)
    assert [(e.action, e.actor) for e in events][-1] == ("source.pause", "anna")
    page = client.get(f"/edit/trackers/{site.slug}/sources").text
    assert "Källan nyheter är pausad." in page
    again = client.post(url, data={"paused": "1", "csrf_token": token})
    assert again.status_code == 409 and "redan pausad" in again.text
    assert client.post(url, data={"paused": "0", "csrf_token": token}).status_code == 303
    with site.store.session() as s:
        assert not watched.get_source_by_id(s, source_id).paused


def test_viewers_cannot_pause_and_other_trackers_sources_are_not_found(
    client: TestClient, site: Site
) -> None:
    source_id = _source(site)
    token = login(client, "vera")
    url = f"/edit/trackers/{site.slug}/sources/{source_id}/pause"
    assert client.post(url, data={"paused": "1", "csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "anna")
    from lofte.store import trackers as tracker_store

    with site.store.session() as s:
        tracker_store.add_tracker(s, "annan", "Annan")
    wrong = f"/edit/trackers/annan/sources/{source_id}/pause"
    assert client.post(wrong, data={"paused": "1", "csrf_token": token}).status_code == 404
    assert client.get("/edit/trackers/finns-inte/sources").status_code == 404
    with site.store.session() as s:
        assert not watched.get_source_by_id(s, source_id).paused


def test_the_page_needs_login(client: TestClient, site: Site) -> None:
    response = client.get(f"/edit/trackers/{site.slug}/sources")
    assert response.status_code == 303 or response.status_code == 302
    assert "/login" in response.headers["location"]


def test_every_shape_and_run_status_has_both_languages() -> None:
    from lofte.web.i18n import STRINGS

    for key in [f"shape_{v}" for v in watched.SHAPES] + [
        f"runstatus_{v}" for v in watched.RUN_STATUSES
    ]:
        assert set(STRINGS[key]) == {"sv", "en"}, key
