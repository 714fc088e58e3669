"""RSS 2.0 feed of verdict changes, built with ElementTree (which escapes every text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

QUOTE_CHARS = 120


def _rfc822(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)  # stored as naive UTC
    return format_datetime(moment)


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def verdict_feed(data: dict[str, Any], base_url: str, t: Callable[[str], str], lang: str) -> bytes:
    """The feed of `views.verdict_changes(...)` with absolute links under `base_url`."""
    tracker = data["tracker"]
    base = base_url.rstrip("/")
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = f"{tracker['name']} – {t('feed_title')}"
    ET.SubElement(channel, "link").text = f"{base}/trackers/{tracker['slug']}"
    ET.SubElement(channel, "description").text = t("feed_description")
    ET.SubElement(channel, "language").text = "sv-SE" if lang == "sv" else "en"
    if data["changes"]:
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(data["changes"][0]["date"])
    for change in data["changes"]:
        item = ET.SubElement(channel, "item")
        status = t(f"status_{change['status']}")
        ET.SubElement(item, "title").text = f"{status}: {_short(change['quote'])}"
        ET.SubElement(item, "link").text = f"{base}/pledges/{change['pledge_id']}"
        ET.SubElement(item, "description").text = change["rationale"]
        ET.SubElement(item, "pubDate").text = _rfc822(change["date"])
        guid = ET.SubElement(item, "guid", {"isPermaLink": "false"})
        guid.text = f"{base}/pledges/{change['pledge_id']}#verdict-{change['verdict_id']}"
        if change.get("area"):
            ET.SubElement(item, "category").text = change["area"]
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode")).encode()
