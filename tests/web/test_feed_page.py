"""A feed opened in a browser is a readable page (QA: a phone showed raw XML), and still a feed.

Each feed names the app's stylesheet (static/feed.xsl) in an `<?xml-stylesheet?>` instruction,
which feed readers ignore. The stylesheet is run here by lxml (libxslt, the XSLT engine Chromium
uses), and a browser's navigation gets its page from the server (web/feed_view.py), checked in
Chromium at a phone's width.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import feedparser
import lxml.etree
import lxml.html
from fastapi.testclient import TestClient

from lofte.config import Settings
from lofte.publish import feeds
from lofte.publish import static_site as ss
from lofte.store.db import Store
from lofte.store.schema import PledgeRow, VerdictRow
from lofte.web import feed_view
from lofte.web.app import PAGE_CSP

from .conftest import SCRIPT, Site, build_site
from .test_browser import browser  # noqa: F401 - the Chromium fixture

STATIC = Path(__file__).resolve().parents[2] / "src" / "lofte" / "web" / "static"
PI = '<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>'
RATIONALE = f"Simhallen invigdes {SCRIPT} & <b>klart</b>\nrad två"


def _verdicts(site: Site) -> None:
    """A published verdict on two pledges (one of party S, in an area), hostile text in one."""
    with site.store.session() as s:
        s.get(PledgeRow, site.pool).party = "S"
        s.get(PledgeRow, site.pool).area = "Idrott och fritid"
        s.add(
            VerdictRow(
                pledge_id=site.pool,
                status="kept",
                rationale=RATIONALE,
                created_at=dt.datetime(2024, 5, 3, 10),
                modified_at=dt.datetime(2024, 5, 3, 10),
            )
        )
        s.add(
            VerdictRow(
                pledge_id=site.trees,
                status="in_the_works",
                rationale="Plantering pågår.",
                created_at=dt.datetime(2024, 6, 1, 10),
                modified_at=dt.datetime(2024, 6, 1, 10),
            )
        )


def _feed_urls(site: Site) -> list[str]:
    return [
        f"/trackers/{site.slug}/feed.xml",
        f"/pledges/{site.pool}/feed.xml",
        f"/trackers/{site.slug}/parties/S/feed.xml",
        f"/trackers/{site.slug}/areas/Idrott%20och%20fritid/feed.xml",
    ]


def _transform(feed: bytes) -> Any:
    """The page a browser makes of `feed` with the app's stylesheet."""
    xslt = lxml.etree.XSLT(lxml.etree.parse(str(STATIC / "feed.xsl")))
    result = xslt(lxml.etree.fromstring(feed))
    return lxml.html.fromstring(str(result))


def test_every_feed_is_still_rss_and_names_the_stylesheet(client: TestClient, site: Site) -> None:
    _verdicts(site)
    for url in _feed_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content
        # the instruction right after the declaration, before the root element
        assert body.split(b"\n")[1].decode() == PI, url
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.version == "rss20" and parsed.entries, url
        root = ET.fromstring(body)
        assert root.tag == "rss" and root.find("./channel/item/title") is not None
        tree = lxml.etree.fromstring(body).getroottree()
        pis = [n for n in tree.getroot().itersiblings(preceding=True)]
        assert [(p.target, p.get("href"), p.get("type")) for p in pis] == [
            ("xml-stylesheet", feeds.STYLESHEET, "text/xsl")
        ]
    sheet = client.get(feeds.STYLESHEET)
    assert sheet.status_code == 200
    lxml.etree.XSLT(lxml.etree.fromstring(sheet.content))  # compiles


def test_the_stylesheet_shows_the_items_as_text_with_an_explanation(
    client: TestClient, site: Site
) -> None:
    _verdicts(site)
    body = client.get(f"/pledges/{site.pool}/feed.xml").content
    page = _transform(body)
    assert page.get("lang") == "sv"
    note = page.find_class("about")[0].text_content()
    assert "nyhetsflöde" in note and "flödesläsare" in note
    # no public address set: a root-relative one is nothing to copy (QA), the page's is
    assert "den här sidans adress" in note and "/feed.xml" not in note
    titles = [h.text_content() for h in page.iter("h2")]
    assert titles and titles[0] == "Uppfyllt: Vi ska bygga en ny simhall i Norrvik."
    # the rationale as it was written: its markup text, never elements; its line break kept
    texts = [p.text_content() for p in page.find_class("text")]
    assert RATIONALE in texts
    assert not page.xpath("//script | //b")
    assert page.xpath("//time/@datetime") and "3 maj 2024" in page.text_content()
    english = _transform(client.get(f"/pledges/{site.pool}/feed.xml?lang=en").content)
    assert english.get("lang") == "en" and "feed reader" in english.text_content()
    assert "3 May 2024" in english.text_content()


def test_a_feed_is_served_as_xml_with_a_policy_that_lets_its_stylesheet_run(
    client: TestClient, site: Site
) -> None:
    # Chromium shows application/rss+xml as plain text, and the pages' policy (script-src
    # 'none') blocks an XSLT stylesheet: the raw XML either way (QA)
    response = client.get(f"/pledges/{site.pool}/feed.xml")
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert client.get(f"/pledges/{site.pool}").headers["content-security-policy"] == PAGE_CSP
    tag = response.headers["etag"]
    again = client.get(f"/pledges/{site.pool}/feed.xml", headers={"If-None-Match": tag})
    assert again.status_code == 304
    # QA: the 304 carried the page's policy, and its headers replace the stored ones: a
    # revisited feed's stylesheet was blocked
    assert again.headers["content-security-policy"] == csp
    chart = client.get(f"/trackers/{site.slug}/charts/status.svg")
    revisited = client.get(chart.url, headers={"If-None-Match": chart.headers["etag"]})
    assert revisited.status_code == 304
    assert revisited.headers["content-security-policy"] == chart.headers["content-security-policy"]


def _phone(browser: Any) -> Any:  # noqa: F811
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}, locale="sv-SE"
    )
    context.set_default_timeout(15_000)
    return context


def _shows_the_feed_as_a_page(
    tab: Any, url: str, titles: list[str], media_type: str = feed_view.PAGE_TYPE
) -> None:
    """The feed at `url` shown as a page; `media_type`: what the browser was sent (the app's
    page, made on the server; a static site's feed file, which the browser's XSLT shows)."""
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    answer = tab.goto(url)
    assert answer is not None and answer.headers["content-type"] == media_type
    assert tab.locator("h1").count() == 1, tab.content()[:500]
    assert tab.locator("ol.items h2").all_inner_texts() == titles
    assert "flödesläsare" in tab.locator(".about").inner_text()
    shown = tab.locator("ol.items").inner_text()
    assert SCRIPT in shown and "<b>klart</b>" in shown  # as text
    assert tab.locator("script, ol.items b").count() == 0
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # the stylesheet's inline style applied (the page's policy lets it in): the note's border
    border = tab.evaluate("getComputedStyle(document.querySelector('.about')).borderLeftStyle")
    assert border == "solid"


def test_a_feed_opened_in_chromium_on_a_phone_is_a_page(
    served: tuple[str, Site],
    browser: Any,  # noqa: F811
) -> None:
    base, site = served
    _verdicts(site)
    context = _phone(browser)
    try:
        tab = context.new_page()
        _shows_the_feed_as_a_page(
            tab,
            f"{base}/pledges/{site.pool}/feed.xml",
            ["Uppfyllt: Vi ska bygga en ny simhall i Norrvik."],
        )
        link = tab.get_by_role("link", name="Uppfyllt: Vi ska bygga en ny simhall i Norrvik.")
        assert link.get_attribute("href") == f"/pledges/{site.pool}#verdict-1"
        _shows_the_feed_as_a_page(
            context.new_page(),
            f"{base}/trackers/{site.slug}/parties/S/feed.xml",
            ["Uppfyllt: Vi ska bygga en ny simhall i Norrvik."],
        )
    finally:
        context.close()


def test_the_static_site_ships_the_stylesheet_beside_its_feeds(
    sqlite_store: Store,
    tmp_path: Path,
    browser: Any,  # noqa: F811
) -> None:
    site = build_site(sqlite_store)
    _verdicts(site)
    dest = tmp_path / "site"
    settings = Settings(secret_key="test-secret-key-for-the-web-tests", _env_file=None)  # type: ignore[call-arg]
    ss.publish_static(sqlite_store, settings, dest, ss.SiteOptions())
    assert (dest / "static" / "feed.xsl").read_bytes() == (STATIC / "feed.xsl").read_bytes()
    for name in ("trackers/sjovik/feed.xml", f"pledges/{site.pool}/feed.xml"):
        body = (dest / name).read_bytes()
        found = re.search(rb'<\?xml-stylesheet type="text/xsl" href="([^"]*)"\?>', body)
        assert found and found.group(1) == b"../../static/feed.xsl", (name, body[:200])
        assert ((dest / name).parent / found.group(1).decode()).resolve().is_file()
        assert not feedparser.parse(body).bozo
    # served from a subfolder of a plain static host, as a newsroom would
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = _phone(browser)
    try:
        _shows_the_feed_as_a_page(
            context.new_page(),
            f"http://127.0.0.1:{server.server_port}/site/trackers/sjovik/feed.xml",
            [
                "På gång: Vi ska plantera tusen träd <script>alert('x')</script> längs ån.",
                "Uppfyllt: Vi ska bygga en ny simhall i Norrvik.",
            ],
            media_type="application/xml",  # the file as the static host serves it
        )
    finally:
        context.close()
        server.shutdown()
        server.server_close()
