"""The language switch and page links of a page answering a form lead to a page that answers
GET, even when the form was itself sent from such an answer (QA: after two refusals in a row,
"In English" pointed at /edit/pledges/27/attach/file?lang=en, a 405)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from .conftest import Site, login


def _switch(page: str) -> str:
    found = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">', page)
    assert found, "no language switch"
    return html.unescape(found.group(1))


def test_a_second_refusal_in_a_row_links_the_nearest_get_page(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    upload = f"/edit/pledges/{site.pool}/attach/file"
    fields = {"csrf_token": token, "passage": "finns inte"}
    file = {"file": ("nyhet.txt", b"Simhallen i Norrvik invigdes i dag.", "text/plain")}
    first = client.post(
        upload,
        data=fields,
        files=file,
        headers={"Referer": f"http://testserver/edit/pledges/{site.pool}/attach?q=simhall"},
    )
    assert first.status_code == 422
    assert _switch(first.text) == f"/edit/pledges/{site.pool}/attach?q=simhall&lang=en"
    # sent again from that answer: its address (POST only) is the Referer now
    again = client.post(
        upload, data=fields, files=file, headers={"Referer": f"http://testserver{upload}"}
    )
    assert again.status_code == 422
    link = _switch(again.text)
    assert link == f"/edit/pledges/{site.pool}/attach?lang=en"
    assert client.get(link).status_code == 200
    client.cookies.delete("lang")
    # a pledge form's answer sent from a pledge form's answer: the pledge's page
    state = f"/edit/pledges/{site.pool}/state"
    refused = client.post(
        state,
        data={"csrf_token": token, "action": "nonsense", "expected_version": "1"},
        headers={"Referer": f"http://testserver{state}"},
    )
    assert refused.status_code == 422
    assert _switch(refused.text) == f"/edit/pledges/{site.pool}?lang=en"
