"""The static site: the public pages, their JSON twins and the feeds as plain files.

The pages come from the web app itself, run in-process: what `lofte serve` shows is what the
files hold, with no second renderer to drift. From the start page (or one tracker's page) the
crawler follows the site's own links, but only to the public routes listed in `PAGES` and
`FILES` (never the editors' pages, login or search) and only with the query parameters those
routes take. Each page becomes `…/index.html` (so directory addresses work too), its JSON twin
`api/….json`, and every link in it is rewritten relative to the file, so the folder works
under any path of any web server or object store, or straight from disk. Links to what is not
published lose their `href`; forms (search, filters) need a server and are left out. A feed's
stylesheet (its `<?xml-stylesheet?>`, which shows the feed as a page in a browser) is written
too and named relative to the feed (browsers apply it over http(s), not from disk).

The HTML rewritten here is the app's own, autoescaped output: an attribute value never holds a
double quote and page text never holds markup, which is what makes the regular expressions
below sound. The folder is written in full beside DIR, then renamed into place: a failure
leaves DIR as it was.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
import secrets
import shutil
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

from ..errors import LofteError, NotFoundError, TrackerNotFoundError, ValidationError
from ..store import trackers as tracker_store

if TYPE_CHECKING:
    from ..config import Settings
    from ..store.db import Store

MARKER = ".lofte-static"  # names a folder this module wrote, so it may replace it
MAX_FILES = 50_000
LANGUAGES = ("sv", "en")

_SEG = r"[^/]+"
# Public pages, with the query parameters each takes (anything else is not published).
PAGES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern), frozenset(params))
    for pattern, params in (
        (r"/", ()),
        (rf"/trackers/{_SEG}", ()),
        (rf"/trackers/{_SEG}/pledges", ("page", "area", "status")),
        (rf"/trackers/{_SEG}/documents", ("page",)),
        (rf"/trackers/{_SEG}/parties/{_SEG}", ("page",)),
        (rf"/trackers/{_SEG}/metod", ()),
        # an archived copy: the proof a document page and the final account link to
        (rf"/trackers/{_SEG}/archive/[0-9]+", ()),
        (r"/pledges/[0-9]+", ()),
        (r"/documents/[0-9]+", ()),
    )
)
# Public files: written under their own path.
FILES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        rf"/trackers/{_SEG}/charts/(status|areas|term)(-narrow)?\.svg",
        rf"/trackers/{_SEG}/feed\.xml",
        rf"/trackers/{_SEG}/(parties|areas)/{_SEG}/feed\.xml",
        r"/pledges/[0-9]+/feed\.xml",
        rf"/trackers/{_SEG}/widget\.(svg|html)",
        rf"/trackers/{_SEG}/archive/[0-9]+\.warc\.gz",
        r"/static/[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*",
    )
)
_TRACKER = re.compile(r"/trackers/([^/]+)(/.*)?")
_FEED = re.compile(r"/trackers/([^/]+)/feed\.xml")
# A feed's stylesheet instruction (publish/feeds.py writes it, its href root-relative).
_STYLESHEET = re.compile(r'(<\?xml-stylesheet type="text/xsl" href=")([^"]*)("\?>\n?)')

# An attribute holding an address; `\s` first so that `data-src` does not count.
_ATTR = re.compile(r'(\s)(href|src)="([^"]*)"')
_FORM = re.compile(r"<form\b.*?</form>[ \t]*\n?", re.DOTALL)
# A list item that holds nothing but one link (navigation entries).
_LINK_ITEM = re.compile(r'<li>\s*<a\b[^>]*?\shref="([^"]*)"[^>]*>[^<]*</a>\s*</li>[ \t]*\n?')


@dataclass(frozen=True, order=True)
class SiteURL:
    """A public address of the site, canonical: path plus sorted query parameters."""

    path: str
    query: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


Fetch = Callable[[str], Fetched]
Progress = Callable[[int, int], None]  # (files fetched, files known)


@dataclass(frozen=True)
class SiteOptions:
    lang: str = "sv"
    base_url: str = ""  # the site's public address: absolute links under it are the site's own
    tracker: str | None = None  # only this tracker's pages
    max_files: int = MAX_FILES


@dataclass(frozen=True)
class Link:
    """What to do with an address found in a page."""

    kind: Literal["keep", "site", "dead"]
    url: SiteURL | None = None
    fragment: str = ""


@dataclass
class Site:
    """The crawl's result: every public address fetched, by canonical address."""

    options: SiteOptions
    fetched: dict[SiteURL, Fetched] = field(default_factory=dict)


class PublishError(LofteError):
    """The site could not be built (a page failed, or the folder cannot be written)."""


# --- addresses ------------------------------------------------------------------------------


def route(path: str) -> tuple[Literal["page", "file"], frozenset[str]] | None:
    """Whether `path` is a published page (with its parameters) or file; None: not published."""
    for pattern, params in PAGES:
        if pattern.fullmatch(path):
            return "page", params
    if any(pattern.fullmatch(path) for pattern in FILES):
        return "file", frozenset()
    return None


def site_path(raw: str) -> str:
    """A link's path as the site's address: each segment decoded on its own, with the few
    characters that would split it or end the path ("%", "/", "?", "#") kept escaped, so that a
    name sent as one segment ("Skola%2Fförskola", an area's feed) stays one segment, one file."""
    return "/".join(
        unquote(s).replace("%", "%25").replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
        for s in raw.split("/")
    )


def _safe_path(path: str) -> bool:
    segments = path.split("/")[1:]
    return (
        path.startswith("/")
        and all(
            s not in (".", "..")
            and "\\" not in s
            and not any(ord(c) < 32 or c == "\x7f" for c in s)
            for s in segments
        )
        and (path == "/" or "" not in segments)
    )


def classify(value: str, page: str, options: SiteOptions) -> Link:
    """An `href`/`src` value found on the page at path `page`, as an address of the site."""
    value = html.unescape(value).strip()
    if not value or value.startswith("#"):
        return Link("keep")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        base = options.base_url.rstrip("/")
        if not base or not (value == base or value.startswith(base + "/")):
            return Link("keep")  # another site's address, mailto: …
        parts = urlsplit(value[len(base) :] or "/")
    elif not parts.path.startswith("/"):
        parts = urlsplit(urljoin(page, value)) if parts.path else parts._replace(path=page)
    path = site_path(parts.path)
    if not _safe_path(path):
        return Link("dead")
    found = route(path)
    if found is None:
        return Link("dead")
    tracker = _TRACKER.fullmatch(path)
    if options.tracker and (path == "/" or (tracker and tracker.group(1) != options.tracker)):
        return Link("dead") if path != "/" else Link("site", SiteURL("/"), parts.fragment)
    params: dict[str, str] = {}
    for key, item in parse_qsl(parts.query, keep_blank_values=True):
        if key in params:
            return Link("dead")
        if key == "lang":
            if item and item != options.lang:
                return Link("dead")  # the other language is not published
            continue
        if key == "v" and path.startswith("/static/"):
            continue  # the app's version of a static file (web/templating.static_url): one file
        if not item:
            continue
        if key not in found[1]:
            return Link("dead")
        if key == "page":
            if not item.isascii() or not item.isdigit() or int(item) < 1:
                return Link("dead")
            if int(item) == 1:
                continue
            item = str(int(item))
        params[key] = item
    return Link("site", SiteURL(path, tuple(sorted(params.items()))), parts.fragment)


def _encode(value: str) -> str:
    """A query value as a file name part: ASCII letters, digits, - and _ kept, the rest as ~XX."""
    out = "".join(
        c
        if c.isascii() and (c.isalnum() or c in "-_")
        else "".join(f"~{b:02X}" for b in c.encode())
        for c in value
    )
    if len(out) > 100:  # file names have a length limit; the hash keeps long values apart
        out = out[:80] + "~" + hashlib.sha256(value.encode()).hexdigest()[:16]
    return out


def site_file(url: SiteURL) -> str:
    """The file (relative to DIR) that holds `url`."""
    segments = [s for s in url.path.split("/") if s]
    extra = [f"{key}-{_encode(value)}" for key, value in url.query]
    if url.path.startswith("/api/"):
        return "/".join(segments + extra) + ".json"
    if route(url.path) == ("file", frozenset()):
        return "/".join(segments)
    return "/".join(segments + extra + ["index.html"])


def twin(url: SiteURL) -> SiteURL | None:
    """The JSON twin of a page (or of a feed: its changes), as the web app serves it."""
    if url.path == "/":
        return SiteURL("/api/trackers")
    feed = _FEED.fullmatch(url.path)
    if feed:
        return SiteURL(f"/api/trackers/{feed.group(1)}/changes")
    found = route(url.path)
    if found and found[0] == "page":
        return SiteURL("/api" + url.path, url.query)
    return None


def relative(from_file: str, to_file: str) -> str:
    """The relative link from one file of the site to another."""
    return quote(posixpath.relpath(to_file, posixpath.dirname(from_file) or "."))


# --- crawling -------------------------------------------------------------------------------


def links(page: str) -> list[str]:
    """Every `href` and `src` value of a page, as written (entities not yet decoded)."""
    return [m.group(3) for m in _ATTR.finditer(page)]


def crawl(
    fetch: Fetch,
    options: SiteOptions,
    on_progress: Progress | None = None,
    seeds: Sequence[SiteURL] = (),
) -> Site:
    """Fetch every public page reachable from the start or from `seeds` (public pages that no
    page links to, see `public_seeds`), its JSON twin and what it shows."""
    start = SiteURL(f"/trackers/{options.tracker}") if options.tracker else SiteURL("/")
    site = Site(options)
    queue: deque[SiteURL] = deque([start])
    seen = {start}
    for seed in seeds:
        if seed not in seen:
            seen.add(seed)
            queue.append(seed)

    def get(url: SiteURL) -> Fetched:
        if len(site.fetched) >= options.max_files:
            raise ValidationError(
                f"the site has more than {options.max_files} files; "
                "raise the limit (--max-files) if that is right"
            )
        got = fetch(url.url)
        if got.status >= 500:
            raise PublishError(f"{url.url}: the web app answered {got.status}")
        if got.status == 200:
            site.fetched[url] = got
        return got  # anything else (a 404, a redirect) is a link to nothing: it loses its href

    def follow(values: list[str], page: str) -> None:
        for value in values:
            link = classify(value, page, options)
            if link.kind == "site" and link.url is not None and link.url not in seen:
                if options.tracker and link.url.path == "/":
                    continue  # written as a pointer to the tracker, not crawled
                seen.add(link.url)
                queue.append(link.url)

    while queue:
        url = queue.popleft()
        got = get(url)
        if got.status != 200:
            if url == start:
                if options.tracker:
                    raise TrackerNotFoundError(
                        f"no tracker named {options.tracker!r}", slug=options.tracker
                    )
                raise NotFoundError(f"the start page answered {got.status}")
            continue
        other = twin(url)
        if other is not None and other not in site.fetched:
            get(other)
        if got.is_html:
            follow(links(got.body.decode("utf-8")), url.path)
        elif is_feed(url.path):
            follow([m.group(2) for m in _STYLESHEET.finditer(got.body.decode("utf-8"))], url.path)
        if on_progress:
            on_progress(len(site.fetched), len(site.fetched) + len(queue))
    return site


# --- rewriting ------------------------------------------------------------------------------


def rewrite(
    page: str, path: str, file: str, resolve: Callable[[SiteURL], str | None], options: SiteOptions
) -> str:
    """A page with its forms left out and each link made relative to `file` (or dropped).

    `path` is the page's address, `resolve` maps an address to its file (None: not published).
    """

    def target(value: str) -> str | None:
        """The new value: unchanged, relative, or None for a link to what is not published."""
        link = classify(value, path, options)
        if link.kind == "keep":
            return value
        to = resolve(link.url) if link.kind == "site" and link.url else None
        if to is None:
            return None
        return html.escape(relative(file, to) + (f"#{link.fragment}" if link.fragment else ""))

    def item(match: re.Match[str]) -> str:
        return match.group(0) if target(match.group(1)) is not None else ""

    def attribute(match: re.Match[str]) -> str:
        new = target(match.group(3))
        return "" if new is None else f'{match.group(1)}{match.group(2)}="{new}"'

    page = _FORM.sub("", page)
    page = _LINK_ITEM.sub(item, page)
    return _ATTR.sub(attribute, page)


_FEED_LINK = re.compile(r"<link>([^<]{1,4000})</link>")
_OTHER_FEED = re.compile(rf"/(?:trackers/{_SEG}/(?:parties|areas)/{_SEG}|pledges/[0-9]+)/feed\.xml")


def feed_links(feed: str, resolve: Callable[[SiteURL], str | None], options: SiteOptions) -> str:
    """A feed with each `<link>` that names a filtered page (`pledges?area=…`) pointed at that
    page's static copy (`pledges/area-…/`): a static host ignores the query, so the area feed's
    link opened the whole list (QA). Other links are left as written."""

    def fixed(match: re.Match[str]) -> str:
        value = html.unescape(match.group(1))
        if "?" not in value:
            return match.group(0)
        link = classify(value, "/", options)
        to = resolve(link.url) if link.kind == "site" and link.url else None
        if to is None:
            return match.group(0)
        where = to.removesuffix("index.html")
        return f"<link>{html.escape(options.base_url.rstrip('/') + '/' + where)}</link>"

    return _FEED_LINK.sub(fixed, feed)


def is_feed(path: str) -> bool:
    return bool(_FEED.fullmatch(path) or _OTHER_FEED.fullmatch(path))


def feed_stylesheet(
    feed: str, file: str, resolve: Callable[[SiteURL], str | None], options: SiteOptions
) -> str:
    """A feed (the file `file`) with its stylesheet named relative to it: the root-relative
    address broke under any other path than a host's root. Without the stylesheet in the site
    the instruction goes (a browser then shows the XML, as it did before)."""

    def fixed(match: re.Match[str]) -> str:
        link = classify(match.group(2), "/", options)
        to = resolve(link.url) if link.kind == "site" and link.url else None
        if to is None:
            return ""
        return match.group(1) + relative(file, to) + match.group(3)

    return _STYLESHEET.sub(fixed, feed)


_SELF_LINK = re.compile(r'(<atom:link href=")([^"]{0,4000})(" rel="self")')


def feed_self(feed: str, file: str, options: SiteOptions) -> str:
    """A feed whose own address (atom:link rel="self") is the static file's: the app's address
    of an area or party feed keeps a "/" of the name escaped as %2F, which a static host reads
    as a folder (QA: "areas/Skola%2Fförskola & fritids/feed.xml" named itself an address that
    was a 404). Without the site's address (`--base-url`) the feed is left as written."""
    if not options.base_url:
        return feed
    own = html.escape(options.base_url.rstrip("/") + "/" + quote(file), quote=True)
    return _SELF_LINK.sub(lambda m: m.group(1) + own + m.group(3), feed, count=1)


def _pointer(file: str, lang: str) -> bytes:
    """The start page of a one-tracker site: straight on to the tracker's page."""
    target = html.escape(file)
    text = "Till mätaren" if lang == "sv" else "To the meter"
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>Löfte</title></head>'
        f'<body><p><a href="{target}">{text}</a></p></body></html>\n'
    ).encode()


def render(site: Site) -> dict[str, bytes]:
    """Every file of the site, by path relative to DIR."""
    options = site.options
    where = {url: site_file(url) for url in site.fetched}
    if options.tracker:
        where[SiteURL("/")] = "index.html"
    files: dict[str, bytes] = {}
    for url, got in site.fetched.items():
        body = got.body
        if got.is_html:
            text = rewrite(body.decode("utf-8"), url.path, where[url], where.get, options)
            body = text.encode("utf-8")
        elif is_feed(url.path):
            text = feed_links(body.decode("utf-8"), where.get, options)
            text = feed_self(text, where[url], options)
            body = feed_stylesheet(text, where[url], where.get, options).encode("utf-8")
        files[where[url]] = body
    if options.tracker:
        files["index.html"] = _pointer(where[SiteURL(f"/trackers/{options.tracker}")], options.lang)
    files[MARKER] = (
        json.dumps(
            {
                "generator": "lofte publish --static",
                "lang": options.lang,
                "tracker": options.tracker,
                "files": len(files),
            }
        )
        + "\n"
    ).encode()
    return files


# --- writing --------------------------------------------------------------------------------


def write_site(files: Mapping[str, bytes], dest: Path) -> None:
    """Write the files into a new folder beside `dest`, then put it in `dest`'s place.

    `dest` must be missing, empty, or a folder this function wrote before (it holds MARKER):
    never someone's folder of other things. On any failure `dest` is left as it was.
    """
    dest = Path(os.path.abspath(dest))
    if dest.is_symlink():
        # the folder the link points to is replaced and the link stays (QA: the link became a
        # folder while the web server's folder kept the old site, and a link was left behind)
        dest = dest.resolve()
    if dest.exists() and not dest.is_dir():
        raise ValidationError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise ValidationError(
            f"{dest} is not empty and not a Löfte static site: name a new or empty folder"
        )
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".new", dir=dest.parent))
    except OSError as exc:
        raise _unwritable(dest, exc) from exc
    old: Path | None = None
    try:
        root = tmp.resolve()
        for name, data in files.items():
            target = (tmp / name).resolve()
            if root not in target.parents:
                raise PublishError(f"{name!r} would be written outside the site")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide the site from the web server
        if dest.exists():
            old = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.old")
            dest.rename(old)
        try:
            tmp.rename(dest)
        except BaseException:
            if old is not None:
                old.rename(dest)
                old = None
            raise
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):  # no permission, a full disk: named, not a traceback
            raise _unwritable(dest, exc) from exc
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _unwritable(dest: Path, exc: OSError) -> ValidationError:
    return ValidationError(f"cannot write the site into {dest}: {exc.strerror or exc}")


# --- the whole job --------------------------------------------------------------------------


@contextmanager
def app_fetcher(store: Store, settings: Settings, options: SiteOptions) -> Iterator[Fetch]:
    """Fetch from the web app in-process, in the site's language, with no session of anyone.

    httpx's ASGI transport is async; a blocking portal (an event loop in a thread) lets the
    crawler stay plain sequential code. An exception in the app propagates and ends the run.
    """
    import httpx
    from anyio.from_thread import start_blocking_portal
    from pydantic import SecretStr

    from ..web.app import create_app

    settings = settings.model_copy(
        update={
            "language": options.lang,
            "public_url": options.base_url,
            "secret_key": SecretStr(secrets.token_urlsafe(32)),  # no session outlives the run
        }
    )
    app = create_app(store, settings)
    transport = httpx.ASGITransport(app=app)
    with start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=transport, base_url="http://static.invalid")

        def fetch(url: str) -> Fetched:
            client.cookies.clear()  # every page as a first-time visitor sees it
            response = portal.call(client.get, url)
            return Fetched(
                response.status_code, response.headers.get("content-type", ""), response.content
            )

        try:
            yield fetch
        finally:
            portal.call(client.aclose)


def public_seeds(store: Store, options: SiteOptions) -> list[SiteURL]:
    """The public pages a crawl from the start page would miss, as `publish.visibility` has
    them: the page of every public tracker (an archived one only in the home page's list of
    archived trackers) and of every pledge with a public page (a group or a rejected pledge
    the public saw is in no list).
    With `--tracker`, that tracker's only; a draft is named as one (ValidationError), as the
    final account names it: whoever publishes has the store in hand."""
    from . import visibility

    with store.session() as session:
        if options.tracker:
            tracker = tracker_store.get_tracker(session, options.tracker)  # or NotFoundError
            if not visibility.is_public(tracker):
                raise ValidationError(
                    f"tracker {options.tracker!r} is a draft, not published: "
                    f"`lofte tracker publish {options.tracker}` publishes it"
                )
            trackers = [tracker]
        else:
            trackers = visibility.public_trackers(session)
        seeds: list[SiteURL] = []
        for tracker in trackers:
            seeds.append(SiteURL(f"/trackers/{tracker.slug}"))
            ids = visibility.pledges_with_pages(session, tracker)
            seeds += [SiteURL(f"/pledges/{i}") for i in ids]
    return seeds


@dataclass(frozen=True)
class Report:
    dest: Path
    files: int
    pages: int
    unverified: tuple[str, ...] = ()  # what `lofte audit verify` found wrong, if anything
    drafts: tuple[str, ...] = ()  # trackers left out as drafts (without --tracker)


def publish_static(
    store: Store,
    settings: Settings,
    dest: Path,
    options: SiteOptions,
    on_progress: Progress | None = None,
) -> Report:
    """Build the static site of `store` into `dest` (see the module's docstring). The report
    names what `lofte audit verify` finds wrong: the site shows what `lofte serve` shows, but an
    edit made behind Löfte's back should not go out unnoticed."""
    if options.lang not in LANGUAGES:
        raise ValidationError(f"unknown language {options.lang!r}: use sv or en")
    if options.tracker is not None:
        # before the name becomes an address: `..` would crawl the start page as the
        # tracker's and write a site that only sends the browser to itself; "" all trackers
        tracker_store.check_slug(options.tracker)
    if options.base_url and urlsplit(options.base_url).scheme not in ("http", "https"):
        raise ValidationError(f"--base-url {options.base_url!r}: use an http(s) address")
    from ..review.audit import verify
    from . import visibility

    with store.snapshot() as session:
        problems = tuple(str(p) for p in verify(session).problems)
        # a site of drafts only is a start page saying none is published: say why at once
        drafts = tuple(
            t.slug
            for t in tracker_store.list_trackers(session)
            if options.tracker is None and not visibility.is_public(t)
        )
    seeds = public_seeds(store, options)
    with app_fetcher(store, settings, options) as fetch:
        site = crawl(fetch, options, on_progress, seeds)
    files = render(site)
    write_site(files, dest)
    pages = sum(1 for got in site.fetched.values() if got.is_html)
    return Report(Path(os.path.abspath(dest)), len(files), pages, problems, drafts)
