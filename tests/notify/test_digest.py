"""The digest: which items a period holds, and its text, HTML and JSON forms (pure)."""

from __future__ import annotations

import datetime as dt
import json

from lofte.model import Pledge, PledgeState
from lofte.notify.digest import (
    FIRST_LOOKBACK,
    build_digest,
    payload,
    render_html,
    render_text,
    shorten,
    subject,
)
from lofte.review.deadlines import Deadline, OverduePledge
from lofte.store.subscriptions import NewSuggestion

UNTIL = dt.datetime(2026, 11, 20, 12, 0)
SCRIPT = "<script>alert(1)</script>"


def _suggestion(i: int, quote: str = "Vi ska bygga en simhall.") -> NewSuggestion:
    return NewSuggestion(
        evidence_id=100 + i,
        pledge_id=i,
        quote=quote,
        document_id=200 + i,
        document_title=f"Nyhet {SCRIPT}",
        document_url=f"https://news.example/{i}?a=1&b=2",
        score=0.87654,
        created_at=UNTIL - dt.timedelta(hours=1),
    )


def _overdue(i: int, day: dt.date) -> OverduePledge:
    pledge = Pledge(
        id=i,
        tracker_id=1,
        document_id=1,
        parent_id=None,
        start=0,
        end=10,
        quote=f"Löfte {i} {SCRIPT}",
        area=None,
        topic=None,
        attributes={},
        extractor="test",
        extractor_version="1",
        confidence=1.0,
        state=PledgeState.CONFIRMED,
    )
    return OverduePledge(pledge, Deadline(day, "editor"))


def _digest(last: dt.datetime | None, suggestions=(), overdue=()):  # type: ignore[no-untyped-def]
    return build_digest(
        tracker_slug="sjovik",
        tracker_name=f"Sjövik {SCRIPT}",
        last_sent_at=last,
        until=UNTIL,
        suggestions=list(suggestions),
        overdue=list(overdue),
        base_url="https://lofte.example/",
    )


def test_a_first_digest_looks_back_a_bounded_time_and_lists_every_overdue_pledge() -> None:
    old = _overdue(1, dt.date(2025, 1, 1))
    digest = _digest(None, overdue=[old])
    assert digest.first and digest.since == UNTIL - FIRST_LOOKBACK
    assert [o.pledge_id for o in digest.overdue] == [1]
    assert not digest.empty


def test_later_digests_list_only_pledges_that_became_overdue_in_the_period() -> None:
    last = UNTIL - dt.timedelta(days=1)  # 2026-11-19 12:00
    old = _overdue(1, dt.date(2025, 1, 1))
    yesterday = _overdue(2, dt.date(2026, 11, 19))  # overdue from the 20th: in this period
    digest = _digest(last, overdue=[old, yesterday])
    assert [o.pledge_id for o in digest.overdue] == [2]
    assert digest.overdue_count == 1 and digest.overdue_total == 2
    # nothing new at all: the backlog alone does not make a digest
    assert _digest(last, overdue=[old]).empty


def test_items_carry_shortened_quotes_and_links_to_the_editor_pages() -> None:
    long_quote = "ord " * 100
    digest = _digest(None, suggestions=[_suggestion(7, long_quote)])
    item = digest.suggestions[0]
    assert len(item.quote) <= 160 and item.quote.endswith("…")
    assert item.review_url == "https://lofte.example/edit/pledges/7"
    assert item.score == 0.877
    assert digest.settings_url == "https://lofte.example/edit/trackers/sjovik/notifications"
    assert shorten("  kort\n text ") == "kort text"


def test_html_escapes_every_value_and_text_has_the_items() -> None:
    digest = _digest(None, suggestions=[_suggestion(1)], overdue=[_overdue(2, dt.date(2026, 1, 1))])
    page = render_html(digest)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="https://news.example/1?a=1&amp;b=2"' in page
    text = render_text(digest)
    assert "Nya förslag på belägg (1)" in text
    assert "https://lofte.example/edit/pledges/1" in text
    assert "tidsgräns 2026-01-01" in text
    english = render_text(digest, "en")
    assert "New evidence suggestions (1)" in english
    assert subject(digest) == f"Löfte: Sjövik {SCRIPT}: 1 nya förslag, 1 löften efter tidsgränsen"


def test_the_payload_is_json_with_counts_ids_and_urls() -> None:
    digest = _digest(
        UNTIL - dt.timedelta(days=2),
        suggestions=[_suggestion(1), _suggestion(2)],
        overdue=[_overdue(3, dt.date(2026, 11, 18))],
    )
    document = json.loads(json.dumps(payload(digest)))
    assert document["tracker"] == {"slug": "sjovik", "name": f"Sjövik {SCRIPT}"}
    assert document["period"] == {"since": "2026-11-18T12:00:00Z", "until": "2026-11-20T12:00:00Z"}
    assert document["counts"] == {"suggestions": 2, "overdue": 1, "overdue_total": 1}
    assert [s["evidence_id"] for s in document["suggestions"]] == [101, 102]
    assert document["overdue"][0]["url"] == "https://lofte.example/edit/pledges/3"


def test_an_empty_digest_is_empty() -> None:
    assert _digest(UNTIL - dt.timedelta(hours=1)).empty


def test_a_stored_script_url_is_no_link_in_the_html_digest() -> None:
    from dataclasses import replace

    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", " JAVASCRIPT:alert(2)"):
        item = replace(_suggestion(1), document_url=url)
        page = render_html(_digest(None, suggestions=[item]))
        assert "javascript:" not in page.lower() and "data:" not in page, url
        assert "Nyhet &lt;script&gt;" in page  # the title stays, as text
