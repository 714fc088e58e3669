"""An editor's slips, by keyboard, in a real headless Chromium (as test_browser.py: JavaScript
off, the app under uvicorn on 127.0.0.1): where the focus is, a form too large to send, the
same form sent twice. Each in the page's language."""

from __future__ import annotations

from typing import Any

from .conftest import Site, browser_login
from .test_browser import _shot, browser, page  # noqa: F401  # the Chromium fixtures

# the focused element's own ring (style.css: outline and box-shadow), as Chromium computes it
_RING = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {id: e.id, outline: s.outlineStyle, shadow: s.boxShadow}; }"""


def test_a_date_field_shows_where_the_keyboard_focus_is(
    page: Any,  # noqa: F811
    served: tuple[str, Site],
) -> None:
    """A date field's focus is on its day, month or year inside it, so the field itself does
    not match :focus-visible: without :focus-within it showed no ring at all."""
    base, site = served
    browser_login(page, base, f"/edit/pledges/{site.pool}")
    page.locator("#d-date").locator("xpath=ancestor::form//button").first.focus()
    page.keyboard.press("Shift+Tab")  # back into the deadline field, as a keyboard user does
    ring = page.evaluate(_RING)
    assert ring["id"] == "d-date"
    assert ring["outline"] == "solid" and ring["shadow"] != "none", ring
    _shot(page, "mistakes-01-date-focus")
