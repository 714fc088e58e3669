"""A pledge's history and a conflict's note name what changed in the page's language (QA: a
Swedish page read "tillagt: from document", "tillagt: fetched_at …, filename upload1.txt, from
upload", "attributes: checkable ja, deadline_year –, method cue …" and "löfte ändrat
(attributes, citat, början)")."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.review import evidence as evidence_review
from lofte.review import pledges as pledge_review
from lofte.store import pledges as pledge_store

from .conftest import PROGRAM, Site, login, make_client
from .test_editor_evidence import _weak_document

RAW = (
    "from document",
    "from upload",
    "fetched_at",
    "filename",
    "attributes",
    "checkable",
    "deadline_year",
    "conditional",
    "method",
    "outcome",
)


def _history(page: str) -> str:
    table = page[page.index('id="history-heading"') :]
    return html.unescape(re.sub(r"<[^>]+>", "", table[: table.index("</table>")]))


def test_the_history_names_attached_evidence_and_attributes_in_words(
    client: TestClient, site: Site
) -> None:
    weak = _weak_document(site)
    evidence_review.attach_document(site.store, site.pool, weak, actor="bo")
    evidence_review.attach_upload(
        site.store, site.pool, b"Simhallen i Norrvik invigdes.", "upload1.txt", actor="bo"
    )
    with site.store.session() as s:  # the method extraction found it by, as it records it
        row = pledge_store.get_pledge_row(s, site.pool)
        row.attributes = {**row.attributes, "method": "cue", "deadline_year": None}
    pledge_review.edit(site.store, site.pool, end=PROGRAM.index(" i Norrvik."), actor="anna")
    login(client, "anna")
    swedish = _history(client.get(f"/edit/pledges/{site.pool}").text)
    for raw in RAW:
        assert raw not in swedish, raw
    assert "tillagt: lagrat dokument" in swedish
    assert "tillagt: uppladdad fil" in swedish and "filnamn: upload1.txt" in swedish
    assert re.search(r"hämtat: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", swedish)
    assert "villkorat: – → nej" in swedish and "hittat med: löftesord → –" in swedish
    english = _history(client.get(f"/edit/pledges/{site.pool}?lang=en").text)
    client.cookies.delete("lang")
    assert "attached: stored document" in english and "file name: upload1.txt" in english
    assert "conditional: – → no" in english and "found by: pledge wording → –" in english
    assert "fetched_at" not in english and "from upload" not in english


def test_a_conflict_names_the_changed_attributes_in_words(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    with site.store.session() as s:
        seen = pledge_store.get_pledge(s, site.pool).version
    moved = bo.post(
        f"/edit/pledges/{site.pool}/edit",
        data={
            "end": str(PROGRAM.index(" i Norrvik.")),
            "area": "Idrott och fritid",  # as the form shows it
            "csrf_token": bo_token,
            "expected_version": str(seen),
        },
    )
    assert moved.status_code == 303, moved.text
    stale = anna.post(
        f"/edit/pledges/{site.pool}/state",
        data={"action": "reject", "csrf_token": anna_token, "expected_version": str(seen)},
    )
    said = re.search(r'<p class="changed-by">(.*?)</p>', stale.text, re.S)
    assert stale.status_code == 409 and said
    assert "löfte ändrat (egenskaper, slut, citat)" in html.unescape(said.group(1))
