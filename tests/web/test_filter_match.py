"""The area and party filters match one key everywhere (QA): the pages, their JSON twins and
/api/v1 ignore case, spacing and bidi or other format controls alike, and a refusal lists
the values there are as plain strings a client can send back."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.review import pledges as pledge_review
from lofte.store.schema import PledgeRow

from .conftest import Site

# as a heading copied from the web carries it: a right-to-left override inside
BIDI_AREA = 'Jobb & "arbete" \u202eRTL'
BIDI_PARTY = "Mp\u200f"


def _option_values(page: str, select: str) -> list[str]:
    """The values of a select's options as a browser sends them back."""
    found = re.search(rf'<select id="{select}" name="[a-z]+">(.*?)</select>', page, re.S)
    assert found, select
    return [html.unescape(v) for v in re.findall(r'value="([^"]*)"', found.group(1)) if v]


def test_an_area_with_a_bidi_control_round_trips_through_the_filter_form(
    client: TestClient, site: Site
) -> None:
    """QA: the option's value lost its U+202E on the page (the output filter drops bidi
    controls), and the list then said no pledge has that area."""
    pledge_review.edit(site.store, site.pool, area=BIDI_AREA, actor="anna")
    sent = next(
        v
        for v in _option_values(client.get("/trackers/sjovik/pledges").text, "f-area")
        if v.startswith("Jobb")
    )
    assert sent == 'Jobb & "arbete" RTL'  # what a browser sends: no override
    page = client.get("/trackers/sjovik/pledges", params={"area": sent})
    assert "Inget av löftena" not in page.text
    assert f'href="/pledges/{site.pool}"' in page.text
    assert 'value="Jobb &amp; &#34;arbete&#34; RTL" selected' in page.text
    twin = client.get("/api/trackers/sjovik/pledges", params={"area": sent}).json()
    assert (twin["total"], twin["filters"]["area_known"]) == (1, True)
    assert twin["filters"]["area"] == BIDI_AREA  # as stored
    v1 = client.get("/api/v1/pledges", params={"area": sent})
    assert v1.status_code == 200 and [p["id"] for p in v1.json()["items"]] == [site.pool]


def test_a_party_with_a_bidi_mark_round_trips_through_the_filter_form(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.get(PledgeRow, site.pool).party = BIDI_PARTY  # as an import could have stored it
    sent = next(
        v
        for v in _option_values(client.get("/trackers/sjovik/pledges").text, "f-party")
        if v.startswith("Mp")
    )
    assert sent == "Mp"
    twin = client.get("/api/trackers/sjovik/pledges", params={"party": sent}).json()
    assert [p["id"] for p in twin["pledges"]] == [site.pool]
    assert twin["filters"]["party"] == BIDI_PARTY
    v1 = client.get("/api/v1/pledges", params={"party": sent})
    assert v1.status_code == 200 and [p["id"] for p in v1.json()["items"]] == [site.pool]


def test_a_refused_filter_value_lists_the_known_ones_as_plain_text(
    client: TestClient, site: Site
) -> None:
    """QA: the known values came as Python reprs ('…\\u202eRTL'), which no client can send
    back as the value they name."""
    pledge_review.edit(site.store, site.pool, area=BIDI_AREA, actor="anna")
    refused = client.get("/api/v1/pledges", params={"area": "Skol"})
    assert refused.status_code == 400
    message = refused.json()["error"]
    assert BIDI_AREA in message and "\\u202e" not in message and "'Skola'" not in message
    known = message.split("known: ", 1)[1].split("; ")
    assert BIDI_AREA in known and "Skola" in known
    back = client.get("/api/v1/pledges", params={"area": known[known.index(BIDI_AREA)]})
    assert back.status_code == 200 and back.json()["total"] == 1


def test_pages_twins_and_the_api_match_areas_and_parties_alike(
    client: TestClient, site: Site
) -> None:
    """QA: /api/v1 refused two spaces inside a name that the pages and their twins accept."""
    pledge_review.edit(site.store, site.pool, party="S", actor="anna")
    with site.store.session() as s:
        s.get(PledgeRow, site.preschool).party = "Miljö partiet"
    for name, spelled, wanted in (
        ("area", "idrott  och\tFRITID", {site.pool}),
        ("area", " Idrott och\u200e fritid ", {site.pool}),
        ("party", "miljö  Partiet", {site.preschool}),
        ("party", "\u2066s\u2069", {site.pool}),
    ):
        v1 = client.get("/api/v1/pledges", params={name: spelled})
        assert v1.status_code == 200, (name, spelled, v1.text)
        twin = client.get("/api/trackers/sjovik/pledges", params={name: spelled}).json()
        assert {p["id"] for p in v1.json()["items"]} == wanted, (name, spelled)
        assert {p["id"] for p in twin["pledges"]} == wanted, (name, spelled)
