"""A form sent with a stale CSRF token keeps what was typed (QA: an editor typed a rationale in
one tab, logged out and in again in another, which made a new token; "Spara bedömningen" in the
first tab got a bare 403 that said "reload", the rationale lost, and reloading sent the same
refused form again)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from lofte.store import verdicts as verdict_store

from .conftest import PASSWORD, Site, login


@pytest.mark.parametrize(
    ("lang", "said", "label", "again"),
    [
        ("sv", "inget av det sparades", "Motivering", "Öppna formuläret igen"),
        ("en", "nothing of it was saved", "Rationale", "Open the form again"),
    ],
)
def test_a_form_with_a_token_from_before_a_new_login_keeps_the_typed_text(
    client: TestClient, site: Site, lang: str, said: str, label: str, again: str
) -> None:
    old_token = login(client, "anna")  # tab 1 opens the verdict form with this token
    client.cookies.set("lang", lang)
    # tab 2, same browser: log out and in again, which gives the session a new token
    assert client.post("/logout", data={"csrf_token": old_token}).status_code == 303
    new_token = login(client, "anna")
    assert new_token != old_token
    typed = "Beslut i fullmäktige <2024-05-13> & budget"
    sent = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={
            "csrf_token": old_token,
            "status": "in_the_works",
            "rationale": typed,
            "expected_version": "1",
            "password": PASSWORD,  # a field no form of the verdict has: never shown back
        },
        headers={"referer": f"{client.base_url}/edit/pledges/{site.pool}"},
    )
    assert sent.status_code == 403
    page = sent.text
    assert said in page
    assert "Ladda om" not in page and "Reload" not in page  # it would send the form again
    assert f'<label for="typed-1">{label}</label>' in page
    assert "Beslut i fullmäktige &lt;2024-05-13&gt; &amp; budget</textarea>" in page
    assert len(re.findall(r'<textarea id="typed-\d+"', page)) == 1  # the rationale only
    assert old_token not in page and PASSWORD not in page  # no secret is echoed
    assert f'<a href="/edit/pledges/{site.pool}">{again}</a>' in page
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []
    # the form opened again carries the new token: the same text pasted in saves
    fresh = client.get(f"/edit/pledges/{site.pool}")
    assert fresh.status_code == 200 and f'value="{new_token}"' in fresh.text
    saved = client.post(
        f"/edit/pledges/{site.pool}/verdict",
        data={
            "csrf_token": new_token,
            "status": "in_the_works",
            "rationale": typed,
            "expected_version": "1",
        },
    )
    assert saved.status_code == 303, saved.text
    with site.store.session() as s:
        assert [v.rationale for v in verdict_store.verdict_history(s, site.pool)] == [typed]


def test_a_stale_token_outside_the_editors_forms_shows_nothing_typed(
    client: TestClient, site: Site
) -> None:
    """Only an editor's own form is shown back; a stray POST elsewhere says what it says."""
    login(client, "anna")
    sent = client.post("/logout", data={"csrf_token": "stale", "rationale": "x y z"})
    assert sent.status_code == 403
    assert "typed-heading" not in sent.text and "x y z" not in sent.text
