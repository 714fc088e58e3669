"""RSS 2.0 feeds built with ElementTree (which escapes every text): a tracker's verdict changes,
and for readers who follow one thing, a pledge's (its published verdicts and accepted evidence)
and a party's or an area's (the verdict changes of its pledges).

ElementTree escapes markup but writes control characters as they are, and one of them makes the
feed invalid XML for every reader; so every text goes through `xml_safe` first, whatever the
database holds (input edges clean text too, but rows can be written by other means).

Each feed names its own address (atom:link rel="self", as RSS readers and validators expect;
`query` is the `?lang=` of a feed in another language than the site's);
GUIDs are the item's address on the pledge page, the same in every feed that carries it.

Each feed names a stylesheet (`STYLESHEET`, an `<?xml-stylesheet?>` instruction): a browser
shows the feed as a page that says what a feed is and lists its items (a phone showed raw XML,
QA); feed readers ignore the instruction. Browsers apply it only to a same-origin stylesheet,
hence a root-relative address (the static site rewrites it relative to each feed's file).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ..language.controls import xml_safe
from .dates import format_value

STYLESHEET = "/static/feed.xsl"  # web/static/feed.xsl
QUOTE_CHARS = 120
PASSAGE_CHARS = 400
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("atom", ATOM)

Translate = Callable[[str], str]


def _rfc822(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # stored as naive UTC
    return format_datetime(moment)


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _add(
    parent: ET.Element, tag: str, text: str, attrib: dict[str, str] | None = None
) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib or {})
    element.text = xml_safe(text)
    return element


def _html(text: str) -> str:
    """Plain text as an item's description, which readers take as HTML: "<" and "&" in a
    rationale or a passage must show as typed, not become markup (or vanish in sanitizing),
    and its line breaks as breaks (HTML runs them together into one line)."""
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def _read_in(url: str, query: str) -> str:
    """A page's address in the feed's language (`query`: "?lang=en" or ""), before any
    fragment: a reader of the English feed landed on Swedish pages (QA)."""
    if not query:
        return url
    address, hash_, fragment = url.partition("#")
    joined = f"{address}&{query[1:]}" if "?" in address else f"{address}{query}"
    return joined + hash_ + fragment


def segment(value: str) -> str:
    """A party's or an area's name as one path segment of a feed's address."""
    return quote(value, safe="")


def _channel(
    title: str, link: str, description: str, self_url: str, lang: str, newest: str | None
) -> tuple[ET.Element, ET.Element]:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _add(channel, "title", title)
    _add(channel, "link", link)
    _add(channel, "description", _html(description))
    _add(channel, "language", "sv-SE" if lang == "sv" else "en")
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": xml_safe(self_url), "rel": "self", "type": "application/rss+xml"},
    )
    if newest:
        _add(channel, "lastBuildDate", _rfc822(newest))
    return rss, channel


def _bytes(rss: ET.Element) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<?xml-stylesheet type="text/xsl" href="{STYLESHEET}"?>\n'
        + ET.tostring(rss, encoding="unicode")
    ).encode()


def _verdict_text(verdict: dict[str, Any], t: Translate, lang: str) -> str:
    # both dates: when it happened (as of, at its precision) and when it was recorded
    text: str = verdict["rationale"] or ""
    if verdict.get("as_of"):
        text = f"{t('as_of')} {format_value(verdict['as_of'], lang)}: {text}"
    return text


def _correction(verdict: dict[str, Any], t: Translate) -> str:
    """ "Rättelse: " before a verdict that corrects another (pages.Corrections): a reader of
    the feed saw the verdict it replaces."""
    return f"{t('feed_correction')}: " if verdict.get("corrects") else ""


def _change_items(
    channel: ET.Element,
    changes: Iterable[dict[str, Any]],
    base: str,
    t: Translate,
    lang: str,
    query: str,
) -> None:
    for change in changes:
        item = ET.SubElement(channel, "item")
        status = t(f"status_{change['status']}")
        page = f"{base}/pledges/{change['pledge_id']}"
        _add(item, "title", f"{_correction(change, t)}{status}: {_short(change['quote'])}")
        _add(item, "link", _read_in(page, query))
        _add(item, "description", _html(_verdict_text(change, t, lang)))
        _add(item, "pubDate", _rfc822(change["date"]))
        _add(item, "guid", f"{page}#verdict-{change['verdict_id']}", {"isPermaLink": "false"})
        if change.get("area"):
            _add(item, "category", change["area"])


def verdict_feed(
    data: dict[str, Any], base_url: str, t: Translate, lang: str, query: str = ""
) -> bytes:
    """The feed of `pages.verdict_changes(...)`, links under `base_url` (root-relative if "")."""
    tracker = data["tracker"]
    base = base_url.rstrip("/")
    changes = data["changes"]
    rss, channel = _channel(
        f"{tracker['name']} – {t('feed_title')}",
        _read_in(f"{base}/trackers/{tracker['slug']}", query),
        t("feed_description"),
        f"{base}/trackers/{tracker['slug']}/feed.xml{query}",
        lang,
        changes[0]["date"] if changes else None,
    )
    _change_items(channel, changes, base, t, lang, query)
    return _bytes(rss)


def party_feed(
    data: dict[str, Any], base_url: str, t: Translate, lang: str, query: str = ""
) -> bytes:
    """The feed of `feed_pages.party_changes(...)`: verdict changes of one party's pledges."""
    tracker, party = data["tracker"], data["party"]
    base = base_url.rstrip("/")
    page = f"{base}/trackers/{tracker['slug']}/parties/{segment(party)}"
    rss, channel = _channel(
        f"{tracker['name']} – {t('feed_party_title').format(party=party)}",
        _read_in(page, query),
        t("feed_party_description").format(party=party),
        f"{page}/feed.xml{query}",
        lang,
        data["changes"][0]["date"] if data["changes"] else None,
    )
    _change_items(channel, data["changes"], base, t, lang, query)
    return _bytes(rss)


def area_feed(
    data: dict[str, Any], base_url: str, t: Translate, lang: str, query: str = ""
) -> bytes:
    """The feed of `feed_pages.area_changes(...)`: verdict changes of one area's pledges."""
    tracker, area = data["tracker"], data["area"]
    base = base_url.rstrip("/")
    rss, channel = _channel(
        f"{tracker['name']} – {t('feed_area_title').format(area=area)}",
        _read_in(f"{base}/trackers/{tracker['slug']}/pledges?area={segment(area)}", query),
        t("feed_area_description").format(area=area),
        f"{base}/trackers/{tracker['slug']}/areas/{segment(area)}/feed.xml{query}",
        lang,
        data["changes"][0]["date"] if data["changes"] else None,
    )
    _change_items(channel, data["changes"], base, t, lang, query)
    return _bytes(rss)


def _passage(evidence: dict[str, Any]) -> str:
    pieces = evidence.get("context", {}).get("pieces", [])
    marked = "".join(p["text"] for p in pieces if p.get("mark"))
    return _short(marked or "".join(p["text"] for p in pieces), PASSAGE_CHARS)


def _evidence_date(evidence: dict[str, Any]) -> str:
    # when it was accepted (its last review change), else when it was found
    value: str = evidence.get("modified_at") or evidence["created_at"]
    return value


def pledge_feed(
    data: dict[str, Any], base_url: str, t: Translate, lang: str, query: str = ""
) -> bytes:
    """The feed of one pledge (`pages.pledge_detail(..., public=True)`): its published verdicts
    and the evidence accepted for it, newest first."""
    tracker, pledge = data["tracker"], data["pledge"]
    base = base_url.rstrip("/")
    page = f"{base}/pledges/{pledge['id']}"
    entries: list[tuple[str, int, dict[str, str]]] = []
    for verdict in data["timeline"]:  # published ones only: dated when they became public
        entries.append(
            (
                verdict.get("modified_at") or verdict["date"],
                0,
                {
                    "title": _correction(verdict, t)
                    + f"{t('status_' + verdict['status'])}: {_short(pledge['quote'])}",
                    "link": _read_in(f"{page}#verdict-{verdict['id']}", query),
                    "description": _html(_verdict_text(verdict, t, lang)),
                    "guid": f"{page}#verdict-{verdict['id']}",
                },
            )
        )
    for evidence in data["evidence"]:
        document = evidence["document"]
        entries.append(
            (
                _evidence_date(evidence),
                1,
                {
                    "title": f"{t('feed_evidence')}: {_short(document['title'] or '')}",
                    "link": _read_in(f"{page}#evidence-{evidence['id']}", query),
                    "description": _html(_passage(evidence)),
                    "guid": f"{page}#evidence-{evidence['id']}",
                },
            )
        )
    entries.sort(key=lambda e: (dt.datetime.fromisoformat(e[0]).replace(tzinfo=None), e[1]))
    entries.reverse()
    rss, channel = _channel(
        f"{tracker['name']} – {t('pledge')} {pledge['id']}: {_short(pledge['quote'], 80)}",
        _read_in(page, query),
        pledge["quote"],
        f"{page}/feed.xml{query}",
        lang,
        entries[0][0] if entries else None,
    )
    for date, _, fields in entries:
        item = ET.SubElement(channel, "item")
        _add(item, "title", fields["title"])
        _add(item, "link", fields["link"])
        _add(item, "description", fields["description"])
        _add(item, "pubDate", _rfc822(date))
        _add(item, "guid", fields["guid"], {"isPermaLink": "false"})
        if pledge.get("area"):
            _add(item, "category", pledge["area"])
    return _bytes(rss)
