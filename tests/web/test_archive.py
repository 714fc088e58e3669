"""Archived copies on the web: the copy's page (text, never the archived HTML), its WARC
download, the "arkiverad kopia" links beside evidence, and the public rule for drafts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from fastapi.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from lofte.model import RawInput
from lofte.review.verdicts import decide_evidence
from lofte.store import archive
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow

from .conftest import Site, login

URL = "https://example.org/nyheter/simhall"
PAGE = (
    "<html><head><title>Simhall</title><script>alert('archived')</script>"
    "<style>body{color:red}</style></head><body><h1>Simhallen invigd</h1>"
    "<p>Kommunalrådet &lt;b&gt; klippte <b>bandet</b> i Norrvik.</p>"
    "<img src=x onerror=alert(1)></body></html>"
).encode()


def _archive(site: Site, data: bytes = PAGE, media_type: str = "text/html") -> int:
    """An archived response behind the pool news item (as ingest of its URL would leave it)."""
    raw = RawInput(
        data,
        URL,
        media_type,
        dt.datetime(2024, 3, 2, 8, 15, tzinfo=dt.UTC),
        {"content-type": f"{media_type}; charset=utf-8", "server": "<script>x</script>"},
        200,
    )
    with site.store.session() as s:
        archive_id = archive.ensure_archived(s, raw)
        archive.set_document_archive(s, [site.news["pool"]], archive_id)
    return archive_id


def test_the_archived_copy_shows_its_facts_and_text_never_its_html(
    client: TestClient, site: Site
) -> None:
    archive_id = _archive(site)
    page = client.get(f"/trackers/sjovik/archive/{archive_id}")
    assert page.status_code == 200
    html = page.text
    assert "Arkiverad kopia" in html and URL in html
    assert "2024-03-02 08:15:00" in html and hashlib.sha256(PAGE).hexdigest() in html
    assert "Simhallen invigd" in html and "bandet" in html
    assert "<script>alert" not in html and "alert('archived')" not in html  # dropped, not shown
    assert "<b>bandet</b>" not in html and "<img" not in html and "onerror" not in html
    assert "&lt;b&gt;" in html  # the text's own "<b>" is escaped text
    assert "&lt;script&gt;x&lt;/script&gt;" in html  # a header's value, escaped
    assert f'href="/trackers/sjovik/archive/{archive_id}.warc.gz"' in html
    assert f'href="/documents/{site.news["pool"]}"' in html
    english = client.get(f"/trackers/sjovik/archive/{archive_id}?lang=en").text
    assert "Archived copy" in english
    data = client.get(f"/api/trackers/sjovik/archive/{archive_id}").json()["archive"]
    assert data["status"] == 200 and data["fetched_at"] == "2024-03-02T08:15:00Z"
    assert data["payload_sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert "Simhallen invigd" in data["text"] and "alert" not in data["text"]
    assert ["server", "<script>x</script>"] in data["headers"]


def test_a_binary_copy_shows_no_text(client: TestClient, site: Site) -> None:
    archive_id = _archive(site, b"%PDF-1.4\n\x00\x01binary", "application/pdf")
    data = client.get(f"/api/trackers/sjovik/archive/{archive_id}").json()["archive"]
    assert data["text"] is None
    assert "ladda ned WARC-filen" in client.get(f"/trackers/sjovik/archive/{archive_id}").text


def test_the_warc_download_is_the_record(client: TestClient, site: Site) -> None:
    archive_id = _archive(site)
    answer = client.get(f"/trackers/sjovik/archive/{archive_id}.warc.gz")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/warc"
    assert answer.headers["content-disposition"].startswith("attachment;")
    (record,) = [
        (
            r.rec_headers.get_header("WARC-Target-URI"),
            r.http_headers.get_statuscode(),
            r.content_stream().read(),
        )
        for r in ArchiveIterator(io.BytesIO(answer.content))
        if r.rec_type == "response"
    ]
    assert record == (URL, "200", PAGE)


def test_a_copy_is_shown_only_in_its_tracker_and_not_for_a_draft(
    client: TestClient, site: Site
) -> None:
    archive_id = _archive(site)
    with site.store.session() as s:
        other = tracker_store.ensure_tracker(s, "annan")
        tracker_store.get_tracker_row(s, "annan").published_at = dt.datetime(2024, 1, 1)
        assert other.id
    for url in (
        f"/trackers/annan/archive/{archive_id}",  # not a copy of this tracker's documents
        f"/trackers/sjovik/archive/{archive_id + 1}",  # no such copy
        f"/trackers/sjovik/archive/{archive_id + 1}.warc.gz",
        "/trackers/sjovik/archive/abc",
    ):
        assert client.get(url).status_code == 404, url
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, "sjovik").published_at = None  # a draft again
    for url in (
        f"/trackers/sjovik/archive/{archive_id}",
        f"/trackers/sjovik/archive/{archive_id}.warc.gz",
        f"/api/trackers/sjovik/archive/{archive_id}",
    ):
        assert client.get(url).status_code == 404, url
    login(client, "vera")  # a logged-in user sees the drafts the editors' pages link to
    assert client.get(f"/trackers/sjovik/archive/{archive_id}").status_code == 200
    assert client.get(f"/trackers/sjovik/archive/{archive_id}.warc.gz").status_code == 200


def test_evidence_and_documents_link_their_archived_copy(client: TestClient, site: Site) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    decide_evidence(site.store, site.ev_preschool, True, actor="anna")
    archive_id = _archive(site)
    link = f'href="/trackers/sjovik/archive/{archive_id}"'
    pledge = client.get(f"/pledges/{site.pool}").text
    assert link in pledge and "arkiverad kopia" in pledge and "2024-03-02" in pledge
    assert "archived copy" in client.get(f"/pledges/{site.pool}?lang=en").text
    assert "arkiverad kopia" not in client.get(f"/pledges/{site.preschool}").text  # a file
    data = client.get(f"/api/pledges/{site.pool}").json()
    (ev,) = data["evidence"]
    assert ev["archived_copy"] == f"/trackers/sjovik/archive/{archive_id}"
    assert ev["archived_at"] == "2024-03-02T08:15:00Z"
    assert data["source"]["archived_copy"] is None  # the program was read from a file
    (v1,) = client.get(f"/api/v1/pledges/{site.pool}").json()["evidence"]
    assert v1["archived_copy"] == ev["archived_copy"]
    assert link in client.get(f"/documents/{site.news['pool']}").text
    doc = client.get(f"/api/documents/{site.news['pool']}").json()
    assert doc["archived_at"] == "2024-03-02T08:15:00Z"
    login(client, "anna")
    assert link in client.get(f"/edit/pledges/{site.pool}").text  # the editor's review page


def test_a_cached_pledge_page_shows_a_copy_archived_later(client: TestClient, site: Site) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    assert "arkiverad kopia" not in client.get(f"/pledges/{site.pool}").text
    _archive(site)
    with site.store.session() as s:
        row = s.get(DocumentRow, site.news["pool"])
        assert row is not None and row.archive_id is not None
    assert "arkiverad kopia" in client.get(f"/pledges/{site.pool}").text


def test_the_archived_copy_of_an_archived_tracker_says_it_is_archived(
    client: TestClient, site: Site
) -> None:
    """Review: every other public page of an archived tracker said so, this one did not."""
    from lofte.review import tracker_admin

    archive_id = _archive(site)
    note = "Arkiverad: den här mätaren följs inte längre upp."
    assert note not in client.get(f"/trackers/sjovik/archive/{archive_id}").text
    tracker_admin.archive(site.store, site.slug, actor="tester")
    assert client.get(f"/trackers/sjovik/archive/{archive_id}").text.count(note) == 1
