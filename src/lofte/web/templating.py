"""Rendering pages: Jinja2 with autoescape, the UI language, the user and the CSRF token.

Every value a template prints passes `_finalize`, which drops bidi controls (a title holding
U+202E, right-to-left override, would otherwise reverse the page text that follows it) and any
control character a row written straight into the database may hold.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_from_bytes, urlencode, urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.routing import Match

from ..language.controls import xml_safe
from ..lru import BoundedLRU
from ..publish import catalog
from ..publish.dates import format_date, format_value
from ..publish.feeds import segment
from ..publish.meter import STATUS_ORDER
from ..publish.numbers import decimal, grouped, percent, shares, shares_total
from ..publish.records import detail_lines, web_link
from ..review.reasons import is_addressable
from . import auth, feed_view
from .i18n import DETAIL_KEYS, DETAIL_WORDINGS, LANGUAGES, STRINGS, format_text, translate

HERE = Path(__file__).parent

LANG_MAX_AGE = 365 * 24 * 60 * 60


def language(request: Request) -> str:
    default = getattr(request.app.state, "default_language", "sv")
    lang = request.query_params.get("lang") or request.cookies.get("lang") or default
    return lang if lang in LANGUAGES else "sv"


def lang_query(request: Request) -> str:
    """ "?lang=en" where the reader's language is not the site's, else "": what a feed's address
    carries (a feed reader sends no cookie, so without it got the default language; QA)."""
    lang = language(request)
    return "" if lang == request.app.state.default_language else f"?lang={lang}"


def in_language(response: Response) -> Response:
    """A response in the reader's language (the `lang` cookie may choose it) says so to caches:
    a feed or badge cached without `Vary: Cookie` served one reader's language to all (QA)."""
    response.headers.add_vary_header("Cookie")
    return response


# Served as XML, not application/rss+xml: Chromium shows a feed of that type as plain text and
# never applies its stylesheet (publish/feeds.py STYLESHEET), so a phone showed raw XML (QA).
# Feed readers read either; the pages' <link rel="alternate"> still name the feed's kind.
RSS = "application/xml; charset=utf-8"


def rss_response(request: Request, body: bytes) -> Response:
    """A feed with a validator: a reader polling it gets 304 while it is unchanged (QA: every
    poll downloaded the whole feed), cached briefly, in the reader's language. A browser's
    navigation gets the page the feed's stylesheet makes (`feed_view`)."""
    tag = catalog.etag(body)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=300"}
    media_type = RSS
    if feed_view.prefers_page(request.headers.get("accept")):
        body = feed_view.feed_page(body, tag)
        tag = headers["ETag"] = catalog.etag(body)  # another representation, another tag
        headers["Content-Security-Policy"] = feed_view.PAGE_CSP  # on its 304 too
        media_type = feed_view.PAGE_TYPE
    if catalog.matches_etag(request.headers.get("if-none-match"), tag):
        response = Response(status_code=304, headers=headers)
    else:
        response = Response(body, media_type=media_type, headers=headers)
    response.headers.add_vary_header("Accept")
    return in_language(response)


def _sent_path(request: Request) -> str:
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw.startswith(b"/"):
        # bytes a client sent unencoded are encoded; its %XX stay as they are
        return quote_from_bytes(raw.split(b"?", 1)[0], safe="/%:@!$&'()*+,;=-._~")
    return quote(request.url.path)


def url_with(request: Request, **changes: Any) -> str:
    """The current path with some query parameters replaced (None drops one). On the answer to
    a form (a 409 or 422 shows the form's page again at the form's address, which may take POST
    only) it is the page the form was sent from: "In English" there is not a 405."""
    if request.method in ("GET", "HEAD"):
        # the path as it came, still percent-encoded: the decoded one put a party's spaces and
        # "ö" raw into the "In English" link, and an encoded "/" (%2F) would be a new segment
        path, params = _sent_path(request), dict(request.query_params.items())
    else:
        path, params = form_page(request)
    # the page is kept for every reader without the tags (`shared_body`): its links are too
    params = dict(untracked(params.items()))
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return path + (f"?{query}" if query else "")


def form_page(request: Request) -> tuple[str, dict[str, str]]:
    """The page a form was sent from, as (path, query): the Referer's, when it is a path of this
    site (the pages send it to their own origin, `Referrer-Policy: same-origin`) that answers
    GET, else the nearest address above it (or above the form's, without a Referer of this
    site) that the app answers GET on ("/" at last). A form sent again from a page that
    answered a form has that POST-only address as its Referer (QA: "In English" after two
    refusals in a row was a 405). Only a path is taken from the header: a link made of it
    stays on this site."""
    referer = urlsplit(request.headers.get("referer", ""))
    path = request.url.path
    if (
        referer.netloc == request.url.netloc
        and referer.path.startswith("/")
        and not referer.path.startswith("//")
    ):
        if _answers_get(request, referer.path):
            return referer.path, dict(parse_qsl(referer.query, keep_blank_values=True))
        path = referer.path
    while path.count("/") > 1:
        path = path.rsplit("/", 1)[0]
        if _answers_get(request, path):
            return path, {}
    return "/", {}


def _answers_get(request: Request, path: str) -> bool:
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)


def public_page_url(request: Request) -> str | None:
    """This page's absolute address under LOFTE_PUBLIC_URL, for share links and og:url; None
    without it. Never built from the request's Host header: any client sets that, and a page
    kept for all readers would hand the first one's host to everyone."""
    base = str(request.app.state.settings.public_url or "").rstrip("/")
    if not base:
        return None
    # a filter or a search is shared with its query; a campaign's tracking tags are not
    # passed on to every reader it reaches (QA: og:url repeated ?utm_source=evil)
    kept = untracked(request.query_params.multi_items())
    return base + request.url.path + (f"?{urlencode(kept)}" if kept else "")


def untracked(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """A query's parameters without a campaign's tracking tags, which change nothing on a page."""
    return [(k, v) for k, v in params if not k.lower().startswith(TRACKING_PREFIXES)]


TRACKING_PREFIXES = (
    "utm_",
    "fbclid",
    "gclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "_ga",
)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return Markup(xml_safe(value))
    if isinstance(value, str):
        return xml_safe(value)
    return value


def date_filter(value: Any, lang: str = "sv", precision: str | None = None) -> str:
    """`{{ value | date(lang) }}`: a date at its precision (publish/dates.py), never a made-up
    day. `value` is a record's {"value", "precision"}, an ISO string, a date or a datetime."""
    if precision is not None:
        return format_date(
            value.get("value") if isinstance(value, dict) else value, precision, lang
        )
    return format_value(value, lang)


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\Z")

# An audit event's fields whose values are the tracker's own words (a quote, an area, a party,
# a document's title) or an editor's (a rationale, a reason), Swedish also on an English page.
SWEDISH_DETAILS = frozenset({"quote", "area", "topic", "party", "title", "rationale", "reason"})


def details(
    value: Mapping[str, Any] | None, lang: str = "sv", snapshots: bool = False
) -> list[tuple[str | None, str]]:
    """`{{ event.details | details(lang) }}`: an audit event's details as (field, text) lines
    (`records.detail_lines`), their values in the page's language where it has words for them:
    yes and no, a verdict's status, a pledge's state, a decision's review state, an account's
    role, a date record at its precision, a timestamp without its microseconds. Any other
    value is shown as stored; the words of `SWEDISH_DETAILS` are marked `lang="sv"`."""

    def words(key: str | None, stored: Any) -> str | None:
        if isinstance(stored, bool):
            return translate("yes" if stored else "no", lang)
        if isinstance(stored, Mapping):  # a date record: {"value", "precision"}
            if not isinstance(stored["value"], str) or not isinstance(stored["precision"], str):
                return None
            try:
                return format_date(stored["value"], stored["precision"], lang) or None
            except ValueError:  # not an ISO date, or not a precision: as stored
                return None
        if isinstance(stored, float):
            return decimal(stored, lang)
        if not isinstance(stored, str):
            return None
        for prefix in DETAIL_WORDINGS.get(key, ()):
            if prefix + stored in STRINGS:
                return translate(prefix + stored, lang)
        if _TIMESTAMP.match(stored):  # the store's clock (UTC), as the log's time column
            return stored[:19].replace("T", " ")
        return None

    def label(key: str | None) -> str | None:
        named = DETAIL_KEYS.get(key or "")
        return key if named is None else named[0 if lang == "sv" else 1]

    return [
        (label(k), swedish(text) if k in SWEDISH_DETAILS else text)
        for k, text in detail_lines(value, snapshots=snapshots, words=words)
    ]


def static_versions(folder: Path) -> dict[str, str]:
    """Each static file's version, a hash of its bytes, by its path under `folder`: the pages
    link `/static/style.css?v=…`, which may be kept for a year, and an upgrade that changes the
    file changes its address (QA, an operations engineer: no Cache-Control on /static)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


STATIC_VERSIONS = static_versions(HERE / "static")


def static_url(name: str) -> str:
    """The address of static file `name` with its version (`static_versions`)."""
    return f"/static/{name}?v={STATIC_VERSIONS[name]}"


MAX_SHARED_BODIES = 512  # rendered pages kept for anonymous readers (LRU)


def anonymous(request: Request) -> bool:
    """Whether the request carries no session (no login, no CSRF token, no flash message): its
    page is the same as every other anonymous reader's."""
    return not request.session


def _sources(folder: Path) -> dict[str, str]:
    """Every template under `folder` by its name (its path there, "/" between parts)."""
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Pages:
    def __init__(self) -> None:
        self._bodies: BoundedLRU[bytes] = BoundedLRU(MAX_SHARED_BODIES)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes .html
        self.templates.env.finalize = _finalize  # before any template is compiled
        # the templates as they were when the code started, read once (not compiled): one
        # updated on disk under a running server met the old code that renders it (QA: 103
        # pages answered 500 after an update in place, until the server was restarted)
        self.templates.env.loader = jinja2.DictLoader(_sources(HERE / "templates"))
        self.templates.env.globals["status_order"] = [s.value for s in STATUS_ORDER]
        self.templates.env.globals["static_url"] = static_url
        self.templates.env.filters["date"] = date_filter
        self.templates.env.filters["percent"] = percent
        self.templates.env.filters["shares"] = shares
        self.templates.env.filters["shares_total"] = shares_total
        self.templates.env.filters["details"] = details  # an audit event's, in the page's words
        self.templates.env.filters["decimal"] = decimal  # visible numbers only, never attributes
        self.templates.env.filters["count"] = grouped  # a visible count, its thousands grouped
        self.templates.env.filters["web_link"] = web_link  # an http(s) href, else None
        self.templates.env.filters["segment"] = segment  # a name as one path segment ("/" too)
        self.templates.env.tests["addressable"] = is_addressable  # not "." or "..": linkable
        self.templates.env.filters["sv"] = swedish  # content in Swedish inside a UI sentence

    def render(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        lang = language(request)

        def t(key: str, **values: Any) -> str:
            return format_text(key, lang, **values)

        flash = request.session.pop("flash", None) if "flash" in request.session else None
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                **context,
                "lang": lang,
                "feed_query": lang_query(request),  # on feed links (`lang_query`)
                "t": t,
                "user": auth.current_user(request),
                "csrf_token": lambda: auth.csrf_token(request),
                "url_with": lambda **kw: url_with(request, **kw),
                "page_url": public_page_url(request),
                "flash": flash,
            },
            status_code=status,
        )
        if request.query_params.get("lang") in LANGUAGES:
            # a year: the choice outlives the browser (QA: a session cookie forgot it)
            response.set_cookie("lang", lang, max_age=LANG_MAX_AGE, samesite="lax", httponly=True)
        return response

    def shared_body(
        self, request: Request, key: Hashable, media_type: str, make: Callable[[], Response]
    ) -> Response:
        """The response `make` gives, its body kept for anonymous readers under `key` (which
        must change whenever the page's data does) with the language, path and query.

        Only an anonymous request without `?lang=` (which sets a cookie) is answered from or
        stored in the cache, and only a 200 answer that left the session empty and set no
        cookie is stored: a page with a login, a CSRF token or a flash message is never
        shared."""
        if not anonymous(request) or "lang" in request.query_params:
            return make()
        # a campaign's tags (one per recipient in a newsletter) would each make an entry and
        # push out the pages kept for everyone; the page does not change with them
        query = urlencode(untracked(request.query_params.multi_items()))
        full = (key, language(request), request.url.path, query, media_type)
        body = self._bodies.get(full)
        if body is not None:
            return Response(body, media_type=media_type)
        response = make()
        if (
            response.status_code == 200
            and anonymous(request)
            and "set-cookie" not in response.headers
        ):
            self._bodies.put(full, bytes(response.body))
        return response

    def render_shared(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | Callable[[], dict[str, Any]],
        key: Hashable,
    ) -> Response:
        """`render` for a page that is the same for every anonymous reader while `key` stays
        the same (see `shared_body`); a callable context is only called when the page is not
        in the cache."""
        return self.shared_body(
            request,
            ("template", name, key),
            "text/html; charset=utf-8",
            lambda: self.render(request, name, context() if callable(context) else context),
        )


def swedish(value: object) -> Markup:
    """`value` (a policy area, a party) in a `lang="sv"` span, for a UI sentence that names it:
    on an English page it is read as Swedish (QA: "pledges in Ge äldre …" was one English text
    node). Not for <title> or attributes, which hold text only."""
    return Markup('<span lang="sv">{}</span>').format(value)
