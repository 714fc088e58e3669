"""The RSS feed stays valid XML whatever the stored text holds."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import quote
from xml.etree import ElementTree as ET

import lxml.etree
import pytest
from fastapi.testclient import TestClient

from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow, VerdictRow

from .conftest import SCRIPT, Site, login

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
    # a line break as a break: the description is HTML to readers, which joined the lines (QA)
    assert root.findtext("./channel/item/description") == "okbad<br>\nrad två"
    page = client.get(f"/pledges/{site.pool}").text
    assert '<p class="rationale" lang="sv" dir="auto">okbad\nrad två</p>' in page  # pre-line


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


# --- feeds that follow a pledge, a party, an area (issue 15) --------------------------------

ATOM_LINK = "{http://www.w3.org/2005/Atom}link"


def _valid(client: TestClient, url: str) -> ET.Element:
    import feedparser

    response = client.get(url)
    assert response.status_code == 200, (url, response.text)
    # XML, so that a browser shows it with its stylesheet (test_feed_page.py)
    assert response.headers["content-type"].startswith("application/xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return ET.fromstring(response.content)


def _accept(site: Site, evidence_id: int) -> None:
    with site.store.session() as s:
        s.get(EvidenceRow, evidence_id).review_state = "accepted"


def test_a_pledges_feed_has_its_verdicts_and_accepted_evidence_newest_first(
    client: TestClient, site: Site
) -> None:
    _accept(site, site.ev_pool)
    with site.store.session() as s:
        s.add(
            VerdictRow(
                pledge_id=site.pool,
                status="in_the_works",
                rationale="Bygget <pågår> & går bra",
                created_at=dt.datetime(2023, 5, 1),
                modified_at=dt.datetime(2023, 5, 1),  # published when recorded
            )
        )
        s.add(
            VerdictRow(
                pledge_id=site.pool,
                status="kept",
                rationale="Invigd.",
                created_at=dt.datetime(2099, 1, 1),
                modified_at=dt.datetime(2099, 1, 1),  # newest whatever the evidence's date
            )
        )
        s.add(
            VerdictRow(
                pledge_id=site.pool,
                status="broken",
                rationale="Ett utkast.",
                published=False,
            )
        )
    root = _valid(client, f"/pledges/{site.pool}/feed.xml")
    items = root.findall("./channel/item")
    guids = [i.findtext("guid") for i in items]
    assert len(items) == 3  # two published verdicts and the accepted evidence, no draft
    assert guids[0].startswith(f"/pledges/{site.pool}#verdict-")
    assert guids[1] == f"/pledges/{site.pool}#evidence-{site.ev_pool}"
    # a description is HTML to readers: the text's "<" and "&" are escaped once more
    assert items[2].findtext("description") == "Bygget &lt;pågår&gt; &amp; går bra"
    assert "Ett utkast." not in ET.tostring(root, encoding="unicode")
    self_link = root.find(f"./channel/{ATOM_LINK}")
    assert self_link is not None and self_link.get("href") == f"/pledges/{site.pool}/feed.xml"
    assert root.findtext("./channel/language") == "sv-SE"
    english = _valid(client, f"/pledges/{site.pool}/feed.xml?lang=en")
    assert english.findtext("./channel/item/title", "").startswith("Kept:")
    # the same under the tracker's path; another tracker's slug is no way in
    assert client.get(f"/trackers/sjovik/pledges/{site.pool}/feed.xml").content == (
        client.get(f"/pledges/{site.pool}/feed.xml").content
    )
    assert client.get(f"/trackers/other/pledges/{site.pool}/feed.xml").status_code == 404


def test_party_and_area_feeds_carry_only_their_pledges_changes(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.get(PledgeRow, site.pool).party = "S"
        s.add(VerdictRow(pledge_id=site.pool, status="kept", rationale="Simhallen är klar."))
        s.add(VerdictRow(pledge_id=site.trees, status="stalled", rationale="Träden väntar."))
    party = _valid(client, "/trackers/sjovik/parties/s/feed.xml")  # any case
    assert [i.findtext("description") for i in party.findall("./channel/item")] == [
        "Simhallen är klar."
    ]
    assert party.find(f"./channel/{ATOM_LINK}").get("href") == "/trackers/sjovik/parties/S/feed.xml"
    # an actor without pledges has a page, so a feed (empty); an unknown party has neither
    assert _valid(client, "/trackers/sjovik/parties/V/feed.xml").findall("./channel/item") == []
    assert client.get("/trackers/sjovik/parties/M/feed.xml").status_code == 404
    area = f"Miljö {SCRIPT}"
    feed = _valid(client, f"/trackers/sjovik/areas/{quote(area, safe='')}/feed.xml")
    assert [i.findtext("description") for i in feed.findall("./channel/item")] == ["Träden väntar."]
    assert feed.findtext("./channel/item/category") == area  # escaped, read back as text
    assert client.get("/trackers/sjovik/areas/Okänt/feed.xml").status_code == 404
    # kept per party and tracker state: a verdict published since shows at the next poll
    with site.store.session() as s:
        s.add(VerdictRow(pledge_id=site.pool, status="broken", rationale="Stängd igen."))
    again = _valid(client, "/trackers/sjovik/parties/S/feed.xml")
    assert [i.findtext("description") for i in again.findall("./channel/item")] == [
        "Stängd igen.",
        "Simhallen är klar.",
    ]


def test_the_follow_feeds_of_a_draft_tracker_or_a_hidden_pledge_are_404(
    client: TestClient, site: Site
) -> None:
    urls = [
        f"/pledges/{site.pool}/feed.xml",
        "/trackers/sjovik/parties/S/feed.xml",
        "/trackers/sjovik/areas/Skola/feed.xml",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").show_candidates = False
    # an unconfirmed machine pledge is as hidden in its feed as on its page
    assert client.get(f"/pledges/{site.trees}").status_code == 404
    assert client.get(f"/pledges/{site.trees}/feed.xml").status_code == 404
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").published_at = None
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_pages_link_their_feeds(client: TestClient, site: Site) -> None:
    alternate = 'rel="alternate" type="application/rss+xml"'
    pledge = client.get(f"/pledges/{site.pool}").text
    assert alternate in pledge and f'href="/pledges/{site.pool}/feed.xml"' in pledge
    assert "Följ (RSS)" in pledge
    party = client.get("/trackers/sjovik/parties/S").text
    assert alternate in party and 'href="/trackers/sjovik/parties/S/feed.xml"' in party
    assert "Follow (RSS)" in client.get("/trackers/sjovik/parties/S?lang=en").text
    area = client.get("/trackers/sjovik/pledges?area=Skola&lang=sv").text  # after ?lang=en
    assert alternate in area and 'href="/trackers/sjovik/areas/Skola/feed.xml"' in area
    assert alternate not in client.get("/trackers/sjovik/pledges").text  # no area chosen


@pytest.mark.parametrize(
    ("lang", "party_title", "area_title"),
    [
        ("sv", "Löften från S – Sjövik 2022–2026", "Löften inom Skola – Sjövik 2022–2026"),
        ("en", "Pledges of S – Sjövik 2022–2026", "Pledges in Skola – Sjövik 2022–2026"),
    ],
)
def test_the_area_feed_link_is_titled_as_the_party_feed_link(
    client: TestClient, site: Site, lang: str, party_title: str, area_title: str
) -> None:
    """QA: the area feed's link was titled "Skola – Sjövik 2022–2026" in both languages, the
    party feed's "Pledges of S – …"."""
    party = client.get(f"/trackers/sjovik/parties/S?lang={lang}").text
    assert f'title="{party_title}" href="/trackers/sjovik/parties/S/feed.xml' in party
    area = client.get(f"/trackers/sjovik/pledges?area=Skola&lang={lang}").text
    assert f'title="{area_title}" href="/trackers/sjovik/areas/Skola/feed.xml' in area


@pytest.mark.parametrize(
    "area",
    ["Skola/förskola", "Skola/../förskola", "Vad? Nu", "Nr #1", "100% grönt", "Å ä ö/", "/Fri tid"],
)
def test_the_area_links_on_the_pages_reach_the_areas_feed_whatever_its_name(
    client: TestClient, site: Site, area: str
) -> None:
    # the feed link was built with `urlencode`, which leaves "/" as is: the name became several
    # path segments, and a client drops "/../" (the link reached another address, or a 404)
    with site.store.session() as s:
        s.get(PledgeRow, site.trees).area = area
        s.add(VerdictRow(pledge_id=site.trees, status="stalled", rationale="Träden väntar."))
    pledge = client.get(f"/pledges/{site.trees}").text
    found = re.search(r'<dd lang="sv"><a href="([^"]*)">', pledge)
    assert found, pledge
    listing = client.get(html.unescape(found.group(1)))
    assert listing.status_code == 200 and f"/pledges/{site.trees}" in listing.text
    found = re.search(r'<p class="follow"><a href="([^"]*)"', listing.text)
    assert found, listing.text
    feed = _valid(client, html.unescape(found.group(1)))
    assert [i.findtext("category") for i in feed.findall("./channel/item")] == [area]
    assert feed.findtext("./channel/item/description") == "Träden väntar."
    own = feed.find(f"./channel/{ATOM_LINK}")
    assert own is not None
    assert _valid(client, own.get("href", "")).findtext("./channel/item/category") == area
    page = client.get(feed.findtext("./channel/link", ""))
    assert page.status_code == 200 and f"/pledges/{site.trees}" in page.text


def test_a_draft_published_later_is_dated_when_it_was_published(
    client: TestClient, site: Site
) -> None:
    from email.utils import parsedate_to_datetime

    from .test_api_v1 import _publish_an_old_draft

    drafted = _publish_an_old_draft(site)
    for address in ("/trackers/sjovik/feed.xml", f"/pledges/{site.pool}/feed.xml"):
        channel = ET.fromstring(client.get(address).content).find("channel")
        assert channel is not None
        dates = [parsedate_to_datetime(d.text or "") for d in channel.iter("pubDate")]
        verdict_items = [
            i for i in channel.iter("item") if "#verdict-" in (i.findtext("guid") or "")
        ]
        assert len(verdict_items) == 1, address
        published = parsedate_to_datetime(verdict_items[0].findtext("pubDate") or "")
        assert published.date() == dt.datetime.now(dt.UTC).date(), address  # not 2025-01-01
        assert published.replace(tzinfo=None) > drafted and dates, address
        newest = parsedate_to_datetime(channel.findtext("lastBuildDate") or "")
        assert newest == max(dates), address


def test_every_feed_answers_head_with_its_headers_and_no_body(
    client: TestClient, site: Site
) -> None:
    # feed readers and validators check a feed with HEAD; it was 405 on every feed
    for address in (
        "/trackers/sjovik/feed.xml",
        f"/pledges/{site.pool}/feed.xml",
        f"/trackers/sjovik/pledges/{site.pool}/feed.xml",
        "/trackers/sjovik/areas/Skola/feed.xml",
        "/trackers/sjovik/parties/S/feed.xml",
    ):
        got = client.get(address)
        head = client.head(address)
        assert got.status_code == head.status_code == 200, address
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        # a validator: a reader polling an unchanged feed gets 304, no body (QA)
        tag = got.headers["etag"]
        again = client.get(address, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"", address
        assert "max-age" in got.headers["cache-control"]
    assert client.head("/trackers/nowhere/feed.xml").status_code == 404


def test_feeds_and_the_badge_tell_caches_that_the_language_cookie_chooses_them(
    client: TestClient, site: Site
) -> None:
    """QA: with `lang=en` in a cookie the feed and the badge came in English, with no `Vary`: a
    shared cache could serve that to every reader."""
    client.cookies.set("lang", "en")
    for url in (
        "/trackers/sjovik/feed.xml",
        f"/pledges/{site.pool}/feed.xml",
        "/trackers/sjovik/widget.svg",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "cookie" in answer.headers.get("vary", "").lower(), url


def test_english_pages_link_the_english_feeds(client: TestClient, site: Site) -> None:
    """QA: the English pages' feed links had no `?lang=en`, and a feed reader, which sends no
    cookie, got the Swedish feed."""
    english = client.get(f"/pledges/{site.pool}?lang=en").text
    assert f'href="/pledges/{site.pool}/feed.xml?lang=en"' in english
    tracker = client.get("/trackers/sjovik?lang=en").text
    assert 'href="/trackers/sjovik/feed.xml?lang=en"' in tracker
    swedish = client.get("/trackers/sjovik?lang=sv").text  # the site's own language: no query
    assert 'href="/trackers/sjovik/feed.xml"' in swedish and "feed.xml?lang" not in swedish
    feed = client.get("/trackers/sjovik/feed.xml?lang=en")
    assert "<language>en</language>" in feed.text
    # and names itself so (atom:link rel="self" is the address a reader subscribes to)
    for url in (
        "/trackers/sjovik/feed.xml?lang=en",
        f"/pledges/{site.pool}/feed.xml?lang=en",
        "/trackers/sjovik/parties/S/feed.xml?lang=en",
    ):
        root = ET.fromstring(client.get(url).content)
        link = root.find("./channel/{http://www.w3.org/2005/Atom}link")
        assert link is not None and link.get("href") == url.split("?")[0] + "?lang=en", url
    swedish = ET.fromstring(client.get("/trackers/sjovik/feed.xml?lang=sv").content)
    link = swedish.find("./channel/{http://www.w3.org/2005/Atom}link")
    assert link is not None and link.get("href") == "/trackers/sjovik/feed.xml"


def test_the_english_feeds_link_the_english_pages(client: TestClient, site: Site) -> None:
    """QA: the English feed's channel and item links went to the Swedish pages; their GUIDs
    stay the same in every language (a reader keeps what it has read)."""
    for url in (
        "/trackers/sjovik/feed.xml",
        f"/pledges/{site.pool}/feed.xml",
        "/trackers/sjovik/parties/S/feed.xml",
        f"/trackers/sjovik/areas/{quote('Skola', safe='')}/feed.xml",
    ):
        english = ET.fromstring(client.get(url + "?lang=en").content)
        swedish = ET.fromstring(client.get(url).content)
        links = [e.text or "" for e in english.iter("link")]
        assert links and all("lang=en" in link for link in links), (url, links)
        assert all("#" not in link or link.index("lang=en") < link.index("#") for link in links)
        assert not any("lang=" in (e.text or "") for e in swedish.iter("link")), url
        guids = [e.text for e in english.iter("guid")]
        assert guids == [e.text for e in swedish.iter("guid")] and "lang" not in str(guids)
    area = ET.fromstring(client.get("/trackers/sjovik/areas/Skola/feed.xml?lang=en").content)
    assert area.findtext("./channel/link") == "/trackers/sjovik/pledges?area=Skola&lang=en"
