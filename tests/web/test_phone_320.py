"""A reader on the smallest phone (320 CSS px, WCAG's reflow width), in Chromium: tap targets,
chart labels and the widget, measured (QA found each too small or too wide there)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from lofte.publish import charts
from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow, PledgeRow, VerdictRow

from ..localweb import local_sites
from .conftest import Site
from .test_browser import _shot, browser  # noqa: F401  # browser: the Chromium fixture
from .test_phone_layout import _SVG_FONTS, _shown_charts

WIDTH = 320
TARGET = 44  # px: WCAG 2.5.5's target size (2.5.8's minimum is 24)
LEGIBLE = 12.0  # px: the smallest chart label a 320 px screen may show


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 640}, locale="sv-SE", java_script_enabled=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _many_documents(site: Site, n: int) -> None:
    with site.store.session() as s:
        tracker = tracker_store.get_tracker_row(s, site.slug)
        for i in range(n):
            body = f"Nyhet nummer {i} om Sjövik."
            s.add(
                DocumentRow(
                    tracker_id=tracker.id,
                    origin=f"extra-{i}.txt",
                    item_key="0",
                    kind="news",
                    title=f"Nyhet {i}",
                    body=body,
                    content_hash=f"extra-{i}",
                    raw_sha256=document_store.put_raw(s, body.encode(), "text/plain"),
                    stage="parse:test",
                    stage_version="1",
                    date_value=dt.date(2024, 1, 1) + dt.timedelta(days=i),
                    date_precision="day",
                    date_provenance="explicit",
                )
            )


_BOXES = """(selector) => [...document.querySelectorAll(selector)].map(el => {
  const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })"""


def test_the_pagers_links_are_44_px_targets(phone: Any, served: tuple[str, Site]) -> None:
    base, site = served
    _many_documents(site, 120)  # three pages of 50
    phone.goto(f"{base}/trackers/{site.slug}/documents?page=2")
    _shot(phone, "phone-320-pager")
    links = phone.evaluate(_BOXES, ".pager a")
    assert [text for text, _, _ in links] == ["Föregående", "1", "3", "Nästa"], links
    small = [(t, w, h) for t, w, h in links if w < TARGET or h < TARGET]
    assert not small, small
    # the current page's number is as big (it is where the others are measured from)
    current = phone.evaluate(_BOXES, ".pager [aria-current]")
    assert current[0][0] == "2" and current[0][1] >= TARGET and current[0][2] >= TARGET
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_navigation_and_share_links_are_44_px_high(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    phone.goto(f"{base}/trackers/{site.slug}")
    for selector in ("header.site nav a", ".subnav a"):
        boxes = phone.evaluate(_BOXES, selector)
        assert boxes, selector
        small = [(t, w, h) for t, w, h in boxes if w < TARGET or h < TARGET]
        assert not small, (selector, small)
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH


def _rate(site: Site) -> None:
    """Verdicts in three statuses and a long area name: every kind of label has text."""
    with site.store.session() as s:
        s.get(PledgeRow, site.pool).area = "Arbetsmarknad, näringsliv och stadens ekonomi"
        for pledge, status, day in (
            (site.pool, "partially_kept", dt.datetime(2024, 5, 1)),
            (site.trees, "not_checkable", dt.datetime(2023, 5, 1)),
            (site.children[0], "kept", dt.datetime(2025, 2, 1)),
        ):
            s.add(
                VerdictRow(
                    pledge_id=pledge, status=status, rationale="x", created_at=day, modified_at=day
                )
            )


def test_chart_labels_are_at_least_12_px_at_320_px(phone: Any, served: tuple[str, Site]) -> None:
    """QA: the phone drawings (360 px wide) were scaled to the 288 px column, their 12 px
    values drawn 9.6 px tall. A label's rendered size is its font size in the SVG times the
    image's rendered width over the SVG's own width."""
    base, site = served
    _rate(site)
    phone.goto(f"{base}/trackers/{site.slug}")
    shown = _shown_charts(phone)
    assert len(shown) == 3 and all("-narrow.svg" in c["src"] for c in shown), shown
    measured = {}
    for chart in shown:
        assert chart["rendered"] <= WIDTH - 32
        phone.goto(chart["src"])
        fonts = phone.evaluate(_SVG_FONTS)
        assert fonts["texts"] > 3, (chart, fonts)
        measured[chart["src"].split("/")[-1]] = (
            fonts["smallest"] * chart["rendered"] / fonts["width"]
        )
    assert all(size >= LEGIBLE for size in measured.values()), measured


# Each text's box in the page (an SVG opened at its own width is drawn 1:1).
_OUTSIDE = """() => [...document.querySelectorAll('text')]
  .filter(t => t.textContent.trim())
  .map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right]; })
  .filter(([_, left, right]) => left < 0 || right > window.innerWidth)"""


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_phone_charts_keep_every_label_inside_the_drawing(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    lang: str,
) -> None:
    base, site = served
    _rate(site)
    context = browser.new_context(viewport={"width": charts.NARROW_WIDTH, "height": 700})
    tab = context.new_page()
    try:
        for name in ("status", "areas", "term"):
            tab.goto(f"{base}/trackers/{site.slug}/charts/{name}-narrow.svg?lang={lang}")
            assert tab.evaluate("document.documentElement.width.baseVal.value") == 288
            assert tab.evaluate(_OUTSIDE) == [], (name, lang)
    finally:
        context.close()


def _snippet(tab: Any, base: str, slug: str, field: str) -> str:
    """What a site owner copies from the meter page, its addresses made absolute (the test
    app has no LOFTE_PUBLIC_URL)."""
    tab.goto(f"{base}/trackers/{slug}")
    return re.sub(r'(src|href)="/', rf'\1="{base}/', tab.locator(field).input_value())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_widget_snippet_fits_a_phone_s_column(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    lang: str,
) -> None:
    """QA: the suggested iframe was 360 px wide, past a 320 px phone's edge; and the widget
    page's "Går inte att pröva: 0" ran past a 320 px frame."""
    base, site = served
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": 640}, locale="sv-SE"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        query = "?lang=en" if lang == "en" else ""
        iframe = _snippet(tab, base, site.slug + query, "#embed-iframe")
        badge = _snippet(tab, base, site.slug + query, "#embed-badge")
        assert 'width="100%"' in iframe and "max-width:360px" in iframe, iframe
        assert "max-width:100%" in badge, badge
        with local_sites(1) as (host,):
            host.page("/favicon.ico", b"", "image/x-icon")
            host.page(
                "/",
                (
                    '<!doctype html><meta name="viewport" content="width=device-width">'
                    '<title>host</title><body style="margin:0">'
                    f'<div style="margin:0 16px">{iframe}<p>{badge}</p></div>'
                    f'<div style="width:700px">{iframe}</div>'
                ).encode(),
            )
            tab.goto(host.url("/"))
            tab.wait_for_load_state("load")
            frames = tab.evaluate(_BOXES, "iframe")
            # as wide as the phone's column; in a wide column no wider than before
            assert [round(w) for _, w, _ in frames] == [WIDTH - 32, 360], frames
            img = tab.evaluate(_BOXES, "img")
            assert img[0][1] <= WIDTH - 32, img
            column = "(() => { const c = document.querySelector('div'); return [c.scrollWidth, c.clientWidth]; })()"
            inner, room = tab.evaluate(column)
            assert inner <= room == WIDTH - 32
            framed = tab.frames[1]
            assert framed.locator("h1").inner_text() == "Sjövik 2022–2026"
            fits = framed.evaluate(
                """() => [document.documentElement.scrollWidth, window.innerWidth,
                          document.querySelector('main').getBoundingClientRect().bottom,
                          window.innerHeight]"""
            )
            assert fits[0] <= fits[1] and fits[2] <= fits[3], fits
    finally:
        context.close()


@pytest.mark.parametrize("width", [WIDTH, 260])
def test_the_widget_page_itself_fits_a_narrow_frame(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    width: int,
) -> None:
    base, site = served
    context = browser.new_context(viewport={"width": width, "height": 260})
    tab = context.new_page()
    try:
        for lang in ("sv", "en"):
            tab.goto(f"{base}/trackers/{site.slug}/widget.html?lang={lang}")
            wide = tab.evaluate("document.documentElement.scrollWidth")
            bottom = tab.evaluate("document.querySelector('main').getBoundingClientRect().bottom")
            assert wide <= width and bottom <= 260, (lang, wide, bottom)
            names = tab.locator("li").all_inner_texts()
            assert any(n.replace("\xa0", " ").endswith(": 4") for n in names), names
    finally:
        context.close()
