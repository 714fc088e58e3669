"""The review queue at scale (issue 12, item 6): paged, filtered, sorted, decided in bulk."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.publish import editor_pages
from lofte.review import verdicts
from lofte.store import audit
from lofte.store import evidence as evidence_store
from lofte.store.schema import PledgeRow
from tests.review import fixtures

from .conftest import Site, login

QUEUE = "/edit/trackers/sjovik/queue"


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="sugg-(\d+)"', html)]


def _state(site: Site, evidence_id: int) -> str:
    with site.store.session() as s:
        return evidence_store.get_evidence_row(s, evidence_id).review_state


def test_filters_and_sorts(client: TestClient, site: Site) -> None:
    login(client, "anna")
    with site.store.session() as s:
        s.get(PledgeRow, site.trees).party = "V"  # type: ignore[union-attr]
    assert _shown(client.get(QUEUE).text) == [site.ev_pool, site.ev_preschool, site.ev_trees]
    assert _shown(client.get(QUEUE, params={"band": "high"}).text) == [site.ev_pool]
    assert _shown(client.get(QUEUE, params={"band": "low"}).text) == [site.ev_trees]
    assert _shown(client.get(QUEUE, params={"area": "Skola"}).text) == [site.ev_preschool]
    html = client.get(QUEUE, params={"party": "V"}).text
    assert _shown(html) == [site.ev_trees]
    assert '<option value="V" lang="sv" selected>' in html
    by_doc = client.get(QUEUE, params={"document": str(site.news["pool"])}).text
    assert _shown(by_doc) == [site.ev_pool]
    newest = client.get(QUEUE, params={"sort": "date"}).text
    assert _shown(newest) == [site.ev_trees, site.ev_preschool, site.ev_pool]
    by_pledge = _shown(client.get(QUEUE, params={"sort": "pledge"}).text)
    assert by_pledge == [site.ev_pool, site.ev_preschool, site.ev_trees]
    assert _shown(client.get(QUEUE, params={"state": "accepted"}).text) == []
    for bad in ({"state": "bogus"}, {"band": "x"}, {"sort": "x"}, {"document": "x"}):
        response = client.get(QUEUE, params=bad)
        assert response.status_code == 400, bad


def test_the_document_filter_lists_only_documents_with_evidence_or_takes_a_number(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: at 8,943 documents the menu listed them all (781 kB of every queue page), read with
    # their text; it lists those with evidence, and past DOCUMENT_MENU takes a number
    login(client, "anna")
    html = client.get(QUEUE).text
    menu = re.search(r'<select id="q-document".*?</select>', html, re.S)
    assert menu is not None
    listed = {int(v) for v in re.findall(r'<option value="(\d+)"', menu.group())}
    with site.store.session() as s:
        with_evidence = {e.document_id for e in evidence_store.list_evidence(s)}
    assert listed == with_evidence and site.news["pool"] in listed
    monkeypatch.setattr(editor_pages, "DOCUMENT_MENU", len(listed) - 1)
    html = client.get(QUEUE, params={"document": str(site.news["pool"])}).text
    assert '<select id="q-document"' not in html
    assert (
        f'id="q-document" name="document" inputmode="numeric" pattern="[0-9]*" size="8" value="{site.news["pool"]}"'
        in html
    )
    assert _shown(html) == [site.ev_pool]
    assert f"dokument {site.news['pool']})" in html  # each suggestion names its number


def test_the_queue_is_paged(client: TestClient, site: Site) -> None:
    assert editor_pages.QUEUE_SIZE == 25
    with site.store.session() as s:
        first = editor_pages.review_queue(s, "sjovik", 1, page_size=2)
        second = editor_pages.review_queue(s, "sjovik", 2, page_size=2)
    assert [e["id"] for e in first["items"]] == [site.ev_pool, site.ev_preschool]
    assert [e["id"] for e in second["items"]] == [site.ev_trees]
    assert first["pages"] == 2 and first["total"] == 3


def _accept_all_after_a_rival(
    client: TestClient, site: Site, token: str, back: str
) -> httpx.Response:
    """Tick all three suggestions and accept them, after someone else rejected one of them."""
    verdicts.decide_evidence(site.store, site.ev_preschool, False, actor="bertil")
    return client.post(
        QUEUE,
        data={
            "decision": "accept",
            "evidence": [site.ev_pool, site.ev_preschool, site.ev_trees],
            "csrf_token": token,
            "back": back,
        },
    )


def test_bulk_accept_applies_each_and_reports_a_conflict(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    html = client.get(QUEUE).text
    assert f'name="evidence" value="{site.ev_pool}"' in html
    response = _accept_all_after_a_rival(client, site, token, QUEUE)
    assert response.status_code == 409
    assert (
        f"Förslag {site.ev_preschool}:" in response.text and "2 förslag avgjordes" in response.text
    )
    assert _state(site, site.ev_pool) == "accepted"
    assert _state(site, site.ev_trees) == "accepted"
    assert _state(site, site.ev_preschool) == "rejected"
    with site.store.session() as s:
        accepts = [e for e in audit.list_events(s) if e.action == "evidence.accept"]
    assert {e.entity_id for e in accepts} == {site.ev_pool, site.ev_trees}


@pytest.mark.parametrize(
    ("back", "expect"),
    [("?state=all&sort=date", ["trees", "preschool", "pool"]), ("?state=bogus&page=x", [])],
    ids=["its filters and sort", "unreadable: the default queue"],
)
def test_a_bulk_conflict_shows_the_queue_page_it_came_from(
    client: TestClient, site: Site, back: str, expect: list[str]
) -> None:
    token = login(client, "anna")
    response = _accept_all_after_a_rival(client, site, token, QUEUE + back)
    assert response.status_code == 409 and f"Förslag {site.ev_preschool}:" in response.text
    ids = {"pool": site.ev_pool, "preschool": site.ev_preschool, "trees": site.ev_trees}
    assert _shown(response.text) == [ids[name] for name in expect]


def test_bulk_reject_without_conflicts_redirects_back(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    response = client.post(
        QUEUE,
        data={
            "decision": "reject",
            "evidence": [site.ev_pool, site.ev_trees],
            "csrf_token": token,
            "back": QUEUE + "?sort=date",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == QUEUE + "?sort=date"
    assert "2 förslag avvisade" in client.get(QUEUE).text
    assert _state(site, site.ev_preschool) == "suggested"
    viewer = client.post(QUEUE, data={"decision": "reject", "evidence": [site.ev_preschool]})
    assert viewer.status_code in (400, 403)


@pytest.mark.parametrize(
    ("lang", "notice"),
    [("sv", "Inga förslag valda"), ("en", "No suggestions selected")],
)
def test_a_bulk_decision_with_nothing_ticked_shows_the_queue_again(
    client: TestClient, site: Site, lang: str, notice: str
) -> None:
    token = login(client, "anna")
    back = QUEUE + "?sort=date&page=1"
    client.cookies.set("lang", lang)
    response = client.post(QUEUE, data={"decision": "accept", "csrf_token": token, "back": back})
    # not a dead-end error page: the same queue page, filters kept, with a notice
    assert response.status_code == 422 and notice in response.text
    assert '<option value="date" selected>' in response.text
    assert _state(site, site.ev_pool) == "suggested"


def _accept(client: TestClient, token: str, evidence_id: int) -> httpx.Response:
    """Accept a suggestion from the queue, as its Godta button does."""
    return client.post(
        f"/edit/evidence/{evidence_id}",
        data={"decision": "accept", "back": QUEUE, "csrf_token": token},
        follow_redirects=False,
    )


def test_accepting_for_a_candidate_pledge_asks_to_confirm_it_first(
    client: TestClient, site: Site
) -> None:
    """A candidate cannot get a verdict: no form that every save would refuse, no jump to it."""
    token = login(client, "anna")
    response = _accept(client, token, site.ev_trees)
    assert response.status_code == 303
    # from the queue: the page offers the way back to it
    assert (
        response.headers["location"]
        == f"/edit/pledges/{site.trees}?queue=%2Fedit%2Ftrackers%2Fsjovik%2Fqueue"
    )
    page = client.get(response.headers["location"]).text
    assert f'<a href="{QUEUE}">Tillbaka: Förslag att granska</a>' in page
    assert 'id="verdict-form"' not in page and f"/edit/pledges/{site.trees}/verdict" not in page
    assert "Löftet måste bekräftas innan det kan bedömas." in page
    assert '<a href="#review-heading">Bekräfta löftet</a>' in page  # to the one confirm button
    assert page.count('value="confirm"') == 1
    with site.store.session() as s:
        version = s.get(PledgeRow, site.trees).version
    confirm = client.post(
        f"/edit/pledges/{site.trees}/state",
        data={"action": "confirm", "csrf_token": token, "expected_version": str(version)},
    )
    assert confirm.status_code == 303
    assert 'id="verdict-form"' in client.get(f"/edit/pledges/{site.trees}").text
    english = client.get(f"/edit/pledges/{site.vague}", params={"lang": "en"}).text
    assert "The pledge is rejected and gets no verdict." in english
    assert 'id="verdict-form"' not in english


def test_accepting_goes_on_to_the_verdict_form_with_the_status_prefilled(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    response = _accept(client, token, site.ev_pool)
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/edit/pledges/{site.pool}?queue=%2Fedit%2Ftrackers%2Fsjovik%2Fqueue#verdict-form"
    )
    with site.store.session() as s:
        from lofte.store import users as user_store

        author = user_store.user_named(s, "anna")
    verdicts.set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "x", [site.ev_pool], author=author
    )
    page = client.get(f"/edit/pledges/{site.pool}").text
    assert '<option value="in_the_works" selected>' in page


def test_a_decision_in_the_queue_comes_back_to_its_place(client: TestClient, site: Site) -> None:
    # QA: after each Reject the queue opened at the top with the focus lost, and after Accept
    # the pledge page had no way back to the queue
    token = login(client, "anna")
    html = client.get(QUEUE, params={"page": "1"}).text
    first, second = _shown(html)[:2]
    assert f'formaction="/edit/evidence/{first}?after={second}"' in html
    back = f"{QUEUE}?page=1"
    rejected = client.post(
        f"/edit/evidence/{first}?after={second}",
        data={"decision": "reject", "back": back, "csrf_token": token},
        follow_redirects=False,
    )
    assert rejected.headers["location"] == f"{back}#sugg-{second}"
    accepted = client.post(
        f"/edit/evidence/{second}?after=x",  # not a number: no place, the queue page itself
        data={"decision": "accept", "back": "//evil.example/queue", "csrf_token": token},
        follow_redirects=False,
    )
    assert "queue=" not in accepted.headers["location"]  # not a queue of this site
    page = client.get(f"/edit/pledges/{site.pool}", params={"queue": "//evil.example"}).text
    assert "Förslag att granska</a>" not in page  # not offered as the way back


def test_a_queue_decides_only_its_own_trackers_suggestions(client: TestClient, site: Site) -> None:
    # QA: a stale or altered queue form of one tracker, sent with another tracker's evidence
    # ids (or to a tracker that does not exist), decided them
    doc = fixtures.program_document(site.store, fixtures.PROGRAM, slug="annan")
    pledge = fixtures.pledge_row(site.store, doc, fixtures.PROGRAM)
    other = fixtures.news_suggestion(site.store, pledge)
    decided = fixtures.news_suggestion(site.store, pledge, body="Simhallen i Norrvik öppnade.")
    verdicts.decide_evidence(site.store, decided, True, actor="berit")  # named as it is (review)
    token = login(client, "anna")
    ticked = [other, decided, site.ev_pool]
    sent = {"decision": "reject", "evidence": ticked, "csrf_token": token}
    response = client.post(QUEUE, data=sent | {"back": QUEUE})
    assert response.status_code == 409
    for not_here in (other, decided):
        assert f"Belägg {not_here} finns inte i mätaren sjovik." in response.text
    assert "berit" not in response.text
    assert _state(site, other) == "suggested" and _state(site, site.ev_pool) == "rejected"
    nowhere = client.post("/edit/trackers/nosuch/queue", data=sent | {"evidence": [other]})
    assert nowhere.status_code == 404 and _state(site, other) == "suggested"


def test_a_suggestion_for_a_pledge_not_yet_confirmed_says_so(
    client: TestClient, site: Site
) -> None:
    """QA, a first-day editor: evidence accepted from the queue for a pledge still a candidate,
    with nothing there saying it was one."""
    login(client, "anna")
    page = client.get(QUEUE).text
    items = dict(re.findall(r'id="sugg-(\d+)"(.*?)</h3>', page, re.DOTALL))
    assert "löftet är inte bekräftat än" in items[str(site.ev_trees)]  # trees: a candidate
    assert "inte bekräftat" not in items[str(site.ev_pool)]  # the pool: confirmed
