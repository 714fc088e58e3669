"""Editors set and clear a pledge's deadline on its page; readers see it flagged once passed
without a verdict; the end-of-term worklist (web/editor_term.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from lofte.review import deadlines
from lofte.store.schema import PledgeRow, VerdictRow

from .conftest import Site, login


def _version(site: Site, pledge_id: int) -> int:
    with site.store.session() as s:
        return s.get(PledgeRow, pledge_id).version


def _post(client: TestClient, token: str, pledge_id: int, version: int, **data: str) -> object:
    return client.post(
        f"/edit/pledges/{pledge_id}/deadline",
        data={"csrf_token": token, "expected_version": str(version), **data},
    )


def test_an_editor_sets_a_deadline_and_readers_see_it_passed(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    page = client.get(f"/edit/pledges/{site.pool}").text
    assert f'action="/edit/pledges/{site.pool}/deadline"' in page and "Ingen tidsfrist" in page
    answer = _post(client, token, site.pool, _version(site, site.pool), deadline="2023-06-30")
    assert answer.status_code == 303, answer.text
    assert 'value="2023-06-30"' in client.get(f"/edit/pledges/{site.pool}").text
    client.post("/logout", data={"csrf_token": token})
    public = client.get(f"/pledges/{site.pool}").text
    assert 'datetime="2023-06-30"' in public and "Tidsfristen har passerat" in public
    assert "satt av redaktionen" in public
    assert "Deadline passed" in client.get(f"/pledges/{site.pool}?lang=en").text
    twin = client.get(f"/api/pledges/{site.pool}").json()
    assert (twin["deadline"], twin["deadline_source"], twin["deadline_passed"]) == (
        "2023-06-30",
        "editor",
        True,
    )
    listed = client.get("/api/trackers/sjovik/pledges").json()["pledges"]
    pool = next(p for p in listed if p["id"] == site.pool)
    assert pool["deadline"] == "2023-06-30" and pool["deadline_passed"] is True
    assert "Tidsfristen har passerat" in client.get("/trackers/sjovik/pledges?lang=sv").text
    # a verdict settles it: the date stays, the flag goes
    with site.store.session() as s:
        s.add(VerdictRow(pledge_id=site.pool, status="kept", rationale="Klar."))
    public = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert 'datetime="2023-06-30"' in public and "Tidsfristen har passerat" not in public
    assert client.get(f"/api/pledges/{site.pool}").json()["deadline_passed"] is False


def test_a_future_or_cleared_deadline_is_not_flagged(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    assert (
        _post(
            client, token, site.pool, _version(site, site.pool), deadline="2099-01-01"
        ).status_code
        == 303
    )
    twin = client.get(f"/api/pledges/{site.pool}").json()
    assert twin["deadline"] == "2099-01-01" and twin["deadline_passed"] is False
    answer = _post(client, token, site.pool, _version(site, site.pool), action="clear")
    assert answer.status_code == 303, answer.text
    twin = client.get(f"/api/pledges/{site.pool}").json()
    assert (twin["deadline"], twin["deadline_source"], twin["deadline_passed"]) == (
        None,
        None,
        False,
    )
    with site.store.session() as s:
        assert s.get(PledgeRow, site.pool).deadline is None


def test_a_stale_version_is_409_with_the_input_kept_and_a_bad_date_422(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    seen = _version(site, site.pool)
    assert _post(client, token, site.pool, seen, deadline="2026-01-01").status_code == 303
    stale = _post(client, token, site.pool, seen, deadline="2027-03-03")
    assert stale.status_code == 409
    assert 'value="2027-03-03"' in stale.text
    with site.store.session() as s:
        assert s.get(PledgeRow, site.pool).deadline == dt.date(2026, 1, 1)
    bad = _post(client, token, site.pool, _version(site, site.pool), deadline="1 mars")
    assert bad.status_code == 422 and "ÅÅÅÅ-MM-DD" in bad.text


def test_a_viewer_may_not_set_a_deadline(client: TestClient, site: Site) -> None:
    token = login(client, "vera")
    answer = _post(client, token, site.pool, _version(site, site.pool), deadline="2026-01-01")
    assert answer.status_code == 403
    assert client.get("/edit/trackers/sjovik/worklist").status_code == 200  # may look


def test_the_worklist_shows_overdue_first_and_whether_the_term_ended(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/edit/trackers/sjovik/worklist").status_code in (302, 303, 401)
    with site.store.session() as s:
        trees = s.get(PledgeRow, site.trees)
        trees.deadline = dt.date(2025, 1, 1)
        trees.state = "confirmed"  # the worklist is of confirmed pledges; candidates counted
        s.add(VerdictRow(pledge_id=site.children[1], status="kept", rationale="Klart."))
    login(client, "anna")
    monkeypatch.setattr(deadlines, "today_utc", lambda: dt.date(2026, 11, 1))
    page = client.get("/edit/trackers/sjovik/worklist").text
    assert "Mandatperioden slutade" in page
    rows = page.split("<tbody>")[1]
    # the overdue one first; then by area (Idrott, Skola); the kept part is not open
    assert (
        rows.index(f'href="/edit/pledges/{site.trees}"')
        < rows.index(f'href="/edit/pledges/{site.pool}"')
        < rows.index(f'href="/edit/pledges/{site.preschool}"')
    )
    assert f'href="/edit/pledges/{site.children[1]}"' not in rows
    assert f'href="/edit/pledges/{site.vague}"' not in rows  # rejected
    assert "Försenat" in rows and f'href="/edit/pledges/{site.pool}#verdict-heading"' in rows
    assert "&lt;script&gt;" in rows and "<script>alert" not in page  # the quote is escaped
    monkeypatch.setattr(deadlines, "today_utc", lambda: dt.date(2026, 1, 1))
    assert "Mandatperioden pågår" in client.get("/edit/trackers/sjovik/worklist").text
    assert client.get("/edit/trackers/nowhere/worklist").status_code == 404
