"""The /api/… JSON twins answer a bad parameter as their pages do (QA): the same status, and
`{"error": …}` instead of FastAPI's raw 422 `{"detail": [{"type": "int_parsing", …}]}`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import Site

WHOLE = "page must be a whole number"


@pytest.mark.parametrize(
    ("page", "twin", "query", "error"),
    [
        ("/trackers/sjovik/pledges", "/api/trackers/sjovik/pledges", "page=abc", WHOLE),
        ("/trackers/sjovik/pledges", "/api/trackers/sjovik/pledges", "page=0", "at least 1"),
        ("/trackers/sjovik/pledges", "/api/trackers/sjovik/pledges", "page=-1", "at least 1"),
        ("/trackers/sjovik/documents", "/api/trackers/sjovik/documents", "page=abc", WHOLE),
        ("/trackers/sjovik/parties/S", "/api/trackers/sjovik/parties/S", "page=1.5", WHOLE),
        ("/search", "/api/search", "q=simhall&page=abc", WHOLE),
    ],
)
def test_a_twin_answers_a_bad_page_number_as_its_page(
    client: TestClient, site: Site, page: str, twin: str, query: str, error: str
) -> None:
    shown = client.get(f"{page}?{query}")
    answer = client.get(f"{twin}?{query}")
    assert shown.status_code == 400 and "Sidnumret" in shown.text
    assert answer.status_code == shown.status_code, answer.text
    assert set(answer.json()) == {"error"} and error in answer.json()["error"]


def test_the_versioned_api_keeps_its_documented_422(client: TestClient, site: Site) -> None:
    """docs/api.md: a parameter of the wrong type or out of range is a 422 there."""
    for query in ("page=abc", "page=0", "per_page=500"):
        answer = client.get(f"/api/v1/pledges?{query}")
        assert answer.status_code == 422 and set(answer.json()) == {"error"}, query
