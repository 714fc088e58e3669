"""RSS 2.0 feed of verdict changes, built with ElementTree (which escapes every text).

ElementTree escapes markup but writes control characters as they are, and one of them makes the
feed invalid XML for every reader; so every text goes through `xml_safe` first, whatever the
database holds (input edges clean text too, but rows can be written by other means).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

from ..language.controls import xml_safe
from .dates import format_value

QUOTE_CHARS = 120


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


def verdict_feed(data: dict[str, Any], base_url: str, t: Callable[[str], str], lang: str) -> bytes:
    """The feed of `pages.verdict_changes(...)`, links under `base_url` (root-relative if "")."""
    tracker = data["tracker"]
    base = base_url.rstrip("/")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _add(channel, "title", f"{tracker['name']} – {t('feed_title')}")
    _add(channel, "link", f"{base}/trackers/{tracker['slug']}")
    _add(channel, "description", t("feed_description"))
    _add(channel, "language", "sv-SE" if lang == "sv" else "en")
    if data["changes"]:
        _add(channel, "lastBuildDate", _rfc822(data["changes"][0]["date"]))
    for change in data["changes"]:
        item = ET.SubElement(channel, "item")
        status = t(f"status_{change['status']}")
        _add(item, "title", f"{status}: {_short(change['quote'])}")
        _add(item, "link", f"{base}/pledges/{change['pledge_id']}")
        as_of = change.get("as_of")
        # both dates: when it happened (as of, at its precision) and when it was recorded
        description = change["rationale"]
        if as_of:
            description = f"{t('as_of')} {format_value(as_of, lang)}: {description}"
        _add(item, "description", description)
        _add(item, "pubDate", _rfc822(change["date"]))
        _add(
            item,
            "guid",
            f"{base}/pledges/{change['pledge_id']}#verdict-{change['verdict_id']}",
            {"isPermaLink": "false"},
        )
        if change.get("area"):
            _add(item, "category", change["area"])
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode")
    ).encode()
