"""The embeddable meter: an SVG badge and a small iframe page, plus the copy-paste snippet.

Both live at file-like addresses (`/trackers/{slug}/widget.svg`, `/trackers/{slug}/widget.html`)
so that the static site (`lofte publish --static`) serves them at the very same paths and one
snippet works for either. The iframe page loads nothing from anywhere (inline style, inline
SVG, no script) and may be framed by any site; every other page keeps `frame-ancestors 'none'`.
The badge is built with ElementTree, which escapes every text; `xml_safe` drops the control
and bidi characters a tracker name could hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from ..language.controls import xml_safe
from ..publish import pages
from ..store.db import Session
from .charts import STATUS_COLORS
from .i18n import format_text, translate
from .public import db, render, revalidated
from .templating import in_language, language

router = APIRouter()

Translate = Callable[[str], str]

BADGE_WIDTH = 340
BADGE_HEIGHT = 150
IFRAME_WIDTH = 360  # at most: the snippet's iframe fills a narrower column (QA: 360 px overflowed)
IFRAME_HEIGHT = 260
# The badge's title line (13 px bold in 320 px: 44 characters ran past the edge, QA); the whole
# name stays in <title>.
NAME_CHARS = 36
# The iframe page may be framed anywhere, but loads nothing and runs nothing.
WIDGET_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


@dataclass(frozen=True)
class Segment:
    """One status's share of the meter bar, in badge units."""

    status: str
    count: int
    x: float
    width: float


def segments(counts: dict[str, int], statuses: Sequence[str], width: float) -> list[Segment]:
    """Statuses with pledges, side by side, each as wide as its share of `width`."""
    total = sum(counts.get(s, 0) for s in statuses)
    parts: list[Segment] = []
    x = 0.0
    for s in statuses:
        n = counts.get(s, 0)
        if n and total:
            w = width * n / total
            parts.append(Segment(s, n, round(x, 2), round(w, 2)))
            x += w
    return parts


def _short(text: str, limit: int = NAME_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def pledge_count(meter: dict[str, Any], lang: str) -> str:
    """The pledge count, "149 löften (varav 126 ej granskade)": a badge on other sites says
    what of its count no editor has confirmed, as the meter page does."""
    line = format_text("n_pledges", lang, n=meter["total"])
    if meter.get("unreviewed"):
        line += f" ({format_text('n_unreviewed', lang, n=meter['unreviewed'])})"
    return line


def state(data: dict[str, Any], t: Translate) -> str:
    """ "Arkiverad · " or "Mandatperioden är slut · " before the count, as the iframe says it
    (QA: the SVG badge said neither)."""
    if data["tracker"].get("archived_at"):
        return f"{t('archived').capitalize()} · "
    return f"{t('widget_term_over')} · " if data.get("term_ended") else ""


def summary(data: dict[str, Any], t: Translate, lang: str) -> str:
    """The meter in one sentence per status, for <desc>, alt texts and screen readers."""
    counts = data["meter"]["counts"]
    parts = [f"{t('status_' + s)}: {counts.get(s, 0)}" for s in data["statuses"]]
    return f"{pledge_count(data['meter'], lang)}. " + ", ".join(parts) + "."


def _text(parent: ET.Element, x: float, y: float, text: str, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", **attrib})
    element.text = xml_safe(text)
    return element


def badge_svg(data: dict[str, Any], t: Translate, lang: str) -> bytes:
    """The tracker's meter as a small SVG: name, a bar of the statuses and the counts."""
    name = xml_safe(data["tracker"]["name"])
    counts = data["meter"]["counts"]
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(BADGE_WIDTH),
            "height": str(BADGE_HEIGHT),
            "viewBox": f"0 0 {BADGE_WIDTH} {BADGE_HEIGHT}",
            "role": "img",
            "xml:lang": lang,
            "aria-labelledby": "badge-title badge-desc",
            "font-family": "system-ui, sans-serif",
            "font-size": "12",
        },
    )
    title = ET.SubElement(svg, "title", {"id": "badge-title"})
    title.text = f"{name} – {t('widget_title')}"
    desc = ET.SubElement(svg, "desc", {"id": "badge-desc"})
    desc.text = xml_safe(summary(data, t, lang))
    ET.SubElement(
        svg,
        "rect",
        {"width": "100%", "height": "100%", "rx": "6", "fill": "#ffffff", "stroke": "#8c8c8c"},
    )
    _text(
        svg, 10, 20, _short(name), **{"font-weight": "bold", "font-size": "13", "fill": "#1b1b1b"}
    )
    bar = ET.SubElement(svg, "g", {"transform": "translate(10 30)"})
    ET.SubElement(bar, "rect", {"width": str(BADGE_WIDTH - 20), "height": "14", "fill": "#e6e6e6"})
    for seg in segments(counts, data["statuses"], BADGE_WIDTH - 20):
        ET.SubElement(
            bar,
            "rect",
            {
                "x": f"{seg.x:g}",
                "width": f"{seg.width:g}",
                "height": "14",
                "fill": STATUS_COLORS.get(seg.status, "#595959"),
            },
        )
    legend = ET.SubElement(svg, "g", {"fill": "#1b1b1b"})
    for i, s in enumerate(data["statuses"]):
        x, y = 10 + (i % 2) * 165, 62 + (i // 2) * 18
        ET.SubElement(
            legend,
            "rect",
            {
                "x": str(x),
                "y": str(y - 9),
                "width": "10",
                "height": "10",
                "fill": STATUS_COLORS.get(s, "#595959"),
            },
        )
        _text(legend, x + 15, y, f"{t('status_' + s)}: {counts.get(s, 0)}")
    _text(
        svg,
        10,
        BADGE_HEIGHT - 10,
        f"{state(data, t)}{pledge_count(data['meter'], lang)} · Löfte",
        fill="#595959",
    )
    body: bytes = ET.tostring(svg, encoding="utf-8", xml_declaration=True)
    return body


def _t(request: Request) -> tuple[str, Translate]:
    lang = language(request)
    return lang, lambda key: translate(key, lang)


@router.get("/trackers/{slug}/widget.svg")
def badge(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    lang, t = _t(request)
    body = badge_svg(pages.tracker_meter(s, slug), t, lang)
    # revalidated: every view of an embedding site's page asks for it (QA: always the whole)
    return revalidated(request, in_language(Response(body, media_type="image/svg+xml")))


@router.get("/trackers/{slug}/widget.html")
def iframe_page(request: Request, slug: str, s: Session = Depends(db)) -> Response:
    lang, t = _t(request)
    data = pages.tracker_meter(s, slug)
    response = render(
        request,
        "widget.html",
        data
        | {
            "bar": segments(data["meter"]["counts"], data["statuses"], 100.0),
            "colors": STATUS_COLORS,
            "summary": summary(data, t, lang),
            "pledge_count": pledge_count(data["meter"], lang),
            "tracker_url": f"{_base(request)}/trackers/{slug}{_lang_query(request, lang)}",
        },
    )
    response.headers["Content-Security-Policy"] = WIDGET_CSP  # SecurityHeaders then adds no DENY
    return revalidated(request, response)


def _lang_query(request: Request, lang: str) -> str:
    return "" if lang == request.app.state.default_language else f"?lang={lang}"


def _base(request: Request) -> str:
    # Never the request's Host header (see feeds): the configured address, else root-relative.
    return str(request.app.state.settings.public_url or "").rstrip("/")


@dataclass(frozen=True)
class Snippets:
    """HTML to paste, as plain text (the template escapes it once more to show it)."""

    iframe: str
    badge: str
    absolute: bool  # False: root-relative addresses, LOFTE_PUBLIC_URL is not set


def snippets(request: Request, tracker: dict[str, Any]) -> Snippets:
    """The HTML a site owner pastes to embed the meter: the iframe, and the badge as a link.
    Both fit a column narrower than they are (a phone's, or a sidebar's): the iframe is as
    wide as its column up to IFRAME_WIDTH, the badge scales down keeping its proportions."""
    lang, t = _t(request)
    base = _base(request)
    page = f"{base}/trackers/{tracker['slug']}"
    query = _lang_query(request, lang)
    label = escape(f"{tracker['name']} – {t('widget_title')}", quote=True)
    return Snippets(
        iframe=f'<iframe src="{escape(page)}/widget.html{query}" title="{label}" '
        f'width="100%" height="{IFRAME_HEIGHT}" '
        f'style="border:0;max-width:{IFRAME_WIDTH}px" loading="lazy"></iframe>',
        badge=f'<a href="{escape(page)}"><img src="{escape(page)}/widget.svg{query}" alt="{label}" '
        f'width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}" style="max-width:100%;height:auto"></a>',
        absolute=bool(base),
    )


def install(app: FastAPI) -> None:
    """Serve the widget and give templates the snippet (one line in `create_app`)."""
    app.include_router(router)
    app.state.pages.templates.env.globals["widget_snippets"] = snippets
