"""Swedish names inside an English UI sentence are marked as Swedish (`lang="sv"`), escaped."""

from __future__ import annotations

import lxml.html
from fastapi.testclient import TestClient
from markupsafe import Markup

from lofte.web.i18n import format_text
from lofte.web.templating import swedish

from .conftest import Site


def test_a_marked_value_keeps_its_span_and_everything_else_is_escaped() -> None:
    text = format_text("pledges_in_area", "en", area=swedish("Skola & <fritid>"))
    assert isinstance(text, Markup)
    assert text == 'in <span lang="sv">Skola &amp; &lt;fritid&gt;</span>'
    # plain values stay plain text, for titles and attributes
    assert format_text("pledges_in_area", "en", area="Skola") == "in Skola"


def test_an_area_in_the_english_heading_and_follow_link_is_marked_swedish(
    client: TestClient, site: Site
) -> None:
    html = client.get("/trackers/sjovik/pledges?area=Skola&lang=en").text
    page = lxml.html.fromstring(html)
    heading = page.xpath("//h1")[0]
    assert "Skola" in [s.text for s in heading.xpath(".//span[@lang='sv']")]
    follow = page.xpath("//p[@class='follow']/a")[0]
    assert [s.text for s in follow.xpath(".//span[@lang='sv']")] == ["Skola"]
    # the title is text only: no markup in it
    assert "<span" not in page.xpath("//title")[0].text_content()
    assert "Skola" in page.xpath("//title")[0].text_content()
