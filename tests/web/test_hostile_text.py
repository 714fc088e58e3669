"""Hostile text in every field a reader or an editor sees, written through the real store,
and every page, feed and image the site serves read back with a parser: no element, attribute
or link may come out of the text, in any context (HTML text or attribute, href, SVG, RSS)."""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient
from sqlalchemy import update

from lofte.model import VerdictStatus
from lofte.review import pledges as pledge_review
from lofte.review import tracker_admin
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import pledges as pledge_store
from lofte.store.schema import DocumentRow
from lofte.watch import sources as source_admin

from .conftest import Site, login, make_app, make_client, snapshot

MARK = "onerror=alert(1)"
# an attribute breakout, a script-block breakout and an SVG handler, under 100 characters
# (a party's name may be no longer)
HOSTILE = "\"><img src=x onerror=alert(1)></script><script>alert(2)</script>'><svg onload=alert(3)>"
SCRIPT_URL = "javascript:alert(1)"
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
MAX_PAGES = 400


class _Checked(HTMLParser):
    """The elements of an HTML text, with what of them a hostile text could have made."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRS:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)
                if len(scheme) == 2 and scheme[0] in ("javascript", "vbscript", "data"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                if name != "action":  # a form's address is no page to fetch
                    self.links.append(value)
            if tag == "meta" and name == "content" and "url=" in value.lower():
                self.links.append(value.split("=", 1)[1])
            self.text.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(html: str) -> _Checked:
    parser = _Checked()
    parser.feed(html)
    parser.close()
    return parser


def check_xml(body: bytes) -> tuple[list[str], list[str], str]:
    """Problems, links and all text of an SVG or RSS document; an RSS item's description
    is HTML to a feed reader, so it is read as HTML too."""
    root = ET.fromstring(body)
    problems: list[str] = []
    links: list[str] = []
    texts: list[str] = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject", "iframe"):
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.startswith("on"):
                problems.append(f"<{tag} {local}=…>")
            if local == "href" and value.strip().lower().startswith(("javascript:", "data:")):
                problems.append(f"<{tag} href={value!r}>")
            texts.append(value)
        if tag == "link" and element.text:
            links.append(element.text)
        if tag == "description" and element.text:
            inner = check_html(element.text)
            problems += [f"description: {p}" for p in inner.problems]
            texts += inner.text
        elif element.text:
            texts.append(element.text)
    return problems, links, " ".join(texts)


def hostile_site(site: Site) -> None:
    """HOSTILE in every field a page shows, written as the library writes it."""
    store = site.store
    tracker_admin.edit(
        store,
        site.slug,
        actor="tester",
        name=f"Sjövik {HOSTILE}",
        jurisdiction=HOSTILE,
        description=HOSTILE,
        methodology=HOSTILE,
        actors=["S", HOSTILE],
    )
    for pledge_id in (site.pool, site.trees):
        pledge_review.edit(
            store, pledge_id, area=HOSTILE, topic=HOSTILE, party=HOSTILE, actor="tester"
        )
    with store.session() as s:
        s.execute(
            update(DocumentRow)
            .where(DocumentRow.id.in_([site.program, *site.news.values()]))
            .values(title=f"Nyhet {HOSTILE}", category=HOSTILE, party=HOSTILE, url=SCRIPT_URL)
        )
    decide_evidence(store, site.ev_pool, True, actor="tester")
    set_verdict(store, site.pool, VerdictStatus.IN_THE_WORKS, HOSTILE, actor="tester")
    source_admin.add(
        store,
        site.slug,
        HOSTILE,
        "https://example.se/nyheter?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        actor="tester",
        every="6h",
        publisher=HOSTILE,
    )


def crawl(client: TestClient, starts: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Every page of the site reachable from `starts` by its links: url -> (kind, problems),
    and whether the hostile text was seen in it (as text)."""
    seen: dict[str, tuple[str, list[str]]] = {}
    todo = deque(starts)
    while todo and len(seen) < MAX_PAGES:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        kind = response.headers.get("content-type", "").split(";")[0]
        problems: list[str] = []
        links: list[str] = []
        text = ""
        if kind == "text/html":
            checked = check_html(response.text)
            problems, links, text = checked.problems, checked.links, " ".join(checked.text)
        elif kind in ("image/svg+xml", "application/rss+xml", "application/xml", "text/xml"):
            problems, links, text = check_xml(response.content)
        elif kind == "application/json":
            text = json.dumps(response.json(), ensure_ascii=False)
        seen[url] = (kind, problems + (["shows it"] if MARK in text else []))
        for link in links:
            target = urljoin(url, link.strip())
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site's address
            if parts.path.startswith(("/static/", "/login")) or "lang=en" in parts.query:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                todo.append(local)
    return seen


def _report(pages: dict[str, tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    return [(url, [p for p in problems if p != "shows it"]) for url, (_, problems) in pages.items()]


def test_hostile_text_is_inert_on_every_public_page_feed_and_image(site: Site) -> None:
    hostile_site(site)
    client = make_client(site.store)
    pages = crawl(
        client,
        [
            "/",
            f"/pledges/{site.pool}",
            f"/trackers/{site.slug}/widget.html",
            f"/trackers/{site.slug}/widget.svg",
            f"/pledges/{site.pool}/feed.xml",
            f"/api/pledges/{site.pool}",
            f"/api/v1/pledges/{site.pool}",
            f"/api/trackers/{site.slug}",
        ],
    )
    assert len(pages) >= 30
    leaks = [(url, p) for url, p in _report(pages) if p]
    assert leaks == []
    showing = {url for url, (_, problems) in pages.items() if "shows it" in problems}
    kinds = {pages[url][0] for url in showing}
    # the text is there to be read: on the pages, in the feeds and the JSON
    assert {"text/html", "application/json"} <= kinds, kinds
    assert kinds & {"application/rss+xml", "application/xml"}, kinds  # a feed, by either type


def test_hostile_text_is_inert_on_every_editors_page(site: Site) -> None:
    hostile_site(site)
    app = make_app(site.store)
    admin = make_client(site.store, app=app)
    login(admin, "admin1")
    before = snapshot(site)
    pages = crawl(
        admin,
        [
            "/edit",
            f"/edit/pledges/{site.pool}",
            f"/edit/pledges/{site.trees}",
            f"/edit/trackers/{site.slug}/settings",
            "/edit/audit",
            f"/edit/pledges/{site.pool}/attach?q=Nyhet",
        ],
    )
    # an admin's cookie goes along with a link from another site (SameSite=Lax): no page
    # she is shown by following links may change anything
    assert snapshot(site) == before
    edit_pages = [url for url in pages if url.startswith("/edit")]
    assert len(edit_pages) >= 10
    leaks = [(url, p) for url, p in _report(pages) if p]
    assert leaks == []
    assert sum("shows it" in pages[url][1] for url in edit_pages) >= 5


def test_hostile_input_sent_back_in_a_refused_form_is_inert(site: Site) -> None:
    """A form refused (422, 409, 400) shows the editor's input again: escaped in its fields."""
    hostile_site(site)
    admin = make_client(site.store)
    token = login(admin, "admin1")
    with site.store.session() as s:
        version = pledge_store.get_pledge(s, site.trees).version
    posts = [
        # kept without accepted evidence: refused, the form shown again with the rationale
        (
            f"/edit/pledges/{site.pool}/verdict",
            {"status": "kept", "rationale": HOSTILE, "expected_version": "99", "as_of": HOSTILE},
        ),
        (
            f"/edit/pledges/{site.trees}/verdict",
            {
                "status": "kept",
                "rationale": HOSTILE,
                "expected_version": str(version),
                "as_of": HOSTILE,
            },
        ),
        (
            f"/edit/pledges/{site.trees}/edit",
            {
                "start": HOSTILE,
                "end": "",
                "area": HOSTILE,
                "topic": HOSTILE,
                "party": HOSTILE,
                "expected_version": "99",
            },
        ),
        (
            f"/edit/pledges/{site.trees}/split",
            {"marked": HOSTILE, "expected_version": str(version)},
        ),
        (
            f"/edit/pledges/{site.trees}/state",
            {"action": "reject", "reason": HOSTILE, "expected_version": "99"},
        ),
        (f"/edit/pledges/{site.trees}/deadline", {"deadline": HOSTILE, "expected_version": "99"}),
        (f"/edit/pledges/{site.trees}/attach/url", {"url": HOSTILE}),
        (f"/edit/pledges/{site.trees}/attach/url", {"url": SCRIPT_URL}),
        (
            f"/edit/trackers/{site.slug}/settings",
            {
                "name": HOSTILE,
                "actors": HOSTILE,
                "term_start": HOSTILE,
                "term_end": "",
                "description": HOSTILE,
                "methodology": HOSTILE,
            },
        ),
        (f"/edit/trackers/{site.slug}/delete", {"confirm": HOSTILE}),
        (f"/edit/documents/{site.program}", {"title": HOSTILE, "date": HOSTILE}),
        (f"/edit/trackers/{site.slug}/notifications", {"email": HOSTILE, "webhook": SCRIPT_URL}),
    ]
    for url, data in posts:
        response = admin.post(url, data={**data, "csrf_token": token})
        assert response.status_code in (409, 422), (url, response.status_code)
        checked = check_html(response.text)
        assert checked.problems == [], (url, response.status_code)
        assert MARK in " ".join(checked.text), url  # the input is shown again, as text
    refused = make_client(site.store)
    page = refused.get("/login", params={"next": f"/edit?{HOSTILE}"})
    assert check_html(page.text).problems == []


def test_hostile_text_in_the_address_is_inert(site: Site) -> None:
    """What a link from another site puts in the address (query values, path segments) and
    the page shows again: the search words, filters, an unknown name on the 404 page."""
    admin = make_client(site.store)
    login(admin, "admin1")
    anonymous = make_client(site.store)
    h = quote(HOSTILE, safe="")
    urls = [
        f"/search?q={h}",
        f"/search?q={h}&tracker={h}",
        f"/trackers/{site.slug}/pledges?area={h}&status={h}&party={h}&q={h}",
        f"/trackers/{site.slug}/parties/{h}",
        f"/trackers/{h}",
        f"/trackers/{site.slug}/documents?kind={h}&page={h}",
        f"/pledges/{h}",
        f"/{h}",
        f"/?lang={h}",
        f"/login?next={h}",
        f"/edit/trackers/{site.slug}/pledges?state={h}&precision={h}&min_rank={h}&sort={h}",
        f"/edit/trackers/{site.slug}/queue?min_rank={h}",
        f"/edit/audit?action={h}",
        f"/edit/pledges/{site.pool}/attach?q={h}",
    ]
    for client in (anonymous, admin):
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            if response.headers.get("content-type", "").startswith("text/html"):
                assert check_html(response.text).problems == [], (url, response.status_code)


def test_the_checker_sees_a_leak() -> None:
    """The parser above finds what an unescaped field would make."""
    assert check_html(f"<p>{HOSTILE}</p>").problems
    assert check_html(f'<a title="{HOSTILE}">x</a>').problems
    assert check_html(f'<a href="{SCRIPT_URL}">x</a>').problems
    assert not check_html("<p>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</p>").problems
    rss = f"<rss><channel><item><description>{HOSTILE.replace('<', '&lt;')}</description></item></channel></rss>"
    assert check_xml(rss.encode())[0]
