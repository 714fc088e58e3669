"""Pages for the watch tests: listings, articles, feeds and sitemaps, and a local site that
answers conditional GETs. Texts are written for the tests (none copied from the seeds)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from lofte.config import Settings
from lofte.sources.fetch import Politeness
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.localweb import LocalSite, local_sites

T0 = dt.datetime(2026, 1, 5, 8, 0)


def listing(items: Sequence[tuple[str, str]], next_href: str | None = None) -> bytes:
    """A news listing: one <article> per (href, title) with a summary, and a pager."""
    blocks = "".join(
        f'<article class="news-item"><h2><a href="{href}">{title}</a></h2>'
        f"<p>{title}: en sammanfattning av nyheten i några meningar om stadens arbete.</p>"
        f'<time datetime="2025-11-0{1 + i % 9}">1 nov 2025</time></article>'
        for i, (href, title) in enumerate(items)
    )
    pager = f'<nav class="pagination"><a href="{next_href}">Nästa</a></nav>' if next_href else ""
    return (
        '<!doctype html><html lang="sv"><head><title>Nyheter</title></head><body>'
        f"<header><a href='/'>Start</a></header><main><h1>Nyheter</h1>{blocks}</main>{pager}"
        "</body></html>"
    ).encode()


def article(title: str) -> bytes:
    body = "".join(
        f"<p>{title}. Stycke {n}: kommunfullmäktige beslutade i dag om en satsning på skolor, "
        "förskolor och idrottshallar i ytterstaden, enligt nämndens förslag.</p>"
        for n in range(1, 4)
    )
    return (
        f'<!doctype html><html lang="sv"><head><title>{title}</title></head><body>'
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def rss(entries: Sequence[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{title}: beslutet fattades av nämnden och gäller från årsskiftet."
        "</description><pubDate>Mon, 03 Nov 2025 10:00:00 +0100</pubDate></item>"
        for link, title in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Pressmeddelanden</title><link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


def sitemap(urls: Sequence[tuple[str, str | None]]) -> bytes:
    entries = "".join(
        f"<url><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>"
        for loc, mod in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def serve(
    site: LocalSite,
    path: str,
    body: bytes,
    kind: str = "text/html; charset=utf-8",
    hits: Counter[str] | None = None,
) -> None:
    """`path` answers `body` with an ETag, and 304 to a request that names that ETag;
    `hits` counts the requests per path."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def send(handler: BaseHTTPRequestHandler) -> None:
        if hits is not None:
            hits[path] += 1
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("ETag", etag)
        handler.end_headers()
        handler.wfile.write(body)

    site.routes[path] = send


def fail(site: LocalSite, path: str, status: int = 500) -> None:
    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.routes[path] = send


def settings_for(site: LocalSite, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "fetch_allow_hosts": f"127.0.0.1:{site.port}",
        "fetch_min_interval": 0.0,
        "fetch_timeout": 5.0,
        "fetch_deadline": 10.0,
        "link_dense": False,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def polite() -> Politeness:
    return Politeness(min_interval=0.0)


@contextmanager
def one_site() -> Iterator[LocalSite]:
    with local_sites(1) as sites:
        site = sites[0]
        site.page("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        yield site


def make_tracker(store: Store, slug: str = "stad") -> int:
    with store.session() as session:
        return tracker_store.add_tracker(session, slug, f"Mätare {slug}").id
