"""Issue 15 end to end: a tracker kept current by `lofte update` through a term, then closed.

A local HTTP server publishes a press-release feed and a news listing (two pages, each item an
article page) whose content changes between three `update` runs, a source that always fails and
a tarpit that sends one byte a second. The test asserts what each run stored, linked, archived
and notified (a local SMTP server's inbox and a local webhook receiver), that an unchanged
source cost one conditional request, that the failing sources back off, and that the final
account lists an accepted source with its archived copy. The texts are written for this test
about the fictional demo municipality (Sjövik).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import pypdf

from lofte.config import Settings
from lofte.demo import load_demo
from lofte.extraction import extract
from lofte.model import PledgeState, ReviewState, Role, SourceKind, VerdictStatus
from lofte.notify.subscribe import subscribe
from lofte.publish.pdf_print import print_pdf
from lofte.publish.report import report_data
from lofte.publish.report_html import write_report
from lofte.review import pledges as review_pledges
from lofte.review.trackers import publish_tracker
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import archive as archive_store
from lofte.store import documents as document_store
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store import users as user_store
from lofte.store import watched
from lofte.store.db import Store, open_store, utcnow
from lofte.watch.update import update
from lofte.web.i18n import translate
from tests.localweb import LocalSite, local_sites
from tests.notify.helpers import smtp_inbox, webhook_receiver
from tests.watch.pages import polite, serve

SLUG = "sjovik-2022"
SECRET = "en-hemlighet-för-webhooken"
HOUR = dt.timedelta(hours=1)

# (path, title, body sentences, date): each reports on a pledge of the demo program
ARTICLES = {
    1: (
        "Kulturskolan blir avgiftsfri",
        "Från och med januari är kulturskolan avgiftsfri för "
        "alla barn och unga upp till 19 år i Sjövik. Kommunfullmäktige beslutade att slopa "
        "terminsavgiften för kulturskolans kurser.",
        "2024-01-10",
    ),
    2: (
        "Ny fritidsgård öppnar i Kvarnby",
        "Den nya fritidsgården i Kvarnby öppnade i dag. "
        "Gården har kvällsöppet fredag och lördag och drivs av kommunen.",
        "2024-09-02",
    ),
    3: (
        "Äldreboendet i Ekbacken försenas",
        "Bygget av det nya äldreboendet med 80 platser i "
        "Ekbacken är försenat. Inflyttningen skjuts upp ett år, meddelar nämnden.",
        "2025-03-14",
    ),
    4: (
        "Frukost i grundskolan",
        "Alla kommunala grundskolor i Sjövik serverar nu frukost till eleverna varje skoldag.",
        "2023-09-01",
    ),
    5: (
        "Träffpunkt för äldre i Norrviken",
        "En ny träffpunkt för äldre med lunchservering och aktiviteter har öppnat i Norrviken.",
        "2023-11-20",
    ),
    6: (
        "Fler förskoleplatser i Solgården",
        "Kommunen bygger ut förskolan i Solgården med 120 "
        "nya förskoleplatser som en del av utbyggnaden av förskolan.",
        "2025-08-18",
    ),
}
FEED_ITEMS = {
    1: (
        "Pressmeddelande: kulturskolan avgiftsfri",
        "Kulturskolan blir avgiftsfri för barn och "
        "unga upp till 19 år. Beslutet fattades av kommunfullmäktige.",
        "Wed, 10 Jan 2024",
    ),
    2: (
        "Pressmeddelande: budget för Sjövik",
        "Budgeten för nästa år antogs av kommunfullmäktige efter en lång debatt.",
        "Mon, 25 Nov 2024",
    ),
    3: (
        "Pressmeddelande: hemtjänsten",
        "De delade turerna inom äldreomsorgen avskaffas och "
        "heltid blir norm för hemtjänstens personal.",
        "Tue, 04 Mar 2025",
    ),
}


def _article(number: int) -> bytes:
    title, text, day = ARTICLES[number]
    return (
        f'<!doctype html><html lang="sv"><head><title>{title}</title>'
        f'<meta property="article:published_time" content="{day}"></head><body>'
        f'<article><h1>{title}</h1><time datetime="{day}">{day}</time>'
        f"<p>{text}</p><p>{text}</p></article></body></html>"
    ).encode()


def _listing(site: LocalSite, numbers: list[int], next_path: str | None) -> bytes:
    items = "".join(
        f'<article class="news-item"><h2><a href="/artikel/{n}">{ARTICLES[n][0]}</a></h2>'
        f"<p>{ARTICLES[n][1][:80]}</p></article>"
        for n in numbers
    )
    pager = f'<nav class="pagination"><a href="{next_path}">Nästa</a></nav>' if next_path else ""
    return (
        '<!doctype html><html lang="sv"><head><title>Nyheter</title></head><body>'
        f"<main><h1>Nyheter från Sjöviks kommun</h1>{items}</main>{pager}</body></html>"
    ).encode()


def _feed(site: LocalSite, numbers: list[int]) -> bytes:
    items = "".join(
        f"<item><title>{FEED_ITEMS[n][0]}</title><link>{site.url(f'/press/{n}')}</link>"
        f"<guid>{site.url(f'/press/{n}')}</guid><description>{FEED_ITEMS[n][1]}</description>"
        f"<pubDate>{FEED_ITEMS[n][2]} 10:00:00 +0100</pubDate></item>"
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Sjöviks kommun: pressmeddelanden</title><link>{site.url('/')}</link>"
        f"{items}</channel></rss>"
    ).encode()


def _publish(site: LocalSite, feed: list[int], page_one: list[int], page_two: list[int]) -> None:
    serve(site, "/press.xml", _feed(site, feed), "application/rss+xml; charset=utf-8")
    serve(site, "/nyheter", _listing(site, page_one, "/nyheter/2"))
    serve(site, "/nyheter/2", _listing(site, page_two, None))


def _settings(site: LocalSite, smtp_port: int, hook_port: int, tmp: Path) -> Settings:
    values = {
        "fetch_allow_hosts": f"127.0.0.1:{site.port},127.0.0.1:{hook_port}",
        "fetch_min_interval": 0.0,
        "fetch_timeout": 5.0,
        "fetch_deadline": 3.0,  # the tarpit's 1 byte a second never finishes inside it
        "link_dense": False,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_from": "lofte@sjovik.example",
        "smtp_starttls": False,
        "notify_backoff": 0.01,
        "notify_min_interval": 0,  # a digest after every run that has something new
        "public_url": "https://lofte.sjovik.example/",
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _demo(tmp: Path) -> Store:
    store = open_store(f"sqlite:///{tmp / 'term.db'}", create=True)
    load_demo(store)
    extract(store, SLUG)
    publish_tracker(store, SLUG, actor="e2e")
    with store.session() as s:
        user_store.add_user(s, "redaktor", "x", Role.EDITOR)
    return store


def _watch(store: Store, site: LocalSite) -> None:
    with store.session() as s:
        tracker_id = tracker_store.get_tracker(s, SLUG).id
        for name, path in (
            ("pressmeddelanden", "/press.xml"),
            ("nyheter", "/nyheter"),
            ("trasig", "/trasig"),
            ("långsam", "/langsam"),
        ):
            watched.add_source(
                s, tracker_id, name, site.url(path), SourceKind.NEWS, every_seconds=6 * 3600
            )


def _by_name(report):  # type: ignore[no-untyped-def]
    return {o.name: o for o in report.sources}


def _document_at(store: Store, url: str):  # type: ignore[no-untyped-def]
    with store.session() as s:
        tracker_id = tracker_store.get_tracker(s, SLUG).id
        found = [d for d in document_store.list_documents(s, tracker_id) if d.url == url]
    assert len(found) == 1, url
    return found[0]


def _suggested_pledges(store: Store, document_id: int) -> list[str]:
    with store.session() as s:
        found = [e for e in evidence_store.list_evidence(s) if e.document_id == document_id]
        return [pledge_store.get_pledge(s, e.pledge_id).quote for e in found]


def _verify(headers: dict[str, str], body: bytes) -> bool:
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("x-lofte-signature", ""), f"sha256={expected}")


def test_a_term_kept_current_by_update_then_closed(tmp_path: Path) -> None:
    store = _demo(tmp_path)
    with (
        local_sites(1) as (site,),
        smtp_inbox() as inbox,
        webhook_receiver() as hook,
    ):
        site.page("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        for n in ARTICLES:
            serve(site, f"/artikel/{n}", _article(n))
        site.trickle("/langsam", interval=1.0)
        # /trasig is not routed: 404 every time
        settings = _settings(site, inbox.port, hook.port, tmp_path)
        subscribe(
            store,
            SLUG,
            "redaktor",
            email="redaktor@sjovik.example",
            webhook_url=hook.url,
            webhook_secret=SECRET,
        )
        _watch(store, site)
        politeness = polite()
        start = utcnow().replace(microsecond=0) + dt.timedelta(minutes=1)

        def run(at: dt.datetime):  # type: ignore[no-untyped-def]
            return update(
                store,
                settings=settings,
                now=at,
                politeness=politeness,
                dense=False,
                notify_with={"sleep": lambda _s: None},
            )

        # -- run 1: everything is new; the broken source and the tarpit fail ------------------
        _publish(site, feed=[1, 2], page_one=[1, 2, 3], page_two=[4, 5])
        first = run(start)
        sources = _by_name(first)
        assert (sources["pressmeddelanden"].status, sources["pressmeddelanden"].new) == ("ok", 2)
        assert (sources["nyheter"].status, sources["nyheter"].new) == ("ok", 5)
        assert sources["trasig"].status == "failed" and "404" in (sources["trasig"].error or "")
        assert sources["långsam"].status == "failed"
        assert "deadline" in (sources["långsam"].error or "")
        assert first.linked == (SLUG,) and first.suggestions > 0

        # stored, with the article's own date and URL, and archived as WARC
        school = _document_at(store, site.url("/artikel/1"))
        assert school.title == "Kulturskolan blir avgiftsfri"
        assert school.date is not None and school.date.value == dt.date(2024, 1, 10)
        with store.session() as s:
            row = document_store.get_document(s, school.id)
            archive_id = archive_store.document_archives(s, [school.id])[school.id].id
            copy = archive_store.archived_copy(s, archive_id)
        assert row.url == site.url("/artikel/1")
        assert copy.url == site.url("/artikel/1") and copy.status == 200
        assert copy.payload == _article(1)
        assert copy.payload_sha256 == hashlib.sha256(_article(1)).hexdigest()

        # linked: the article about the culture school is suggested for that pledge
        assert any("kulturskolan" in q.lower() for q in _suggested_pledges(store, school.id))

        # notified once on each channel, with what this run suggested
        assert len(inbox.messages) == 1
        recipients, mail = inbox.messages[0]
        assert recipients == ["redaktor@sjovik.example"]
        text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert "Kulturskolan blir avgiftsfri" in text
        assert len(hook.requests) == 1
        headers, body = hook.requests[0]
        assert _verify(headers, body)
        payload = json.loads(body)
        assert payload["tracker"]["slug"] == SLUG and payload["counts"]["suggestions"] > 0
        assert first.notified is not None and first.notified.sent == 2

        # -- run 2, 7 hours later: nothing changed; the failing sources wait out their back-off
        asked = len(site.seen)
        second = run(start + 7 * HOUR)
        sources = _by_name(second)
        assert set(sources) == {"pressmeddelanden", "nyheter"}  # the others back off 12 h
        assert {o.status for o in sources.values()} == {"not_modified"}
        assert all(o.fetched == 1 and o.new == 0 for o in sources.values())
        assert sorted(site.seen[asked:]) == ["/nyheter", "/press.xml"]  # one request each
        assert len(inbox.messages) == 1 and len(hook.requests) == 1  # nothing new: no digest

        # -- run 3, 13 hours after the first: new items; the back-off is over, they fail again
        _publish(site, feed=[3, 1, 2], page_one=[6, 1, 2], page_two=[3, 4, 5])
        third = run(start + 13 * HOUR)
        sources = _by_name(third)
        assert (sources["pressmeddelanden"].status, sources["pressmeddelanden"].new) == ("ok", 1)
        assert (sources["nyheter"].status, sources["nyheter"].new) == ("ok", 1)
        assert sources["trasig"].status == "failed" and sources["långsam"].status == "failed"
        with store.session() as s:
            listed = {w.name: w for w in watched.list_sources(s)}
        assert listed["trasig"].failures == 2
        assert listed["trasig"].next_due_at == start + 13 * HOUR + 24 * HOUR
        preschool = _document_at(store, site.url("/artikel/6"))
        assert any("förskol" in q.lower() for q in _suggested_pledges(store, preschool.id))
        assert len(inbox.messages) == 2 and len(hook.requests) == 2
        later = inbox.messages[1][1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert "Fler förskoleplatser i Solgården" in later
        assert "Kulturskolan blir avgiftsfri" not in later  # told once
        assert _verify(*hook.requests[1])

    # -- the end of the term: an editor accepts a source and rates; the account is written --
    with store.session() as s:
        school_evidence = [
            e
            for e in evidence_store.list_evidence(s)
            if e.document_id == school.id
            and "kulturskolan" in pledge_store.get_pledge(s, e.pledge_id).quote.lower()
        ][0]
        pledge = pledge_store.get_pledge(s, school_evidence.pledge_id)
    decide_evidence(store, school_evidence.id, True, actor="redaktor")
    if pledge.state is not PledgeState.CONFIRMED:  # only a confirmed pledge is rated
        review_pledges.confirm(store, pledge.id, actor="redaktor")
    set_verdict(
        store,
        pledge.id,
        VerdictStatus.KEPT,
        "Kulturskolan är avgiftsfri sedan januari 2024.",
        [school_evidence.id],
        actor="redaktor",
    )
    with store.session() as s:
        assert evidence_store.get_evidence(s, school_evidence.id).review_state is (
            ReviewState.ACCEPTED
        )
        data = report_data(s, SLUG, base_url="https://lofte.sjovik.example")
    html = write_report(data, tmp_path / "rapport", translate, "sv")
    account = html.read_text(encoding="utf-8")
    assert "Kulturskolan är avgiftsfri sedan januari 2024." in account
    assert copy.payload_sha256 in account  # the source's archived copy, by its hash
    assert f"https://lofte.sjovik.example/trackers/{SLUG}/archive/{archive_id}" in account
    pdf = html.with_suffix(".pdf")
    print_pdf(html, pdf, chromium=Settings(_env_file=None).chromium_path)  # type: ignore[call-arg]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Kulturskolan är avgiftsfri" in " ".join(text.split())
    store.dispose()
