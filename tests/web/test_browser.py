"""The pages people use, in a real headless Chromium (Debian's `chromium`, driven by Playwright).

The app runs under uvicorn on 127.0.0.1 in a thread; the browser has JavaScript switched off, to
prove the pages work without it. Screenshots go to test-artifacts/browser/ (gitignored).

Without Chromium or Playwright the tests skip with the reason, except in CI (CI=true), where
they fail: CI must run them (.ci/run installs both).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Site, browser_login
from .test_editor import _ranked_candidates

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium() -> str | None:
    candidates = [
        os.environ.get("LOFTE_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests must run in CI: {reason} (see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install playwright)")
    executable = _chromium()
    if executable is None:
        _missing("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1100, "height": 900}, locale="sv-SE"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.errors = errors
    yield tab
    context.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _kept_on_meter(page: Any) -> str:
    row = page.locator("table.counts").first.locator("tbody tr").first
    # the number, without the link's words for screen readers ("1 löften: Uppfyllt")
    return str(row.locator("td").first.inner_text()).split()[0]


def test_editor_accepts_a_suggestion_sets_a_verdict_and_the_public_pages_change(
    page: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    page.goto(f"{base}/trackers/{site.slug}")
    assert _kept_on_meter(page) == "0"
    _shot(page, "01-meter-before")

    # keyboard: the first Tab reaches the skip link, and it is visibly focused
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "skip" and outline == "solid"

    page.get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    assert "Inloggad som anna" in page.locator(".flash").inner_text()

    page.get_by_role("link", name="Förslag att granska").click()
    suggestion = page.locator("article.suggestion").filter(has_text="simhall")
    assert "simhall → simhallen" in suggestion.inner_text()
    _shot(page, "02-review-queue")
    suggestion.get_by_role("button", name="Godta").click()
    assert "godtaget" in page.locator(".flash").inner_text()

    page.goto(f"{base}/edit/pledges/{site.pool}")
    page.get_by_label("Status").select_option("kept")
    page.get_by_label("Motivering").fill("Simhallen i Norrvik invigdes i mars 2024.")
    page.locator(f"#v-ev-{site.ev_pool}").check()
    _shot(page, "03-verdict-form")
    page.get_by_role("button", name="Spara bedömningen").click()
    assert "publicerad" in page.locator(".flash").inner_text()

    page.goto(f"{base}/pledges/{site.pool}")
    assert page.locator(".status-line .badge").inner_text() == "Uppfyllt"
    assert "Simhallen i Norrvik invigdes i mars 2024." in page.locator("ol.timeline").inner_text()
    assert page.locator("article.evidence mark").first.inner_text().startswith("Den nya")
    _shot(page, "04-public-pledge")

    page.goto(f"{base}/trackers/{site.slug}")
    assert _kept_on_meter(page) == "1"
    loaded = page.evaluate(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    assert loaded, "a chart did not load"
    _shot(page, "05-meter-after")
    assert not page.errors, page.errors  # e.g. no Content-Security-Policy violations


def test_a_second_editor_sees_a_conflict_with_the_input_kept(
    page: Any, browser: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    other = browser.new_context(java_script_enabled=False)
    second = other.new_page()
    for tab, name in ((page, "anna"), (second, "bo")):
        browser_login(tab, base, f"/edit/pledges/{site.pool}", name)
    for tab, status, text in (
        (page, "in_the_works", "Planteringen har börjat."),
        (second, "stalled", "Inget händer vid ån."),
    ):
        tab.get_by_label("Status").select_option(status)
        tab.get_by_label("Motivering").fill(text)
    page.get_by_role("button", name="Spara bedömningen").click()
    second.get_by_role("button", name="Spara bedömningen").click()
    assert "Någon annan ändrade löftet" in second.get_by_role("alert").first.inner_text()
    assert second.get_by_label("Motivering").input_value() == "Inget händer vid ån."
    _shot(second, "06-conflict")
    other.close()


def test_the_draft_checkbox_keeps_its_size_with_its_label_beside_it(
    page: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    browser_login(page, base, f"/edit/pledges/{site.pool}")
    box = page.locator("#v-draft").bounding_box()
    label = page.locator("label[for=v-draft]").bounding_box()
    assert box["width"] < 40, box  # was stretched across the form (633 px)
    assert label["x"] > box["x"] + box["width"] - 1  # beside it, not under it
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 12


def test_an_editor_on_a_phone_rejects_a_suggestion_with_a_reason(
    page: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, base, f"/edit/pledges/{site.pool}")
    evidence = page.locator(f"#evidence-{site.ev_pool}")
    field = evidence.get_by_label("Skäl (valfritt)")
    for part in (field, evidence.get_by_role("button", name="Avvisa")):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # within the phone's width
    name, value = evidence.locator(".facts dt").last, evidence.locator(".facts dd").last
    assert value.bounding_box()["y"] > name.bounding_box()["y"]  # a fact's value under its name
    field.fill("Gäller en annan simhall.")
    evidence.screenshot(path=str(ARTIFACTS / "09-reject-with-reason-phone.png"))
    evidence.get_by_role("button", name="Avvisa").click()
    shown = page.locator(f"#evidence-{site.ev_pool}")
    assert "Skäl: Gäller en annan simhall." in shown.inner_text()
    assert "Avvisat" in shown.inner_text() or "avvisat" in shown.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.errors, page.errors


def test_editor_filters_candidates_by_rank_and_precision(
    page: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    ids = _ranked_candidates(site)
    browser_login(page, base, f"/edit/trackers/{site.slug}/pledges?state=candidate")

    def shown() -> list[int]:
        return [
            int(t) for t in page.locator("table.ranked tbody tr td:first-child").all_inner_texts()
        ]

    assert shown()[:2] == [ids["trees"], ids["pool_again"]]  # highest rank first
    assert (
        page.locator("table.ranked tbody tr")
        .first.locator("td.rank")
        .inner_text()
        .startswith("0,90")  # the Swedish page writes a decimal comma
    )
    page.get_by_label("Precision").select_option("vague")
    page.get_by_label("Lägsta rang").select_option("0.25")
    _shot(page, "07-ranking-filter")
    page.get_by_role("button", name="Visa").click()  # a plain GET form: no JavaScript
    assert (
        "precision=vague" in page.url
        and "min_rank=0.25" in page.url
        and "state=candidate" in page.url
    )
    assert shown() == [ids["taxa"]]
    assert page.get_by_label("Precision").input_value() == "vague"  # the form keeps its values
    assert page.get_by_label("Lägsta rang").input_value() == "0.25"
    page.get_by_label("Lägsta rang").select_option("0.0")
    page.get_by_label("Ordning").select_option("position")
    page.get_by_role("button", name="Visa").click()
    assert shown() == [ids["low"], ids["taxa"]]  # "i Norrvik." comes before the preschool item
    _shot(page, "08-ranking-by-position")
    assert not page.errors, page.errors


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        _missing("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _missing("no chromium")
