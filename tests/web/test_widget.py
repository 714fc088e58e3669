"""The embeddable meter: the SVG badge, the iframe page, the snippet on the tracker's page."""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.store import trackers as tracker_store
from lofte.web import widget

from ..localweb import local_sites
from .conftest import Site, build_site, live_server
from .test_browser import browser  # noqa: F401 - the Chromium fixture

HOSTILE = "<script>alert(1)</script> & \"Sjövik\" \u202e'kommun'"
SVG = "{http://www.w3.org/2000/svg}"


def _rename(site: Site, name: str) -> None:
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).name = name


def test_the_badge_is_well_formed_svg_with_the_counts_and_an_escaped_name(
    client: TestClient, site: Site
) -> None:
    _rename(site, HOSTILE)
    response = client.get(f"/trackers/{site.slug}/widget.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none'
    root = ET.fromstring(response.content)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert not list(root.iter(f"{SVG}script")) and b"<script" not in response.content
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith(
        "<script>alert(1)</script> & \"Sjövik\" 'kommun'"
    )  # text, no U+202E
    desc = root.find(f"{SVG}desc")
    meter = client.get(f"/api/trackers/{site.slug}").json()["meter"]
    assert desc is not None and f"Ej bedömt: {meter['counts']['not_rated']}" in (desc.text or "")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert f"Ej bedömt: {meter['counts']['not_rated']}" in texts
    assert meter["unreviewed"] > 0  # the fixture's tracker shows its candidates: the badge says so
    word = "granskat" if meter["unreviewed"] == 1 else "granskade"
    line = f"{meter['total']} löften (varav {meter['unreviewed']} ej {word}) · Löfte"
    assert f"Mandatperioden är slut · {line}" in texts  # the fixture's term ended 2026-10-14
    english = ET.fromstring(client.get(f"/trackers/{site.slug}/widget.svg?lang=en").content)
    assert f"Not rated: {meter['counts']['not_rated']}" in [
        t.text for t in english.iter(f"{SVG}text")
    ]


def test_segments_share_the_width_by_count() -> None:
    parts = widget.segments(
        {"kept": 1, "broken": 3, "not_rated": 0}, ["kept", "broken", "not_rated"], 100
    )
    assert [(p.status, p.x, p.width) for p in parts] == [("kept", 0, 25), ("broken", 25, 75)]
    assert widget.segments({}, ["kept"], 100) == []


def test_the_iframe_page_loads_nothing_and_may_be_framed(client: TestClient, site: Site) -> None:
    _rename(site, HOSTILE)
    response = client.get(f"/trackers/{site.slug}/widget.html")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors *" in csp and "default-src 'none'" in csp and "script" not in csp
    assert "x-frame-options" not in response.headers
    page = response.text
    assert "<script" not in page and "<link" not in page and "<img" not in page
    heading = re.search(r"<h1><a [^>]*>(.*?)</a></h1>", page)
    assert heading is not None and "&lt;script&gt;" in heading.group(1)
    assert html.unescape(heading.group(1)) == HOSTILE.replace("\u202e", "")
    assert re.findall(r'(?:href|src)="([^"]*)"', page) == [f"/trackers/{site.slug}"] * 2
    # every other page still refuses to be framed
    meter = client.get(f"/trackers/{site.slug}")
    assert meter.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in meter.headers["content-security-policy"]


def test_the_tracker_page_shows_the_snippet_escaped(client: TestClient, site: Site) -> None:
    _rename(site, HOSTILE)
    page = client.get(f"/trackers/{site.slug}").text
    area = re.search(r'<textarea id="embed-iframe"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert area is not None
    snippet = html.unescape(area.group(1))  # what the reader copies
    assert snippet.startswith(f'<iframe src="/trackers/{site.slug}/widget.html" title="')
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sjövik&quot;" in snippet
    )  # escaped in the snippet too
    assert "<script>" not in page.split("<main", 1)[1]
    # the addresses are root-relative: the page says so, naming no server setting to readers
    assert "Adresserna börjar med /" in page and "LOFTE_PUBLIC_URL" not in page
    badge = html.unescape(
        re.search(r'id="embed-badge"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    )  # type: ignore[union-attr]
    assert badge.startswith(
        f'<a href="/trackers/{site.slug}"><img src="/trackers/{site.slug}/widget.svg"'
    )
    english = client.get(f"/trackers/{site.slug}?lang=en").text
    assert "Embed the meter" in english and "widget.html?lang=en" in html.unescape(english)


def test_the_snippet_uses_the_public_address(site: Site) -> None:
    from .conftest import make_app

    app = make_app(site.store)
    app.state.settings = app.state.settings.model_copy(
        update={"public_url": "https://lofte.example.se/"}
    )
    page = TestClient(app).get(f"/trackers/{site.slug}").text
    assert '<iframe src="https://lofte.example.se/trackers/sjovik/widget.html"' in html.unescape(
        page
    )
    assert "Adresserna börjar med /" not in page


def test_an_unknown_tracker_has_no_widget(client: TestClient) -> None:
    assert client.get("/trackers/nope/widget.svg").status_code == 404
    assert client.get("/trackers/nope/widget.html").status_code == 404


def test_another_site_embeds_the_iframe_in_chromium(sqlite_store: Any, browser: Any) -> None:  # noqa: F811
    site = build_site(sqlite_store)
    with live_server(sqlite_store) as base, local_sites(1) as (host,):
        host.page("/favicon.ico", b"", "image/x-icon")
        host.page(
            "/",
            f'<!doctype html><title>host</title><iframe src="{base}/trackers/{site.slug}/widget.html" '
            'title="meter" width="360" height="260"></iframe>'.encode(),
        )
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(host.url("/"))  # another origin: another port
        frame = page.frame_locator("iframe")
        assert frame.locator("h1").inner_text() == "Sjövik 2022–2026"
        # a status and its count joined by a no-break space: they wrap together
        assert "Ej bedömt:\xa04" in frame.locator("ul").inner_text()
        page.goto(f"{base}/trackers/{site.slug}")  # and the meter page itself loads the badge
        assert page.evaluate(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        assert not errors, errors
        context.close()


def test_a_long_name_fits_the_badge_in_chromium(sqlite_store: Any, browser: Any) -> None:  # noqa: F811
    """QA: a 43-character name, cut at 44, ran past the badge's edge."""
    site = build_site(sqlite_store)
    _rename(site, "Rödgröna styret i Stockholms stad 2022–2026")
    with live_server(sqlite_store) as base:
        page = browser.new_page()
        page.goto(f"{base}/trackers/{site.slug}/widget.svg")
        box = page.evaluate(
            "(() => { const b = document.querySelector('text').getBBox();"
            " return [b.x, b.width, document.querySelector('text').textContent]; })()"
        )
        page.close()
    x, width, shown = box
    assert shown.endswith("…")
    assert x + width <= widget.BADGE_WIDTH - 10, (x, width, shown)


def test_the_widget_says_when_the_term_is_over_or_the_tracker_archived(
    client: TestClient, site: Site
) -> None:
    """QA at the term's end: an embedded meter showed neither."""
    from lofte.review import tracker_admin

    widget = client.get(f"/trackers/{site.slug}/widget.html?lang=sv").text
    assert "Mandatperioden är slut ·" in widget  # the site's term ended on 2026-10-14
    tracker_admin.archive(site.store, site.slug, actor="tester")
    widget = client.get(f"/trackers/{site.slug}/widget.html?lang=sv").text
    assert "<p>Arkiverad · " in widget and "Mandatperioden är slut" not in widget
    assert "<p>Archived · " in client.get(f"/trackers/{site.slug}/widget.html?lang=en").text
    badge = client.get(f"/trackers/{site.slug}/widget.svg?lang=sv").text  # the badge too (QA)
    assert ">Arkiverad · " in badge


def test_the_badge_and_the_iframe_page_are_revalidated_not_sent_again(
    client: TestClient, site: Site
) -> None:
    """QA (an app embedding the badge): every view fetched the whole badge; the charts were
    revalidated already. A change of the meter changes the tag."""
    from lofte.review.verdicts import decide_evidence, set_verdict

    for url in (f"/trackers/{site.slug}/widget.svg", f"/trackers/{site.slug}/widget.html"):
        first = client.get(url)
        tag = first.headers["etag"]
        assert (
            first.headers["cache-control"] == "no-cache" and client.get(url).headers["etag"] == tag
        )
        again = client.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"", url
        # its headers replace the cached copy's: the iframe page stays frameable (review)
        for name in ("content-security-policy", "x-frame-options", "vary"):
            assert again.headers.get(name) == first.headers.get(name), (url, name)
    before = client.get(f"/trackers/{site.slug}/widget.svg").headers["etag"]
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    set_verdict(site.store, site.pool, VerdictStatus.KEPT, "Invigd.", [site.ev_pool], actor="anna")
    changed = client.get(f"/trackers/{site.slug}/widget.svg", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["etag"] != before
