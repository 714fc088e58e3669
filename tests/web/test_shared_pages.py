"""Public pages rendered once per change of their tracker for anonymous readers
(templating.Pages.shared_body), never shared with a logged-in editor, and /healthz lean."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.review import verdicts
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow, PledgeRow

from .conftest import Site, login, make_app, make_client


def _renders(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    pages = client.app.state.pages  # type: ignore[attr-defined]
    seen: list[str] = []
    real = pages.render

    def counting(request: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(name)
        return real(request, name, *args, **kwargs)

    monkeypatch.setattr(pages, "render", counting)
    return seen


def test_an_anonymous_meter_page_is_rendered_once_per_change(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = _renders(client, monkeypatch)
    first = client.get("/trackers/sjovik")
    second = client.get("/trackers/sjovik")
    assert first.status_code == second.status_code == 200
    assert first.text == second.text and rendered == ["meter.html"]
    assert second.headers["content-type"] == "text/html; charset=utf-8"
    assert second.headers["content-security-policy"]  # SecurityHeaders on the cached answer
    assert "set-cookie" not in second.headers
    before = client.get("/api/trackers/sjovik").json()["meter"]["counts"]["in_the_works"]
    verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
    )
    third = client.get("/trackers/sjovik")
    assert third.text != second.text and rendered == ["meter.html", "meter.html"]
    assert client.get("/api/trackers/sjovik").json()["meter"]["counts"]["in_the_works"] == (
        before + 1
    )


def test_charts_follow_a_verdict_at_once(client: TestClient, site: Site) -> None:
    first = client.get("/trackers/sjovik/charts/status.svg")
    assert client.get("/trackers/sjovik/charts/status.svg").text == first.text
    verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", actor="anna"
    )
    after = client.get("/trackers/sjovik/charts/status.svg")
    assert after.status_code == 200 and after.text != first.text
    assert after.headers["content-type"].startswith("image/svg+xml")
    assert after.headers["cache-control"] == "no-cache"


def test_a_logged_in_page_is_never_shared(site: Site) -> None:
    app = make_app(site.store)
    anonymous = make_client(site.store, app=app)
    editor = make_client(site.store, app=app)
    login(editor, "anna")
    plain = anonymous.get("/trackers/sjovik").text
    mine = editor.get("/trackers/sjovik").text
    assert "(anna)" in mine and 'name="csrf_token"' in mine
    assert "(anna)" not in plain and "csrf_token" not in plain
    # and after the editor's visit, the anonymous reader still gets the anonymous page
    assert anonymous.get("/trackers/sjovik").text == plain
    assert "(anna)" in editor.get("/trackers/sjovik").text


def test_each_language_gets_its_own_page(client: TestClient, site: Site) -> None:
    swedish = client.get("/trackers/sjovik").text
    english = client.get("/trackers/sjovik?lang=en")
    assert english.status_code == 200 and "lang=en" in english.headers["set-cookie"]
    assert english.text != swedish and '<html lang="en"' in english.text
    by_cookie = client.get("/trackers/sjovik").text  # the cookie chose English
    assert '<html lang="en"' in by_cookie and client.get("/trackers/sjovik").text == by_cookie
    client.cookies.delete("lang")
    assert client.get("/trackers/sjovik").text == swedish


def test_lists_and_home_page_follow_changes(client: TestClient, site: Site) -> None:
    home = client.get("/").text
    documents = client.get("/trackers/sjovik/documents").text
    pledges = client.get("/trackers/sjovik/pledges?area=Skola").text
    with site.store.session() as s:
        tracker_id = s.get_one(PledgeRow, site.pool).tracker_id
        s.add(
            DocumentRow(
                tracker_id=tracker_id,
                origin="sent.txt",
                item_key="0",
                kind="news",
                title="En sen nyhet",
                body="Sent i mandatperioden.",
                content_hash="sent",
                raw_sha256=s.get_one(DocumentRow, site.program).raw_sha256,
                stage="parse:test",
                stage_version="1",
            )
        )
        row = s.get_one(PledgeRow, site.pool)
        row.area, row.version = "Skola", row.version + 1
    assert client.get("/").text != home
    now_documents = client.get("/trackers/sjovik/documents").text
    assert "En sen nyhet" in now_documents and "En sen nyhet" not in documents
    now_pledges = client.get("/trackers/sjovik/pledges?area=Skola").text
    assert "simhall" in now_pledges and "simhall" not in pledges


def test_a_draft_tracker_stays_hidden_with_the_cache(client: TestClient, site: Site) -> None:
    assert client.get("/trackers/sjovik").status_code == 200
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").published_at = None
    for path in ("/trackers/sjovik", "/trackers/sjovik/pledges", "/trackers/sjovik/documents"):
        assert client.get(path).status_code == 404, path
    assert "sjovik" not in client.get("/").text


def test_healthz_is_plain_json_with_the_security_headers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers


def test_a_campaigns_tracking_tags_share_the_kept_page(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newsletter tags each recipient's link (mc_eid, utm_*): each made a cache entry of its
    own and pushed out the pages kept for everyone (QA review). The page does not change with
    the tags, so it is rendered once, and its links do not pass them on."""
    rendered = _renders(client, monkeypatch)
    plain = client.get("/trackers/sjovik").text
    for n in range(3):
        tagged = client.get(f"/trackers/sjovik?utm_source=news&mc_eid=r{n}&fbclid=x{n}")
        assert tagged.status_code == 200 and tagged.text == plain
    assert rendered == ["meter.html"]
    first = client.get("/trackers/sjovik?utm_campaign=val&lang=en").text
    assert "utm_campaign" not in first and "lang=sv" in first  # "På svenska" without the tag
