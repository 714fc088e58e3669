"""The meter's charts, the editors' pledge table and long names on a phone (375 px), in Chromium.

Measured, not looked at: a chart label's rendered height is its font size in the SVG the page
chose times the image's rendered width over the SVG's own width (an <img> scales its SVG); the
editor's pledge list may be wider than the phone only inside its own scroll region.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from lofte.model import VerdictStatus
from lofte.review import pledges as pledge_review
from lofte.review.verdicts import set_verdict

from .conftest import Site, browser_login
from .test_accessibility import public_pages
from .test_browser import _shot, browser  # noqa: F401  # browser: the Chromium fixture

PHONE = 375
LEGIBLE = 10.0  # px: the smallest label height that reads on a phone

# In the SVG document itself (its own CSP allows its inline styles): the SVG's width in user
# units and the smallest font size of a text that shows something.
_SVG_FONTS = """() => {
  const svg = document.documentElement;
  const width = svg.viewBox.baseVal && svg.viewBox.baseVal.width
    ? svg.viewBox.baseVal.width : svg.width.baseVal.value;
  const sizes = [...document.querySelectorAll('text')]
    .filter(el => el.textContent.trim() && getComputedStyle(el).display !== 'none'
                  && el.getBBox().width > 0)
    .map(el => parseFloat(getComputedStyle(el).fontSize));
  return {width, smallest: Math.min(...sizes), texts: sizes.length};
}"""


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": PHONE, "height": 812}, locale="sv-SE", java_script_enabled=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


_SHOWN = "[...document.querySelectorAll('figure img')].filter(i => getComputedStyle(i).display !== 'none')"


def _shown_charts(tab: Any) -> list[dict[str, Any]]:
    """The chart images the page shows (the CSS hides the other drawing of each), loaded: the
    address each came from and its rendered width."""
    for img in tab.locator("figure img").all():  # lazy images load when scrolled to
        if img.is_visible():
            img.scroll_into_view_if_needed()
    loaded = f"() => {_SHOWN}.every(i => i.complete && i.naturalWidth > 0)"
    deadline = time.monotonic() + 15  # polled: the page's CSP forbids wait_for_function's eval
    while not tab.evaluate(loaded):
        assert time.monotonic() < deadline, "the charts did not load"
        time.sleep(0.05)
    return tab.evaluate(  # type: ignore[no-any-return]
        f"""() => {_SHOWN}.map(i => ({{src: i.currentSrc || i.src,
                                      rendered: i.getBoundingClientRect().width}}))"""
    )


def test_chart_labels_are_legible_at_375_px(phone: Any, served: tuple[str, Site]) -> None:
    base, site = served
    phone.goto(f"{base}/trackers/{site.slug}")
    shown = _shown_charts(phone)
    _shot(phone, "phone-meter")
    assert len(shown) == 3, shown  # status, areas, over the term: one drawing of each
    measured = {}
    for chart in shown:
        assert chart["rendered"] <= PHONE
        phone.goto(chart["src"])
        fonts = phone.evaluate(_SVG_FONTS)
        assert fonts["texts"] > 3, (chart, fonts)
        label = fonts["smallest"] * chart["rendered"] / fonts["width"]
        measured[chart["src"].split("/")[-1]] = round(label, 1)
    print(measured)
    assert all(size >= LEGIBLE for size in measured.values()), measured


def test_the_editors_pledge_table_does_not_widen_the_page_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    browser_login(phone, base, f"/edit/trackers/{site.slug}/pledges?state=all")
    phone.wait_for_url("**/pledges?state=all")
    sizes = phone.evaluate(
        """() => ({page: document.documentElement.scrollWidth,
                   table: document.querySelector('table.ranked').getBoundingClientRect().width,
                   box: document.querySelector('table.ranked').parentElement
                          .getBoundingClientRect().right})"""
    )
    print(sizes)
    _shot(phone, "phone-editor-pledges")
    assert sizes["page"] <= PHONE, sizes  # no sideways scrolling of the page
    assert sizes["box"] <= PHONE, sizes  # the table's region ends inside the screen


def test_a_long_unbroken_name_does_not_widen_the_home_page_or_the_widget_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    """A tracker's name or jurisdiction holding one very long word (a pasted URL, a compound):
    the home page's cards and the embeddable widget wrap it instead of scrolling sideways."""
    from sqlalchemy import update

    from lofte.store.schema import TrackerRow

    base, site = served
    word = "Sjöviksvallöftesuppföljningsgruppen" * 8  # 280 characters, no break
    with site.store.session() as s:
        s.execute(update(TrackerRow).values(name=f"Sjövik {word}", jurisdiction=word))
    widths = {}
    for path in ("/", f"/trackers/{site.slug}/widget.html", f"/trackers/{site.slug}"):
        phone.goto(base + path)
        widths[path] = phone.evaluate("() => document.documentElement.scrollWidth")
    _shot(phone, "phone-long-name")
    assert all(width <= PHONE for width in widths.values()), widths


def test_a_pledge_s_history_shows_whole_dates_and_stays_in_its_region_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    browser_login(phone, base, f"/edit/pledges/{site.trees}")
    form = phone.locator("form[action$='/state']").filter(has=phone.locator("[value=confirm]"))
    form.get_by_role("button").first.click()  # one event in the history
    phone.wait_for_url(f"**/edit/pledges/{site.trees}")
    shown = phone.evaluate(
        """() => {
          const time = document.querySelector('#history-heading ~ div table time');
          return {lines: [...time.querySelectorAll('span')].map(s => s.getClientRects().length),
                  text: time.textContent,
                  page: document.documentElement.scrollWidth,
                  box: time.closest('div.scroll').getBoundingClientRect().right};
        }"""
    )
    print(shown)
    _shot(phone, "phone-editor-history")
    assert shown["lines"] == [1, 1], shown  # "2026-12-02" and "22:47:35", each on one line
    assert shown["page"] <= PHONE and shown["box"] <= PHONE, shown


_LINES_OF_KIND = """() => [...document.querySelectorAll('tbody tr td:nth-child(2)')].map(td => {
  const range = document.createRange(); range.selectNodeContents(td);
  return {text: td.textContent.trim(), lines: range.getClientRects().length};
})"""


def test_short_table_values_stay_whole_at_375_px(phone: Any, served: tuple[str, Site]) -> None:
    # found by QA: a document's kind showed as "pro/gra/m" and "nyh/et", one cell broken over
    # three lines, because every cell could break anywhere
    base, site = served
    phone.goto(f"{base}/trackers/{site.slug}/documents")
    kinds = phone.evaluate(_LINES_OF_KIND)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    _shot(phone, "phone-documents")
    assert kinds and all(k["lines"] == 1 for k in kinds), kinds
    assert width <= PHONE, width


@pytest.mark.parametrize(("width", "text_size"), [(320, "100%"), (360, "200%")])
def test_no_public_page_scrolls_sideways_at_320_px_or_with_large_text(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    width: int,
    text_size: str,
) -> None:
    """WCAG 1.4.10 (reflow at 320 CSS px) and a phone's large-text setting (the root font
    doubled): QA found the meter's status table, the widget preview and the method page's
    status names pushing the page sideways."""
    base, site = served
    context = browser.new_context(viewport={"width": width, "height": 740}, bypass_csp=True)
    tab = context.new_page()
    pledge_review.edit(site.store, site.pool, party="S", actor="anna")
    pages = [*public_pages(site), f"/trackers/{site.slug}/parties/S"]
    wide = {}
    for url in pages:
        tab.goto(base + url)
        tab.add_style_tag(content=f"html {{ font-size: {text_size} !important }}")
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[url] = scroll
    context.close()
    assert not wide, f"pages wider than {width} px at {text_size} text: {wide}"


def test_a_verdict_timeline_shows_no_list_numbers_before_its_dates(
    phone: Any, served: tuple[str, Site]
) -> None:
    # QA: "1. november 2024" read as the 1st of November for a verdict dated to the month
    base, site = served
    pledge_review.confirm(site.store, site.trees, actor="anna")
    set_verdict(site.store, site.trees, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="tester")
    phone.goto(f"{base}/pledges/{site.trees}")
    markers = phone.evaluate(
        "() => [...document.querySelectorAll('ol.timeline > li')]"
        ".map(li => getComputedStyle(li).listStyleType)"
    )
    assert markers == ["none"], markers


def test_a_count_that_links_to_its_pledges_is_a_24_px_target(
    phone: Any, served: tuple[str, Site]
) -> None:
    # QA: the meter's "1" linking to the kept pledges was an 11 x 20 px target on a phone
    base, site = served
    pledge_review.confirm(site.store, site.trees, actor="anna")
    set_verdict(site.store, site.trees, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="tester")
    phone.goto(f"{base}/trackers/{site.slug}")
    sizes = phone.evaluate(
        "() => [...document.querySelectorAll('td.num a')].map(a => {"
        " const r = a.getBoundingClientRect(); return [a.textContent, r.width, r.height]; })"
    )
    assert sizes and all(w >= 24 and h >= 24 for _, w, h in sizes), sizes


def test_a_wide_table_s_caption_is_read_whole_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    """QA: the meter's captions ran past the phone's edge ("…per politikområde och st"), the
    table under them wider than the screen."""
    base, site = served
    phone.goto(f"{base}/trackers/{site.slug}")
    edges = phone.evaluate(
        """() => [...document.querySelectorAll('.scroll caption')].map(c => {
             const range = document.createRange(); range.selectNodeContents(c);
             return Math.max(...[...range.getClientRects()].map(r => r.right)); })"""
    )
    assert edges and max(edges) <= PHONE, edges


def _word_splits(selector: str) -> str:
    """A page function: each line break inside a word (between two letters) in the text of the
    elements `selector` finds, as the text with "|" at the break."""
    return r"""() => [...document.querySelectorAll('SELECTOR')]
  .flatMap(element => {
    const splits = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      const text = node.textContent, range = document.createRange();
      let top = null;
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rects = range.getClientRects(); if (!rects.length) continue;
        const y = Math.round(rects[0].top);
        if (top !== null && y > top + 2 && /\p{L}/u.test(text[i - 1]) && /\p{L}/u.test(text[i]))
          splits.push(text.slice(0, i) + '|' + text.slice(i));
        top = y;
      }
    }
    return splits;
  })""".replace("SELECTOR", selector)


# Each title link's line breaks that fall inside a word.
_SPLIT_WORDS = _word_splits("tbody td a")


@pytest.mark.parametrize("width", [320, 375])
def test_document_titles_wrap_whole_words_on_a_phone(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    width: int,
) -> None:
    """QA at 320 and 375 px: the document list split "Gemenska|pspartiet" because its title
    links could break anywhere and their column was squeezed to ~100 px beside the date and
    kind. Titles now wrap at spaces, and neither the page nor the table is wider than the
    screen."""
    from sqlalchemy import update

    from lofte.store.schema import DocumentRow

    base, site = served
    with site.store.session() as s:
        s.execute(
            update(DocumentRow)
            .where(DocumentRow.id == site.news["pool"])
            .values(
                title="Gemenskapspartiet i Sjövik söker en sekreterare till kommunhusets kansli"
            )
        )
    context = browser.new_context(viewport={"width": width, "height": 568}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(f"{base}/trackers/{site.slug}/documents")
    splits = tab.evaluate(_SPLIT_WORDS)
    sizes = tab.evaluate(
        """() => ({page: document.documentElement.scrollWidth, inner: window.innerWidth,
                   table: document.querySelector('table').getBoundingClientRect().right})"""
    )
    _shot(tab, f"phone-documents-{width}")
    context.close()
    assert not splits, splits
    assert sizes["page"] <= sizes["inner"] and sizes["table"] <= width, sizes


def test_a_count_table_s_row_names_stay_in_view_when_it_scrolls_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    """QA: scrolled to the right on a phone, the meter's area and party tables' rows of
    numbers had no label: the row names scrolled away with them."""
    base, _ = served
    phone.goto(f"{base}/trackers/sjovik")
    table = phone.locator("table.counts").first
    table.scroll_into_view_if_needed()
    moved = phone.evaluate(
        """() => [...document.querySelectorAll('.scroll table.counts')].map(table => {
          const box = table.closest('.scroll');
          const name = box.querySelector('tbody th');
          const before = name.getBoundingClientRect().left;
          box.scrollLeft = box.scrollWidth;
          return {scrolls: box.scrollWidth > box.clientWidth, before,
                  after: name.getBoundingClientRect().left};
        })"""
    )
    scrolled = [m for m in moved if m["scrolls"]]
    assert scrolled, moved  # a table wider than the phone (else nothing to show)
    assert all(abs(m["after"] - m["before"]) < 1 for m in scrolled), moved  # names stayed


# Each line break inside a word in the scrolling tables' cells.
_SPLIT_CELLS = _word_splits(".scroll table th, .scroll table td")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_meter_s_tables_do_not_break_words_at_390_px(
    browser: Any,  # noqa: F811
    served: tuple[str, Site],
    lang: str,
) -> None:
    """QA at 390 px: the count tables split "Politikområd|e" and "klimatomställ|ningen" (their
    first column capped at 9rem, its words allowed to break) though the tables scroll
    sideways anyway. Words stay whole; the page itself still does not scroll sideways."""
    base, site = served
    area = "Sjövik ska göra sin del i klimatomställningen"
    pledge_review.edit(site.store, site.pool, area=area, actor="anna")
    set_verdict(site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="tester")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(f"{base}/trackers/{site.slug}?lang={lang}")
    tab.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert tab.locator(".scroll table.counts").count() >= 3  # status, areas, term
    splits = tab.evaluate(_SPLIT_CELLS)
    spill = tab.evaluate(
        """() => [...document.querySelectorAll('.scroll table th, .scroll table td')]
             .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.trim())"""
    )
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    _shot(tab, f"phone-meter-words-{lang}")
    context.close()
    assert not splits, splits
    assert not spill, spill  # whole, and inside their cells
    assert width <= 390, width
