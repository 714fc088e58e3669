"""An admin deletes a document ingested by mistake from its editor page (QA: on a published
tracker such a document was public at once, and nothing could remove it)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from lofte.review.verdicts import decide_evidence

from .conftest import Site, login, make_client


def test_an_editor_has_no_delete_and_cannot_post_one(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    page = client.get(f"/edit/documents/{site.news['trees']}").text
    assert "Radera dokumentet" not in page
    url = f"/edit/documents/{site.news['trees']}/delete"
    refused = client.post(url, data={"confirm": str(site.news["trees"]), "csrf_token": token})
    assert refused.status_code == 403
    assert client.get(f"/documents/{site.news['trees']}").status_code == 200


def test_an_admin_deletes_a_news_item_and_it_leaves_the_public_site(site: Site) -> None:
    admin = make_client(site.store)
    token = login(admin, "admin1")
    doc = site.news["trees"]
    page = admin.get(f"/edit/documents/{doc}").text
    assert "Radera dokumentet" in page and f"Skriv dokumentets nummer, {doc}" in page
    refused = admin.post(
        f"/edit/documents/{doc}/delete", data={"confirm": "träd", "csrf_token": token}
    )
    assert refused.status_code == 422
    shown = html.unescape(refused.text)
    assert f"Skriv dokumentets nummer {doc} för att bekräfta att det ska raderas." in shown
    assert 'id="error-summary"' in refused.text and 'value="träd"' in shown  # kept, told at top
    assert 'href="#x-confirm"' in refused.text
    assert admin.get(f"/documents/{doc}").status_code == 200  # nothing deleted
    done = admin.post(
        f"/edit/documents/{doc}/delete",
        data={"confirm": str(doc), "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/edit"
    assert f"Dokument {doc} är raderat ur mätaren sjovik." in admin.get("/edit").text
    public = make_client(site.store)
    assert public.get(f"/documents/{doc}").status_code == 404
    assert public.get(f"/api/v1/documents/{doc}").status_code == 404
    assert admin.get(f"/edit/documents/{doc}").status_code == 404


def test_accepted_evidence_keeps_the_document_named_in_swedish(site: Site) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    admin = make_client(site.store)
    token = login(admin, "admin1")
    doc = site.news["pool"]
    refused = admin.post(
        f"/edit/documents/{doc}/delete", data={"confirm": str(doc), "csrf_token": token}
    )
    assert refused.status_code == 422
    assert (
        f"Dokument {doc} är godtaget som belägg (belägg {site.ev_pool} till löfte {site.pool}): "
        "dra tillbaka det först, med knappen Dra tillbaka på löftets sida."
        in html.unescape(refused.text)
    )
    assert admin.get(f"/documents/{doc}").status_code == 200


def test_a_document_of_a_watched_source_is_said_to_come_back(site: Site) -> None:
    """Review: the CLI said so, the page did not, and the document came back silently."""
    from lofte.store.schema import DocumentRow, SourceRow, TrackerRow

    doc = site.news["trees"]
    with site.store.session() as s:
        tracker_id = s.query(TrackerRow.id).filter(TrackerRow.slug == "sjovik").scalar()
        source = SourceRow(tracker_id=tracker_id, name="nyheter", kind="news", shape="feed")
        s.add(source)
        s.flush()
        s.get(DocumentRow, doc).source_id = source.id  # type: ignore[union-attr]
    admin = make_client(site.store)
    token = login(admin, "admin1")
    admin.post(f"/edit/documents/{doc}/delete", data={"confirm": str(doc), "csrf_token": token})
    page = html.unescape(admin.get("/edit").text)
    assert f"Dokument {doc} är raderat ur mätaren sjovik. Det kom från den bevakade källan " in page
    assert "nyheter, som hämtar det igen vid nästa körning" in page


def test_the_pledge_s_history_keeps_a_decision_on_evidence_deleted_with_it(site: Site) -> None:
    """QA: a rejected suggestion's decision vanished from the pledge's history when its
    document was deleted."""
    decide_evidence(site.store, site.ev_trees, False, actor="anna", reason="Fel park.")
    admin = make_client(site.store)
    token = login(admin, "admin1")
    doc = site.news["trees"]
    admin.post(f"/edit/documents/{doc}/delete", data={"confirm": str(doc), "csrf_token": token})
    history = html.unescape(admin.get(f"/edit/pledges/{site.trees}").text)
    assert "belägg avvisat" in history and "Fel park." in history
    assert "belägg raderat med sitt dokument" in history
    assert "dokument raderat" in html.unescape(admin.get("/edit/audit").text)
