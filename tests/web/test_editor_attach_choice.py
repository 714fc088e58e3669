"""Attaching evidence through the editors' pages with a reason and a chosen passage."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import NEWS_POOL, Site, login
from .test_editor_evidence import _weak_document

REASON = "Nämns <b>inte</b> av länkaren & ändå relevant"
ESCAPED = "Nämns &lt;b&gt;inte&lt;/b&gt; av länkaren &amp; ändå relevant"


def _evidence_block(page: str, evidence_id: int) -> str:
    block = page[page.index(f'id="evidence-{evidence_id}"') :]
    return block[: block.index("</article>")]


def test_the_reason_is_shown_escaped_on_the_evidence_and_in_the_history(
    client: TestClient, site: Site
) -> None:
    weak = _weak_document(site)
    token = login(client, "anna")
    search = client.get(f"/edit/pledges/{site.pool}/attach").text
    # each way of attaching offers the two optional fields, labelled
    assert f'id="attach-reason-{weak}"' in search and f'id="attach-passage-{weak}"' in search
    assert 'id="attach-reason-url"' in search and 'id="attach-passage-file"' in search
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(weak),
            "back": f"/edit/pledges/{site.pool}",
            "reason": REASON,
            "passage": "firade midsommar i parken",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303, done.text
    evidence_id = int(re.search(r"#evidence-(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
    page = client.get(f"/edit/pledges/{site.pool}").text
    block = _evidence_block(page, evidence_id)
    assert f'Skäl: <span lang="sv" dir="auto">{ESCAPED}</span>' in block and REASON not in page
    # the chosen passage is the one marked in context
    assert "<mark>firade midsommar i parken</mark>" in block.replace("\n", "")
    history = page[page.index('id="history-heading"') :]
    assert (
        "belägg tillagt" in history and f'skäl</span>: <span lang="sv">{ESCAPED}</span>' in history
    )
    assert "stycke</span>: valt av redaktören" in history  # the passage, in words
    english = client.get(f"/edit/pledges/{site.pool}?lang=en").text
    client.cookies.delete("lang")
    history = english[english.index('id="history-heading"') :]
    assert "passage</span>: chosen by the editor" in history
    assert f'Reason: <span lang="sv" dir="auto">{ESCAPED}' in _evidence_block(english, evidence_id)


def test_a_passage_not_in_the_document_is_a_422_in_swedish_with_the_input_kept(
    client: TestClient, site: Site
) -> None:
    weak = _weak_document(site)
    token = login(client, "anna")
    refused = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(weak),
            "reason": REASON,
            "passage": "firade jul",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    text = refused.text
    assert f"Stycket &#39;firade jul&#39; finns inte i dokument {weak} (som hela ord)" in text
    form = text[text.index(f'id="attach-reason-{weak}"') :]
    assert f'value="{ESCAPED}"' in form[:400]
    assert ">firade jul</textarea>" in text
    assert 'aria-invalid="true"' in text[text.index(f'id="attach-passage-{weak}"') :][:300]
    # nothing attached: the document is still only a candidate
    page = client.get(f"/edit/pledges/{site.pool}").text
    assert f"/documents/{weak}" not in page


def test_attaching_the_suggested_document_with_a_passage_marks_that_passage(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(site.news["pool"]),
            "passage": "av kommunalrådet",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303, done.text
    block = _evidence_block(client.get(f"/edit/pledges/{site.pool}").text, site.ev_pool)
    assert "godtaget" in block
    assert "<mark>av kommunalrådet</mark>" in block.replace("\n", "")
    assert "av kommunalrådet" in NEWS_POOL
