"""An API error repeats a value from the request cut to its first 80 characters (web/api_v1.py,
`echo`): QA: `GET /api/v1/pledges?area=` and 100,000 × "x" answered the whole value back in a
100 KB 400."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import Site

LONG = "x" * 60_000  # httpx refuses a URL over 64 KiB
CUT = "x" * 80 + "…"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/api/v1/pledges?area={LONG}", 400),
        (f"/api/v1/pledges?party={LONG}", 400),
        (f"/api/v1/documents?party={LONG}", 400),
        (f"/api/v1/trackers?party={LONG}", 400),
        (f"/api/v1/pledges?tracker={LONG}", 404),
        (f"/api/v1/documents?tracker={LONG}", 404),
        (f"/api/v1/verdicts?tracker={LONG}", 404),
        (f"/api/v1/trackers/{LONG}", 404),
        (f"/api/v1/pledges/{LONG}", 404),
        (f"/api/v1/documents/{LONG}", 404),
        (f"/api/v1/{LONG}", 404),
        (f"/api/v1/pledges?{LONG[:30_000]}=1&{LONG[:30_000]}=2", 400),  # a name, twice
    ],
)
def test_an_error_repeats_a_long_value_cut(
    client: TestClient, site: Site, url: str, status: int
) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert len(answer.content) < 1000
    message = answer.json()["error"]
    assert CUT in message and "x" * 81 not in message, message


def test_a_short_value_is_repeated_whole(client: TestClient, site: Site) -> None:
    """Up to 80 characters the value is repeated as given, so a typo can be seen."""
    value = "Skol" + "a" * 76  # 80 characters
    message = client.get("/api/v1/pledges", params={"area": value}).json()["error"]
    assert f'"{value}"' in message
    longer = client.get("/api/v1/pledges", params={"area": value + "b"}).json()["error"]
    assert f'"{value}…"' in longer
