"""What every rendered page guarantees about the text it prints."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lofte.store.schema import DocumentRow, PledgeRow, TrackerRow

from .conftest import Site, login

BIDI = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_in_stored_text_cannot_reorder_the_page(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.get(DocumentRow, site.program).title = "Valprogram \u202eevil\u202c 2022"
        s.get(PledgeRow, site.pool).area = "Idrott\u2067 och fritid"
        s.query(TrackerRow).one().name = "Sjövik\u202d 2022–2026" + BIDI
    pages = [
        "/",
        "/trackers/sjovik",
        "/trackers/sjovik/documents",
        "/trackers/sjovik/pledges",
        f"/pledges/{site.pool}",
        f"/documents/{site.program}",
        "/search?q=simhall",
    ]
    login(client, "admin1")
    pages += [
        "/edit",
        f"/edit/pledges/{site.pool}",
        "/edit/trackers/sjovik/pledges?state=confirmed",
    ]
    for url in pages:
        html = client.get(url).text
        assert not any(ch in html for ch in BIDI), url
    assert "Valprogram evil 2022" in client.get(f"/documents/{site.program}").text
    assert "Idrott och fritid" in client.get(f"/pledges/{site.pool}").text
    # the JSON twins carry the data as stored: they are data, not a page
    assert "\u202e" in client.get(f"/api/documents/{site.program}").json()["title"]


def test_every_pledge_attribute_has_a_label_in_both_languages() -> None:
    from lofte.pipeline.attributes import Term, pledge_attributes
    from lofte.web.i18n import STRINGS

    sentence = "Om staten betalar ska vi bygga 500 bostäder under nästa mandatperiod."
    keys = set(pledge_attributes(sentence, Term.after_election(2022))) | {
        "rank",
        "precision",
        "method",
    }
    assert {"deadline_year", "quantity", "conditional"} <= keys
    for key in keys:
        assert set(STRINGS[f"attr_{key}"]) == {"sv", "en"}, key
