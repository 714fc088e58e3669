"""A form sent after the session ended (401) shows every field the editor typed, labelled as
its form names it (QA: an attach form's passage, the added pledge's words and everything of
the upload form were lost, and an attach reason was labelled as a reason to reject)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.review import users

from .conftest import Site, login, make_client

REASON = "Nämns <b>inte</b> av länkaren"


def _typed(page: str) -> dict[str, str]:
    """The 401 page's typed fields: label → text."""
    section = page[page.index('id="typed-heading"') :]
    pairs = re.findall(
        r'<label for="typed-\d+">(.*?)</label>\s*<textarea id="typed-\d+" rows="4" readonly>(.*?)'
        r"</textarea>",
        section,
        re.S,
    )
    return {html.unescape(k): html.unescape(v) for k, v in pairs}


def test_an_attach_form_s_reason_and_passage_are_kept_labelled_as_attaching(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    sent = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "csrf_token": token,
            "document_id": str(site.news["trees"]),
            "reason": REASON,
            "passage": "planteras i vår",
        },
    )
    assert sent.status_code == 401
    assert _typed(sent.text) == {
        "Skäl att bifoga": REASON,
        "Stycke att citera (valfritt)": "planteras i vår",
    }
    assert "Skäl att avvisa" not in sent.text


def test_an_added_pledge_s_words_are_kept(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    sent = client.post(
        f"/edit/documents/{site.program}/pledges",
        data={"csrf_token": token, "quote": "Vi ska bygga en ny simhall", "area": "Idrott"},
    )
    assert sent.status_code == 401
    assert _typed(sent.text) == {
        "Löftets ord": "Vi ska bygga en ny simhall",
        "Politikområde": "Idrott",
    }
    # a disabled account's alert says it too (review)
    alert = sent.text[sent.text.index('id="login-disabled"') :].split("</p>", 1)[0]
    assert "Det du skrev finns att kopiera under inloggningen." in alert


def test_an_upload_form_s_text_is_kept_disabled_or_without_a_session(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    fields = {"csrf_token": token, "reason": REASON, "passage": "invigdes i dag"}
    upload = {"file": ("nyhet.txt", b"Simhallen i Norrvik invigdes i dag.", "text/plain")}
    sent = client.post(f"/edit/pledges/{site.pool}/attach/file", data=fields, files=upload)
    assert sent.status_code == 401
    kept = {"Skäl att bifoga": REASON, "Stycke att citera (valfritt)": "invigdes i dag"}
    assert _typed(sent.text) == kept
    # no session at all (its cookie gone): the same
    stranger = make_client(site.store)
    sent = stranger.post(f"/edit/pledges/{site.pool}/attach/file", data=fields, files=upload)
    assert sent.status_code == 401 and _typed(sent.text) == kept


def test_a_decision_reason_is_labelled_as_one(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    users.disable_user(site.store, "anna", actor="admin1")
    sent = client.post(
        f"/edit/evidence/{site.ev_pool}",
        data={"csrf_token": token, "decision": "reject", "reason": "handlar om en annan hall"},
    )
    assert sent.status_code == 401
    assert _typed(sent.text) == {"Skäl (valfritt)": "handlar om en annan hall"}


def test_the_alert_of_an_ended_session_says_the_typed_text_is_below(
    client: TestClient, site: Site
) -> None:
    """QA, a screen-reader user: the alert (read first, the user name field focused) said
    only "log in again"; what was typed came after the login form, unannounced."""
    token = login(client, "anna")
    client.cookies.clear()  # the session is gone (ended, or timed out)
    sent = client.post(
        f"/edit/documents/{site.program}/pledges?lang=sv",
        data={"csrf_token": token, "quote": "Vi ska bygga en ny simhall"},
    )
    assert sent.status_code == 401
    alert = sent.text[sent.text.index('id="login-expired"') :].split("</p>", 1)[0]
    assert "Det du skrev finns att kopiera under inloggningen." in alert
    assert _typed(sent.text) == {"Löftets ord": "Vi ska bygga en ny simhall"}
    client.cookies.clear()
    bare = client.post(f"/edit/documents/{site.program}/pledges", data={"csrf_token": token})
    assert "Det du skrev finns" not in bare.text  # nothing typed: nothing said
