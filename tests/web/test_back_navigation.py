"""Back to a public page shows what its address and the reader's language say, in a real
headless Chromium (the filter forms' `autocomplete="off"`).

QA: after filtering the pledge list, Back showed the earlier list with the filter form still
holding the values just chosen (Chromium put them back into the page it fetched again).

Not changed: a page Chromium's back/forward cache holds comes back as it was left (its chosen
values, and its language before "In English"). Sending `no-store` on every page would make
Chromium drop it, but also keep every browser and shared cache from keeping public pages;
without a script, which the pages' policy does not run, nothing else can reset it.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import Site
from .test_browser import browser  # noqa: F401 - the Chromium fixture


def _page(chromium: Any) -> Any:
    context = chromium.new_context(java_script_enabled=False, locale="sv-SE")
    context.set_default_timeout(15_000)
    return context.new_page()


def _back(page: Any) -> None:
    # a page from the back/forward cache fires no load event: wait for the navigation only
    page.go_back(wait_until="commit")
    page.wait_for_load_state("domcontentloaded")


def test_back_after_switching_language_shows_the_language_now_chosen(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
) -> None:
    """A page fetched again on Back is in the language the cookie now names."""
    from playwright.sync_api import expect

    base, site = served
    page = _page(browser)
    for path in (f"/trackers/{site.slug}/pledges?status=not_rated", f"/pledges/{site.pool}"):
        page.context.clear_cookies()
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == "sv"
        page.locator("a[hreflang=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _back(page)
        assert page.url == base + path
        expect(page.locator("html")).to_have_attribute("lang", "en", timeout=5_000)
        # and forward to the English page, then the way back to Swedish
        page.locator("a[hreflang=sv]").click()
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        _back(page)
        expect(page.locator("html")).to_have_attribute("lang", "sv", timeout=5_000)
    page.context.close()


def test_back_to_a_filtered_list_shows_the_filters_of_its_address(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
) -> None:
    """A page fetched again on Back (the back/forward cache off or not holding it): the form
    shows its address's filters, not the ones chosen on it before leaving. (A page the
    back/forward cache holds comes back as it was left, chosen values and all: without a
    script, which the pages' CSP does not run, nothing can reset it.)"""
    base, site = served
    page = _page(browser)
    listed = f"{base}/trackers/{site.slug}/pledges?status=not_rated"
    page.goto(listed)
    page.select_option("#f-status", "kept")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**status=kept**")
    _back(page)
    assert page.url == listed
    assert page.input_value("#f-status") == "not_rated"
    searched = f"{base}/search?q=simhall"
    page.goto(searched)
    page.fill("#s-q", "förskola")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**q=f*")
    _back(page)
    assert page.url == searched
    assert page.input_value("#s-q") == "simhall"
    page.context.close()


def test_the_filter_forms_do_not_fill_in_earlier_choices(client: TestClient, site: Site) -> None:
    for path in (f"/trackers/{site.slug}/pledges", "/search"):
        assert 'autocomplete="off"' in client.get(path).text, path
