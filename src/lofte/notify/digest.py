"""What an editor is told about one tracker for one period, and how it is written (pure).

A digest covers (since, until]: `since` is the subscription's `last_sent_at`, or FIRST_LOOKBACK
before `until` for a first digest. It holds
- the evidence suggestions created in the period and still `suggested`;
- the pledges that became overdue in the period (deadline passed, no verdict; see
  review.deadlines). A pledge whose deadline is day D is overdue from D + 1, so it belongs to the
  digest whose period holds that day. A first digest lists every overdue pledge. Older overdue
  pledges are not listed again, only counted (`overdue_total`), so a tracker with a backlog does
  not send the same digest on every run.
An empty digest (nothing listed) is not sent.

Rendered as an e-mail subject, a plain-text and an HTML body (every value escaped), in Swedish
or English, and as the webhook's JSON payload.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..publish.records import web_link
from ..review.deadlines import OverduePledge
from ..store.subscriptions import NewSuggestion

FIRST_LOOKBACK = dt.timedelta(days=7)
QUOTE_CHARS = 160
MAX_ITEMS = 100  # listed per kind; the counts stay exact


@dataclass(frozen=True)
class SuggestionItem:
    evidence_id: int
    pledge_id: int
    quote: str  # shortened
    document_id: int
    document_title: str
    document_url: str | None
    score: float
    review_url: str  # the editor's pledge page, where the suggestion is accepted or rejected


@dataclass(frozen=True)
class OverdueItem:
    pledge_id: int
    quote: str
    deadline: dt.date
    deadline_source: str  # "editor", "text" or "term" (review.deadlines.Deadline)
    review_url: str


@dataclass(frozen=True)
class Digest:
    tracker_slug: str
    tracker_name: str
    since: dt.datetime
    until: dt.datetime
    first: bool
    suggestions: tuple[SuggestionItem, ...]
    suggestion_count: int
    overdue: tuple[OverdueItem, ...]
    overdue_count: int  # became overdue in the period (all overdue, for a first digest)
    overdue_total: int  # overdue now, listed or not
    queue_url: str
    settings_url: str

    @property
    def empty(self) -> bool:
        return self.suggestion_count == 0 and self.overdue_count == 0


def period_start(last_sent_at: dt.datetime | None, until: dt.datetime) -> dt.datetime:
    return last_sent_at if last_sent_at is not None else until - FIRST_LOOKBACK


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


def build_digest(
    *,
    tracker_slug: str,
    tracker_name: str,
    last_sent_at: dt.datetime | None,
    until: dt.datetime,
    suggestions: Sequence[NewSuggestion],
    overdue: Sequence[OverduePledge],
    base_url: str,
) -> Digest:
    """The digest of the period ending at `until`; `suggestions` are those of the period,
    `overdue` every pledge overdue on `until`'s day (review.deadlines.overdue_pledges)."""
    base = base_url.rstrip("/")
    since = period_start(last_sent_at, until)
    first = last_sent_at is None

    def became_overdue_in_period(o: OverduePledge) -> bool:
        return first or since.date() <= o.deadline.date < until.date()

    new_overdue = [o for o in overdue if became_overdue_in_period(o)]
    return Digest(
        tracker_slug=tracker_slug,
        tracker_name=tracker_name,
        since=since,
        until=until,
        first=first,
        suggestions=tuple(
            SuggestionItem(
                evidence_id=s.evidence_id,
                pledge_id=s.pledge_id,
                quote=shorten(s.quote),
                document_id=s.document_id,
                document_title=shorten(s.document_title, 200),
                document_url=s.document_url,
                score=round(s.score, 3),
                review_url=f"{base}/edit/pledges/{s.pledge_id}",
            )
            for s in suggestions[:MAX_ITEMS]
        ),
        suggestion_count=len(suggestions),
        overdue=tuple(
            OverdueItem(
                pledge_id=o.pledge.id,
                quote=shorten(o.pledge.quote),
                deadline=o.deadline.date,
                deadline_source=o.deadline.source,
                review_url=f"{base}/edit/pledges/{o.pledge.id}",
            )
            for o in new_overdue[:MAX_ITEMS]
        ),
        overdue_count=len(new_overdue),
        overdue_total=len(overdue),
        queue_url=f"{base}/edit/trackers/{tracker_slug}/queue",
        settings_url=f"{base}/edit/trackers/{tracker_slug}/notifications",
    )


# -- words ---------------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "subject": {
        "sv": "Löfte: {name}: {s} nya förslag, {o} löften efter tidsgränsen",
        "en": "Löfte: {name}: {s} new suggestions, {o} pledges past their deadline",
    },
    "intro": {
        "sv": "Sammanfattning för {name}, {since} – {until} (UTC).",
        "en": "Digest for {name}, {since} – {until} (UTC).",
    },
    "suggestions": {"sv": "Nya förslag på belägg", "en": "New evidence suggestions"},
    "overdue": {
        "sv": "Löften vars tidsgräns har passerat utan bedömning",
        "en": "Pledges past their deadline without a verdict",
    },
    "document": {"sv": "Dokument", "en": "Document"},
    "score": {"sv": "poäng", "en": "score"},
    "deadline": {"sv": "tidsgräns", "en": "deadline"},
    "review": {"sv": "Granska", "en": "Review"},
    "more": {"sv": "… och {n} till.", "en": "… and {n} more."},
    "overdue_total": {
        "sv": "Totalt {n} löften har passerat sin tidsgräns utan bedömning.",
        "en": "In all, {n} pledges are past their deadline without a verdict.",
    },
    "queue": {"sv": "Granskningskön", "en": "The review queue"},
    "settings": {
        "sv": "Ändra eller stäng av dina aviseringar",
        "en": "Change or turn off your notifications",
    },
}


def _w(key: str, lang: str, **values: Any) -> str:
    entry = _WORDS[key]
    return entry.get(lang, entry["sv"]).format(**values)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _intro(digest: Digest, lang: str) -> str:
    return _w(
        "intro",
        lang,
        name=digest.tracker_name,
        since=_stamp(digest.since),
        until=_stamp(digest.until),
    )


def subject(digest: Digest, lang: str = "sv") -> str:
    return _w(
        "subject",
        lang,
        name=" ".join(digest.tracker_name.split()),  # no line breaks in a header
        s=digest.suggestion_count,
        o=digest.overdue_count,
    )


def render_text(digest: Digest, lang: str = "sv") -> str:
    lines = [_intro(digest, lang), ""]
    if digest.suggestion_count:
        lines += [f"{_w('suggestions', lang)} ({digest.suggestion_count})", ""]
        for s in digest.suggestions:
            lines.append(f"- «{s.quote}»")
            where = f" <{s.document_url}>" if s.document_url else ""
            lines.append(f"  {_w('document', lang)}: {s.document_title}{where}")
            review = f"{_w('review', lang)}: {s.review_url}"
            lines.append(f"  {_w('score', lang)} {s.score:.2f} · {review}")
        if digest.suggestion_count > len(digest.suggestions):
            lines.append(_w("more", lang, n=digest.suggestion_count - len(digest.suggestions)))
        lines.append("")
    if digest.overdue_count:
        lines += [f"{_w('overdue', lang)} ({digest.overdue_count})", ""]
        for o in digest.overdue:
            lines.append(f"- «{o.quote}»")
            lines.append(
                f"  {_w('deadline', lang)} {o.deadline.isoformat()} · "
                f"{_w('review', lang)}: {o.review_url}"
            )
        if digest.overdue_count > len(digest.overdue):
            lines.append(_w("more", lang, n=digest.overdue_count - len(digest.overdue)))
        lines.append("")
    if digest.overdue_total:
        lines += [_w("overdue_total", lang, n=digest.overdue_total), ""]
    lines.append(f"{_w('queue', lang)}: {digest.queue_url}")
    lines.append(f"{_w('settings', lang)}: {digest.settings_url}")
    return "\n".join(lines) + "\n"


def _a(url: str, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def render_html(digest: Digest, lang: str = "sv") -> str:
    e = html.escape
    intro = _intro(digest, lang)
    parts = [
        f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8">'
        f"<title>{e(subject(digest, lang))}</title></head><body>",
        f"<p>{e(intro)}</p>",
    ]
    if digest.suggestion_count:
        parts.append(f"<h2>{e(_w('suggestions', lang))} ({digest.suggestion_count})</h2><ul>")
        for s in digest.suggestions:
            link = web_link(s.document_url)  # a stored javascript: or data: URL is no link
            document = _a(link, s.document_title) if link else e(s.document_title)
            parts.append(
                f"<li><q>{e(s.quote)}</q><br>{e(_w('document', lang))}: {document}"
                f" · {e(_w('score', lang))} {s.score:.2f}"
                f" · {_a(s.review_url, _w('review', lang))}</li>"
            )
        parts.append("</ul>")
        if digest.suggestion_count > len(digest.suggestions):
            more = digest.suggestion_count - len(digest.suggestions)
            parts.append(f"<p>{e(_w('more', lang, n=more))}</p>")
    if digest.overdue_count:
        parts.append(f"<h2>{e(_w('overdue', lang))} ({digest.overdue_count})</h2><ul>")
        for o in digest.overdue:
            parts.append(
                f"<li><q>{e(o.quote)}</q><br>{e(_w('deadline', lang))} {o.deadline.isoformat()}"
                f" · {_a(o.review_url, _w('review', lang))}</li>"
            )
        parts.append("</ul>")
        if digest.overdue_count > len(digest.overdue):
            more = digest.overdue_count - len(digest.overdue)
            parts.append(f"<p>{e(_w('more', lang, n=more))}</p>")
    if digest.overdue_total:
        parts.append(f"<p>{e(_w('overdue_total', lang, n=digest.overdue_total))}</p>")
    parts.append(
        f"<p>{_a(digest.queue_url, _w('queue', lang))} · "
        f"{_a(digest.settings_url, _w('settings', lang))}</p></body></html>"
    )
    return "\n".join(parts) + "\n"


def payload(digest: Digest) -> dict[str, Any]:
    """The webhook's JSON document (webhook.py adds the delivery's id and timestamp)."""
    return {
        "type": "lofte.digest",
        "tracker": {"slug": digest.tracker_slug, "name": digest.tracker_name},
        "period": {
            "since": digest.since.isoformat() + "Z",
            "until": digest.until.isoformat() + "Z",
        },
        "first": digest.first,
        "counts": {
            "suggestions": digest.suggestion_count,
            "overdue": digest.overdue_count,
            "overdue_total": digest.overdue_total,
        },
        "suggestions": [
            {
                "evidence_id": s.evidence_id,
                "pledge_id": s.pledge_id,
                "quote": s.quote,
                "document_id": s.document_id,
                "document_title": s.document_title,
                "document_url": s.document_url,
                "score": s.score,
                "url": s.review_url,
            }
            for s in digest.suggestions
        ],
        "overdue": [
            {
                "pledge_id": o.pledge_id,
                "quote": o.quote,
                "deadline": o.deadline.isoformat(),
                "deadline_source": o.deadline_source,
                "url": o.review_url,
            }
            for o in digest.overdue
        ],
        "queue_url": digest.queue_url,
        "settings_url": digest.settings_url,
    }
