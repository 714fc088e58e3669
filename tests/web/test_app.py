"""Pages over ingested documents, in-process; ingested text is always shown inert."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lofte.ingest import IngestOptions, ingest
from lofte.review.trackers import publish_tracker
from lofte.store.db import Store
from lofte.web.app import create_app


@pytest.fixture
def client(store: Store, tmp_path: Path) -> TestClient:
    news = tmp_path / "nyhet.txt"
    news.write_text(
        "Ny fritidsgård i Ekbacken <script>alert('x')</script>\n\nFritidsgården öppnar i augusti 2024.",
        encoding="utf-8",
    )
    report = ingest(store, [str(news)], IngestOptions(tracker="sjovik"))
    assert not report.failed
    publish_tracker(store, "sjovik", actor="tester")  # a draft is not public
    return TestClient(create_app(store))


def test_index_lists_trackers_with_json_twin(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/trackers/sjovik"' in page.text
    assert client.get("/api/trackers").json()[0]["documents"] == 1


def test_tracker_documents_page_lists_documents_with_json_twin(client: TestClient) -> None:
    page = client.get("/trackers/sjovik/documents")
    assert page.status_code == 200
    assert "Ny fritidsgård i Ekbacken" in page.text
    data = client.get("/api/trackers/sjovik/documents").json()
    assert data["total"] == 1 and data["documents"][0]["kind"] == "news"


def test_a_tracker_without_pledges_shows_an_empty_meter(client: TestClient) -> None:
    assert client.get("/trackers/sjovik").status_code == 200
    data = client.get("/api/trackers/sjovik").json()
    assert data["meter"]["total"] == 0 and data["documents"] == 1


def test_ingested_script_text_is_inert(client: TestClient) -> None:
    doc_id = client.get("/api/trackers/sjovik/documents").json()["documents"][0]["id"]
    for url in ("/trackers/sjovik/documents", f"/documents/{doc_id}", "/search?q=fritidsg%C3%A5rd"):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html


def test_document_page_and_json_twin(client: TestClient) -> None:
    doc_id = client.get("/api/trackers/sjovik/documents").json()["documents"][0]["id"]
    assert client.get(f"/documents/{doc_id}").status_code == 200
    assert "augusti 2024" in client.get(f"/api/documents/{doc_id}").json()["body"]


def test_unknown_pages_are_404_in_html_and_json(client: TestClient) -> None:
    assert client.get("/trackers/saknas").status_code == 404
    assert client.get("/api/trackers/saknas").json() == {"error": "no tracker named 'saknas'"}
    assert client.get("/documents/9999").status_code == 404


def test_swedish_first_english_on_request(client: TestClient) -> None:
    assert '<html lang="sv">' in client.get("/").text
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Trackers" in english.text
    assert english.cookies.get("lang") == "en"
    # kept for a year, not only while the browser is open (QA)
    assert "max-age=31536000" in english.headers["set-cookie"].lower()


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    """Uptime monitors and link checkers ask HEAD: it was 405 on every page and on /healthz.
    Now the GET's status and headers, no body; a missing page is 404 for both."""
    for path in (
        "/",
        "/healthz",
        "/trackers/sjovik",
        "/trackers/sjovik/documents",
        "/login",
        "/api/trackers",
        "/api/v1/trackers",
        "/search?q=skola",
    ):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        for name in ("content-type", "content-length", "content-security-policy"):
            assert head.headers[name] == got.headers[name], (path, name)
    assert client.head("/trackers/nowhere").status_code == 404
    assert client.post("/healthz").status_code == 405  # other methods stay refused
