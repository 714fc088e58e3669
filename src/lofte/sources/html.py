"""HTML pages: one article per page ("html-article") or one document per news item ("html-listing").

- `html-article` takes the main text and metadata (title, date, canonical URL) from trafilatura,
  and falls back on a plain walk of the page when trafilatura finds nothing.
- `html-listing` looks for a repeated item structure (`<article>`, `<li>`, or elements sharing a
  class) whose members each carry a link and a heading, and yields one document per item: title,
  summary, absolute link, date and category when the markup names them.

Sniffing: a page with at least three such items scores higher as a listing than as an article.
All text returned is plain text with entities decoded; `<script>`, `<style>` and the like never
reach it. Parsing never raises anything but `ParseError`.
"""

from __future__ import annotations

import copy
import datetime as dt
import html as html_entities
import re
from collections import defaultdict, deque
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ..errors import ParseError
from ..language.normalize import drop_soft_hyphens
from ..model import DatePrecision, DateProvenance, DateValue, ParsedDocument, RawInput

MIN_ITEMS = 3  # fewer repeated blocks are "related links" on an article, not a listing
_DROPPED = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")
# Page furniture, never items. Not <form>: some CMSs wrap the whole page in one.
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_CHROME_CLASS = re.compile(r"\b(?:nav|menu|footer|sidfot|breadcrumb|cookie|sidebar)", re.I)
_BLOCK = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr "
    "td th ul body html title".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASS = re.compile(r"title|heading|headline|rubrik", re.I)
_DATE_CLASS = re.compile(r"date|datum|publi|time", re.I)
_CATEGORY_CLASS = re.compile(r"categor|kategori|\btag|topic|amne|ämne|label|subject", re.I)
_READ_MORE = re.compile(r"^(?:läs mer|läs hela|read more)\b", re.I)
_WS = re.compile(r"\s+")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_SV_DATE = re.compile(
    r"\b(\d{1,2})\s+(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-zåäö]*\.?\s+(\d{4})\b",
    re.I,
)
_DATE_META = ("article:published_time", "datepublished", "dc.date", "dcterms.issued", "date")
_FEED_ROOT = re.compile(r"<(?:rss|rdf:RDF)\b|<feed\b[^>]*www\.w3\.org/2005/Atom", re.I)
_STRONG_HTML = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_TAG = re.compile(r"<[^<>]*>")  # a tag, for text whose markup the parser cannot take (linear)
_ANY_TAG = re.compile(r"<(p|div|a|h[1-6]|span|ul|li|table|br|article|section|main)[\s/>]", re.I)


# -- text helpers (pure; also used by the feed reader) ------------------------------------------


# libxml2 drops every element below this depth, and the text after it, without failing; with
# `huge_tree` the limit is 2,048 instead of 256 (sloppy pages with unclosed tags reach 256).
MAX_DEPTH = 2048


def parse_html(text: str) -> etree._Element | None:
    """A tree for any string (lxml recovers from broken markup); None when it holds no markup.
    Markup nested deeper than MAX_DEPTH loses what follows: see `parse_html_whole`."""
    return parse_html_whole(text)[0]


# A tag with very many attributes: libxml2 checks each attribute against all before it, and
# trafilatura's helpers walk them again, so one `<p a1="" a2="" …>` of 100,000 attributes (1 MB)
# ran out the input's whole time budget. Such a tag keeps only its name: attributes hold no
# text a reader takes, and no real page has a thousand on one element. Only tags over 16 kB
# are counted (a data: URI is long but has one attribute); possessive, so scanning is linear.
MAX_ATTRIBUTES = 1000
_LONG_TAG = re.compile(r"<([A-Za-z][\w:.-]*+)([^<>]{16384,}+)")
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'<>]++))?""")


def _without_attribute_floods(text: str) -> str:
    def name_only(tag: re.Match[str]) -> str:
        flood = sum(1 for _ in _ATTRIBUTE.finditer(tag.group(2))) > MAX_ATTRIBUTES
        return f"<{tag.group(1)}" if flood else tag.group(0)

    return _LONG_TAG.sub(name_only, text)


# A DOCTYPE with an internal subset ("<!DOCTYPE html [<!ENTITY …>]>"): HTML parsers know none,
# so libxml2 ended the DOCTYPE at its first ">" and the rest ("]>") became the page's first
# text. The subset goes (an HTML parser expands none of its entities anyway); quoted values may
# hold "]" or ">". Possessive throughout and anchored at the start: linear, tried once.
_INTERNAL_SUBSET = re.compile(
    r"""\A(\ufeff?\s*+<!DOCTYPE\b[^\[>]*+)\[(?:"[^"]*+"|'[^']*+'|[^\]"'])*+\]\s*+>""",
    re.IGNORECASE,
)


def _without_internal_subset(text: str) -> str:
    return _INTERNAL_SUBSET.sub(r"\1>", text, count=1)


def parse_html_whole(text: str) -> tuple[etree._Element | None, bool]:
    """(`parse_html`'s tree, whether the tree holds the whole text): False when the markup
    nests deeper than MAX_DEPTH and libxml2 dropped the rest of the page. A tag with more than
    MAX_ATTRIBUTES attributes loses them, a DOCTYPE its internal subset."""
    # Bytes with a fixed encoding: lxml refuses str with an XML encoding declaration.
    data = _without_attribute_floods(_without_internal_subset(text)).encode("utf-8", "replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, True
    whole = not any("Excessive depth" in e.message for e in parser.error_log)
    return tree, whole


def clean_tree(tree: etree._Element) -> etree._Element:
    """A copy without scripts, styles, comments and processing instructions."""
    tree = copy.deepcopy(tree)
    junk = (*_DROPPED, etree.Comment, etree.ProcessingInstruction)
    etree.strip_elements(tree, *junk, with_tail=False)
    return tree


def text_of(root: etree._Element, skip: frozenset[etree._Element] = frozenset()) -> str:
    """Plain text of an element: block elements become paragraphs ("\\n\\n"), <br> a line break."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:  # iterative: deeply nested junk must not hit the recursion limit
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing or not tag or node in skip:
            if closing and tag in _BLOCK:
                parts.append("\n\n")
            if node is not root and node.tail:
                parts.append(_WS.sub(" ", node.tail))
            continue
        if tag in _BLOCK:
            parts.append("\n\n")
        elif tag == "br":
            parts.append("\n")
        if node.text:
            parts.append(node.text if tag == "pre" else _WS.sub(" ", node.text))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return tidy("".join(parts))


def tidy(text: str) -> str:
    """Trimmed lines, no empty ones inside a paragraph, paragraphs joined by one blank line;
    no soft hyphens (`drop_soft_hyphens`)."""
    paragraphs = []
    for block in re.split(r"\n[ \t\u00a0]*\n", drop_soft_hyphens(text)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary, a title with markup)."""
    if "<" not in fragment and "&" not in fragment:
        return tidy(fragment)
    tree, whole = parse_html_whole(f"<html><body><div>{fragment}</div></body></html>")
    if not whole:  # nested too deep for the parser: the words without the markup, all of them
        return tidy(html_entities.unescape(_TAG.sub(" ", fragment)))
    if tree is None:
        return ""
    return text_of(clean_tree(tree))


def parse_date(value: str) -> dt.date | None:
    """A calendar date from ISO ("2024-03-05", also a datetime) or Swedish ("5 mars 2024") text."""
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_SV_DATE, (3, 2, 1))):
        match = pattern.search(value)
        if not match:
            continue
        year, month, day = (match.group(i) for i in order)
        number = _MONTHS.get(month[:3].lower()) if not month.isdigit() else int(month)
        try:
            return dt.date(int(year), number or 0, int(day))
        except ValueError:
            continue
    return None


def explicit_day(value: dt.date) -> DateValue:
    return DateValue(value, DatePrecision.DAY, DateProvenance.EXPLICIT)


# -- page-level helpers -------------------------------------------------------------------------


@lru_cache(maxsize=2)  # small: pages can be large, and only sniff-then-parse needs a hit
def _load(text: str) -> tuple[etree._Element, etree._Element, bool] | None:
    """(original tree, cleaned copy, whether it holds the whole text), cached so sniff and
    parse share one parse. Never mutate."""
    tree, whole = parse_html_whole(text)
    return None if tree is None else (tree, clean_tree(tree), whole)


def _classes(el: etree._Element) -> str:
    return str(el.get("class") or "")


def _is_chrome(el: etree._Element) -> bool:
    names = _classes(el) + " " + str(el.get("id") or "")
    return el.tag in _CHROME or bool(_CHROME_CLASS.search(names))


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _meta(tree: etree._Element, *names: str) -> str | None:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key in names and (meta.get("content") or "").strip():
            return str(meta.get("content")).strip()
    return None


def _canonical(tree: etree._Element) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and _is_http(link.get("href")):
            return str(link.get("href")).strip()
    url = _meta(tree, "og:url")
    return url if _is_http(url) else None


def _base_url(tree: etree._Element, raw: RawInput) -> str | None:
    """What relative links resolve against: <base href>, else the page's own URL."""
    headers = {k.lower(): v for k, v in raw.http_headers.items()}
    found = headers.get("content-location") or raw.origin
    page = found if _is_http(found) else _canonical(tree)
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    if base:
        try:
            return urljoin(page or "", base.strip())
        except ValueError:
            pass
    return page


def _absolute(base: str | None, href: str) -> str:
    try:
        return urljoin(base, href.strip()) if base else href.strip()
    except ValueError:  # e.g. a broken IPv6 host; keep what the page says
        return href.strip()


def _language(tree: etree._Element) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    lang = lang or _meta(tree, "content-language", "og:locale", "language")
    if not lang:
        return None
    primary = re.split(r"[-_,;\s]", lang.strip().lower())[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _page_date(tree: etree._Element) -> dt.date | None:
    value = _meta(tree, *_DATE_META)
    if value is None:
        value = next((t.get("datetime") for t in tree.iter("time") if t.get("datetime")), None)
    return parse_date(value) if value else None


# -- listing detection --------------------------------------------------------------------------


def _link(el: etree._Element) -> etree._Element | None:
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return a
    return None


def _heading(el: etree._Element) -> etree._Element | None:
    for node in el.iter():
        if not isinstance(node.tag, str) or node is el:
            continue
        if (
            node.tag in _HEADINGS
            or (node.tag not in ("a", "time") and _HEADING_CLASS.search(_classes(node)))
        ) and text_of(node):
            return node
    return None


def _is_item(el: etree._Element) -> bool:
    return el.tag not in _HEADINGS and _link(el) is not None and _heading(el) is not None


def _signature(el: etree._Element) -> tuple[str, str]:
    return (str(el.tag), " ".join(sorted(_classes(el).split())))


def find_items(tree: etree._Element, min_items: int = MIN_ITEMS) -> list[etree._Element]:
    """The largest set of repeated blocks (same tag and classes at the same place in the page),
    each holding a link and a heading; [] when there are fewer than `min_items` (fewer than
    three are "related links" on an article, unless the page is known to be a listing)."""
    body = tree.find("body")
    if body is None:
        body = tree
    groups: dict[tuple[object, ...], list[etree._Element]] = defaultdict(list)
    depth: dict[tuple[object, ...], int] = {}
    # Breadth first, so that each group's items come in document order.
    queue: deque[tuple[etree._Element, tuple[object, ...]]] = deque([(body, ())])
    while queue:
        parent, path = queue.popleft()
        for child in parent:
            if not isinstance(child.tag, str) or _is_chrome(child):
                continue
            key = (*path, _signature(child))
            if _is_item(child):
                groups[key].append(child)
                depth[key] = len(key)
            queue.append((child, key))
    if not groups:
        return []
    # Most items first; on a tie the outer block (an <li> around an <article>) carries more.
    best = max(groups, key=lambda k: (len(groups[k]), -depth[k]))
    items = groups[best]
    return items if len(items) >= min_items else []


def _chrome_inside(root: etree._Element) -> frozenset[etree._Element]:
    return frozenset(el for el in root.iter() if el is not root and _is_chrome(el))


def _listing_share(body: etree._Element, items: list[etree._Element]) -> float:
    """How much of the page text sits in the items: low on an article with related links."""
    total = len(text_of(body, _chrome_inside(body)))
    inside = sum(len(text_of(item)) for item in items)
    return inside / total if total else 0.0


def is_listing(tree: etree._Element) -> bool:
    items = find_items(tree)
    body = tree.find("body")
    return bool(items) and _listing_share(body if body is not None else tree, items) >= 0.4


def _marked(
    item: etree._Element, pattern: re.Pattern[str], tags: tuple[str, ...]
) -> etree._Element | None:
    """The first element in the item that a tag or a class name marks (a date, a category)."""
    for node in item.iter():
        if (
            isinstance(node.tag, str)
            and (node.tag in tags or pattern.search(_classes(node)))
            and node.tag not in _HEADINGS
            and text_of(node)
        ):
            return node
    return None


def _item_document(
    item: etree._Element, index: int, base: str | None, lang: str | None
) -> ParsedDocument:
    heading = _heading(item)
    link = _link(item)
    own = _link(heading) if heading is not None else None
    if own is not None:
        link = own  # the heading's own link is the item's, not "Läs mer" or a tag's
    title = text_of(heading) if heading is not None else text_of(link) if link is not None else ""
    url = _absolute(base, str(link.get("href"))) if link is not None else None
    date_el = _marked(item, _DATE_CLASS, ("time",))
    date = None
    if date_el is not None:
        date = parse_date(date_el.get("datetime") or "") or parse_date(text_of(date_el))
    category_el = _marked(item, _CATEGORY_CLASS, ())
    if category_el is not None and category_el.find(".//a") is category_el:
        category_el = None
    more = [a for a in item.iter("a") if _READ_MORE.match(text_of(a))]  # "Läs mer om …" links
    skip = frozenset(el for el in (heading, date_el, category_el, *more) if el is not None)
    paragraphs = [
        p for p in text_of(item, skip).split("\n\n") if not (_READ_MORE.match(p) and len(p) <= 80)
    ]
    if not title and paragraphs:
        title = " ".join(paragraphs.pop(0).split())
    category = " ".join(text_of(category_el).split()) if category_el is not None else ""
    return ParsedDocument(
        title=" ".join(title.split()),
        body="\n\n".join(paragraphs),
        item_key=url or f"item-{index}",
        url=url,
        date=explicit_day(date) if date else None,
        category=category or None,
        language=lang,
        extra={"position": index},
    )


# -- readers ------------------------------------------------------------------------------------


def _html_score(raw: RawInput, text: str | None) -> float:
    """0.75 for a page, 0.45 for a fragment of markup, 0 for anything else (feeds included)."""
    if text is None:
        return 0.0
    head = text[:4096]
    if _FEED_ROOT.search(head[:1024]):
        return 0.0
    declared = (raw.media_type or "").startswith(("text/html", "application/xhtml"))
    if declared or _STRONG_HTML.search(head):
        return 0.75
    return 0.45 if len({m.lower() for m in _ANY_TAG.findall(head)}) >= 3 else 0.0


def _tree_or_error(raw: RawInput, text: str | None) -> tuple[etree._Element, etree._Element]:
    loaded = _load(text) if text else None
    if loaded is None:
        raise ParseError(raw.origin, "no HTML content could be read")
    tree, clean, whole = loaded
    if not whole:  # else the text after the deep part would be lost without a word
        raise ParseError(
            raw.origin,
            f"the HTML nests elements more than {MAX_DEPTH:,} deep (unclosed tags?): the text "
            "after that point cannot be read; repair the page or give it as plain text",
        )
    return tree, clean


class HtmlArticleReader:
    name = "html-article"
    version = "1"
    binary = False
    ceiling = 0.75  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return _html_score(raw, text)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        tree, clean = _tree_or_error(raw, text)
        meta = _trafilatura(tree, raw)
        title = meta.get("title") or _meta(tree, "og:title") or _first_text(clean, "h1", "title")
        body = _paragraphed(meta.get("text") or "", clean)
        if not body and not title:
            raise ParseError(raw.origin, "the HTML page holds no readable text")
        lines = body.split("\n\n")
        if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
            body = "\n\n".join(lines[1:])  # the headline repeated as the first line
        if not title:  # a page without any headline: its first line stands in, as in plain text
            first = " ".join(lines[0].split())
            title = first if len(first) <= 120 else first[:119].rstrip() + "…"
        date = parse_date(meta.get("date") or "") or _page_date(tree)
        url = _canonical(tree) or meta.get("url") or (raw.origin if _is_http(raw.origin) else None)
        extra = {k: meta[k] for k in ("author", "sitename", "description") if meta.get(k)}
        return [
            ParsedDocument(
                title=" ".join((title or "").split()),
                body=body,
                url=url,
                date=explicit_day(date) if date else None,
                language=_language(tree),
                extra=extra,
            )
        ]


class HtmlListingReader:
    name = "html-listing"
    version = "1"
    binary = False
    ceiling = 0.85  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        if not _html_score(raw, text):
            return 0.0
        loaded = _load(text) if text else None
        return 0.85 if loaded is not None and is_listing(loaded[1]) else 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        return parse_listing(raw, text)


def parse_listing(
    raw: RawInput, text: str | None, min_items: int = MIN_ITEMS
) -> list[ParsedDocument]:
    """One document per news item. `min_items` 1: a page known to be a listing (the next
    page of one, whose last page may hold a single item)."""
    tree, clean = _tree_or_error(raw, text)
    items = find_items(clean, min_items)
    if not items:
        found = f"no repeated news items (at least {min_items}) on the page"
        raise ParseError(raw.origin, found)
    base, lang = _base_url(tree, raw), _language(tree)
    documents, seen = [], set()
    for index, item in enumerate(items):
        doc = _item_document(item, index, base, lang)
        if not doc.title and not doc.body:
            continue
        key, n = doc.item_key, 1
        while key in seen:  # the same link twice on a page still makes two items
            key, n = f"{doc.item_key}#{n + 1}", n + 1
        seen.add(key)
        documents.append(doc if key == doc.item_key else replace(doc, item_key=key))
    return documents


def _first_text(tree: etree._Element, *tags: str) -> str:
    for tag in tags:
        for el in tree.iter(tag):
            found = text_of(el)
            if found:
                return found
    return ""


def _paragraphed(text: str, clean: etree._Element) -> str:
    """trafilatura's text, or the page's own when it has none, or when trafilatura ran the
    page's paragraphs into one line (QA: its fallback did so for short articles, headline
    and date included) and the page's own text is the same words in paragraphs."""
    if text and "\n" in text:
        return text
    own = _fallback_body(clean)
    if not text or ("\n\n" in own and " ".join(own.split()) == " ".join(text.split())):
        return own
    return text


def _fallback_body(clean: etree._Element) -> str:
    main = next((el for tag in ("main", "article") for el in clean.iter(tag)), None)
    body = clean.find("body")
    root = main if main is not None else body if body is not None else clean
    return text_of(root, _chrome_inside(root))


def _without_scripts(tree: etree._Element) -> etree._Element:
    """A copy without scripts but JSON-LD (the page's metadata): trafilatura read a script
    inside the headline as part of the title ("Ny skola document.write(1)")."""
    tree = copy.deepcopy(tree)
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            el.tag = "lofte-dropped-script"
    etree.strip_elements(tree, "lofte-dropped-script", with_tail=False)
    return tree


def _trafilatura(tree: etree._Element, raw: RawInput) -> dict[str, str]:
    """Main text and metadata from trafilatura, or {} when it finds none or fails."""
    import trafilatura  # imported late: it is slow to import and only articles need it

    url = raw.origin if _is_http(raw.origin) else None
    try:
        doc = trafilatura.bare_extraction(
            _without_scripts(tree),  # a copy: trafilatura prunes the tree it gets
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Only dates the page states in its markup: the text's dates are the `date` stage's job.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a third-party failure on junk markup means "no result"
        return {}
    if doc is None:
        return {}
    values = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    keys = ("title", "author", "url", "date", "sitename", "description")
    found = {k: str(values[k]) for k in keys if values.get(k)}
    text = values.get("text")
    if isinstance(text, str) and text.strip():
        found["text"] = tidy("\n\n".join(text.split("\n")))
    return found


HTML_ARTICLE = HtmlArticleReader()
HTML_LISTING = HtmlListingReader()
