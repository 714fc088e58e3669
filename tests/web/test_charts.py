"""The meter's charts answer with valid SVG whatever the stored areas hold."""

from __future__ import annotations

import lxml.etree
from fastapi.testclient import TestClient

from lofte.store.schema import PledgeRow

from .conftest import Site, login


def _areas_chart(client: TestClient) -> lxml.etree._Element:
    response = client.get("/trackers/sjovik/charts/areas.svg")
    assert response.status_code == 200
    return lxml.etree.fromstring(response.content)


def _labels(svg: lxml.etree._Element) -> str:
    return " ".join(svg.itertext())


def test_an_area_with_a_control_character_from_the_form_is_cleaned(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    with site.store.session() as s:
        version = s.get(PledgeRow, site.trees).version
    response = client.post(
        f"/edit/pledges/{site.trees}/edit",
        data={
            "start": "",
            "end": "",
            "area": "Miljö\x0boch klimat",
            "topic": "",
            "csrf_token": token,
            "expected_version": str(version),
        },
    )
    assert response.status_code == 303, response.text
    with site.store.session() as s:
        assert s.get(PledgeRow, site.trees).area == "Miljöoch klimat"
    assert "Miljöoch klimat" in _labels(_areas_chart(client))


def test_the_chart_is_valid_even_when_a_stored_area_holds_control_characters(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.get(PledgeRow, site.trees).area = "Miljö\x0b\x01\x9f"
        s.get(PledgeRow, site.pool).area = "\u202eIdrott"
    labels = _labels(_areas_chart(client))
    assert "Miljö" in labels and "\u202e" not in labels
    for name in ("status", "term"):
        assert client.get(f"/trackers/sjovik/charts/{name}.svg").status_code == 200


def test_long_area_names_are_wrapped_not_cut(client: TestClient, site: Site) -> None:
    from lofte.web.charts import AREA_LABEL_CHARS, wrap_label

    long = "Arbetsmarknad, näringsliv och stadens ekonomi samt kommunstyrelsens ansvar"
    with site.store.session() as s:
        s.get(PledgeRow, site.trees).area = long
    svg = _areas_chart(client)
    tspans = [e.text for e in svg.iter("{http://www.w3.org/2000/svg}tspan")]
    assert " ".join(wrap_label(long)) == long  # every word is there, in order
    assert all(len(line) <= AREA_LABEL_CHARS for line in wrap_label(long))
    assert all(line in tspans for line in wrap_label(long))
    assert len(wrap_label(long)) >= 2
    assert int(svg.get("height")) >= 40 + 17 * len(wrap_label(long))
    bars = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") == "24"]
    assert bars and all(float(r.get("width")) > 100 for r in bars)  # not a few pixels
    assert wrap_label("x" * 50, 20) == ["x" * 19 + "-", "x" * 19 + "-", "x" * 12]


def test_count_axes_tick_in_whole_numbers() -> None:
    """pygal's own ticks ran 0, 0.2 … 1.8 for a tracker with two broken pledges."""
    import re

    from lofte.publish.charts import STATUS_ORDER, status_chart, term_chart

    def ticks(svg: bytes) -> list[str]:
        return re.findall(r'<g class="guides"><path[^>]*/><text[^>]*>([^<]*)</text>', svg.decode())

    # the status chart's axis runs one tick past the largest count: room for its printed value
    for counts, want in (({"kept": 1, "broken": 2}, ["0", "1", "2", "3"]), ({"kept": 137}, None)):
        labels = ticks(status_chart(counts, lambda k: k))
        assert labels and all(re.fullmatch(r"\d+", x) for x in labels), labels
        if want:
            assert labels == want
    counts = {s.value: 0 for s in STATUS_ORDER} | {"kept": 3, "broken": 4}
    term = term_chart([{"date": "2023-01", "counts": counts}], lambda k: k)
    labels = ticks(term)
    assert labels and all(re.fullmatch(r"\d+", x) for x in labels) and int(labels[-1]) >= 7


def test_a_chart_is_revalidated_with_its_etag_not_downloaded_again(
    client: TestClient, site: Site
) -> None:
    # QA: the charts went out with no-cache and no validator: the whole SVG on every visit
    first = client.get(f"/trackers/{site.slug}/charts/term-narrow.svg")
    tag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    again = client.get(
        f"/trackers/{site.slug}/charts/term-narrow.svg", headers={"If-None-Match": tag}
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    english = client.get(
        f"/trackers/{site.slug}/charts/term-narrow.svg?lang=en", headers={"If-None-Match": tag}
    )
    assert english.status_code == 200 and english.headers["etag"] != tag  # other words
