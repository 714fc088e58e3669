"""A browser that opens a feed gets, from the server, the page the feed's stylesheet makes
(web/feed_view.py): Chromium is removing XSLT, after which the feed would show as raw XML.
A feed reader still gets the feed."""

from __future__ import annotations

import datetime as dt

import feedparser
import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lofte.store.schema import VerdictRow
from lofte.web import feed_view

from .conftest import SCRIPT, Site
from .test_browser import browser  # noqa: F401 - the Chromium fixture
from .test_feed_page import RATIONALE, _feed_urls, _transform, _verdicts

CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READER = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "page"),
    [
        (CHROMIUM, True),
        (FIREFOX, True),
        ("TEXT/HTML", True),
        (READER, False),
        ("*/*", False),
        (None, False),
        ("", False),
        ("text/html, application/xml", False),  # a tie keeps the feed
        ("text/html;q=0, application/xml;q=0.1", False),
        ("text/html;q=nonsense, text/xml;q=0.1", False),  # an unreadable q is 0
        ("application/xml;q=0.5, text/html;q=0.6", True),
        ("text/html;q=0.9" + ", x/y" * 5000, True),  # read up to a bound
    ],
)
def test_a_browser_s_navigation_prefers_the_page(accept: str | None, page: bool) -> None:
    assert feed_view.prefers_page(accept) is page


def test_a_browser_gets_the_stylesheet_s_page_and_a_reader_the_feed(
    client: TestClient, site: Site
) -> None:
    _verdicts(site)
    for url in _feed_urls(site):
        feed = client.get(url, headers={"Accept": READER})
        assert feed.headers["content-type"] == "application/xml; charset=utf-8", url
        assert feedparser.parse(feed.content).version == "rss20", url
        page = client.get(url, headers={"Accept": CHROMIUM})
        assert page.status_code == 200, url
        assert page.headers["content-type"] == feed_view.PAGE_TYPE, url
        # the very page the browser made of the feed with the stylesheet
        assert lxml.html.tostring(lxml.html.fromstring(page.content)) == lxml.html.tostring(
            _transform(feed.content)
        ), url
        assert page.headers["etag"] != feed.headers["etag"], url
        for answer in (feed, page):
            vary = answer.headers["vary"]
            assert "Accept" in vary and "Cookie" in vary, url
    page = client.get(f"/pledges/{site.pool}/feed.xml", headers={"Accept": CHROMIUM})
    text = page.text
    assert "&lt;b&gt;klart&lt;/b&gt;" in text and "<b>klart" not in text
    assert SCRIPT not in text  # escaped, as every text of the feed
    parsed = lxml.html.fromstring(page.content)
    assert RATIONALE in [p.text_content() for p in parsed.find_class("text")]
    assert not parsed.xpath("//script | //b")


def test_the_page_s_policy_lets_its_style_in_and_nothing_else(
    client: TestClient, site: Site
) -> None:
    url = f"/pledges/{site.pool}/feed.xml"
    page = client.get(url, headers={"Accept": CHROMIUM})
    assert page.headers["content-security-policy"] == feed_view.PAGE_CSP
    assert "script-src" not in feed_view.PAGE_CSP and "default-src 'none'" in feed_view.PAGE_CSP
    again = client.get(url, headers={"Accept": CHROMIUM, "If-None-Match": page.headers["etag"]})
    assert again.status_code == 304
    # a 304's headers replace the stored ones: it keeps the page's policy
    assert again.headers["content-security-policy"] == feed_view.PAGE_CSP
    # the feed's validator does not answer for the page, nor the page's for the feed
    feed_tag = client.get(url, headers={"Accept": READER}).headers["etag"]
    assert (
        client.get(url, headers={"Accept": CHROMIUM, "If-None-Match": feed_tag}).status_code == 200
    )
    assert client.get(url, headers={"If-None-Match": page.headers["etag"]}).status_code == 200


def test_the_page_names_the_feed_s_address_to_copy_when_it_knows_it(site: Site) -> None:
    """With LOFTE_PUBLIC_URL the page shows the feed's full address to copy into a reader;
    without it (tests/web/test_feed_page.py) it points to the address bar, since a
    root-relative address is nothing a feed reader can use (QA)."""
    from lofte.config import Settings
    from lofte.web.app import create_app

    settings = Settings(
        secret_key="x" * 32,
        public_url="https://lofte.example.se/",  # type: ignore[call-arg]
        _env_file=None,
    )
    client = TestClient(create_app(site.store, settings))
    page = client.get(f"/pledges/{site.pool}/feed.xml", headers={"Accept": CHROMIUM})
    parsed = lxml.html.fromstring(page.content)
    note = parsed.find_class("about")[0].text_content()
    assert f"https://lofte.example.se/pledges/{site.pool}/feed.xml" in note
    # one character set, as libxslt writes it: two were invalid HTML (QA)
    assert len(parsed.xpath("//meta[@charset or @http-equiv]")) == 1
    assert parsed.xpath("//link[@rel='icon']/@href") == ["data:,"]  # no /favicon.ico 404


def test_the_english_page_marks_the_items_swedish_text(client: TestClient, site: Site) -> None:
    """QA: on the English feed page a pledge's quote and an editor's rationale were English
    text to a screen reader; the page's own words ("Kept: ") stay English."""
    _verdicts(site)
    english = client.get(f"/pledges/{site.pool}/feed.xml?lang=en", headers={"Accept": CHROMIUM})
    page = lxml.html.fromstring(english.content)
    item = page.xpath("//ol[@class='items']/li")[0]
    heading = item.xpath(".//h2")[0]
    assert heading.text_content().startswith("Kept: ")
    (quote,) = heading.xpath(".//span[@lang='sv']")
    assert quote.text and "Kept" not in quote.text
    (text,) = item.find_class("text")
    assert [s.text_content() for s in text.xpath(".//span[@lang='sv']")] == [RATIONALE]
    swedish = client.get(f"/pledges/{site.pool}/feed.xml", headers={"Accept": CHROMIUM})
    assert not lxml.html.fromstring(swedish.content).xpath("//li//span[@lang='sv']")
    # a verdict about a month: "As of May 2024: " is the page's, the rationale the editor's
    with site.store.session() as s:
        verdict = s.scalars(select(VerdictRow).where(VerdictRow.pledge_id == site.trees)).one()
        verdict.as_of_value, verdict.as_of_precision = dt.date(2024, 5, 1), "month"
    english = client.get(f"/pledges/{site.trees}/feed.xml?lang=en", headers={"Accept": CHROMIUM})
    (text,) = lxml.html.fromstring(english.content).find_class("text")[-1:]
    assert text.text_content().startswith("As of ")
    assert [s.text_content() for s in text.xpath(".//span[@lang='sv']")] == ["Plantering pågår."]
