"""Issue 12's whole loop on the real seeds, as a newsroom editor does it, in Chromium without
JavaScript: the program and news are ingested, extracted and linked with the CLI; then the editor
confirms the pledge on a named doctor, finds the news item the linker missed through the
pledge-side search and attaches it, sets a verdict with an as-of date, publishes the tracker,
and the public meter, the pledge page, the party breakdown and the RSS feed change. axe-core
checks every public and editor page the loop passes (and their neighbours) at 1280 and 390 px.

The browser actions are counted (each click, fill, select or check); screenshots go to
test-artifacts/browser/loop-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.model import Role
from lofte.review import users
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store, open_store

from .conftest import PASSWORD, live_server
from .test_accessibility import _axe_script, _report, _violations
from .test_browser import ARTIFACTS, CHROMIUM_ARGS, _chromium, _missing

SLUG = "rodgrona"
NAME = "Rödgröna styret i Stockholms stad 2022–2026"
PLEDGE_WORDS = "fast namngiven läkarkontakt"
NEWS_WORDS = "fast läkare"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[Store]:
    """The issue's set-up, through the CLI: tracker, program 002, news 000/001/003/004."""
    db = f"sqlite:///{tmp_path_factory.mktemp('loop') / 'loop.db'}"
    seed = {p.name[:3]: str(p) for p in seeds_dir.iterdir()}
    runner = CliRunner()
    steps: list[tuple[str, ...]] = [
        ("init",),
        ("tracker", "add", SLUG, "--name", NAME, "--jurisdiction", "Stockholms stad"),
        ("tracker", "edit", SLUG, "--party", "S", "--party", "V", "--party", "MP"),
        ("tracker", "edit", SLUG, "--term-start", "2022-10-15", "--term-end", "2026-10-14"),
        (
            "ingest",
            seed["002"],
            "--tracker",
            SLUG,
            "--kind",
            "program",
            "--date",
            "2022",
            "--party",
            "S",
            "--title",
            "Socialdemokraternas program för Stockholm 2022",
        ),
        *(
            ("ingest", seed[n], "--tracker", SLUG, "--kind", "news")
            for n in ("000", "001", "003", "004")
        ),
        ("extract", "--tracker", SLUG),
        ("link", "--tracker", SLUG),
    ]
    for step in steps:
        result = runner.invoke(app, ["--db", db, *step])
        assert result.exit_code == 0, (step, result.output)
    store = open_store(db)
    users.add_user(store, "redaktor", PASSWORD, Role.ADMIN, actor="test")
    yield store
    store.dispose()


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


class Editor:
    """A browser tab that counts the editor's actions."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab
        self.actions = 0

    def click(self, locator: Any) -> None:
        self.actions += 1
        locator.click()

    def fill(self, locator: Any, text: str) -> None:
        self.actions += 1
        locator.fill(text)

    def select(self, locator: Any, value: str) -> None:
        self.actions += 1
        locator.select_option(value)

    def check(self, locator: Any) -> None:
        self.actions += 1
        locator.check()

    def shot(self, name: str) -> str:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"loop-{name}.png"
        self.tab.screenshot(path=str(path), full_page=True)
        return str(path)


def _ids(store: Store) -> tuple[int, int, int]:
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, SLUG)
        pledge = next(
            p for p in pledge_store.list_pledges(s, tracker.id) if PLEDGE_WORDS in p.quote
        )
        news = next(
            d
            for d in document_store.list_documents(s, tracker.id)
            if NEWS_WORDS in d.body and d.kind.value == "news"
        )
        program = next(
            d for d in document_store.list_documents(s, tracker.id) if d.kind.value == "program"
        )
    return pledge.id, news.id, program.id


def test_the_whole_seeds_loop_as_an_editor(seeded: Store, browser: Any) -> None:
    pledge_id, news_id, program_id = _ids(seeded)
    with live_server(seeded) as base:
        assert httpx.get(f"{base}/trackers/{SLUG}").status_code == 404  # a draft is not public
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="sv-SE"
        )
        context.set_default_timeout(30_000)
        ed = Editor(context.new_page())
        tab = ed.tab

        tab.goto(f"{base}/login?next=/edit")
        ed.fill(tab.get_by_label("Användarnamn"), "redaktor")
        ed.fill(tab.get_by_label("Lösenord"), PASSWORD)
        ed.click(tab.get_by_role("button", name="Logga in"))
        tab.wait_for_url(f"{base}/edit")

        # review the pledge: it is an unreviewed candidate of the S program
        tab.goto(f"{base}/edit/pledges/{pledge_id}")
        ed.click(tab.get_by_role("button", name="Bekräfta löftet"))
        assert "Bekräftat" in tab.locator("main").inner_text() or "bekräft" in tab.content()

        # the linker missed the news item: the pledge-side search finds it, marked "möjlig"
        ed.click(tab.get_by_role("button", name="Sök dokument"))  # ranked for the pledge
        first = tab.locator("article.candidate").first
        assert NEWS_WORDS in first.inner_text() or f"/documents/{news_id}" in first.inner_html()
        assert "möjlig" in first.inner_text()
        ed.shot("01-pledge-side-search")
        ed.click(first.get_by_role("button", name="Lägg till som belägg"))

        # the verdict, with the date the decision took effect
        tab.goto(f"{base}/edit/pledges/{pledge_id}#verdict-form")
        ed.select(tab.get_by_label("Status"), "in_the_works")
        ed.fill(
            tab.get_by_label("Motivering"),
            "Regionen beslutade att alla patienter ska ha en fast läkare på vårdcentralen.",
        )
        ed.fill(tab.get_by_label("Gäller per"), "2024")
        for box in tab.locator("input[id^='v-ev-']").all():
            ed.check(box)
        ed.shot("02-verdict-form")
        ed.click(tab.get_by_role("button", name="Spara bedömningen"))
        # saved; the tracker is still a draft, so the verdict is not public yet (QA)
        assert "blir publik först när mätaren publiceras" in tab.locator(".flash").inner_text()

        # publish the tracker: the box first, then the button
        tab.goto(f"{base}/edit")
        ed.check(tab.locator("form[action$='/publish'] input[name='confirm']"))
        ed.click(tab.locator("form[action$='/publish'] button"))
        assert httpx.get(f"{base}/trackers/{SLUG}").status_code == 200

        # the public side changed: the meter counts the verdict, for the party too
        data = httpx.get(f"{base}/api/trackers/{SLUG}").json()
        assert data["meter"]["counts"]["in_the_works"] == 1
        [s_row] = [row for row in data["by_party"] if row["party"] == "S"]
        assert s_row["counts"]["in_the_works"] == 1
        tab.goto(f"{base}/trackers/{SLUG}")
        meter = tab.locator("main").inner_text()
        assert NAME in meter and "På gång" in meter
        ed.shot("03-public-meter")
        tab.goto(f"{base}/pledges/{pledge_id}")
        page = tab.locator("main").inner_text()
        assert "På gång" in page and "2024" in page and NEWS_WORDS in page
        ed.shot("04-public-pledge")
        tab.goto(f"{base}/trackers/{SLUG}/parties/S")
        assert "På gång" in tab.locator("main").inner_text()
        ed.shot("05-party-page")
        feed = ET.fromstring(httpx.get(f"{base}/trackers/{SLUG}/feed.xml").content)
        items = feed.findall("./channel/item")
        assert items and PLEDGE_WORDS.split()[0] in "".join(
            ET.tostring(i, "unicode") for i in items
        )
        print(f"\nthe loop took {ed.actions} browser actions")
        assert ed.actions <= 20
        context.close()

        public = [
            "/",
            f"/trackers/{SLUG}",
            f"/trackers/{SLUG}/pledges",
            f"/trackers/{SLUG}/pledges?party=S",
            f"/trackers/{SLUG}/documents",
            f"/trackers/{SLUG}/metod",
            f"/trackers/{SLUG}/parties/S",
            f"/pledges/{pledge_id}",
            f"/pledges/{pledge_id}?lang=en",
            f"/documents/{program_id}",
            f"/documents/{news_id}",
            "/search?q=l%C3%A4kare",
        ]
        editor = [
            "/edit",
            f"/edit/trackers/{SLUG}/queue",
            f"/edit/trackers/{SLUG}/pledges?state=candidate",
            f"/edit/trackers/{SLUG}/documents/{news_id}",
            f"/edit/trackers/{SLUG}/settings",
            f"/edit/pledges/{pledge_id}",
            f"/edit/pledges/{pledge_id}/attach?q=l%C3%A4kare",
            f"/edit/documents/{news_id}",
            "/edit/audit",
        ]
        problems = _axe_everywhere(browser, base, public, editor)
        assert not problems, "axe-core violations:\n" + "\n".join(problems)


def _axe_everywhere(browser: Any, base: str, public: list[str], editor: list[str]) -> list[str]:
    script = _axe_script()
    problems: list[str] = []
    for width in (1280, 390):
        context = browser.new_context(
            viewport={"width": width, "height": 844 if width < 500 else 900},
            locale="sv-SE",
            bypass_csp=True,
        )
        context.set_default_timeout(30_000)
        tab = context.new_page()
        for url in public:
            assert tab.goto(base + url).status == 200, url
            if width == 390:
                wide = tab.evaluate("document.documentElement.scrollWidth")
                if wide > 390:
                    problems.append(f"{url} @ 390px scrolls sideways ({wide} px)")
            found = _violations(tab, script)
            if found:
                problems.append(_report(url, width, found))
        tab.goto(f"{base}/login?lang=sv&next=/edit")  # a page above switched to English
        tab.get_by_label("Användarnamn").fill("redaktor")
        tab.get_by_label("Lösenord").fill(PASSWORD)
        tab.get_by_role("button", name="Logga in").click()
        tab.wait_for_url(f"{base}/edit")
        for url in editor:
            assert tab.goto(base + url).status == 200, url
            found = _violations(tab, script)
            if found:
                problems.append(_report(url, width, found))
        context.close()
    return problems
