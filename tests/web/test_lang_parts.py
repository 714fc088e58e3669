"""Swedish names inside an English UI sentence are marked as Swedish (`lang="sv"`), escaped."""

from __future__ import annotations

import lxml.html
from fastapi.testclient import TestClient
from markupsafe import Markup

from lofte.model import SourceKind, VerdictStatus
from lofte.review import pledges as pledge_review
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow
from lofte.web.i18n import format_text
from lofte.web.templating import swedish

from .conftest import Site, login


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


# Swedish content on English pages: the tracker's own words (its name, jurisdiction and parties,
# document titles, sources, quotes) and its editors' (rationales, reasons) inside lang="sv"
# wherever a page shows them, as the public pages mark quotes and areas (QA).
TRACKER_NAME = "Sjövik 2022–2026"
PARTIES = ["Socialdemokraterna", "Vänsterpartiet"]
RATIONALE = "Simhallen invigdes i mars."
REASON = "Gäller rätt simhall."


def outside_swedish(html: str, texts: list[str]) -> list[str]:
    """Of `texts`, those the page's body shows in a text node that no lang="sv" element holds
    (each once, in the order given). Each must be on the page: a text it lacks proves nothing."""
    page = lxml.html.fromstring(html)
    shown: set[str] = set()
    found: set[str] = set()
    for node in page.xpath("//body//text()"):
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        held = {t for t in texts if t in node}
        shown |= held
        if owner.xpath("ancestor-or-self::*[@lang][1]/@lang") != ["sv"]:
            found |= held
    assert shown == set(texts), f"not on the page: {set(texts) - shown}"
    return [t for t in texts if t in found]


def _named_tracker(site: Site) -> None:
    """The tracker's jurisdiction and parties named in Swedish words, a party on pledges,
    and the program filed under a source."""
    with site.store.session() as s:
        tracker = tracker_store.get_tracker_row(s, site.slug)
        tracker.jurisdiction = "Sjöviks kommun"
        tracker.actors = PARTIES
        source = tracker_store.ensure_source(s, tracker.id, "Valprogram", SourceKind.PROGRAM)
        s.get(DocumentRow, site.program).source_id = source.id
    for pledge_id in (site.pool, site.preschool, site.trees):
        pledge_review.edit(site.store, pledge_id, party="Vänsterpartiet", actor="anna")


def test_editor_pages_mark_swedish_content_on_an_english_page(
    client: TestClient, site: Site
) -> None:
    _named_tracker(site)
    decide_evidence(site.store, site.ev_pool, True, actor="anna", reason=REASON)
    set_verdict(site.store, site.pool, VerdictStatus.KEPT, RATIONALE, [site.ev_pool], actor="anna")
    login(client, "anna")
    client.get("/edit?lang=en")

    pledge = client.get(f"/edit/pledges/{site.pool}").text
    assert '<html lang="en">' in pledge
    # the back link's tracker, the source's and the evidence's titles (heading and the
    # verdict form's checkbox), the matched words, the decision's reason, the rationale in
    # the timeline and in the history, a neighbour's words in the merge form
    assert pledge.count(RATIONALE) == 2
    assert (
        outside_swedish(
            pledge,
            [
                TRACKER_NAME,
                "Valprogram 2022",
                "Nyhet: pool",
                "simhall",
                REASON,
                RATIONALE,
                "Vi ska plantera tusen träd",
            ],
        )
        == []
    )

    queue = client.get(f"/edit/trackers/{site.slug}/queue").text
    # the heading, the filters' areas, parties and documents, a suggestion's party and
    # matched words
    assert (
        outside_swedish(
            queue, [TRACKER_NAME, "Idrott och fritid", "Vänsterpartiet", "Nyhet: trees", "Träden"]
        )
        == []
    )

    document = client.get(f"/edit/documents/{site.news['pool']}").text
    assert outside_swedish(document, ["Nyhet: pool"]) == []

    worklist = client.get(f"/edit/trackers/{site.slug}/worklist").text
    assert outside_swedish(worklist, [TRACKER_NAME, "Skola", "Vänsterpartiet"]) == []


def test_public_pages_mark_parties_jurisdiction_sources_and_tracker_names(
    client: TestClient, site: Site
) -> None:
    _named_tracker(site)
    client.get("/?lang=en")
    pages = {
        "/": ["Sjöviks kommun", "Socialdemokraterna, Vänsterpartiet"],
        # the facts list and the party table's link
        f"/trackers/{site.slug}": ["Sjöviks kommun", "Socialdemokraterna", "Vänsterpartiet"],
        # the Party drop-down and the meta line of each pledge
        f"/trackers/{site.slug}/pledges": ["Vänsterpartiet"],
        f"/pledges/{site.pool}": ["Vänsterpartiet", "Valprogram"],
        f"/documents/{site.program}": ["Valprogram"],
        "/search?q=simhall": [TRACKER_NAME],  # the Tracker drop-down
    }
    for path, texts in pages.items():
        assert outside_swedish(client.get(path).text, texts) == [], path
