"""No Swedish UI wording on an English page, and no English one on a Swedish page.

Every page route of the OpenAPI description is requested (public pages as an anonymous reader,
editor pages as an admin), and the pages they link to, once in each language. The wordings
looked for are the UI table's own (`i18n.STRINGS`), so a new wording is covered as soon as it
is added. Text the page marks as being in another language (`lang="sv"` on a quote, a title, a
policy area) is the content, not the UI, and is left out, as is text marked `translate="no"`
(the field names of an audit record's details, shown as stored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.publish.meter import STATUS_ORDER
from lofte.review.trackers import unpublish_tracker
from lofte.review.verdicts import set_verdict
from lofte.store.audit import record_event
from lofte.store.schema import PledgeRow
from lofte.web.i18n import STRINGS

from .conftest import NEWS_POOL, NEWS_PRESCHOOL, NEWS_TREES, PROGRAM, Site, login

MAX_PAGES = 160
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_WORDS = re.compile(r"\w+")
_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def _content_words(site: Site) -> set[str]:
    """Words of the test site's own texts (documents, titles, areas, accounts, names)."""
    with site.store.session() as s:
        from sqlalchemy import text

        values = [
            str(v)
            for table in ("documents", "pledges", "trackers", "users")
            for row in s.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 (fixed names)
            for v in row
            if isinstance(v, str)
        ]
    return {
        w.lower()
        for v in (*values, PROGRAM, NEWS_POOL, NEWS_PRESCHOOL, NEWS_TREES)
        for w in _WORDS.findall(v)
    }


def wordings(lang: str, other: str, content: set[str]) -> dict[str, str]:
    """The literal pieces of every `other`-language wording of the UI table that the `lang`
    wording of the same key does not share, keyed to the table's key: what must not show on a
    `lang` page. Pieces that some `lang` wording holds too (the site's name) and pieces made
    only of the site's content words (a place name) are left out."""
    own = "\n".join(texts.get(lang, "") for texts in STRINGS.values())
    found: dict[str, str] = {}
    for key, texts in STRINGS.items():
        theirs, ours = texts.get(other, ""), texts.get(lang, "")
        if not theirs or theirs == ours:
            continue
        for piece in _PLACEHOLDER.split(theirs):
            piece = piece.strip(" .,:;()–-·…/")
            words = [w.lower() for w in _WORDS.findall(piece)]
            if len(piece) < 4 or not words or piece in ours or piece in own:
                continue
            if all(w in content for w in words) or all(w.isdigit() for w in words):
                continue
            found.setdefault(piece, key)
    return found


def _matcher(pieces: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def visible_ui_text(html: str, lang: str) -> tuple[str | None, list[str]]:
    """The page's `lang` attribute and its UI text: text nodes, the attributes a reader or a
    screen reader gets (title, aria-label, alt, placeholder) and button values, leaving out
    every element marked as being in another language."""
    doc = lxml.html.fromstring(html)
    page_lang = doc.get("lang")
    for el in list(doc.iter("script", "style")):
        el.drop_tree()
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.get("lang") not in (None, lang) or el.get("translate") == "no":
            el.drop_tree()  # content in its own language, or a code (an audit record's field)
    pieces = [" ".join(t.split()) for t in doc.itertext()]
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        pieces += [el.get(a, "") for a in _ATTRIBUTES]
        if el.tag in ("input", "button") and el.get("type") in ("submit", "button"):
            pieces.append(el.get("value", ""))
    return page_lang, [p for p in pieces if p.strip()]


def _page_paths(client: TestClient, site: Site) -> list[str]:
    """Every GET route that is not the API's, with its path filled from the test site."""
    real = {
        "slug": site.slug,
        "pledge_id": str(site.pool),
        "evidence_id": str(site.ev_pool),
        "document_id": str(site.program),
        "party": "S",
        "area": "Skola",
        "name": "areas",
    }
    spec = client.app.openapi()  # type: ignore[attr-defined]
    paths = []
    for path, methods in spec["paths"].items():
        if "get" in methods and not path.startswith("/api"):
            paths.append(re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: real.get(m.group(1), "1"), path))
    return paths


def crawl(client: TestClient, starts: list[str], keep: str) -> Iterator[tuple[str, str]]:
    """(address, HTML) of the start pages and the pages they link to under `keep`, breadth
    first, at most MAX_PAGES; links that switch the language are not followed."""
    seen: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        yield url, response.text
        for href in lxml.html.fromstring(response.text).xpath("//a/@href"):
            parts = urlsplit(urljoin("http://testserver" + urlsplit(url).path, href))
            if parts.netloc != "testserver" or "lang=" in parts.query:
                continue
            if not parts.path.startswith(keep) or parts.path.startswith(("/static", "/api")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.mark.parametrize(("lang", "other"), [("en", "sv"), ("sv", "en")])
def test_no_page_shows_the_other_languages_ui_wordings(
    site: Site, lang: str, other: str, client: TestClient
) -> None:
    pieces = wordings(lang, other, _content_words(site))
    assert len(pieces) > 500  # the table's wordings, not a hand list
    leaks = _matcher(pieces)
    paths = _page_paths(client, site)
    public = [p for p in paths if not p.startswith("/edit")]
    assert client.get(f"/?lang={lang}").status_code == 200  # the cookie keeps the choice
    pages = list(crawl(client, ["/", *public], "/"))
    editor = TestClient(client.app, follow_redirects=False)
    editor.get(f"/login?lang={lang}")
    login(editor, "admin1")
    pages += list(crawl(editor, ["/edit", *(p for p in paths if p.startswith("/edit"))], "/edit"))
    assert len(pages) > 40, [url for url, _ in pages]

    found = []
    for url, html in pages:
        page_lang, texts = visible_ui_text(html, lang)
        assert page_lang == lang, url
        for text in texts:
            for hit in leaks.finditer(text):
                found.append((url, pieces[hit.group(0)], hit.group(0), text[:120]))
    assert not found, "\n".join(map(repr, found[:40]))


def test_shares_are_written_the_way_the_pages_language_writes_them(
    client: TestClient, site: Site
) -> None:
    """ "17 %" in Swedish, "17%" in English: the meter's status table and the party table."""
    swedish = client.get(f"/trackers/{site.slug}?lang=sv").text
    english = client.get(f"/trackers/{site.slug}?lang=en").text
    assert ">100 %<" in swedish and ">100%<" in english
    shares = re.compile(r">\s*(\d+)( ?)%\s*<")
    assert {space for _, space in shares.findall(swedish)} == {" "}
    assert {space for _, space in shares.findall(english)} == {""}
    # each status, the total, and the share kept of the pledges without a party
    assert len(shares.findall(english)) == len(STATUS_ORDER) + 2


def test_policy_areas_in_pledge_lists_are_marked_swedish_on_english_pages(
    client: TestClient, site: Site
) -> None:
    """An area is the program's own words: inside lang="sv" wherever a list shows it."""
    pages = [
        f"/trackers/{site.slug}/pledges?lang=en",
        "/search?q=simhall&lang=en",
        f"/edit/trackers/{site.slug}/pledges?state=all&lang=en",
    ]
    login(client, "anna")
    for url in pages:
        html = client.get(url).text
        assert "Idrott och fritid" in html, url
        _, texts = visible_ui_text(html, "en")
        assert not [t for t in texts if "Idrott och fritid" in t], url


_POINT_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
_COMMA_DECIMAL = re.compile(r"(?<![\w,])\d+,\d+(?![\w,])")


@pytest.mark.parametrize(("lang", "own", "other"), [("sv", ",", "."), ("en", ".", ",")])
def test_decimal_numbers_are_written_the_way_the_pages_language_writes_them(
    client: TestClient, site: Site, lang: str, own: str, other: str
) -> None:
    """ "0,90" in Swedish, "0.90" in English: a pledge's confidence and rank, an evidence
    suggestion's score, cosine and hint confidence, on every editor and public page; the
    `<meter value>` a program reads keeps the point in both."""
    with site.store.session() as s:
        trees = s.get(PledgeRow, site.trees)
        assert trees is not None
        trees.attributes = {**trees.attributes, "rank": 0.875}  # as the extractor writes it
    login(client, "admin1")
    client.get(f"/?lang={lang}")
    starts = [f"/edit/pledges/{site.pool}", f"/pledges/{site.trees}", f"/trackers/{site.slug}"]
    pages = dict(crawl(client, starts, "/"))
    pledge = pages[f"/edit/pledges/{site.pool}"]
    _, texts = visible_ui_text(pledge, lang)
    text = " ".join(texts)
    assert (
        f"0{own}90" in text
        and f"{'betydelselikhet' if lang == 'sv' else 'meaning similarity'} 0{own}87" in text
        and f"0{own}8)" in text
    )
    # the rank is the editors' (public pages leave the machine's marks out)
    editors = client.get(f"/edit/pledges/{site.trees}").text
    assert f"0{own}88" in " ".join(visible_ui_text(editors, lang)[1])
    assert f"0{own}88" not in " ".join(visible_ui_text(pages[f"/pledges/{site.trees}"], lang)[1])
    wrong = _POINT_DECIMAL if lang == "sv" else _COMMA_DECIMAL
    found = [
        (url, hit.group(0), text[:120])
        for url, html in pages.items()
        for text in visible_ui_text(html, lang)[1]
        for hit in wrong.finditer(text)
    ]
    assert len(pages) > 20 and not found, found[:20]
    ranked = client.get(f"/edit/trackers/{site.slug}/pledges?state=all").text
    meters = re.findall(r'<meter min="0" max="1" value="([^"]*)"', ranked)
    shown = re.findall(r'<span class="rank-value">([^<]*)</span>', ranked)
    assert meters and all(re.fullmatch(r"[01]\.\d\d", v) for v in meters)
    assert [v.replace(".", own) for v in meters] == shown


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ["mätare", "På gång", "juni 2024", "publicerad</span>: ja"]),
        ("en", ["tracker", "In the works", "June 2024", "published</span>: yes"]),
    ],
)
def test_the_audit_log_writes_stored_values_in_the_pages_language(
    client: TestClient, site: Site, lang: str, words: list[str]
) -> None:
    """An event's entity kind, a verdict's status, a yes/no and a date at its precision in
    the page's words; a value there are no words for as stored, escaped; the field names in
    words where the page has them (`web.i18n.DETAIL_KEYS`), else as codes. The pledge's history shows the same values the same way."""
    set_verdict(
        site.store,
        site.pool,
        VerdictStatus.IN_THE_WORKS,
        "Bygget har börjat.",
        actor="anna",
        as_of="2024-06",
    )
    unpublish_tracker(site.store, site.slug, actor="anna")
    with site.store.session() as s:
        record_event(
            s,
            "test.odd",
            "gadget",
            7,
            "tester",
            status="<b>odd</b>",
            when={"value": "soon", "precision": "sometime"},
        )
    login(client, "admin1")
    audit = client.get(f"/edit/audit?lang={lang}").text
    for word in words:
        assert word in audit, word
    assert re.search(rf"<td>{words[0]} \d+</td>", audit)  # the tracker the event is about
    for raw in ("in_the_works", "precision month", "published true"):
        assert raw not in audit, raw
    # the fields in words too (QA: `as_of`, `document_id` on a Swedish page)
    as_of = "gäller per" if lang == "sv" else "as of"
    assert 'no">status</span>' in audit and f'no">{as_of}</span>' in audit
    assert "gadget 7" in audit and "&lt;b&gt;odd&lt;/b&gt;" in audit and "<b>odd" not in audit
    assert "precision sometime, value soon" in audit  # not a date: as stored
    history = " ".join(visible_ui_text(client.get(f"/edit/pledges/{site.pool}").text, lang)[1])
    assert words[1] in history and words[2] in history and "in_the_works" not in history


@pytest.mark.parametrize(
    ("lang", "words", "raw"),
    [
        (
            "sv",
            ["Att granska → Bekräftat", "före</span>: föreslaget", "redaktör → administratör"],
            ["candidate → confirmed", "before</span>", "editor → admin"],
        ),
        (  # "suggested" reads as stored in English: the Swedish case covers that word
            "en",
            ["Candidate → Confirmed", "editor → administrator"],
            ["candidate → confirmed", "state confirmed", "editor → admin<"],
        ),
    ],
)
def test_the_audit_log_writes_states_roles_and_times_in_the_pages_words(
    client: TestClient, site: Site, lang: str, words: list[str], raw: list[str]
) -> None:
    """A pledge's state, a decision's review state, an account's role and a timestamp
    (published_at) were shown as stored: 'candidate → confirmed', '2026-…T…:….886303'."""
    from lofte.model import Role
    from lofte.review import pledges as pledge_review
    from lofte.review.trackers import publish_tracker
    from lofte.review.users import set_role
    from lofte.review.verdicts import decide_evidence

    pledge_review.confirm(site.store, site.trees, actor="anna")
    decide_evidence(site.store, site.ev_trees, True, actor="anna")
    set_role(site.store, "bo", Role.ADMIN, actor="admin1")
    unpublish_tracker(site.store, site.slug, actor="anna")
    publish_tracker(site.store, site.slug, actor="anna")
    login(client, "admin1")
    audit = client.get(f"/edit/audit?lang={lang}").text
    for word in words:
        assert word in audit, word
    for stored in raw:
        assert stored not in audit, stored
    # no stored timestamp in the text (the time column's datetime attribute keeps one)
    assert not re.search(r">[^<]*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", audit)
    assert re.search(
        r"(publicerad den|published on)</span>: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d<", audit
    )
