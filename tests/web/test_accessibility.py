"""axe-core on every public and editor page of the test site, at 1280 px and 390 px wide.

axe-core comes from the npm registry, pinned and checked (`make install` runs
scripts/fetch_axe.py); it is injected into Chromium (the page's CSP is bypassed for the
injection only; the pages themselves work without JavaScript). Every page must have 0
violations; each violation is printed with its nodes. At 390 px no public page may scroll
sideways. Without Chromium or axe-core the tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lofte.store.db import Store

from .conftest import Site, browser_login, build_site, live_server
from .test_browser import CHROMIUM_ARGS, _chromium, _missing

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.10.2"
WIDTHS = (1280, 390)


def _axe_script() -> Path:
    candidates = [
        os.environ.get("LOFTE_AXE_JS"),
        ROOT / ".venv" / f"axe-core-{AXE_VERSION}" / "axe.min.js",
    ]
    found = next((Path(c) for c in candidates if c and Path(c).is_file()), None)
    if found is None:
        _missing("axe-core is not downloaded (make install, or python scripts/fetch_axe.py)")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def axe_browser() -> Iterator[Any]:
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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    from lofte.store.db import open_store

    path = tmp_path_factory.mktemp("axe") / "axe.db"
    store: Store = open_store(f"sqlite:///{path}", create=True)
    site = build_site(store)
    with live_server(store) as base:
        yield base, site
    store.dispose()


def public_pages(site: Site) -> list[str]:
    slug = site.slug
    return [
        "/",
        f"/trackers/{slug}",
        f"/trackers/{slug}/pledges",
        f"/trackers/{slug}/pledges?lang=en",
        f"/trackers/{slug}/documents",
        f"/trackers/{slug}/metod",
        f"/pledges/{site.pool}",
        f"/pledges/{site.trees}",
        f"/pledges/{site.pool}?lang=en",
        f"/documents/{site.program}",
        f"/documents/{site.news['trees']}",
        "/search?q=simhall",
        "/search?q=simhall&lang=en",
        "/search?q=och+att+det",  # the notice: only very common words
        "/search?q=simhall+och&lang=en",  # the common words left out
        "/login",
        f"/trackers/{slug}/widget.html",
    ]


def editor_pages(site: Site) -> list[str]:
    slug = site.slug
    return [
        "/edit",
        f"/edit/trackers/{slug}/queue",
        f"/edit/trackers/{slug}/pledges?state=candidate",
        f"/edit/trackers/{slug}/pledges?state=confirmed",
        f"/edit/pledges/{site.pool}",
        f"/edit/pledges/{site.group}",
        "/edit/audit",
        f"/edit/trackers/{slug}/sources",
        f"/edit/trackers/{slug}/notifications",
        f"/edit/trackers/{slug}/worklist",
    ]


def _violations(tab: Any, script: Path) -> list[dict[str, Any]]:
    tab.add_script_tag(path=str(script))
    result = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return result  # type: ignore[no-any-return]


def _report(url: str, width: int, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url} @ {width}px: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def _check(axe_browser: Any, base: str, urls: list[str], login: str | None) -> None:
    script = _axe_script()
    problems: list[str] = []
    for width in WIDTHS:
        context = axe_browser.new_context(
            viewport={"width": width, "height": 844 if width < 500 else 900},
            locale="sv-SE",
            bypass_csp=True,
        )
        context.set_default_timeout(20_000)
        tab = context.new_page()
        if login:
            browser_login(tab, base, "/edit", login)
            tab.wait_for_url(f"{base}/edit")
        for url in urls:
            response = tab.goto(base + url)
            assert response is not None and response.status == 200, url
            found = _violations(tab, script)
            if found:
                problems.append(_report(url, width, found))
        context.close()
    if problems:
        print("\n".join(problems))
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


def test_public_pages_have_no_axe_violations(axe_browser: Any, served: tuple[str, Site]) -> None:
    base, site = served
    _check(axe_browser, base, public_pages(site), None)


def test_editor_pages_have_no_axe_violations(axe_browser: Any, served: tuple[str, Site]) -> None:
    base, site = served
    _check(axe_browser, base, editor_pages(site), "admin1")


@pytest.mark.parametrize("editor", [False, True], ids=["public", "editor"])
def test_pages_do_not_scroll_sideways_at_390_px(
    axe_browser: Any, served: tuple[str, Site], editor: bool
) -> None:
    """The editor's pages too: the worklist's visually hidden column label widened the page
    past its table's scroll box."""
    base, site = served
    context = axe_browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=True, locale="sv-SE"
    )
    tab = context.new_page()
    if editor:
        browser_login(tab, base, "/edit", "admin1")
        tab.wait_for_url(f"{base}/edit")
    wide = {}
    for url in editor_pages(site) if editor else public_pages(site):
        tab.goto(base + url)
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[url] = width
    context.close()
    assert not wide, f"pages wider than 390 px: {wide}"
