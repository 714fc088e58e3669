"""A feed asked for by a browser gets the page its stylesheet makes, made here.

Each feed names static/feed.xsl in an `<?xml-stylesheet?>` instruction, and a browser that
opens the feed runs it: a page that says what a feed is and lists its items. Chromium now
shows a banner that it is removing XSLT, after which a reader who follows an RSS link would
see raw XML again (QA). So a request whose Accept header prefers HTML to every XML type (a
browser's navigation) gets that page from the server, made by the same stylesheet (lxml runs
libxslt, the engine browsers use), and a feed reader still gets the feed: one stylesheet for
both, and for the static site's files, where the browser still runs it.
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree

from ..lru import BoundedLRU

STYLESHEET = Path(__file__).parent / "static" / "feed.xsl"
PAGE_TYPE = "text/html; charset=utf-8"
# The page's own policy: the stylesheet's output has one inline <style> and no script.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
MAX_ACCEPT = 2000  # characters of an Accept header read: a huge one costs nothing more

_PAGES: BoundedLRU[bytes] = BoundedLRU(64)  # per feed body's tag: a feed changes rarely
_transform: lxml.etree.XSLT | None = None


def prefers_page(accept: str | None) -> bool:
    """Whether `accept` ranks text/html above every XML type (a browser's navigation sends
    `text/html,…,application/xml;q=0.9`); a tie, `*/*` or no header keeps the feed."""
    if not accept:
        return False
    ranks: dict[str, float] = {}
    for item in accept[:MAX_ACCEPT].split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        kind = kind.lower()
        ranks[kind] = max(ranks.get(kind, 0.0), quality)
    page = ranks.get("text/html", 0.0)
    return page > 0 and all(page > ranks.get(kind, 0.0) for kind in XML_TYPES)


def feed_page(body: bytes, tag: str) -> bytes:
    """The page the stylesheet makes of the feed `body` (whose validator is `tag`). Every
    text of the feed goes out escaped (see the stylesheet's comment)."""
    found = _PAGES.get(tag)
    if found is None:
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
        document = lxml.etree.fromstring(body, parser)
        found = bytes(_stylesheet()(document))
        _PAGES.put(tag, found)
    return found


def _stylesheet() -> lxml.etree.XSLT:
    global _transform  # read once per process; an XSLT object is safe to run from threads
    if _transform is None:
        access = lxml.etree.XSLTAccessControl.DENY_ALL  # the feed is data, never a program
        _transform = lxml.etree.XSLT(lxml.etree.parse(str(STYLESHEET)), access_control=access)
    return _transform
