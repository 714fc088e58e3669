"""The static site: address rules, link rewriting, the crawl, the atomic write, and the whole
site served by `python -m http.server` and opened in headless Chromium.

The broken-link check reads the written HTML with the standard library's parser, not with the
regular expressions the rewriter uses, so a rewriting mistake cannot hide itself.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from pydantic import SecretStr

from lofte.config import Settings
from lofte.errors import NotFoundError, ValidationError
from lofte.publish import static_site as ss
from lofte.publish.static_site import Fetched, SiteOptions, SiteURL, classify, site_file
from lofte.store.db import Store

from ..web.conftest import SCRIPT, build_site, make_client
from ..web.test_browser import browser  # noqa: F401 - the Chromium fixture

REPO = Path(__file__).resolve().parents[2]
LOFTE = str(Path(sys.executable).with_name("lofte"))
SV = SiteOptions()


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "url"),
    [
        ("/", "site", SiteURL("/")),
        ("/trackers/sjovik", "site", SiteURL("/trackers/sjovik")),
        (
            "/trackers/sjovik/pledges?status=kept&amp;page=2",
            "site",
            SiteURL("/trackers/sjovik/pledges", (("page", "2"), ("status", "kept"))),
        ),
        ("/trackers/sjovik/pledges?page=1&status=", "site", SiteURL("/trackers/sjovik/pledges")),
        (
            "/trackers/sjovik/charts/status.svg?lang=sv",
            "site",
            SiteURL("/trackers/sjovik/charts/status.svg"),
        ),
        ("/trackers/sjovik?lang=en", "dead", None),  # the other language is not published
        ("/trackers/sjovik/pledges?q=simhall", "dead", None),  # free text needs a server
        ("/trackers/sjovik/pledges?page=0", "dead", None),
        ("/trackers/sjovik/pledges?page=2&page=3", "dead", None),
        ("/search?tracker=sjovik", "dead", None),
        ("/login", "dead", None),
        ("/edit", "dead", None),
        ("/edit/audit", "dead", None),
        ("/api/trackers", "dead", None),  # twins are fetched beside their pages, not crawled
        ("/static/../edit", "dead", None),
        ("/static/%2e%2e/x", "dead", None),
        ("/trackers/sjovik/", "dead", None),
        ("#main", "keep", None),
        ("https://example.org/x", "keep", None),
        ("mailto:a@example.org", "keep", None),
    ],
)
def test_classify_keeps_only_public_addresses(value: str, kind: str, url: SiteURL | None) -> None:
    link = classify(value, "/trackers/sjovik", SV)
    assert (link.kind, link.url) == (kind, url)


def test_classify_reads_the_sites_own_absolute_addresses_and_fragments() -> None:
    options = SiteOptions(base_url="https://lofte.example.se/val")
    link = classify("https://lofte.example.se/val/pledges/7#verdict-3", "/", options)
    assert (link.kind, link.url, link.fragment) == ("site", SiteURL("/pledges/7"), "verdict-3")
    assert classify("https://lofte.example.se/other", "/", options).kind == "keep"
    assert classify("https://lofte.example.se/value", "/", options).kind == "keep"


def test_one_tracker_sites_drop_the_other_trackers() -> None:
    options = SiteOptions(tracker="sjovik")
    assert classify("/trackers/other", "/", options).kind == "dead"
    assert classify("/trackers/other/pledges", "/", options).kind == "dead"
    assert classify("/trackers/sjovik/pledges", "/", options).kind == "site"


def test_site_files_are_index_files_json_twins_and_safe_names() -> None:
    assert site_file(SiteURL("/")) == "index.html"
    assert site_file(SiteURL("/pledges/7")) == "pledges/7/index.html"
    assert site_file(SiteURL("/trackers/s/widget.svg")) == "trackers/s/widget.svg"
    assert site_file(SiteURL("/static/style.css")) == "static/style.css"
    assert site_file(SiteURL("/api/pledges/7")) == "api/pledges/7.json"
    hostile = SiteURL("/trackers/s/pledges", (("area", f"Miljö {SCRIPT}/../.."),))
    name = site_file(hostile)
    assert name.startswith("trackers/s/pledges/area-Milj~C3~B6~20~3Cscript~3E")
    assert all(part not in (".", "..") for part in name.split("/")) and name.endswith("/index.html")
    assert len(name.split("/")[3]) <= 120  # a file name stays short, however long the area
    assert (
        len(site_file(SiteURL("/trackers/s/pledges", (("area", "x" * 500),))).split("/")[3]) < 120
    )
    assert ss.twin(SiteURL("/")) == SiteURL("/api/trackers")
    assert ss.twin(SiteURL("/trackers/s/feed.xml")) == SiteURL("/api/trackers/s/changes")
    assert ss.twin(hostile) == SiteURL("/api/trackers/s/pledges", hostile.query)
    assert ss.twin(SiteURL("/trackers/s/charts/status.svg")) is None


def test_relative_links_between_files() -> None:
    assert ss.relative("trackers/s/index.html", "index.html") == "../../index.html"
    assert ss.relative("index.html", "trackers/s/index.html") == "trackers/s/index.html"
    assert (
        ss.relative("pledges/7/index.html", "documents/2/index.html")
        == "../../documents/2/index.html"
    )
    assert (
        ss.relative("index.html", "trackers/s/pledges/area-A~20B/index.html")
        == "trackers/s/pledges/area-A~20B/index.html"
    )


PAGE = """<html><head><link rel="stylesheet" href="/static/style.css"></head><body>
<a class="skip" href="#main">skip</a>
<nav><a href="/" class="brand">Löfte</a><ul>
        <li><a href="/search">Sök</a></li>
        <li><a href="/?lang=en" lang="en">In English</a></li>
        <li>
          <a href="/login">Logga in</a>
        </li>
</ul></nav>
<form method="get" action="/search"><input name="q"><button>Sök</button></form>
<p><a href="/trackers/s/pledges?status=kept&amp;page=2">2</a> <a href="/documents/3#pledge-7">doc</a>
<a href="https://example.org/a?b=1&amp;c=2">out</a> <img src="/trackers/s/charts/status.svg?lang=sv" alt="">
<a href="/pledges/99">gone</a> data-src="/x" &lt;a href=&#34;/edit&#34;&gt;</p></body></html>"""


def test_rewrite_makes_links_relative_and_drops_what_is_not_published() -> None:
    where = {
        SiteURL("/"): "index.html",
        SiteURL("/static/style.css"): "static/style.css",
        SiteURL(
            "/trackers/s/pledges", (("page", "2"), ("status", "kept"))
        ): "trackers/s/pledges/page-2/status-kept/index.html",
        SiteURL("/documents/3"): "documents/3/index.html",
        SiteURL("/trackers/s/charts/status.svg"): "trackers/s/charts/status.svg",
    }
    out = ss.rewrite(PAGE, "/trackers/s", "trackers/s/index.html", where.get, SV)
    assert 'href="../../static/style.css"' in out
    assert 'href="#main"' in out and 'href="../../index.html" class="brand"' in out
    assert "Sök" not in out.split("</nav>")[0] and "In English" not in out and "Logga in" not in out
    assert "<form" not in out and "<li>" not in out
    assert 'href="pledges/page-2/status-kept/index.html"' in out
    assert 'href="../../documents/3/index.html#pledge-7"' in out
    assert 'href="https://example.org/a?b=1&amp;c=2"' in out  # another site's address as it was
    assert 'src="charts/status.svg"' in out
    assert "<a>gone</a>" in out  # a link to a page that is not there keeps its text, not its href
    assert 'data-src="/x"' in out and "&lt;a href=&#34;/edit&#34;&gt;" in out  # text stays text


# --- the crawl ------------------------------------------------------------------------------


def _fake(pages: Mapping[str, str | int]) -> tuple[ss.Fetch, list[str]]:
    asked: list[str] = []

    def fetch(url: str) -> Fetched:
        asked.append(url)
        page = pages.get(url, 404)
        if isinstance(page, int):
            return Fetched(page, "text/html", b"")
        kind = "application/json" if url.startswith("/api/") else "text/html; charset=utf-8"
        return Fetched(200, kind, page.encode())

    return fetch, asked


def test_crawl_follows_public_links_fetches_twins_and_never_asks_for_editor_pages() -> None:
    fetch, asked = _fake(
        {
            "/": '<a href="/trackers/a">a</a><a href="/edit">e</a><a href="/login?next=/edit">l</a>',
            "/api/trackers": "[]",
            "/trackers/a": '<a href="/pledges/1">1</a><a href="/pledges/2">2</a><a href="/">home</a>',
            "/api/trackers/a": "{}",
            "/pledges/1": '<a href="/trackers/a">back</a>',
            "/api/pledges/1": "{}",
        }
    )
    site = ss.crawl(fetch, SV)
    assert set(site.fetched) == {
        SiteURL(p)
        for p in (
            "/",
            "/api/trackers",
            "/trackers/a",
            "/api/trackers/a",
            "/pledges/1",
            "/api/pledges/1",
        )
    }
    assert not any(u.startswith(("/edit", "/login")) for u in asked)
    assert asked.count("/trackers/a") == 1 and "/pledges/2" in asked  # asked once; a 404 is skipped


def test_crawl_fails_on_a_server_error_an_unknown_tracker_and_past_the_cap() -> None:
    fetch, _ = _fake({"/": '<a href="/pledges/1">1</a>', "/pledges/1": 500})
    with pytest.raises(ss.PublishError, match="500"):
        ss.crawl(fetch, SV)
    with pytest.raises(NotFoundError, match="no tracker named 'x'"):
        ss.crawl(_fake({})[0], SiteOptions(tracker="x"))
    many = {"/": "".join(f'<a href="/pledges/{i}">{i}</a>' for i in range(20))}
    many |= {f"/pledges/{i}": "" for i in range(20)}
    with pytest.raises(ValidationError, match="more than 10 files"):
        ss.crawl(_fake(many)[0], SiteOptions(max_files=10))


# --- writing --------------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_write_site_replaces_an_earlier_site_and_fails_without_a_trace(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    ss.write_site({"index.html": b"one", "a/index.html": b"a", ss.MARKER: b"{}"}, dest)
    ss.write_site({"index.html": b"two", ss.MARKER: b"{}"}, dest)
    assert _tree(dest) == {"index.html": b"two", ss.MARKER: b"{}"}  # nothing of the old one left
    before = _tree(dest)
    with pytest.raises(ss.PublishError, match="outside"):
        ss.write_site({"index.html": b"three", "../evil": b"x", ss.MARKER: b"{}"}, dest)
    assert _tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder left
    assert not (tmp_path / "evil").exists()


def test_write_site_never_replaces_a_folder_of_other_things(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    with pytest.raises(ValidationError, match="not a Löfte static site"):
        ss.write_site({"index.html": b"x"}, mine)
    assert (mine / "thesis.tex").read_text() == "years of work"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="not a folder"):
        ss.write_site({"index.html": b"x"}, tmp_path / "file")
    # a folder that cannot be made (found by QA: a traceback); the same error names a folder
    # without write permission
    with pytest.raises(ValidationError, match=r"cannot write the site into .*file/site"):
        ss.write_site({"index.html": b"x"}, tmp_path / "file" / "site")
    assert (tmp_path / "file").read_text() == "x"


def test_an_export_through_a_file_is_a_clear_error(tmp_path: Path) -> None:
    from lofte.publish.export import write_json

    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match=r"cannot write .*file/x\.json"):
        write_json("{}", tmp_path / "file" / "x.json")  # was a NotADirectoryError traceback


# --- the whole site -------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(root: Path) -> list[str]:
    """Every href/src of every page that does not name a file of the site (or an id in it)."""
    problems: list[str] = []
    for page in sorted(root.rglob("*.html")):
        parsed = _parse(page)
        for value in parsed.links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # another site's address (a document's original)
            if value.startswith("/") or parts.scheme or parts.query:
                problems.append(f"{page.relative_to(root)}: {value} is not a relative file link")
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if root.resolve() not in target.parents or not target.is_file():
                problems.append(f"{page.relative_to(root)}: {value} names no file of the site")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in _parse(target).ids
            ):
                problems.append(
                    f"{page.relative_to(root)}: {value} names no element of {target.name}"
                )
    return problems


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from lofte.review import users

    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _settings() -> Settings:
    return Settings(secret_key=SecretStr("test-secret-key-for-the-web-tests"), _env_file=None)  # type: ignore[call-arg]


def test_the_test_sites_static_copy_has_no_broken_links_and_the_webs_json(
    store: Store, tmp_path: Path
) -> None:
    site = build_site(store)
    dest = tmp_path / "out"
    report = ss.publish_static(store, _settings(), dest, SV)
    assert report.pages >= 8 and (dest / ss.MARKER).is_file()
    assert broken_links(dest) == []
    html = "".join(p.read_text(encoding="utf-8") for p in dest.rglob("*.html"))
    assert SCRIPT not in html  # the hostile text of the test data is shown, escaped
    assert "/edit" not in html and "/login" not in html and "<form" not in html
    for name in (
        f"pledges/{site.pool}/index.html",
        f"documents/{site.program}/index.html",
        "trackers/sjovik/widget.html",
        "trackers/sjovik/widget.svg",
        "trackers/sjovik/feed.xml",
        "trackers/sjovik/charts/status.svg",
        "trackers/sjovik/charts/status-narrow.svg",  # the meter's phone drawing
        "static/style.css",
    ):
        assert (dest / name).is_file(), name
    # rejected, linked from nowhere, yet public (its tracker shows candidates): the live site
    # answers its page, so the static site writes it (test_static_parity.py has every case)
    assert (dest / "pledges" / str(site.vague) / "index.html").is_file()
    client = make_client(store)
    for api in (
        "/api/trackers",
        "/api/trackers/sjovik",
        f"/api/pledges/{site.pool}",
        f"/api/documents/{site.program}",
        "/api/trackers/sjovik/pledges?status=not_rated",
        "/api/trackers/sjovik/changes",
    ):
        path, _, query = api.partition("?")
        twin = SiteURL(path, tuple(tuple(q.split("=")) for q in query.split("&")) if query else ())  # type: ignore[misc]
        assert (dest / site_file(twin)).read_bytes() == client.get(api).content, api
    assert (dest / "api/trackers/sjovik/pledges/status-not_rated.json").is_file()


def test_an_archived_copy_is_in_the_static_site_with_its_warc(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """QA (after the term): the final account and the document pages link each source's
    archived copy, the proof of what it said; the static site left those links dead."""
    import datetime as dt

    from lofte.model import RawInput
    from lofte.store import archive

    site = build_site(sqlite_store)
    raw = RawInput(
        b"<html><body><h1>Simhallen invigd</h1><script>alert(1)</script></body></html>",
        "https://example.org/nyheter/simhall",
        "text/html",
        dt.datetime(2024, 3, 2, 8, 15, tzinfo=dt.UTC),
        {"content-type": "text/html; charset=utf-8"},
        200,
    )
    with sqlite_store.session() as s:
        archive_id = archive.ensure_archived(s, raw)
        archive.set_document_archive(s, [site.news["pool"]], archive_id)
        warc = archive.warc_bytes(s, archive_id)
    dest = tmp_path / "out"
    ss.publish_static(sqlite_store, _settings(), dest, SV)
    copy = dest / "trackers" / "sjovik" / "archive" / str(archive_id) / "index.html"
    assert "Simhallen invigd" in copy.read_text(encoding="utf-8")
    assert (dest / "trackers" / "sjovik" / "archive" / f"{archive_id}.warc.gz").read_bytes() == warc
    document = (dest / "documents" / str(site.news["pool"]) / "index.html").read_text("utf-8")
    assert f'href="../../trackers/sjovik/archive/{archive_id}/index.html"' in document, re.findall(
        r'href="[^"]*archive[^"]*"', document
    )
    assert broken_links(dest) == []


def test_an_area_whose_name_holds_slashes_and_marks_keeps_its_feed_in_the_static_site(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # the area page linked its feed with the "/" of the name unescaped, and the crawler decoded
    # a "%2F" before matching: either way the name was two segments, so no feed was written and
    # the link lost its href
    import html
    import re
    from xml.etree import ElementTree as ET

    from lofte.store.schema import PledgeRow, VerdictRow

    site = build_site(sqlite_store)
    areas = {site.trees: "Skola/förskola", site.pool: "Vad? 100% #1"}
    with sqlite_store.session() as s:
        for pledge, area in areas.items():
            s.get(PledgeRow, pledge).area = area
            s.add(VerdictRow(pledge_id=pledge, status="stalled", rationale=f"Om {area}."))
    dest = tmp_path / "out"
    ss.publish_static(sqlite_store, _settings(), dest, SV)
    assert broken_links(dest) == []
    for area in areas.values():
        page = dest / site_file(SiteURL("/trackers/sjovik/pledges", (("area", area),)))
        found = re.search(r'<p class="follow"><a href="([^"]*)"', page.read_text(encoding="utf-8"))
        assert found, area
        feed = ET.parse(page.parent / unquote(html.unescape(found.group(1)))).getroot()
        assert [i.findtext("category") for i in feed.iter("item")] == [area]
        assert [i.findtext("description") for i in feed.iter("item")] == [f"Om {area}."]
        # QA: the channel's link named `pledges?area=…`, which a static host serves as the
        # whole list; it names the area list's static copy, this very page
        link = feed.findtext("channel/link")
        assert link and "?" not in link, link
        assert (dest / unquote(link).lstrip("/") / "index.html").resolve() == page.resolve()


def test_an_area_feed_names_itself_by_its_static_file(sqlite_store: Store, tmp_path: Path) -> None:
    """QA: the feed of an area "Skola/förskola & fritids" is the file "areas/Skola%2Fförskola
    & fritids/feed.xml"; its atom:link rel="self" kept the app's address, whose %2F a static
    host reads as a folder: a 404 for a reader following it."""
    import dataclasses
    from xml.etree import ElementTree as ET

    from lofte.store.schema import PledgeRow, VerdictRow

    site = build_site(sqlite_store)
    with sqlite_store.session() as s:
        s.get(PledgeRow, site.trees).area = "Skola/förskola & fritids"  # type: ignore[union-attr]
        s.add(VerdictRow(pledge_id=site.trees, status="stalled", rationale="Om skolan."))
    base = "https://lofte.example.se/arkiv"
    dest = tmp_path / "out"
    ss.publish_static(sqlite_store, _settings(), dest, dataclasses.replace(SV, base_url=base))
    feeds = sorted(dest.rglob("feed*.xml"))
    assert any("%2F" in str(f) for f in feeds)
    atom = "{http://www.w3.org/2005/Atom}link"
    for feed in feeds:
        own = ET.parse(feed).getroot().find(f"channel/{atom}")
        assert own is not None and own.get("rel") == "self", feed
        href = own.get("href", "")
        assert href.startswith(base + "/"), href
        # as a static host maps an address to a file: the path decoded once
        assert dest / unquote(href.removeprefix(base + "/")) == feed, (href, feed)


def test_publishing_the_same_store_twice_gives_the_same_files(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # a newsroom re-publishing its mirror must see no change where the data has none (the
    # charts were drawn with a random id and a date stamp)
    build_site(sqlite_store)
    ss.publish_static(sqlite_store, _settings(), tmp_path / "one", SV)
    ss.publish_static(sqlite_store, _settings(), tmp_path / "two", SV)
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert "trackers/sjovik/charts/status.svg" in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


@pytest.mark.parametrize("name", ["..", "../..", ""])
def test_a_tracker_name_that_is_no_slug_is_refused_before_anything_is_written(
    sqlite_store: Store, tmp_path: Path, name: str
) -> None:
    # `..` made the start address "/trackers/..", the home page, and wrote a site whose
    # index.html sent the browser to itself, with exit 0; "" published every tracker
    build_site(sqlite_store)
    dest = tmp_path / "site"
    with pytest.raises(ValidationError, match="tracker slug"):
        ss.publish_static(sqlite_store, _settings(), dest, SiteOptions(tracker=name))
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_a_draft_or_missing_tracker_is_named_as_such(sqlite_store: Store, tmp_path: Path) -> None:
    # found by QA: a draft was answered "no tracker named 'utkast'", sending the admin to look
    # for a typo
    from lofte.store import trackers as tracker_store

    build_site(sqlite_store)
    with sqlite_store.session() as s:
        tracker_store.ensure_tracker(s, "utkast")
    dest = tmp_path / "site"
    with pytest.raises(ValidationError, match=r"'utkast' is a draft.*lofte tracker publish utkast"):
        ss.publish_static(sqlite_store, _settings(), dest, SiteOptions(tracker="utkast"))
    with pytest.raises(NotFoundError, match="no tracker named 'utkst'"):
        ss.publish_static(sqlite_store, _settings(), dest, SiteOptions(tracker="utkst"))
    assert not dest.exists()


def test_a_site_of_drafts_only_names_them_and_tells_readers_nothing_about_commands(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # QA: following the README gave a site whose start page told readers to run `lofte init`
    # and `lofte ingest` (the tracker was a draft), and the publish said nothing about it
    from lofte.store import trackers as tracker_store

    with sqlite_store.session() as s:
        tracker_store.ensure_tracker(s, "utkast")
    report = ss.publish_static(sqlite_store, _settings(), tmp_path / "site", SiteOptions())
    assert report.drafts == ("utkast",)
    start = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Inga mätare är publicerade ännu." in start and "lofte " not in start


def test_a_one_tracker_site_in_english(store: Store, tmp_path: Path) -> None:
    build_site(store)
    dest = tmp_path / "en"
    ss.publish_static(store, _settings(), dest, SiteOptions(lang="en", tracker="sjovik"))
    assert broken_links(dest) == []
    start = (dest / "index.html").read_text(encoding="utf-8")
    assert "url=trackers/sjovik/index.html" in start and 'lang="en"' in start
    meter = (dest / "trackers/sjovik/index.html").read_text(encoding="utf-8")
    assert "How are the pledges doing?" in meter and "Embed the meter" in meter
    assert not (dest / "api/trackers.json").exists()


@pytest.mark.parametrize(
    ("lang", "status", "area"),
    [
        ("sv", "Ej bedömda löften", "Löften inom Skola"),
        ("en", "Pledges not yet rated", "Pledges in Skola"),
    ],
)
def test_a_static_filtered_list_names_its_filter_without_the_form(
    sqlite_store: Store, tmp_path: Path, lang: str, status: str, area: str
) -> None:
    """QA: the static site drops the filter form, so its filtered copies (`pledges/status-…/`,
    `pledges/area-…/`) all read "Löften som filtret väljer" with nothing naming the status or
    the area: the title and the heading now name them."""
    build_site(sqlite_store)
    dest = tmp_path / lang
    ss.publish_static(sqlite_store, _settings(), dest, SiteOptions(lang=lang))
    lists = dest / "trackers/sjovik/pledges"
    for folder, named in (("status-not_rated", status), ("area-Skola", area)):
        html = (lists / folder / "index.html").read_text(encoding="utf-8")
        assert "<form" not in html and f"<title>{named} – Sjövik" in html, folder
        # the area, Swedish content, is marked so in the heading
        heading = (named[0].lower() + named[1:]).replace("Skola", '<span lang="sv">Skola</span>')
        assert f'<h1><span lang="sv">Sjövik 2022–2026</span>: {heading}</h1>' in html, folder


def test_a_failing_publish_leaves_the_folder_as_it_was(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site(sqlite_store)
    dest = tmp_path / "site"
    ss.publish_static(sqlite_store, _settings(), dest, SV)
    before = _tree(dest)
    from lofte.publish import pages as views

    real = views.pledge_detail

    def crash(session: Any, pledge_id: int, **kw: Any) -> Any:
        if pledge_id == site.trees:
            raise RuntimeError("the database went away")
        return real(session, pledge_id, **kw)

    monkeypatch.setattr(views, "pledge_detail", crash)
    with pytest.raises(RuntimeError, match="went away"):
        ss.publish_static(sqlite_store, _settings(), dest, SV)
    assert _tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("lofte.db")) == [
        "site"
    ]


# --- the demo, served by python -m http.server, in Chromium -----------------------------------


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOFTE_")}
    done = subprocess.run(
        [LOFTE, *args], check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The demo built and published by the real commands, served on a free port of 127.0.0.1."""
    work = tmp_path_factory.mktemp("demo")
    _run("demo", "--no-serve", "--path", "demo.db", cwd=work)
    done = _run("--db", f"sqlite:///{work / 'demo.db'}", "publish", "--static", "site", cwd=work)
    assert "wrote" in done.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(work / "site"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    "http.server did not start"
                )
                time.sleep(0.1)
        yield work / "site", base
    finally:
        server.terminate()
        server.wait(10)


def test_the_demos_static_site_has_no_broken_links(demo_site: tuple[Path, str]) -> None:
    root, base = demo_site
    assert len(list(root.rglob("index.html"))) > 50
    assert broken_links(root) == []
    # …and the server really serves every file a page names, directory addresses included
    targets = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    for name in sorted(targets)[:400]:
        with urllib.request.urlopen(f"{base}/{urllib.request.pathname2url(name)}", timeout=5) as r:
            assert r.status == 200, name
    first = min(int(p.name) for p in (root / "pledges").iterdir() if p.name.isdigit())
    with urllib.request.urlopen(f"{base}/pledges/{first}/", timeout=5) as r:
        assert r.status == 200 and b"<h1" in r.read()


def test_the_demos_static_site_in_chromium(demo_site: tuple[Path, str], browser: Any) -> None:  # noqa: F811
    root, base = demo_site
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    failed: list[str] = []
    # a request the next navigation cancelled (a favicon still loading) is not a broken link;
    # those show as 4xx responses here and in broken_links()
    page.on(
        "requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED" else failed.append(r.url)
    )
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(f"{base}/")
        assert page.locator("h1").inner_text() == "Mätare"
        page.locator("ul.cards a").first.click()  # a relative link, followed by the browser
        assert "Hur går det med löftena?" in page.locator("main").inner_text()
        page.wait_for_load_state("load")  # the click waits for the new page, not its images
        loaded = page.evaluate(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        assert loaded, "a chart or the badge did not load"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith(
            "system-ui"
        )  # CSS
        snippet = page.locator("#embed-iframe").input_value()
        assert snippet.startswith("<iframe src=") and "widget.html" in snippet
        page.get_by_role("link", name="Alla löften").first.click()
        page.locator("article a, .quote a").first.click()  # a pledge page
        assert "/pledges/" in page.url and page.locator("h1").count() == 1
        page.locator("a", has_text="Tillbaka").first.click()
        assert "/pledges/" in page.url  # back to the list
        widget = next(root.glob("trackers/*/widget.html")).relative_to(root)
        page.goto(f"{base}/{widget}")
        assert page.locator("h1 a").get_attribute("href") == "index.html"
        assert "Uppfyllt:" in page.locator("ul").inner_text()
        badge = page.goto(f"{base}/{widget.with_suffix('.svg')}")
        assert badge is not None and badge.ok and "svg" in (badge.headers.get("content-type") or "")
        assert page.locator("svg title").count() == 1
        # a link the site does not publish (a party page's counts link `pledges?party=…`)
        # keeps its text and loses a link's look (QA: blue numbers that did nothing)
        party = next(root.glob("trackers/*/parties/*/index.html")).relative_to(root)
        page.goto(f"{base}/{party}")
        unlinked = page.evaluate(
            """() => [...document.querySelectorAll('a:not([href])')].map(a => [
                 getComputedStyle(a).color === getComputedStyle(a.parentElement).color,
                 getComputedStyle(a).textDecorationLine])"""
        )
        assert unlinked and all(same and line == "none" for same, line in unlinked), unlinked
        assert not failed, failed
    finally:
        context.close()


def test_the_broken_link_check_finds_what_it_is_for(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<p id="here"><a href="../index.html#here">x</a></p>')
    (tmp_path / "index.html").write_text(
        '<a href="a/index.html#here">ok</a><a href="a/">dir</a><a href="/a/index.html">rooted</a>'
        '<img src="b.svg"><a href="a/index.html#nowhere">frag</a><a href="../../etc/passwd">out</a>'
    )
    problems = broken_links(tmp_path)
    assert len(problems) == 5, problems  # rooted, b.svg, #nowhere, ../../etc/passwd, and #here on /
    assert any("/a/index.html is not a relative" in p for p in problems)
    assert any("b.svg names no file" in p for p in problems)


def test_write_site_through_a_link_replaces_the_linked_folder_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    # QA: `publish --static sitelink` made the link a folder; the web server's folder (the
    # link's target) kept the old site and a link named .sitelink.<hex>.old was left behind
    real = tmp_path / "site_real"
    ss.write_site({"index.html": b"one", ss.MARKER: b"{}"}, real)
    (tmp_path / "sitelink").symlink_to("site_real")
    ss.write_site({"index.html": b"two", ss.MARKER: b"{}"}, tmp_path / "sitelink")
    assert (tmp_path / "sitelink").is_symlink()
    assert (real / "index.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_real", "sitelink"]
