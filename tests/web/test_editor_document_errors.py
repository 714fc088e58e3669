"""A refused form on the editor's document page says so where the page opens, linking to the
error (QA: the 422 opened at the top, its only error far below the first screen, and no
summary as on the pledge page)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import Site, browser_login, login
from .test_browser import _shot, browser  # noqa: F401  # the Chromium fixture

_MISSING = "Dokumentet innehåller inte de orden"


def _summary(page: str) -> str:
    start = page.index('id="error-summary"')
    return html.unescape(page[start : page.index("</div>", start)])


@pytest.mark.parametrize(
    ("path", "data", "anchor", "said", "kept"),
    [
        (
            "/pledges",
            {"quote": "Vi ska bygga en ny ishall.", "area": "Idrott"},
            "a-quote",
            _MISSING,
            "Vi ska bygga en ny ishall.",
        ),
        (
            "",
            {"title": "Valprogram 2022", "kind": "program", "date": "2022-13-45"},
            "d-date",
            "Ogiltigt datum '2022-13-45'",
            'value="2022-13-45"',
        ),
    ],
    ids=["add a missed pledge", "correct the date"],
)
def test_a_refused_document_form_is_summed_up_at_the_top(
    client: TestClient,
    site: Site,
    path: str,
    data: dict[str, str],
    anchor: str,
    said: str,
    kept: str,
) -> None:
    token = login(client, "anna")
    url = f"/edit/documents/{site.program}"
    form = client.get(url).text
    expected = form.split('name="expected" value="', 1)[1].split('"', 1)[0]
    refused = client.post(url + path, data=data | {"csrf_token": token, "expected": expected})
    assert refused.status_code == 422
    page = refused.text
    # before any form, right under the heading: what was not saved, linked to its error
    assert page.index('id="error-summary"') < page.index(f'<form method="post" action="{url}"')
    summary = _summary(page)
    assert "Det du skickade sparades inte:" in summary and said in summary
    assert f'<a href="#{anchor}">' in summary and f'id="{anchor}"' in page
    assert kept in page  # what was typed stays in the form
    english = client.post(
        url + path, params={"lang": "en"}, data=data | {"csrf_token": token, "expected": expected}
    )
    assert "What you sent was not saved:" in _summary(english.text)


def test_the_summary_is_on_the_first_screen_of_a_phone(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
) -> None:
    base, site = served
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="sv-SE"
    )
    tab = context.new_page()
    try:
        browser_login(tab, base, f"/edit/documents/{site.program}")
        tab.get_by_label("Löftets ord").fill("Vi ska bygga en ny ishall.")
        with tab.expect_navigation() as sent:
            tab.get_by_role("button", name="Lägg till löftet").click()
        assert sent.value.status == 422
        summary = tab.locator("#error-summary")
        box = summary.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box  # seen on opening
        _shot(tab, "editor-document-422-summary")
        summary.get_by_role("link").click()  # to the refused field, its error beside it
        assert tab.url.endswith("#a-quote")
        error = tab.locator("#err-add").bounding_box()
        assert error is not None and 0 <= error["y"] < 844, error
        assert tab.locator("#a-quote").input_value() == "Vi ska bygga en ny ishall."
    finally:
        context.close()
