"""A page of another site that auto-posts a form to Löfte, in a real Chromium (security QA: the
answer was the real login page with the attacker's text as "what you typed", and a new empty
session cookie that replaced the editor's logged-in one, so she was logged out).

The attacker's page is served by a tiny server on another port: at `localhost` it is another
site (the Lax cookie is not sent), at `127.0.0.1` the same site on another origin (the cookie is
sent, the CSRF token is not known)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest

from lofte.store import verdicts as verdict_store
from tests.localweb import LocalSite, local_sites

from .conftest import Site, browser_login, logged
from .test_browser import browser  # noqa: F401  # the Chromium fixture

LURE = "Ditt konto har spärrats. Logga in via https://lofte-support.example/login"


@pytest.fixture
def attacker() -> Iterator[LocalSite]:
    with local_sites() as (site,):
        yield site


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:  # noqa: F811
    # JavaScript on: the attacker's page submits itself (Löfte's own pages allow no script)
    context = browser.new_context(java_script_enabled=True, locale="sv-SE")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _session(tab: Any) -> str | None:
    return next((c["value"] for c in tab.context.cookies() if c["name"] == "lofte_session"), None)


@pytest.mark.parametrize("attacker_host", ["localhost", "127.0.0.1"])
def test_a_cross_site_auto_post_neither_logs_the_editor_out_nor_shows_its_text(
    tab: Any, served: tuple[str, Site], attacker: LocalSite, attacker_host: str
) -> None:
    base, site = served
    browser_login(tab, base, "/edit")
    assert "anna" in tab.locator("header").inner_text()
    before = _session(tab)
    assert before is not None
    action = f"{base}/edit/pledges/{site.pool}/verdict"
    attacker.page(
        "/",
        (
            '<!doctype html><html><body onload="document.forms[0].submit()">'
            f'<form method="post" action="{action}">'
            f'<input name="rationale" value="{html.escape(LURE)}">'
            '<input name="status" value="kept"></form></body></html>'
        ).encode(),
    )
    with logged() as lines, tab.expect_response(lambda r: r.request.method == "POST") as sent:
        tab.goto(attacker.url("/", host=attacker_host))
    answer = sent.value
    assert answer.status == 403
    assert "set-cookie" not in answer.all_headers()
    tab.wait_for_url(action)  # the answer is the page shown
    tab.wait_for_load_state()
    shown = tab.content()
    assert "lofte-support.example" not in shown and "spärrats" not in shown
    assert 'type="password"' not in shown  # not the login form
    assert _session(tab) == before  # the editor's cookie is untouched
    said = "cross-site" if attacker_host == "localhost" else "same-site"
    assert any(f"Sec-Fetch-Site: '{said}'" in line.getMessage() for line in lines)
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    tab.goto(f"{base}/edit")
    assert tab.url == f"{base}/edit"  # still logged in, not sent to the login page
    assert "anna" in tab.locator("header").inner_text()
