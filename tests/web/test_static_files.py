"""The static files' caching and robots.txt (QA, an operations engineer behind a proxy: no
Cache-Control on /static, no robots.txt)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from lofte.web import templating
from lofte.web.app import Static
from lofte.web.templating import STATIC_VERSIONS, static_url

from .conftest import Site


def test_pages_link_the_stylesheet_at_its_version_which_may_be_kept(
    client: TestClient, site: Site
) -> None:
    page = client.get("/trackers/sjovik").text
    href = re.search(r'<link rel="stylesheet" href="([^"]+)">', page)
    assert href is not None and href.group(1) == static_url("style.css")
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{12}", href.group(1))
    kept = client.get(href.group(1))
    assert kept.status_code == 200 and "body" in kept.text
    assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get(static_url("favicon.svg")).headers["cache-control"].endswith("immutable")


def test_another_address_of_a_static_file_is_checked_again(client: TestClient, site: Site) -> None:
    """An old page's link (another version) or the bare address: an upgrade's file is never
    hidden behind a kept old one. The feeds' stylesheet is linked bare."""
    for path in ("/static/style.css", "/static/style.css?v=000000000000", "/static/feed.xsl"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-cache", path
        again = client.get(path, headers={"if-none-match": answer.headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"] == "no-cache", path


def test_each_version_is_the_hash_of_the_file() -> None:
    folder = Path(templating.__file__).parent / "static"
    assert set(STATIC_VERSIONS) == {p.name for p in folder.iterdir() if p.is_file()}
    for name, version in STATIC_VERSIONS.items():
        assert version == hashlib.sha256((folder / name).read_bytes()).hexdigest()[:12], name


def test_a_file_without_a_version_is_checked_again(tmp_path: Path) -> None:
    """Review: a file added by an update in place (none in the versions read at start) was
    sent immutable, its bare address comparing None with None."""
    (tmp_path / "ny.js").write_text("// ny", encoding="utf-8")
    app = Starlette(routes=[Mount("/static", Static(directory=str(tmp_path)))])
    with TestClient(app) as client:
        for path in ("/static/ny.js", "/static/ny.js?v="):
            answer = client.get(path)
            assert answer.status_code == 200 and answer.headers["cache-control"] == "no-cache"
            again = client.get(path, headers={"if-none-match": answer.headers["etag"]})
            assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"


def test_robots_txt_keeps_crawlers_out_of_the_editors_pages_and_the_search(
    client: TestClient, site: Site
) -> None:
    answer = client.get("/robots.txt")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    rules = [line for line in answer.text.splitlines() if line]
    assert rules[0] == "User-agent: *"
    for path in ("/edit", "/login", "/search", "/api/", "/trackers/*/archive/"):
        assert f"Disallow: {path}" in rules
    assert not any(rule in ("Disallow: /", "Disallow: /trackers") for rule in rules)
