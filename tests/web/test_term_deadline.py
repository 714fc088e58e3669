"""A pledge due "under mandatperioden" is due on its tracker's term end (here 2026-09-13) on
every public page and JSON answer that states its deadline; without a term end, on 30
September of the election year, as before."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from lofte.store.schema import PledgeRow, TrackerRow

from .conftest import Site


def _for_the_term(site: Site, term_end: dt.date | None) -> None:
    with site.store.session() as s:
        pledge = s.get(PledgeRow, site.pool)
        assert pledge is not None
        pledge.attributes = pledge.attributes | {
            "deadline": "under mandatperioden",
            "deadline_year": 2026,
        }
        tracker = s.get(TrackerRow, pledge.tracker_id)
        assert tracker is not None
        tracker.term_end = term_end


def _deadlines(client: TestClient, site: Site) -> dict[str, str | None]:
    """The pool pledge's deadline in each public answer that states one."""

    def found(items: list[dict[str, object]]) -> str | None:
        (pledge,) = [p for p in items if p["id"] == site.pool]
        return pledge["deadline"]  # type: ignore[return-value]

    return {
        "page data": client.get(f"/api/pledges/{site.pool}").json()["deadline"],
        "api pledge": client.get(f"/api/v1/pledges/{site.pool}").json()["deadline"],
        "api list": found(client.get("/api/v1/pledges?tracker=sjovik").json()["items"]),
        "pledge list": found(client.get("/api/trackers/sjovik/pledges").json()["pledges"]),
        "document": found(client.get(f"/api/documents/{site.program}").json()["pledges"]),
        "search": found(client.get("/api/search?q=simhall").json()["pledges"]["hits"]),
    }


@pytest.mark.parametrize(
    ("term_end", "due", "source", "said"),
    [
        (dt.date(2026, 9, 13), "2026-09-13", "term", "mandatperiodens slut, som löftets text"),
        (None, "2026-09-30", "text", "enligt löftets text"),
    ],
)
def test_a_pledge_for_the_term_is_due_on_the_trackers_term_end(
    client: TestClient, site: Site, term_end: dt.date | None, due: str, source: str, said: str
) -> None:
    _for_the_term(site, term_end)
    assert _deadlines(client, site) == dict.fromkeys(
        ("page data", "api pledge", "api list", "pledge list", "document", "search"), due
    )
    # the day set on the tracker is not "from the pledge's text" alone (QA)
    assert client.get(f"/api/v1/pledges/{site.pool}").json()["deadline_source"] == source
    page = client.get(f"/pledges/{site.pool}").text
    assert due in page and said in page


@pytest.mark.parametrize(("term_end", "over"), [(dt.date(2026, 9, 13), True), (None, False)])
def test_once_the_term_is_over_the_meter_and_open_pledges_say_so(
    client: TestClient, site: Site, term_end: dt.date | None, over: bool
) -> None:
    """QA at the term's end: after the election the meter and a pledge "in the works" read as
    if the term were running. A group (checked through its parts) and a removed pledge are
    not said to lack a final verdict (review)."""
    _for_the_term(site, term_end)
    meter = client.get("/trackers/sjovik").text
    assert ("Mandatperioden slutade " in meter) is over
    assert ("slutlig bedömning" in meter) is over
    english = client.get("/trackers/sjovik?lang=en").text
    assert ("The term ended on 13 September 2026." in english) is over
    pledge = client.get(f"/pledges/{site.pool}?lang=sv").text  # not rated
    assert ("och löftet har ingen slutlig bedömning." in pledge) is over
    # nothing "yet" once the term is over (QA)
    assert ("<p>Inte bedömt.</p>" in pledge and "<p>Inga belägg.</p>" in pledge) is over
    assert ("Inte bedömt ännu." in pledge and "Inga belägg ännu." in pledge) is not over
    assert client.get("/api/trackers/sjovik").json()["term_ended"] is over
    assert client.get(f"/api/pledges/{site.pool}").json()["open_at_term_end"] is over
    for other in (site.group, site.vague):  # a group; a removed pledge
        page = client.get(f"/pledges/{other}?lang=sv")
        assert page.status_code == 200 and "ingen slutlig bedömning" not in page.text, other
