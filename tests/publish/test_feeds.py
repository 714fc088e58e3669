"""The feed builders over page data: valid RSS 2.0 (feedparser reads them without complaint),
with a self link, text escaped, the same GUID for a verdict in every feed, in either language."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import feedparser

from lofte.publish import feeds
from lofte.web.i18n import translate

BASE = "https://lofte.example/"
QUOTE = 'Vi ska sänka <taxan> & "avgiften" för alla barn i förskolan'
TRACKER = {"slug": "sjovik", "name": "Sjövik & <co>"}
CHANGE = {
    "verdict_id": 7,
    "pledge_id": 3,
    "status": "kept",
    "rationale": "Beslutat i <fullmäktige> & genomfört.",
    "date": "2025-03-01T10:00:00",
    "as_of": {"value": "2025-02-01", "precision": "month"},
    "quote": QUOTE,
    "area": "Skola & förskola",
}


def _t(lang: str) -> Any:
    return lambda key: translate(key, lang)


def _parse(body: bytes) -> Any:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_a_party_feed_escapes_and_reads_back_exactly() -> None:
    data = {"tracker": TRACKER, "party": "S&D", "changes": [CHANGE]}
    body = feeds.party_feed(data, BASE, _t("sv"), "sv")
    assert b"<taxan>" not in body and b"&lt;taxan&gt; &amp;" in body
    parsed = _parse(body)
    entry = parsed.entries[0]
    assert entry.title.startswith("Uppfyllt: Vi ska sänka <taxan> & ")
    assert entry.id == "https://lofte.example/pledges/3#verdict-7"
    assert entry.link == "https://lofte.example/pledges/3"
    assert parsed.feed.title == "Sjövik & <co> – bedömningar av löften från S&D"  # no "Ss"
    root = ET.fromstring(body)
    self_link = root.find("./channel/{http://www.w3.org/2005/Atom}link")
    assert self_link is not None
    assert self_link.get("href") == "https://lofte.example/trackers/sjovik/parties/S%26D/feed.xml"
    assert self_link.get("rel") == "self"


def test_an_area_feed_in_english_with_its_address_quoted() -> None:
    data = {"tracker": TRACKER, "area": "Skola/förskola", "changes": [CHANGE]}
    parsed = _parse(feeds.area_feed(data, "", _t("en"), "en"))
    assert parsed.feed.language == "en"
    assert parsed.entries[0].title.startswith("Kept: ")
    assert parsed.feed.title.endswith("verdicts in Skola/förskola")
    assert "/trackers/sjovik/areas/Skola%2Ff%C3%B6rskola/feed.xml" in [
        link.href for link in parsed.feed.links
    ]


def test_a_verdicts_guid_is_the_same_in_the_tracker_and_the_pledge_feed() -> None:
    tracker_feed = _parse(
        feeds.verdict_feed({"tracker": TRACKER, "changes": [CHANGE]}, BASE, _t("sv"), "sv")
    )
    pledge = {
        "tracker": TRACKER,
        "pledge": {"id": 3, "quote": QUOTE, "area": None},
        "timeline": [
            {
                "id": 7,
                "status": "kept",
                "rationale": CHANGE["rationale"],
                "date": CHANGE["date"],
                "as_of": None,
            }
        ],
        "evidence": [
            {
                "id": 11,
                "created_at": "2025-01-01T08:00:00",
                "modified_at": "2025-04-01T08:00:00",
                "document": {"title": "Nyhet <b>"},
                "context": {
                    "pieces": [
                        {"text": "Före. ", "mark": False, "term": False},
                        {"text": "Taxan sänks & <beslutas>.", "mark": True, "term": False},
                    ]
                },
            }
        ],
    }
    body = feeds.pledge_feed(pledge, BASE, _t("sv"), "sv")
    assert body == feeds.pledge_feed(pledge, BASE, _t("sv"), "sv")  # same data, same bytes
    parsed = _parse(body)
    ids = [e.id for e in parsed.entries]
    # the evidence accepted in April comes before the verdict of March
    assert ids == [
        "https://lofte.example/pledges/3#evidence-11",
        tracker_feed.entries[0].id,
    ]
    assert parsed.entries[0].title == "Nytt underlag: Nyhet <b>"
    assert parsed.entries[0].description == "Taxan sänks &amp; &lt;beslutas&gt;."  # as HTML
    assert "<rss" in body.decode() and 'xmlns:atom="http://www.w3.org/2005/Atom"' in body.decode()
