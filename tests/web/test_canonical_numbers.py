"""One address per record (QA): the web pages and their JSON twins read an id or a page
number only as written the one way, digits without a sign, a leading zero, "_" or spaces, as
/api/v1 does. Python's int() reads "038", "+38" and "3_8" as 38."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lofte.web.edge import canonical_positive

from .conftest import Site


def misspelled(n: int) -> list[str]:
    """`n` as int() reads it but not as it is written."""
    text = str(n)
    spelled = [f"0{text}", f"+{text}", f"0_{text}", f"%20{text}", f"{text}%20", f"{text}.0"]
    return spelled + ([f"{text[0]}_{text[1:]}"] if n > 9 else [])


def test_canonical_positive_reads_one_spelling_only() -> None:
    assert canonical_positive("38") and canonical_positive("1")
    for text in ("038", "+38", "3_8", " 38", "38 ", "0", "-1", "", "३८", "38.0", "abc"):
        assert not canonical_positive(text), text


def test_a_misspelled_id_is_not_found_on_pages_twins_and_feeds(
    client: TestClient, site: Site
) -> None:
    pledge, document = site.pool, site.program
    addresses = [
        ("/pledges/{}", pledge),
        ("/api/pledges/{}", pledge),
        ("/pledges/{}/feed.xml", pledge),
        ("/trackers/sjovik/pledges/{}/feed.xml", pledge),
        ("/documents/{}", document),
        ("/api/documents/{}", document),
    ]
    for address, n in addresses:
        assert client.get(address.format(n)).status_code == 200, address
        for text in misspelled(n):
            answer = client.get(address.format(text))
            assert answer.status_code == 404, (address, text)
            if address.startswith("/api/"):
                assert set(answer.json()) == {"error"}, (address, text)


@pytest.mark.parametrize(
    "address",
    [
        "/trackers/sjovik/pledges",
        "/trackers/sjovik/documents",
        "/trackers/sjovik/parties/S",
        "/search?q=simhall",
    ],
)
def test_a_misspelled_page_number_is_the_bad_page_400(
    client: TestClient, site: Site, address: str
) -> None:
    joiner = "&" if "?" in address else "?"
    twin = "/api" + address
    assert client.get(f"{address}{joiner}page=1").status_code == 200
    for text in ("0_1", "01", "+1", "1.0", "%201"):
        shown = client.get(f"{address}{joiner}page={text}")
        assert shown.status_code == 400, (address, text)
        assert "Sidnumret måste vara ett heltal." in shown.text, (address, text)
        answer = client.get(f"{twin}{joiner}page={text}")
        assert answer.status_code == 400, (twin, text)
        assert answer.json() == {"error": "page must be a whole number"}, (twin, text)


def test_the_versioned_api_keeps_its_own_reading(client: TestClient, site: Site) -> None:
    """/api/v1 already answered 404 for a misspelled id; its paging is documented apart."""
    assert client.get(f"/api/v1/pledges/0{site.pool}").status_code == 404
    assert client.get(f"/api/v1/pledges/+{site.pool}").status_code == 404
    assert client.get("/api/v1/pledges?page=01").status_code == 200
    assert client.get("/api/v1/pledges?page=0_1").status_code == 422
