"""Attaching evidence the linker missed, through the editors' pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from lofte.store import documents as document_store
from lofte.store.schema import DocumentRow

from .conftest import SCRIPT, Site, login


def _version(site: Site, pledge_id: int) -> int:
    from lofte.store import pledges as pledge_store

    with site.store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def _weak_document(site: Site) -> int:
    """A news item on the pool pledge that scores under the suggestion threshold."""
    body = "Norrvik firade midsommar i parken med dans och musik."
    with site.store.session() as s:
        raw = document_store.put_raw(s, body.encode(), "text/plain")
        row = DocumentRow(
            tracker_id=document_store.get_document(s, site.program).tracker_id,
            origin="weak.txt",
            item_key="0",
            kind="news",
            title=f"Svag nyhet {SCRIPT}",
            body=body,
            content_hash="weak",
            raw_sha256=raw,
            stage="parse:test",
            stage_version="1",
        )
        s.add(row)
        s.flush()
        return row.id


def test_search_lists_possible_documents_escaped_and_attaching_one_allows_a_verdict(
    client: TestClient, site: Site
) -> None:
    weak = _weak_document(site)
    token = login(client, "anna")
    page = client.get(f"/edit/pledges/{site.pool}")
    assert f'action="/edit/pledges/{site.pool}/attach"' in page.text  # the search box
    assert 'enctype="multipart/form-data"' in page.text
    found = client.get(f"/edit/pledges/{site.pool}/attach", params={"q": ""})
    assert found.status_code == 200
    text = found.text
    assert SCRIPT not in text and "Svag nyhet &lt;script&gt;" in text
    article = text[text.index(f'id="doc-{weak}"') :]
    article = article[: article.index("</article>")]
    assert "möjlig" in article and "Lägg till som belägg" in article
    # the pool item the linker suggested is shown as a suggestion, not attachable twice
    verdict = {
        "status": "kept",
        "rationale": "Invigd.",
        "csrf_token": token,
        "expected_version": str(_version(site, site.pool)),
    }
    refused = client.post(f"/edit/pledges/{site.pool}/verdict", data=verdict)
    assert refused.status_code == 422
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={"document_id": str(weak), "back": f"/edit/pledges/{site.pool}", "csrf_token": token},
    )
    assert done.status_code == 303, done.text
    evidence_id = int(re.search(r"#evidence-(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
    shown = client.get(f"/edit/pledges/{site.pool}").text
    assert f'id="v-ev-{evidence_id}"' in shown and "godtaget" in shown
    block = shown[shown.index(f'id="evidence-{evidence_id}"') :]
    block = block[: block.index("</details>")]
    # QA: evidence an editor attached was headed "Varför föreslaget", as the linker's is
    assert "Tillagt av redaktionen" in block and "Varför föreslaget" not in block
    verdict["evidence"] = str(evidence_id)
    verdict["expected_version"] = str(_version(site, site.pool))
    assert client.post(f"/edit/pledges/{site.pool}/verdict", data=verdict).status_code == 303
    again = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={"document_id": str(weak), "csrf_token": token},
    )
    assert again.status_code == 409 and "är redan belägg" in again.text


def test_attaching_a_document_from_before_the_term_says_so(client: TestClient, site: Site) -> None:
    weak = _weak_document(site)
    with site.store.session() as s:
        row = s.get(DocumentRow, weak)
        assert row is not None
        row.date_value, row.date_precision, row.date_provenance = (
            dt.date(2019, 5, 1),
            "month",
            "explicit",
        )
    token = login(client, "anna")
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={"document_id": str(weak), "csrf_token": token},
    )
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert "lades till och godtogs. Obs: dokumentet är daterat före programmet" in page


def test_upload_and_url_attach_and_csrf_is_required(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    url = f"/edit/pledges/{site.trees}/attach/file"
    body = "Parkförvaltningen har planterat de tusen träden längs ån.".encode()
    refused = client.post(url, files={"file": ("trad.txt", body, "text/plain")})
    assert refused.status_code == 403
    refused = client.post(url, data={"csrf_token": "fel"}, files={"file": ("t.txt", body)})
    assert refused.status_code == 403
    done = client.post(
        url, data={"csrf_token": token}, files={"file": ("trad.txt", body, "text/plain")}
    )
    assert done.status_code == 303, done.text
    page = client.get(f"/edit/pledges/{site.trees}").text
    assert "tusen träden" in page and "belägg tillagt" in page  # the audit action in words
    empty = client.post(url, data={"csrf_token": token}, files={"file": ("tom.txt", b"")})
    assert empty.status_code == 422 and "tom.txt" in empty.text
    bad = client.post(
        f"/edit/pledges/{site.trees}/attach/url",
        data={"csrf_token": token, "url": "http://127.0.0.1:1/x"},
    )
    assert bad.status_code == 422 and "127.0.0.1" in bad.text
    no_token = client.post(
        f"/edit/pledges/{site.trees}/attach/document",
        data={"document_id": str(site.news["pool"])},
    )
    assert no_token.status_code == 403


@pytest.mark.parametrize(
    ("name", "data", "swedish", "english"),
    [
        ("tom.txt", b"", "tom.txt: filen är tom.", "tom.txt: the file is empty."),
        (
            "trunkerad.pdf",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
            "trunkerad.pdf: PDF-filen är avkortad (slutmarkören saknas); ladda ner den igen.",
            "trunkerad.pdf: the PDF is truncated (no end-of-file marker); download it again.",
        ),
        (
            "binar.md",
            bytes(range(256)) * 16,
            "binar.md: Löfte kan inte läsa filens format",
            "binar.md: Löfte cannot read this file&#39;s format",
        ),
    ],
)
def test_an_unreadable_upload_is_named_by_its_file_in_the_page_s_language(
    client: TestClient, site: Site, name: str, data: bytes, swedish: str, english: str
) -> None:
    """QA: the Swedish page said "upload:86bfed0e089e1f92/trunkerad.pdf: the PDF is truncated
    …", the stored origin and the reader's English."""
    token = login(client, "anna")
    url = f"/edit/pledges/{site.trees}/attach/file"
    sent = client.post(url, data={"csrf_token": token}, files={"file": (name, data)})
    assert sent.status_code == 422 and swedish in sent.text, sent.text
    assert "upload:" not in sent.text
    client.cookies.set("lang", "en")
    sent = client.post(url, data={"csrf_token": token}, files={"file": (name, data)})
    assert sent.status_code == 422 and english in sent.text
    client.cookies.delete("lang")


def test_a_viewer_may_search_but_not_attach(client: TestClient, site: Site) -> None:
    token = login(client, "vera")
    page = client.get(f"/edit/pledges/{site.pool}/attach")
    assert page.status_code == 200 and "Lägg till som belägg" not in page.text
    refused = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={"document_id": str(site.news["trees"]), "csrf_token": token},
    )
    assert refused.status_code == 403


def test_the_queue_links_to_each_documents_candidates(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    queue = client.get(f"/edit/trackers/{site.slug}/queue").text
    link = f"/edit/trackers/{site.slug}/documents/{site.news['trees']}"
    assert link in queue
    page = client.get(link)
    assert page.status_code == 200
    assert SCRIPT not in page.text
    # the trees pledge has a suggestion there: accept it; another pledge can be attached
    assert f'action="/edit/evidence/{site.ev_trees}"' in page.text
    assert f'action="/edit/pledges/{site.pool}/attach/document"' in page.text
    done = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={"document_id": str(site.news["trees"]), "back": link, "csrf_token": token},
    )
    assert done.status_code == 303 and done.headers["location"] == link
    assert (
        client.get(f"/edit/trackers/{site.slug}/documents/{site.program + 999}").status_code == 404
    )


def test_evidence_from_a_malformed_feed_carries_a_note_for_the_editor(
    client: TestClient, site: Site
) -> None:
    """QA: an entry of a broken feed was stored with the next entry's link and text; the
    ingest warned once, and the editor deciding the evidence later saw nothing of it."""
    with site.store.session() as s:
        row = s.get(DocumentRow, site.news["pool"])
        assert row is not None
        row.structure = {**(row.structure or {}), "extra": {"feed_warning": "line 3, column 9"}}
    login(client, "anna")
    page = client.get(f"/edit/pledges/{site.pool}").text
    assert "Flödet som dokumentet kommer från var trasigt" in page and "line 3, column 9" in page
    from lofte.review.verdicts import decide_evidence

    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    public = client.get(f"/api/v1/pledges/{site.pool}").json()
    assert public["evidence"] and "source_warning" not in public["evidence"][0]


def test_a_program_s_page_offers_no_attach_for_its_own_pledges(
    client: TestClient, site: Site
) -> None:
    """QA: a program's candidates page offered "Lägg till som belägg" for its own pledges,
    each refused with 422 when pressed."""
    login(client, "anna")
    page = client.get(f"/edit/trackers/{site.slug}/documents/{site.program}").text
    assert f'action="/edit/pledges/{site.pool}/attach/document"' not in page
    assert f'action="/edit/pledges/{site.trees}/attach/document"' not in page


def many_pool_documents(site: Site) -> None:
    """More documents than a search page holds, all ranked above the weak one for the pool
    pledge."""
    from lofte.publish.evidence_pages import SEARCH_SIZE

    with site.store.session() as s:
        tracker_id = document_store.get_document(s, site.program).tracker_id
        for i in range(SEARCH_SIZE + 5):
            body = f"Nyhet {i}: simhallen i Norrvik byggs, sade kommunen om simhall nummer {i}."
            raw = document_store.put_raw(s, body.encode(), "text/plain")
            s.add(
                DocumentRow(
                    tracker_id=tracker_id,
                    origin=f"simhall-{i}.txt",
                    item_key="0",
                    kind="news",
                    title=f"Simhallen {i}",
                    body=body,
                    content_hash=f"simhall-{i}",
                    raw_sha256=raw,
                    stage="parse:test",
                    stage_version="1",
                )
            )


def test_the_search_for_evidence_pages_past_its_first_twenty(
    client: TestClient, site: Site
) -> None:
    """QA: an editor saw the best 20 documents only; the rest of the ranking was unreachable."""
    from lofte.publish.evidence_pages import SEARCH_SIZE

    many_pool_documents(site)
    login(client, "anna")

    def shown(page: int) -> tuple[set[str], str]:
        answer = client.get(f"/edit/pledges/{site.pool}/attach", params={"q": "", "page": page})
        assert answer.status_code == 200
        return set(
            re.findall(r'<article class="candidate" aria-labelledby="doc-(\d+)"', answer.text)
        ), answer.text

    first, text = shown(1)
    assert len(first) == SEARCH_SIZE and 'rel="next"' in text and 'rel="prev"' not in text
    second, text = shown(2)
    assert second and not first & second and 'rel="prev"' in text and 'rel="next"' not in text
    assert "page=2" in shown(1)[1]
    assert client.get(f"/edit/pledges/{site.pool}/attach", params={"page": 0}).status_code == 400
