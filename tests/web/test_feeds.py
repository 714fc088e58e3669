"""The RSS feed stays valid XML whatever the stored text holds."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import lxml.etree
from fastapi.testclient import TestClient

from lofte.store.schema import DocumentRow, PledgeRow, VerdictRow

from .conftest import Site, login

HOSTILE = "ok\x01\x0cbad\x7f\x85\ufffe\U0001fffe"


def _feed(client: TestClient) -> bytes:
    response = client.get("/trackers/sjovik/feed.xml")
    assert response.status_code == 200
    ET.fromstring(response.content)  # both parsers are strict about XML's characters
    lxml.etree.fromstring(response.content)
    return response.content


def test_a_rationale_with_control_characters_from_the_form_is_cleaned(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    with site.store.session() as s:
        version = s.get(PledgeRow, site.pool).version
    response = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={
            "status": "in_the_works",
            "rationale": HOSTILE + "\r\nrad två",
            "csrf_token": token,
            "expected_version": str(version),
        },
    )
    assert response.status_code == 303, response.text
    with site.store.session() as s:
        stored = s.query(VerdictRow).filter_by(pledge_id=site.pool).one().rationale
    assert stored == "okbad\nrad två"
    root = ET.fromstring(_feed(client))
    assert root.findtext("./channel/item/description") == "okbad\nrad två"


def test_the_feed_is_valid_even_when_a_stored_row_holds_control_characters(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.add(VerdictRow(pledge_id=site.pool, status="kept", rationale=HOSTILE))
        s.get(PledgeRow, site.pool).area = "Idrott\x0b"
        s.get(PledgeRow, site.pool).quote = "Vi ska\x1b bygga \x1fen simhall."
        s.get(DocumentRow, site.program).title = "Val\x1bprogram"
    root = ET.fromstring(_feed(client))
    item = root.find("./channel/item")
    assert item is not None
    assert item.findtext("description") == "okbad"
    assert item.findtext("category") == "Idrott"
    assert item.findtext("title", "").endswith("Vi ska bygga en simhall.")


def test_bidi_controls_do_not_reach_the_feed(client: TestClient, site: Site) -> None:
    with site.store.session() as s:
        s.add(VerdictRow(pledge_id=site.pool, status="kept", rationale="\u202eokej\u202c"))
    assert "\u202e".encode() not in _feed(client)
