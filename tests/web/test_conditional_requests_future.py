"""An If-Modified-Since later than the server's clock is invalid and ignored (RFC 9110
§13.1.3; security QA: `If-Modified-Since: Sat, 01 Jan 2100` got 304 from /api/v1/pledges, so
a client or cache that once sent a wrong date was told "unchanged" until 2100)."""

from __future__ import annotations

import datetime as dt
import email.utils
import time

import pytest
from fastapi.testclient import TestClient

from lofte.publish import catalog

from .conftest import Site

FUTURE = "Sat, 01 Jan 2100 00:00:00 GMT"


@pytest.mark.parametrize("path", ["/api/v1/pledges", "/api/v1/trackers", "/static/style.css"])
def test_a_date_in_the_future_is_ignored(client: TestClient, site: Site, path: str) -> None:
    full = client.get(path)
    assert full.status_code == 200 and full.headers.get("last-modified")
    for method in ("GET", "HEAD"):
        answer = client.request(method, path, headers={"if-modified-since": FUTURE})
        assert answer.status_code == 200, (method, path)
        if method == "GET":
            assert answer.content == full.content


@pytest.mark.parametrize("path", ["/api/v1/pledges", "/static/style.css"])
def test_a_date_at_or_after_the_last_change_still_gets_304(
    client: TestClient, site: Site, path: str
) -> None:
    time.sleep(1.05 - time.time() % 1)  # the last change's second is over (`last_modified`)
    stamp = client.get(path).headers["last-modified"]
    assert client.get(path, headers={"if-modified-since": stamp}).status_code == 304
    now = email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True)
    assert client.get(path, headers={"if-modified-since": now}).status_code == 304


def test_the_shared_check() -> None:
    changed = dt.datetime(2026, 1, 2, 3, 4, 5, 600_000, tzinfo=dt.UTC)
    now = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.UTC)
    check = catalog.not_modified_since
    assert check("Fri, 02 Jan 2026 03:04:05 GMT", changed, now=now)
    assert check("Mon, 01 Jun 2026 12:00:00 GMT", changed, now=now)  # now itself: valid
    assert not check("Mon, 01 Jun 2026 12:00:01 GMT", changed, now=now)  # the future
    assert not check(FUTURE, changed, now=now)
    assert not check("Fri, 02 Jan 2026 03:04:04 GMT", changed, now=now)
    assert not check("not a date", changed, now=now)
    assert not check(None, changed, now=now)
    assert not check("Fri, 02 Jan 2026 03:04:05 GMT", None, now=now)
    # a naive moment is UTC, as the store keeps it
    assert check("Fri, 02 Jan 2026 03:04:05 GMT", changed.replace(tzinfo=None), now=now)


def test_a_date_sent_during_the_changes_second_is_the_one_before() -> None:
    """QA: two changes in one second carried one Last-Modified, and a client whose copy was of
    the first got 304 for the second's answer."""
    changed = dt.datetime(2026, 1, 2, 3, 4, 5, 300_000, tzinfo=dt.UTC)
    during = changed + dt.timedelta(milliseconds=200)
    sent = catalog.last_modified(changed, now=during)
    assert sent == dt.datetime(2026, 1, 2, 3, 4, 4)
    later = changed + dt.timedelta(milliseconds=500)  # a second change, in the same second
    assert not catalog.not_modified_since(catalog.http_date(sent), later, now=later)
    after = catalog.last_modified(changed, now=changed + dt.timedelta(seconds=1))
    assert after == dt.datetime(2026, 1, 2, 3, 4, 5)
    assert catalog.not_modified_since(catalog.http_date(after), changed, now=changed)


def test_a_change_in_the_same_second_as_a_copy_is_never_304(client: TestClient, site: Site) -> None:
    from .test_api_v1 import _rate

    path = "/api/v1/pledges"
    seen = client.get(path)
    _rate(site)  # most often within the second of the site's last change
    answer = client.get(path, headers={"if-modified-since": seen.headers["last-modified"]})
    assert answer.status_code == 200 and answer.content != seen.content
