"""Touch targets and small print on a phone, upright and held sideways, in Chromium (QA: a
landscape phone, 844 x 390, had 20 px high header and tab links; "Tillbaka", "Läs hela
dokumentet" and "visa i texten" were 20 px high at 390 px; a date's "(angivet)" in the
document list was 11.7 px)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import Site
from .test_browser import _shot, browser  # noqa: F401  # browser: the Chromium fixture

TARGET = 44  # px: WCAG 2.5.5's target size
LEGIBLE = 13.0  # px: the smallest note a phone's reader is asked to read

_BOXES = """(selector) => [...document.querySelectorAll(selector)].map(el => {
  const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })"""


def _touch_phone(browser: Any, width: int, height: int) -> Iterator[Any]:  # noqa: F811
    # a touch screen: `pointer: coarse`, as on a real phone
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="sv-SE",
        has_touch=True,
        is_mobile=True,
        java_script_enabled=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def landscape(browser: Any) -> Iterator[Any]:  # noqa: F811
    yield from _touch_phone(browser, 844, 390)


@pytest.fixture
def upright(browser: Any) -> Iterator[Any]:  # noqa: F811
    yield from _touch_phone(browser, 390, 844)


def _small(tab: Any, selector: str) -> list[tuple[str, float, float]]:
    boxes = tab.evaluate(_BOXES, selector)
    assert boxes, selector
    return [(t, w, h) for t, w, h in boxes if h < TARGET]


def test_a_phone_held_sideways_gets_44_px_header_and_tab_links(
    landscape: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    landscape.goto(f"{base}/trackers/{site.slug}")
    assert landscape.evaluate("matchMedia('(pointer: coarse)').matches")
    _shot(landscape, "landscape-meter")
    for selector in ("header.site nav a", ".subnav a"):
        assert not _small(landscape, selector), selector


@pytest.mark.parametrize("phone", ["upright", "landscape"])
def test_the_back_and_read_links_are_44_px_high_on_a_phone(
    phone: str, served: tuple[str, Site], request: pytest.FixtureRequest
) -> None:
    base, site = served
    tab = request.getfixturevalue(phone)
    tab.goto(f"{base}/pledges/{site.pool}")
    back = tab.get_by_role("link", name="Tillbaka: Sjövik 2022–2026")
    read = tab.get_by_role("link", name="Läs hela dokumentet")
    for link in (back, read):
        assert link.bounding_box()["height"] >= TARGET, link
    tab.goto(f"{base}/documents/{site.program}")
    tab.locator("details.doc-pledges summary").click()  # the list of its pledges opens
    _shot(tab, f"{phone}-document")
    back = tab.get_by_role("link", name="Tillbaka: Sjövik 2022–2026")
    assert back.bounding_box()["height"] >= TARGET
    assert not _small(tab, "a[href^='#pledge-']")  # each "visa i texten"
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]


def test_a_documents_date_note_is_legible_on_a_phone(
    upright: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    upright.goto(f"{base}/trackers/{site.slug}/documents")
    sizes = upright.evaluate(
        """() => [...document.querySelectorAll('table.doc-list small')]
                 .map(el => [el.textContent.trim(), parseFloat(getComputedStyle(el).fontSize)])"""
    )
    assert sizes and all(text == "(angivet)" for text, _ in sizes), sizes
    assert min(size for _, size in sizes) >= LEGIBLE, sizes
