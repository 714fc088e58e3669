"""The editors' refused forms and their fields in a real Chromium, JavaScript off as the site is
(QA of the editors' forms, keyboard and phone): the error summary has the focus as the page
opens and each of its links moves the focus to the field it names; on a 360 px phone every
field and button of the editors' forms is a 44 px high target."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lofte.review.verdicts import decide_evidence
from lofte.watch import sources as source_admin

from .conftest import Site, browser_login
from .test_browser import _shot, browser  # noqa: F401  # the Chromium fixture

TARGET = 44  # px: WCAG 2.5.5's target size, the project's rule for a phone
PHONE = 360

_FOCUSED = "() => document.activeElement ? document.activeElement.id : null"
_FOCUS_WAIT_MS = 5000


def _focused(tab: Any, expected: str) -> str | None:
    """The id of the element with the focus, once it is `expected` or after _FOCUS_WAIT_MS:
    Chromium applies `autofocus` and a fragment's focus at a later rendering step, not by the
    time navigation is done (flaky: '' read at once on a loaded machine, 1 run in 6)."""
    with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion names what has it
        tab.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id",
            arg=expected,
            timeout=_FOCUS_WAIT_MS,
        )
    return tab.evaluate(_FOCUSED)  # type: ignore[no-any-return]


# every visible field and button (a checkbox or radio is the 24 px target with its label beside
# it that tests/web/test_editor_tap_targets.py checks)
_CONTROLS = """() => [...document.querySelectorAll(
    'main button, main select, main textarea, main input:not([type=checkbox]):not([type=radio])'
    + ':not([type=hidden])')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => { const r = el.getBoundingClientRect();
    return {what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.name ? '[' + el.name + ']' : '') + ' ' + (el.textContent || '').trim().slice(0, 30),
      height: Math.round(r.height * 10) / 10}; })"""


def _context(browser: Any, width: int, height: int) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": height}, locale="sv-SE"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:  # noqa: F811
    yield from _context(browser, 1100, 900)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    yield from _context(browser, PHONE, 800)


def _follow_each_link(tab: Any) -> list[tuple[str, str | None]]:
    """Activate each of the summary's links in turn (Enter, as a keyboard user does): the link's
    target and the element that has the focus after it."""
    hrefs = tab.locator("#error-summary a").evaluate_all("links => links.map(a => a.hash)")
    assert hrefs
    followed = []
    for index, href in enumerate(hrefs):
        tab.locator("#error-summary a").nth(index).focus()
        tab.keyboard.press("Enter")
        tab.wait_for_function("h => location.hash === h", arg=href)
        followed.append((href[1:], _focused(tab, href[1:])))
    return followed


def test_the_verdict_summary_is_focused_and_its_links_focus_the_fields(
    desktop: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    decide_evidence(site.store, site.ev_pool, True, actor="anna")  # a box to tick
    browser_login(desktop, base, f"/edit/pledges/{site.pool}")
    desktop.locator("#v-status").select_option("kept")
    desktop.locator(f"#v-ev-{site.ev_pool}").uncheck()  # kept needs it: a third error
    desktop.locator("#v-as-of").fill("2024-13-45")
    with desktop.expect_navigation() as sent:
        desktop.get_by_role("button", name="Spara bedömningen").click()
    assert sent.value.status == 422
    assert _focused(desktop, "error-summary") == "error-summary"  # where the page opens
    _shot(desktop, "editor-verdict-422-focus")
    followed = _follow_each_link(desktop)
    assert [target for target, _ in followed] == [
        "v-rationale",
        f"v-ev-{site.ev_pool}",
        "v-as-of",
    ]
    for target, focused in followed:
        assert focused == target, (target, focused)
    # the field the last link focused is in view, its label above it
    box = desktop.locator("label[for=v-as-of]").bounding_box()
    assert box is not None and 0 <= box["y"] < 900, box


def test_a_phones_document_summary_link_focuses_the_words_field(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    browser_login(phone, base, f"/edit/documents/{site.program}")
    phone.get_by_label("Löftets ord").fill("Vi ska bygga en ny ishall.")
    with phone.expect_navigation() as sent:
        phone.get_by_role("button", name="Lägg till löftet").click()
    assert sent.value.status == 422
    assert _focused(phone, "error-summary") == "error-summary"
    assert _follow_each_link(phone) == [("a-quote", "a-quote")]
    # the field's own message, between its label and the field, is in view with it
    error = phone.locator("#err-add").bounding_box()
    assert error is not None and 0 <= error["y"] < 800, error
    _shot(phone, "phone-document-422-focus")


def _pages(site: Site) -> list[str]:
    slug = site.slug
    return [
        f"/edit/pledges/{site.pool}",  # the verdict, evidence, review, deadline, split forms
        f"/edit/pledges/{site.trees}",  # a candidate: confirm and reject, merge
        f"/edit/documents/{site.program}",  # the document's form, "add a pledge"
        f"/edit/trackers/{slug}/queue",
        f"/edit/pledges/{site.pool}/attach?q=simhall",
        f"/edit/trackers/{slug}/settings",
        f"/edit/trackers/{slug}/sources",
        f"/edit/trackers/{slug}/notifications",
        "/edit/audit",
    ]


def test_every_editor_field_and_button_is_44_px_high_on_a_360_px_phone(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    decide_evidence(site.store, site.ev_pool, True, actor="anna")  # the verdict's evidence box
    source_admin.add(  # the sources page's buttons
        site.store, site.slug, "Kommunens nyheter", "https://example.se/nyheter", actor="anna"
    )
    browser_login(phone, base, "/edit", name="admin1")  # an admin sees every page
    small: dict[str, list[dict[str, Any]]] = {}
    seen = 0
    for path in _pages(site):
        answer = phone.goto(f"{base}{path}")
        assert answer is not None and answer.status == 200, path
        controls = phone.evaluate(_CONTROLS)
        assert controls, path
        seen += len(controls)
        low = [c for c in controls if c["height"] < TARGET]
        if low:
            small[path] = low
    _shot(phone, "phone-360-editor-audit")
    assert seen > 40
    assert not small, small
    # a refused form's page too (the summary's and the fields' errors above the fields)
    phone.goto(f"{base}/edit/documents/{site.program}")
    phone.get_by_label("Löftets ord").fill("Vi ska bygga en ny ishall.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lägg till löftet").click()
    low = [c for c in phone.evaluate(_CONTROLS) if c["height"] < TARGET]
    assert not low, low
