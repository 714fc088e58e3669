"""The upload form's text is cleaned as every other form's is (QA: a bell, escape codes and
DEL in the reason of an uploaded file were stored and shown; the urlencoded forms lose them at
the edge, `edge.CleanFormInput`, which leaves multipart bodies to their route)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from lofte.language.controls import has_forbidden
from lofte.review.evidence import checked_passage
from lofte.review.reasons import checked_reason
from lofte.store import audit

from .conftest import Site, login

DIRTY = "Skäl\x07 med \x1b[31mfärg\x1b[0m och\x7f slut\x9b"


def test_an_uploaded_file_s_reason_and_passage_are_stored_clean(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/file",
        data={"csrf_token": token, "reason": DIRTY, "passage": "invigdes\x07 i dag"},
        files={"file": ("nyhet.txt", b"Simhallen i Norrvik invigdes i dag.", "text/plain")},
    )
    assert done.status_code == 303, done.text
    evidence_id = int(re.search(r"#evidence-(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
    with site.store.session() as s:
        event = audit.list_events(s, "evidence", evidence_id)[-1]
    assert event.details["reason"] == "Skäl med [31mfärg[0m och slut"
    page = client.get(f"/edit/pledges/{site.pool}").text
    assert not has_forbidden(page)
    assert "<mark>invigdes i dag</mark>" in page.replace("\n", "")  # the passage, cleaned


def test_a_refused_upload_keeps_its_text_cleaned(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    refused = client.post(
        f"/edit/pledges/{site.pool}/attach/file",
        data={"csrf_token": token, "reason": DIRTY, "passage": "finns\x1b inte"},
        files={"file": ("nyhet.txt", b"Simhallen i Norrvik invigdes i dag.", "text/plain")},
    )
    assert refused.status_code == 422
    assert 'value="Skäl med [31mfärg[0m och slut"' in refused.text
    assert ">finns inte</textarea>" in refused.text


def test_the_library_cleans_a_reason_and_a_passage_from_any_caller() -> None:
    assert checked_reason(DIRTY) == "Skäl med [31mfärg[0m och slut"
    assert checked_reason("\x07\x1b") is None
    assert checked_passage("invigdes\x7f i dag") == "invigdes i dag"
