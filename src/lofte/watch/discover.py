"""What a fetched source page holds: its shape, the items it links to, its "next page".

Pure: bytes in, a `Page` out, no network and no database.

- **feed**: RSS or Atom (`sources.feed.sniff_feed`); its entries are the items.
- **sitemap**: an XML `<urlset>` (each `<url><loc>` an item, newest `<lastmod>` first) or a
  `<sitemapindex>` (its `<sitemap><loc>`s are further pages to read, newest `<lastmod>`
  first). A gzipped sitemap (`.xml.gz`) is unpacked first (`unpacked`, size-capped).
- **listing**: an HTML page with repeated news items (`sources.html.find_items`, the listing
  reader's detection); each item's own link is an item.
- anything else is **unknown**: a watched URL must be one of the three.

The next page of a listing is the first of: `<link rel="next">` / `<a rel="next">`; a link whose
text is "Nästa", "Next", "Äldre", "Older", "›" or "»" (alone or with such words, e.g. "Nästa
sida ›"); a link marked "next" by its class or by the class of a pagination block around it.
It must stay on the page's host and differ from the page itself.

Work is bounded on huge input: at most MAX_ITEMS items (a sitemap: SITEMAP_MAX_URLS, the
protocol's limit, and MAX_ITEMS sitemaps of an index) and MAX_LINKS links are looked at, and
XML is read without entities or network access. A sitemap cut at a bound, or read past a
fault of its XML, says so (`Page.fault`); one in which nothing could be read is a `problem`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from ..errors import InputError, LofteError
from ..model import RawInput
from ..sources import feed, html
from ..sources.decode import decode_text, looks_binary
from ..sources.read import unpacked as unpacked  # gzipped sitemaps and feeds

MAX_ITEMS = 5000  # items kept from one page (sitemaps of one index)
SITEMAP_MAX_URLS = 50_000  # URLs of one sitemap: the sitemap protocol's limit
MAX_LINKS = 20_000  # <a> elements looked at for the next-page link
SHAPES = ("feed", "sitemap", "listing")

_SITEMAP_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]{0,40}:)?(urlset|sitemapindex)[\s>/]")
# The same as the document's first element, after the XML declaration, comments and processing
# instructions (a head of at most 4 kB is matched: bounded).
_SITEMAP_FIRST = re.compile(
    r"\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*)*<(?:[A-Za-z_][\w.-]{0,40}:)?(?:urlset|sitemapindex)[\s>/]",
    re.S,
)
_NEXT_WORDS = frozenset(
    {
        "nästa",
        "nästa sida",
        "next",
        "next page",
        "äldre",
        "äldre nyheter",
        "äldre inlägg",
        "older",
        "older posts",
        "older entries",
        "older news",
        "visa fler",
        "fler nyheter",
    }
)
_ARROWS = "›»→>"
_NEXT_CLASS = re.compile(r"(?:^|[\s_-])(?:next|nasta|nästa|older|aldre)(?:$|[\s_-])", re.I)
_PAGINATION_CLASS = re.compile(r"pag(?:in|er|ing)|sidnav|bladdr", re.I)


@dataclass(frozen=True)
class Item:
    url: str
    title: str = ""
    lastmod: str | None = None  # a sitemap's <lastmod>, as written


@dataclass(frozen=True)
class Page:
    shape: str  # feed | sitemap | listing | unknown
    items: tuple[Item, ...] = ()
    next_url: str | None = None  # a listing's next page
    sitemaps: tuple[str, ...] = ()  # a sitemap index's sitemaps
    sitemap_lastmods: tuple[str | None, ...] = ()  # their <lastmod>s, as written (or None)
    is_index: bool = False  # a sitemap index (its root is <sitemapindex>)
    problem: str | None = None  # why the page is `unknown`, or what could not be read
    fault: str | None = None  # what was left out of a page read all the same (a sitemap's)


def _text(raw: RawInput) -> str | None:
    if looks_binary(raw.data):
        return None
    try:
        return decode_text(raw.data, raw.origin, [])
    except LofteError:
        return None


def sniff_shape(raw: RawInput, text: str | None = None) -> str:
    """feed, sitemap, listing or unknown."""
    text = _text(raw) if text is None else text
    if not text:
        return "unknown"
    head = text.lstrip("\ufeff")[:4096]
    if _SITEMAP_FIRST.match(head):  # whatever its media type says (QA: one sent as rss+xml)
        return "sitemap"
    if feed.sniff_feed(head, raw.media_type) > 0:
        return "feed"
    if _SITEMAP_ROOT.search(head) and "<html" not in head.lower():
        return "sitemap"
    tree = html.parse_html(text)
    if tree is not None and html.find_items(html.clean_tree(tree)):
        return "listing"
    return "unknown"


def discover(raw: RawInput, shape: str = "auto", *, max_items: int | None = None) -> Page:
    """The page's shape (given, or sniffed for "auto"), its items and its next page; at most
    `max_items` items (and never more than the shape's own bound)."""
    text = _text(raw)
    if text is None:
        return Page("unknown", problem="the page is not text")
    if shape == "auto":
        shape = sniff_shape(raw, text)
    bound = SITEMAP_MAX_URLS if shape == "sitemap" else MAX_ITEMS
    limit = max(0, min(bound if max_items is None else max_items, bound))
    if shape == "feed":
        return _feed_page(raw, limit)
    if shape == "sitemap":
        return _sitemap_page(raw, limit)
    if shape == "listing":
        return _listing_page(raw, text, limit)
    return Page(
        "unknown",
        problem="the page is neither a feed, a sitemap nor a listing of news items",
    )


# --- feeds --------------------------------------------------------------------------------------


def _feed_page(raw: RawInput, limit: int) -> Page:
    try:
        documents = feed.parse_feed(raw.data, raw.origin)
    except LofteError as exc:
        return Page("feed", problem=str(exc))
    items = _unique(Item(d.url, d.title) for d in documents if d.url and _is_http(d.url))
    return Page("feed", items=items[:limit])


# --- sitemaps -----------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _sitemap_page(raw: RawInput, limit: int) -> Page:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(raw.data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return Page("sitemap", problem=f"unreadable sitemap: {exc}")
    if root is None:
        return Page("sitemap", problem="unreadable sitemap: no XML root element")
    entries: list[tuple[str, str, str | None]] = []  # (kind, loc, lastmod)
    fault = _xml_fault(parser)
    for el in root:
        kind = _local(el.tag)
        if kind not in ("url", "sitemap"):
            continue
        loc, lastmod = "", None
        for child in el:
            name = _local(child.tag)
            if name == "loc":
                loc = " ".join((child.text or "").split())
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if len(entries) >= SITEMAP_MAX_URLS:
            fault = (
                f"lists more than {SITEMAP_MAX_URLS:,} entries (the sitemap protocol's limit): "
                f"only the first {SITEMAP_MAX_URLS:,} are read"
            )
            break
        if _is_http(loc):
            entries.append((kind, loc, lastmod))
    # Newest first, so a capped run takes the latest pages; undated ones keep their order after.
    dated = sorted((e for e in entries if e[2]), key=lambda e: e[2] or "", reverse=True)
    ordered = dated + [e for e in entries if not e[2]]
    items = _unique(
        (Item(loc, "", lastmod) for kind, loc, lastmod in ordered if kind == "url"), limit
    )
    children: dict[str, str | None] = {}
    for kind, loc, lastmod in ordered:
        if kind == "sitemap":
            children.setdefault(loc, lastmod)  # a child listed twice: its newest <lastmod>
    listed = list(children.items())
    if len(listed) > MAX_ITEMS:
        listed = listed[:MAX_ITEMS]
        fault = (
            fault
            or f"lists more than {MAX_ITEMS:,} sitemaps: only the newest {MAX_ITEMS:,} are read"
        )
    if fault and not entries:
        return Page("sitemap", problem=f"unreadable sitemap: {fault}")
    return Page(
        "sitemap",
        items=items,
        sitemaps=tuple(loc for loc, _ in listed),
        sitemap_lastmods=tuple(lastmod for _, lastmod in listed),
        is_index=_local(root.tag) == "sitemapindex",
        fault=fault,
    )


def _xml_fault(parser: etree.XMLParser) -> str | None:
    """Where the XML just parsed (in recover mode) was malformed: its first error."""
    for error in parser.error_log:
        return f"malformed XML: line {error.line}, column {error.column}: {error.message}"
    return None


# --- listings -----------------------------------------------------------------------------------


def _listing_page(raw: RawInput, text: str, limit: int) -> Page:
    tree = html.parse_html(text)
    if tree is None:
        return Page("listing", problem="no HTML content could be read")
    try:
        # shape known (sniffed, or given for a next page): a last page of one item counts
        documents = html.parse_listing(raw, text, min_items=1)
    except LofteError as exc:
        # the message without the page's URL: the run's error names it once (QA: twice)
        problem = exc.message if isinstance(exc, InputError) else str(exc)
        return Page("listing", next_url=next_page(tree, raw), problem=problem)
    items = _unique(
        Item(urldefrag(d.url)[0], d.title) for d in documents if d.url and _is_http(d.url)
    )
    return Page("listing", items=items[:limit], next_url=next_page(tree, raw))


def base_url(tree: etree._Element, raw: RawInput) -> str:
    """What the page's relative links resolve against: <base href>, else its own URL."""
    headers = {k.lower(): v for k, v in raw.http_headers.items()}
    page = headers.get("content-location") or raw.origin
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return _join(page, href) or page
    return page


def next_page(tree: etree._Element, raw: RawInput) -> str | None:
    """The absolute URL of the page after this one, or None."""
    base = base_url(tree, raw)
    here = urldefrag(raw.origin)[0]
    for link in tree.iter("link"):
        if "next" in (link.get("rel") or "").lower().split():
            found = _candidate(base, here, link.get("href"))
            if found:
                return found
    marked: str | None = None
    for count, a in enumerate(tree.iter("a")):
        if count >= MAX_LINKS:
            break
        href = a.get("href")
        if "next" in (a.get("rel") or "").lower().split() or _says_next(a):
            found = _candidate(base, here, href)
            if found:
                return found
        if marked is None and _marked_next(a):
            marked = _candidate(base, here, href)
    return marked


def _says_next(a: etree._Element) -> bool:
    words = " ".join(
        " ".join(
            x
            for x in ("".join(str(x) for x in a.itertext()), a.get("aria-label"), a.get("title"))
            if x
        ).split()
    ).casefold()
    if not words or len(words) > 40:
        return False
    if all(c in _ARROWS or c.isspace() for c in words):
        return True
    bare = words.strip(_ARROWS + " ").strip()
    return bare in _NEXT_WORDS


def _marked_next(a: etree._Element) -> bool:
    """A link marked "next" by its class, or its parent's, inside a pagination block."""
    own = f"{a.get('class') or ''} {a.get('id') or ''}"
    parent = a.getparent()
    around = "" if parent is None else f"{parent.get('class') or ''} {parent.get('id') or ''}"
    if not (_NEXT_CLASS.search(own) or _NEXT_CLASS.search(around)):
        return False
    node: etree._Element | None = a
    depth = 0
    while node is not None and depth < 6:
        if _PAGINATION_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node, depth = node.getparent(), depth + 1
    return bool(_NEXT_CLASS.search(own))


def _candidate(base: str, here: str, href: str | None) -> str | None:
    if not href or href.strip().startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = _join(base, href)
    if not url or not _is_http(url):
        return None
    url = urldefrag(url)[0]
    if url == here or urlsplit(url).netloc.lower() != urlsplit(here).netloc.lower():
        return None
    return url


# --- helpers ------------------------------------------------------------------------------------


def _join(base: str, href: str) -> str | None:
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _unique(items: Iterable[Item], limit: int = MAX_ITEMS) -> tuple[Item, ...]:
    seen: set[str] = set()
    out: list[Item] = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            out.append(item)
            if len(out) >= limit:
                break
    return tuple(out)
